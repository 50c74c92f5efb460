use sea_orm::entity::prelude::*;

use crate::codes::PolicyStatus;

/// A policy (政策) with its 明白纸 explainer and eligibility conditions.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub issuer: String,
    /// 文号.
    pub doc_number: Option<String>,
    pub published_on: Option<Date>,
    pub effective_on: Option<Date>,
    pub expires_on: Option<Date>,
    pub apply_by: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub for_whom: String,
    #[sea_orm(column_type = "Text")]
    pub benefits: String,
    #[sea_orm(column_type = "Text")]
    pub how_to_apply: String,
    #[sea_orm(column_type = "Text")]
    pub contact: String,
    #[sea_orm(column_type = "Text")]
    pub full_text: String,
    /// JSON array of strings.
    pub tags: Json,
    /// The `Conditions` of the api's `domain::policy`, as JSON.
    pub conditions: Json,
    /// `draft`, `published`, `expired`.
    pub status: PolicyStatus,
    /// Raised by every write (replicas compare the table's count and revision sum).
    pub revision: i64,
    pub created_by: i64,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

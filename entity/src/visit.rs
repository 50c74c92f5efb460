use sea_orm::entity::prelude::*;

use crate::codes::VisitKind;

/// A butler's visit to an enterprise (三上门): whom they met, the policies explained, the needs
/// raised (each became a demand).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "visits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub butler_id: i64,
    pub kind: VisitKind,
    pub visited_on: Date,
    pub people_met: String,
    /// JSON array of policy ids (strings) explained.
    pub policy_ids: Json,
    /// JSON array of the demand ids (strings) its needs became.
    pub demand_ids: Json,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

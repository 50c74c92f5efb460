use sea_orm::entity::prelude::*;

use crate::codes::{Scale, ServiceTier};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprises")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[sea_orm(unique)]
    pub uscc: String,
    pub industry_code: String,
    pub scale: Scale,
    pub registered_at: Date,
    /// JSON array of strings, e.g. `["高新技术企业"]`.
    pub qualifications: Json,
    /// JSON array of free tags.
    pub tags: Json,
    pub district: Option<String>,
    pub service_tier: ServiceTier,
    pub butler_user_id: Option<i64>,
    #[sea_orm(unique)]
    pub invite_code: Option<String>,
    /// New enterprises wait for the new-enterprise call-back programme.
    pub needs_callback: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

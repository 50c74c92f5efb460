use sea_orm::entity::prelude::*;

use crate::codes::ServiceTier;

/// How often an enterprise of a service tier is visited, where admins set it (otherwise the
/// tier's default in the api's `domain::visit`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "visit_intervals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tier: ServiceTier,
    pub days: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

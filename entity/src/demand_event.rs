use sea_orm::entity::prelude::*;

use crate::codes::{Action, Role, Status};

/// One entry of a demand's timeline.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "demand_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub demand_id: i64,
    pub action: Action,
    pub from_status: Option<Status>,
    pub to_status: Status,
    /// None for the system (scheduled jobs).
    pub actor_id: Option<i64>,
    pub actor_role: Option<Role>,
    pub actor_unit_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub data: Option<Json>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

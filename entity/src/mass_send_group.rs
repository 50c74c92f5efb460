use sea_orm::entity::prelude::*;

use crate::codes::MassSendGroupState;

/// A group of a mass-send task; at most one a day per group.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mass_send_groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub mass_send_id: i64,
    pub group_id: i64,
    pub day: Date,
    /// `YYYY-MM`: the quota's month.
    pub month: String,
    pub state: MassSendGroupState,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

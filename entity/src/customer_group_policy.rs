use sea_orm::entity::prelude::*;

use crate::codes::GroupPushState;

/// A policy for a customer group: waiting for a digest, in a task, or sent.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_group_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub group_id: i64,
    pub policy_id: i64,
    pub state: GroupPushState,
    /// `mass_send` or `sidebar`, once sent.
    pub via: Option<String>,
    pub mass_send_id: Option<i64>,
    /// Why it has not gone yet (what people read).
    #[sea_orm(column_type = "Text", nullable)]
    pub wait_reason: Option<String>,
    pub queued_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

use crate::codes::{OutboxChannel, OutboxStatus};

/// One message to deliver through one channel, written in the transaction of the change that
/// caused it, and worked off by that channel's delivery job.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub channel: OutboxChannel,
    /// What it is about: `policy`, `report`, `demand_accepted`, ...
    pub kind: String,
    /// Nothing is queued twice for the same reason: `wechat:demand:7:e31:u5`.
    #[sea_orm(unique)]
    pub dedup_key: String,
    /// The person it goes to (WeChat, SMS).
    pub user_id: Option<i64>,
    /// The group chat it goes to (webhook).
    pub group_id: Option<i64>,
    /// The in-app notice it repeats (WeChat).
    pub notification_id: Option<i64>,
    /// The number a text message goes to, as a keyed hash (the daily cap counts by it).
    pub recipient: Option<String>,
    /// What the channel sends (see `service::outbox`).
    pub payload: Json,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub claimed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

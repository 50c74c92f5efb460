use sea_orm::entity::prelude::*;

use crate::codes::{Channel, ContentCheck, Deadline, Environment, Kind, Origin, RatingSource, Status};

/// A demand (诉求): one work order, whatever channel it came from.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "demands")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `SQ20261128-0007`
    #[sea_orm(unique)]
    pub number: String,
    pub kind: Kind,
    pub environment: Environment,
    pub channel: Channel,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub origin_type: Option<Origin>,
    pub origin_id: Option<String>,
    pub enterprise_id: Option<i64>,
    pub submitter_id: Option<i64>,
    pub caller_phone: Option<String>,
    pub anonymous: bool,
    pub unit_id: Option<i64>,
    pub butler_id: Option<i64>,
    pub status: Status,
    pub accept_due_at: Option<DateTimeUtc>,
    pub sign_due_at: Option<DateTimeUtc>,
    pub reply_due_at: Option<DateTimeUtc>,
    pub accepted_at: Option<DateTimeUtc>,
    pub assigned_at: Option<DateTimeUtc>,
    pub signed_at: Option<DateTimeUtc>,
    pub replied_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reply_content: Option<String>,
    pub rating_satisfied: Option<bool>,
    #[sea_orm(column_type = "Text", nullable)]
    pub rating_comment: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    pub rating_source: Option<RatingSource>,
    pub unreasonable: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub unreasonable_reason: Option<String>,
    pub merged_into_id: Option<i64>,
    pub overdue: bool,
    pub overdue_kind: Option<Deadline>,
    pub overdue_due_at: Option<DateTimeUtc>,
    pub extension_days_pending: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub extension_reason: Option<String>,
    pub extensions: i32,
    pub returns: i32,
    /// Seconds spent with a unit before being returned (charged to the dispatcher).
    pub bounced_secs: i64,
    pub accept_secs: Option<i64>,
    pub sign_secs: Option<i64>,
    pub reply_secs: Option<i64>,
    pub sign_late: Option<bool>,
    pub reply_late: Option<bool>,
    pub reopen_count: i32,
    /// `pass`, `review`, `unchecked` (WeChat's content check).
    pub content_check: ContentCheck,
    /// Optimistic lock: every move bumps it.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The `Idempotency-Key` it was submitted under (unique per submitter).
    pub request_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

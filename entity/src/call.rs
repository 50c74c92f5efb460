use sea_orm::entity::prelude::*;

use crate::codes::{CallDirection, CallStatus};

/// A call the phone system told the server about (`POST /telephony/events`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calls")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The phone system's id of the call.
    #[sea_orm(unique)]
    pub call_id: String,
    pub from_number: String,
    pub to_number: String,
    pub direction: CallDirection,
    /// The agent the phone system named (an extension).
    pub agent: Option<String>,
    /// The staff member with that extension.
    pub agent_user_id: Option<i64>,
    /// The enterprise whose person's phone the caller's number is.
    pub enterprise_id: Option<i64>,
    pub status: CallStatus,
    pub started_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    /// The demand filed from it.
    pub demand_id: Option<i64>,
    /// Taken off the call-back list.
    pub resolved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

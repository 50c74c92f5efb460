use sea_orm::entity::prelude::*;

use crate::codes::CallbackStatus;

/// The call-back of one new enterprise.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "callback_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub enterprise_id: i64,
    /// The butler who calls (None while no butler exists).
    pub butler_id: Option<i64>,
    pub due_on: Date,
    /// `open`, `reached`, `refused`, `unreachable` (3 tries without an answer).
    pub status: CallbackStatus,
    pub attempts: i32,
    pub last_attempt_at: Option<DateTimeUtc>,
    /// What the enterprise said (bank account, tax set-up, invoices, known policies, needs).
    pub answers: Option<Json>,
    /// The demand its stated need became.
    pub demand_id: Option<i64>,
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

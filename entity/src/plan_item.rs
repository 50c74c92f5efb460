use sea_orm::entity::prelude::*;

use crate::codes::{ItemKind, ItemStatus};

/// A plan's task or problem-list item.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    /// `task` or `problem`.
    pub kind: ItemKind,
    pub title: String,
    /// The aspect of a problem-list item (e.g. 政务服务).
    pub aspect: Option<String>,
    /// The owner unit.
    pub unit_id: i64,
    /// The lead person, by name.
    pub lead: Option<String>,
    pub deadline: Date,
    /// JSON array of `{title, dueOn, done}`.
    pub milestones: Json,
    /// `not_started`, `in_progress` or `done`.
    pub status: ItemStatus,
    /// 0..=100.
    pub progress: i32,
    /// When the weekly job flagged it overdue (once).
    pub overdue_flagged_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

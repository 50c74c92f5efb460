use sea_orm::entity::prelude::*;

use crate::codes::{ClueCategory, ClueOutcome, ClueSource, ClueStatus};

/// A conduct clue (问题线索), read only by discipline staff. Who reported it is not here: it is
/// kept apart in `clue_reporters`, so nothing read from this table names an anonymous reporter.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clues")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub category: ClueCategory,
    /// The unit whose official it concerns.
    pub unit_id: Option<i64>,
    /// Who, as the reporter describes them (a window, a post, a name).
    pub official: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub happened_on: Option<Date>,
    pub anonymous: bool,
    pub source: ClueSource,
    /// The demand it was referred from (线索移送).
    #[sea_orm(unique)]
    pub demand_id: Option<i64>,
    /// JSON array of file ids (strings).
    pub file_ids: Json,
    pub status: ClueStatus,
    /// 问题速处: a short deadline.
    pub fast_track: bool,
    /// When the current stage is due: acceptance, then disposal.
    pub due_at: DateTimeUtc,
    pub outcome: Option<ClueOutcome>,
    /// Persons dealt with by the outcome (required for 党纪政务处分).
    pub persons: Option<i32>,
    pub created_at: DateTimeUtc,
    pub accepted_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

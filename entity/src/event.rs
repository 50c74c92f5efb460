use sea_orm::entity::prelude::*;

use crate::codes::{EventKind, EventStatus};

/// An engagement program: complaint day, mystery-shopper week, scorecard round, supervision.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: EventKind,
    pub title: String,
    pub theme: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    /// `draft`, `published`, `open`, `closed`, `archived`.
    pub status: EventStatus,
    /// JSON array of role codes that may join.
    pub audience_roles: Json,
    pub form_template_id: Option<i64>,
    pub created_by: Option<i64>,
    pub published_at: Option<DateTimeUtc>,
    /// When the results were published back to the participants (scorecards).
    pub results_published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

use crate::codes::Level;

/// A published report about the zone's business environment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "publicity_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub author_id: i64,
    pub outlet: String,
    /// `national`, `provincial`, `municipal`, `online` or `own`.
    pub level: Level,
    pub title: String,
    pub link: Option<String>,
    pub published_on: Date,
    pub event_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

use crate::codes::ClueAction;

/// One step in a clue's handling, by discipline staff (or the reporter's filing).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clue_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub clue_id: i64,
    pub action: ClueAction,
    /// Discipline staff; None for the filing (the reporter is kept apart).
    pub actor_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

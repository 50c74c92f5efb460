use sea_orm::entity::prelude::*;

/// An anonymised typical case (典型案例通报), published to enterprises.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clue_cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The clue it tells of (never shown to readers).
    pub clue_id: i64,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub published_by: i64,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

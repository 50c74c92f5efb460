use sea_orm::entity::prelude::*;

use crate::codes::ObservationKind;

/// What a media observer saw: a finding (may become a demand), a story lead or a comment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "media_observations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub author_id: i64,
    /// `finding`, `lead` or `comment`.
    pub kind: ObservationKind,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub event_id: Option<i64>,
    /// JSON array of file ids (strings).
    pub file_ids: Json,
    /// The demand a finding became.
    pub demand_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

use crate::codes::ActivityKind;

/// A supervision activity (督导活动): a visit, forum or inspection by a committee member.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supervision_activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub supervisor_id: i64,
    /// `visit`, `forum` or `inspection`.
    pub kind: ActivityKind,
    pub day: Date,
    pub place: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    /// JSON array of file ids.
    pub photos: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

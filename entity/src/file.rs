use sea_orm::entity::prelude::*;

use crate::codes::Attachment;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_id: i64,
    /// Detected from the content, never from the name.
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
    pub original_name: Option<String>,
    pub created_at: DateTimeUtc,
    /// The object the file is attached to (`demand`, `complaint`, `submission`, `plan_note`,
    /// `observation`, `activity`, `policy`): set once, never changed.
    pub attached_kind: Option<Attachment>,
    pub attached_id: Option<i64>,
    pub attached_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

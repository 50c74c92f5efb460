use sea_orm::entity::prelude::*;

/// A progress note on a plan item, with evidence files.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_notes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub item_id: i64,
    pub author_id: i64,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub progress: Option<i32>,
    /// JSON array of file ids (strings).
    pub file_ids: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

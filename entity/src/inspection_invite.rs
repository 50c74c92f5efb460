use sea_orm::entity::prelude::*;

/// An experience officer or media observer invited to an inspection: they see it and file an
/// observation of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_invites")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub user_id: i64,
    /// What they observed (once filed).
    #[sea_orm(column_type = "Text", nullable)]
    pub observation: Option<String>,
    pub observed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

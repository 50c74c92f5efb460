use sea_orm::entity::prelude::*;

/// An enterprise member's rating of an inspection (规范 or not), once per person; a
/// complaint became a demand.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_ratings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub user_id: i64,
    /// 规范.
    pub proper: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub demand_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

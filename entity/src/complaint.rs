use sea_orm::entity::prelude::*;

use crate::codes::{ContentCheck, Environment};

/// A complaint-day post (吐槽). Every one becomes a demand; hidden ones stay in the record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub author_id: i64,
    pub enterprise_id: Option<i64>,
    pub anonymous: bool,
    pub environment: Environment,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    /// JSON array of file ids.
    pub photos: Json,
    pub metoo_count: i32,
    pub hidden: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub hidden_reason: Option<String>,
    pub hidden_by: Option<i64>,
    pub demand_id: Option<i64>,
    pub content_check: ContentCheck,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// An in-app notice (its WeChat subscribe message, when one goes, is an `outbox` row).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub demand_id: Option<i64>,
    pub page: Option<String>,
    /// Nothing is notified twice for the same reason.
    #[sea_orm(unique)]
    pub dedup_key: String,
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// One accepted `wx.requestSubscribeMessage` = one send of that template.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscribe_credits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub template_id: String,
    /// The notification holding (or that spent) it.
    pub notification_id: Option<i64>,
    pub spent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// A mini-program visit opened from a card in a group (`wx.getGroupEnterInfo`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "group_visits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// The customer group's chat id, when WeCom could resolve the group.
    pub chat_id: Option<String>,
    pub group_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// A WeCom callback already taken in (`dedup_key`: the message id), with the reply it got.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bot_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub dedup_key: String,
    /// `app` or `robot`.
    pub endpoint: String,
    pub chat_id: Option<String>,
    pub from_user: String,
    /// The demand the message filed, if it filed one.
    pub demand_id: Option<i64>,
    /// None while the first delivery is still being answered.
    pub reply: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

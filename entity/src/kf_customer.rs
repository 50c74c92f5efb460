use sea_orm::entity::prelude::*;

/// A WeChat user speaking to 微信客服: their window and the group they came from.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kf_customers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub external_userid: String,
    pub open_kfid: String,
    /// The customer group whose link they came through (the link's scene).
    pub group_id: Option<i64>,
    /// When they last wrote: the 48-hour window runs from here.
    pub last_in_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

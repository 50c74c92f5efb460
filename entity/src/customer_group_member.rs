use sea_orm::entity::prelude::*;

/// A member of a customer group: staff (type 1) or a WeChat user (type 2).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_group_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub group_id: i64,
    pub member_userid: String,
    /// 1 = a corp member, 2 = an external contact (WeChat user).
    pub member_type: i16,
    /// Present when the corp is bound to the WeChat open platform.
    pub unionid: Option<String>,
    pub joined_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

use crate::codes::CustomerGroupStatus;

/// A WeCom customer group (客户群) a butler owns, as synced from WeCom.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub chat_id: String,
    pub name: String,
    /// The owner's WeCom userid (a butler).
    pub owner_userid: String,
    pub status: CustomerGroupStatus,
    pub member_count: i32,
    /// Members who are WeChat users (type 2), not the corp's staff.
    pub external_count: i32,
    /// The 微信客服 link with this group's scene.
    #[sea_orm(column_type = "Text", nullable)]
    pub kf_link: Option<String>,
    pub synced_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

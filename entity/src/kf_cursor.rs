use sea_orm::entity::prelude::*;

/// Where `kf/sync_msg` stopped for one 客服 account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kf_cursors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub open_kfid: String,
    #[sea_orm(column_type = "Text")]
    pub cursor: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

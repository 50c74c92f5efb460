use sea_orm::entity::prelude::*;

/// People who follow a demand besides its submitter (e.g. after a merge).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "demand_followers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub demand_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

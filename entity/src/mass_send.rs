use sea_orm::entity::prelude::*;

use crate::codes::MassSendState;

/// A confirmed-send task (企业群发) for one butler's groups on one day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mass_sends")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_userid: String,
    pub day: Date,
    pub state: MassSendState,
    /// WeCom's task id, once created.
    pub msgid: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    /// JSON array of policy ids, in the order of the cards.
    pub policy_ids: Json,
    pub created_at: DateTimeUtc,
    pub reminded_at: Option<DateTimeUtc>,
    pub checked_at: Option<DateTimeUtc>,
    pub confirmed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

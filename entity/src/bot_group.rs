use sea_orm::entity::prelude::*;

use crate::codes::GroupStatus;

/// An enterprise group chat with a group robot the bot pushes to.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bot_groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// The webhook key: a secret (never returned whole, never logged).
    pub webhook_key: String,
    /// The intelligent robot's chat id for this group, when known.
    pub chat_id: Option<String>,
    /// JSON array, e.g. the park and the industry.
    pub tags: Json,
    /// `active`, or `bad_key` after WeCom refused the key (93000).
    pub status: GroupStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("bot_group::Model")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("chat_id", &self.chat_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

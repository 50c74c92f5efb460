//! WeCom: which person a WeCom user id is (bound with a one-time code from the bot), and the
//! callbacks already answered (WeCom retries; a retry gets the same reply and files nothing).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WecomBindings {
    Table,
    Id,
    WecomUserId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BotMessages {
    Table,
    Id,
    DedupKey,
    Endpoint,
    ChatId,
    FromUser,
    DemandId,
    Reply,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WecomBindings::Table)
                    .col(big_pk_auto(WecomBindings::Id))
                    .col(string_uniq(WecomBindings::WecomUserId))
                    .col(big_integer(WecomBindings::UserId))
                    .col(timestamp_with_time_zone(WecomBindings::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BotMessages::Table)
                    .col(big_pk_auto(BotMessages::Id))
                    .col(string_uniq(BotMessages::DedupKey))
                    .col(string(BotMessages::Endpoint))
                    .col(string_null(BotMessages::ChatId))
                    .col(string(BotMessages::FromUser))
                    .col(big_integer_null(BotMessages::DemandId))
                    .col(text_null(BotMessages::Reply))
                    .col(timestamp_with_time_zone(BotMessages::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BotMessages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WecomBindings::Table).to_owned())
            .await
    }
}

//! Enterprise group chats the bot pushes to (through each group's webhook), the enterprises a
//! group serves, the policies that have reached each group (at most once), and the push
//! outbox: one row per message piece, sent once.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BotGroups {
    Table,
    Id,
    Name,
    WebhookKey,
    ChatId,
    Tags,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BotGroupEnterprises {
    Table,
    Id,
    GroupId,
    EnterpriseId,
}

#[derive(DeriveIden)]
enum BotGroupPolicies {
    Table,
    Id,
    GroupId,
    PolicyId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BotPushes {
    Table,
    Id,
    GroupId,
    Kind,
    DedupKey,
    Content,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedAt,
    SentAt,
    LastError,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BotGroups::Table)
                    .col(big_pk_auto(BotGroups::Id))
                    .col(string(BotGroups::Name))
                    .col(string(BotGroups::WebhookKey))
                    .col(string_null(BotGroups::ChatId))
                    .col(json(BotGroups::Tags))
                    .col(string(BotGroups::Status))
                    .col(timestamp_with_time_zone(BotGroups::CreatedAt))
                    .col(timestamp_with_time_zone(BotGroups::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BotGroupEnterprises::Table)
                    .col(big_pk_auto(BotGroupEnterprises::Id))
                    .col(big_integer(BotGroupEnterprises::GroupId))
                    .col(big_integer(BotGroupEnterprises::EnterpriseId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_bot_group_enterprise")
                    .table(BotGroupEnterprises::Table)
                    .col(BotGroupEnterprises::GroupId)
                    .col(BotGroupEnterprises::EnterpriseId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bot_group_enterprises_enterprise")
                    .table(BotGroupEnterprises::Table)
                    .col(BotGroupEnterprises::EnterpriseId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BotGroupPolicies::Table)
                    .col(big_pk_auto(BotGroupPolicies::Id))
                    .col(big_integer(BotGroupPolicies::GroupId))
                    .col(big_integer(BotGroupPolicies::PolicyId))
                    .col(timestamp_with_time_zone(BotGroupPolicies::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_bot_group_policy")
                    .table(BotGroupPolicies::Table)
                    .col(BotGroupPolicies::GroupId)
                    .col(BotGroupPolicies::PolicyId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BotPushes::Table)
                    .col(big_pk_auto(BotPushes::Id))
                    .col(big_integer(BotPushes::GroupId))
                    .col(string(BotPushes::Kind))
                    .col(string_uniq(BotPushes::DedupKey))
                    .col(text(BotPushes::Content))
                    .col(string(BotPushes::Status))
                    .col(integer(BotPushes::Attempts))
                    .col(timestamp_with_time_zone(BotPushes::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(BotPushes::ClaimedAt))
                    .col(timestamp_with_time_zone_null(BotPushes::SentAt))
                    .col(text_null(BotPushes::LastError))
                    .col(timestamp_with_time_zone(BotPushes::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bot_pushes_due")
                    .table(BotPushes::Table)
                    .col(BotPushes::Status)
                    .col(BotPushes::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BotPushes::Table.into_iden(),
            BotGroupPolicies::Table.into_iden(),
            BotGroupEnterprises::Table.into_iden(),
            BotGroups::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

//! The new-enterprise call-back programme: one task per new enterprise, assigned to a butler,
//! due in N working days, with its attempts and the answers of the call.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CallbackTasks {
    Table,
    Id,
    EnterpriseId,
    ButlerId,
    DueOn,
    Status,
    Attempts,
    LastAttemptAt,
    Answers,
    DemandId,
    CompletedAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CallbackTasks::Table)
                    .col(big_pk_auto(CallbackTasks::Id))
                    .col(big_integer_uniq(CallbackTasks::EnterpriseId))
                    .col(big_integer_null(CallbackTasks::ButlerId))
                    .col(date(CallbackTasks::DueOn))
                    .col(string(CallbackTasks::Status))
                    .col(integer(CallbackTasks::Attempts))
                    .col(timestamp_with_time_zone_null(CallbackTasks::LastAttemptAt))
                    .col(json_null(CallbackTasks::Answers))
                    .col(big_integer_null(CallbackTasks::DemandId))
                    .col(timestamp_with_time_zone_null(CallbackTasks::CompletedAt))
                    .col(timestamp_with_time_zone(CallbackTasks::CreatedAt))
                    .col(timestamp_with_time_zone(CallbackTasks::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_callback_tasks_butler_status")
                    .table(CallbackTasks::Table)
                    .col(CallbackTasks::ButlerId)
                    .col(CallbackTasks::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CallbackTasks::Table).to_owned())
            .await
    }
}

//! The hotline's phone system: each staff member's extension (the agent name the phone system
//! uses for them), and the call log the phone system's events write.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Extension,
}

#[derive(DeriveIden)]
enum Calls {
    Table,
    Id,
    CallId,
    FromNumber,
    ToNumber,
    Direction,
    Agent,
    AgentUserId,
    EnterpriseId,
    Status,
    StartedAt,
    AnsweredAt,
    EndedAt,
    DemandId,
    ResolvedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_null(Users::Extension))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_extension")
                    .table(Users::Table)
                    .col(Users::Extension)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Calls::Table)
                    .col(big_pk_auto(Calls::Id))
                    .col(string_uniq(Calls::CallId))
                    .col(string(Calls::FromNumber))
                    .col(string(Calls::ToNumber))
                    .col(string(Calls::Direction))
                    .col(string_null(Calls::Agent))
                    .col(big_integer_null(Calls::AgentUserId))
                    .col(big_integer_null(Calls::EnterpriseId))
                    .col(string(Calls::Status))
                    .col(timestamp_with_time_zone(Calls::StartedAt))
                    .col(timestamp_with_time_zone_null(Calls::AnsweredAt))
                    .col(timestamp_with_time_zone_null(Calls::EndedAt))
                    .col(big_integer_null(Calls::DemandId))
                    .col(timestamp_with_time_zone_null(Calls::ResolvedAt))
                    .col(timestamp_with_time_zone(Calls::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_calls_status", vec![Calls::Status, Calls::Id]),
            ("idx_calls_agent", vec![Calls::AgentUserId, Calls::Id]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Calls::Table);
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Calls::Table).to_owned()).await?;
        manager
            .drop_index(Index::drop().name("idx_users_extension").table(Users::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::Extension)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

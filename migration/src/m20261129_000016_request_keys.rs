//! A demand remembers the `Idempotency-Key` it was submitted under, unique per submitter: a
//! retry after a crash between the demand's commit and the key's answer finds the demand
//! instead of filing it twice.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Demands {
    Table,
    SubmitterId,
    RequestKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Demands::Table)
                    .add_column(string_null(Demands::RequestKey))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_demands_submitter_request_key")
                    .table(Demands::Table)
                    .col(Demands::SubmitterId)
                    .col(Demands::RequestKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_demands_submitter_request_key")
                    .table(Demands::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Demands::Table)
                    .drop_column(Demands::RequestKey)
                    .to_owned(),
            )
            .await
    }
}

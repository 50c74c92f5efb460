//! Supervision activities of the entrepreneurs' supervision committee.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SupervisionActivities {
    Table,
    Id,
    SupervisorId,
    Kind,
    Day,
    Place,
    Notes,
    Photos,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SupervisionActivityEnterprises {
    Table,
    ActivityId,
    EnterpriseId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SupervisionActivities::Table)
                    .col(big_pk_auto(SupervisionActivities::Id))
                    .col(big_integer(SupervisionActivities::SupervisorId))
                    .col(string(SupervisionActivities::Kind))
                    .col(date(SupervisionActivities::Day))
                    .col(string(SupervisionActivities::Place))
                    .col(text(SupervisionActivities::Notes))
                    .col(json(SupervisionActivities::Photos))
                    .col(timestamp_with_time_zone(SupervisionActivities::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SupervisionActivityEnterprises::Table)
                    .col(big_integer(SupervisionActivityEnterprises::ActivityId))
                    .col(big_integer(SupervisionActivityEnterprises::EnterpriseId))
                    .primary_key(
                        Index::create()
                            .col(SupervisionActivityEnterprises::ActivityId)
                            .col(SupervisionActivityEnterprises::EnterpriseId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SupervisionActivityEnterprises::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SupervisionActivities::Table).to_owned())
            .await
    }
}

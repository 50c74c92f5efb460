//! 「企业之声」 reports: one row per kind and period, numbered within its kind, holding the
//! figures it was written with (the HTML and Excel are rendered from them).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    Kind,
    Number,
    PeriodFrom,
    PeriodTo,
    Data,
    GeneratedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(big_pk_auto(Reports::Id))
                    .col(string(Reports::Kind))
                    .col(integer(Reports::Number))
                    .col(date(Reports::PeriodFrom))
                    .col(date(Reports::PeriodTo))
                    .col(json(Reports::Data))
                    .col(timestamp_with_time_zone(Reports::GeneratedAt))
                    .col(timestamp_with_time_zone(Reports::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, second) in [
            ("uq_reports_kind_period", Reports::PeriodFrom),
            ("uq_reports_kind_number", Reports::Number),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Reports::Table)
                        .col(Reports::Kind)
                        .col(second)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Reports::Table).to_owned()).await
    }
}

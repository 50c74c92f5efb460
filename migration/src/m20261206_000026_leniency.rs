//! The zone's 轻微违法免罚 / 首违不罚 lists, imported from a sheet and published.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LeniencyItems {
    Table,
    Id,
    List,
    Item,
    LegalBasis,
    Conditions,
    UnitId,
    PublishedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LeniencyItems::Table)
                    .col(big_pk_auto(LeniencyItems::Id))
                    .col(string(LeniencyItems::List))
                    .col(text(LeniencyItems::Item))
                    .col(text(LeniencyItems::LegalBasis))
                    .col(text(LeniencyItems::Conditions))
                    .col(big_integer(LeniencyItems::UnitId))
                    .col(timestamp_with_time_zone_null(LeniencyItems::PublishedAt))
                    .col(timestamp_with_time_zone(LeniencyItems::CreatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LeniencyItems::Table).to_owned())
            .await
    }
}

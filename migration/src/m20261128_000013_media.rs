//! Media observers' observations (a finding may become a demand) and publicity records.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MediaObservations {
    Table,
    Id,
    AuthorId,
    Kind,
    Title,
    Content,
    EventId,
    FileIds,
    DemandId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PublicityRecords {
    Table,
    Id,
    AuthorId,
    Outlet,
    Level,
    Title,
    Link,
    PublishedOn,
    EventId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MediaObservations::Table)
                    .col(big_pk_auto(MediaObservations::Id))
                    .col(big_integer(MediaObservations::AuthorId))
                    .col(string(MediaObservations::Kind))
                    .col(string(MediaObservations::Title))
                    .col(text(MediaObservations::Content))
                    .col(big_integer_null(MediaObservations::EventId))
                    .col(json(MediaObservations::FileIds))
                    .col(big_integer_null(MediaObservations::DemandId))
                    .col(timestamp_with_time_zone(MediaObservations::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_media_observations_author")
                    .table(MediaObservations::Table)
                    .col(MediaObservations::AuthorId)
                    .col(MediaObservations::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PublicityRecords::Table)
                    .col(big_pk_auto(PublicityRecords::Id))
                    .col(big_integer(PublicityRecords::AuthorId))
                    .col(string(PublicityRecords::Outlet))
                    .col(string(PublicityRecords::Level))
                    .col(string(PublicityRecords::Title))
                    .col(string_null(PublicityRecords::Link))
                    .col(date(PublicityRecords::PublishedOn))
                    .col(big_integer_null(PublicityRecords::EventId))
                    .col(timestamp_with_time_zone(PublicityRecords::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_publicity_records_published_on")
                    .table(PublicityRecords::Table)
                    .col(PublicityRecords::PublishedOn)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PublicityRecords::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MediaObservations::Table).to_owned())
            .await
    }
}

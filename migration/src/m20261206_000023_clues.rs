//! Conduct clues for discipline staff (问题线索): the clues, their reporters kept in a table of
//! their own (an anonymous reporter is in nothing discipline staff read), each clue's handling
//! history, the typical cases published and the periodic bulletins.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Clues {
    Table,
    Id,
    Category,
    UnitId,
    Official,
    Content,
    HappenedOn,
    Anonymous,
    Source,
    DemandId,
    FileIds,
    Status,
    FastTrack,
    DueAt,
    Outcome,
    Persons,
    CreatedAt,
    AcceptedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum ClueReporters {
    Table,
    ClueId,
    UserId,
    Phone,
}

#[derive(DeriveIden)]
enum ClueEvents {
    Table,
    Id,
    ClueId,
    Action,
    ActorId,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ClueCases {
    Table,
    Id,
    ClueId,
    Title,
    Body,
    PublishedBy,
    PublishedAt,
}

#[derive(DeriveIden)]
enum ClueBulletins {
    Table,
    Id,
    Number,
    PeriodFrom,
    PeriodTo,
    Data,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Clues::Table)
                    .col(big_pk_auto(Clues::Id))
                    .col(string(Clues::Category))
                    .col(big_integer_null(Clues::UnitId))
                    .col(string_null(Clues::Official))
                    .col(text(Clues::Content))
                    .col(date_null(Clues::HappenedOn))
                    .col(boolean(Clues::Anonymous))
                    .col(string(Clues::Source))
                    .col(big_integer_null(Clues::DemandId).unique_key())
                    .col(json(Clues::FileIds))
                    .col(string(Clues::Status))
                    .col(boolean(Clues::FastTrack))
                    .col(timestamp_with_time_zone(Clues::DueAt))
                    .col(string_null(Clues::Outcome))
                    .col(integer_null(Clues::Persons))
                    .col(timestamp_with_time_zone(Clues::CreatedAt))
                    .col(timestamp_with_time_zone_null(Clues::AcceptedAt))
                    .col(timestamp_with_time_zone_null(Clues::ClosedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_clues_status")
                    .table(Clues::Table)
                    .col(Clues::Status)
                    .col(Clues::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_clues_created")
                    .table(Clues::Table)
                    .col(Clues::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClueReporters::Table)
                    .col(big_integer(ClueReporters::ClueId).primary_key())
                    .col(big_integer_null(ClueReporters::UserId))
                    .col(string_null(ClueReporters::Phone))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_clue_reporters_user")
                    .table(ClueReporters::Table)
                    .col(ClueReporters::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClueEvents::Table)
                    .col(big_pk_auto(ClueEvents::Id))
                    .col(big_integer(ClueEvents::ClueId))
                    .col(string(ClueEvents::Action))
                    .col(big_integer_null(ClueEvents::ActorId))
                    .col(text_null(ClueEvents::Note))
                    .col(timestamp_with_time_zone(ClueEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_clue_events_clue")
                    .table(ClueEvents::Table)
                    .col(ClueEvents::ClueId)
                    .col(ClueEvents::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClueCases::Table)
                    .col(big_pk_auto(ClueCases::Id))
                    .col(big_integer(ClueCases::ClueId))
                    .col(string(ClueCases::Title))
                    .col(text(ClueCases::Body))
                    .col(big_integer(ClueCases::PublishedBy))
                    .col(timestamp_with_time_zone(ClueCases::PublishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClueBulletins::Table)
                    .col(big_pk_auto(ClueBulletins::Id))
                    .col(integer(ClueBulletins::Number).unique_key())
                    .col(date(ClueBulletins::PeriodFrom))
                    .col(date(ClueBulletins::PeriodTo))
                    .col(json(ClueBulletins::Data))
                    .col(big_integer(ClueBulletins::CreatedBy))
                    .col(timestamp_with_time_zone(ClueBulletins::CreatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ClueBulletins::Table.into_iden(),
            ClueCases::Table.into_iden(),
            ClueEvents::Table.into_iden(),
            ClueReporters::Table.into_iden(),
            Clues::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

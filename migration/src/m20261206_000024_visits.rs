//! Butler visits by enterprise class (三上门): the visits, and the visit interval of each
//! service tier where admins changed it from its default.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Visits {
    Table,
    Id,
    EnterpriseId,
    ButlerId,
    Kind,
    VisitedOn,
    PeopleMet,
    PolicyIds,
    DemandIds,
    Notes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum VisitIntervals {
    Table,
    Tier,
    Days,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Visits::Table)
                    .col(big_pk_auto(Visits::Id))
                    .col(big_integer(Visits::EnterpriseId))
                    .col(big_integer(Visits::ButlerId))
                    .col(string(Visits::Kind))
                    .col(date(Visits::VisitedOn))
                    .col(string(Visits::PeopleMet))
                    .col(json(Visits::PolicyIds))
                    .col(json(Visits::DemandIds))
                    .col(text_null(Visits::Notes))
                    .col(timestamp_with_time_zone(Visits::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // The last visit of each enterprise (the due list), the visits of a period (coverage).
        manager
            .create_index(
                Index::create()
                    .name("idx_visits_enterprise")
                    .table(Visits::Table)
                    .col(Visits::EnterpriseId)
                    .col(Visits::VisitedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_visits_day")
                    .table(Visits::Table)
                    .col(Visits::VisitedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VisitIntervals::Table)
                    .col(string(VisitIntervals::Tier).primary_key())
                    .col(integer(VisitIntervals::Days))
                    .col(timestamp_with_time_zone(VisitIntervals::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [VisitIntervals::Table.into_iden(), Visits::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

//! On-site inspections of enterprises (涉企行政检查) and the enterprises' ratings of them.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Inspections {
    Table,
    Id,
    EnterpriseId,
    UnitIds,
    Joint,
    Inspectors,
    Purpose,
    LegalBasis,
    InspectedOn,
    RegisteredBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InspectionRatings {
    Table,
    Id,
    InspectionId,
    UserId,
    Proper,
    Comment,
    DemandId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Inspections::Table)
                    .col(big_pk_auto(Inspections::Id))
                    .col(big_integer(Inspections::EnterpriseId))
                    .col(json(Inspections::UnitIds))
                    .col(boolean(Inspections::Joint))
                    .col(string(Inspections::Inspectors))
                    .col(text(Inspections::Purpose))
                    .col(text(Inspections::LegalBasis))
                    .col(date(Inspections::InspectedOn))
                    .col(big_integer(Inspections::RegisteredBy))
                    .col(timestamp_with_time_zone(Inspections::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_inspections_enterprise", Inspections::EnterpriseId),
            ("idx_inspections_day", Inspections::InspectedOn),
        ] {
            manager
                .create_index(Index::create().name(name).table(Inspections::Table).col(col).to_owned())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(InspectionRatings::Table)
                    .col(big_pk_auto(InspectionRatings::Id))
                    .col(big_integer(InspectionRatings::InspectionId))
                    .col(big_integer(InspectionRatings::UserId))
                    .col(boolean(InspectionRatings::Proper))
                    .col(text_null(InspectionRatings::Comment))
                    .col(big_integer_null(InspectionRatings::DemandId))
                    .col(timestamp_with_time_zone(InspectionRatings::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_inspection_ratings_once")
                    .table(InspectionRatings::Table)
                    .col(InspectionRatings::InspectionId)
                    .col(InspectionRatings::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [InspectionRatings::Table.into_iden(), Inspections::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

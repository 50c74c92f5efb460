//! Mystery-shopper weeks: targets, assignments with check-ins, reports as form submissions.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MsTargets {
    Table,
    Id,
    EventId,
    Name,
    UnitId,
    Address,
    Latitude,
    Longitude,
    RadiusM,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MsAssignments {
    Table,
    Id,
    EventId,
    TargetId,
    OfficerId,
    WindowStart,
    WindowEnd,
    CheckedInAt,
    CheckInLat,
    CheckInLng,
    SubmissionId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FormSubmissions {
    Table,
    AssignmentId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MsTargets::Table)
                    .col(big_pk_auto(MsTargets::Id))
                    .col(big_integer(MsTargets::EventId))
                    .col(string(MsTargets::Name))
                    .col(big_integer(MsTargets::UnitId))
                    .col(string_null(MsTargets::Address))
                    .col(double_null(MsTargets::Latitude))
                    .col(double_null(MsTargets::Longitude))
                    .col(integer_null(MsTargets::RadiusM))
                    .col(timestamp_with_time_zone(MsTargets::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MsAssignments::Table)
                    .col(big_pk_auto(MsAssignments::Id))
                    .col(big_integer(MsAssignments::EventId))
                    .col(big_integer(MsAssignments::TargetId))
                    .col(big_integer(MsAssignments::OfficerId))
                    .col(timestamp_with_time_zone(MsAssignments::WindowStart))
                    .col(timestamp_with_time_zone(MsAssignments::WindowEnd))
                    .col(timestamp_with_time_zone_null(MsAssignments::CheckedInAt))
                    .col(double_null(MsAssignments::CheckInLat))
                    .col(double_null(MsAssignments::CheckInLng))
                    .col(big_integer_null(MsAssignments::SubmissionId))
                    .col(timestamp_with_time_zone(MsAssignments::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ms_assignments_officer")
                    .table(MsAssignments::Table)
                    .col(MsAssignments::OfficerId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(FormSubmissions::Table)
                    .add_column(big_integer_null(FormSubmissions::AssignmentId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(FormSubmissions::Table)
                    .drop_column(FormSubmissions::AssignmentId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(MsAssignments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MsTargets::Table).to_owned())
            .await
    }
}

//! Action-plan supervision: plans hold items (tasks and problem-list items alike: an owner unit,
//! a deadline, a status), tasks carry milestones, and progress notes carry evidence files.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
    Title,
    Description,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlanItems {
    Table,
    Id,
    PlanId,
    Kind,
    Title,
    Aspect,
    UnitId,
    Lead,
    Deadline,
    Milestones,
    Status,
    Progress,
    OverdueFlaggedAt,
    CompletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlanNotes {
    Table,
    Id,
    ItemId,
    AuthorId,
    Text,
    Progress,
    FileIds,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Plans::Table)
                    .col(big_pk_auto(Plans::Id))
                    .col(string(Plans::Title))
                    .col(text_null(Plans::Description))
                    .col(big_integer_null(Plans::CreatedBy))
                    .col(timestamp_with_time_zone(Plans::CreatedAt))
                    .col(timestamp_with_time_zone(Plans::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanItems::Table)
                    .col(big_pk_auto(PlanItems::Id))
                    .col(big_integer(PlanItems::PlanId))
                    .col(string(PlanItems::Kind))
                    .col(string(PlanItems::Title))
                    .col(string_null(PlanItems::Aspect))
                    .col(big_integer(PlanItems::UnitId))
                    .col(string_null(PlanItems::Lead))
                    .col(date(PlanItems::Deadline))
                    .col(json(PlanItems::Milestones))
                    .col(string(PlanItems::Status))
                    .col(integer(PlanItems::Progress))
                    .col(timestamp_with_time_zone_null(PlanItems::OverdueFlaggedAt))
                    .col(timestamp_with_time_zone_null(PlanItems::CompletedAt))
                    .col(timestamp_with_time_zone(PlanItems::CreatedAt))
                    .col(timestamp_with_time_zone(PlanItems::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_plan_items_plan", PlanItems::PlanId),
            ("idx_plan_items_unit", PlanItems::UnitId),
            ("idx_plan_items_deadline", PlanItems::Deadline),
        ] {
            manager
                .create_index(Index::create().name(name).table(PlanItems::Table).col(col).to_owned())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(PlanNotes::Table)
                    .col(big_pk_auto(PlanNotes::Id))
                    .col(big_integer(PlanNotes::ItemId))
                    .col(big_integer(PlanNotes::AuthorId))
                    .col(text(PlanNotes::Text))
                    .col(integer_null(PlanNotes::Progress))
                    .col(json(PlanNotes::FileIds))
                    .col(timestamp_with_time_zone(PlanNotes::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_notes_item")
                    .table(PlanNotes::Table)
                    .col(PlanNotes::ItemId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlanNotes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PlanItems::Table).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(Plans::Table).to_owned()).await
    }
}

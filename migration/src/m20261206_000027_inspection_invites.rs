//! Officers and media observers invited to an on-site inspection, with what they observed.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InspectionInvites {
    Table,
    Id,
    InspectionId,
    UserId,
    Observation,
    ObservedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InspectionInvites::Table)
                    .col(big_pk_auto(InspectionInvites::Id))
                    .col(big_integer(InspectionInvites::InspectionId))
                    .col(big_integer(InspectionInvites::UserId))
                    .col(text_null(InspectionInvites::Observation))
                    .col(timestamp_with_time_zone_null(InspectionInvites::ObservedAt))
                    .col(timestamp_with_time_zone(InspectionInvites::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_inspection_invites_once")
                    .table(InspectionInvites::Table)
                    .col(InspectionInvites::InspectionId)
                    .col(InspectionInvites::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_inspection_invites_user")
                    .table(InspectionInvites::Table)
                    .col(InspectionInvites::UserId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(InspectionInvites::Table).to_owned())
            .await
    }
}

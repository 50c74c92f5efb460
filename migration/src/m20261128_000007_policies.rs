//! Policies (政策): the 明白纸 explainer, full text, tags and eligibility conditions as JSON;
//! and their deliveries to people, at most one per policy and person.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Policies {
    Table,
    Id,
    Title,
    Issuer,
    DocNumber,
    PublishedOn,
    EffectiveOn,
    ExpiresOn,
    ApplyBy,
    ForWhom,
    Benefits,
    HowToApply,
    Contact,
    FullText,
    Tags,
    Conditions,
    Attachments,
    Status,
    CreatedBy,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PolicyDeliveries {
    Table,
    Id,
    PolicyId,
    UserId,
    EnterpriseId,
    Via,
    CreatedAt,
    ReadAt,
    AckedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Policies::Table)
                    .col(big_pk_auto(Policies::Id))
                    .col(string(Policies::Title))
                    .col(string(Policies::Issuer))
                    .col(string_null(Policies::DocNumber))
                    .col(date_null(Policies::PublishedOn))
                    .col(date_null(Policies::EffectiveOn))
                    .col(date_null(Policies::ExpiresOn))
                    .col(date_null(Policies::ApplyBy))
                    .col(text(Policies::ForWhom))
                    .col(text(Policies::Benefits))
                    .col(text(Policies::HowToApply))
                    .col(text(Policies::Contact))
                    .col(text(Policies::FullText))
                    .col(json(Policies::Tags))
                    .col(json(Policies::Conditions))
                    .col(json(Policies::Attachments))
                    .col(string(Policies::Status))
                    .col(big_integer(Policies::CreatedBy))
                    .col(timestamp_with_time_zone_null(Policies::PublishedAt))
                    .col(timestamp_with_time_zone(Policies::CreatedAt))
                    .col(timestamp_with_time_zone(Policies::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_policies_status")
                    .table(Policies::Table)
                    .col(Policies::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PolicyDeliveries::Table)
                    .col(big_pk_auto(PolicyDeliveries::Id))
                    .col(big_integer(PolicyDeliveries::PolicyId))
                    .col(big_integer(PolicyDeliveries::UserId))
                    .col(big_integer_null(PolicyDeliveries::EnterpriseId))
                    .col(string(PolicyDeliveries::Via))
                    .col(timestamp_with_time_zone(PolicyDeliveries::CreatedAt))
                    .col(timestamp_with_time_zone_null(PolicyDeliveries::ReadAt))
                    .col(timestamp_with_time_zone_null(PolicyDeliveries::AckedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PolicyDeliveries::Table, PolicyDeliveries::PolicyId)
                            .to(Policies::Table, Policies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_policy_deliveries_policy_user")
                    .table(PolicyDeliveries::Table)
                    .col(PolicyDeliveries::PolicyId)
                    .col(PolicyDeliveries::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_policy_deliveries_user")
                    .table(PolicyDeliveries::Table)
                    .col(PolicyDeliveries::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PolicyDeliveries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Policies::Table).to_owned())
            .await
    }
}

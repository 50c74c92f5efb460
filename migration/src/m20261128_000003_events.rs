//! Engagement programs: versioned form templates, events with their audience, complaint-day
//! posts with 同感, and form submissions.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FormTemplates {
    Table,
    Id,
    Key,
    Version,
    Title,
    Body,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Kind,
    Title,
    Theme,
    Description,
    OpensAt,
    ClosesAt,
    Status,
    AudienceRoles,
    FormTemplateId,
    CreatedBy,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EventInvites {
    Table,
    EventId,
    EnterpriseId,
}

#[derive(DeriveIden)]
enum Complaints {
    Table,
    Id,
    EventId,
    AuthorId,
    EnterpriseId,
    Anonymous,
    Environment,
    Content,
    Photos,
    MetooCount,
    Hidden,
    HiddenReason,
    HiddenBy,
    DemandId,
    ContentCheck,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ComplaintMetoos {
    Table,
    ComplaintId,
    UserId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FormTemplates::Table)
                    .col(big_pk_auto(FormTemplates::Id))
                    .col(string(FormTemplates::Key))
                    .col(integer(FormTemplates::Version))
                    .col(string(FormTemplates::Title))
                    .col(json(FormTemplates::Body))
                    .col(big_integer_null(FormTemplates::CreatedBy))
                    .col(timestamp_with_time_zone(FormTemplates::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_form_templates_key_version")
                    .table(FormTemplates::Table)
                    .col(FormTemplates::Key)
                    .col(FormTemplates::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(big_pk_auto(Events::Id))
                    .col(string(Events::Kind))
                    .col(string(Events::Title))
                    .col(string_null(Events::Theme))
                    .col(text_null(Events::Description))
                    .col(timestamp_with_time_zone(Events::OpensAt))
                    .col(timestamp_with_time_zone(Events::ClosesAt))
                    .col(string(Events::Status))
                    .col(json(Events::AudienceRoles))
                    .col(big_integer_null(Events::FormTemplateId))
                    .col(big_integer_null(Events::CreatedBy))
                    .col(timestamp_with_time_zone_null(Events::PublishedAt))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Events::Table, Events::FormTemplateId)
                            .to(FormTemplates::Table, FormTemplates::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_status")
                    .table(Events::Table)
                    .col(Events::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventInvites::Table)
                    .col(big_integer(EventInvites::EventId))
                    .col(big_integer(EventInvites::EnterpriseId))
                    .primary_key(
                        Index::create()
                            .col(EventInvites::EventId)
                            .col(EventInvites::EnterpriseId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventInvites::Table, EventInvites::EventId)
                            .to(Events::Table, Events::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Complaints::Table)
                    .col(big_pk_auto(Complaints::Id))
                    .col(big_integer(Complaints::EventId))
                    .col(big_integer(Complaints::AuthorId))
                    .col(big_integer_null(Complaints::EnterpriseId))
                    .col(boolean(Complaints::Anonymous))
                    .col(string(Complaints::Environment))
                    .col(text(Complaints::Content))
                    .col(json(Complaints::Photos))
                    .col(integer(Complaints::MetooCount))
                    .col(boolean(Complaints::Hidden))
                    .col(text_null(Complaints::HiddenReason))
                    .col(big_integer_null(Complaints::HiddenBy))
                    .col(big_integer_null(Complaints::DemandId))
                    .col(string(Complaints::ContentCheck))
                    .col(timestamp_with_time_zone(Complaints::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Complaints::Table, Complaints::EventId)
                            .to(Events::Table, Events::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_complaints_event")
                    .table(Complaints::Table)
                    .col(Complaints::EventId)
                    .col(Complaints::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ComplaintMetoos::Table)
                    .col(big_integer(ComplaintMetoos::ComplaintId))
                    .col(big_integer(ComplaintMetoos::UserId))
                    .col(timestamp_with_time_zone(ComplaintMetoos::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(ComplaintMetoos::ComplaintId)
                            .col(ComplaintMetoos::UserId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ComplaintMetoos::Table.into_iden(),
            Complaints::Table.into_iden(),
            EventInvites::Table.into_iden(),
            Events::Table.into_iden(),
            FormTemplates::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

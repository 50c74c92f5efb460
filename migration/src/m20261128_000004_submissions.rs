//! Form submissions (scorecards now, checklists later) and the publication of results.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FormSubmissions {
    Table,
    Id,
    EventId,
    TemplateId,
    SubmitterId,
    EnterpriseId,
    OnceKey,
    Answers,
    Findings,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    ResultsPublishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FormSubmissions::Table)
                    .col(big_pk_auto(FormSubmissions::Id))
                    .col(big_integer(FormSubmissions::EventId))
                    .col(big_integer(FormSubmissions::TemplateId))
                    .col(big_integer(FormSubmissions::SubmitterId))
                    .col(big_integer_null(FormSubmissions::EnterpriseId))
                    // What may be answered only once (an enterprise per round), made unique.
                    .col(string_uniq(FormSubmissions::OnceKey))
                    .col(json(FormSubmissions::Answers))
                    .col(json(FormSubmissions::Findings))
                    .col(timestamp_with_time_zone(FormSubmissions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_form_submissions_event")
                    .table(FormSubmissions::Table)
                    .col(FormSubmissions::EventId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(timestamp_with_time_zone_null(Events::ResultsPublishedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(Events::ResultsPublishedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(FormSubmissions::Table).to_owned())
            .await
    }
}

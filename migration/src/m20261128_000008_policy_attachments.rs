//! Policy attachments as rows (uploaded through the files endpoint), so a file's readers can
//! be found from the file; they replace the JSON list on the policy, which was never filled.
//! And a revision on every policy, raised by every write, so a replica can tell cheaply whether
//! its compiled copy of the published conditions is still the table's.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Policies {
    Table,
    Attachments,
    Revision,
}

#[derive(DeriveIden)]
enum PolicyAttachments {
    Table,
    Id,
    PolicyId,
    FileId,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PolicyAttachments::Table)
                    .col(big_pk_auto(PolicyAttachments::Id))
                    .col(big_integer(PolicyAttachments::PolicyId))
                    .col(big_integer(PolicyAttachments::FileId))
                    .col(integer(PolicyAttachments::Position))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_policy_attachments_policy", PolicyAttachments::PolicyId),
            ("idx_policy_attachments_file", PolicyAttachments::FileId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(PolicyAttachments::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Policies::Table)
                    .drop_column(Policies::Attachments)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Policies::Table)
                    .add_column(big_integer(Policies::Revision).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Policies::Table)
                    .drop_column(Policies::Revision)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Policies::Table)
                    .add_column(json(Policies::Attachments).default("[]"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(PolicyAttachments::Table).to_owned())
            .await
    }
}

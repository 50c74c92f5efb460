//! Privacy (PIPL): the audit log of admin actions and of reads of protected identities, and
//! accounts deleted by their owner (anonymised, their demands kept).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorId,
    Action,
    ObjectType,
    ObjectId,
    Detail,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    DeletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(big_integer(AuditLog::ActorId))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::ObjectType))
                    .col(string_null(AuditLog::ObjectId))
                    .col(json_null(AuditLog::Detail))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_object")
                    .table(AuditLog::Table)
                    .col(AuditLog::ObjectType)
                    .col(AuditLog::ObjectId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_actor")
                    .table(AuditLog::Table)
                    .col(AuditLog::ActorId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::DeletedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::DeletedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await
    }
}

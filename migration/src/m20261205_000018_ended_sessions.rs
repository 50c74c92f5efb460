//! A person's standing, read with their roles, lists the sign-ins they ended recently (their
//! access tokens are refused until they expire): an index on each person's refresh tokens by
//! when they were revoked.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    UserId,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_tokens_user_revoked")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::UserId)
                    .col(RefreshTokens::RevokedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_refresh_tokens_user_revoked")
                    .table(RefreshTokens::Table)
                    .to_owned(),
            )
            .await
    }
}

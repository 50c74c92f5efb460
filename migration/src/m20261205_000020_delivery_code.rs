//! The code columns are typed enums now; one stored code, `self` (a policy a person found
//! themselves), is a Rust keyword and cannot name an enum variant: it becomes `own`.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("UPDATE policy_deliveries SET via = 'own' WHERE via = 'self'")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("UPDATE policy_deliveries SET via = 'self' WHERE via = 'own'")
            .await?;
        Ok(())
    }
}

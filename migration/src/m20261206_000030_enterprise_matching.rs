//! What a policy's matched set reads at 300,000 enterprises. On PostgreSQL the qualifications
//! become `jsonb`, so a condition on one (`@>`) is tested without parsing each row's text and
//! can use a GIN index; and an industry condition (a code prefix, `LIKE 'C27%'`) can read an
//! index whose operator class compares bytes (the database's collation is not `C`). SQLite
//! keeps its JSON text and needs neither.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for sql in [
            "ALTER TABLE enterprises ALTER COLUMN qualifications TYPE jsonb USING qualifications::jsonb",
            "CREATE INDEX idx_enterprises_qualifications ON enterprises USING GIN (qualifications jsonb_path_ops)",
            "CREATE INDEX idx_enterprises_industry ON enterprises (industry_code varchar_pattern_ops)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for sql in [
            "DROP INDEX idx_enterprises_industry",
            "DROP INDEX idx_enterprises_qualifications",
            "ALTER TABLE enterprises ALTER COLUMN qualifications TYPE json USING qualifications::json",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}

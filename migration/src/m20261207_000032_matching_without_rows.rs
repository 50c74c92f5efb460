//! What a policy's matched set reads at 300,000 enterprises, without the enterprises' rows.
//! Migration 30 let the database find the enterprises a condition names by an index, but it
//! then fetched each one's row to test the rest: the 15,000 of an industry class lie on every
//! page of the table, and the 85,714 that hold `高新技术企业` and are two years old are most of
//! it. On PostgreSQL, with every page visible, both are now read from an index alone:
//!
//! - The industry index also carries the other columns a condition tests (scale, district,
//!   registration day) and the id, so a condition on an industry with any of them, and its
//!   count, is a range of that index (`service::policies::matching::admitted`).
//! - Each enterprise's qualifications are kept in a table of their own, one row per
//!   qualification with the enterprise's registration day, so that conditions of
//!   qualifications and an age alone, and their count, are a range of its key
//!   (`service::policies::matching::Qualified`). Triggers keep the rows, whoever writes an
//!   enterprise: the string elements of its list (the strings `service::enterprises::labels`
//!   reads, and those `qualifications @> '["…"]'` finds), each once, written again when the list
//!   or the day changes; an enterprise's rows go with it. The rows of the enterprises already
//!   stored are written here.
//!
//! SQLite reads each row's list as before and needs none of it.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The rows of the enterprises in `new_rows`: each string of a list once.
const ROWS_OF_NEW: &str = "SELECT DISTINCT l #>> '{}', n.registered_at, n.id FROM new_rows n \
     CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(n.qualifications) \
     WHEN 'array' THEN n.qualifications ELSE '[]' END) l \
     WHERE jsonb_typeof(l) = 'string'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        let changed = "(n.qualifications, n.registered_at) IS DISTINCT FROM (o.qualifications, o.registered_at)";
        for sql in [
            "CREATE TABLE enterprise_qualifications (\
             qualification text NOT NULL, \
             registered_at date NOT NULL, \
             enterprise_id bigint NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE, \
             PRIMARY KEY (qualification, registered_at, enterprise_id))",
            "CREATE INDEX idx_enterprise_qualifications_enterprise \
             ON enterprise_qualifications (enterprise_id, qualification)",
            &format!(
                "CREATE FUNCTION enterprise_qualifications_added() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                 INSERT INTO enterprise_qualifications (qualification, registered_at, enterprise_id) {ROWS_OF_NEW}; \
                 RETURN NULL; \
                 END $$"
            ),
            &format!(
                "CREATE FUNCTION enterprise_qualifications_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                 DELETE FROM enterprise_qualifications q USING old_rows o JOIN new_rows n ON n.id = o.id \
                 WHERE q.enterprise_id = o.id AND {changed}; \
                 INSERT INTO enterprise_qualifications (qualification, registered_at, enterprise_id) \
                 {ROWS_OF_NEW} AND EXISTS (SELECT 1 FROM old_rows o WHERE o.id = n.id AND {changed}); \
                 RETURN NULL; \
                 END $$"
            ),
            "CREATE TRIGGER enterprise_qualifications_added AFTER INSERT ON enterprises \
             REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT \
             EXECUTE FUNCTION enterprise_qualifications_added()",
            "CREATE TRIGGER enterprise_qualifications_changed AFTER UPDATE ON enterprises \
             REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT \
             EXECUTE FUNCTION enterprise_qualifications_changed()",
            &format!(
                "INSERT INTO enterprise_qualifications (qualification, registered_at, enterprise_id) \
                 {}",
                ROWS_OF_NEW.replace("new_rows", "enterprises")
            ),
            "CREATE INDEX idx_enterprises_matching ON enterprises (industry_code varchar_pattern_ops) \
             INCLUDE (scale, district, registered_at, id)",
            "DROP INDEX idx_enterprises_industry",
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
            "CREATE INDEX idx_enterprises_industry ON enterprises (industry_code varchar_pattern_ops)",
            "DROP INDEX idx_enterprises_matching",
            "DROP TRIGGER enterprise_qualifications_changed ON enterprises",
            "DROP TRIGGER enterprise_qualifications_added ON enterprises",
            "DROP FUNCTION enterprise_qualifications_changed()",
            "DROP FUNCTION enterprise_qualifications_added()",
            "DROP TABLE enterprise_qualifications",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}

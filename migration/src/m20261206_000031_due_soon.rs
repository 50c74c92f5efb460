//! The queue's "due soon" tab reads the demands whose next deadline falls within a working day
//! by the deadline itself: one small index per deadline, holding only the demands in the
//! statuses that work towards it (`domain::queue::next_deadline`), so the tab's count reads the
//! few demands near their deadline rather than every open one.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, &str); 3] = [
    ("idx_demands_accept_due", "accept_due_at", "status = 'submitted'"),
    ("idx_demands_sign_due", "sign_due_at", "status = 'assigned'"),
    (
        "idx_demands_reply_due",
        "reply_due_at",
        "status IN ('assigned', 'in_progress', 'reopened')",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, column, statuses) in INDEXES {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON demands ({column}) WHERE {statuses}"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, _, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        Ok(())
    }
}

//! The open demands (every tab of the staff queue holds only those) in one small index that
//! carries what the queue's counts test, so counting reads the index alone: at a million
//! demands a few tens of thousands are open.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_demands_open ON demands (status, unit_id, butler_id, overdue, channel, \
                 accept_due_at, sign_due_at, reply_due_at, submitter_id, enterprise_id, anonymous, id) \
                 WHERE status IN ('submitted', 'accepted', 'reopened', 'assigned', 'in_progress', 'replied')",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX idx_demands_open")
            .await?;
        Ok(())
    }
}

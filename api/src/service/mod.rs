//! Use cases over `&impl ConnectionTrait`: the only code that touches `entity`, so the same
//! function runs alone or inside a transaction.
pub mod bindings;
pub mod calendar;
pub mod callbacks;
pub mod complaints;
pub mod dashboard;
pub mod demands;
pub mod demo;
pub mod enterprise_import;
pub mod enterprises;
pub mod events;
pub mod export;
pub mod files;
pub mod forms;
pub mod groups;
pub mod idempotency;
pub mod media;
pub mod mystery;
pub mod notify;
pub mod people;
pub mod plans;
pub mod policies;
pub mod privacy;
pub mod reply_templates;
pub mod reports;
pub mod sessions;
pub mod stats;
pub mod submissions;
pub mod supervision;
pub mod units;
pub mod wecom;

use sea_orm::DbErr;

/// True when the error is a unique-constraint violation (e.g. a concurrent insert won).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// Begins a transaction that writes. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), waiting up to the busy timeout for another writer: a deferred transaction that
/// read first would fail at its first write, without waiting, whenever another connection wrote
/// in between. PostgreSQL begins as usual. Every transaction here writes, so `begin` itself is
/// not used (clippy.toml).
pub async fn begin_write<C: sea_orm::TransactionTrait>(db: &C) -> Result<C::Transaction, sea_orm::DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

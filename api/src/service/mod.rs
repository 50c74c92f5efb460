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

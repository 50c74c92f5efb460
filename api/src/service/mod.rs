//! Use cases over `&impl ConnectionTrait`: the only code that touches `entity`, so the same
//! function runs alone or inside a transaction.
pub mod bindings;
pub mod calendar;
pub mod callbacks;
pub mod clues;
pub mod complaints;
pub mod console_login;
pub mod content;
pub mod customer_groups;
pub mod dashboard;
pub mod deadlines;
pub mod demands;
pub mod demo;
pub mod enterprise_import;
pub mod enterprises;
pub mod events;
pub mod export;
pub mod files;
pub mod forms;
pub mod group_visits;
pub mod groups;
pub mod hotline;
pub mod idempotency;
pub mod inspections;
pub mod kf;
pub mod leniency;
pub mod media;
pub mod mystery;
pub mod notify;
pub mod outbox;
pub mod people;
pub mod plans;
pub mod policies;
pub mod privacy;
pub mod reply_templates;
pub mod reports;
pub mod sessions;
pub mod sheet_import;
pub mod stats;
pub mod submissions;
pub mod supervision;
pub mod tallies;
pub mod units;
pub mod visits;
pub mod wecom;

use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{ColumnTrait, DbErr, ExprTrait};

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

/// `text` as a literal inside a LIKE pattern: `%`, `_` and the escape itself mean themselves.
pub(crate) fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The column contains `text` literally (a typed `%` is a percent sign, not a wildcard).
/// `ColumnTrait::contains` is disallowed (clippy.toml): it passes wildcards through.
pub fn contains(col: impl ColumnTrait, text: &str) -> Expr {
    Expr::col(col.as_column_ref()).like(LikeExpr::new(format!("%{}%", like_literal(text))).escape('\\'))
}

/// The column starts with `text` literally.
pub fn starts_with(col: impl ColumnTrait, text: &str) -> Expr {
    Expr::col(col.as_column_ref()).like(LikeExpr::new(format!("{}%", like_literal(text))).escape('\\'))
}

/// The column ends with `text` literally.
pub fn ends_with(col: impl ColumnTrait, text: &str) -> Expr {
    Expr::col(col.as_column_ref()).like(LikeExpr::new(format!("%{}", like_literal(text))).escape('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_typed_by_people_are_literal() {
        assert_eq!(like_literal("100%_a\\b"), "100\\%\\_a\\\\b");
        assert_eq!(like_literal("出口退税"), "出口退税");
    }
}

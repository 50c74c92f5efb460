//! The staff queue's counts without reading every open demand: the open demands tallied by what
//! the tabs test (status, overdue, channel) and by whom they wait for (unit, butler).
//!
//! - **Kept like the figures' tallies** (`service::tallies`): triggers on `demands` append a
//!   written row's change (its old place taken away, its new one added) to
//!   `demand_queue_deltas`, in the move's own transaction and without waiting for another
//!   writer; the `tally` job folds the deltas into `demand_queue_tallies`; a read adds the deltas
//!   not yet folded, so the counts are exact at once.
//! - **What is left to read**: the demands due soon, which depends on the hour. They are few, and
//!   are read by their deadlines (one partial index per deadline, migration 31).
//! - **Made with the figures' tallies**: `tallies::install` makes these tables and triggers
//!   under the same stored definition and fills them from the demands when it changes.
use entity::demand;
use sea_orm::sea_query::{Alias, Expr, IntoColumnRef, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, QueryTrait};

use super::visibility::{Horizon, due_soon, works_on_by};
use crate::domain::access::Principal;
use crate::domain::demand::{Channel, Status};
use crate::domain::queue::Tab;
use crate::error::ApiResult;
use crate::service::tallies;

const TALLY: &str = "demand_queue_tallies";
const DELTAS: &str = "demand_queue_deltas";
const FUNCTION: &str = "demand_queue_delta";
const TRIGGERS: [&str; 3] = ["demand_queue_insert", "demand_queue_update", "demand_queue_delete"];
const KEY: &str = "status, overdue, channel, unit_id, butler_id";

/// The open statuses as an SQL list.
fn open_list() -> String {
    Tab::open()
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key of row `r` (`NEW`, `OLD` or a table's alias): unit and butler 0 when there is none.
fn key_of(r: &str) -> String {
    format!("{r}.status, {r}.overdue, {r}.channel, COALESCE({r}.unit_id, 0), COALESCE({r}.butler_id, 0)")
}

/// The delta of row `r`, added (`+`) or taken away (`-`), when the row is open.
fn delta_insert(r: &str, sign: &str) -> String {
    format!(
        "INSERT INTO {DELTAS} ({KEY}, n) SELECT {}, {sign}1 WHERE {r}.status IN ({})",
        key_of(r),
        open_list()
    )
}

/// The statements that make the tables and triggers, in order.
pub(crate) fn definition(backend: DbBackend) -> Vec<String> {
    let columns = "status VARCHAR(64) NOT NULL, overdue BOOLEAN NOT NULL, channel VARCHAR(64) NOT NULL, \
                   unit_id BIGINT NOT NULL, butler_id BIGINT NOT NULL, n BIGINT NOT NULL";
    let id = match backend {
        DbBackend::Postgres => "id BIGSERIAL PRIMARY KEY",
        _ => "id INTEGER PRIMARY KEY",
    };
    let mut ddl = vec![
        format!("CREATE TABLE {TALLY} ({columns}, PRIMARY KEY ({KEY}))"),
        format!("CREATE TABLE {DELTAS} ({id}, {columns})"),
    ];
    let (old, new) = (delta_insert("OLD", "-"), delta_insert("NEW", "+"));
    let moved = ["status", "overdue", "channel"]
        .iter()
        .map(|c| format!("OLD.{c} <> NEW.{c}"))
        .chain(
            ["unit_id", "butler_id"]
                .iter()
                .map(|c| format!("COALESCE(OLD.{c}, 0) <> COALESCE(NEW.{c}, 0)")),
        )
        .collect::<Vec<_>>()
        .join(" OR ");
    ddl.extend(tallies::delta_triggers(backend, FUNCTION, TRIGGERS, &old, &new, &moved));
    ddl
}

/// The statements that remove them.
pub(crate) fn drops(backend: DbBackend) -> Vec<String> {
    let mut sql = tallies::trigger_drops(backend, FUNCTION, TRIGGERS);
    sql.push(format!("DROP TABLE IF EXISTS {DELTAS}"));
    sql.push(format!("DROP TABLE IF EXISTS {TALLY}"));
    sql
}

async fn exec(db: &impl ConnectionTrait, sql: String) -> ApiResult<u64> {
    let done = db
        .execute_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql))
        .await?;
    Ok(done.rows_affected())
}

/// Empties the tally and its deltas and counts the open demands again.
pub(crate) async fn refill(db: &impl ConnectionTrait) -> ApiResult<()> {
    exec(db, format!("DELETE FROM {DELTAS}")).await?;
    exec(db, format!("DELETE FROM {TALLY}")).await?;
    exec(
        db,
        format!(
            "INSERT INTO {TALLY} ({KEY}, n) SELECT {}, COUNT(*) FROM demands d WHERE d.status IN ({}) \
             GROUP BY 1, 2, 3, 4, 5",
            key_of("d"),
            open_list()
        ),
    )
    .await?;
    Ok(())
}

/// Moves the deltas into the tally, in the caller's transaction. Returns how many tally rows it
/// changed.
pub(crate) async fn fold(txn: &impl ConnectionTrait) -> ApiResult<u64> {
    let upsert = format!("ON CONFLICT ({KEY}) DO UPDATE SET n = {TALLY}.n + excluded.n");
    match txn.get_database_backend() {
        DbBackend::Postgres => {
            // One statement, so one snapshot: exactly the deltas deleted are added.
            exec(
                txn,
                format!(
                    "WITH gone AS (DELETE FROM {DELTAS} RETURNING {KEY}, n) \
                     INSERT INTO {TALLY} ({KEY}, n) SELECT {KEY}, SUM(n) FROM gone GROUP BY {KEY} {upsert}"
                ),
            )
            .await
        }
        _ => {
            // One writer at a time: everything read is everything deleted.
            exec(
                txn,
                format!(
                    "INSERT INTO {TALLY} ({KEY}, n) SELECT {KEY}, SUM(n) FROM {DELTAS} WHERE 1 = 1 \
                     GROUP BY {KEY} {upsert}"
                ),
            )
            .await?;
            exec(txn, format!("DELETE FROM {DELTAS}")).await
        }
    }
}

/// The open demands of one status, overdue or not, and channel, and how many are due soon.
#[derive(Debug, FromQueryResult)]
pub struct Group {
    pub status: Status,
    pub overdue: bool,
    pub channel: Channel,
    pub n: i64,
    pub soon: i64,
}

/// The open demands `auth` works on, grouped, from the tally, and how many of each group are due
/// soon, from the deadlines: one statement, so both are read at one moment.
pub(super) async fn groups(db: &impl ConnectionTrait, auth: &Principal, h: Horizon) -> ApiResult<Vec<Group>> {
    let on = |table: &str| {
        let col = |c: &str| (Alias::new(table), Alias::new(c)).into_column_ref();
        works_on_by(auth, col("butler_id"), col("unit_id"))
    };
    let kept = |table: &str| -> SelectStatement {
        Query::select()
            .columns(["status", "overdue", "channel", "n"].map(Alias::new))
            .expr_as(Expr::cust("0"), Alias::new("soon"))
            .from(Alias::new(table))
            .cond_where(on(table))
            .take()
    };
    // Every status `due_soon` names is open (`DeadlineKind::statuses`, checked by
    // `a_deadline_counts_only_in_open_statuses_and_covers_every_next_deadline`): testing that
    // again would make PostgreSQL guess that almost nothing matches and walk the open demands'
    // index instead of the deadlines'.
    let soon = demand::Entity::find()
        .filter(on("demands"))
        .filter(due_soon(h))
        .select_only()
        .columns([demand::Column::Status, demand::Column::Overdue, demand::Column::Channel])
        .expr_as(Expr::cust("0"), "n")
        .expr_as(Expr::cust("1"), "soon")
        .into_query();
    let mut all = kept(TALLY);
    all.union(UnionType::All, kept(DELTAS)).union(UnionType::All, soon);
    let grouped = Query::select()
        .columns(["status", "overdue", "channel"].map(Alias::new))
        .expr_as(Expr::cust("CAST(SUM(n) AS BIGINT)"), Alias::new("n"))
        .expr_as(Expr::cust("CAST(SUM(soon) AS BIGINT)"), Alias::new("soon"))
        .from_subquery(all, Alias::new("t"))
        .group_by_columns(["status", "overdue", "channel"].map(Alias::new))
        .take();
    let backend = db.get_database_backend();
    Ok(Group::find_by_statement(backend.build(&grouped)).all(db).await?)
}

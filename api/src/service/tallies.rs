//! Demand figures that do not grow with history: tallies per day, week and month, unit,
//! environment and channel, of what each demand adds to each count (`stats::PER_DEMAND`).
//!
//! - **In the same transaction as each move.** Triggers on `demands` append what a written row
//!   changed (its old contribution taken away, its new one added) to `demand_tally_deltas`. An
//!   append never waits for another writer, so filing and moving demands do not queue on a
//!   shared counter row.
//! - **Folded by a job.** `fold` moves the deltas into `demand_tallies` (the `tally` job, every
//!   few seconds); a read adds the deltas not yet folded, so figures are exact at once.
//! - **Read by cover.** A period is read as its whole months, whole weeks and days
//!   (`domain::figures::cover`): a year is twelve rows per slice, at 10,000 demands or 10 million.
//!   Parts of a day at either end of a period are counted from the demands themselves.
//! - **Two shapes.** Every read groups by unit, or by channel and environment, or by nothing (a
//!   sum of either), so each bucket is kept by unit and, apart, by channel and environment
//!   (`Shape`), never by their product: a province's 40 units, channels and environments would
//!   make that thousands of rows a day, each read on every figure.
//! - **The queue's counts** are kept the same way (`demands::queue_tally`), made, refilled and
//!   folded with these.
//! - **Derived, like an index.** The tables and triggers are generated from `PER_DEMAND` at
//!   start-up (`install`, under the migration lock). When the generated definition differs from the
//!   one the database holds (first start, or a measure changed), they are made again and refilled
//!   from the demands in one transaction.
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::domain::figures::{Grain, Span, cover, epoch_day, week_bucket};
use crate::domain::time::SHANGHAI_OFFSET_SECS;
use crate::error::ApiResult;
use crate::service::demands::queue_tally;
use crate::service::stats::{Counts, GroupBy, PER_DEMAND};

const TALLIES: &str = "demand_tallies";
const DELTAS: &str = "demand_tally_deltas";
const META: &str = "demand_tally_meta";
const TRIGGERS: [&str; 3] = ["demand_tally_insert", "demand_tally_update", "demand_tally_delete"];
const FUNCTION: &str = "demand_tally_delta";

/// The slices a tally row counts: one unit (channel and environment left empty), or one
/// channel and environment (unit 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Unit,
    ChannelEnvironment,
}

impl Shape {
    const ALL: [Shape; 2] = [Shape::Unit, Shape::ChannelEnvironment];

    fn code(self) -> &'static str {
        match self {
            Self::Unit => "u",
            Self::ChannelEnvironment => "c",
        }
    }

    /// The key written for a source row with `unit_id`, `environment` and `channel`, and what
    /// the rows are grouped by.
    fn key(self) -> (&'static str, &'static str) {
        match self {
            Self::Unit => ("unit_id, '', ''", "unit_id"),
            Self::ChannelEnvironment => ("0, environment, channel", "environment, channel"),
        }
    }

    /// The shape that answers a grouping (no grouping: the sum of the units, the fewer rows).
    fn reading(group_by: Option<GroupBy>) -> Self {
        match group_by {
            None | Some(GroupBy::Unit) => Self::Unit,
            Some(GroupBy::Environment | GroupBy::Channel | GroupBy::ChannelEnvironment) => Self::ChannelEnvironment,
        }
    }
}

/// The local (Asia/Shanghai) day number of row `r`'s filing.
fn day_of(backend: DbBackend, r: &str) -> String {
    let off = SHANGHAI_OFFSET_SECS;
    match backend {
        DbBackend::Postgres => {
            format!("CAST(FLOOR((EXTRACT(EPOCH FROM {r}.created_at) + {off}) / 86400) AS BIGINT)")
        }
        _ => format!("((CAST(strftime('%s', {r}.created_at) AS INTEGER) + {off}) / 86400)"),
    }
}

/// The local month bucket (`year * 12 + month - 1`) of row `r`'s filing.
fn month_of(backend: DbBackend, r: &str) -> String {
    let off = SHANGHAI_OFFSET_SECS;
    match backend {
        DbBackend::Postgres => {
            let local = format!("(({r}.created_at AT TIME ZONE 'UTC') + INTERVAL '{off} seconds')");
            format!("CAST(EXTRACT(YEAR FROM {local}) * 12 + EXTRACT(MONTH FROM {local}) - 1 AS BIGINT)")
        }
        _ => format!(
            "(CAST(strftime('%Y', {r}.created_at, '+{off} seconds') AS INTEGER) * 12 \
             + CAST(strftime('%m', {r}.created_at, '+{off} seconds') AS INTEGER) - 1)"
        ),
    }
}

/// Each count's contribution of row `r`.
fn contributions(r: &str) -> impl Iterator<Item = String> + '_ {
    PER_DEMAND.iter().map(move |(_, e)| e.replace("{d}", r))
}

fn measures() -> String {
    PER_DEMAND.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

fn sums() -> String {
    PER_DEMAND
        .iter()
        .map(|(n, _)| format!("SUM({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn measure_columns() -> String {
    PER_DEMAND
        .iter()
        .map(|(n, _)| format!(", {n} BIGINT NOT NULL DEFAULT 0"))
        .collect()
}

/// The delta row of `r` (`NEW` or `OLD`), added (`+`) or taken away (`-`).
fn delta_insert(backend: DbBackend, r: &str, sign: &str) -> String {
    let values: Vec<String> = contributions(r).map(|c| format!("{sign}({c})")).collect();
    format!(
        "INSERT INTO {DELTAS} (day, month, unit_id, environment, channel, {}) \
         VALUES ({}, {}, COALESCE({r}.unit_id, 0), {r}.environment, {r}.channel, {})",
        measures(),
        day_of(backend, r),
        month_of(backend, r),
        values.join(", ")
    )
}

/// An update matters when it moves the row to another slice or changes what it adds.
fn update_matters() -> String {
    let mut parts = vec![
        "OLD.created_at <> NEW.created_at".to_owned(),
        "COALESCE(OLD.unit_id, 0) <> COALESCE(NEW.unit_id, 0)".to_owned(),
        "OLD.environment <> NEW.environment".to_owned(),
        "OLD.channel <> NEW.channel".to_owned(),
    ];
    parts.extend(
        contributions("OLD")
            .zip(contributions("NEW"))
            .map(|(o, n)| format!("({o}) <> ({n})")),
    );
    parts.join(" OR ")
}

/// The statements that make the tables and triggers, in order.
fn definition(backend: DbBackend) -> Vec<String> {
    let key = "unit_id BIGINT NOT NULL, environment VARCHAR(64) NOT NULL, channel VARCHAR(64) NOT NULL";
    let id = match backend {
        DbBackend::Postgres => "id BIGSERIAL PRIMARY KEY",
        _ => "id INTEGER PRIMARY KEY",
    };
    let mut ddl = vec![
        format!(
            "CREATE TABLE {TALLIES} (grain VARCHAR(1) NOT NULL, shape VARCHAR(1) NOT NULL, \
             bucket BIGINT NOT NULL, {key}{}, \
             PRIMARY KEY (grain, shape, bucket, unit_id, environment, channel))",
            measure_columns()
        ),
        format!(
            "CREATE TABLE {DELTAS} ({id}, day BIGINT NOT NULL, month BIGINT NOT NULL, {key}{})",
            measure_columns()
        ),
    ];
    let (old, new) = (delta_insert(backend, "OLD", "-"), delta_insert(backend, "NEW", "+"));
    ddl.extend(delta_triggers(
        backend,
        FUNCTION,
        TRIGGERS,
        &old,
        &new,
        &update_matters(),
    ));
    ddl
}

/// The statements that make triggers on `demands` appending a written row's change: `old`
/// (the old row taken away) after an update or a delete, `new` (the new row added) after an
/// insert or an update, and an update only when `matters` holds. On PostgreSQL the three share
/// one trigger function, `function`.
pub(crate) fn delta_triggers(
    backend: DbBackend,
    function: &str,
    [on_insert, on_update, on_delete]: [&str; 3],
    old: &str,
    new: &str,
    matters: &str,
) -> Vec<String> {
    let mut ddl = Vec::new();
    match backend {
        DbBackend::Postgres => {
            ddl.push(format!(
                "CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF TG_OP <> 'INSERT' THEN {old}; END IF; \
                 IF TG_OP <> 'DELETE' THEN {new}; END IF; \
                 RETURN NULL; END $$"
            ));
            for (name, event) in [(on_insert, "INSERT"), (on_update, "UPDATE"), (on_delete, "DELETE")] {
                let when = if event == "UPDATE" {
                    format!(" WHEN ({matters})")
                } else {
                    String::new()
                };
                ddl.push(format!(
                    "CREATE TRIGGER {name} AFTER {event} ON demands FOR EACH ROW{when} \
                     EXECUTE FUNCTION {function}()"
                ));
            }
        }
        _ => {
            ddl.push(format!(
                "CREATE TRIGGER {on_insert} AFTER INSERT ON demands BEGIN {new}; END"
            ));
            ddl.push(format!(
                "CREATE TRIGGER {on_update} AFTER UPDATE ON demands WHEN ({matters}) BEGIN {old}; {new}; END"
            ));
            ddl.push(format!(
                "CREATE TRIGGER {on_delete} AFTER DELETE ON demands BEGIN {old}; END"
            ));
        }
    }
    ddl
}

/// The statements that remove what `delta_triggers` made.
pub(crate) fn trigger_drops(backend: DbBackend, function: &str, triggers: [&str; 3]) -> Vec<String> {
    let on = if backend == DbBackend::Postgres {
        " ON demands"
    } else {
        ""
    };
    let mut sql: Vec<String> = triggers
        .iter()
        .map(|t| format!("DROP TRIGGER IF EXISTS {t}{on}"))
        .collect();
    if backend == DbBackend::Postgres {
        sql.push(format!("DROP FUNCTION IF EXISTS {function}()"));
    }
    sql
}

fn drops(backend: DbBackend) -> Vec<String> {
    let mut sql = trigger_drops(backend, FUNCTION, TRIGGERS);
    sql.push(format!("DROP TABLE IF EXISTS {DELTAS}"));
    sql.push(format!("DROP TABLE IF EXISTS {TALLIES}"));
    sql.extend(queue_tally::drops(backend));
    sql
}

async fn rows(db: &impl ConnectionTrait, sql: String) -> ApiResult<Vec<sea_orm::QueryResult>> {
    Ok(db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?)
}

async fn exec(db: &impl ConnectionTrait, sql: &str) -> ApiResult<()> {
    db.execute_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await?;
    Ok(())
}

/// Makes the tables and triggers when the database does not hold this definition yet, and
/// fills the tallies from the demands. Called at start-up under the migration lock.
pub async fn install(db: &DatabaseConnection) -> ApiResult<()> {
    let backend = db.get_database_backend();
    let mut ddl = definition(backend);
    ddl.extend(queue_tally::definition(backend));
    let wanted = ddl.join(";\n");
    exec(
        db,
        &format!("CREATE TABLE IF NOT EXISTS {META} (id INTEGER PRIMARY KEY, definition TEXT NOT NULL)"),
    )
    .await?;
    let held = db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT definition FROM {META} WHERE id = 1"),
        ))
        .await?
        .and_then(|r| r.try_get::<String>("", "definition").ok());
    if held.as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let txn = crate::service::begin_write(db).await?;
    for sql in drops(backend).iter().chain(ddl.iter()) {
        exec(&txn, sql).await?;
    }
    let rows = refill(&txn).await?;
    exec(&txn, &format!("DELETE FROM {META}")).await?;
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        match backend {
            DbBackend::Postgres => format!("INSERT INTO {META} (id, definition) VALUES (1, $1)"),
            _ => format!("INSERT INTO {META} (id, definition) VALUES (1, ?)"),
        },
        [wanted.into()],
    ))
    .await?;
    txn.commit().await?;
    tracing::info!(
        tallies = rows,
        ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        "demand tallies made from the demands"
    );
    Ok(())
}

/// The three grains in both shapes of a source with `day` and `month` columns, summed into the
/// tallies.
fn fold_from(source: &str, filter: &str, upsert: bool) -> Vec<String> {
    let on_conflict = if upsert {
        let set: Vec<String> = PER_DEMAND
            .iter()
            .map(|(n, _)| format!("{n} = {TALLIES}.{n} + excluded.{n}"))
            .collect();
        format!(
            " ON CONFLICT (grain, shape, bucket, unit_id, environment, channel) DO UPDATE SET {}",
            set.join(", ")
        )
    } else {
        String::new()
    };
    let grains = [
        (Grain::Day, "day"),
        (Grain::Week, "(day + 3) / 7"),
        (Grain::Month, "month"),
    ];
    grains
        .iter()
        .flat_map(|g| Shape::ALL.iter().map(move |s| (g, s)))
        .map(|((grain, bucket), shape)| {
            let (key, group) = shape.key();
            format!(
                "INSERT INTO {TALLIES} (grain, shape, bucket, unit_id, environment, channel, {}) \
                 SELECT '{}', '{}', {bucket}, {key}, {} FROM {source} WHERE {filter} \
                 GROUP BY {bucket}, {group}{on_conflict}",
                measures(),
                grain.code(),
                shape.code(),
                sums(),
            )
        })
        .collect()
}

/// Empties the tallies and the deltas, the queue's too, and counts every demand again. Returns
/// the figures' tally rows.
pub async fn refill(db: &impl ConnectionTrait) -> ApiResult<u64> {
    let backend = db.get_database_backend();
    queue_tally::refill(db).await?;
    exec(db, &format!("DELETE FROM {DELTAS}")).await?;
    exec(db, &format!("DELETE FROM {TALLIES}")).await?;
    let per_row: Vec<String> = contributions("d")
        .zip(PER_DEMAND.iter())
        .map(|(c, (n, _))| format!("{c} AS {n}"))
        .collect();
    let source = format!(
        "(SELECT {} AS day, {} AS month, COALESCE(d.unit_id, 0) AS unit_id, d.environment AS environment, \
         d.channel AS channel, {} FROM demands d) t",
        day_of(backend, "d"),
        month_of(backend, "d"),
        per_row.join(", ")
    );
    for sql in fold_from(&source, "1 = 1", false) {
        exec(db, &sql).await?;
    }
    let n = db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {TALLIES}"),
        ))
        .await?
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Moves the deltas into the tallies, the queue's too. Returns how many deltas it folded.
pub async fn fold(db: &DatabaseConnection) -> ApiResult<u64> {
    let txn = crate::service::begin_write(db).await?;
    let folded = fold_figures(&txn).await? + queue_tally::fold(&txn).await?;
    txn.commit().await?;
    Ok(folded)
}

async fn fold_figures(txn: &impl ConnectionTrait) -> ApiResult<u64> {
    let backend = txn.get_database_backend();
    let folded = match backend {
        DbBackend::Postgres => {
            // One statement, so one snapshot: exactly the deltas deleted are added, whatever
            // commits meanwhile (ids from a sequence may commit out of order).
            let folds: Vec<String> = fold_from("gone", "1 = 1", true)
                .iter()
                .enumerate()
                .map(|(n, insert)| format!(", fold{n} AS ({insert} RETURNING 1)"))
                .collect();
            let sql = format!(
                "WITH gone AS (DELETE FROM {DELTAS} RETURNING *){} SELECT COUNT(*) AS n FROM gone",
                folds.concat()
            );
            txn.query_one_raw(Statement::from_string(backend, sql))
                .await?
                .and_then(|r| r.try_get::<i64>("", "n").ok())
                .unwrap_or(0)
        }
        _ => {
            // One writer at a time: the deltas up to the last id are exactly those folded.
            let last = txn
                .query_one_raw(Statement::from_string(
                    backend,
                    format!("SELECT MAX(id) AS id FROM {DELTAS}"),
                ))
                .await?
                .and_then(|r| r.try_get::<Option<i64>>("", "id").ok().flatten());
            let Some(last) = last else {
                return Ok(0);
            };
            for sql in fold_from(DELTAS, &format!("id <= {last}"), true) {
                exec(txn, &sql).await?;
            }
            let gone = txn
                .execute_raw(Statement::from_string(
                    backend,
                    format!("DELETE FROM {DELTAS} WHERE id <= {last}"),
                ))
                .await?;
            i64::try_from(gone.rows_affected()).unwrap_or(i64::MAX)
        }
    };
    // A slice that lost its last demand stays as a row of zeros (reads leave it out): deleting
    // such rows would scan every tally on every fold.
    Ok(u64::try_from(folded).unwrap_or(0))
}

/// The counts of the demands filed on local days `from..to`, from the tallies and the deltas
/// not yet folded.
pub async fn counts(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
    group_by: Option<GroupBy>,
) -> ApiResult<Vec<Counts>> {
    let spans = cover(from, to);
    if spans.is_empty() {
        return Ok(Vec::new());
    }
    let in_spans: Vec<String> = spans
        .iter()
        .map(|Span { grain, lo, hi }| format!("(grain = '{}' AND bucket >= {lo} AND bucket < {hi})", grain.code()))
        .collect();
    let shape = Shape::reading(group_by).code();
    let columns = format!("unit_id, environment, channel, {}", measures());
    let casts: Vec<String> = PER_DEMAND
        .iter()
        .map(|(n, _)| format!("CAST(SUM({n}) AS BIGINT) AS {n}"))
        .collect();
    let (key, group) = match group_by {
        Some(g) => (format!("{} AS group_key, ", g.tally_key()), " GROUP BY 1".to_owned()),
        None => (String::new(), String::new()),
    };
    let sql = format!(
        "SELECT {key}{} FROM (SELECT {columns} FROM {TALLIES} WHERE shape = '{shape}' AND ({}) \
         UNION ALL SELECT {columns} FROM {DELTAS} WHERE day >= {} AND day < {}) t{group}",
        casts.join(", "),
        in_spans.join(" OR "),
        epoch_day(from),
        epoch_day(to),
    );
    Ok(rows(db, sql)
        .await?
        .iter()
        .map(|r| Counts::from_row(r, group_by.is_some()))
        .filter(|c| c.received > 0)
        .collect())
}

/// Demands filed in each week `from..to` (Mondays; `to` excluded), by the week's Monday.
pub async fn received_by_week(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<HashMap<NaiveDate, i64>> {
    let (lo, hi) = (week_bucket(epoch_day(from)), week_bucket(epoch_day(to)));
    let sql = format!(
        "SELECT bucket, CAST(SUM(received) AS BIGINT) AS received FROM ( \
         SELECT bucket, received FROM {TALLIES} WHERE grain = 'w' AND shape = '{}' AND bucket >= {lo} AND bucket < {hi} \
         UNION ALL SELECT (day + 3) / 7 AS bucket, received FROM {DELTAS} WHERE day >= {} AND day < {}) t \
         GROUP BY bucket",
        Shape::Unit.code(),
        epoch_day(from),
        epoch_day(to),
    );
    Ok(rows(db, sql)
        .await?
        .iter()
        .filter_map(|r| {
            let week: i64 = r.try_get("", "bucket").ok()?;
            let received: i64 = r.try_get::<Option<i64>>("", "received").ok().flatten()?;
            Some((NaiveDate::default() + Duration::days(week * 7 - 3), received))
        })
        .collect())
}

/// The local days wholly inside `from..to`, as day numbers `first..last` with their midnights.
pub fn whole_days(from: DateTime<Utc>, to: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
    let off = i64::from(SHANGHAI_OFFSET_SECS);
    let first = (from.timestamp() + off + 86_399).div_euclid(86_400);
    let last = (to.timestamp() + off).div_euclid(86_400);
    let day = |n: i64| NaiveDate::default() + Duration::days(n);
    (day(first), day(last.max(first)))
}

/// Midnight (Asia/Shanghai) starting local day `d`, as UTC.
pub fn midnight(d: NaiveDate) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(epoch_day(d) * 86_400 - i64::from(SHANGHAI_OFFSET_SECS), 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_days_are_the_local_days_inside_the_range() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Local midnight of 2026-12-01 is 16:00 UTC the day before.
        assert_eq!(
            whole_days(t("2026-11-30T16:00:00Z"), t("2026-12-07T16:00:00Z")),
            (d(2026, 12, 1), d(2026, 12, 8))
        );
        assert_eq!(
            whole_days(t("2026-11-30T16:00:01Z"), t("2026-12-07T15:59:59Z")),
            (d(2026, 12, 2), d(2026, 12, 7))
        );
        assert_eq!(midnight(d(2026, 12, 1)), t("2026-11-30T16:00:00Z"));
        // Less than a day: nothing whole.
        let (a, b) = whole_days(t("2026-12-01T01:00:00Z"), t("2026-12-01T02:00:00Z"));
        assert!(a >= b);
    }

    #[test]
    fn every_count_is_in_the_tables_and_both_triggers() {
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let ddl = definition(backend).join("\n");
            for (name, _) in PER_DEMAND {
                assert!(ddl.contains(&format!("{name} BIGINT NOT NULL DEFAULT 0")), "{name}");
            }
            assert_eq!(ddl.matches("CREATE TRIGGER").count(), 3);
        }
    }
}

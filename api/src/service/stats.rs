//! Demand figures for a period (demands received in it) and a slice. What each demand adds to
//! each count is defined once (`PER_DEMAND`, portable between SQLite and PostgreSQL: durations are
//! stored as seconds when each move happens, so a figure only counts and sums). The figures of
//! whole days are read from the kept tallies (`service::tallies`); parts of a day, and the
//! recount the tallies are checked against, from the demands themselves.
use chrono::{DateTime, Utc};
use entity::demand;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ConnectionTrait, ExprTrait, QueryResult};
use std::collections::BTreeMap;

pub use crate::domain::figures::{mean_hours, rate};
use crate::error::ApiResult;
use crate::service::tallies;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Unit,
    Environment,
    Channel,
    /// `channel|environment`: both groupings from one scan (`regroup` splits them).
    ChannelEnvironment,
}

impl GroupBy {
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "unit" => Some(Self::Unit),
            "environment" => Some(Self::Environment),
            "channel" => Some(Self::Channel),
            _ => None,
        }
    }
    fn column(self) -> &'static str {
        match self {
            Self::Unit => "unit_id",
            Self::Environment => "environment",
            Self::Channel => "channel",
            Self::ChannelEnvironment => "channel || '|' || environment",
        }
    }

    /// The group's key in the tallies, as text (no unit is kept as unit 0: read as none).
    pub fn tally_key(self) -> &'static str {
        match self {
            Self::Unit => "CAST(NULLIF(unit_id, 0) AS VARCHAR(64))",
            Self::Environment => "environment",
            Self::Channel => "channel",
            Self::ChannelEnvironment => "channel || '|' || environment",
        }
    }
}

/// Raw counts of one slice. Every field adds up across slices, so a total is the sum of its
/// groups (one scan of the period instead of two).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub key: Option<String>,
    pub received: i64,
    pub accepted: i64,
    pub rejected: i64,
    pub merged: i64,
    pub dispatched: i64,
    pub signed_in_time: i64,
    pub closed: i64,
    pub replied: i64,
    pub replied_in_time: i64,
    pub rated: i64,
    pub satisfied: i64,
    pub unreasonable: i64,
    pub returns: i64,
    pub bounced_secs: i64,
    pub extensions: i64,
    pub overdue: i64,
    pub accept_secs_sum: i64,
    pub accept_n: i64,
    pub sign_secs_sum: i64,
    pub sign_n: i64,
    pub reply_secs_sum: i64,
    pub reply_n: i64,
}

/// What one demand (the row `{d}`) adds to each count. Every contribution is a number, never
/// NULL, so a figure is a sum and a change of a demand is a difference.
pub const PER_DEMAND: &[(&str, &str)] = &[
    ("received", "1"),
    ("accepted", "CASE WHEN {d}.accepted_at IS NOT NULL THEN 1 ELSE 0 END"),
    ("rejected", "CASE WHEN {d}.status = 'rejected' THEN 1 ELSE 0 END"),
    ("merged", "CASE WHEN {d}.status = 'merged' THEN 1 ELSE 0 END"),
    ("dispatched", "CASE WHEN {d}.assigned_at IS NOT NULL THEN 1 ELSE 0 END"),
    ("signed_in_time", "CASE WHEN {d}.sign_late = FALSE THEN 1 ELSE 0 END"),
    ("closed", "CASE WHEN {d}.status = 'closed' THEN 1 ELSE 0 END"),
    ("replied", "CASE WHEN {d}.reply_late IS NOT NULL THEN 1 ELSE 0 END"),
    ("replied_in_time", "CASE WHEN {d}.reply_late = FALSE THEN 1 ELSE 0 END"),
    (
        "rated",
        "CASE WHEN {d}.rating_satisfied IS NOT NULL AND {d}.unreasonable = FALSE THEN 1 ELSE 0 END",
    ),
    (
        "satisfied",
        "CASE WHEN {d}.rating_satisfied = TRUE AND {d}.unreasonable = FALSE THEN 1 ELSE 0 END",
    ),
    ("unreasonable", "CASE WHEN {d}.unreasonable = TRUE THEN 1 ELSE 0 END"),
    ("returns", "{d}.returns"),
    ("bounced_secs", "{d}.bounced_secs"),
    ("extensions", "{d}.extensions"),
    ("overdue", "CASE WHEN {d}.overdue = TRUE THEN 1 ELSE 0 END"),
    ("accept_secs_sum", "COALESCE({d}.accept_secs, 0)"),
    ("accept_n", "CASE WHEN {d}.accept_secs IS NOT NULL THEN 1 ELSE 0 END"),
    ("sign_secs_sum", "COALESCE({d}.sign_secs, 0)"),
    ("sign_n", "CASE WHEN {d}.sign_secs IS NOT NULL THEN 1 ELSE 0 END"),
    ("reply_secs_sum", "COALESCE({d}.reply_secs, 0)"),
    ("reply_n", "CASE WHEN {d}.reply_secs IS NOT NULL THEN 1 ELSE 0 END"),
];

fn int(row: &QueryResult, col: &str) -> i64 {
    row.try_get::<Option<i64>>("", col).ok().flatten().unwrap_or(0)
}

/// The counts of demands filed from `from` to `to` (excluded), in slices when asked: whole local
/// days from the tallies, the parts of a day at either end from the demands.
pub async fn demand_counts(
    db: &impl ConnectionTrait,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    group_by: Option<GroupBy>,
) -> ApiResult<Vec<Counts>> {
    let (first, last) = tallies::whole_days(from, to);
    if first >= last {
        return recount(db, from, to, group_by).await;
    }
    let mut parts = tallies::counts(db, first, last, group_by).await?;
    let (start, end) = (tallies::midnight(first), tallies::midnight(last));
    if from < start {
        parts.extend(recount(db, from, start, group_by).await?);
    }
    if end < to {
        parts.extend(recount(db, end, to, group_by).await?);
    }
    Ok(Counts::merge(parts))
}

/// The same counts from the demands themselves, however many: the edges of a period, and what
/// the tallies are checked against.
pub async fn recount(
    db: &impl ConnectionTrait,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    group_by: Option<GroupBy>,
) -> ApiResult<Vec<Counts>> {
    let mut q = Query::select();
    q.from_as(demand::Entity, Alias::new("d"));
    for (name, expr) in PER_DEMAND {
        q.expr_as(
            Expr::cust(format!("CAST(SUM({}) AS BIGINT)", expr.replace("{d}", "d"))),
            Alias::new(*name),
        );
    }
    q.and_where(Expr::col(demand::Column::CreatedAt).gte(from))
        .and_where(Expr::col(demand::Column::CreatedAt).lt(to));
    if let Some(g) = group_by {
        // Cast so that unit ids and codes read back alike, as text. Grouping by the expression
        // (not the bare column) keeps SQLite from walking the unit index row by row to get the
        // groups in order, which is slower than one scan and a sort.
        let key = format!("CAST({} AS VARCHAR(64))", g.column());
        q.expr_as(Expr::cust(key.clone()), Alias::new("group_key"));
        q.add_group_by([Expr::cust(key)]);
    }
    let rows = db.query_all(&q).await?;
    Ok(Counts::merge(
        rows.iter().map(|r| Counts::from_row(r, group_by.is_some())).collect(),
    ))
}

impl Counts {
    /// A row read with a column per count (and `group_key` when grouped).
    pub fn from_row(r: &QueryResult, grouped: bool) -> Counts {
        Counts {
            key: grouped
                .then(|| r.try_get::<Option<String>>("", "group_key").ok().flatten())
                .flatten(),
            received: int(r, "received"),
            accepted: int(r, "accepted"),
            rejected: int(r, "rejected"),
            merged: int(r, "merged"),
            dispatched: int(r, "dispatched"),
            signed_in_time: int(r, "signed_in_time"),
            closed: int(r, "closed"),
            replied: int(r, "replied"),
            replied_in_time: int(r, "replied_in_time"),
            rated: int(r, "rated"),
            satisfied: int(r, "satisfied"),
            unreasonable: int(r, "unreasonable"),
            returns: int(r, "returns"),
            bounced_secs: int(r, "bounced_secs"),
            extensions: int(r, "extensions"),
            overdue: int(r, "overdue"),
            accept_secs_sum: int(r, "accept_secs_sum"),
            accept_n: int(r, "accept_n"),
            sign_secs_sum: int(r, "sign_secs_sum"),
            sign_n: int(r, "sign_n"),
            reply_secs_sum: int(r, "reply_secs_sum"),
            reply_n: int(r, "reply_n"),
        }
    }

    /// Parts of the same slices summed by key; slices with no demand left out; the most
    /// received first.
    pub fn merge(parts: Vec<Counts>) -> Vec<Counts> {
        let mut by: BTreeMap<Option<String>, Vec<Counts>> = BTreeMap::new();
        for c in parts {
            by.entry(c.key.clone()).or_default().push(c);
        }
        let mut out: Vec<Counts> = by
            .into_iter()
            .map(|(key, parts)| Counts {
                key,
                ..Counts::sum(&parts)
            })
            .filter(|c| c.received > 0)
            .collect();
        out.sort_by(|a, b| b.received.cmp(&a.received).then_with(|| a.key.cmp(&b.key)));
        out
    }

    pub fn sum<'a>(parts: impl IntoIterator<Item = &'a Counts>) -> Counts {
        parts.into_iter().fold(Counts::default(), |acc, c| Counts {
            key: None,
            received: acc.received + c.received,
            accepted: acc.accepted + c.accepted,
            rejected: acc.rejected + c.rejected,
            merged: acc.merged + c.merged,
            dispatched: acc.dispatched + c.dispatched,
            signed_in_time: acc.signed_in_time + c.signed_in_time,
            closed: acc.closed + c.closed,
            replied: acc.replied + c.replied,
            replied_in_time: acc.replied_in_time + c.replied_in_time,
            rated: acc.rated + c.rated,
            satisfied: acc.satisfied + c.satisfied,
            unreasonable: acc.unreasonable + c.unreasonable,
            returns: acc.returns + c.returns,
            bounced_secs: acc.bounced_secs + c.bounced_secs,
            extensions: acc.extensions + c.extensions,
            overdue: acc.overdue + c.overdue,
            accept_secs_sum: acc.accept_secs_sum + c.accept_secs_sum,
            accept_n: acc.accept_n + c.accept_n,
            sign_secs_sum: acc.sign_secs_sum + c.sign_secs_sum,
            sign_n: acc.sign_n + c.sign_n,
            reply_secs_sum: acc.reply_secs_sum + c.reply_secs_sum,
            reply_n: acc.reply_n + c.reply_n,
        })
    }
}

/// Rows grouped by `channel|environment`, summed by one part of the key (0: channel,
/// 1: environment), most received first.
pub fn regroup(rows: &[Counts], part: usize) -> Vec<Counts> {
    let mut by: std::collections::BTreeMap<String, Vec<&Counts>> = std::collections::BTreeMap::new();
    for r in rows {
        let key = r
            .key
            .as_deref()
            .and_then(|k| k.split('|').nth(part))
            .unwrap_or_default();
        by.entry(key.to_owned()).or_default().push(r);
    }
    let mut out: Vec<Counts> = by
        .into_iter()
        .map(|(key, parts)| Counts {
            key: Some(key),
            ..Counts::sum(parts)
        })
        .collect();
    out.sort_by(|a, b| b.received.cmp(&a.received).then_with(|| a.key.cmp(&b.key)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_scan_by_channel_and_environment_regroups_into_each() {
        let row = |key: &str, received: i64, closed: i64| Counts {
            key: Some(key.to_owned()),
            received,
            closed,
            ..Counts::default()
        };
        let rows = [
            row("miniprogram|service", 3, 1),
            row("hotline|service", 2, 2),
            row("miniprogram|policy", 4, 0),
        ];
        let channels = regroup(&rows, 0);
        assert_eq!(
            channels
                .iter()
                .map(|c| (c.key.as_deref().unwrap(), c.received, c.closed))
                .collect::<Vec<_>>(),
            [("miniprogram", 7, 1), ("hotline", 2, 2)]
        );
        let environments = regroup(&rows, 1);
        assert_eq!(
            environments
                .iter()
                .map(|c| (c.key.as_deref().unwrap(), c.received))
                .collect::<Vec<_>>(),
            [("service", 5), ("policy", 4)]
        );
        assert_eq!(Counts::sum(&channels).received, Counts::sum(&environments).received);
    }
}

//! Demand figures for a period (demands received in it) and a slice. One aggregate query,
//! portable between SQLite and PostgreSQL: durations are stored as seconds when each move
//! happens, so the query only counts and sums.
use chrono::{DateTime, Utc};
use entity::demand;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ConnectionTrait, ExprTrait, QueryResult};

pub use crate::domain::figures::{mean_hours, rate};
use crate::error::ApiResult;

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

const MEASURES: &[(&str, &str)] = &[
    ("received", "COUNT(*)"),
    ("accepted", "SUM(CASE WHEN accepted_at IS NOT NULL THEN 1 ELSE 0 END)"),
    ("rejected", "SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END)"),
    ("merged", "SUM(CASE WHEN status = 'merged' THEN 1 ELSE 0 END)"),
    ("dispatched", "SUM(CASE WHEN assigned_at IS NOT NULL THEN 1 ELSE 0 END)"),
    ("signed_in_time", "SUM(CASE WHEN sign_late = FALSE THEN 1 ELSE 0 END)"),
    ("closed", "SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END)"),
    ("replied", "SUM(CASE WHEN reply_late IS NOT NULL THEN 1 ELSE 0 END)"),
    ("replied_in_time", "SUM(CASE WHEN reply_late = FALSE THEN 1 ELSE 0 END)"),
    (
        "rated",
        "SUM(CASE WHEN rating_satisfied IS NOT NULL AND unreasonable = FALSE THEN 1 ELSE 0 END)",
    ),
    (
        "satisfied",
        "SUM(CASE WHEN rating_satisfied = TRUE AND unreasonable = FALSE THEN 1 ELSE 0 END)",
    ),
    ("unreasonable", "SUM(CASE WHEN unreasonable = TRUE THEN 1 ELSE 0 END)"),
    ("returns", "CAST(SUM(returns) AS BIGINT)"),
    ("bounced_secs", "CAST(SUM(bounced_secs) AS BIGINT)"),
    ("extensions", "CAST(SUM(extensions) AS BIGINT)"),
    ("overdue", "SUM(CASE WHEN overdue = TRUE THEN 1 ELSE 0 END)"),
    ("accept_secs_sum", "CAST(SUM(accept_secs) AS BIGINT)"),
    ("accept_n", "COUNT(accept_secs)"),
    ("sign_secs_sum", "CAST(SUM(sign_secs) AS BIGINT)"),
    ("sign_n", "COUNT(sign_secs)"),
    ("reply_secs_sum", "CAST(SUM(reply_secs) AS BIGINT)"),
    ("reply_n", "COUNT(reply_secs)"),
];

fn int(row: &QueryResult, col: &str) -> i64 {
    row.try_get::<Option<i64>>("", col).ok().flatten().unwrap_or(0)
}

pub async fn demand_counts(
    db: &impl ConnectionTrait,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    group_by: Option<GroupBy>,
) -> ApiResult<Vec<Counts>> {
    let mut q = Query::select();
    q.from(demand::Entity);
    for (name, expr) in MEASURES {
        q.expr_as(Expr::cust(*expr), Alias::new(*name));
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
    Ok(rows
        .iter()
        .map(|r| Counts {
            key: group_by.and_then(|_| r.try_get::<Option<String>>("", "group_key").ok().flatten()),
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
        })
        .filter(|c| c.received > 0)
        .collect())
}

impl Counts {
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

//! The outbox: every message the server sends out (a WeChat subscribe message, a markdown
//! message to a group's robot, later an SMS) is a row of `outbox`, written in the transaction
//! of the change that caused it and delivered by its channel's job. One mechanism for all:
//! a due row is checked (`Sender::ready`), claimed, sent once, and finished: sent; retried with
//! back-off after a passing failure; failed for good; or, claimed by a worker that died in the
//! middle, resent or marked uncertain as the channel decides. Each channel says only how it
//! sends (`Sender`).
pub mod kf;
pub mod mass_send;
pub mod sms;
pub mod webhook;
pub mod wechat;

use chrono::{DateTime, Duration, Utc};
use entity::codes::{OutboxChannel, OutboxStatus};
use entity::outbox;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::error::ApiResult;

/// A message to send.
#[derive(Debug, Clone)]
pub struct Message {
    pub channel: OutboxChannel,
    /// What it is about (`policy`, `report`, `demand_accepted`, ...).
    pub kind: String,
    /// Queued once per key: a second message with the same key is dropped.
    pub dedup_key: String,
    pub user_id: Option<i64>,
    pub group_id: Option<i64>,
    pub notification_id: Option<i64>,
    /// The number a text message goes to, as a hash (`sms::recipient`).
    pub recipient: Option<String>,
    /// What the channel sends (see the channel's module).
    pub payload: serde_json::Value,
}

/// Queues a message (in the caller's transaction). False when its key was queued before.
pub async fn enqueue(db: &impl ConnectionTrait, m: Message) -> ApiResult<bool> {
    let now = Utc::now();
    let inserted = outbox::Entity::insert(outbox::ActiveModel {
        channel: Set(m.channel),
        kind: Set(m.kind),
        dedup_key: Set(format!("{}:{}", m.channel, m.dedup_key)),
        user_id: Set(m.user_id),
        group_id: Set(m.group_id),
        notification_id: Set(m.notification_id),
        recipient: Set(m.recipient),
        payload: Set(m.payload),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_at: Set(None),
        last_error: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(OnConflict::column(outbox::Column::DedupKey).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// Wait before attempt `n + 1`: 30 s, 1 min, 2 min, 4 min, ...
pub fn backoff(attempts: i32) -> Duration {
    Duration::seconds(30 * (1i64 << attempts.clamp(0, 10)))
}

/// Whether a due message can go now, decided before it is claimed (so that a claim is followed
/// at once by the request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ready {
    Go,
    /// Not now (a rate limit): it waits, not counted as a try, not dropped.
    Wait(DateTime<Utc>),
    /// Nothing to send it with; it stays in the record as skipped.
    Skip(String),
    /// It cannot go at all.
    Fail(String),
}

/// What a send came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    Ok,
    /// A passing failure: tried again after `after` (or the back-off).
    Retry {
        error: String,
        after: Option<Duration>,
    },
    /// For good.
    Fail(String),
    /// It may or may not have arrived (no answer in time): not sent again, kept for a person
    /// to check, as a claim left by a worker that died.
    Uncertain(String),
}

/// How one channel sends.
pub trait Sender {
    const CHANNEL: OutboxChannel;
    /// Tries before a passing failure counts as for good.
    const MAX_ATTEMPTS: i32;
    /// What a claim left by a worker that died mid-send becomes: sent again (the receiver
    /// drops repeats, or a repeat does no harm), or `uncertain` for a person to check.
    const RESEND_STALE: bool;

    fn ready(
        &self,
        db: &DatabaseConnection,
        m: &outbox::Model,
        now: DateTime<Utc>,
    ) -> impl Future<Output = ApiResult<Ready>> + Send;

    fn send(&self, db: &DatabaseConnection, m: &outbox::Model) -> impl Future<Output = ApiResult<Sent>> + Send;
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub sent: usize,
    /// Waiting for a rate limit.
    pub waiting: usize,
    pub retried: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Sent without an answer: it may or may not have arrived.
    pub uncertain: usize,
    /// Claims left by a worker that died, resent or marked uncertain.
    pub recovered: usize,
}

/// Delivery settings of a run.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub now: DateTime<Utc>,
    /// A claim older than this belongs to a worker that died.
    pub stale_after: Duration,
    /// Messages taken per run.
    pub batch: u64,
}

async fn finish(
    db: &DatabaseConnection,
    id: i64,
    status: OutboxStatus,
    attempts: i32,
    error: Option<String>,
    next: DateTime<Utc>,
) -> ApiResult<()> {
    outbox::Entity::update_many()
        .set(outbox::ActiveModel {
            status: Set(status),
            attempts: Set(attempts),
            last_error: Set(error),
            next_attempt_at: Set(next),
            claimed_at: Set(None),
            sent_at: Set((status == OutboxStatus::Sent).then(Utc::now)),
            ..Default::default()
        })
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Sends what is due on `S`'s channel, oldest first.
pub async fn deliver<S: Sender>(db: &DatabaseConnection, sender: &S, run: Run) -> ApiResult<Report> {
    let Run {
        now,
        stale_after,
        batch,
    } = run;
    let mut report = Report::default();
    let stale = outbox::Entity::update_many()
        .filter(outbox::Column::Channel.eq(S::CHANNEL))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .filter(outbox::Column::ClaimedAt.lt(now - stale_after));
    let recovered = if S::RESEND_STALE {
        stale
            .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Pending))
            .col_expr(outbox::Column::ClaimedAt, Expr::value(Option::<DateTime<Utc>>::None))
            .exec(db)
            .await?
    } else {
        stale
            .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Uncertain))
            .col_expr(
                outbox::Column::LastError,
                Expr::value("发送时进程中断，无法确认是否已送达，请核实后决定是否重发"),
            )
            .exec(db)
            .await?
    };
    if recovered.rows_affected > 0 {
        tracing::warn!(
            channel = %S::CHANNEL,
            messages = recovered.rows_affected,
            resent = S::RESEND_STALE,
            "messages left mid-send by a worker that died"
        );
        report.recovered = usize::try_from(recovered.rows_affected).unwrap_or(usize::MAX);
    }
    let due = outbox::Entity::find()
        .filter(outbox::Column::Channel.eq(S::CHANNEL))
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox::Column::Id)
        .limit(batch)
        .all(db)
        .await?;
    for m in due {
        match sender.ready(db, &m, now).await? {
            Ready::Go => {}
            Ready::Wait(until) => {
                outbox::Entity::update_many()
                    .col_expr(outbox::Column::NextAttemptAt, Expr::value(until))
                    .filter(outbox::Column::Id.eq(m.id))
                    .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
                    .exec(db)
                    .await?;
                report.waiting += 1;
                continue;
            }
            Ready::Skip(reason) => {
                finish(db, m.id, OutboxStatus::Skipped, m.attempts, Some(reason), now).await?;
                report.skipped += 1;
                continue;
            }
            Ready::Fail(reason) => {
                finish(db, m.id, OutboxStatus::Failed, m.attempts, Some(reason), now).await?;
                report.failed += 1;
                continue;
            }
        }
        // Only one worker takes it.
        let claimed = outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Sending))
            .col_expr(outbox::Column::ClaimedAt, Expr::value(Utc::now()))
            .filter(outbox::Column::Id.eq(m.id))
            .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let attempts = m.attempts + 1;
        match sender.send(db, &m).await? {
            Sent::Ok => {
                finish(db, m.id, OutboxStatus::Sent, attempts, None, now).await?;
                report.sent += 1;
            }
            Sent::Retry { error, after } if attempts < S::MAX_ATTEMPTS => {
                let next = now + after.unwrap_or_else(|| backoff(attempts));
                finish(db, m.id, OutboxStatus::Pending, attempts, Some(error), next).await?;
                report.retried += 1;
            }
            Sent::Retry { error, .. } | Sent::Fail(error) => {
                finish(db, m.id, OutboxStatus::Failed, attempts, Some(error), now).await?;
                report.failed += 1;
            }
            Sent::Uncertain(error) => {
                finish(db, m.id, OutboxStatus::Uncertain, attempts, Some(error), now).await?;
                report.uncertain += 1;
            }
        }
    }
    Ok(report)
}

/// A group's messages, newest first (for the console's 群 screen).
pub async fn of_group(
    db: &impl ConnectionTrait,
    group_id: i64,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<outbox::Model>> {
    let mut q = outbox::Entity::find()
        .filter(outbox::Column::Channel.eq(OutboxChannel::Webhook))
        .filter(outbox::Column::GroupId.eq(group_id))
        .order_by_desc(outbox::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after_id {
        q = q.filter(outbox::Column::Id.lt(after));
    }
    Ok(q.all(db).await?)
}

/// Each group's pushes by status (webhook messages).
pub async fn group_counts(
    db: &impl ConnectionTrait,
) -> ApiResult<std::collections::HashMap<i64, Vec<(OutboxStatus, i64)>>> {
    use sea_orm::QuerySelect;
    let rows: Vec<(Option<i64>, OutboxStatus, i64)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::GroupId)
        .column(outbox::Column::Status)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(outbox::Column::Channel.eq(OutboxChannel::Webhook))
        .group_by(outbox::Column::GroupId)
        .group_by(outbox::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: std::collections::HashMap<i64, Vec<(OutboxStatus, i64)>> = Default::default();
    for (group, status, n) in rows {
        if let Some(g) = group {
            out.entry(g).or_default().push((status, n));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles() {
        assert_eq!(backoff(0), Duration::seconds(30));
        assert_eq!(backoff(1), Duration::seconds(60));
        assert_eq!(backoff(4), Duration::seconds(480));
    }
}

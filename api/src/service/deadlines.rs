//! Deadlines kept by the scheduled jobs: overdue supervision (督办) — on working days, a demand
//! past its accept, sign or reply deadline is marked overdue, gets a `supervise` event, and its
//! unit's handlers and its butler are told, once per deadline — and replies nobody rated in
//! time, closed unrated.
use chrono::{DateTime, Duration, Utc};
use entity::demand;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionSession,
    TransactionTrait,
};

use crate::domain::demand::{Action, Deadline, Dues, Status};
use crate::error::{ApiError, ApiResult};
use crate::service::calendar;
use crate::service::demands::{self, Actor, Context, Move};
use crate::settings::Settings;
use crate::types::local_time;

/// Which deadline a demand has passed, if any.
fn passed(d: &demand::Model, now: DateTime<Utc>) -> Option<(Deadline, DateTime<Utc>)> {
    crate::domain::demand::passed_deadline(
        d.status,
        Dues {
            accept: d.accept_due_at,
            sign: d.sign_due_at,
            reply: d.reply_due_at,
        },
        now,
    )
}

fn label(kind: Deadline) -> &'static str {
    match kind {
        Deadline::Accept => "受理",
        Deadline::Sign => "签收",
        Deadline::Reply => "办理",
    }
}

/// Flags every demand past a deadline (on working days), once per deadline: marked overdue, a
/// `supervise` event, its unit's handlers and its butler told. Returns the demands flagged.
pub async fn flag_overdue<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    pool: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    let cal = calendar::load(db).await?;
    if !cal.is_working_day(local_time(now).date_naive()) {
        return Ok(0);
    }
    let candidates = demand::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(demand::Column::Status.eq(Status::Submitted))
                        .add(demand::Column::AcceptDueAt.lt(now)),
                )
                .add(
                    Condition::all()
                        .add(demand::Column::Status.is_in([Status::Assigned.code(), Status::InProgress.code()]))
                        .add(
                            Condition::any()
                                .add(demand::Column::ReplyDueAt.lt(now))
                                .add(demand::Column::SignDueAt.lt(now)),
                        ),
                ),
        )
        .all(db)
        .await?;
    let ctx = Context::new(pool, settings, std::sync::Arc::new(cal));
    let mut flagged = 0;
    for d in candidates {
        let Some((kind, due)) = passed(&d, now) else { continue };
        if d.overdue && d.overdue_kind == Some(kind) && d.overdue_due_at == Some(due) {
            continue;
        }
        let txn = crate::service::begin_write(db).await?;
        let changes = demand::ActiveModel {
            overdue: Set(true),
            overdue_kind: Set(Some(kind)),
            overdue_due_at: Set(Some(due)),
            ..Default::default()
        };
        if demands::write_guarded(&txn, &d, changes).await?.is_none() {
            // Someone moved it meanwhile; the next run looks again.
            txn.rollback().await?;
            continue;
        }
        let note = format!(
            "已超过{}期限（{}），系统督办",
            label(kind),
            local_time(due).format("%Y-%m-%d")
        );
        let status = d.status;
        let data = serde_json::json!({ "overdue": kind });
        demands::add_event(
            &txn,
            d.id,
            Action::Supervise,
            Some(status),
            status,
            Actor::SYSTEM,
            Some(note.clone()),
            Some(data),
            now,
        )
        .await?;
        let mut staff: Vec<i64> = d.butler_id.into_iter().collect();
        if kind != Deadline::Accept
            && let Some(unit) = d.unit_id
        {
            staff.extend(demands::unit_handlers(&txn, unit).await?);
        }
        let key = format!("overdue:{}:{kind}:{}", d.id, due.timestamp());
        demands::notify_people(
            &txn,
            &ctx,
            demands::To::People(&staff),
            &d,
            "demand_overdue",
            &key,
            "超期督办",
            note,
            true,
        )
        .await?;
        txn.commit().await?;
        flagged += 1;
    }
    Ok(flagged)
}

/// Reminds the people behind each reply still not rated two days before it would close
/// unrated (once per reply: the notice's key names the reply). Returns the replies in the
/// reminder window.
pub async fn remind_to_rate(db: &DatabaseConnection, settings: &Settings, now: DateTime<Utc>) -> ApiResult<usize> {
    let days = i64::from(settings.demands.auto_close_days);
    let remind_after = now - Duration::days((days - 2).max(1));
    let waiting = demand::Entity::find()
        .filter(demand::Column::Status.eq(Status::Replied))
        .filter(demand::Column::RepliedAt.lt(remind_after))
        .filter(demand::Column::RepliedAt.gte(now - Duration::days(days)))
        .all(db)
        .await?;
    let ctx = Context::load(db, settings).await?;
    let mut reminded = 0;
    for d in waiting {
        let replied = d
            .replied_at
            .map(local_time)
            .map(|t| t.format("%m月%d日").to_string())
            .unwrap_or_default();
        let key = format!(
            "demand:{}:rate-reminder:{}",
            d.id,
            d.replied_at.map_or(0, |t| t.timestamp())
        );
        let note = format!(
            "{replied}的答复还未评价，{} 天内未评价将自动办结",
            settings.demands.auto_close_days
        );
        demands::notify_people(
            db,
            &ctx,
            demands::To::Filers(&d),
            &d,
            "rate_reminder",
            &key,
            "待评价",
            note,
            true,
        )
        .await?;
        reminded += 1;
    }
    Ok(reminded)
}

/// Closes, unrated, every reply nobody rated within `demands.auto_close_days` (never counted as
/// satisfied). Returns the demands closed.
pub async fn close_unrated(db: &DatabaseConnection, settings: &Settings, now: DateTime<Utc>) -> ApiResult<usize> {
    let limit = now - Duration::days(i64::from(settings.demands.auto_close_days));
    let due = demand::Entity::find()
        .filter(demand::Column::Status.eq(Status::Replied))
        .filter(demand::Column::RepliedAt.lt(limit))
        .all(db)
        .await?;
    let ctx = Context::load(db, settings).await?;
    let mut closed = 0;
    for d in due {
        let note = Some(format!(
            "答复后 {} 天未评价，自动办结",
            settings.demands.auto_close_days
        ));
        match demands::act_in(
            db,
            &ctx,
            None,
            d.id,
            Action::AutoClose,
            Move {
                note,
                ..Move::default()
            },
        )
        .await
        {
            Ok(_) => closed += 1,
            // Rated or moved meanwhile: nothing to do.
            Err(ApiError::Conflict { .. }) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(closed)
}

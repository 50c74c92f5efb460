//! Overdue supervision (督办): on working days, a demand past its accept, sign or reply
//! deadline is marked overdue, gets a `supervise` event, and its unit's handlers and its
//! butler are told. A deadline is flagged once, however often the job runs.
use chrono::{DateTime, Utc};
use entity::demand;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Set};

use crate::domain::demand::{Action, Status};
use crate::error::ApiResult;
use crate::service::calendar;
use crate::service::demands::{self, Actor, Ctx};
use crate::state::AppState;
use crate::types::local_time;

/// Which deadline a demand has passed, if any.
fn passed(d: &demand::Model, now: DateTime<Utc>) -> Option<(&'static str, DateTime<Utc>)> {
    let status = Status::parse(&d.status)?;
    match status {
        Status::Submitted => d.accept_due_at.filter(|due| *due < now).map(|due| ("accept", due)),
        Status::Assigned | Status::InProgress => {
            if let Some(due) = d.reply_due_at.filter(|due| *due < now) {
                Some(("reply", due))
            } else if status == Status::Assigned {
                d.sign_due_at.filter(|due| *due < now).map(|due| ("sign", due))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn label(kind: &str) -> &'static str {
    match kind {
        "accept" => "受理",
        "sign" => "签收",
        _ => "办理",
    }
}

pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> ApiResult<usize> {
    let cal = calendar::load(&state.db).await?;
    if !cal.is_working_day(local_time(now).date_naive()) {
        return Ok(0);
    }
    let candidates = demand::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(demand::Column::Status.eq(Status::Submitted.code()))
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
        .all(&state.db)
        .await?;
    let ctx = Ctx {
        settings: &state.settings,
        calendar: cal,
        pool: state.db.clone(),
    };
    let mut flagged = 0;
    for d in candidates {
        let Some((kind, due)) = passed(&d, now) else { continue };
        if d.overdue && d.overdue_kind.as_deref() == Some(kind) && d.overdue_due_at == Some(due) {
            continue;
        }
        let txn = crate::service::begin_write(&state.db).await?;
        let changes = demand::ActiveModel {
            overdue: Set(true),
            overdue_kind: Set(Some(kind.to_owned())),
            overdue_due_at: Set(Some(due)),
            ..Default::default()
        };
        if !demands::write_guarded(&txn, &d, changes).await? {
            // Someone moved it meanwhile; the next run looks again.
            txn.rollback().await?;
            continue;
        }
        let note = format!(
            "已超过{}期限（{}），系统督办",
            label(kind),
            local_time(due).format("%Y-%m-%d")
        );
        let status = Status::parse(&d.status).unwrap_or(Status::Submitted);
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
        if kind != "accept"
            && let Some(unit) = d.unit_id
        {
            staff.extend(demands::unit_handlers(&txn, unit).await?);
        }
        let key = format!("overdue:{}:{kind}:{}", d.id, due.timestamp());
        demands::tell(&txn, &ctx, &staff, &d, "demand_overdue", &key, "超期督办", note, false).await?;
        txn.commit().await?;
        flagged += 1;
    }
    Ok(flagged)
}

//! The moves of the state machine: who may make each (`visibility`), the rules of each move,
//! one transaction per move with the demand guarded by its version, its event and its notices.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::codes::{Deadline, RatingSource};
use entity::{demand, unit};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait};

use crate::domain::access::{OWN_BUTLER, Principal};
use crate::domain::demand::{Action, Status, StatusRules, next_status};
use crate::domain::moves as rules;
use crate::error::{ApiError, ApiResult};
use crate::service::files::{self, AttachedTo, FileRefs, MAX_FILES, Uploader};
use crate::types::local_time;

use super::*;

/// A move with whatever it carries.
#[derive(Debug, Clone, Default)]
pub struct Move {
    pub note: Option<String>,
    pub unit_id: Option<i64>,
    pub due_at: Option<DateTime<Utc>>,
    pub content: Option<String>,
    /// Files the actor uploaded for the move (a reply's).
    pub files: FileRefs,
    pub satisfied: Option<bool>,
    pub working_days: Option<u32>,
    pub into_id: Option<i64>,
    /// Where a rating came from (the mini-program unless said).
    pub source: Option<RatingSource>,
    /// The version the actor last saw: a move made meanwhile refuses this one.
    pub expected_version: Option<i32>,
    /// The audit entry of an admin's request making the move, written in the move's own
    /// transaction: one commit, not two, and never the one without the other.
    pub audit: Option<crate::service::privacy::AdminChange>,
}

fn invalid_transition(from: Status, action: Action) -> ApiError {
    ApiError::Conflict {
        code: "invalid_transition",
        message: format!("诉求当前状态为「{}」，不能{}", from.label(), action.label()).into(),
    }
}

fn concurrent_update() -> ApiError {
    ApiError::conflict("concurrent_update", "诉求刚被他人处理，请刷新后重试")
}

fn secs(from: Option<DateTime<Utc>>, to: DateTime<Utc>) -> Option<i64> {
    from.map(|f| (to - f).num_seconds().max(0))
}

/// A move on a demand `auth` has just read (`seen`, with whether they follow it): the route reads
/// it once to refuse a caller before their body is read, and the move goes on from that read.
/// The write is still guarded by the version read, so a move made meanwhile refuses this one.
pub async fn act_on(
    db: &DatabaseConnection,
    settings: &Settings,
    calendar: Arc<WorkCalendar>,
    auth: &Principal,
    seen: Seen,
    action: Action,
    mv: Move,
) -> ApiResult<demand::Model> {
    let ctx = Context::new(db, settings, calendar);
    act(db, &ctx, Some(auth), seen, action, &mv).await
}

/// One move made on each of `ids` in turn, each in its own transaction: one refused does not
/// stop the others. Returns each demand's outcome, in order.
pub async fn act_on_each(
    db: &DatabaseConnection,
    settings: &Settings,
    calendar: Arc<WorkCalendar>,
    auth: &Principal,
    ids: &[i64],
    action: Action,
    mv: &Move,
) -> ApiResult<Vec<(i64, ApiResult<demand::Model>)>> {
    let ctx = Context::new(db, settings, calendar);
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        match act_in(db, &ctx, Some(auth), id, action, mv.clone()).await {
            // A fault of ours stops the batch: the caller retries it (each move already made
            // is refused then as `invalid_transition`, never made twice).
            Err(err) if err.is_fault() => return Err(err),
            done => out.push((id, done)),
        }
    }
    Ok(out)
}

/// Makes a move on demand `id` as `auth` (or the system, when `auth` is None), within a context
/// the caller already holds (a job's run, a submission's findings, a batch of moves).
pub async fn act_in<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ctx: &Context<'_>,
    auth: Option<&Principal>,
    id: i64,
    action: Action,
    mv: Move,
) -> ApiResult<demand::Model> {
    let seen = read(db, auth, id).await?;
    act(db, ctx, auth, seen, action, &mv).await
}

/// Demand `id` as `auth` reads it before a move (whether they follow it), or as the system does.
async fn read(db: &impl ConnectionTrait, auth: Option<&Principal>, id: i64) -> ApiResult<Seen> {
    match auth {
        Some(auth) => seen(db, auth.id, id).await,
        None => Ok(Seen {
            demand: get(db, id).await?,
            followed: false,
        }),
    }
}

/// How many more times a move not pinned to a version (no `Move::expected_version`) is made
/// after another write took the demand between its read and its write — a scheduled job
/// flagging it overdue, say: each time on the demand as it then stands, every rule checked
/// again (so a move someone else made meanwhile refuses it as `invalid_transition`). A move
/// pinned to the version its maker saw is refused as `concurrent_update` at once.
const MADE_AGAIN: usize = 2;

/// A move on `seen`, made again on a fresh read while it loses its write and is not pinned.
async fn act<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ctx: &Context<'_>,
    auth: Option<&Principal>,
    mut seen: Seen,
    action: Action,
    mv: &Move,
) -> ApiResult<demand::Model> {
    let mut again = if mv.expected_version.is_some() { 0 } else { MADE_AGAIN };
    loop {
        let id = seen.demand.id;
        let by = auth.map(|a| (a, seen.followed));
        match act_seen(db, ctx, by, seen.demand, action, mv).await? {
            Some(made) => return Ok(made),
            None if again > 0 => {
                again -= 1;
                seen = read(db, auth, id).await?;
            }
            None => return Err(concurrent_update()),
        }
    }
}

/// A move on `d` as read, by `auth` (with whether they follow it) or the system: the demand as
/// written, or None when another write took it first (nothing was written).
async fn act_seen<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ctx: &Context<'_>,
    auth: Option<(&Principal, bool)>,
    d: demand::Model,
    action: Action,
    mv: &Move,
) -> ApiResult<Option<demand::Model>> {
    let from = d.status;
    let actor = match auth {
        Some((auth, follower)) => {
            // A rating taken on a hotline call-back is recorded by staff for the caller.
            let by_staff = mv.source == Some(RatingSource::Hotline);
            let allowed = may_attempt(auth, &d, action, follower, by_staff);
            if !allowed {
                return Err(ApiError::forbidden());
            }
            Actor::of(auth, &d)
        }
        None => Actor::SYSTEM,
    };
    if mv.expected_version.is_some_and(|v| v != d.version) {
        return Err(concurrent_update());
    }
    let to = next_status(from, action, mv.satisfied).map_err(|e| invalid_transition(e.from, e.action))?;
    let claim = match (actor.id, mv.files.is_empty()) {
        (Some(by), false) => Some(files::check(db, Uploader::Person(by), &mv.files, MAX_FILES, None).await?),
        _ => None,
    };
    let now = Utc::now();
    let cal = &ctx.calendar;
    let cfg = &ctx.settings.demands;
    let env = d.environment;
    let mut a: demand::ActiveModel = d.clone().into();
    a.status = Set(to);
    a.updated_at = Set(now);
    let mut note = mv.note.clone();
    let mut data: Option<serde_json::Value> = None;
    let mut assigned = None;
    match action {
        Action::Accept => {
            a.accepted_at = Set(Some(now));
            a.accept_secs = Set(secs(Some(d.created_at), now));
            a.overdue = Set(false);
        }
        Action::Reject => {
            a.closed_at = Set(Some(now));
            a.overdue = Set(false);
        }
        Action::Assign => {
            let unit_id = mv
                .unit_id
                .ok_or_else(|| ApiError::invalid_field("unitId", "required", "请选择承办单位"))?;
            let Some(unit) = unit::Entity::find_by_id(unit_id).one(db).await? else {
                return Err(ApiError::invalid_field("unitId", "not_found", "单位不存在"));
            };
            assigned = Some(unit.name);
            let due = rules::reply_due(mv.due_at, now, cal.deadline(now, cfg.reply_days(env)))?;
            let sign_due = cal.deadline(now, cfg.sign_days(env));
            assign_fields(&mut a, unit_id, now, sign_due, due);
            // The deadlines ride on the event: a report replays them as they stood at its end.
            data = Some(serde_json::json!({
                "unitId": unit_id.to_string(),
                "signDueAt": local_time(sign_due).to_rfc3339(),
                "replyDueAt": local_time(due).to_rfc3339(),
            }));
        }
        Action::Sign => {
            a.signed_at = Set(Some(now));
            a.sign_secs = Set(secs(d.assigned_at, now));
            a.sign_late = Set(Some(d.sign_due_at.is_some_and(|due| now > due)));
        }
        Action::Return => {
            let assigned = d.assigned_at.unwrap_or(d.created_at);
            rules::may_return(assigned, now, cal, cfg.return_days)?;
            require_text(&mv.note, "reason", "请填写退回原因")?;
            a.returns = Set(d.returns + 1);
            a.bounced_secs = Set(d.bounced_secs + secs(Some(assigned), now).unwrap_or(0));
            data = Some(serde_json::json!({ "unitId": d.unit_id.map(|u| u.to_string()) }));
            a.unit_id = Set(None);
            a.sign_due_at = Set(None);
            a.reply_due_at = Set(None);
            a.signed_at = Set(None);
            a.extension_days_pending = Set(None);
            a.overdue = Set(false);
        }
        Action::Reply => {
            let content = require_text(&mv.content, "content", "请填写答复内容")?;
            a.replied_at = Set(Some(now));
            a.reply_content = Set(Some(content.clone()));
            a.reply_secs = Set(secs(d.assigned_at, now));
            a.reply_late = Set(Some(d.reply_due_at.is_some_and(|due| now > due)));
            a.overdue = Set(false);
            note = Some(content);
        }
        Action::Rate => {
            let satisfied = mv.satisfied.unwrap_or(false);
            a.rating_satisfied = Set(Some(satisfied));
            a.rating_comment = Set(mv.note.clone());
            a.rated_at = Set(Some(now));
            a.rating_source = Set(Some(mv.source.unwrap_or(RatingSource::Miniprogram)));
            if satisfied {
                a.closed_at = Set(Some(now));
            } else {
                a.reopen_count = Set(d.reopen_count + 1);
            }
            data = Some(serde_json::json!({ "satisfied": satisfied }));
        }
        Action::AutoClose => {
            a.closed_at = Set(Some(now));
        }
        Action::Extend => {
            let days = mv.working_days.unwrap_or(0);
            rules::may_extend(rules::ExtensionAsked {
                working_days: days,
                reason: mv.note.as_deref(),
                max_days: cfg.max_extension_days,
                reply_due: d.reply_due_at,
                pending: d.extension_days_pending.is_some(),
                now,
            })?;
            a.extension_days_pending = Set(Some(i32::try_from(days).unwrap_or(i32::MAX)));
            a.extension_reason = Set(mv.note.clone());
            data = Some(serde_json::json!({ "workingDays": days }));
        }
        Action::ApproveExtension => {
            let days = rules::pending_extension(d.extension_days_pending)?;
            let due = cal.extend(d.reply_due_at.unwrap_or(now), days);
            a.reply_due_at = Set(Some(due));
            a.extension_days_pending = Set(None);
            a.extensions = Set(d.extensions + 1);
            if d.overdue_kind == Some(Deadline::Reply) {
                a.overdue = Set(false);
            }
            data = Some(serde_json::json!({ "workingDays": days, "replyDueAt": local_time(due).to_rfc3339() }));
        }
        Action::FlagUnreasonable => {
            let reason = require_text(&mv.note, "reason", "请填写认定为不合理诉求的理由")?;
            rules::may_flag_unreasonable(d.unreasonable)?;
            a.unreasonable = Set(true);
            a.unreasonable_reason = Set(Some(reason));
        }
        Action::Merge => {
            let into_id = rules::merge_target(d.id, mv.into_id)?;
            let target = get(db, into_id)
                .await
                .map_err(|e| e.missing_as_field("intoId", "not_found", "目标诉求不存在"))?;
            if let Some((auth, _)) = auth
                && !auth.can(OWN_BUTLER, &owner(&target))
            {
                return Err(ApiError::forbidden());
            }
            rules::may_merge_into(target.status.is_final())?;
            a.merged_into_id = Set(Some(into_id));
            a.closed_at = Set(Some(now));
            data = Some(serde_json::json!({ "intoId": into_id.to_string(), "intoNumber": target.number }));
        }
        Action::Supervise | Action::Comment => {
            require_text(
                &mv.note,
                if action == Action::Comment { "content" } else { "note" },
                "请填写内容",
            )?;
        }
        Action::Submit => return Err(invalid_transition(from, action)),
    }

    let txn = crate::service::begin_write(db).await?;
    let Some(updated) = write_guarded(&txn, &d, a).await? else {
        txn.rollback().await?;
        return Ok(None);
    };
    let event = add_event(&txn, d.id, action, Some(from), to, actor, note, data, now).await?;
    if let Some(claim) = claim {
        let ids = claim.attach(&txn, AttachedTo::Demand(d.id)).await?;
        link(&txn, d.id, Some(event.id), &ids).await?;
    }
    let updated = super::notices::follow_up(&txn, ctx, &d, updated, action, actor, event.id, now, assigned).await?;
    if let Some(audit) = &mv.audit {
        audit.write(&txn).await?;
    }
    txn.commit().await?;
    Ok(Some(updated))
}

/// Writes `changes` only if the demand still has the version `seen` had (optimistic lock: of
/// two concurrent moves only one wins). The version is bumped. The demand as written, or None
/// when it lost.
pub async fn write_guarded(
    db: &impl ConnectionTrait,
    seen: &demand::Model,
    mut changes: demand::ActiveModel,
) -> ApiResult<Option<demand::Model>> {
    changes.version = Set(seen.version + 1);
    crate::copies::ANSWERED_WRITES.bump();
    let written = demand::Entity::update_many()
        .set(changes)
        .filter(demand::Column::Id.eq(seen.id))
        .filter(demand::Column::Version.eq(seen.version))
        .exec_with_returning(db)
        .await?;
    Ok(written.into_iter().next())
}

pub(super) fn assign_fields(
    a: &mut demand::ActiveModel,
    unit_id: i64,
    now: DateTime<Utc>,
    sign_due: DateTime<Utc>,
    reply_due: DateTime<Utc>,
) {
    a.unit_id = Set(Some(unit_id));
    a.assigned_at = Set(Some(now));
    a.sign_due_at = Set(Some(sign_due));
    a.reply_due_at = Set(Some(reply_due));
    a.signed_at = Set(None);
    a.sign_secs = Set(None);
    a.sign_late = Set(None);
    a.replied_at = Set(None);
    a.reply_secs = Set(None);
    a.reply_late = Set(None);
    // An unsatisfied rating stays (and counts) until the demand is rated again.
    a.extension_days_pending = Set(None);
    a.overdue = Set(false);
}

fn require_text(value: &Option<String>, field: &str, message: &str) -> ApiResult<String> {
    Ok(rules::required_text(value.as_deref(), field, message)?)
}

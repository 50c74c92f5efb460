//! The moves of the state machine: who may make each (`visibility`), the rules of each move,
//! one transaction per move with the demand guarded by its version, its event and its notices.

use chrono::{DateTime, Utc};
use entity::codes::{Deadline, RatingSource};
use entity::{demand, unit};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait};

use crate::domain::access::{OWN_BUTLER, Principal};
use crate::domain::demand::{Action, Status, StatusRules, next_status};
use crate::error::{ApiError, ApiResult, FieldError};
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
}

fn invalid_transition(from: Status, action: Action) -> ApiError {
    ApiError::Conflict {
        code: "invalid_transition",
        message: format!("诉求当前状态为「{}」，不能{}", from.label(), action.label()).into(),
    }
}

fn secs(from: Option<DateTime<Utc>>, to: DateTime<Utc>) -> Option<i64> {
    from.map(|f| (to - f).num_seconds().max(0))
}

/// Makes a move on a demand as `auth` (or the system, when `auth` is None), with the
/// settings and the working-day calendar as they stand now.
pub async fn act(
    db: &DatabaseConnection,
    settings: &Settings,
    auth: Option<&Principal>,
    id: i64,
    action: Action,
    mv: Move,
) -> ApiResult<demand::Model> {
    let ctx = Context::load(db, settings).await?;
    act_in(db, &ctx, auth, id, action, mv).await
}

/// `act` within a context the caller already holds (a job's run, a submission's findings).
pub async fn act_in<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ctx: &Context<'_>,
    auth: Option<&Principal>,
    id: i64,
    action: Action,
    mv: Move,
) -> ApiResult<demand::Model> {
    let d = get(db, id).await?;
    let from = d.status;
    let actor = match auth {
        Some(auth) => {
            let follower = is_follower(db, d.id, auth.id).await?;
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
            if unit::Entity::find_by_id(unit_id).one(db).await?.is_none() {
                return Err(ApiError::invalid_field("unitId", "not_found", "单位不存在"));
            }
            let due = match mv.due_at {
                Some(due) if due <= now => {
                    return Err(ApiError::invalid_field("dueAt", "in_the_past", "办理期限应晚于现在"));
                }
                Some(due) => due,
                None => cal.deadline(now, cfg.reply_days(env)),
            };
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
            if now > cal.deadline(assigned, cfg.return_days) {
                return Err(ApiError::Conflict {
                    code: "return_window_passed",
                    message: format!("派单已超过 {} 个工作日，不能退回", cfg.return_days).into(),
                });
            }
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
            if days == 0 || days > cfg.max_extension_days {
                return Err(ApiError::invalid_field(
                    "workingDays",
                    "out_of_range",
                    &format!("延期天数应为 1 到 {} 个工作日", cfg.max_extension_days),
                ));
            }
            require_text(&mv.note, "reason", "请填写延期原因")?;
            if d.reply_due_at.is_some_and(|due| now > due) {
                return Err(ApiError::Conflict {
                    code: "deadline_passed",
                    message: "已超过办理期限，不能再申请延期".into(),
                });
            }
            if d.extension_days_pending.is_some() {
                return Err(ApiError::Conflict {
                    code: "extension_pending",
                    message: "已有待审批的延期申请".into(),
                });
            }
            a.extension_days_pending = Set(Some(i32::try_from(days).unwrap_or(i32::MAX)));
            a.extension_reason = Set(mv.note.clone());
            data = Some(serde_json::json!({ "workingDays": days }));
        }
        Action::ApproveExtension => {
            let days = d.extension_days_pending.ok_or_else(|| ApiError::Conflict {
                code: "no_extension_pending",
                message: "没有待审批的延期申请".into(),
            })?;
            let due = cal.extend(d.reply_due_at.unwrap_or(now), u32::try_from(days).unwrap_or(0));
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
            if d.unreasonable {
                return Err(ApiError::Conflict {
                    code: "already_flagged",
                    message: "该诉求已标记为不合理诉求".into(),
                });
            }
            a.unreasonable = Set(true);
            a.unreasonable_reason = Set(Some(reason));
        }
        Action::Merge => {
            let into_id = mv
                .into_id
                .ok_or_else(|| ApiError::invalid_field("intoId", "required", "请选择要合并到的诉求"))?;
            if into_id == d.id {
                return Err(ApiError::invalid_field("intoId", "same_demand", "不能合并到自身"));
            }
            let target = get(db, into_id)
                .await
                .map_err(|_| ApiError::invalid_field("intoId", "not_found", "目标诉求不存在"))?;
            if let Some(auth) = auth
                && !auth.can(OWN_BUTLER, &owner(&target))
            {
                return Err(ApiError::forbidden());
            }
            if target.status.is_final() {
                return Err(ApiError::Conflict {
                    code: "merge_target_closed",
                    message: "目标诉求已办结，不能合并".into(),
                });
            }
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
    if !write_guarded(&txn, &d, a).await? {
        txn.rollback().await?;
        return Err(ApiError::Conflict {
            code: "concurrent_update",
            message: "诉求刚被他人处理，请刷新后重试".into(),
        });
    }
    let updated = get(&txn, d.id).await?;
    let event = add_event(&txn, d.id, action, Some(from), to, actor, note, data, now).await?;
    if let Some(claim) = claim {
        let ids = claim.attach(&txn, AttachedTo::Demand(d.id)).await?;
        link(&txn, d.id, Some(event.id), &ids).await?;
    }
    let updated = super::notices::follow_up(&txn, ctx, &d, updated, action, actor, event.id, now).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Writes `changes` only if the demand still has the version `seen` had (optimistic lock: of
/// two concurrent moves only one wins). The version is bumped. False when it lost.
pub async fn write_guarded(
    db: &impl ConnectionTrait,
    seen: &demand::Model,
    mut changes: demand::ActiveModel,
) -> ApiResult<bool> {
    changes.version = Set(seen.version + 1);
    let written = demand::Entity::update_many()
        .set(changes)
        .filter(demand::Column::Id.eq(seen.id))
        .filter(demand::Column::Version.eq(seen.version))
        .exec(db)
        .await?;
    Ok(written.rows_affected == 1)
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
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() <= 2000 => Ok(v.to_owned()),
        Some(_) => Err(ApiError::invalid(vec![FieldError::new(
            field,
            "too_long",
            "不能超过 2000 个字",
        )])),
        None => Err(ApiError::invalid(vec![FieldError::new(field, "required", message)])),
    }
}

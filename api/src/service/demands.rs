//! Demands: creation with a human number, the moves of the state machine with their rules,
//! scoped lists and the timeline. Every move is one transaction: the demand (guarded by its
//! version), its timeline event and the notices it causes.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{demand, demand_attachment, demand_event, demand_follower, role_grant, unit};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};

use crate::auth::{Access, AuthUser, Owner};
use crate::domain::calendar::WorkCalendar;
use crate::domain::demand::{Action, Channel, Environment, Kind, Status, next_status};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::files::{self, Attachment, FileRefs, MAX_FILES, Uploader};
use crate::service::notify::{self, Notice, WechatFields};
use crate::settings::Settings;
use crate::types::local_time;

/// What a move needs besides the demand: settings, the working-day calendar, and the pool
/// (for demand numbers, which are not taken inside the caller's transaction).
pub struct Ctx<'a> {
    pub settings: &'a Settings,
    pub calendar: WorkCalendar,
    pub pool: DatabaseConnection,
}

impl<'a> Ctx<'a> {
    /// The settings and the holiday calendar as it stands now.
    pub async fn load(db: &DatabaseConnection, settings: &'a Settings) -> ApiResult<Self> {
        Ok(Self {
            settings,
            calendar: crate::service::calendar::load(db).await?,
            pool: db.clone(),
        })
    }
}

/// The rating source of a hotline call-back.
pub const HOTLINE: &str = "hotline";

/// Who staff are when they act on a demand.
const STAFF: &[Access] = &[Access::Admin, Access::EnterpriseButler];
const UNIT: &[Access] = &[Access::UnitHandler];

/// Who may make each move (the submitter's `rate` is checked apart: followers rate too).
pub fn rules(action: Action) -> &'static [Access] {
    match action {
        Action::Accept
        | Action::Reject
        | Action::Assign
        | Action::ApproveExtension
        | Action::FlagUnreasonable
        | Action::Merge
        | Action::Supervise => STAFF,
        Action::Sign | Action::Return | Action::Reply | Action::Extend => UNIT,
        Action::Rate | Action::Comment | Action::Submit | Action::AutoClose => &[],
    }
}

/// Whether `auth` may make `action` on `d` (a rating: its submitter or a follower; one taken on
/// a hotline call-back, `by_staff`: the enterprise's butler or an admin). Checked before a
/// move's body is read too, so someone who may not make the move learns nothing of what it
/// takes.
pub fn may_attempt(auth: &AuthUser, d: &demand::Model, action: Action, follower: bool, by_staff: bool) -> bool {
    match action {
        Action::Rate if by_staff => auth.can(STAFF, &owner(d)),
        Action::Rate => d.submitter_id == Some(auth.id) || follower,
        Action::Comment => can_read(auth, d, follower),
        other => auth.can(rules(other), &owner(d)),
    }
}

pub fn owner(d: &demand::Model) -> Owner {
    Owner {
        enterprise_id: d.enterprise_id,
        butler_id: d.butler_id,
        unit_id: d.unit_id,
        user_id: d.submitter_id,
    }
}

/// Whether `auth` may read the demand (`followers`: people following it).
pub fn can_read(auth: &AuthUser, d: &demand::Model, is_follower: bool) -> bool {
    let o = owner(d);
    is_follower
        || auth.can(
            &[
                Access::Admin,
                Access::EnterpriseButler,
                Access::UnitHandler,
                Access::Itself,
            ],
            &o,
        )
        || (!d.anonymous && auth.can(&[Access::EnterpriseMember], &o))
}

/// Whether `auth` sees who is behind the demand (anonymity hides it from handlers and colleagues).
pub fn sees_identity(auth: &AuthUser, d: &demand::Model) -> bool {
    auth.sees_identity(d.anonymous, &owner(d))
}

pub async fn is_follower(db: &impl ConnectionTrait, demand_id: i64, user_id: i64) -> ApiResult<bool> {
    Ok(demand_follower::Entity::find_by_id((demand_id, user_id))
        .one(db)
        .await?
        .is_some())
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<demand::Model> {
    demand::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("demand_not_found", "诉求不存在"))
}

/// A demand as filed.
#[derive(Debug, Clone)]
pub struct NewDemand {
    pub kind: Kind,
    pub environment: Environment,
    pub channel: Channel,
    pub title: String,
    pub content: String,
    pub anonymous: bool,
    pub enterprise_id: Option<i64>,
    pub butler_id: Option<i64>,
    pub submitter_id: Option<i64>,
    pub caller_phone: Option<String>,
    pub origin: Option<(String, String)>,
    pub files: DemandFiles,
    /// WeChat's verdict on the text: `pass`, `review` or `unchecked`.
    pub content_check: String,
    /// The submitter's `Idempotency-Key`: a second submission under it is the first one.
    pub request_key: Option<String>,
}

/// The files a demand carries.
#[derive(Debug, Clone, Default)]
pub enum DemandFiles {
    #[default]
    None,
    /// Uploaded by this person for the demand: checked and attached to it.
    Uploaded { by: i64, refs: FileRefs },
    /// Already attached to the object the demand came from (a complaint's photos, a report's):
    /// the demand shows them too.
    Inherited(Vec<i64>),
}

/// `SQ20261128-0007`: sequential per day (Asia/Shanghai), atomic across replicas because the
/// counter row is upserted and read back in one statement.
///
/// On PostgreSQL the number is taken in a short transaction of its own with an asynchronous
/// commit: every submission of the day updates this one row, and holding its lock through the
/// demand's transaction and a synchronous commit (a disk flush) would let one submission through
/// per flush. It stays safe: the demand that uses the number commits later, synchronously, and
/// the log is flushed in order, so a counter lost in a crash was used by no stored demand. A
/// number taken by a demand that then fails is skipped. SQLite has one writer at a time anyway
/// and takes it in the caller's transaction.
async fn next_number(ctx: &Ctx<'_>, db: &impl ConnectionTrait, now: DateTime<Utc>) -> ApiResult<String> {
    if ctx.pool.get_database_backend() == sea_orm::DbBackend::Postgres {
        let txn = crate::service::begin_write(&ctx.pool).await?;
        txn.execute_unprepared("SET LOCAL synchronous_commit TO off").await?;
        let number = take_number(&txn, now).await?;
        txn.commit().await?;
        Ok(number)
    } else {
        take_number(db, now).await
    }
}

async fn take_number(db: &impl ConnectionTrait, now: DateTime<Utc>) -> ApiResult<String> {
    #[derive(sea_orm::DeriveIden)]
    enum DemandCounters {
        Table,
        Day,
        Last,
    }
    use sea_orm::ExprTrait;
    let day = local_time(now).format("%Y%m%d").to_string();
    let mut stmt = Query::insert();
    stmt.into_table(DemandCounters::Table)
        .columns([DemandCounters::Day, DemandCounters::Last])
        .values([day.clone().into(), 1i64.into()])
        .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?
        .on_conflict(
            OnConflict::column(DemandCounters::Day)
                .value(
                    DemandCounters::Last,
                    Expr::col((DemandCounters::Table, DemandCounters::Last)).add(1),
                )
                .to_owned(),
        )
        .returning_col(DemandCounters::Last);
    let row = db
        .query_one(&stmt)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("demand counter returned no row")))?;
    let last: i64 = row.try_get("", "last")?;
    Ok(format!("SQ{day}-{last:04}"))
}

/// Lists files on the demand (at filing, or on the event that brought them).
async fn link(db: &impl ConnectionTrait, demand_id: i64, event_id: Option<i64>, files: &[i64]) -> ApiResult<()> {
    if files.is_empty() {
        return Ok(());
    }
    let rows = files.iter().map(|f| demand_attachment::ActiveModel {
        demand_id: Set(demand_id),
        file_id: Set(*f),
        event_id: Set(event_id),
        ..Default::default()
    });
    demand_attachment::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// The acting person's role on the timeline.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub id: Option<i64>,
    pub role: Option<Role>,
    pub unit_id: Option<i64>,
}

impl Actor {
    pub const SYSTEM: Actor = Actor {
        id: None,
        role: None,
        unit_id: None,
    };

    /// The role under which `auth` acts on `d` (the most specific that allows it).
    pub fn of(auth: &AuthUser, d: &demand::Model) -> Actor {
        let o = owner(d);
        let (role, unit_id) = if auth.can(UNIT, &o) {
            (Role::Handler, d.unit_id)
        } else if auth.can(&[Access::EnterpriseButler], &o) {
            (Role::Butler, None)
        } else if auth.is_admin() {
            (Role::Admin, None)
        } else if auth.has_role(Role::Enterprise) {
            (Role::Enterprise, None)
        } else {
            (auth.roles.first().map_or(Role::Enterprise, |r| r.role), None)
        };
        Actor {
            id: Some(auth.id),
            role: Some(role),
            unit_id,
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn add_event(
    db: &impl ConnectionTrait,
    demand_id: i64,
    action: Action,
    from: Option<Status>,
    to: Status,
    actor: Actor,
    note: Option<String>,
    data: Option<serde_json::Value>,
    at: DateTime<Utc>,
) -> ApiResult<demand_event::Model> {
    Ok(demand_event::ActiveModel {
        demand_id: Set(demand_id),
        action: Set(action.code().to_owned()),
        from_status: Set(from.map(|s| s.code().to_owned())),
        to_status: Set(to.code().to_owned()),
        actor_id: Set(actor.id),
        actor_role: Set(actor.role.map(|r| r.code().to_owned())),
        actor_unit_id: Set(actor.unit_id),
        note: Set(note),
        data: Set(data),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ctx: &Ctx<'_>,
    actor: Actor,
    new: NewDemand,
) -> ApiResult<demand::Model> {
    if let Some(existing) = submitted_under(db, new.submitter_id, new.request_key.as_deref()).await? {
        return Ok(existing);
    }
    let claim = match &new.files {
        DemandFiles::Uploaded { by, refs } => {
            Some(files::check(db, Uploader::Person(*by), refs, MAX_FILES, None).await?)
        }
        DemandFiles::None | DemandFiles::Inherited(_) => None,
    };
    let now = Utc::now();
    // Before the transaction: on PostgreSQL the number takes a connection of its own, and one
    // request never holds two.
    let number = next_number(ctx, db, now).await?;
    let txn = crate::service::begin_write(db).await?;
    let accept_days = ctx.settings.demands.accept_days(new.environment.code());
    let d = demand::ActiveModel {
        number: Set(number),
        kind: Set(new.kind.code().to_owned()),
        environment: Set(new.environment.code().to_owned()),
        channel: Set(new.channel.code().to_owned()),
        title: Set(new.title),
        content: Set(new.content),
        origin_type: Set(new.origin.as_ref().map(|o| o.0.clone())),
        origin_id: Set(new.origin.map(|o| o.1)),
        enterprise_id: Set(new.enterprise_id),
        submitter_id: Set(new.submitter_id),
        caller_phone: Set(new.caller_phone),
        anonymous: Set(new.anonymous),
        unit_id: Set(None),
        butler_id: Set(new.butler_id),
        status: Set(Status::Submitted.code().to_owned()),
        accept_due_at: Set(Some(ctx.calendar.deadline(now, accept_days))),
        unreasonable: Set(false),
        overdue: Set(false),
        extensions: Set(0),
        returns: Set(0),
        bounced_secs: Set(0),
        reopen_count: Set(0),
        content_check: Set(new.content_check),
        version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        request_key: Set(new.request_key.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let d = match d {
        Ok(d) => d,
        // The same submission raced in on another request and won.
        Err(err) if crate::service::is_unique_violation(&err) && new.request_key.is_some() => {
            drop(txn);
            return submitted_under(db, new.submitter_id, new.request_key.as_deref())
                .await?
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("demand under a request key vanished")));
        }
        Err(err) => return Err(err.into()),
    };
    add_event(
        &txn,
        d.id,
        Action::Submit,
        None,
        Status::Submitted,
        actor,
        None,
        None,
        now,
    )
    .await?;
    let linked = match (claim, new.files) {
        (Some(claim), _) => claim.attach(&txn, Attachment::Demand(d.id)).await?,
        (None, DemandFiles::Inherited(ids)) => ids,
        (None, _) => Vec::new(),
    };
    link(&txn, d.id, None, &linked).await?;
    txn.commit().await?;
    Ok(d)
}

/// The demand a person already submitted under this request key, if any.
async fn submitted_under(
    db: &impl ConnectionTrait,
    submitter: Option<i64>,
    key: Option<&str>,
) -> ApiResult<Option<demand::Model>> {
    let (Some(submitter), Some(key)) = (submitter, key) else {
        return Ok(None);
    };
    Ok(demand::Entity::find()
        .filter(demand::Column::SubmitterId.eq(submitter))
        .filter(demand::Column::RequestKey.eq(key))
        .one(db)
        .await?)
}

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
    /// Where a rating came from (`miniprogram`, `hotline`).
    pub source: Option<String>,
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

/// Active handlers of a unit.
pub async fn unit_handlers(db: &impl ConnectionTrait, unit_id: i64) -> ApiResult<Vec<i64>> {
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq(Role::Handler.code()))
        .filter(role_grant::Column::UnitId.eq(unit_id))
        .filter(role_grant::Column::RevokedAt.is_null())
        .all(db)
        .await?;
    let mut ids: Vec<i64> = grants.into_iter().map(|g| g.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The submitter and everyone following the demand.
pub async fn audience(db: &impl ConnectionTrait, d: &demand::Model) -> ApiResult<Vec<i64>> {
    let mut ids: Vec<i64> = demand_follower::Entity::find()
        .filter(demand_follower::Column::DemandId.eq(d.id))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.user_id)
        .collect();
    ids.extend(d.submitter_id);
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Tells each of `users` about an event on the demand.
#[allow(clippy::too_many_arguments)]
pub async fn tell(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    users: &[i64],
    d: &demand::Model,
    kind: &str,
    key: &str,
    status_label: &str,
    body: String,
    wechat: bool,
) -> ApiResult<()> {
    for &user_id in users {
        notify::enqueue(
            db,
            ctx.settings.wechat.demand_template.as_ref(),
            Notice {
                user_id,
                kind,
                title: format!("诉求{}：{}", status_label, d.title),
                body: body.clone(),
                demand_id: Some(d.id),
                page: Some(format!("subpackages/demand/detail/index?id={}", d.id)),
                dedup_key: format!("{key}:u{user_id}"),
                wechat: wechat.then(|| WechatFields {
                    title: d.title.clone(),
                    status: status_label.to_owned(),
                    time: Utc::now(),
                    note: body.clone(),
                }),
            },
        )
        .await?;
    }
    Ok(())
}

async fn unit_name(db: &impl ConnectionTrait, id: Option<i64>) -> ApiResult<String> {
    Ok(match id {
        Some(id) => unit::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// Makes a move on a demand as `auth` (or the system, when `auth` is None).
pub async fn act<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ctx: &Ctx<'_>,
    auth: Option<&AuthUser>,
    id: i64,
    action: Action,
    mv: Move,
) -> ApiResult<demand::Model> {
    let d = get(db, id).await?;
    let from =
        Status::parse(&d.status).ok_or_else(|| ApiError::internal(anyhow::anyhow!("bad status {}", d.status)))?;
    let actor = match auth {
        Some(auth) => {
            let follower = is_follower(db, d.id, auth.id).await?;
            // A rating taken on a hotline call-back is recorded by staff for the caller.
            let by_staff = mv.source.as_deref() == Some(HOTLINE);
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
    let env = d.environment.clone();
    let mut a: demand::ActiveModel = d.clone().into();
    a.status = Set(to.code().to_owned());
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
                None => cal.deadline(now, cfg.reply_days(&env)),
            };
            let sign_due = cal.deadline(now, cfg.sign_days(&env));
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
            a.rating_source = Set(Some(mv.source.clone().unwrap_or_else(|| "miniprogram".into())));
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
            if d.overdue_kind.as_deref() == Some("reply") {
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
                && !auth.can(STAFF, &owner(&target))
            {
                return Err(ApiError::forbidden());
            }
            if Status::parse(&target.status).is_none_or(Status::is_final) {
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
        let ids = claim.attach(&txn, Attachment::Demand(d.id)).await?;
        link(&txn, d.id, Some(event.id), &ids).await?;
    }
    let updated = after_move(&txn, ctx, &d, updated, action, actor, event.id, now).await?;
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

/// Tells the active handlers of the demand's unit (in-app only).
#[allow(clippy::too_many_arguments)]
pub async fn tell_unit(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    d: &demand::Model,
    kind: &str,
    key: &str,
    status_label: &str,
    body: String,
) -> ApiResult<()> {
    if let Some(unit) = d.unit_id {
        let handlers = unit_handlers(db, unit).await?;
        tell(db, ctx, &handlers, d, kind, key, status_label, body, false).await?;
    }
    Ok(())
}

fn assign_fields(
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

/// What follows a move inside its transaction: notices, followers, the automatic re-dispatch
/// of an unsatisfied rating.
#[allow(clippy::too_many_arguments)]
async fn after_move(
    txn: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    before: &demand::Model,
    d: demand::Model,
    action: Action,
    actor: Actor,
    event_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<demand::Model> {
    let key = format!("demand:{}:e{event_id}", d.id);
    let people = audience(txn, &d).await?;
    match action {
        Action::Accept => {
            tell(
                txn,
                ctx,
                &people,
                &d,
                "demand_accepted",
                &key,
                "已受理",
                "您的诉求已受理，正在安排办理".into(),
                true,
            )
            .await?
        }
        Action::Reject => {
            let reason = d_note(txn, event_id).await?;
            tell(
                txn,
                ctx,
                &people,
                &d,
                "demand_rejected",
                &key,
                "不予受理",
                format!("不予受理：{reason}"),
                true,
            )
            .await?
        }
        Action::Assign => {
            let unit = unit_name(txn, d.unit_id).await?;
            tell(
                txn,
                ctx,
                &people,
                &d,
                "demand_assigned",
                &key,
                "已派单",
                format!("已派至{unit}办理"),
                true,
            )
            .await?;
            tell_unit(
                txn,
                ctx,
                &d,
                "demand_dispatched",
                &key,
                "待签收",
                format!("新派单：{}", d.number),
            )
            .await?;
        }
        Action::Reply => {
            tell(
                txn,
                ctx,
                &people,
                &d,
                "demand_replied",
                &key,
                "已答复",
                "您的诉求已答复，请查看并评价".into(),
                true,
            )
            .await?
        }
        Action::Return => {
            let reason = d_note(txn, event_id).await?;
            let butler: Vec<i64> = d.butler_id.into_iter().collect();
            tell(
                txn,
                ctx,
                &butler,
                &d,
                "demand_returned",
                &key,
                "被退回",
                format!("单位退回：{reason}"),
                false,
            )
            .await?;
        }
        Action::Extend => {
            let butler: Vec<i64> = d.butler_id.into_iter().collect();
            tell(
                txn,
                ctx,
                &butler,
                &d,
                "extension_requested",
                &key,
                "申请延期",
                "承办单位申请延期，请审批".into(),
                false,
            )
            .await?;
        }
        Action::ApproveExtension => {
            let due = d
                .reply_due_at
                .map(|t| local_time(t).format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            tell(
                txn,
                ctx,
                &people,
                &d,
                "extension_approved",
                &key,
                "延期办理",
                format!("办理期限延至{due}"),
                true,
            )
            .await?;
            tell_unit(
                txn,
                ctx,
                &d,
                "extension_approved",
                &key,
                "延期已批准",
                format!("办理期限延至{due}"),
            )
            .await?;
        }
        Action::Supervise => {
            let mut staff: Vec<i64> = d.butler_id.into_iter().collect();
            if let Some(u) = d.unit_id {
                staff.extend(unit_handlers(txn, u).await?);
            }
            staff.retain(|id| Some(*id) != actor.id);
            tell(
                txn,
                ctx,
                &staff,
                &d,
                "demand_supervised",
                &key,
                "督办",
                d_note(txn, event_id).await?,
                false,
            )
            .await?;
        }
        Action::Merge => {
            if let Some(into) = d.merged_into_id {
                // Everyone who followed the duplicate now follows the survivor.
                let rows = people.iter().map(|u| demand_follower::ActiveModel {
                    demand_id: Set(into),
                    user_id: Set(*u),
                });
                demand_follower::Entity::insert_many(rows)
                    .on_conflict(
                        OnConflict::columns([demand_follower::Column::DemandId, demand_follower::Column::UserId])
                            .do_nothing()
                            .to_owned(),
                    )
                    .try_insert()
                    .exec(txn)
                    .await?;
                let target = get(txn, into).await?;
                tell(
                    txn,
                    ctx,
                    &people,
                    &d,
                    "demand_merged",
                    &key,
                    "已合并",
                    format!("与诉求{}合并办理", target.number),
                    true,
                )
                .await?;
            }
        }
        Action::Rate if d.rating_satisfied == Some(false) => {
            // Unsatisfied: the same unit gets the same demand again, with a fresh clock.
            if let Some(unit_id) = before.unit_id {
                let env = d.environment.clone();
                let cfg = &ctx.settings.demands;
                let sign_due = ctx.calendar.deadline(now, cfg.sign_days(&env));
                let reply_due = ctx.calendar.deadline(now, cfg.reply_days(&env));
                let mut a: demand::ActiveModel = d.clone().into();
                assign_fields(&mut a, unit_id, now, sign_due, reply_due);
                a.status = Set(Status::Assigned.code().to_owned());
                a.version = Set(d.version + 1);
                let d2 = a.update(txn).await?;
                let data = serde_json::json!({
                    "unitId": unit_id.to_string(),
                    "signDueAt": local_time(sign_due).to_rfc3339(),
                    "replyDueAt": local_time(reply_due).to_rfc3339(),
                    "reopened": true,
                });
                let ev = add_event(
                    txn,
                    d.id,
                    Action::Assign,
                    Some(Status::Reopened),
                    Status::Assigned,
                    Actor::SYSTEM,
                    Some("企业不满意，退回原承办单位重新办理".into()),
                    Some(data),
                    now,
                )
                .await?;
                let key = format!("demand:{}:e{}", d.id, ev.id);
                tell_unit(
                    txn,
                    ctx,
                    &d2,
                    "demand_reopened",
                    &key,
                    "重新办理",
                    "企业对答复不满意，请重新办理".into(),
                )
                .await?;
                return Ok(d2);
            }
        }
        _ => {}
    }
    Ok(d)
}

async fn d_note(db: &impl ConnectionTrait, event_id: i64) -> ApiResult<String> {
    Ok(demand_event::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .and_then(|e| e.note)
        .unwrap_or_default())
}

/// Filters of the demand list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<Status>,
    pub unit_id: Option<i64>,
    pub environment: Option<Environment>,
    pub channel: Option<Channel>,
    pub enterprise_id: Option<i64>,
    pub overdue: Option<bool>,
    pub unreasonable: Option<bool>,
    pub q: Option<String>,
    /// Only what waits for the caller's own action (the staff queue).
    pub mine_to_act: bool,
}

/// What `auth` may see, as a condition.
fn visible_to(auth: &AuthUser) -> Condition {
    use sea_orm::ExprTrait;
    if auth.is_admin() {
        return Condition::all();
    }
    let units: Vec<i64> = auth.unit_ids().collect();
    if units.is_empty() && !auth.has_role(Role::Butler) {
        return visible_to_person(auth);
    }
    let mut any = Condition::any().add(demand::Column::SubmitterId.eq(auth.id)).add(
        demand::Column::Id.in_subquery(
            Query::select()
                .column(demand_follower::Column::DemandId)
                .from(demand_follower::Entity)
                .and_where(Expr::col(demand_follower::Column::UserId).eq(auth.id))
                .to_owned(),
        ),
    );
    if auth.has_role(Role::Butler) {
        any = any.add(demand::Column::ButlerId.eq(auth.id));
    }
    let units: Vec<i64> = auth.unit_ids().collect();
    if !units.is_empty() {
        any = any.add(demand::Column::UnitId.is_in(units));
    }
    let enterprises: Vec<i64> = auth.enterprise_ids().collect();
    if !enterprises.is_empty() {
        any = any.add(
            Condition::all()
                .add(demand::Column::EnterpriseId.is_in(enterprises))
                .add(demand::Column::Anonymous.eq(false)),
        );
    }
    any
}

/// What a person who is not staff sees: what they filed or follow, and their enterprises'
/// demands that are not anonymous. A few rows among many: as one set of ids, each part read
/// through its own index, rather than a condition the database tests on every demand.
fn visible_to_person(auth: &AuthUser) -> Condition {
    use sea_orm::ExprTrait;
    use sea_orm::sea_query::{SelectStatement, UnionType};
    let mut ids: SelectStatement = Query::select()
        .column(demand::Column::Id)
        .from(demand::Entity)
        .and_where(Expr::col(demand::Column::SubmitterId).eq(auth.id))
        .to_owned();
    ids.union(
        UnionType::All,
        Query::select()
            .column(demand_follower::Column::DemandId)
            .from(demand_follower::Entity)
            .and_where(Expr::col(demand_follower::Column::UserId).eq(auth.id))
            .to_owned(),
    );
    let enterprises: Vec<i64> = auth.enterprise_ids().collect();
    if !enterprises.is_empty() {
        ids.union(
            UnionType::All,
            Query::select()
                .column(demand::Column::Id)
                .from(demand::Entity)
                .and_where(Expr::col(demand::Column::EnterpriseId).is_in(enterprises))
                .and_where(Expr::col(demand::Column::Anonymous).eq(false))
                .to_owned(),
        );
    }
    Condition::all().add(demand::Column::Id.in_subquery(ids))
}

/// The demands whose submitter and enterprise `auth` may see, as a condition: the SQL form of
/// `sees_identity`. A filter on who is behind demands (their enterprise, a name, a phone) is
/// always joined with it, so it never singles out an anonymous demand for someone from whom
/// its identity is hidden.
fn identity_visible(auth: &AuthUser) -> Condition {
    if auth.is_admin() {
        return Condition::all();
    }
    let mut any = Condition::any()
        .add(demand::Column::Anonymous.eq(false))
        .add(demand::Column::SubmitterId.eq(auth.id));
    if auth.has_role(Role::Butler) {
        any = any.add(demand::Column::ButlerId.eq(auth.id));
    }
    any
}

/// What waits for the caller: butlers accept/assign/approve, handlers sign/reply.
fn queue_of(auth: &AuthUser) -> Condition {
    let mut any = Condition::any();
    let staff_states = [Status::Submitted, Status::Accepted, Status::Reopened].map(|s| s.code());
    if auth.is_admin() || auth.has_role(Role::Butler) {
        let mut c = Condition::any()
            .add(demand::Column::Status.is_in(staff_states))
            .add(demand::Column::ExtensionDaysPending.is_not_null());
        if !auth.is_admin() {
            c = Condition::all().add(c).add(demand::Column::ButlerId.eq(auth.id));
        }
        any = any.add(c);
    }
    let units: Vec<i64> = auth.unit_ids().collect();
    if !units.is_empty() {
        any = any.add(
            Condition::all()
                .add(demand::Column::UnitId.is_in(units))
                .add(demand::Column::Status.is_in([Status::Assigned.code(), Status::InProgress.code()])),
        );
    }
    any.add(Expr::value(false))
}

pub async fn list(
    db: &impl ConnectionTrait,
    auth: &AuthUser,
    f: &ListFilter,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<demand::Model>> {
    let mut q = demand::Entity::find()
        .filter(visible_to(auth))
        .order_by_desc(demand::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after_id {
        q = q.filter(demand::Column::Id.lt(after));
    }
    if let Some(s) = f.status {
        q = q.filter(demand::Column::Status.eq(s.code()));
    }
    if let Some(u) = f.unit_id {
        q = q.filter(demand::Column::UnitId.eq(u));
    }
    if let Some(e) = f.environment {
        q = q.filter(demand::Column::Environment.eq(e.code()));
    }
    if let Some(c) = f.channel {
        q = q.filter(demand::Column::Channel.eq(c.code()));
    }
    if let Some(e) = f.enterprise_id {
        q = q
            .filter(demand::Column::EnterpriseId.eq(e))
            .filter(identity_visible(auth));
    }
    if let Some(o) = f.overdue {
        q = q.filter(demand::Column::Overdue.eq(o));
    }
    if let Some(u) = f.unreasonable {
        q = q.filter(demand::Column::Unreasonable.eq(u));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        use crate::service::contains;
        // Who is behind a demand (its enterprise's name, the caller's phone) is searched only
        // where the caller may see it.
        let enterprises = Query::select()
            .column(entity::enterprise::Column::Id)
            .from(entity::enterprise::Entity)
            .and_where(contains(entity::enterprise::Column::Name, text))
            .to_owned();
        let by_identity = Condition::any()
            .add(demand::Column::EnterpriseId.in_subquery(enterprises))
            .add(demand::Column::CallerPhone.eq(text));
        q = q.filter(
            Condition::any()
                .add(contains(demand::Column::Title, text))
                .add(contains(demand::Column::Content, text))
                .add(demand::Column::Number.eq(text.to_ascii_uppercase()))
                .add(Condition::all().add(by_identity).add(identity_visible(auth))),
        );
    }
    if f.mine_to_act {
        q = q.filter(queue_of(auth));
    }
    Ok(q.all(db).await?)
}

pub async fn timeline(db: &impl ConnectionTrait, demand_id: i64) -> ApiResult<Vec<demand_event::Model>> {
    Ok(demand_event::Entity::find()
        .filter(demand_event::Column::DemandId.eq(demand_id))
        .order_by_asc(demand_event::Column::Id)
        .all(db)
        .await?)
}

pub async fn attachments(db: &impl ConnectionTrait, demand_id: i64) -> ApiResult<Vec<demand_attachment::Model>> {
    Ok(demand_attachment::Entity::find()
        .filter(demand_attachment::Column::DemandId.eq(demand_id))
        .order_by_asc(demand_attachment::Column::Id)
        .all(db)
        .await?)
}

/// Unit names by id, for shaping lists.
pub async fn unit_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> ApiResult<HashMap<i64, String>> {
    // Distinct ids: callers pass one per demand, and a zone has a handful of units.
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(unit::Entity::find()
        .filter(unit::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

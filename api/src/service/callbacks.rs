//! The new-enterprise call-back programme: every enterprise registered or imported as new gets
//! a task, assigned to its butler or, when it has none, to the butler with the fewest open
//! tasks; due in `callbacks.due_working_days` working days. A call is reached (the answers are
//! kept and a stated need becomes a demand), not reached (tried again, up to
//! `callbacks.max_attempts`), or refused.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::{callback_task, enterprise, role_grant};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::domain::access::Principal;
use crate::domain::calendar::WorkCalendar;
use crate::domain::callback::{self as form, CallRecord, Figures};
use crate::domain::demand::{Channel, ContentCheck, Environment, Kind, Origin};
use crate::domain::figures::rate;
use crate::domain::form::FormTemplate;
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::service::demands::{self, Actor, Context, NewDemand};
use crate::service::policies::{self, RuleCache};
use crate::settings::Settings;
use sea_orm::DatabaseConnection;

use crate::domain::callback::{CallbackStatus, Outcome, status_after};

/// Active butlers with how many open tasks each holds.
async fn butler_loads(db: &impl ConnectionTrait) -> ApiResult<Vec<(i64, u64)>> {
    let butlers: Vec<i64> = role_grant::Entity::find()
        .select_only()
        .column(role_grant::Column::UserId)
        .filter(role_grant::Column::Role.eq(Role::Butler))
        .filter(role_grant::Column::RevokedAt.is_null())
        .order_by_asc(role_grant::Column::UserId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let mut loads = Vec::with_capacity(butlers.len());
    for b in butlers {
        let open = callback_task::Entity::find()
            .filter(callback_task::Column::ButlerId.eq(b))
            .filter(callback_task::Column::Status.eq(CallbackStatus::Open))
            .count(db)
            .await?;
        loads.push((b, open));
    }
    Ok(loads)
}

/// Creates the call-back tasks of new enterprises (`(id, butler)`); an enterprise that already
/// has one keeps it. Returns how many were created.
/// When new enterprises' call-backs fall due.
pub struct Plan<'a> {
    pub calendar: &'a WorkCalendar,
    pub due_working_days: u32,
    pub today: NaiveDate,
}

pub async fn create_for(db: &impl ConnectionTrait, new: &[(i64, Option<i64>)], plan: &Plan<'_>) -> ApiResult<usize> {
    if new.is_empty() {
        return Ok(0);
    }
    let due_on = plan.calendar.nth_working_day_after(plan.today, plan.due_working_days);
    let mut loads = butler_loads(db).await?;
    let now = Utc::now();
    let mut rows = Vec::with_capacity(new.len());
    for &(enterprise_id, butler) in new {
        let butler = butler.or_else(|| {
            // The least loaded butler (lowest id on a tie) takes it.
            let least = loads.iter_mut().min_by_key(|(id, n)| (*n, *id))?;
            least.1 += 1;
            Some(least.0)
        });
        rows.push(callback_task::ActiveModel {
            enterprise_id: Set(enterprise_id),
            butler_id: Set(butler),
            due_on: Set(due_on),
            status: Set(CallbackStatus::Open),
            attempts: Set(0),
            last_attempt_at: Set(None),
            answers: Set(None),
            demand_id: Set(None),
            completed_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    let mut created = 0;
    for chunk in rows.chunks(500) {
        created += callback_task::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(callback_task::Column::EnterpriseId)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(usize::try_from(created).unwrap_or(0))
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<callback_task::Model> {
    callback_task::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("callback_not_found", "回访任务不存在"))
}

/// Tasks by due date (the most overdue first), a butler's own or all: `limit` of them from
/// `offset`, and one more when there are more.
pub async fn list(
    db: &impl ConnectionTrait,
    butler: Option<i64>,
    status: Option<CallbackStatus>,
    offset: u64,
    limit: u64,
) -> ApiResult<Vec<(callback_task::Model, Option<enterprise::Model>)>> {
    let mut q = callback_task::Entity::find()
        .order_by_asc(callback_task::Column::DueOn)
        .order_by_asc(callback_task::Column::Id)
        .offset(offset)
        .limit(limit + 1);
    if let Some(b) = butler {
        q = q.filter(callback_task::Column::ButlerId.eq(b));
    }
    if let Some(s) = status {
        q = q.filter(callback_task::Column::Status.eq(s));
    }
    let tasks = q.all(db).await?;
    let ids: Vec<i64> = tasks.iter().map(|t| t.enterprise_id).collect();
    let mut by_id: HashMap<i64, enterprise::Model> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(tasks
        .into_iter()
        .map(|t| {
            let e = by_id.remove(&t.enterprise_id);
            (t, e)
        })
        .collect())
}

/// The enterprise's call-back form: the start-up basics, its matched policies (today) to ask
/// which it knows, and its needs.
pub async fn form_for(
    db: &DatabaseConnection,
    rules: &RuleCache,
    enterprise: &enterprise::Model,
) -> ApiResult<FormTemplate> {
    let matched = policies::matches_for(db, rules, enterprise, crate::types::today()).await?;
    let options: Vec<(i64, String)> = matched.into_iter().map(|(p, _)| (p.id, p.title)).collect();
    Ok(form::form(&options))
}

/// A call as the butler records it.
pub struct Call {
    pub outcome: Outcome,
    /// The answers to the call-back form by question id (when reached).
    pub answers: Option<HashMap<String, serde_json::Value>>,
}

/// Records a call on an open `task` by `auth` (its butler or an admin, checked by the caller).
/// Reached: the answers are checked against the form and kept, and a stated need becomes a
/// demand for the enterprise (channel `callback`); the demand and the call are stored together,
/// so a call recorded twice (a retry, a second phone) fails whole and no demand is left without
/// its call. Returns the task as it is now, with its enterprise.
pub async fn record_call(
    db: &DatabaseConnection,
    settings: &Settings,
    rules: &RuleCache,
    auth: &Principal,
    task: callback_task::Model,
    call: Call,
) -> ApiResult<(callback_task::Model, enterprise::Model)> {
    if task.status != CallbackStatus::Open {
        return Err(ApiError::conflict("callback_closed", "该回访任务已结束"));
    }
    let enterprise = crate::service::enterprises::get(db, task.enterprise_id).await?;
    let record = match (call.outcome, call.answers) {
        (Outcome::Reached, answers) => {
            let template = form_for(db, rules, &enterprise).await?;
            Some(form::record(&template, &answers.unwrap_or_default()).map_err(ApiError::invalid)?)
        }
        (_, Some(_)) => {
            return Err(ApiError::invalid_field(
                "answers",
                "not_reached",
                "未接通或拒访时不应填写回访内容",
            ));
        }
        (_, None) => None,
    };
    let ctx = Context::load(db, settings).await?;
    let txn = crate::service::begin_write(db).await?;
    let demand_id = match record.as_ref().and_then(CallRecord::need) {
        Some(text) => {
            let actor = Actor {
                id: Some(auth.id),
                role: Some(if auth.is_admin() { Role::Admin } else { Role::Butler }),
                unit_id: None,
            };
            let new = NewDemand {
                kind: Kind::Demand,
                environment: Environment::Service,
                channel: Channel::Callback,
                title: bot::dialogue::clip(text, 30),
                content: text.to_owned(),
                anonymous: false,
                enterprise_id: Some(enterprise.id),
                butler_id: enterprise.butler_user_id.or(task.butler_id),
                submitter_id: None,
                caller_phone: None,
                origin: Some((Origin::Callback, task.id.to_string())),
                files: Default::default(),
                content_check: ContentCheck::Unchecked,
                request_key: None,
            };
            Some(demands::create(&txn, &ctx, actor, new).await?.id)
        }
        None => None,
    };
    let max_attempts = settings.callbacks.max_attempts;
    let updated = record_on(&txn, task, call.outcome, record.as_ref(), demand_id, max_attempts).await?;
    txn.commit().await?;
    Ok((updated, enterprise))
}

/// Records a call on an open task, only if nobody recorded one since it was read (409
/// `callback_closed` otherwise). Returns the task as it is now.
async fn record_on(
    db: &impl ConnectionTrait,
    task: callback_task::Model,
    outcome: Outcome,
    call: Option<&CallRecord>,
    demand_id: Option<i64>,
    max_attempts: i32,
) -> ApiResult<callback_task::Model> {
    let now = Utc::now();
    let read_attempts = task.attempts;
    let attempts = task.attempts + 1;
    let status = status_after(outcome, attempts, max_attempts);
    let mut active: callback_task::ActiveModel = task.into();
    active.attempts = Set(attempts);
    active.last_attempt_at = Set(Some(now));
    active.status = Set(status);
    if status != CallbackStatus::Open {
        active.completed_at = Set(Some(now));
    }
    if let Some(c) = call {
        active.answers = Set(Some(serde_json::to_value(c).map_err(ApiError::internal)?));
    }
    if demand_id.is_some() {
        active.demand_id = Set(demand_id);
    }
    active.updated_at = Set(now);
    callback_task::Entity::update(active)
        .validate()?
        .filter(callback_task::Column::Status.eq(CallbackStatus::Open))
        .filter(callback_task::Column::Attempts.eq(read_attempts))
        .exec(db)
        .await
        .map_err(|e| match e {
            sea_orm::DbErr::RecordNotUpdated => ApiError::conflict("callback_closed", "该回访任务已结束"),
            e => e.into(),
        })
}

/// The programme's figures over the enterprises that became tasks in `[from, to]`, as they
/// stood at the end of `to`: a call made later is not counted, so a past period's figures stay
/// what they were.
pub async fn figures(db: &impl ConnectionTrait, from: NaiveDate, to: NaiveDate) -> ApiResult<Figures> {
    let start = crate::domain::calendar::end_of_day(from) - chrono::Duration::days(1);
    let end = crate::domain::calendar::end_of_day(to);
    let tasks = callback_task::Entity::find()
        .filter(callback_task::Column::CreatedAt.gt(start))
        .filter(callback_task::Column::CreatedAt.lte(end))
        .all(db)
        .await?;
    let mut f = Figures {
        new: tasks.len() as u64,
        ..Figures::default()
    };
    let (mut known, mut matched) = (0u64, 0u64);
    for t in &tasks {
        // What was true at the end of the period.
        let settled = t.completed_at.is_some_and(|done| done <= end);
        match t.status {
            CallbackStatus::Reached if settled => f.reached += 1,
            CallbackStatus::Refused if settled => f.refused += 1,
            CallbackStatus::Unreachable if settled => f.unreachable += 1,
            _ => f.open += 1,
        }
        if !(settled && t.status == CallbackStatus::Reached) {
            continue;
        }
        if t.completed_at
            .is_some_and(|done| crate::types::local_time(done).date_naive() <= t.due_on)
        {
            f.called_back_in_time += 1;
        }
        if t.demand_id.is_some() {
            f.demands_created += 1;
        }
        if let Some(call) = t
            .answers
            .clone()
            .and_then(|v| serde_json::from_value::<CallRecord>(v).ok())
        {
            if !call.problems.is_empty() {
                f.problems_found += 1;
            }
            matched += u64::from(call.matched_policies);
            known += u64::from(call.known_policies.min(call.matched_policies));
        }
    }
    let n = |x: u64| i64::try_from(x).unwrap_or(i64::MAX);
    f.coverage = rate(n(f.called_back_in_time), n(f.new));
    f.awareness = rate(n(known), n(matched));
    Ok(f)
}

//! Mystery-shopper weeks (神秘客暗访): admins list targets and assign officers to them with a
//! visit window; the officer checks in (server time, and position within the radius when the
//! target has coordinates) and submits the checklist; findings become demands dispatched to the
//! target's unit. The assessed unit reads the report and its demands with no trace of who
//! visited: the demands are filed by the system, anonymous, with no submitter or enterprise.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{event, form_submission, ms_assignment, ms_target};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::Value;

use crate::domain::demand::{Channel, ContentCheck, Environment, Kind, Origin};
use crate::domain::form::{Question, QuestionType};
use crate::domain::geo;
use crate::error::{ApiError, ApiResult};
use crate::service::demands::{self, Actor, Context, DemandFiles, NewDemand};
use crate::service::files::{self, AttachedTo, FileRefs, Uploader};
use crate::service::submissions;
use crate::settings::Settings;
use sea_orm::DatabaseConnection;

pub struct NewTarget {
    pub name: String,
    pub unit_id: i64,
    pub address: Option<String>,
    pub position: Option<(f64, f64, i32)>,
}

pub async fn add_target(db: &impl ConnectionTrait, event_id: i64, t: NewTarget) -> ApiResult<ms_target::Model> {
    Ok(ms_target::ActiveModel {
        event_id: Set(event_id),
        name: Set(t.name),
        unit_id: Set(t.unit_id),
        address: Set(t.address),
        latitude: Set(t.position.map(|p| p.0)),
        longitude: Set(t.position.map(|p| p.1)),
        radius_m: Set(t.position.map(|p| p.2)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Rewrites a target's fields.
pub async fn replace_target(db: &impl ConnectionTrait, id: i64, t: NewTarget) -> ApiResult<ms_target::Model> {
    let mut a: ms_target::ActiveModel = target(db, id).await?.into();
    a.name = Set(t.name);
    a.unit_id = Set(t.unit_id);
    a.address = Set(t.address);
    a.latitude = Set(t.position.map(|p| p.0));
    a.longitude = Set(t.position.map(|p| p.1));
    a.radius_m = Set(t.position.map(|p| p.2));
    Ok(a.update(db).await?)
}

/// Removes a target nobody is assigned to.
pub async fn delete_target(db: &impl ConnectionTrait, id: i64) -> ApiResult<()> {
    use sea_orm::PaginatorTrait;
    target(db, id).await?;
    let assigned = ms_assignment::Entity::find()
        .filter(ms_assignment::Column::TargetId.eq(id))
        .count(db)
        .await?;
    if assigned > 0 {
        return Err(ApiError::conflict(
            "target_has_assignments",
            "该暗访对象已有体验官任务，请先删除任务",
        ));
    }
    ms_target::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// An event's assignments, by visit window.
pub async fn assignments_in(db: &impl ConnectionTrait, event_id: i64) -> ApiResult<Vec<ms_assignment::Model>> {
    Ok(ms_assignment::Entity::find()
        .filter(ms_assignment::Column::EventId.eq(event_id))
        .order_by_asc(ms_assignment::Column::WindowStart)
        .order_by_asc(ms_assignment::Column::Id)
        .all(db)
        .await?)
}

/// Withdraws an assignment the officer has not started (checked in) yet.
pub async fn withdraw(db: &impl ConnectionTrait, id: i64) -> ApiResult<()> {
    let gone = ms_assignment::Entity::delete_many()
        .filter(ms_assignment::Column::Id.eq(id))
        .filter(ms_assignment::Column::CheckedInAt.is_null())
        .exec(db)
        .await?;
    if gone.rows_affected != 1 {
        assignment(db, id).await?;
        return Err(ApiError::conflict(
            "assignment_started",
            "体验官已到场签到，不能再撤回任务",
        ));
    }
    Ok(())
}

pub async fn targets(db: &impl ConnectionTrait, event_id: i64) -> ApiResult<Vec<ms_target::Model>> {
    Ok(ms_target::Entity::find()
        .filter(ms_target::Column::EventId.eq(event_id))
        .order_by_asc(ms_target::Column::Id)
        .all(db)
        .await?)
}

pub async fn target(db: &impl ConnectionTrait, id: i64) -> ApiResult<ms_target::Model> {
    ms_target::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("target_not_found", "暗访对象不存在"))
}

pub async fn assign(
    db: &impl ConnectionTrait,
    e: &event::Model,
    target_id: i64,
    officer_id: i64,
    window: (DateTime<Utc>, DateTime<Utc>),
) -> ApiResult<ms_assignment::Model> {
    let t = target(db, target_id).await?;
    if t.event_id != e.id {
        return Err(ApiError::invalid_field("targetId", "not_found", "暗访对象不属于本活动"));
    }
    Ok(ms_assignment::ActiveModel {
        event_id: Set(e.id),
        target_id: Set(target_id),
        officer_id: Set(officer_id),
        window_start: Set(window.0),
        window_end: Set(window.1),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn assignment(db: &impl ConnectionTrait, id: i64) -> ApiResult<ms_assignment::Model> {
    ms_assignment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("assignment_not_found", "暗访任务不存在"))
}

/// The unit assessed by an assignment (its target's).
pub async fn unit_of_assignment(db: &impl ConnectionTrait, assignment_id: i64) -> ApiResult<i64> {
    let a = assignment(db, assignment_id).await?;
    Ok(target(db, a.target_id).await?.unit_id)
}

pub async fn assignments_of(db: &impl ConnectionTrait, officer_id: i64) -> ApiResult<Vec<ms_assignment::Model>> {
    Ok(ms_assignment::Entity::find()
        .filter(ms_assignment::Column::OfficerId.eq(officer_id))
        .order_by_asc(ms_assignment::Column::WindowStart)
        .all(db)
        .await?)
}

/// Checks in at server time; refuses outside the window or, when the target has coordinates,
/// outside its radius.
pub async fn check_in(
    db: &impl ConnectionTrait,
    a: &ms_assignment::Model,
    position: Option<(f64, f64)>,
    now: DateTime<Utc>,
) -> ApiResult<ms_assignment::Model> {
    if a.checked_in_at.is_some() {
        return Err(ApiError::conflict("already_checked_in", "已签到"));
    }
    if now < a.window_start || now > a.window_end {
        return Err(ApiError::conflict("outside_window", "不在暗访时间窗口内，不能签到"));
    }
    let t = target(db, a.target_id).await?;
    if let (Some(lat), Some(lng), Some(radius)) = (t.latitude, t.longitude, t.radius_m) {
        let (plat, plng) = position
            .ok_or_else(|| ApiError::invalid_field("latitude", "required", "该暗访对象需要定位签到，请授权位置"))?;
        if !geo::valid(plat, plng) {
            return Err(ApiError::invalid_field("latitude", "out_of_range", "位置坐标无效"));
        }
        let d = geo::distance_m(lat, lng, plat, plng);
        if d > f64::from(radius) {
            return Err(ApiError::Conflict {
                code: "outside_radius",
                message: format!("距暗访地点约 {} 米，超出 {radius} 米签到范围", d.round()).into(),
            });
        }
    }
    let mut active: ms_assignment::ActiveModel = a.clone().into();
    active.checked_in_at = Set(Some(now));
    active.check_in_lat = Set(position.map(|p| p.0));
    active.check_in_lng = Set(position.map(|p| p.1));
    Ok(active.update(db).await?)
}

fn describe(q: &Question, v: &Value) -> String {
    let answer = match (q.kind, v) {
        (QuestionType::YesNo, Value::Bool(b)) => {
            if *b {
                "是".to_owned()
            } else {
                "否".to_owned()
            }
        }
        (QuestionType::Rating, v) => format!("{v} 分（满分 5 分）"),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    };
    format!("检查项：{}\n暗访结果：{}", q.title, answer)
}

/// Stores the report and files each finding as a demand dispatched to the target's unit.
/// Returns the submission and the demand ids.
pub async fn report(
    db: &DatabaseConnection,
    settings: &Settings,
    e: &event::Model,
    a: &ms_assignment::Model,
    answers: &HashMap<String, Value>,
) -> ApiResult<(form_submission::Model, Vec<i64>)> {
    if a.checked_in_at.is_none() {
        return Err(ApiError::conflict("not_checked_in", "请先到场签到再提交暗访报告"));
    }
    let (template_id, template) = crate::service::forms::of_event(db, e).await?;
    let template = &template;
    let ctx = &Context::load(db, settings).await?;
    let valid = template.validate(answers).map_err(ApiError::invalid)?;
    let findings = valid.findings(template);
    let t = target(db, a.target_id).await?;
    let photos = files::check(
        db,
        Uploader::Person(a.officer_id),
        &FileRefs::of_answers(&valid.answers),
        usize::MAX,
        None,
    )
    .await?;
    let txn = crate::service::begin_write(db).await?;
    let stored = submissions::StoredSubmission {
        event_id: e.id,
        template_id,
        submitter_id: a.officer_id,
        enterprise_id: None,
        assignment_id: Some(a.id),
        once_key: format!("mystery:{}", a.id),
        valid: &valid,
        findings: &findings,
    };
    let submission = submissions::store(&txn, stored, "该暗访任务已提交报告").await?;
    // The report's photos; its findings' demands show them too.
    let photos = photos.attach(&txn, AttachedTo::Submission(submission.id)).await?;
    let mut demand_ids = Vec::new();
    for qid in &findings {
        let (Some(q), Some(v)) = (template.questions().find(|q| &q.id == qid), valid.answers.get(qid)) else {
            continue;
        };
        // Filed by the system, anonymous, with no submitter: nothing leads back to the officer.
        let d = demands::create(
            &txn,
            ctx,
            Actor::SYSTEM,
            NewDemand {
                kind: Kind::Problem,
                environment: q.environment.unwrap_or(Environment::Service),
                channel: Channel::MysteryShopper,
                title: format!("暗访发现：{}", q.title).chars().take(50).collect(),
                content: format!("{}（{}）\n{}", t.name, e.title, describe(q, v)),
                anonymous: true,
                enterprise_id: None,
                butler_id: None,
                submitter_id: None,
                caller_phone: None,
                origin: Some((Origin::MysteryReport, submission.id.to_string())),
                files: DemandFiles::Inherited(photos.clone()),
                content_check: ContentCheck::System,
                request_key: None,
            },
        )
        .await?;
        submissions::dispatch_finding(&txn, ctx, d.id, t.unit_id, "暗访发现，系统受理").await?;
        demand_ids.push(d.id);
    }
    let mut active: ms_assignment::ActiveModel = a.clone().into();
    active.submission_id = Set(Some(submission.id));
    active.update(&txn).await?;
    txn.commit().await?;
    Ok((submission, demand_ids))
}

/// Reports of an event, with their assignment and target.
pub async fn reports(
    db: &impl ConnectionTrait,
    event_id: i64,
) -> ApiResult<Vec<(form_submission::Model, ms_assignment::Model, ms_target::Model)>> {
    let subs = form_submission::Entity::find()
        .filter(form_submission::Column::EventId.eq(event_id))
        .filter(form_submission::Column::AssignmentId.is_not_null())
        .order_by_asc(form_submission::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for s in subs {
        let Some(aid) = s.assignment_id else { continue };
        let a = assignment(db, aid).await?;
        let t = target(db, a.target_id).await?;
        out.push((s, a, t));
    }
    Ok(out)
}

/// Reports across events, newest first: on the targets of `units` (a unit's handlers), or all
/// (admins); each with its assignment, target and event.
#[allow(clippy::type_complexity)]
pub async fn reports_on(
    db: &impl ConnectionTrait,
    units: Option<&[i64]>,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<
    Vec<(
        form_submission::Model,
        ms_assignment::Model,
        ms_target::Model,
        event::Model,
    )>,
> {
    use sea_orm::{ExprTrait, QuerySelect};
    let mut q = form_submission::Entity::find()
        .filter(form_submission::Column::AssignmentId.is_not_null())
        .order_by_desc(form_submission::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after_id {
        q = q.filter(form_submission::Column::Id.lt(after));
    }
    if let Some(units) = units {
        let assignments = sea_orm::sea_query::Query::select()
            .column((ms_assignment::Entity, ms_assignment::Column::Id))
            .from(ms_assignment::Entity)
            .inner_join(
                ms_target::Entity,
                sea_orm::sea_query::Expr::col((ms_target::Entity, ms_target::Column::Id))
                    .equals((ms_assignment::Entity, ms_assignment::Column::TargetId)),
            )
            .and_where(
                sea_orm::sea_query::Expr::col((ms_target::Entity, ms_target::Column::UnitId)).is_in(units.to_vec()),
            )
            .take();
        q = q.filter(form_submission::Column::AssignmentId.in_subquery(assignments));
    }
    let mut out = Vec::new();
    for s in q.all(db).await? {
        let Some(aid) = s.assignment_id else { continue };
        let a = assignment(db, aid).await?;
        let t = target(db, a.target_id).await?;
        let e = crate::service::events::get(db, s.event_id).await?;
        out.push((s, a, t, e));
    }
    Ok(out)
}

/// Demands filed from a report.
pub async fn report_demands(db: &impl ConnectionTrait, submission_id: i64) -> ApiResult<Vec<entity::demand::Model>> {
    Ok(entity::demand::Entity::find()
        .filter(entity::demand::Column::OriginType.eq("mystery_report"))
        .filter(entity::demand::Column::OriginId.eq(submission_id.to_string()))
        .order_by_asc(entity::demand::Column::Id)
        .all(db)
        .await?)
}

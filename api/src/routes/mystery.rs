//! Mystery-shopper weeks: targets and assignments (admins), check-in and report (the assigned
//! officer), reports for the assessed units — never naming who visited; only admins see that.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::{ADMINS, HANDLERS};
use crate::domain::event::{EventKind, EventStatus};
use crate::domain::geo;
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::{no_errors, optional_text, required_text};
use crate::service::{events, mystery, people, units};
use crate::state::AppState;
use crate::types::{Id, Named, Page, PageQuery, local_time};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(add_target)
        .service(list_targets)
        .service(add_assignment)
        .service(my_assignments)
        .service(check_in)
        .service(submit_report)
        .service(week_reports)
        .service(unit_reports)
        .service(update_target)
        .service(delete_target)
        .service(list_assignments)
        .service(delete_assignment);
}

async fn mystery_week(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<entity::event::Model> {
    let e = events::visible(&state.db, auth, id).await?;
    if e.kind != EventKind::MysteryShopperWeek {
        return Err(ApiError::not_found(
            "not_a_mystery_shopper_week",
            "该活动不是神秘客暗访",
        ));
    }
    Ok(e)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TargetResponse {
    pub id: Id,
    pub name: String,
    pub unit_id: Id,
    pub unit_name: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub radius_m: Option<i32>,
}

async fn target_response(state: &AppState, t: entity::ms_target::Model) -> ApiResult<TargetResponse> {
    let unit_name = units::get(&state.db, t.unit_id).await?.name;
    Ok(TargetResponse {
        id: Id(t.id),
        name: t.name,
        unit_id: Id(t.unit_id),
        unit_name,
        address: t.address,
        latitude: t.latitude,
        longitude: t.longitude,
        radius_m: t.radius_m,
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetRequest {
    /// A service window or a process, e.g. 「税务局办税服务厅 3 号窗口」.
    pub name: String,
    pub unit_id: Id,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Check-in radius in metres (default 300) when coordinates are given.
    pub radius_m: Option<i32>,
}

/// A target as asked for, checked (adding and editing alike).
async fn checked_target(state: &AppState, b: TargetRequest) -> ApiResult<mystery::NewTarget> {
    let mut errors = Vec::new();
    let name = required_text(&b.name, "name", 50, &mut errors);
    let address = optional_text(b.address.as_deref(), "address", 100, &mut errors);
    let position = match (b.latitude, b.longitude) {
        (Some(lat), Some(lng)) if geo::valid(lat, lng) => Some((lat, lng, b.radius_m.unwrap_or(300).clamp(10, 5000))),
        (None, None) => None,
        _ => {
            errors.push(FieldError::new(
                "latitude",
                "invalid_position",
                "请同时填写有效的纬度和经度",
            ));
            None
        }
    };
    no_errors(errors)?;
    units::get(&state.db, b.unit_id.0)
        .await
        .map_err(|e| e.missing_as_field("unitId", "not_found", "单位不存在"))?;
    Ok(mystery::NewTarget {
        name,
        unit_id: b.unit_id.0,
        address,
        position,
    })
}

/// Add a target (admins).
#[utoipa::path(tag = "events", params(("id" = String, Path)), request_body = TargetRequest, responses((status = 201, body = TargetResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/events/{id}/targets")]
pub async fn add_target(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<TargetRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let e = mystery_week(&state, &auth, id.into_inner()).await?;
    let new = checked_target(&state, body.parse()?).await?;
    let t = mystery::add_target(&state.db, e.id, new).await?;
    Ok(HttpResponse::Created().json(target_response(&state, t).await?))
}

/// A target's fields to change (admins); each left out stays as it is, and coordinates are
/// given together.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateTargetRequest {
    pub name: Option<String>,
    pub unit_id: Option<Id>,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub radius_m: Option<i32>,
}

/// Change a target (admins).
#[utoipa::path(tag = "events", params(("id" = String, Path)), request_body = UpdateTargetRequest, responses(
    (status = 200, body = TargetResponse),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[patch("/targets/{id}")]
pub async fn update_target(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<UpdateTargetRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let t = mystery::target(&state.db, id.into_inner()).await?;
    let b = body.parse()?;
    let moved = b.latitude.is_some() || b.longitude.is_some();
    let whole = TargetRequest {
        name: b.name.unwrap_or_else(|| t.name.clone()),
        unit_id: b.unit_id.unwrap_or(Id(t.unit_id)),
        address: b.address.or_else(|| t.address.clone()),
        latitude: if moved { b.latitude } else { t.latitude },
        longitude: if moved { b.longitude } else { t.longitude },
        radius_m: b.radius_m.or(t.radius_m),
    };
    let new = checked_target(&state, whole).await?;
    let t = mystery::replace_target(&state.db, t.id, new).await?;
    Ok(HttpResponse::Ok().json(target_response(&state, t).await?))
}

/// Remove a target nobody is assigned to (admins).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses(
    (status = 204),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, description = "`target_has_assignments`", body = ErrorBody),
))]
#[delete("/targets/{id}")]
pub async fn delete_target(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    mystery::delete_target(&state.db, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The week's assignments with the officers named (admins).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses(
    (status = 200, body = [AssignmentResponse]),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[get("/events/{id}/assignments")]
pub async fn list_assignments(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let e = mystery_week(&state, &auth, id.into_inner()).await?;
    let rows = mystery::assignments_in(&state.db, e.id).await?;
    let names = people::names(&state.db, rows.iter().map(|a| a.officer_id)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for a in rows {
        let officer = Named {
            id: Id(a.officer_id),
            name: names.get(&a.officer_id).cloned().unwrap_or_default(),
        };
        let mut r = assignment_response(&state, a).await?;
        r.officer = Some(officer);
        out.push(r);
    }
    Ok(HttpResponse::Ok().json(out))
}

/// Withdraw an assignment the officer has not started (admins).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses(
    (status = 204),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, description = "`assignment_started`: the officer checked in", body = ErrorBody),
))]
#[delete("/assignments/{id}")]
pub async fn delete_assignment(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    mystery::withdraw(&state.db, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The event's targets (admins and the event's officers).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = [TargetResponse]), (status = 404, body = ErrorBody)))]
#[get("/events/{id}/targets")]
pub async fn list_targets(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let e = mystery_week(&state, &auth, id.into_inner()).await?;
    let mut out = Vec::new();
    for t in mystery::targets(&state.db, e.id).await? {
        out.push(target_response(&state, t).await?);
    }
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignmentRequest {
    pub target_id: Id,
    /// A person holding the `officer` role.
    pub officer_id: Id,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentResponse {
    pub id: Id,
    pub event_id: Id,
    pub event_title: String,
    pub form_id: Option<Id>,
    pub target: TargetResponse,
    pub window_start: DateTime<FixedOffset>,
    pub window_end: DateTime<FixedOffset>,
    pub checked_in_at: Option<DateTime<FixedOffset>>,
    pub report_id: Option<Id>,
    /// The officer (admins' list of a week's assignments only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub officer: Option<Named>,
}

async fn assignment_response(state: &AppState, a: entity::ms_assignment::Model) -> ApiResult<AssignmentResponse> {
    let e = events::get(&state.db, a.event_id).await?;
    let t = mystery::target(&state.db, a.target_id).await?;
    Ok(AssignmentResponse {
        id: Id(a.id),
        event_id: Id(e.id),
        event_title: e.title,
        form_id: e.form_template_id.map(Id),
        target: target_response(state, t).await?,
        window_start: local_time(a.window_start),
        window_end: local_time(a.window_end),
        checked_in_at: a.checked_in_at.map(local_time),
        report_id: a.submission_id.map(Id),
        officer: None,
    })
}

/// Assign an officer to a target with a visit window (admins).
#[utoipa::path(tag = "events", params(("id" = String, Path)), request_body = AssignmentRequest, responses((status = 201, body = AssignmentResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/events/{id}/assignments")]
pub async fn add_assignment(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<AssignmentRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let e = mystery_week(&state, &auth, id.into_inner()).await?;
    let b = body.parse()?;
    if b.window_end <= b.window_start {
        return Err(ApiError::invalid_field(
            "windowEnd",
            "before_start",
            "结束时间应晚于开始时间",
        ));
    }
    let officer_roles = people::active_roles(&state.db, b.officer_id.0)
        .await?
        .unwrap_or_default();
    if !officer_roles.iter().any(|r| r.role == Role::Officer) {
        return Err(ApiError::invalid_field(
            "officerId",
            "not_an_officer",
            "指定的人员不是营商环境体验官",
        ));
    }
    let a = mystery::assign(
        &state.db,
        &e,
        b.target_id.0,
        b.officer_id.0,
        (b.window_start, b.window_end),
    )
    .await?;
    Ok(HttpResponse::Created().json(assignment_response(&state, a).await?))
}

/// My mystery-shopper assignments (officers).
#[utoipa::path(tag = "events", responses((status = 200, body = [AssignmentResponse])))]
#[get("/me/assignments")]
pub async fn my_assignments(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let mut out = Vec::new();
    for a in mystery::assignments_of(&state.db, auth.id).await? {
        out.push(assignment_response(&state, a).await?);
    }
    Ok(HttpResponse::Ok().json(out))
}

async fn my_assignment(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
) -> ApiResult<(entity::ms_assignment::Model, entity::event::Model)> {
    let a = mystery::assignment(&state.db, id).await?;
    if a.officer_id != auth.id || !auth.has_role(Role::Officer) {
        return Err(ApiError::not_found("assignment_not_found", "暗访任务不存在"));
    }
    let e = events::get(&state.db, a.event_id).await?;
    if events::status(&e) != EventStatus::Open {
        return Err(ApiError::conflict("event_not_open", "暗访活动未开始或已结束"));
    }
    Ok((a, e))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckInRequest {
    /// From `wx.getLocation` (WGS-84); required when the target has coordinates.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// Check in at the target (the assigned officer; server time; position within the radius).
#[utoipa::path(tag = "events", params(("id" = String, Path)), request_body = CheckInRequest, responses(
    (status = 200, body = AssignmentResponse),
    (status = 404, body = ErrorBody),
    (status = 409, description = "`outside_window`, `outside_radius`, `already_checked_in`", body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/assignments/{id}/check-in")]
pub async fn check_in(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<CheckInRequest>,
) -> ApiResult<HttpResponse> {
    let (a, _) = my_assignment(&state, &auth, id.into_inner()).await?;
    let b = body.parse()?;
    let position = b.latitude.zip(b.longitude);
    let a = mystery::check_in(&state.db, &a, position, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(assignment_response(&state, a).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportRequest {
    #[schema(value_type = HashMap<String, crate::routes::forms::Answer>)]
    pub answers: crate::routes::forms::Answers,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportDemand {
    pub id: Id,
    pub number: String,
    pub status: crate::domain::demand::Status,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Officer {
    pub id: Id,
    pub name: Option<String>,
    pub phone: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = MysteryReportResponse)]
pub struct ReportResponse {
    pub id: Id,
    pub target: TargetResponse,
    /// The day of the visit (Asia/Shanghai).
    pub visited_on: Option<NaiveDate>,
    /// The exact check-in time: admins only (with it a unit could find the visitor on its
    /// own cameras).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visited_at: Option<DateTime<FixedOffset>>,
    /// The answers by question id.
    #[schema(value_type = HashMap<String, crate::routes::forms::Answer>)]
    pub answers: serde_json::Value,
    pub findings: Vec<String>,
    pub demands: Vec<ReportDemand>,
    /// Admins only; absent for everyone else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub officer: Option<Officer>,
}

async fn report_response(
    state: &AppState,
    auth: &AuthUser,
    s: entity::form_submission::Model,
    a: entity::ms_assignment::Model,
    t: entity::ms_target::Model,
) -> ApiResult<ReportResponse> {
    let demands = mystery::report_demands(&state.db, s.id)
        .await?
        .into_iter()
        .map(|d| ReportDemand {
            id: Id(d.id),
            number: d.number,
            status: d.status,
        })
        .collect();
    let officer = if auth.is_admin() {
        let p = people::get(&state.db, a.officer_id).await?;
        crate::service::privacy::audit_identity_reads(&state.db, auth.id, "mystery_report", &[s.id]).await?;
        Some(Officer {
            id: Id(p.id),
            name: p.nickname,
            phone: p.phone,
        })
    } else {
        None
    };
    Ok(ReportResponse {
        id: Id(s.id),
        target: target_response(state, t).await?,
        visited_on: a.checked_in_at.map(|t| local_time(t).date_naive()),
        visited_at: a.checked_in_at.filter(|_| auth.is_admin()).map(local_time),
        findings: s
            .findings
            .as_array()
            .map(|f| f.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default(),
        answers: s.answers,
        demands,
        officer,
    })
}

/// Submit the checklist (the assigned officer, after checking in). Findings become demands
/// dispatched to the target's unit.
#[utoipa::path(tag = "events", params(("id" = String, Path)), request_body = ReportRequest, responses(
    (status = 201, body = ReportResponse),
    (status = 404, body = ErrorBody),
    (status = 409, description = "`not_checked_in`, `already_submitted`", body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/assignments/{id}/report")]
pub async fn submit_report(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ReportRequest>,
) -> ApiResult<HttpResponse> {
    let (a, e) = my_assignment(&state, &auth, id.into_inner()).await?;
    let answers = body.parse()?.answers;
    let (s, _) = mystery::report(&state.db, &state.settings, &e, &a, &answers).await?;
    let a = mystery::assignment(&state.db, a.id).await?;
    let t = mystery::target(&state.db, a.target_id).await?;
    Ok(HttpResponse::Created().json(report_response(&state, &auth, s, a, t).await?))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnitMysteryReport {
    /// The mystery-shopper week (its title as `name`).
    pub event: Named,
    pub report: ReportResponse,
}

/// Mystery-shopper reports across weeks, newest first: a unit's handlers see those on their
/// units' targets, without any trace of who visited; admins all.
#[utoipa::path(tag = "events", params(PageQuery), responses(
    (status = 200, body = Page<UnitMysteryReport>),
    (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[get("/mystery-reports")]
pub async fn unit_reports(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(HANDLERS)?;
    let page = query.parse()?;
    let limit = page.limit()?;
    let units: Vec<i64> = auth.unit_ids().collect();
    let scope = (!auth.is_admin()).then_some(units.as_slice());
    let rows = mystery::reports_on(&state.db, scope, page.after_id()?, limit).await?;
    let (rows, next_cursor) = crate::types::split_page(rows, limit, |r| r.0.id);
    let mut items = Vec::with_capacity(rows.len());
    for (s, a, t, e) in rows {
        items.push(UnitMysteryReport {
            event: Named {
                id: Id(e.id),
                name: e.title,
            },
            report: report_response(&state, &auth, s, a, t).await?,
        });
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Reports: admins see all (with the officer); a unit's handlers see the reports on their
/// unit's targets, without any trace of who visited.
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = [ReportResponse]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/events/{id}/reports")]
pub async fn week_reports(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let e = events::get(&state.db, id.into_inner()).await?;
    if e.kind != EventKind::MysteryShopperWeek {
        return Err(ApiError::not_found(
            "not_a_mystery_shopper_week",
            "该活动不是神秘客暗访",
        ));
    }
    auth.require_role(HANDLERS)?;
    let units: Vec<i64> = auth.unit_ids().collect();
    let mut out = Vec::new();
    for (s, a, t) in mystery::reports(&state.db, e.id).await? {
        if auth.is_admin() || units.contains(&t.unit_id) {
            out.push(report_response(&state, &auth, s, a, t).await?);
        }
    }
    Ok(HttpResponse::Ok().json(out))
}

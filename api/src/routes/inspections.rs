//! On-site inspections (服务型执法): a unit's handler registers one before entering; the
//! enterprise's members see it and rate it; admins see the figures by unit and quarter and the
//! enterprises inspected too often (无事不扰).
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::{ADMINS, Access, HANDLERS};
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Json, Query};
use crate::routes::dashboard::RangeQuery;
use crate::routes::{no_errors, optional_text, required_text};
use crate::service::inspections as service;
use crate::service::{enterprises, units};
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, local_time, split_page, today};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(register_inspection)
        .service(list_inspections)
        .service(get_inspection)
        .service(rate_inspection)
        .service(invite_observers)
        .service(observe_inspection)
        .service(inspection_figures);
}

/// How far ahead an inspection may be registered.
const AHEAD_DAYS: i64 = 30;
const MAX_UNITS: usize = 5;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InspectionRequest {
    pub enterprise_id: Id,
    /// The units inspecting, the lead first (1–5; several: a joint inspection, 综合查一次). A
    /// handler names their own unit among them.
    pub unit_ids: Vec<Id>,
    /// Who inspects (names and certificate numbers), 1–200 characters.
    pub inspectors: String,
    /// Why, 1–500 characters.
    pub purpose: String,
    /// On what legal basis, 1–500 characters.
    pub legal_basis: String,
    /// The day (from today up to 30 days ahead: registered before entering).
    pub inspected_on: NaiveDate,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamedUnit {
    pub id: Id,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InspectionRatingResponse {
    pub proper: bool,
    pub comment: Option<String>,
    pub demand_id: Option<Id>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ObserverResponse {
    pub user_id: Id,
    pub name: Option<String>,
    pub observation: Option<String>,
    pub observed_at: Option<DateTime<FixedOffset>>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InspectionResponse {
    pub id: Id,
    pub enterprise_id: Id,
    pub enterprise_name: String,
    pub units: Vec<NamedUnit>,
    pub joint: bool,
    pub inspectors: String,
    pub purpose: String,
    pub legal_basis: String,
    pub inspected_on: NaiveDate,
    /// Ratings so far: 规范 and not.
    pub rated_proper: u64,
    pub rated_improper: u64,
    /// The caller's own rating, if they gave one.
    pub my_rating: Option<InspectionRatingResponse>,
    /// The officers and media observers invited, with what each observed.
    pub observers: Vec<ObserverResponse>,
    pub created_at: DateTime<FixedOffset>,
}

async fn response(state: &AppState, me: i64, i: entity::inspection::Model) -> ApiResult<InspectionResponse> {
    let e = enterprises::get(&state.db, i.enterprise_id).await?;
    let mut named = Vec::new();
    for Id(u) in crate::types::ids_of(&i.unit_ids) {
        named.push(NamedUnit {
            id: Id(u),
            name: units::get(&state.db, u).await?.name,
        });
    }
    let ratings = service::ratings(&state.db, i.id).await?;
    let my_rating = ratings
        .iter()
        .find(|r| r.user_id == me)
        .map(|r| InspectionRatingResponse {
            proper: r.proper,
            comment: r.comment.clone(),
            demand_id: r.demand_id.map(Id),
            created_at: local_time(r.created_at),
        });
    let mut observers = Vec::new();
    for o in service::invitees(&state.db, i.id).await? {
        observers.push(ObserverResponse {
            user_id: Id(o.user_id),
            name: crate::service::people::get(&state.db, o.user_id).await?.nickname,
            observation: o.observation,
            observed_at: o.observed_at.map(local_time),
        });
    }
    Ok(InspectionResponse {
        id: Id(i.id),
        enterprise_id: Id(i.enterprise_id),
        enterprise_name: e.name,
        units: named,
        joint: i.joint,
        inspectors: i.inspectors,
        purpose: i.purpose,
        legal_basis: i.legal_basis,
        inspected_on: i.inspected_on,
        rated_proper: ratings.iter().filter(|r| r.proper).count() as u64,
        rated_improper: ratings.iter().filter(|r| !r.proper).count() as u64,
        my_rating,
        observers,
        created_at: local_time(i.created_at),
    })
}

/// Register an inspection before entering an enterprise (a handler of one of the units, or an
/// admin).
#[utoipa::path(tag = "inspections", request_body = InspectionRequest, responses(
    (status = 201, body = InspectionResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/inspections")]
pub async fn register_inspection(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<InspectionRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(HANDLERS)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let inspectors = required_text(&b.inspectors, "inspectors", 200, &mut errors);
    let purpose = required_text(&b.purpose, "purpose", 500, &mut errors);
    let legal_basis = required_text(&b.legal_basis, "legalBasis", 500, &mut errors);
    let day = today();
    if b.inspected_on < day || b.inspected_on > day + Duration::days(AHEAD_DAYS) {
        errors.push(FieldError::new(
            "inspectedOn",
            "out_of_range",
            "检查日期应为今天起 30 天内（进入企业前登记）",
        ));
    }
    let unit_ids: Vec<i64> = b.unit_ids.iter().map(|u| u.0).collect();
    if unit_ids.is_empty() || unit_ids.len() > MAX_UNITS {
        errors.push(FieldError::new("unitIds", "out_of_range", "请填写 1 至 5 个检查单位"));
    }
    for (i, u) in unit_ids.iter().enumerate() {
        if unit_ids[..i].contains(u) {
            errors.push(FieldError::new(
                format!("unitIds[{i}]"),
                "duplicate",
                "同一单位不能重复添加",
            ));
        } else if let Err(e) = units::get(&state.db, *u).await {
            errors.push(match e {
                ApiError::NotFound { .. } => FieldError::new(format!("unitIds[{i}]"), "not_found", "单位不存在"),
                other => return Err(other),
            });
        }
    }
    no_errors(errors)?;
    // A handler registers for their own unit's inspections (admins for any).
    if !auth.is_admin() && !auth.unit_ids().any(|mine| unit_ids.contains(&mine)) {
        return Err(ApiError::Forbidden {
            code: "not_your_unit",
            message: "只能登记本单位参与的检查".into(),
        });
    }
    let e = enterprises::get(&state.db, b.enterprise_id.0)
        .await
        .map_err(|e| e.missing_as_field("enterpriseId", "not_found", "企业不存在"))?;
    let saved = service::register(
        &state.db,
        auth.id,
        service::NewInspection {
            enterprise_id: e.id,
            unit_ids,
            inspectors,
            purpose,
            legal_basis,
            inspected_on: b.inspected_on,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(response(&state, auth.id, saved).await?))
}

/// Inspections, newest first: all for admins, a handler's units', a member's enterprise's.
#[utoipa::path(tag = "inspections", params(PageQuery), responses((status = 200, body = Page<InspectionResponse>), (status = 401, body = ErrorBody)))]
#[get("/inspections")]
pub async fn list_inspections(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.parse()?;
    let limit = q.limit()?;
    let rows = service::list(&state.db, &auth, q.after_id()?, limit).await?;
    let (rows, next_cursor) = split_page(rows, limit, |i| i.id);
    let mut items = Vec::with_capacity(rows.len());
    for i in rows {
        items.push(response(&state, auth.id, i).await?);
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

async fn readable(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<entity::inspection::Model> {
    let i = service::get(&state.db, id).await?;
    let butler = enterprises::get(&state.db, i.enterprise_id).await?.butler_user_id;
    let invited = service::is_invited(&state.db, i.id, auth.id).await?;
    if !service::readable(auth, &i, butler, invited) {
        return Err(ApiError::forbidden());
    }
    Ok(i)
}

/// One inspection: who, why, on what basis (admins, its units' handlers, the enterprise's
/// members and butler).
#[utoipa::path(tag = "inspections", params(("id" = String, Path)), responses((status = 200, body = InspectionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/inspections/{id}")]
pub async fn get_inspection(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let i = readable(&state, &auth, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(response(&state, auth.id, i).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateInspectionRequest {
    /// 规范.
    pub proper: bool,
    /// Up to 1000 characters; required for a complaint.
    pub comment: Option<String>,
    /// File it as a complaint: it becomes a demand on channel `inspection`.
    #[serde(default)]
    pub complaint: bool,
}

/// Rate an inspection of my enterprise (its members), once, on or after its day.
#[utoipa::path(tag = "inspections", params(("id" = String, Path)), request_body = RateInspectionRequest, responses(
    (status = 201, body = InspectionRatingResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, description = "`already_rated`, `not_yet_inspected`", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/inspections/{id}/rating")]
pub async fn rate_inspection(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<RateInspectionRequest>,
) -> ApiResult<HttpResponse> {
    let i = service::get(&state.db, id.into_inner()).await?;
    auth.require(&[Access::EnterpriseMember], &service::owner(&i))?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let comment = optional_text(b.comment.as_deref(), "comment", 1000, &mut errors);
    if b.complaint && comment.is_none() {
        errors.push(FieldError::new("comment", "required", "投诉请说明情况"));
    }
    no_errors(errors)?;
    let r = service::rate(
        &state.db,
        &state.settings,
        auth.id,
        &i,
        service::Rating {
            proper: b.proper,
            comment,
            complaint: b.complaint,
        },
        today(),
    )
    .await?;
    Ok(HttpResponse::Created().json(InspectionRatingResponse {
        proper: r.proper,
        comment: r.comment,
        demand_id: r.demand_id.map(Id),
        created_at: local_time(r.created_at),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InviteRequest {
    /// Experience officers and media observers (1–10).
    pub user_ids: Vec<Id>,
}

/// Invite experience officers and media observers to an inspection (its units' handlers,
/// admins): they see it and file an observation.
#[utoipa::path(tag = "inspections", params(("id" = String, Path)), request_body = InviteRequest, responses(
    (status = 200, body = InspectionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/inspections/{id}/invites")]
pub async fn invite_observers(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<InviteRequest>,
) -> ApiResult<HttpResponse> {
    let i = service::get(&state.db, id.into_inner()).await?;
    if !service::manageable(&auth, &i) {
        return Err(ApiError::forbidden());
    }
    let b = body.parse()?;
    let users: Vec<i64> = b.user_ids.iter().map(|u| u.0).collect();
    if users.is_empty() || users.len() > 10 {
        return Err(ApiError::invalid_field("userIds", "out_of_range", "请邀请 1 至 10 人"));
    }
    service::invite(&state.db, &i, &users).await?;
    Ok(HttpResponse::Ok().json(response(&state, auth.id, i).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObserveRequest {
    /// What they saw, 1–2000 characters.
    pub observation: String,
}

/// File what one observed of an inspection one was invited to, once.
#[utoipa::path(tag = "inspections", params(("id" = String, Path)), request_body = ObserveRequest, responses(
    (status = 200, body = InspectionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, description = "`already_observed`", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/inspections/{id}/observations")]
pub async fn observe_inspection(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ObserveRequest>,
) -> ApiResult<HttpResponse> {
    let i = service::get(&state.db, id.into_inner()).await?;
    if !service::is_invited(&state.db, i.id, auth.id).await? {
        return Err(ApiError::forbidden());
    }
    let b = body.parse()?;
    let mut errors = Vec::new();
    let text = required_text(&b.observation, "observation", 2000, &mut errors);
    no_errors(errors)?;
    service::observe(&state.db, &i, auth.id, text).await?;
    Ok(HttpResponse::Ok().json(response(&state, auth.id, i).await?))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnitQuarterRow {
    pub unit_id: Id,
    pub unit_name: String,
    /// e.g. `2026Q4`.
    pub quarter: String,
    pub inspections: u64,
    pub joint: u64,
    /// joint / inspections.
    pub joint_share: Option<f64>,
    pub rated_proper: u64,
    pub rated_improper: u64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlaggedEnterprise {
    pub enterprise_id: Id,
    pub enterprise_name: String,
    pub quarter: String,
    pub inspections: u64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InspectionFiguresResponse {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// More inspections than this in a quarter flag an enterprise.
    pub quarter_limit: u32,
    pub by_unit: Vec<UnitQuarterRow>,
    /// 无事不扰: enterprises inspected more than the limit in a quarter.
    pub flagged: Vec<FlaggedEnterprise>,
}

/// Inspections by unit and quarter, the joint share and the ratings; the enterprises
/// inspected too often (admins).
#[utoipa::path(tag = "inspections", params(RangeQuery), responses((status = 200, body = InspectionFiguresResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/dashboard/inspections")]
pub async fn inspection_figures(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<RangeQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let (from, to) = query.parse()?.range()?;
    let limit = state.settings.inspections.quarter_limit;
    let (units_rows, flags) = service::figures(&state.db, from, to, limit).await?;
    let mut by_unit = Vec::with_capacity(units_rows.len());
    for ((unit, quarter), r) in units_rows {
        #[allow(clippy::cast_precision_loss)]
        let joint_share = (r.inspections > 0).then(|| r.joint as f64 / r.inspections as f64);
        by_unit.push(UnitQuarterRow {
            unit_id: Id(unit),
            unit_name: units::get(&state.db, unit).await?.name,
            quarter: quarter.label(),
            inspections: r.inspections,
            joint: r.joint,
            joint_share,
            rated_proper: r.rated_proper,
            rated_improper: r.rated_improper,
        });
    }
    let mut flagged = Vec::with_capacity(flags.len());
    for f in flags {
        flagged.push(FlaggedEnterprise {
            enterprise_id: Id(f.enterprise_id),
            enterprise_name: enterprises::get(&state.db, f.enterprise_id).await?.name,
            quarter: f.quarter.label(),
            inspections: f.inspections,
        });
    }
    Ok(HttpResponse::Ok().json(InspectionFiguresResponse {
        from,
        to,
        quarter_limit: limit,
        by_unit,
        flagged,
    }))
}

//! Butler visits by enterprise class (三上门): a visit recorded on an enterprise by its butler,
//! the visits of an enterprise, a butler's due list, the tiers' intervals and coverage.
use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::{ADMINS, BUTLERS, ENTERPRISE_READERS, OWN_BUTLER};
use crate::domain::demand::Environment;
use crate::domain::role::Role;
use crate::domain::visit::{MAX_INTERVAL_DAYS, ServiceTier, VisitKind};
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Json, Query};
use crate::routes::dashboard::RangeQuery;
use crate::routes::{no_errors, optional_text, required_text};
use crate::service::enterprises::{self, owner};
use crate::service::visits as service;
use crate::state::AppState;
use crate::types::{Id, local_time, today};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(record_visit)
        .service(enterprise_visits)
        .service(due_visits)
        .service(visit_intervals)
        .service(set_visit_interval)
        .service(visit_coverage);
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NeedRequest {
    pub environment: Environment,
    /// 1–50 characters.
    pub title: String,
    /// 1–2000 characters.
    pub content: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VisitRequest {
    pub kind: VisitKind,
    /// Not after today.
    pub visited_on: NaiveDate,
    /// Whom the butler met (1–100 characters).
    pub people_met: String,
    /// Published policies explained: each counts as understood by the enterprise's members.
    #[serde(default)]
    pub policy_ids: Vec<Id>,
    /// Up to 2000 characters.
    pub notes: Option<String>,
    /// Needs raised (at most 10): each becomes a demand on channel `visit`.
    #[serde(default)]
    pub needs: Vec<NeedRequest>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VisitResponse {
    pub id: Id,
    pub enterprise_id: Id,
    pub butler_id: Id,
    pub kind: VisitKind,
    pub kind_label: String,
    pub visited_on: NaiveDate,
    pub people_met: String,
    pub policy_ids: Vec<Id>,
    /// The demands its needs became.
    pub demand_ids: Vec<Id>,
    pub notes: Option<String>,
    pub created_at: DateTime<FixedOffset>,
}

fn visit_response(v: entity::visit::Model) -> VisitResponse {
    VisitResponse {
        id: Id(v.id),
        enterprise_id: Id(v.enterprise_id),
        butler_id: Id(v.butler_id),
        kind: v.kind,
        kind_label: v.kind.label().to_owned(),
        visited_on: v.visited_on,
        people_met: v.people_met,
        policy_ids: crate::types::ids_of(&v.policy_ids),
        demand_ids: crate::types::ids_of(&v.demand_ids),
        notes: v.notes,
        created_at: local_time(v.created_at),
    }
}

const MAX_NEEDS: usize = 10;
const MAX_POLICIES: usize = 20;

/// Record a visit (政策上门, 关爱上门, 问计上门) to an enterprise: its butler, or an admin.
#[utoipa::path(tag = "visits", params(("id" = String, Path)), request_body = VisitRequest, responses(
    (status = 201, body = VisitResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/enterprises/{id}/visits")]
pub async fn record_visit(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<VisitRequest>,
) -> ApiResult<HttpResponse> {
    let e = enterprises::get(&state.db, id.into_inner()).await?;
    auth.require(OWN_BUTLER, &owner(&e))?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let people_met = required_text(&b.people_met, "peopleMet", 100, &mut errors);
    let notes = optional_text(b.notes.as_deref(), "notes", 2000, &mut errors);
    if b.visited_on > today() {
        errors.push(FieldError::new("visitedOn", "in_future", "走访日期不能晚于今天"));
    }
    if b.policy_ids.len() > MAX_POLICIES {
        errors.push(FieldError::new("policyIds", "too_many", "一次走访最多讲解 20 项政策"));
    }
    if b.needs.len() > MAX_NEEDS {
        errors.push(FieldError::new("needs", "too_many", "一次走访最多登记 10 项诉求"));
    }
    let mut needs = Vec::with_capacity(b.needs.len());
    for (i, n) in b.needs.iter().enumerate() {
        needs.push(service::Need {
            environment: n.environment,
            title: required_text(&n.title, &format!("needs[{i}].title"), 50, &mut errors),
            content: required_text(&n.content, &format!("needs[{i}].content"), 2000, &mut errors),
        });
    }
    let mut policy_ids: Vec<i64> = Vec::with_capacity(b.policy_ids.len());
    for (i, p) in b.policy_ids.iter().enumerate() {
        if policy_ids.contains(&p.0) {
            errors.push(FieldError::new(
                format!("policyIds[{i}]"),
                "duplicate",
                "同一政策不能重复添加",
            ));
        }
        policy_ids.push(p.0);
    }
    no_errors(errors)?;
    let role = if auth.can(&[crate::auth::Access::EnterpriseButler], &owner(&e)) {
        Role::Butler
    } else {
        Role::Admin
    };
    let v = service::record(
        &state.db,
        &state.settings,
        auth.id,
        role,
        &e,
        service::NewVisit {
            kind: b.kind,
            visited_on: b.visited_on,
            people_met,
            policy_ids,
            notes,
            needs,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(visit_response(v)))
}

/// An enterprise's visits, newest first (its members, its butler, admins).
#[utoipa::path(tag = "visits", params(("id" = String, Path)), responses((status = 200, body = Vec<VisitResponse>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/enterprises/{id}/visits")]
pub async fn enterprise_visits(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let e = enterprises::get(&state.db, id.into_inner()).await?;
    auth.require(ENTERPRISE_READERS, &owner(&e))?;
    let rows = service::of_enterprise(&state.db, e.id).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(visit_response).collect::<Vec<_>>()))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DueVisitResponse {
    pub enterprise_id: Id,
    pub enterprise_name: String,
    pub service_tier: ServiceTier,
    pub service_tier_label: String,
    pub butler_id: Option<Id>,
    /// None: never visited.
    pub last_visit: Option<NaiveDate>,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

/// The enterprises due for a visit today, most overdue first: a butler's own; every served
/// enterprise for admins.
#[utoipa::path(tag = "visits", responses((status = 200, body = Vec<DueVisitResponse>), (status = 403, body = ErrorBody)))]
#[get("/visits/due")]
pub async fn due_visits(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let butler = (!auth.is_admin()).then_some(auth.id);
    let rows = service::due(&state.db, butler, today()).await?;
    let out: Vec<DueVisitResponse> = rows
        .into_iter()
        .map(|d| DueVisitResponse {
            enterprise_id: Id(d.enterprise.id),
            enterprise_name: d.enterprise.name,
            service_tier: d.enterprise.service_tier,
            service_tier_label: d.enterprise.service_tier.label().to_owned(),
            butler_id: d.enterprise.butler_user_id.map(Id),
            last_visit: d.last_visit,
            due_on: d.due_on,
            days_overdue: d.days_overdue,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VisitIntervalResponse {
    pub tier: ServiceTier,
    pub tier_label: String,
    pub days: i32,
}

async fn intervals_response(state: &AppState) -> ApiResult<Vec<VisitIntervalResponse>> {
    let set = service::intervals(&state.db).await?;
    Ok(ServiceTier::ALL
        .iter()
        .map(|t| VisitIntervalResponse {
            tier: *t,
            tier_label: t.label().to_owned(),
            days: set.get(t).copied().unwrap_or_default(),
        })
        .collect())
}

/// Each service tier's visit interval (butlers, admins).
#[utoipa::path(tag = "visits", responses((status = 200, body = Vec<VisitIntervalResponse>), (status = 403, body = ErrorBody)))]
#[get("/visit-intervals")]
pub async fn visit_intervals(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    Ok(HttpResponse::Ok().json(intervals_response(&state).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VisitIntervalRequest {
    /// 1–366 days.
    pub days: i32,
}

/// Set a service tier's visit interval (admins).
#[utoipa::path(tag = "visits", params(("tier" = ServiceTier, Path)), request_body = VisitIntervalRequest, responses(
    (status = 200, body = Vec<VisitIntervalResponse>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/visit-intervals/{tier}")]
pub async fn set_visit_interval(
    state: web::Data<AppState>,
    auth: AuthUser,
    tier: web::Path<String>,
    body: Json<VisitIntervalRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let tier = ServiceTier::parse(&tier).ok_or_else(|| ApiError::not_found("tier_not_found", "没有这个服务等级"))?;
    let b = body.parse()?;
    if !(1..=MAX_INTERVAL_DAYS).contains(&b.days) {
        return Err(ApiError::invalid_field(
            "days",
            "out_of_range",
            "走访周期应在 1 到 366 天之间",
        ));
    }
    service::set_interval(&state.db, tier, b.days).await?;
    Ok(HttpResponse::Ok().json(intervals_response(&state).await?))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoverageRow {
    /// The tier's code, or the butler's id.
    pub key: String,
    pub label: String,
    pub enterprises: u64,
    /// Enterprises visited at least once in the period.
    pub visited: u64,
    pub visits: u64,
    /// visited / enterprises; absent when the class is empty.
    pub coverage: Option<f64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VisitCoverageResponse {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by_tier: Vec<CoverageRow>,
    pub by_butler: Vec<CoverageRow>,
}

fn row(key: String, label: String, c: service::Coverage) -> CoverageRow {
    CoverageRow {
        key,
        label,
        enterprises: c.enterprises,
        visited: c.visited,
        visits: c.visits,
        coverage: c.coverage,
    }
}

/// Visit coverage of a period by service tier and by butler (admins).
#[utoipa::path(tag = "visits", params(RangeQuery), responses((status = 200, body = VisitCoverageResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/dashboard/visits")]
pub async fn visit_coverage(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<RangeQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let (from, to) = query.parse()?.range()?;
    let (tiers, butlers) = service::coverage(&state.db, from, to).await?;
    let mut by_butler = Vec::with_capacity(butlers.len());
    for (b, c) in butlers {
        let name = crate::service::people::get(&state.db, b).await?.nickname;
        by_butler.push(row(b.to_string(), name.unwrap_or_else(|| format!("管家 {b}")), c));
    }
    Ok(HttpResponse::Ok().json(VisitCoverageResponse {
        from,
        to,
        by_tier: tiers
            .into_iter()
            .map(|(t, c)| row(t.code().to_owned(), t.label().to_owned(), c))
            .collect(),
        by_butler,
    }))
}

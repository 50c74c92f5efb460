//! Supervision activities (督导活动) of the entrepreneurs' supervision committee.
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Access, AuthUser, Owner};
use crate::domain::access::SUPERVISORS;
use crate::domain::demand::{Environment, Kind};
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::demands::DemandResponse;
use crate::routes::{no_errors, required_text};
use crate::service::demands;
use crate::service::enterprises;
use crate::service::files::FileRefs;
use crate::service::supervision::{self, Finding};
use crate::state::AppState;
use crate::types::{FileId, Id, Page, PageQuery, local_time};
use entity::codes::ActivityKind;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(record_activity)
        .service(list_activities)
        .service(file_for_enterprise);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetEnterprise {
    pub id: Id,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityResponse {
    pub id: Id,
    pub kind: ActivityKind,
    pub date: NaiveDate,
    pub place: String,
    pub enterprises: Vec<MetEnterprise>,
    pub notes: String,
    pub photos: Vec<Id>,
    /// Demands filed from the activity.
    pub demand_ids: Vec<Id>,
    pub created_at: DateTime<FixedOffset>,
}

async fn activity_response(state: &AppState, a: entity::supervision_activity::Model) -> ApiResult<ActivityResponse> {
    let met = supervision::enterprises_met(&state.db, a.id).await?;
    let names = enterprises::names(&state.db, &met).await?;
    Ok(ActivityResponse {
        id: Id(a.id),
        enterprises: met
            .iter()
            .map(|id| MetEnterprise {
                id: Id(*id),
                name: names.get(id).cloned().unwrap_or_default(),
            })
            .collect(),
        demand_ids: supervision::demand_ids(&state.db, a.id)
            .await?
            .into_iter()
            .map(Id)
            .collect(),
        photos: crate::types::ids_of(&a.photos),
        kind: a.kind,
        date: a.day,
        place: a.place,
        notes: a.notes,
        created_at: local_time(a.created_at),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityRequest {
    /// `visit` 走访, `forum` 座谈 or `inspection` 检查.
    #[schema(value_type = ActivityKind)]
    pub kind: String,
    pub date: NaiveDate,
    pub place: String,
    pub enterprise_ids: Vec<Id>,
    #[serde(default)]
    pub notes: String,
    /// Photos the supervisor uploaded (at most 9).
    #[serde(default)]
    pub photos: Vec<FileId>,
}

/// Record an activity (supervision-committee members).
#[utoipa::path(tag = "events", request_body = ActivityRequest, responses((status = 201, body = ActivityResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/supervision-activities")]
pub async fn record_activity(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<ActivityRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(SUPERVISORS)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    // Checked with the other fields, so one answer names every bad one.
    let kind = ActivityKind::parse(&b.kind);
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "invalid_choice",
            "活动类型应为 visit（走访）、forum（座谈）或 inspection（检查）",
        ));
    }
    if b.date > crate::types::today() {
        errors.push(FieldError::new("date", "in_the_future", "活动日期不能晚于今天"));
    }
    let place = required_text(&b.place, "place", 100, &mut errors);
    if b.enterprise_ids.is_empty() {
        errors.push(FieldError::new("enterpriseIds", "required", "请选择走访的企业"));
    }
    if b.notes.chars().count() > 2000 {
        errors.push(FieldError::new("notes", "too_long", "不能超过 2000 个字"));
    }
    no_errors(errors)?;
    let kind = kind.ok_or_else(|| ApiError::internal(anyhow::anyhow!("the kind was checked above")))?;
    for id in &b.enterprise_ids {
        enterprises::get(&state.db, id.0)
            .await
            .map_err(|e| e.missing_as_field("enterpriseIds", "not_found", "企业不存在"))?;
    }
    let photos = FileRefs::list("photos", &FileId::ids(&b.photos));
    let a = supervision::record(
        &state.db,
        auth.id,
        supervision::NewActivity {
            kind,
            day: b.date,
            place,
            notes: b.notes.trim().to_owned(),
            photos,
            enterprises: b.enterprise_ids.into_iter().map(|i| i.0).collect(),
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(activity_response(&state, a).await?))
}

/// My activities (all, for admins), newest first.
#[utoipa::path(tag = "events", params(PageQuery), responses((status = 200, body = Page<ActivityResponse>), (status = 403, body = ErrorBody)))]
#[get("/supervision-activities")]
pub async fn list_activities(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(SUPERVISORS)?;
    let query = query.parse()?;
    let limit = query.limit()?;
    let mine = if auth.is_admin() { None } else { Some(auth.id) };
    let rows = supervision::list(&state.db, mine, query.after_id()?, limit).await?;
    let (rows, next_cursor) = crate::types::split_page(rows, limit, |a| a.id);
    let mut items = Vec::new();
    for a in rows {
        items.push(activity_response(&state, a).await?);
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityDemandRequest {
    /// One of the enterprises met.
    pub enterprise_id: Id,
    pub kind: Kind,
    pub environment: Environment,
    pub title: String,
    pub content: String,
}

/// File a demand on behalf of an enterprise met (the member who recorded the activity).
#[utoipa::path(tag = "events", params(("id" = String, Path)), request_body = ActivityDemandRequest, responses((status = 201, body = DemandResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/supervision-activities/{id}/demands")]
pub async fn file_for_enterprise(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ActivityDemandRequest>,
) -> ApiResult<HttpResponse> {
    let a = supervision::get(&state.db, id.into_inner()).await?;
    auth.require(
        &[Access::Itself],
        &Owner {
            user_id: Some(a.supervisor_id),
            ..Owner::default()
        },
    )?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 50, &mut errors);
    let content = required_text(&b.content, "content", 2000, &mut errors);
    no_errors(errors)?;
    let finding = Finding {
        enterprise_id: b.enterprise_id.0,
        kind: b.kind,
        environment: b.environment,
        title,
        content,
    };
    let d = supervision::file_finding(&state.db, &state.settings, &state.wechat, &auth, &a, finding).await?;
    let shown = crate::routes::demands::detail(
        &auth,
        demands::detail(&state.db, state.calendar().await?, &auth, d).await?,
    );
    Ok(HttpResponse::Created().json(shown))
}

//! Media observers: observations (a finding can be turned into a demand by staff, keeping the
//! link) and publicity records.
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Access, AuthUser};
use crate::domain::access::{BUTLERS, MEDIA};
use crate::domain::demand::Environment;
use crate::domain::media::{self, Level, ObservationKind};
use crate::domain::role::Role;
use crate::error::{ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::{no_errors, optional_text, required_text};
use crate::service::files::FileRefs;
use crate::service::media as service;
use crate::service::{events, people};
use crate::state::AppState;
use crate::types::{FileId, Id, Page, PageQuery, local_time, split_page, today};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(observe)
        .service(list_observations)
        .service(observation_to_demand)
        .service(record_publicity)
        .service(list_publicity);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ObservationResponse {
    pub id: Id,
    pub kind: ObservationKind,
    pub kind_label: String,
    pub title: String,
    pub content: String,
    pub event_id: Option<Id>,
    pub file_ids: Vec<Id>,
    pub author_id: Id,
    pub author_name: Option<String>,
    /// The demand a finding became.
    pub demand_id: Option<Id>,
    pub created_at: DateTime<FixedOffset>,
}

async fn observation_response(state: &AppState, o: entity::media_observation::Model) -> ApiResult<ObservationResponse> {
    let author = people::get(&state.db, o.author_id).await.ok();
    let kind = o.kind;
    Ok(ObservationResponse {
        id: Id(o.id),
        kind,
        kind_label: kind.label().to_owned(),
        title: o.title,
        content: o.content,
        event_id: o.event_id.map(Id),
        file_ids: crate::types::ids_of(&o.file_ids),
        author_id: Id(o.author_id),
        author_name: author.and_then(|a| a.nickname),
        demand_id: o.demand_id.map(Id),
        created_at: local_time(o.created_at),
    })
}

/// Checks an optional related event: it must exist.
async fn related_event(state: &AppState, event_id: Option<Id>) -> ApiResult<Option<i64>> {
    match event_id {
        None => Ok(None),
        Some(Id(id)) => events::get(&state.db, id)
            .await
            .map(|e| Some(e.id))
            .map_err(|e| e.missing_as_field("eventId", "not_found", "活动不存在")),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObservationRequest {
    pub kind: ObservationKind,
    /// 1–60 characters.
    pub title: String,
    /// 1–2000 characters.
    pub content: String,
    pub event_id: Option<Id>,
    /// Files the observer uploaded (photos, documents; at most 9).
    #[serde(default)]
    pub file_ids: Vec<FileId>,
}

/// File an observation (media observers, admins).
#[utoipa::path(tag = "media", request_body = ObservationRequest, responses((status = 201, body = ObservationResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/media/observations")]
pub async fn observe(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<ObservationRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(MEDIA)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 60, &mut errors);
    let content = required_text(&b.content, "content", 2000, &mut errors);
    no_errors(errors)?;
    let event_id = related_event(&state, b.event_id).await?;
    let o = service::observe(
        &state.db,
        auth.id,
        service::NewObservation {
            kind: b.kind,
            title,
            content,
            event_id,
            files: FileRefs::list("fileIds", &FileId::ids(&b.file_ids)),
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(observation_response(&state, o).await?))
}

/// Observations, newest first: a media observer's own; all of them for admins and butlers.
#[utoipa::path(tag = "media", params(PageQuery), responses((status = 200, body = Page<ObservationResponse>), (status = 403, body = ErrorBody)))]
#[get("/media/observations")]
pub async fn list_observations(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(&[
        Access::AnyWithRole(Role::Media),
        Access::Admin,
        Access::AnyWithRole(Role::Butler),
    ])?;
    let query = query.parse()?;
    let limit = query.limit()?;
    let staff = auth.is_admin() || auth.has_role(Role::Butler);
    let rows = service::observations(&state.db, (!staff).then_some(auth.id), query.after_id()?, limit).await?;
    let (rows, next_cursor) = split_page(rows, limit, |o| o.id);
    let mut items = Vec::with_capacity(rows.len());
    for o in rows {
        items.push(observation_response(&state, o).await?);
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToDemandRequest {
    /// The environment it is filed under (default 服务环境).
    pub environment: Option<Environment>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ToDemandResponse {
    pub observation: ObservationResponse,
    pub demand_id: Id,
}

/// Turn a finding into a demand (admins and butlers): a business-environment problem, channel
/// `media`, linked both ways. Once per finding.
#[utoipa::path(tag = "media", params(("id" = String, Path)), request_body(content = Option<ToDemandRequest>, description = "Optional: without a body the finding is filed under 服务环境."), responses(
    (status = 201, body = ToDemandResponse),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, description = "`not_a_finding`, or `already_converted`", body = ErrorBody),
))]
#[post("/media/observations/{id}/demand")]
pub async fn observation_to_demand(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ToDemandRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let environment = body
        .parse_optional()?
        .and_then(|b| b.environment)
        .unwrap_or(Environment::Service);
    let (o, d) = service::to_demand(&state.db, &state.settings, &auth, id.into_inner(), environment).await?;
    Ok(HttpResponse::Created().json(ToDemandResponse {
        observation: observation_response(&state, o).await?,
        demand_id: Id(d.id),
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublicityResponse {
    pub id: Id,
    pub outlet: String,
    pub level: Level,
    pub level_label: String,
    pub title: String,
    pub link: Option<String>,
    pub published_on: NaiveDate,
    pub event_id: Option<Id>,
    pub author_id: Id,
    pub created_at: DateTime<FixedOffset>,
}

fn publicity_response(p: entity::publicity_record::Model) -> PublicityResponse {
    let level = p.level;
    PublicityResponse {
        id: Id(p.id),
        outlet: p.outlet,
        level,
        level_label: level.label().to_owned(),
        title: p.title,
        link: p.link,
        published_on: p.published_on,
        event_id: p.event_id.map(Id),
        author_id: Id(p.author_id),
        created_at: local_time(p.created_at),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PublicityRequest {
    /// The outlet, e.g. 新华社 (1–60 characters).
    pub outlet: String,
    pub level: Level,
    /// 1–100 characters.
    pub title: String,
    /// `https://…` or `http://…`.
    pub link: Option<String>,
    /// Not after today.
    pub published_on: NaiveDate,
    pub event_id: Option<Id>,
}

/// Record a published piece (media observers, admins).
#[utoipa::path(tag = "media", request_body = PublicityRequest, responses((status = 201, body = PublicityResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/media/publicity")]
pub async fn record_publicity(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<PublicityRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(MEDIA)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let outlet = required_text(&b.outlet, "outlet", 60, &mut errors);
    let title = required_text(&b.title, "title", 100, &mut errors);
    let link = optional_text(b.link.as_deref(), "link", media::LINK_MAX_CHARS, &mut errors);
    if link.as_deref().is_some_and(|l| !media::valid_link(l)) {
        errors.push(FieldError::new(
            "link",
            "invalid_link",
            "链接须以 https:// 或 http:// 开头的网址",
        ));
    }
    if b.published_on > today() {
        errors.push(FieldError::new("publishedOn", "in_future", "发布日期不能晚于今天"));
    }
    no_errors(errors)?;
    let event_id = related_event(&state, b.event_id).await?;
    let p = service::record_publicity(
        &state.db,
        auth.id,
        service::NewPublicity {
            outlet,
            level: b.level,
            title,
            link,
            published_on: b.published_on,
            event_id,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(publicity_response(p)))
}

/// Publicity records, newest first: a media observer's own; all for admins.
#[utoipa::path(tag = "media", params(PageQuery), responses((status = 200, body = Page<PublicityResponse>), (status = 403, body = ErrorBody)))]
#[get("/media/publicity")]
pub async fn list_publicity(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(MEDIA)?;
    let query = query.parse()?;
    let limit = query.limit()?;
    let rows = service::publicity(
        &state.db,
        (!auth.is_admin()).then_some(auth.id),
        query.after_id()?,
        limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |p| p.id, publicity_response)))
}

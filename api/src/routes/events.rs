//! Events: admins create and move them; their audience sees and joins them.
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::domain::event::{EventKind, EventMove, EventStatus};
use crate::domain::role::Role;
use crate::error::{ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::{no_errors, optional_text, required_text};
use crate::service::{enterprises, events, forms};
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, local_time};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_event)
        .service(list_events)
        .service(get_event)
        .service(update_event)
        .service(delete_event)
        .service(publish_event)
        .service(open_event)
        .service(close_event)
        .service(archive_event)
        .service(export_event);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventResponse {
    pub id: Id,
    pub kind: EventKind,
    pub kind_label: &'static str,
    pub title: String,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub opens_at: DateTime<FixedOffset>,
    pub closes_at: DateTime<FixedOffset>,
    pub status: EventStatus,
    pub status_label: &'static str,
    /// Admins only.
    pub audience_roles: Option<Vec<Role>>,
    /// Admins only.
    pub invited_enterprise_ids: Option<Vec<Id>>,
    pub form_id: Option<Id>,
    pub published_at: Option<DateTime<FixedOffset>>,
}

pub async fn event_response(state: &AppState, auth: &AuthUser, e: entity::event::Model) -> ApiResult<EventResponse> {
    let kind = e.kind;
    let status = events::status(&e);
    let (roles, invited) = if auth.is_admin() {
        (
            Some(events::audience_roles(&e)),
            Some(events::invited(&state.db, e.id).await?.into_iter().map(Id).collect()),
        )
    } else {
        (None, None)
    };
    Ok(EventResponse {
        id: Id(e.id),
        kind,
        kind_label: kind.label(),
        title: e.title,
        theme: e.theme,
        description: e.description,
        opens_at: local_time(e.opens_at),
        closes_at: local_time(e.closes_at),
        status,
        status_label: status.label(),
        audience_roles: roles,
        invited_enterprise_ids: invited,
        form_id: e.form_template_id.map(Id),
        published_at: e.published_at.map(local_time),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateEventRequest {
    pub kind: EventKind,
    pub title: String,
    /// e.g. 政策服务, 商业秘密, 人才服务和人文环境, 法律服务.
    pub theme: Option<String>,
    pub description: Option<String>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Roles that may join.
    #[serde(default)]
    pub audience_roles: Vec<Role>,
    /// Enterprises whose members may join.
    #[serde(default)]
    pub invited_enterprise_ids: Vec<Id>,
    /// Required for mystery-shopper weeks and scorecard rounds.
    pub form_id: Option<Id>,
}

/// An event as asked for, checked: the same rules for creating and for editing a draft.
async fn checked(state: &AppState, b: CreateEventRequest) -> ApiResult<events::NewEvent> {
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 50, &mut errors);
    let theme = optional_text(b.theme.as_deref(), "theme", 30, &mut errors);
    let description = optional_text(b.description.as_deref(), "description", 2000, &mut errors);
    if b.closes_at <= b.opens_at {
        errors.push(FieldError::new("closesAt", "before_opens", "结束时间应晚于开始时间"));
    }
    if b.audience_roles.is_empty() && b.invited_enterprise_ids.is_empty() {
        errors.push(FieldError::new(
            "audienceRoles",
            "required",
            "请指定参与的角色或邀请的企业",
        ));
    }
    if crate::domain::event::needs_form(b.kind) && b.form_id.is_none() {
        errors.push(FieldError::new("formId", "required", "该类活动需要指定表单"));
    }
    no_errors(errors)?;
    if let Some(f) = b.form_id {
        forms::get(&state.db, f.0)
            .await
            .map_err(|e| e.missing_as_field("formId", "not_found", "表单不存在"))?;
    }
    for id in &b.invited_enterprise_ids {
        enterprises::get(&state.db, id.0)
            .await
            .map_err(|e| e.missing_as_field("invitedEnterpriseIds", "not_found", "受邀企业不存在"))?;
    }
    Ok(events::NewEvent {
        kind: b.kind,
        title,
        theme,
        description,
        opens_at: b.opens_at,
        closes_at: b.closes_at,
        audience_roles: b.audience_roles,
        invited: b.invited_enterprise_ids.into_iter().map(|i| i.0).collect(),
        form_template_id: b.form_id.map(|i| i.0),
    })
}

/// Create an event as a draft (admins).
#[utoipa::path(tag = "events", request_body = CreateEventRequest, responses((status = 201, body = EventResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/events")]
pub async fn create_event(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<CreateEventRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let new = checked(&state, body.parse()?).await?;
    let e = events::create(&state.db, auth.id, new).await?;
    Ok(HttpResponse::Created().json(event_response(&state, &auth, e).await?))
}

/// A draft's fields to change; each left out stays as it is.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateEventRequest {
    pub title: Option<String>,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub audience_roles: Option<Vec<Role>>,
    pub invited_enterprise_ids: Option<Vec<Id>>,
    pub form_id: Option<Id>,
}

/// Change a draft (admins); an event once published keeps what its audience saw.
#[utoipa::path(tag = "events", params(("id" = String, Path)), request_body = UpdateEventRequest, responses(
    (status = 200, body = EventResponse),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, description = "`event_not_draft`", body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[patch("/events/{id}")]
pub async fn update_event(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<UpdateEventRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let e = events::get(&state.db, id.into_inner()).await?;
    let b = body.parse()?;
    let invited = events::invited(&state.db, e.id).await?;
    let whole = CreateEventRequest {
        kind: e.kind,
        title: b.title.unwrap_or_else(|| e.title.clone()),
        theme: b.theme.or_else(|| e.theme.clone()),
        description: b.description.or_else(|| e.description.clone()),
        opens_at: b.opens_at.unwrap_or(e.opens_at),
        closes_at: b.closes_at.unwrap_or(e.closes_at),
        audience_roles: b.audience_roles.unwrap_or_else(|| events::audience_roles(&e)),
        invited_enterprise_ids: b
            .invited_enterprise_ids
            .unwrap_or_else(|| invited.into_iter().map(Id).collect()),
        form_id: b.form_id.or(e.form_template_id.map(Id)),
    };
    let new = checked(&state, whole).await?;
    let e = events::replace_draft(&state.db, e.id, new).await?;
    Ok(HttpResponse::Ok().json(event_response(&state, &auth, e).await?))
}

/// Delete a draft (admins).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses(
    (status = 204),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, description = "`event_not_draft`", body = ErrorBody),
))]
#[delete("/events/{id}")]
pub async fn delete_event(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    events::delete_draft(&state.db, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Events for my roles (all, for admins), newest first.
#[utoipa::path(tag = "events", params(PageQuery), responses((status = 200, body = Page<EventResponse>)))]
#[get("/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.parse()?;
    let limit = query.limit()?;
    let rows = events::list(&state.db, &auth, query.after_id()?, limit).await?;
    let next = (rows.len() as u64 > limit)
        .then(|| {
            rows.get(usize::try_from(limit).unwrap_or(0).saturating_sub(1))
                .map(|e| crate::types::encode_cursor(e.id))
        })
        .flatten();
    let mut items = Vec::new();
    for e in rows.into_iter().take(usize::try_from(limit).unwrap_or(usize::MAX)) {
        items.push(event_response(&state, &auth, e).await?);
    }
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: next,
    }))
}

/// One event (its audience and admins; 404 for anyone else).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = EventResponse), (status = 404, body = ErrorBody)))]
#[get("/events/{id}")]
pub async fn get_event(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let e = events::visible(&state.db, &auth, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(event_response(&state, &auth, e).await?))
}

async fn move_event(state: &AppState, auth: &AuthUser, id: i64, m: EventMove) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let e = events::apply(&state.db, id, m).await?;
    Ok(HttpResponse::Ok().json(event_response(state, auth, e).await?))
}

/// Publish a draft: the audience is told (admins).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = EventResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/events/{id}/publish")]
pub async fn publish_event(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    move_event(&state, &auth, id.into_inner(), EventMove::Publish).await
}

/// Open now, before the window's start (admins; the scheduler opens it at `opensAt`).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = EventResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/events/{id}/open")]
pub async fn open_event(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    move_event(&state, &auth, id.into_inner(), EventMove::Open).await
}

/// Close now (admins; the scheduler closes it at `closesAt`).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = EventResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/events/{id}/close")]
pub async fn close_event(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    move_event(&state, &auth, id.into_inner(), EventMove::Close).await
}

/// Archive a closed event (admins).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = EventResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/events/{id}/archive")]
pub async fn archive_event(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    move_event(&state, &auth, id.into_inner(), EventMove::Archive).await
}

/// The event's submissions and results as an Excel workbook (admins).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[get("/events/{id}/export")]
pub async fn export_event(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let e = events::get(&state.db, id.into_inner()).await?;
    let bytes = crate::service::export::event_workbook(&state.db, &e).await?;
    Ok(crate::routes::download::file(
        false,
        &format!("event-{}", e.id),
        crate::routes::download::XLSX,
        bytes,
    ))
}

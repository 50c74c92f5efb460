//! The complaint-day wall: post, 同感, hide; the official reply shows next to each post.
use actix_web::{HttpResponse, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{AuthUser, Owner};
use crate::domain::access::BUTLERS;
use crate::domain::demand::{Environment, Status};
use crate::domain::event::{EventKind, EventStatus};
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::{no_errors, required_text};
use crate::service::complaints::{self, NewComplaint, WallOrder};
use crate::service::demands::{self};
use crate::service::events;
use crate::service::files::FileRefs;
use crate::state::AppState;
use crate::types::{FileId, Id, Page, local_time};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(post_complaint)
        .service(list_complaints)
        .service(metoo)
        .service(hide_complaint)
        .service(unhide_complaint)
        .service(event_summary);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfficialReply {
    pub demand_id: Id,
    pub number: String,
    pub status: Status,
    pub status_label: &'static str,
    /// The unit's answer, once replied.
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<FixedOffset>>,
    pub unit_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintResponse {
    pub id: Id,
    pub content: String,
    pub environment: Environment,
    pub anonymous: bool,
    /// Null when anonymous, except for admins and the enterprise's own butler (audited).
    pub enterprise_name: Option<String>,
    pub photos: Vec<Id>,
    pub metoo_count: i32,
    pub metoo_by_me: bool,
    pub mine: bool,
    /// Moderators only: hidden posts stay in the record.
    pub hidden: bool,
    pub hidden_reason: Option<String>,
    pub official: Option<OfficialReply>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PostComplaintRequest {
    /// 1–1000 characters; checked by WeChat's content check.
    pub content: String,
    pub environment: Environment,
    #[serde(default)]
    pub anonymous: bool,
    /// Photos the caller uploaded (at most 9).
    #[serde(default)]
    pub photos: Vec<FileId>,
}

/// The complaint day `event_id`, when `auth` sees it (its audience and its moderators); when
/// `taking_part` (posting, 同感), only its audience.
async fn complaint_day(
    state: &AppState,
    auth: &AuthUser,
    event_id: i64,
    taking_part: bool,
) -> ApiResult<entity::event::Model> {
    let e = events::visible(&state.db, auth, event_id).await?;
    if e.kind != EventKind::ComplaintDay {
        return Err(ApiError::not_found("not_a_complaint_day", "该活动不是吐槽日"));
    }
    if taking_part && !events::in_audience(&state.db, auth, &e).await? {
        return Err(ApiError::Forbidden {
            code: "not_in_audience",
            message: "只有本次吐槽日的参与者可以发帖或点同感".into(),
        });
    }
    Ok(e)
}

/// Post a complaint (the audience, while the event is open). It becomes a demand at once.
#[utoipa::path(tag = "events", params(("id" = String, Path)), request_body = PostComplaintRequest, responses(
    (status = 201, body = ComplaintResponse),
    (status = 403, description = "`not_in_audience`: a moderator, who sees the wall without taking part", body = ErrorBody),
    (status = 404, description = "not in the audience", body = ErrorBody),
    (status = 409, description = "`event_not_open`", body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/events/{id}/complaints")]
pub async fn post_complaint(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<PostComplaintRequest>,
) -> ApiResult<HttpResponse> {
    let e = complaint_day(&state, &auth, id.into_inner(), true).await?;
    if events::status(&e) != EventStatus::Open {
        return Err(ApiError::conflict("event_not_open", "吐槽日未开始或已结束"));
    }
    let b = body.parse()?;
    let mut errors = Vec::new();
    let content = required_text(&b.content, "content", 1000, &mut errors);
    no_errors(errors)?;
    let photos = FileRefs::list("photos", &FileId::ids(&b.photos));
    let new = NewComplaint {
        content,
        environment: b.environment,
        anonymous: b.anonymous,
        photos,
    };
    let c = complaints::post(&state.db, &state.settings, &state.wechat, &auth, &e, new).await?;
    let mut shaped = complaint_responses(&state, &auth, vec![with_demand(&state, c).await?]).await?;
    Ok(HttpResponse::Created().json(shaped.pop()))
}

/// A complaint with the demand it became.
async fn with_demand(
    state: &AppState,
    c: entity::complaint::Model,
) -> ApiResult<(entity::complaint::Model, Option<entity::demand::Model>)> {
    let d = match c.demand_id {
        Some(d) => Some(demands::get(&state.db, d).await?),
        None => None,
    };
    Ok((c, d))
}

async fn complaint_responses(
    state: &AppState,
    auth: &AuthUser,
    rows: Vec<(entity::complaint::Model, Option<entity::demand::Model>)>,
) -> ApiResult<Vec<ComplaintResponse>> {
    let moderator = auth.can(BUTLERS, &Default::default());
    let ids: Vec<i64> = rows.iter().map(|(c, _)| c.id).collect();
    let mine = complaints::has_metoo(&state.db, auth.id, &ids).await?;
    let units = demands::unit_names(&state.db, rows.iter().filter_map(|(_, d)| d.as_ref()?.unit_id)).await?;
    let enterprise_ids: Vec<i64> = rows.iter().filter_map(|(c, _)| c.enterprise_id).collect();
    let enterprises = crate::service::enterprises::names_and_butlers(&state.db, &enterprise_ids).await?;
    // As on demands: the person behind an anonymous post is seen by admins and the
    // enterprise's own butler only, and each such read is audited.
    let owner = |c: &entity::complaint::Model| Owner {
        enterprise_id: c.enterprise_id,
        butler_id: c.enterprise_id.and_then(|e| enterprises.get(&e)?.1),
        unit_id: None,
        user_id: Some(c.author_id),
    };
    let revealed: Vec<i64> = rows
        .iter()
        .filter(|(c, _)| c.anonymous && c.author_id != auth.id && auth.sees_identity(true, &owner(c)))
        .map(|(c, _)| c.id)
        .collect();
    crate::service::privacy::audit_identity_reads(&state.db, auth.id, "complaint", &revealed).await?;
    Ok(rows
        .into_iter()
        .map(|(c, d)| {
            let show_who = auth.sees_identity(c.anonymous, &owner(&c));
            ComplaintResponse {
                id: Id(c.id),
                environment: c.environment,
                anonymous: c.anonymous,
                enterprise_name: if show_who {
                    c.enterprise_id.and_then(|id| enterprises.get(&id).map(|e| e.0.clone()))
                } else {
                    None
                },
                photos: crate::types::ids_of(&c.photos),
                metoo_count: c.metoo_count,
                metoo_by_me: mine.contains(&c.id),
                mine: c.author_id == auth.id,
                hidden: c.hidden,
                hidden_reason: if moderator { c.hidden_reason.clone() } else { None },
                official: d.map(|d| {
                    let status = d.status;
                    let answered = matches!(status, Status::Replied | Status::Closed);
                    OfficialReply {
                        demand_id: Id(d.id),
                        number: d.number,
                        status,
                        status_label: status.label(),
                        reply: if answered { d.reply_content } else { None },
                        replied_at: if answered { d.replied_at.map(local_time) } else { None },
                        unit_name: d.unit_id.and_then(|u| units.get(&u).cloned()),
                    }
                }),
                content: c.content,
                created_at: local_time(c.created_at),
            }
        })
        .collect())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WallQuery {
    pub cursor: Option<String>,
    pub limit: Option<u64>,
    /// `time` (newest first, the default) or `metoo` (most 同感 first).
    #[param(inline)]
    pub sort: Option<WallSort>,
}

/// How the wall is ordered.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WallSort {
    Time,
    Metoo,
}

/// The wall (the audience; hidden posts only for moderators).
#[utoipa::path(tag = "events", params(("id" = String, Path), WallQuery), responses((status = 200, body = Page<ComplaintResponse>), (status = 404, body = ErrorBody)))]
#[get("/events/{id}/complaints")]
pub async fn list_complaints(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    query: crate::extract::Query<WallQuery>,
) -> ApiResult<HttpResponse> {
    let e = complaint_day(&state, &auth, id.into_inner(), false).await?;
    let q = query.parse()?;
    let order = match q.sort {
        None | Some(WallSort::Time) => WallOrder::Time,
        Some(WallSort::Metoo) => WallOrder::Metoo,
    };
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            "out_of_range",
            "每页数量应在 1 到 100 之间",
        ));
    }
    // The wall re-sorts as 同感 arrive, so its cursor is a position, not an id.
    let offset = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => URL_SAFE_NO_PAD
            .decode(c)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("at:").and_then(|n| n.parse::<u64>().ok()))
            .ok_or_else(|| ApiError::invalid(vec![FieldError::new("cursor", "invalid_cursor", "分页游标无效")]))?,
    };
    let moderator = auth.can(BUTLERS, &Default::default());
    let mut rows = complaints::wall(&state.db, e.id, moderator, order, offset, limit).await?;
    let next_cursor = (rows.len() as u64 > limit).then(|| URL_SAFE_NO_PAD.encode(format!("at:{}", offset + limit)));
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(HttpResponse::Ok().json(Page {
        items: complaint_responses(&state, &auth, rows).await?,
        next_cursor,
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetooResponse {
    pub metoo_count: i32,
}

/// 同感: once per person; a repeat changes nothing.
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = MetooResponse), (status = 403, description = "`not_in_audience`", body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/complaints/{id}/metoo")]
pub async fn metoo(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let c = complaints::get(&state.db, id.into_inner()).await?;
    let e = complaint_day(&state, &auth, c.event_id, true).await?;
    if c.hidden || events::status(&e) != EventStatus::Open {
        return Err(ApiError::conflict("event_not_open", "该吐槽当前不能点同感"));
    }
    let metoo_count = complaints::metoo(&state.db, auth.id, &c).await?;
    Ok(HttpResponse::Ok().json(MetooResponse { metoo_count }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HideRequest {
    pub reason: String,
}

/// Hide a post that breaks the rules (moderators); it stays in the record and its demand goes on.
#[utoipa::path(tag = "events", params(("id" = String, Path)), request_body = HideRequest, responses((status = 200, body = ComplaintResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/complaints/{id}/hide")]
pub async fn hide_complaint(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<HideRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let mut errors = Vec::new();
    let reason = required_text(&body.parse()?.reason, "reason", 200, &mut errors);
    no_errors(errors)?;
    let c = complaints::get(&state.db, id.into_inner()).await?;
    let c = complaints::hide(&state.db, auth.id, &c, reason).await?;
    let mut shaped = complaint_responses(&state, &auth, vec![with_demand(&state, c).await?]).await?;
    Ok(HttpResponse::Ok().json(shaped.pop()))
}

/// Show a hidden post again (moderators).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = ComplaintResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[post("/complaints/{id}/unhide")]
pub async fn unhide_complaint(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let c = complaints::get(&state.db, id.into_inner()).await?;
    let c = complaints::unhide(&state.db, &c).await?;
    let mut shaped = complaint_responses(&state, &auth, vec![with_demand(&state, c).await?]).await?;
    Ok(HttpResponse::Ok().json(shaped.pop()))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ComplaintTopic)]
pub struct Topic {
    pub word: String,
    pub count: usize,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SummaryResponse {
    pub complaints: u64,
    pub participants: u64,
    pub hidden: u64,
    pub metoos: i64,
    /// Most frequent segmented words of the visible posts.
    pub top_topics: Vec<Topic>,
    pub demands_closed: u64,
    pub demands_satisfied: u64,
}

/// The summary after closing (moderators any time).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = SummaryResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[get("/events/{id}/summary")]
pub async fn event_summary(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let e = complaint_day(&state, &auth, id.into_inner(), false).await?;
    let ended = matches!(events::status(&e), EventStatus::Closed | EventStatus::Archived);
    if !ended && !auth.can(BUTLERS, &Default::default()) {
        return Err(ApiError::conflict("event_not_closed", "活动结束后才能查看总结"));
    }
    let s = complaints::summary(&state.db, e.id).await?;
    Ok(HttpResponse::Ok().json(SummaryResponse {
        complaints: s.complaints,
        participants: s.participants,
        hidden: s.hidden,
        metoos: s.metoos,
        top_topics: s
            .top_topics
            .into_iter()
            .map(|(word, count)| Topic { word, count })
            .collect(),
        demands_closed: s.demands_closed,
        demands_satisfied: s.demands_satisfied,
    }))
}

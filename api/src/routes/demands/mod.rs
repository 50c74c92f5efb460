//! Demands: file one, list what the caller may see, read one with its timeline (`response`),
//! and every move of the state machine (`moves`). Writes take `Idempotency-Key`.
mod moves;
mod response;

pub use moves::*;
pub use response::{DemandResponse, detail};

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::demand::{Channel, Environment, Kind, Status};
use crate::domain::phone;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::{no_errors, required_text};
use crate::service::demands::{self, Filing, ListFilter};
use crate::service::files::FileRefs;
use crate::state::AppState;
use crate::types::{FileId, Id, Page, PageQuery};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_demand)
        .service(list_demands)
        .service(get_demand)
        .service(accept)
        .service(reject)
        .service(assign)
        .service(sign)
        .service(return_demand)
        .service(reply)
        .service(rate)
        .service(callback_rating)
        .service(extend)
        .service(approve_extension)
        .service(flag_unreasonable)
        .service(merge)
        .service(supervise)
        .service(comment);
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateDemandRequest {
    pub kind: Kind,
    pub environment: Environment,
    /// At most 50 characters.
    pub title: String,
    /// At most 2000 characters.
    pub content: String,
    #[serde(default)]
    pub anonymous: bool,
    /// Files the caller uploaded with `POST /api/v1/files` (at most 9).
    #[serde(default)]
    pub attachments: Vec<FileId>,
    /// Staff filing for an enterprise: the channel (`hotline`, `callback`, ...).
    pub channel: Option<Channel>,
    /// Staff filing for an enterprise: which one.
    pub enterprise_id: Option<Id>,
    /// Hotline: the caller's phone.
    pub caller_phone: Option<String>,
}

/// File a demand.
///
/// An enterprise member files for their enterprise (channel `miniprogram`). Staff (butlers,
/// admins) and supervision-committee members file on an enterprise's behalf with a channel
/// such as `hotline`. Send an `Idempotency-Key` header: a repeat returns the first answer.
#[utoipa::path(tag = "demands", request_body = CreateDemandRequest, params(("Idempotency-Key" = Option<String>, Header)), responses(
    (status = 201, body = DemandResponse),
    (status = 403, body = ErrorBody),
    (status = 422, description = "field errors; `content_risky`; `idempotency_key_reused`", body = ErrorBody),
))]
#[post("/demands")]
pub async fn create_demand(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    body: Json<CreateDemandRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.parse()?;
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 50, &mut errors);
    let content = required_text(&b.content, "content", 2000, &mut errors);
    no_errors(errors)?;
    let caller_phone = match b.caller_phone.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => Some(
            phone::parse(p)
                .ok_or_else(|| ApiError::invalid_field("callerPhone", "invalid_phone", "电话号码格式不正确"))?,
        ),
        None => None,
    };
    let filing = Filing {
        kind: b.kind,
        environment: b.environment,
        title,
        content,
        anonymous: b.anonymous,
        attachments: FileRefs::list("attachments", &FileId::ids(&b.attachments)),
        channel: b.channel,
        enterprise_id: b.enterprise_id.map(|i| i.0),
        caller_phone,
        // The demand keeps the key too: a retry after a crash between its commit and the
        // key's answer finds it instead of filing it twice.
        request_key: crate::idempotent::key(&req),
    };
    let created = demands::file(&state.db, &state.settings, &state.wechat, &auth, filing).await?;
    let shown = detail(&auth, demands::detail(&state.db, &auth, created).await?);
    Ok(HttpResponse::Created().json(shown))
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DemandListQuery {
    pub cursor: Option<String>,
    pub limit: Option<u64>,
    pub status: Option<String>,
    pub unit_id: Option<String>,
    pub environment: Option<String>,
    pub channel: Option<String>,
    /// Never matches an anonymous demand for someone from whom its enterprise is hidden.
    pub enterprise_id: Option<String>,
    pub overdue: Option<bool>,
    pub unreasonable: Option<bool>,
    /// Words in the title or content, a whole number `SQ…`, or (where the caller may see who is
    /// behind a demand) part of the enterprise's name or the caller's phone.
    pub q: Option<String>,
    /// `true`: only what waits for the caller's action (the staff workbench).
    pub todo: Option<bool>,
}

fn parse_opt<T>(
    value: Option<&str>,
    field: &str,
    parse: impl Fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let v = value.filter(|v| !v.is_empty())?;
    let parsed = parse(v);
    if parsed.is_none() {
        errors.push(FieldError::new(field, "invalid_choice", "取值不在允许的范围内"));
    }
    parsed
}

/// Demands the caller may see, newest first: their own, their enterprise's (not anonymous
/// ones of colleagues), those of the enterprises a butler serves, those assigned to a
/// handler's unit; all for admins.
#[utoipa::path(tag = "demands", params(DemandListQuery), responses((status = 200, body = Page<DemandResponse>), (status = 422, body = ErrorBody)))]
#[get("/demands")]
pub async fn list_demands(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<DemandListQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.parse()?;
    let mut errors = Vec::new();
    let id = |s: &str| s.parse::<i64>().ok();
    let filter = ListFilter {
        status: parse_opt(q.status.as_deref(), "status", Status::parse, &mut errors),
        unit_id: parse_opt(q.unit_id.as_deref(), "unitId", id, &mut errors),
        environment: parse_opt(q.environment.as_deref(), "environment", Environment::parse, &mut errors),
        channel: parse_opt(q.channel.as_deref(), "channel", Channel::parse, &mut errors),
        enterprise_id: parse_opt(q.enterprise_id.as_deref(), "enterpriseId", id, &mut errors),
        overdue: q.overdue,
        unreasonable: q.unreasonable,
        q: q.q,
        mine_to_act: q.todo.unwrap_or(false),
    };
    no_errors(errors)?;
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = page.limit()?;
    let (rows, names) = demands::page(&state.db, &auth, &filter, page.after_id()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |d| d.id,
        |d| response::listed(&auth, d, &names),
    )))
}

/// One demand with its timeline.
#[utoipa::path(tag = "demands", params(("id" = String, Path)), responses((status = 200, body = DemandResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/demands/{id}")]
pub async fn get_demand(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let d = demands::readable(&state.db, &auth, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(detail(&auth, demands::detail(&state.db, &auth, d).await?)))
}

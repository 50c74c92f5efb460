//! The hotline desk: the enterprise lookup an agent types against, the phone system's events,
//! the call log with its call-back list, and the stream that rings an agent's open console.
use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::{BUTLERS, Principal};
use crate::domain::demand::Status;
use crate::domain::enterprise::{Scale, ServiceTier};
use crate::domain::phone;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::service::hotline::{self, CallEvent, CallFilter, Found, PhoneEvent};
use crate::state::AppState;
use crate::types::{Id, Named, Page, PageQuery, local_time};
use entity::codes::{CallDirection, CallStatus};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(lookup_enterprises)
        .service(telephony_event)
        .service(list_calls)
        .service(call_stream)
        .service(resolve_call);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecentDemand {
    pub id: Id,
    pub number: String,
    pub title: String,
    pub status: Status,
    pub status_label: &'static str,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LookupEnterprise {
    pub id: Id,
    pub name: String,
    pub uscc: String,
    pub butler: Option<Named>,
    pub service_tier: ServiceTier,
    pub scale: Scale,
    pub district: Option<String>,
    /// Its latest demands (at most 5; anonymous ones only for admins and its own butler).
    pub recent_demands: Vec<RecentDemand>,
}

fn recent(d: entity::demand::Model) -> RecentDemand {
    RecentDemand {
        id: Id(d.id),
        number: d.number,
        title: d.title,
        status: d.status,
        status_label: d.status.label(),
        created_at: local_time(d.created_at),
    }
}

fn found(f: Found) -> LookupEnterprise {
    let e = f.enterprise;
    LookupEnterprise {
        id: Id(e.id),
        butler: e.butler_user_id.map(|id| Named {
            id: Id(id),
            name: f.butler_name.unwrap_or_default(),
        }),
        name: e.name,
        uscc: e.uscc,
        service_tier: e.service_tier,
        scale: e.scale,
        district: e.district,
        recent_demands: f.recent.into_iter().map(recent).collect(),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    /// Part of the name, the start of the USCC, or a phone of one of its people.
    pub q: String,
}

/// Find the caller's enterprise as the agent types (butlers, admins): at most 10, the best
/// first, each with its butler and latest demands.
#[utoipa::path(tag = "hotline", params(LookupQuery), responses(
    (status = 200, body = [LookupEnterprise]),
    (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[get("/enterprises/lookup")]
pub async fn lookup_enterprises(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<LookupQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let q = query.parse()?.q;
    if q.chars().count() > 50 {
        return Err(ApiError::invalid_field("q", "too_long", "不能超过 50 个字"));
    }
    let rows = hotline::lookup(&state.db, &auth, &q).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(found).collect::<Vec<_>>()))
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub enum TelephonyEventKind {
    NewCall,
    Answer,
    Hangup,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TelephonyEvent {
    pub event: TelephonyEventKind,
    /// The phone system's id of the call (at most 100 characters).
    pub call_id: String,
    pub from: String,
    pub to: String,
    pub direction: CallDirection,
    /// The agent's extension (`PATCH /users/{id}` sets a person's).
    pub agent: Option<String>,
    /// When it happened; now if left out.
    pub at: Option<DateTime<Utc>>,
}

/// The phone system tells of a call (`X-Telephony-Token` header, no user token): `newCall`
/// when it rings, `answer`, `hangup`. The caller's number is matched to an enterprise's people;
/// the agent's open console is rung.
#[utoipa::path(tag = "hotline", request_body = TelephonyEvent, params(("X-Telephony-Token" = String, Header)), responses(
    (status = 204),
    (status = 401, description = "`telephony_token_invalid`", body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/telephony/events")]
pub async fn telephony_event(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<TelephonyEvent>,
) -> ApiResult<HttpResponse> {
    use secrecy::ExposeSecret;
    let sent = req
        .headers()
        .get("X-Telephony-Token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let right: bool = match &state.settings.telephony.token {
        Some(token) if !token.expose_secret().is_empty() => {
            token.expose_secret().as_bytes().ct_eq(sent.as_bytes()).into()
        }
        _ => false,
    };
    if !right {
        return Err(ApiError::unauthorized("telephony_token_invalid", "电话系统凭证无效"));
    }
    let b = body.parse()?;
    let short = |v: &str, max: usize| !v.trim().is_empty() && v.chars().count() <= max;
    if !short(&b.call_id, 100) {
        return Err(ApiError::invalid_field(
            "callId",
            "invalid",
            "通话编号不能为空且不超过 100 个字符",
        ));
    }
    if !short(&b.from, 32) || !short(&b.to, 32) {
        return Err(ApiError::invalid_field(
            "from",
            "invalid",
            "号码不能为空且不超过 32 个字符",
        ));
    }
    let event = PhoneEvent {
        event: match b.event {
            TelephonyEventKind::NewCall => CallEvent::NewCall,
            TelephonyEventKind::Answer => CallEvent::Answer,
            TelephonyEventKind::Hangup => CallEvent::Hangup,
        },
        call_id: b.call_id.trim().to_owned(),
        from: b.from.trim().to_owned(),
        to: b.to.trim().to_owned(),
        direction: b.direction,
        agent: b.agent.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()),
        at: b.at.unwrap_or_else(Utc::now),
    };
    hotline::record(&state.db, event).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallResponse {
    pub id: Id,
    pub call_id: String,
    /// The caller's number, masked but to admins.
    pub from: String,
    pub direction: CallDirection,
    pub agent: Option<Named>,
    pub enterprise: Option<Named>,
    pub status: CallStatus,
    pub started_at: DateTime<FixedOffset>,
    pub answered_at: Option<DateTime<FixedOffset>>,
    pub ended_at: Option<DateTime<FixedOffset>>,
    pub demand_id: Option<Id>,
}

type Names = std::collections::HashMap<i64, String>;

fn call_response(who: &Principal, c: entity::call::Model, agents: &Names, enterprises: &Names) -> CallResponse {
    let named = |id: Option<i64>, names: &Names| {
        id.map(|id| Named {
            id: Id(id),
            name: names.get(&id).cloned().unwrap_or_default(),
        })
    };
    let number = hotline::caller_number(&c).to_owned();
    CallResponse {
        id: Id(c.id),
        call_id: c.call_id,
        from: if who.is_admin() { number } else { phone::mask(&number) },
        direction: c.direction,
        agent: named(c.agent_user_id, agents),
        enterprise: named(c.enterprise_id, enterprises),
        status: c.status,
        started_at: local_time(c.started_at),
        answered_at: c.answered_at.map(local_time),
        ended_at: c.ended_at.map(local_time),
        demand_id: c.demand_id.map(Id),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallQuery {
    /// `ringing`, `answered`, `missed`, `done`, or `callback` (missed, or ended without a
    /// demand, and not resolved); all when left out.
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

/// The call log, newest first (butlers, admins).
#[utoipa::path(tag = "hotline", params(CallQuery), responses(
    (status = 200, body = Page<CallResponse>),
    (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[get("/calls")]
pub async fn list_calls(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<CallQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let q = query.parse()?;
    let filter = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => CallFilter::All,
        Some("callback") => CallFilter::CallBack,
        Some(s) => CallFilter::Status(
            CallStatus::parse(s)
                .ok_or_else(|| ApiError::invalid_field("status", "invalid_choice", "取值不在允许的范围内"))?,
        ),
    };
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = page.limit()?;
    let rows = hotline::list(&state.db, filter, page.after_id()?, limit).await?;
    let (agents, enterprises) = hotline::names_of(&state.db, &rows).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |c| c.id,
        |c| call_response(&auth, c, &agents, &enterprises),
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResolveCallRequest {
    /// The demand the call led to.
    pub demand_id: Option<Id>,
}

/// Take a call off the call-back list, with the demand it led to (butlers, admins).
#[utoipa::path(tag = "hotline", params(("id" = String, Path)), request_body = ResolveCallRequest, responses(
    (status = 200, body = CallResponse),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[post("/calls/{id}/resolve")]
pub async fn resolve_call(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ResolveCallRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let demand_id = body.parse_optional()?.and_then(|b| b.demand_id).map(|i| i.0);
    if let Some(d) = demand_id {
        crate::service::demands::get(&state.db, d)
            .await
            .map_err(|e| e.missing_as_field("demandId", "not_found", "诉求不存在"))?;
    }
    let c = hotline::resolve(&state.db, id.into_inner(), demand_id).await?;
    let (agents, enterprises) = hotline::names_of(&state.db, std::slice::from_ref(&c)).await?;
    Ok(HttpResponse::Ok().json(call_response(&auth, c, &agents, &enterprises)))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Ringing {
    call: CallResponse,
    enterprise: Option<LookupEnterprise>,
    recent_demands: Vec<RecentDemand>,
}

/// Seconds between looks at the call log, and how long one stream stays open (the console
/// opens another).
const TICK: Duration = Duration::from_secs(1);
const STREAM_TICKS: u32 = 1800;

async fn ringing_events(state: &AppState, who: &Principal, after: &mut i64) -> ApiResult<String> {
    let calls = hotline::ringing_for(&state.db, who, *after).await?;
    let (agents, enterprises) = hotline::names_of(&state.db, &calls).await?;
    let mut out = String::new();
    for c in calls {
        *after = (*after).max(c.id);
        let enterprise = match c.enterprise_id {
            Some(id) => {
                let e = crate::service::enterprises::get(&state.db, id).await?;
                let recent = hotline::recent_demands(&state.db, who, &e).await?;
                let butler_name = match e.butler_user_id {
                    Some(b) => crate::service::people::names(&state.db, [b]).await?.remove(&b),
                    None => None,
                };
                Some(found(Found {
                    enterprise: e,
                    butler_name,
                    recent,
                }))
            }
            None => None,
        };
        let recent_demands = enterprise
            .as_ref()
            .map(|e| {
                e.recent_demands
                    .iter()
                    .map(|d| RecentDemand {
                        id: Id(d.id.0),
                        number: d.number.clone(),
                        title: d.title.clone(),
                        status: d.status,
                        status_label: d.status_label,
                        created_at: d.created_at,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let event = Ringing {
            call: call_response(who, c, &agents, &enterprises),
            enterprise,
            recent_demands,
        };
        let data = serde_json::to_string(&event).map_err(ApiError::internal)?;
        out.push_str(&format!("event: call\ndata: {data}\n\n"));
    }
    Ok(out)
}

/// The calls that ring for the caller, as server-sent events (`event: call`, data `{call,
/// enterprise, recentDemands}`), read with `fetch` (the token in the `Authorization` header).
/// Rings for the agent whose extension the phone system named, or every butler when it named
/// none. A call still ringing when the stream opens is sent at once. Butlers, admins.
#[utoipa::path(tag = "hotline", responses(
    (status = 200, description = "`text/event-stream`", content_type = "text/event-stream", body = String),
    (status = 403, body = ErrorBody),
))]
#[get("/calls/stream")]
pub async fn call_stream(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let who: Principal = auth.0.clone();
    let stream = futures_util::stream::unfold((state, who, 0i64, 0u32), |(state, who, mut after, tick)| async move {
        if tick >= STREAM_TICKS {
            return None;
        }
        if tick > 0 {
            tokio::time::sleep(TICK).await;
        }
        let chunk = match ringing_events(&state, &who, &mut after).await {
            Ok(events) if events.is_empty() && tick % 15 == 0 => ": keep-alive\n\n".to_owned(),
            Ok(events) => events,
            Err(err) => {
                tracing::warn!(error = ?err, "the call stream could not read the call log");
                String::new()
            }
        };
        Some((
            Ok::<_, actix_web::Error>(web::Bytes::from(chunk)),
            (state, who, after, tick + 1),
        ))
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(stream))
}

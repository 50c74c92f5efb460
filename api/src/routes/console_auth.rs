//! Signing in to the staff console: by scanning a ticket's code with the mini-program
//! (`service::console_login`), or, in development, as a demo person. The console keeps the access
//! token in memory; its refresh token is an HttpOnly, SameSite=Strict cookie sent only to
//! `/api/v1/auth/console/…` (Secure except on localhost).
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use base64::Engine;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::routes::auth::tokens;
use crate::routes::users::UserResponse;
use crate::service::console_login::{self, Taken};
use crate::service::{people, sessions};
use crate::state::AppState;
use crate::types::local_time;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_ticket)
        .service(take_session)
        .service(view_ticket)
        .service(confirm_ticket)
        .service(console_refresh)
        .service(console_logout)
        .service(dev_sign_in);
}

/// The console's refresh cookie.
pub const COOKIE: &str = "qinqing_console_refresh";
const COOKIE_PATH: &str = "/api/v1/auth/console";

/// Whether the console is opened on this machine (then the cookie cannot be `Secure`: plain
/// HTTP on localhost is how development and the tests run).
fn on_localhost(req: &HttpRequest) -> bool {
    let info = req.connection_info();
    let host = info.host();
    let name = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

fn cookie(req: &HttpRequest, value: String, days: u64) -> Cookie<'static> {
    Cookie::build(COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(!on_localhost(req))
        .max_age(actix_web::cookie::time::Duration::days(
            i64::try_from(days).unwrap_or(30),
        ))
        .finish()
}

fn cleared(req: &HttpRequest) -> Cookie<'static> {
    let mut c = cookie(req, String::new(), 0);
    c.make_removal();
    c
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewConsoleTicket {
    /// 16 characters `[A-Z2-7]`: what the code names.
    #[schema(pattern = "^[A-Z2-7]{16}$")]
    pub ticket: String,
    /// Only this console knows it; it takes the session with it.
    pub secret: String,
    pub expires_at: DateTime<FixedOffset>,
    /// `qinqing://console-login?ticket=<ticket>`: drawn as a plain QR code in development.
    pub qr_text: String,
    /// In production a `data:image/png;base64,…` mini-program code that opens the 确认登录
    /// page with the ticket; null in development.
    pub qr_image: Option<String>,
}

/// Ask for a sign-in ticket (no token): the console shows its code and waits for a staff
/// member to confirm it in the mini-program.
#[utoipa::path(tag = "auth", responses(
    (status = 201, body = NewConsoleTicket),
    (status = 503, description = "`wechat_unavailable`: the mini-program code could not be made", body = ErrorBody),
))]
#[post("/auth/console-tickets")]
pub async fn create_ticket(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let agent = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let t = console_login::create(&state.cache, crate::domain::user_agent::describe(agent)).await?;
    let qr_image = if state.settings.wechat.dev_mode {
        None
    } else {
        let env = match state.settings.wechat.miniprogram_state.as_str() {
            "developer" => "develop",
            "trial" => "trial",
            _ => "release",
        };
        let png = state
            .wechat
            .wxacode_unlimited(console_login::CONFIRM_PAGE, &t.ticket, env)
            .await?;
        Some(format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        ))
    };
    Ok(HttpResponse::Created().json(NewConsoleTicket {
        qr_text: format!("qinqing://console-login?ticket={}", t.ticket),
        ticket: t.ticket,
        secret: t.secret,
        expires_at: local_time(t.expires_at),
        qr_image,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TakeSessionRequest {
    pub secret: String,
    /// How long to wait for the confirmation before answering 202 (0–25 seconds, default 20):
    /// the console asks again at once, so a confirmation reaches it as it happens.
    pub wait_secs: Option<u64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WaitingResponse {
    /// `waiting`
    pub status: &'static str,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleSessionResponse {
    /// JWT for `Authorization: Bearer`; keep it in memory only.
    pub access_token: String,
    /// Seconds until it expires.
    pub expires_in: u64,
    pub user: UserResponse,
}

/// A signed-in console: the access token in the body, the refresh token in the cookie.
pub(crate) async fn signed_in(state: &AppState, req: &HttpRequest, user_id: i64) -> ApiResult<HttpResponse> {
    let days = state.settings.auth.refresh_ttl_days;
    let issued = sessions::issue(&state.db, user_id, None, days).await?;
    let t = tokens(state, user_id, issued).await?;
    Ok(HttpResponse::Ok()
        .cookie(cookie(req, t.refresh_token, days))
        .json(ConsoleSessionResponse {
            access_token: t.access_token,
            expires_in: t.expires_in,
            user: t.user,
        }))
}

/// Take the session of a confirmed ticket (no token; the ticket's secret): 202 while it waits
/// (after waiting up to `waitSecs` for it), then once 200 with the session and the refresh
/// cookie.
#[utoipa::path(tag = "auth", params(("ticket" = String, Path)), request_body = TakeSessionRequest, responses(
    (status = 200, body = ConsoleSessionResponse, headers(("Set-Cookie" = String, description = "the refresh cookie"))),
    (status = 202, body = WaitingResponse),
    (status = 403, description = "`ticket_secret_invalid`", body = ErrorBody),
    (status = 404, description = "`ticket_not_found`", body = ErrorBody),
    (status = 409, description = "`ticket_used`: the session was already taken", body = ErrorBody),
    (status = 410, description = "`ticket_expired`", body = ErrorBody),
))]
#[post("/auth/console-tickets/{ticket}/session")]
pub async fn take_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    ticket: web::Path<String>,
    body: Json<TakeSessionRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.parse()?;
    let wait = std::time::Duration::from_secs(b.wait_secs.unwrap_or(20).min(25));
    match console_login::take(&state.cache, &ticket, &b.secret, wait).await? {
        Taken::Waiting => Ok(HttpResponse::Accepted().json(WaitingResponse { status: "waiting" })),
        Taken::SignedIn(user_id) => signed_in(&state, &req, user_id).await,
    }
}

/// Where a ticket stands for the person who scanned it.
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Waiting,
    Confirmed,
    Expired,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleTicket {
    #[schema(pattern = "^[A-Z2-7]{16}$")]
    pub ticket: String,
    pub status: TicketStatus,
    /// The browser that asks, e.g. `Chrome 126 · Windows`.
    pub browser: String,
    pub created_at: DateTime<FixedOffset>,
    pub expires_at: DateTime<FixedOffset>,
}

/// A ticket as the person who scanned it sees it: which browser asks to sign in.
#[utoipa::path(tag = "auth", params(("ticket" = String, Path)), responses(
    (status = 200, body = ConsoleTicket),
    (status = 404, description = "`ticket_not_found`", body = ErrorBody),
))]
#[get("/auth/console-tickets/{ticket}")]
pub async fn view_ticket(
    state: web::Data<AppState>,
    _auth: AuthUser,
    ticket: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let v = console_login::view(&state.cache, &ticket).await?;
    Ok(HttpResponse::Ok().json(ConsoleTicket {
        ticket: ticket.into_inner(),
        status: match v.status {
            console_login::ViewStatus::Waiting => TicketStatus::Waiting,
            console_login::ViewStatus::Confirmed => TicketStatus::Confirmed,
            console_login::ViewStatus::Expired => TicketStatus::Expired,
        },
        browser: v.browser,
        created_at: local_time(v.created_at),
        expires_at: local_time(v.expires_at),
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleTicketConfirmed {
    /// `confirmed`
    pub status: &'static str,
}

/// Confirm the sign-in (the 确认登录 page): the console showing the ticket gets the caller's
/// session. Staff only (butlers, unit handlers, admins).
#[utoipa::path(tag = "auth", params(("ticket" = String, Path)), responses(
    (status = 200, body = ConsoleTicketConfirmed),
    (status = 403, description = "`not_staff`", body = ErrorBody),
    (status = 404, description = "`ticket_not_found`", body = ErrorBody),
    (status = 409, description = "`ticket_confirmed`", body = ErrorBody),
    (status = 410, description = "`ticket_expired`", body = ErrorBody),
))]
#[post("/auth/console-tickets/{ticket}/confirm")]
pub async fn confirm_ticket(
    state: web::Data<AppState>,
    auth: AuthUser,
    ticket: web::Path<String>,
) -> ApiResult<HttpResponse> {
    console_login::confirm(&state.cache, &ticket, &auth).await?;
    Ok(HttpResponse::Ok().json(ConsoleTicketConfirmed { status: "confirmed" }))
}

fn refresh_token_of(req: &HttpRequest) -> ApiResult<String> {
    req.cookie(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::unauthorized("refresh_token_invalid", "登录已失效，请重新登录"))
}

/// Rotate the console's refresh cookie: a new access token and a new cookie. A refusal clears
/// the cookie.
#[utoipa::path(tag = "auth", responses(
    (status = 200, body = ConsoleSessionResponse),
    (status = 401, description = "`refresh_token_invalid`, `refresh_token_reused`, `refresh_token_expired`", body = ErrorBody),
))]
#[post("/auth/console/refresh")]
pub async fn console_refresh(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let days = state.settings.auth.refresh_ttl_days;
    let rotated = match refresh_token_of(&req) {
        Ok(token) => sessions::rotate(&state.db, &token, days).await,
        Err(err) => Err(err),
    };
    let (user_id, next) = match rotated {
        Ok(r) => r,
        Err(err) => {
            let mut res = actix_web::ResponseError::error_response(&err);
            res.add_cookie(&cleared(&req)).map_err(ApiError::internal)?;
            return Ok(res);
        }
    };
    let t = tokens(&state, user_id, next).await?;
    Ok(HttpResponse::Ok()
        .cookie(cookie(&req, t.refresh_token, days))
        .json(ConsoleSessionResponse {
            access_token: t.access_token,
            expires_in: t.expires_in,
            user: t.user,
        }))
}

/// Sign the console out: the sign-in ends (its access tokens too) and the cookie is cleared.
#[utoipa::path(tag = "auth", responses((status = 204)))]
#[post("/auth/console/logout")]
pub async fn console_logout(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    if let Ok(token) = refresh_token_of(&req) {
        sessions::revoke(&state.db, &token).await?;
    }
    Ok(HttpResponse::NoContent().cookie(cleared(&req)).finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DevSignInRequest {
    /// A demo person's openid (`GET /dev/personas`).
    pub openid: String,
}

/// Development mode only (404 otherwise): sign the console in as a demo staff member.
#[utoipa::path(tag = "auth", request_body = DevSignInRequest, responses(
    (status = 200, body = ConsoleSessionResponse),
    (status = 403, description = "`not_staff`", body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[post("/auth/console/dev")]
pub async fn dev_sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<DevSignInRequest>,
) -> ApiResult<HttpResponse> {
    if !state.settings.wechat.dev_mode {
        return Err(ApiError::not_found("not_found", "资源不存在"));
    }
    let openid = body.parse()?.openid;
    let user = people::find_by_openid(&state.db, openid.trim())
        .await?
        .ok_or_else(|| ApiError::not_found("user_not_found", "没有这个演示用户"))?;
    let roles = people::active_roles(&state.db, user.id).await?.unwrap_or_default();
    let who = crate::domain::access::Principal { id: user.id, roles };
    if !console_login::may_use_console(&who) {
        return Err(console_login::not_staff());
    }
    signed_in(&state, &req, user.id).await
}

//! Sign-in with WeChat, refresh-token rotation, sign-out.
use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::routes::users::UserResponse;
use crate::service::{group_visits, people, sessions};
use crate::state::AppState;
use secrecy::ExposeSecret;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(sign_in_wechat).service(refresh).service(logout);
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WechatSignInRequest {
    /// The code from `wx.login` (or `dev:<name>` in development mode).
    pub code: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    /// JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Opaque; spend it once at `/auth/refresh`.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub user: UserResponse,
}

const DEV_PREFIX: &str = "dev:";

fn invalid_code() -> ApiError {
    ApiError::unauthorized("wechat_code_invalid", "微信登录凭证无效或已过期，请重试")
}

pub(crate) async fn tokens(state: &AppState, user_id: i64, issued: sessions::Issued) -> ApiResult<TokenResponse> {
    let user = people::get(&state.db, user_id).await?;
    let profile = people::profile(&state.db, user).await?;
    Ok(TokenResponse {
        access_token: state.jwt.issue(user_id, &issued.family)?,
        refresh_token: issued.token,
        expires_in: state.jwt.ttl_secs(),
        // The person reads their own record: the phone is shown whole.
        user: UserResponse::from_profile(profile, true),
    })
}

/// Sign in with a `wx.login` code.
///
/// Exchanges the code with WeChat's `jscode2session`, creates or finds the person by openid,
/// and returns tokens. WeChat's `session_key` never leaves the server. In development mode
/// a code `dev:<name>` signs in as openid `<name>` without calling WeChat; otherwise such
/// codes are refused like any invalid code.
#[utoipa::path(tag = "auth", request_body = WechatSignInRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "`wechat_code_invalid`", body = ErrorBody),
    (status = 503, description = "`wechat_unavailable` (with Retry-After)", body = ErrorBody),
))]
#[post("/auth/wechat")]
pub async fn sign_in_wechat(state: web::Data<AppState>, body: Json<WechatSignInRequest>) -> ApiResult<HttpResponse> {
    let b = body.parse()?;
    let code = b.code.trim();
    if code.is_empty() || code.len() > 256 {
        return Err(invalid_code());
    }
    let (openid, unionid, session_key) = match code.strip_prefix(DEV_PREFIX) {
        Some(name) if state.settings.wechat.dev_mode => {
            let name = name.trim();
            if name.is_empty()
                || name.len() > 64
                || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            {
                return Err(invalid_code());
            }
            (name.to_owned(), None, None)
        }
        Some(_) => return Err(invalid_code()),
        None => {
            let session = state.wechat.code2session(code).await?;
            (session.openid, session.unionid, session.session_key)
        }
    };
    let user = people::sign_in(&state.db, &openid, unionid.as_deref()).await?;
    if let Some(key) = session_key {
        group_visits::keep_session_key(&state.db, &state.settings, user.id, key.expose_secret()).await?;
    }
    if state.settings.bootstrap_admins.iter().any(|a| a == &openid) {
        people::ensure_admin(&state.db, user.id).await?;
    }
    let refresh_token = sessions::issue(&state.db, user.id, None, state.settings.auth.refresh_ttl_days).await?;
    Ok(HttpResponse::Ok().json(tokens(&state, user.id, refresh_token).await?))
}

/// Rotate a refresh token.
///
/// The presented token is spent and a new one returned. Presenting a spent token revokes
/// every token of that sign-in (`refresh_token_reused`).
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "`refresh_token_invalid`, `refresh_token_reused`, `refresh_token_expired`", body = ErrorBody),
))]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, body: Json<RefreshRequest>) -> ApiResult<HttpResponse> {
    let (user_id, next) = sessions::rotate(
        &state.db,
        body.parse()?.refresh_token.trim(),
        state.settings.auth.refresh_ttl_days,
    )
    .await?;
    Ok(HttpResponse::Ok().json(tokens(&state, user_id, next).await?))
}

/// Sign out: the refresh token, every token rotated from the same sign-in, and the access
/// tokens of that sign-in stop working.
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 204)))]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, body: Json<RefreshRequest>) -> ApiResult<HttpResponse> {
    sessions::revoke(&state.db, body.parse()?.refresh_token.trim()).await?;
    Ok(HttpResponse::NoContent().finish())
}

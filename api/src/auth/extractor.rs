//! The signed-in person, taken from `Authorization: Bearer <jwt>`. Roles are read through this
//! replica's one-second copy of the person's standing (`auth::roles`), so a revoked grant, an
//! ended term or a sign-out stops within a second everywhere and at once on this replica.
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::domain::access::Principal;
use crate::error::ApiError;
use crate::service;
use crate::state::AppState;

pub use crate::domain::access::ActiveRole;

/// A request's token, once verified: the rate limiter verifies it first for the requests it
/// counts, and the extractor then does not verify it again.
#[derive(Debug, Clone)]
pub struct VerifiedToken(pub crate::auth::jwt::Verified);

/// The signed-in person as an extractor: a `Principal` (id and roles) read from the token.
/// Handlers pass it on as `&Principal` (it derefs to one); services never see this type.
#[derive(Debug, Clone)]
pub struct AuthUser(pub Principal);

impl std::ops::Deref for AuthUser {
    type Target = Principal;

    fn deref(&self) -> &Principal {
        &self.0
    }
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("unauthenticated", "请先登录"))?;
    value
        .to_str()
        .ok()
        .and_then(crate::auth::jwt::bearer)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::unauthorized("token_invalid", "登录凭证无效，请重新登录"))
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Read once per request (the idempotency of writes reads it before the handler).
        if let Some(auth) = req.extensions().get::<AuthUser>().cloned() {
            return Box::pin(std::future::ready(Ok(auth)));
        }
        let token = bearer(req);
        let verified = req.extensions().get::<VerifiedToken>().map(|v| v.0.clone());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("AppState missing")))?;
            let token = match verified {
                Some(v) => v,
                None => state.jwt.verify(&token?)?,
            };
            let user_id = token.user_id;
            let since =
                chrono::Utc::now() - chrono::Duration::seconds(i64::try_from(state.jwt.ttl_secs()).unwrap_or(900) + 60);
            let standing = state
                .roles
                .get_or_read(user_id, || {
                    let db = state.db.clone();
                    async move { service::people::standing(&db, user_id, since).await }
                })
                .await?
                .ok_or_else(|| ApiError::unauthorized("token_invalid", "登录凭证无效，请重新登录"))?;
            if token
                .session
                .as_ref()
                .is_some_and(|s| standing.ended_sessions.contains(s))
            {
                return Err(ApiError::unauthorized("token_revoked", "您已退出登录，请重新登录"));
            }
            let roles = standing.roles.clone();
            let auth = AuthUser(Principal { id: user_id, roles });
            // For the audit of admin actions, after the handler.
            req.extensions_mut().insert(auth.clone());
            Ok(auth)
        })
    }
}

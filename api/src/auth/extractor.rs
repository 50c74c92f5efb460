//! The signed-in person, taken from `Authorization: Bearer <jwt>`. Roles are read from the
//! database on every request, so a revoked grant or an ended term stops at once.
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::domain::role::Role;
use crate::error::ApiError;
use crate::service;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveRole {
    pub role: Role,
    pub enterprise_id: Option<i64>,
    pub unit_id: Option<i64>,
}

/// A request's token, once verified: the rate limiter verifies it first for the requests it
/// counts, and the extractor then does not verify it again.
#[derive(Debug, Clone)]
pub struct VerifiedToken(pub crate::auth::jwt::Verified);

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: i64,
    pub roles: Vec<ActiveRole>,
}

impl AuthUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|r| r.role == role)
    }

    pub fn is_admin(&self) -> bool {
        self.has_role(Role::Admin)
    }

    /// Enterprises the person is a member of.
    pub fn enterprise_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.roles
            .iter()
            .filter(|r| r.role == Role::Enterprise)
            .filter_map(|r| r.enterprise_id)
    }

    /// Units the person handles for.
    pub fn unit_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.roles
            .iter()
            .filter(|r| r.role == Role::Handler)
            .filter_map(|r| r.unit_id)
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
            let auth = AuthUser { id: user_id, roles };
            // For the audit of admin actions, after the handler.
            req.extensions_mut().insert(auth.clone());
            Ok(auth)
        })
    }
}

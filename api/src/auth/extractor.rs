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

/// The person a request's token names, once verified: the rate limiter verifies it first for
/// the requests it counts, and the extractor then does not verify it again.
#[derive(Debug, Clone, Copy)]
pub struct VerifiedToken(pub i64);

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
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("token_invalid", "登录凭证无效，请重新登录"))
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let verified = req.extensions().get::<VerifiedToken>().map(|v| v.0);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("AppState missing")))?;
            let user_id = match verified {
                Some(id) => id,
                None => state.jwt.verify(&token?)?,
            };
            let roles = state
                .roles
                .get_or_read(user_id, || {
                    let db = state.db.clone();
                    async move { service::people::active_roles(&db, user_id).await }
                })
                .await?
                .ok_or_else(|| ApiError::unauthorized("token_invalid", "登录凭证无效，请重新登录"))?;
            let auth = AuthUser { id: user_id, roles };
            // For the audit of admin actions, after the handler.
            req.extensions_mut().insert(auth.clone());
            Ok(auth)
        })
    }
}

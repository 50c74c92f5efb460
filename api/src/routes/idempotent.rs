//! Runs a write at most once per `Idempotency-Key`: a repeat within 24 hours gets the first
//! answer (status and body), a different request under the same key is 422.
use std::future::Future;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::service::idempotency::{self, Begin};
use crate::state::AppState;

pub const HEADER: &str = "Idempotency-Key";

fn respond(status: u16, body: String) -> HttpResponse {
    HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .content_type("application/json")
        .body(body)
}

/// The request's `Idempotency-Key`, when it sent a readable one.
pub fn key(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

pub async fn run<F, Fut>(
    state: &AppState,
    auth: &AuthUser,
    req: &HttpRequest,
    body: &[u8],
    f: F,
) -> ApiResult<HttpResponse>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ApiResult<(StatusCode, serde_json::Value)>>,
{
    let key = match req.headers().get(HEADER) {
        None => {
            let (status, value) = f().await?;
            return Ok(HttpResponse::build(status).json(value));
        }
        Some(v) => v
            .to_str()
            .map_err(|_| ApiError::bad_request("invalid_idempotency_key", "Idempotency-Key 无效"))?
            .to_owned(),
    };
    idempotency::check_key(&key)?;
    let fp = idempotency::fingerprint(req.method().as_str(), req.path(), body);
    let row = match idempotency::begin(&state.db, auth.id, &key, &fp).await? {
        Begin::Replay { status, body } => return Ok(respond(status, body)),
        Begin::Fresh(row) => row,
    };
    let (status, text) = match f().await {
        Ok((status, value)) => (status, value.to_string()),
        Err(err) if err.status_code().is_server_error() => {
            idempotency::abandon(&state.db, row).await?;
            return Err(err);
        }
        Err(err) => (
            err.status_code(),
            serde_json::to_string(&err.body()).unwrap_or_default(),
        ),
    };
    idempotency::finish(&state.db, row, status.as_u16(), &text).await?;
    Ok(respond(status.as_u16(), text))
}

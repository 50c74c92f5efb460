//! `Idempotency-Key` on every write: a POST, PUT, PATCH or DELETE under `/api/v1` that carries the
//! header runs at most once per signed-in person and key. A repeat within 24 hours gets the
//! first answer (status and body) without running again; the same key with another request
//! (method, path, query or body) is 422 `idempotency_key_reused`; a repeat while the first is
//! still running is 409 `idempotency_in_progress`. A server fault (5xx) is not remembered, so
//! the client may try again under the same key. Requests without a signed-in person (sign-in,
//! WeCom's callbacks) are not keyed: they have their own replay protection.
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::service::idempotency::{self, Begin};
use crate::state::AppState;

pub const HEADER: &str = "Idempotency-Key";

/// Routes that take a POST but change nothing (a computation asked with a body, a heartbeat):
/// no key is kept for them and no audit entry written, or an editor's every keystroke would
/// fill both. Their documentation names no `Idempotency-Key`.
pub const CHANGES_NOTHING: &[&str] = &["/api/v1/policies/reach-preview", "/api/v1/demands/{id}/presence"];

/// Whether the request is a write that changes something (see `CHANGES_NOTHING`).
pub fn is_change(req: &ServiceRequest) -> bool {
    matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    ) && !req
        .match_pattern()
        .is_some_and(|p| CHANGES_NOTHING.contains(&p.as_str()))
}
/// Set on an answer given again from the record (the audit does not count it twice).
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The request's `Idempotency-Key`, when it sent a readable one.
pub fn key(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn stored(status: u16, body: String) -> HttpResponse {
    let mut res = HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
    res.insert_header((REPLAYED, HeaderValue::from_static("true")));
    if body.is_empty() {
        res.finish()
    } else {
        res.content_type("application/json").body(body)
    }
}

fn unreadable(err: Box<dyn std::error::Error>) -> actix_web::Error {
    ApiError::internal(anyhow::anyhow!("idempotency: the answer could not be read: {err}")).into()
}

/// The body as two sendings of one request have it alike: a multipart body's boundary is
/// chosen afresh by the client on every sending, so it is taken out.
fn comparable(req: &ServiceRequest, body: &[u8]) -> Vec<u8> {
    let boundary = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .filter(|m| m.type_() == mime::MULTIPART)
        .and_then(|m| m.get_param(mime::BOUNDARY).map(|b| b.as_str().to_owned()));
    match boundary {
        Some(b) if !b.is_empty() => {
            let mut out = Vec::with_capacity(body.len());
            let mut rest = body;
            while let Some(at) = rest.windows(b.len()).position(|w| w == b.as_bytes()) {
                out.extend_from_slice(&rest[..at]);
                rest = &rest[at + b.len()..];
            }
            out.extend_from_slice(rest);
            out
        }
        _ => body.to_vec(),
    }
}

pub async fn writes(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let keyed = is_change(&req) && req.path().starts_with("/api/v1/") && req.headers().contains_key(HEADER);
    if !keyed {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let key = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::bad_request("invalid_idempotency_key", "Idempotency-Key 无效"))?
        .to_owned();
    idempotency::check_key(&key)?;
    let (Some(state), Ok(auth)) = (
        req.app_data::<web::Data<AppState>>().cloned(),
        AuthUser::extract(req.request()).await,
    ) else {
        // Not signed in: the handler answers as it would without a key (401 where it must).
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let body = req.extract::<web::Bytes>().await?;
    req.set_payload(body.clone().into());
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned());
    let fingerprint = idempotency::fingerprint(req.method().as_str(), &target, &comparable(&req, &body));
    let row = match idempotency::begin(&state.db, auth.id, &key, &fingerprint).await {
        Ok(Begin::Fresh(row)) => row,
        Ok(Begin::Replay { status, body }) => return Ok(req.into_response(stored(status, body))),
        Err(err) => return Ok(req.error_response(err)),
    };
    let res = next.call(req).await?;
    let status = res.status();
    if status.is_server_error() {
        if let Err(err) = idempotency::abandon(&state.db, row).await {
            tracing::error!(error = ?err, "idempotency key not given back");
        }
        return Ok(res.map_into_boxed_body());
    }
    let (request, response) = res.into_parts();
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| unreadable(e.into()))?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if let Err(err) = idempotency::finish(&state.db, row, status.as_u16(), &text).await {
        // The write is made and answered; a repeat will find the key in progress and then
        // stale, and run again: writes that must not (a demand) find their first result.
        tracing::error!(error = ?err, "idempotency answer not recorded");
    }
    let mut response = head.set_body(bytes).map_into_boxed_body();
    if response.headers().get(header::CONTENT_TYPE).is_none() && !text.is_empty() {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    Ok(ServiceResponse::new(request, response))
}

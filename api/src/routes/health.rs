//! Liveness and readiness for the load balancer and the orchestrator.
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HealthResponse {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// `development` or `production`; development mode is loudly marked.
    pub mode: &'static str,
    pub database: &'static str,
    /// `in-process`, `ok` or `unavailable`.
    pub cache: &'static str,
}

fn mode(state: &AppState) -> &'static str {
    if state.settings.wechat.dev_mode {
        "development"
    } else {
        "production"
    }
}

/// The process is up.
#[utoipa::path(tag = "operations", responses((status = 200, body = HealthResponse)))]
#[get("/healthz")]
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse {
        status: "ok",
        mode: mode(&state),
        database: "unchecked",
        cache: "unchecked",
    })
}

/// The database and (when configured) Redis answer.
#[utoipa::path(tag = "operations", responses((status = 200, body = HealthResponse), (status = 503, body = HealthResponse)))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let database = match state.db.ping().await {
        Ok(()) => "ok",
        Err(err) => {
            tracing::warn!(error = %err, "readiness: database unavailable");
            "unavailable"
        }
    };
    let cache = match (state.cache.backend(), state.cache.ping().await) {
        ("in-process", _) => "in-process",
        (_, Ok(())) => "ok",
        (_, Err(err)) => {
            tracing::warn!(error = %err, "readiness: redis unavailable");
            "unavailable"
        }
    };
    let ready = database == "ok" && cache != "unavailable";
    let body = HealthResponse {
        status: if ready { "ok" } else { "unavailable" },
        mode: mode(&state),
        database,
        cache,
    };
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

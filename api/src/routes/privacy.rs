//! Personal information (PIPL): a person's export of their data and the deletion of their
//! account; the audit log for admins.
use actix_web::{HttpResponse, delete, get, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::error::{ApiResult, ErrorBody};
use crate::service::privacy::{self, Export};
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, local_time};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(export_me).service(delete_me).service(audit_log);
}

/// Everything held about me: profile (with phone and openid), roles, demands, complaints,
/// submissions, notices, bindings, observations, publicity. A download (JSON).
#[utoipa::path(tag = "me", responses((status = 200, body = Export), (status = 401, body = ErrorBody)))]
#[get("/me/export")]
pub async fn export_me(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let export = privacy::export(&state.db, auth.id).await?;
    let json = serde_json::to_vec(&export).map_err(crate::error::ApiError::internal)?;
    Ok(crate::routes::download::file(
        false,
        &format!("qinqing-my-data-{}", auth.id),
        "application/json",
        json,
    ))
}

/// Delete my account: my name, phone and WeChat identity are erased, my roles and sessions
/// end at once; demands I filed stay, under no name. 409 `last_admin` for the only admin.
#[utoipa::path(tag = "me", responses((status = 204), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[delete("/me")]
pub async fn delete_me(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    privacy::delete_account(&state.db, auth.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: Id,
    pub actor_id: Id,
    /// `POST /api/v1/plans`, `read_identity`, ...
    pub action: String,
    /// `request`, `demand`, `mystery_report`.
    pub object_type: String,
    pub object_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub actor_id: Option<Id>,
    pub object_type: Option<String>,
    /// Part of the action, e.g. `POST /api/v1/policies` or `read_identity`.
    pub action: Option<String>,
    /// From this day, `YYYY-MM-DD`.
    pub from: Option<NaiveDate>,
    /// To this day, inclusive.
    pub to: Option<NaiveDate>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

/// The audit log (admins), newest first: every admin change, every read of an identity behind
/// an anonymous demand or a mystery-shopper report.
#[utoipa::path(tag = "me", params(AuditQuery), responses((status = 200, body = Page<AuditEntry>), (status = 403, body = ErrorBody)))]
#[get("/audit-log")]
pub async fn audit_log(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    audit_page(&state, query.parse()?, false).await
}

/// A page of the audit log: the admins' part, or the discipline staff's (`clues`).
pub(crate) async fn audit_page(state: &AppState, q: AuditQuery, clues: bool) -> ApiResult<HttpResponse> {
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = page.limit()?;
    let filter = privacy::AuditFilter {
        actor: q.actor_id.map(|i| i.0),
        object_type: q.object_type,
        action: q.action,
        from: q.from,
        to: q.to,
        clues,
    };
    let rows = privacy::audit_log(&state.db, &filter, page.after_id()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |e| e.id,
        |e| AuditEntry {
            id: Id(e.id),
            actor_id: Id(e.actor_id),
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            detail: e.detail,
            created_at: local_time(e.created_at),
        },
    )))
}

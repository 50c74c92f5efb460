//! Enterprise binding requests: the enterprise's butler or an admin decides.
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::{BUTLERS, OWN_BUTLER};
use crate::domain::phone;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::routes::{no_errors, optional_text};
use crate::service::{bindings, enterprises};
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, local_time};
use entity::codes::BindingStatus;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_binding_requests)
        .service(approve_binding_request)
        .service(reject_binding_request);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BindingRequestResponse {
    pub id: Id,
    pub status: BindingStatus,
    pub user_id: Id,
    pub user_nickname: Option<String>,
    /// Masked except for admins.
    pub user_phone: Option<String>,
    pub enterprise_id: Id,
    pub enterprise_name: String,
    pub enterprise_uscc: String,
    pub reason: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    pub decided_at: Option<DateTime<FixedOffset>>,
}

fn response(v: bindings::RequestView, viewer: &AuthUser) -> BindingRequestResponse {
    let reveal = super::users::reveals_phone(viewer, v.user.id);
    BindingRequestResponse {
        id: Id(v.request.id),
        status: v.request.status,
        user_id: Id(v.user.id),
        user_nickname: v.user.nickname,
        user_phone: v.user.phone.map(|p| if reveal { p } else { phone::mask(&p) }),
        enterprise_id: Id(v.enterprise.id),
        enterprise_name: v.enterprise.name,
        enterprise_uscc: v.enterprise.uscc,
        reason: v.request.reason,
        created_at: local_time(v.request.created_at),
        decided_at: v.request.decided_at.map(local_time),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BindingListQuery {
    pub cursor: Option<String>,
    pub limit: Option<u64>,
    /// `pending` (default), `approved`, `rejected` or `all`.
    pub status: Option<String>,
}

/// Binding requests: for the enterprises a butler serves, or all for admins.
#[utoipa::path(tag = "enterprises", params(BindingListQuery), responses((status = 200, body = Page<BindingRequestResponse>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/binding-requests")]
pub async fn list_binding_requests(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<BindingListQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let q = query.parse()?;
    let status = match q.status.as_deref().unwrap_or(BindingStatus::Pending.code()) {
        "all" => None,
        s if BindingStatus::parse(s).is_some() => BindingStatus::parse(s),
        _ => {
            return Err(ApiError::invalid_field(
                "status",
                "invalid_choice",
                "取值不在允许的范围内",
            ));
        }
    };
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = page.limit()?;
    let served_by = if auth.is_admin() { None } else { Some(auth.id) };
    let rows = bindings::list(&state.db, served_by, status, page.after_id()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |v| v.request.id, |v| response(v, &auth))))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionRequest {
    /// Required when rejecting; shown to the person.
    pub reason: Option<String>,
}

/// Approve, or reject with the reason in `body` (read once the decider is known to be one).
async fn decide(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    approve: bool,
    body: Option<Json<DecisionRequest>>,
) -> ApiResult<HttpResponse> {
    let req = bindings::get(&state.db, id).await?;
    let enterprise = enterprises::get(&state.db, req.enterprise_id).await?;
    auth.require(OWN_BUTLER, &enterprises::owner(&enterprise))?;
    let reason = match body {
        None => None,
        Some(body) => body.parse()?.reason,
    };
    let reason = if approve {
        None
    } else {
        let mut errors = Vec::new();
        let reason = optional_text(reason.as_deref(), "reason", 200, &mut errors);
        if reason.is_none() {
            errors.push(crate::error::FieldError::new("reason", "required", "请填写驳回原因"));
        }
        no_errors(errors)?;
        reason
    };
    let decided = bindings::decide(&state.db, auth.id, req, approve, reason).await?;
    let user = crate::service::people::get(&state.db, decided.user_id).await?;
    Ok(HttpResponse::Ok().json(response(
        bindings::RequestView {
            request: decided,
            enterprise,
            user,
        },
        auth,
    )))
}

/// Approve: the person becomes a member of the enterprise.
#[utoipa::path(tag = "enterprises", params(("id" = String, Path)), responses((status = 200, body = BindingRequestResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/binding-requests/{id}/approve")]
pub async fn approve_binding_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    decide(&state, &auth, id.into_inner(), true, None).await
}

/// Reject, with a reason.
#[utoipa::path(tag = "enterprises", params(("id" = String, Path)), request_body = DecisionRequest, responses((status = 200, body = BindingRequestResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/binding-requests/{id}/reject")]
pub async fn reject_binding_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<DecisionRequest>,
) -> ApiResult<HttpResponse> {
    decide(&state, &auth, id.into_inner(), false, Some(body)).await
}

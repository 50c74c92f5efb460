//! The signed-in person: their record, phone binding and enterprise binding.
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::phone;
use crate::domain::uscc::Uscc;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::routes::users::UserResponse;
use crate::service::{bindings, people};
use crate::state::AppState;
use crate::types::Id;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_me).service(bind_phone).service(bind_enterprise);
}

async fn me(state: &AppState, auth: &AuthUser) -> ApiResult<UserResponse> {
    let profile = people::profile(&state.db, people::get(&state.db, auth.id).await?).await?;
    Ok(UserResponse::from_profile(profile, true))
}

/// The signed-in person.
#[utoipa::path(tag = "me", responses((status = 200, body = UserResponse), (status = 401, body = ErrorBody)))]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(me(&state, &auth).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BindPhoneRequest {
    /// The code from `<button open-type="getPhoneNumber">` (`dev:<phone>` in development mode).
    pub code: String,
}

/// Bind the phone number WeChat vouches for (`getuserphonenumber`).
#[utoipa::path(tag = "me", request_body = BindPhoneRequest, responses(
    (status = 200, body = UserResponse),
    (status = 401, description = "`wechat_code_invalid`", body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
#[post("/me/phone")]
pub async fn bind_phone(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<BindPhoneRequest>,
) -> ApiResult<HttpResponse> {
    let code = body.parse()?.code.trim().to_owned();
    let invalid = || ApiError::unauthorized("wechat_code_invalid", "手机号授权凭证无效或已过期，请重试");
    let number = match code.strip_prefix("dev:") {
        Some(number) if state.settings.wechat.dev_mode => phone::parse(number).ok_or_else(invalid)?,
        Some(_) => return Err(invalid()),
        None if code.is_empty() => return Err(invalid()),
        None => {
            let info = state.wechat.phone_number(&code).await?;
            phone::parse(&info.phone_number).unwrap_or(info.phone_number)
        }
    };
    people::set_phone(&state.db, auth.id, &number).await?;
    Ok(HttpResponse::Ok().json(me(&state, &auth).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BindEnterpriseRequest {
    /// 18-character unified social credit code.
    pub uscc: String,
    /// The enterprise's invite code: binds at once.
    pub invite_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BindingEnterprise {
    pub id: Id,
    pub name: String,
}

/// How a request to join an enterprise ended.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BindOutcome {
    Bound,
    Pending,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BindEnterpriseResponse {
    /// `bound` (invite code matched) or `pending` (waits for the butler or an admin).
    pub status: BindOutcome,
    pub request_id: Option<Id>,
    pub enterprise: BindingEnterprise,
}

/// Ask to be bound to an enterprise by its USCC.
#[utoipa::path(tag = "me", request_body = BindEnterpriseRequest, responses(
    (status = 200, description = "bound by invite code", body = BindEnterpriseResponse),
    (status = 202, description = "request waits for approval", body = BindEnterpriseResponse),
    (status = 404, description = "`enterprise_not_found`", body = ErrorBody),
    (status = 409, description = "`already_bound`, `binding_pending`", body = ErrorBody),
    (status = 422, description = "bad USCC or invite code", body = ErrorBody),
))]
#[post("/me/enterprise")]
pub async fn bind_enterprise(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<BindEnterpriseRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.parse()?;
    let uscc = Uscc::parse(&body.uscc).map_err(|e| ApiError::invalid_field("uscc", e.code(), e.message()))?;
    match bindings::request(&state.db, auth.id, &uscc, body.invite_code.as_deref()).await? {
        bindings::Outcome::Bound(e) => Ok(HttpResponse::Ok().json(BindEnterpriseResponse {
            status: BindOutcome::Bound,
            request_id: None,
            enterprise: BindingEnterprise {
                id: Id(e.id),
                name: e.name,
            },
        })),
        bindings::Outcome::Pending(req, e) => Ok(HttpResponse::Accepted().json(BindEnterpriseResponse {
            status: BindOutcome::Pending,
            request_id: Some(Id(req.id)),
            enterprise: BindingEnterprise {
                id: Id(e.id),
                name: e.name,
            },
        })),
    }
}

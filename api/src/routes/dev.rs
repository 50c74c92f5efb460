//! Development mode only: the demo personas the mini-program's persona picker offers.
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::service::demo::PERSONAS;
use crate::state::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_personas);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Persona {
    /// Send as the sign-in code.
    pub code: String,
    pub name: String,
    pub roles: Vec<Role>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonaList {
    pub items: Vec<Persona>,
}

/// Demo personas (development mode only; 404 otherwise).
#[utoipa::path(tag = "development", responses((status = 200, body = PersonaList), (status = 404, body = ErrorBody)))]
#[get("/dev/personas")]
pub async fn list_personas(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    if !state.settings.wechat.dev_mode {
        return Err(ApiError::not_found("not_found", "接口不存在"));
    }
    let items = PERSONAS
        .iter()
        .map(|p| Persona {
            code: format!("dev:{}", p.openid),
            name: p.name.to_owned(),
            roles: vec![p.role],
        })
        .collect();
    Ok(HttpResponse::Ok().json(PersonaList { items }))
}

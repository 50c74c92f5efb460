//! Development mode only: the demo personas the mini-program's persona picker offers, and a
//! 微信客服 message taken in as if WeCom had delivered it (the bot simulator's `--kf` path).
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::service::demo::PERSONAS;
use crate::state::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_personas).service(kf_message);
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

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DevKfMessage {
    /// The WeChat user (WeCom's external userid), e.g. `wm-demo-1`.
    pub external_userid: String,
    /// What they write.
    pub content: String,
    /// The link's scene they came by (`g<customer group id>`), as `enter_session` carries it.
    pub scene: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DevKfReply {
    /// The dialogue's answer (queued for `kf/send_msg`; development mode logs it).
    pub reply: Option<String>,
}

/// Development mode only (404 otherwise): a 微信客服 message taken in exactly as `kf/sync_msg`
/// would bring it (a fresh message id), answered by the dialogue.
#[utoipa::path(tag = "development", request_body = DevKfMessage, responses((status = 200, body = DevKfReply), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/dev/kf-messages")]
pub async fn kf_message(
    state: web::Data<AppState>,
    body: crate::extract::Json<DevKfMessage>,
) -> ApiResult<HttpResponse> {
    if !state.settings.wechat.dev_mode {
        return Err(ApiError::not_found("not_found", "接口不存在"));
    }
    let b = body.parse()?;
    let user = b.external_userid.trim();
    if user.is_empty() || user.len() > 64 || b.content.chars().count() > 2000 {
        return Err(ApiError::invalid_field(
            "externalUserid",
            "invalid",
            "请提供用户标识和不超过2000字的内容",
        ));
    }
    let open_kfid = state
        .settings
        .wecom
        .kf_open_kfid
        .clone()
        .unwrap_or_else(|| "wk-dev".to_owned());
    let deps = crate::routes::bot::kf_deps(&state);
    let reply = crate::service::kf::as_if_synced(&deps, &open_kfid, user, b.content, b.scene).await?;
    Ok(HttpResponse::Ok().json(DevKfReply { reply }))
}

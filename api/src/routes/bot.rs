//! WeCom callbacks: a self-built app (XML) and the intelligent robot (JSON). In order: the
//! signature, the timestamp (at most `max_clock_skew_secs` off), the nonce (never seen before,
//! shared by replicas through the cache), then the message, deduplicated by its id so a retry
//! gets the same reply and files nothing twice. Replies are encrypted like the callbacks.
use std::time::Duration;

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, get, post, web};
use bot::crypto::Crypto;
use bot::dialogue::{self, Speaker};
use bot::envelope::{self, AppMessage, RobotMessage};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::service::wecom::{self, ApiBackend, Taken};
use crate::state::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(verify_app)
        .service(app_callback)
        .service(verify_robot)
        .service(robot_callback)
        .service(bind_wecom);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    pub msg_signature: String,
    pub timestamp: String,
    pub nonce: String,
    /// URL verification only.
    pub echostr: Option<String>,
}

#[derive(Clone, Copy)]
enum Endpoint {
    App,
    Robot,
}

impl Endpoint {
    fn name(self) -> &'static str {
        match self {
            Endpoint::App => "app",
            Endpoint::Robot => "robot",
        }
    }

    fn crypto(self, state: &AppState) -> ApiResult<Crypto> {
        let w = &state.settings.wecom;
        let made = match self {
            Endpoint::App => Crypto::new(w.app_token.expose_secret(), w.app_aes_key.expose_secret(), &w.corp_id),
            Endpoint::Robot => Crypto::new(w.robot_token.expose_secret(), w.robot_aes_key.expose_secret(), ""),
        };
        made.map_err(ApiError::internal)
    }
}

fn signature_invalid() -> ApiError {
    ApiError::Unauthorized {
        code: "bot_signature_invalid",
        message: "签名校验失败".into(),
    }
}

fn malformed() -> ApiError {
    ApiError::bad_request("bot_malformed", "消息格式不正确")
}

/// Signature, then timestamp, then nonce; returns the decrypted message.
async fn open(state: &AppState, endpoint: Endpoint, q: &CallbackQuery, encrypt: &str) -> ApiResult<Vec<u8>> {
    let crypto = endpoint.crypto(state)?;
    crypto
        .verify(&q.msg_signature, &q.timestamp, &q.nonce, encrypt)
        .map_err(|_| signature_invalid())?;
    let skew = state.settings.wecom.max_clock_skew_secs;
    let sent: i64 = q.timestamp.parse().map_err(|_| malformed())?;
    if (chrono::Utc::now().timestamp() - sent).unsigned_abs() > skew {
        return Err(ApiError::Unauthorized {
            code: "bot_timestamp_stale",
            message: "消息时间戳已过期".into(),
        });
    }
    let fresh = state
        .cache
        .set_nx(
            &format!("wecom-nonce:{}:{}", endpoint.name(), q.nonce),
            &q.timestamp,
            Duration::from_secs(skew * 2),
        )
        .await?;
    if !fresh {
        return Err(ApiError::Conflict {
            code: "bot_nonce_replayed",
            message: "重复的请求".into(),
        });
    }
    crypto.decrypt(encrypt).map(|d| d.message).map_err(|_| malformed())
}

/// The URL check: the decrypted echo string, bare.
async fn verify(state: &AppState, endpoint: Endpoint, q: &CallbackQuery) -> ApiResult<HttpResponse> {
    let echo = q.echostr.as_deref().ok_or_else(malformed)?;
    let crypto = endpoint.crypto(state)?;
    let plain = crypto
        .open(&q.msg_signature, &q.timestamp, &q.nonce, echo)
        .map_err(|e| match e {
            bot::crypto::CryptoError::Signature => signature_invalid(),
            _ => malformed(),
        })?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::plaintext())
        .body(plain.message))
}

/// URL verification of the self-built app's callback.
#[utoipa::path(tag = "bot", params(CallbackQuery), responses((status = 200, body = String, content_type = "text/plain"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[get("/bot/wecom/callback")]
pub async fn verify_app(
    state: web::Data<AppState>,
    q: crate::extract::Query<CallbackQuery>,
) -> ApiResult<HttpResponse> {
    verify(&state, Endpoint::App, &q.parse()?).await
}

/// URL verification of the intelligent robot's callback.
#[utoipa::path(tag = "bot", params(CallbackQuery), responses((status = 200, body = String, content_type = "text/plain"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[get("/bot/wecom/aibot")]
pub async fn verify_robot(
    state: web::Data<AppState>,
    q: crate::extract::Query<CallbackQuery>,
) -> ApiResult<HttpResponse> {
    verify(&state, Endpoint::Robot, &q.parse()?).await
}

/// Answers a line once per dedup key; a retry gets the first reply (or nothing while the
/// first delivery is still being answered).
async fn converse(
    state: &AppState,
    endpoint: Endpoint,
    key: &str,
    speaker: &Speaker,
    text: &str,
) -> ApiResult<Option<String>> {
    match wecom::take(
        &state.db,
        key,
        endpoint.name(),
        speaker.chat_id.as_deref(),
        &speaker.user_id,
    )
    .await?
    {
        Taken::Retry(reply) => Ok(reply),
        Taken::New => {
            let backend = ApiBackend::new(&state.db, &state.settings, &state.cache, &state.policies);
            let reply = dialogue::answer(&backend, speaker, text).await;
            wecom::answered(&state.db, key, &reply, backend.filed.get()).await?;
            Ok(Some(reply))
        }
    }
}

/// Messages to the self-built app (XML). Text gets a passive text reply; other kinds an empty 200.
#[utoipa::path(tag = "bot", params(CallbackQuery), request_body(content = String, content_type = "application/xml"), responses(
    (status = 200, description = "the encrypted XML reply, or empty", content_type = "application/xml"),
    (status = 400, body = ErrorBody),
    (status = 401, description = "`bot_signature_invalid`, `bot_timestamp_stale`", body = ErrorBody),
    (status = 409, description = "`bot_nonce_replayed`", body = ErrorBody),
))]
#[post("/bot/wecom/callback")]
pub async fn app_callback(
    state: web::Data<AppState>,
    q: crate::extract::Query<CallbackQuery>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let q = q.parse()?;
    let body = std::str::from_utf8(&body).map_err(|_| malformed())?;
    let encrypt = envelope::xml_ciphertext(body).map_err(|_| malformed())?;
    let plain = open(&state, Endpoint::App, &q, &encrypt).await?;
    let msg = std::str::from_utf8(&plain)
        .ok()
        .and_then(|x| AppMessage::parse(x).ok())
        .ok_or_else(malformed)?;
    if msg.msg_type == "event" {
        event(&state, &msg).await?;
        return Ok(HttpResponse::Ok().finish());
    }
    let Some(text) = msg.content.as_deref().filter(|_| msg.msg_type == "text") else {
        return Ok(HttpResponse::Ok().finish());
    };
    let speaker = Speaker {
        user_id: msg.from_user.clone(),
        chat_id: None,
    };
    match converse(&state, Endpoint::App, &msg.dedup_key(), &speaker, text).await? {
        Some(reply) => {
            let crypto = Endpoint::App.crypto(&state)?;
            let xml = envelope::app_reply(&crypto, &msg, &reply, &q.timestamp, &q.nonce);
            Ok(HttpResponse::Ok().content_type(ContentType::xml()).body(xml))
        }
        None => Ok(HttpResponse::Ok().finish()),
    }
}

/// What the 微信客服 dialogue needs of this replica.
pub(crate) fn kf_deps(state: &AppState) -> crate::service::kf::Deps<'_> {
    crate::service::kf::Deps {
        db: &state.db,
        settings: &state.settings,
        cache: &state.cache,
        index: &state.policies,
        wecom: &state.wecom,
        app_id: state.wechat.app_id(),
    }
}

/// The app's events: a customer group changed (`change_external_chat`: fetched again, or marked
/// dismissed), or 微信客服 has messages (`kf_msg_or_event`: pulled and answered). Others are
/// acknowledged and ignored.
async fn event(state: &AppState, msg: &AppMessage) -> ApiResult<()> {
    match msg.event.as_deref() {
        Some("change_external_chat") => {
            let chat = msg.chat_id.as_deref().ok_or_else(malformed)?;
            let change = msg.change_type.as_deref().unwrap_or("update");
            crate::service::customer_groups::on_change(&state.db, &state.wecom, chat, change).await
        }
        Some("kf_msg_or_event") => {
            let (Some(token), Some(open_kfid)) = (msg.token.as_deref(), msg.open_kf_id.as_deref()) else {
                return Err(malformed());
            };
            crate::service::kf::sync(&kf_deps(state), open_kfid, token)
                .await
                .map(|_| ())
        }
        _ => Ok(()),
    }
}

/// Callbacks of the intelligent robot (JSON): @-mentions in groups and single chats. A text
/// gets one finished stream with the whole answer; other kinds an empty 200.
#[utoipa::path(tag = "bot", params(CallbackQuery), request_body(content = String, content_type = "application/json"), responses(
    (status = 200, description = "the encrypted JSON reply, or empty", content_type = "application/json"),
    (status = 400, body = ErrorBody),
    (status = 401, description = "`bot_signature_invalid`, `bot_timestamp_stale`", body = ErrorBody),
    (status = 409, description = "`bot_nonce_replayed`", body = ErrorBody),
))]
#[post("/bot/wecom/aibot")]
pub async fn robot_callback(
    state: web::Data<AppState>,
    q: crate::extract::Query<CallbackQuery>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let q = q.parse()?;
    let body = std::str::from_utf8(&body).map_err(|_| malformed())?;
    let encrypt = envelope::json_ciphertext(body).map_err(|_| malformed())?;
    let plain = open(&state, Endpoint::Robot, &q, &encrypt).await?;
    let msg = std::str::from_utf8(&plain)
        .ok()
        .and_then(|x| RobotMessage::parse(x).ok())
        .ok_or_else(malformed)?;
    let Some(text) = msg
        .text
        .as_ref()
        .map(|t| t.content.as_str())
        .filter(|_| msg.msgtype == "text")
    else {
        return Ok(HttpResponse::Ok().finish());
    };
    let speaker = Speaker {
        user_id: msg.from.userid.clone(),
        chat_id: msg.chatid.clone(),
    };
    let key = format!("robot:{}", msg.msgid);
    match converse(&state, Endpoint::Robot, &key, &speaker, text).await? {
        Some(reply) => {
            let crypto = Endpoint::Robot.crypto(&state)?;
            let json = envelope::robot_reply(&crypto, &msg.msgid, &reply, &q.timestamp, &q.nonce);
            Ok(HttpResponse::Ok().content_type(ContentType::json()).body(json))
        }
        None => Ok(HttpResponse::Ok().finish()),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BindWecomRequest {
    /// The six digits the bot gave in reply to 「绑定」.
    pub code: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BindWecomResponse {
    pub wecom_user_id: String,
}

/// Bind my WeCom identity: my demands from group chats are then filed for my enterprise and I
/// can ask the bot for their progress.
#[utoipa::path(tag = "bot", request_body = BindWecomRequest, responses((status = 200, body = BindWecomResponse), (status = 401, body = ErrorBody), (status = 422, description = "`code` `invalid_code`", body = ErrorBody)))]
#[post("/me/wecom-binding")]
pub async fn bind_wecom(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<BindWecomRequest>,
) -> ApiResult<HttpResponse> {
    let wecom_user_id = wecom::redeem(&state.db, &state.cache, auth.id, &body.parse()?.code).await?;
    Ok(HttpResponse::Ok().json(BindWecomResponse { wecom_user_id }))
}

//! The WeChat mini-program server API (see docs/wechat/protocols.md sections 1–3).
//! WeChat answers business errors with HTTP 200 and `{errcode, errmsg}`: the body decides.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::cache::Cache;
use crate::error::ApiError;
use crate::settings::WechatSettings;

/// What WeChat said, sorted by what we do about it.
#[derive(Debug, thiserror::Error)]
pub enum WechatError {
    /// The code from the mini-program is invalid, expired or used (40029, 40163).
    #[error("invalid code (errcode {errcode}: {errmsg})")]
    InvalidCode { errcode: i64, errmsg: String },
    /// WeChat's risk control blocked this user (40226).
    #[error("user blocked (errcode 40226: {errmsg})")]
    Blocked { errmsg: String },
    /// Quota reached (45009, 45011): try again later.
    #[error("rate limited (errcode {errcode}: {errmsg})")]
    RateLimited { errcode: i64, errmsg: String },
    /// System busy (-1), a 5xx, a timeout or no connection.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The access token is invalid or expired (40001, 40014, 42001): refresh and retry once.
    #[error("access token invalid (errcode {errcode})")]
    TokenInvalid { errcode: i64 },
    /// The person has no subscription for this template (43101).
    #[error("user refused the subscription (errcode 43101: {errmsg})")]
    Refused { errmsg: String },
    /// The app is not configured for real WeChat calls.
    #[error("WeChat app id or secret not configured")]
    NotConfigured,
    /// Anything else: a fault on our side (bad appid/secret, bad parameters).
    #[error("errcode {errcode}: {errmsg}")]
    Other { errcode: i64, errmsg: String },
}

impl WechatError {
    /// WeChat's errcode, or None for transport faults.
    pub fn errcode(&self) -> Option<i64> {
        match self {
            Self::InvalidCode { errcode, .. }
            | Self::RateLimited { errcode, .. }
            | Self::TokenInvalid { errcode }
            | Self::Other { errcode, .. } => Some(*errcode),
            Self::Blocked { .. } => Some(40226),
            Self::Refused { .. } => Some(43101),
            Self::Unavailable(_) | Self::NotConfigured => None,
        }
    }

    /// Worth trying again later: busy, rate-limited, or unreachable.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Unavailable(_) | Self::RateLimited { .. } | Self::TokenInvalid { .. }
        )
    }

    fn from_code(errcode: i64, errmsg: String) -> Self {
        match errcode {
            40029 | 40163 => Self::InvalidCode { errcode, errmsg },
            40226 => Self::Blocked { errmsg },
            45009 | 45011 => Self::RateLimited { errcode, errmsg },
            -1 => Self::Unavailable(format!("errcode -1: {errmsg}")),
            40001 | 40014 | 42001 => Self::TokenInvalid { errcode },
            43101 => Self::Refused { errmsg },
            _ => Self::Other { errcode, errmsg },
        }
    }
}

impl From<WechatError> for ApiError {
    fn from(err: WechatError) -> Self {
        match err {
            WechatError::InvalidCode { .. } => {
                ApiError::unauthorized("wechat_code_invalid", "微信登录凭证无效或已过期，请重试")
            }
            WechatError::Blocked { .. } => ApiError::Forbidden {
                code: "wechat_user_blocked",
                message: "微信判定当前账号存在风险，暂时无法登录".into(),
            },
            WechatError::RateLimited { .. } => ApiError::Unavailable {
                code: "wechat_unavailable",
                message: "微信服务繁忙，请稍后再试".into(),
                retry_after_secs: Some(60),
            },
            WechatError::Unavailable(_) | WechatError::TokenInvalid { .. } => ApiError::Unavailable {
                code: "wechat_unavailable",
                message: "微信服务暂时不可用，请稍后再试".into(),
                retry_after_secs: Some(5),
            },
            // Only a development server runs without WeChat (production refuses to start so):
            // the request asked for what this server does not offer, and retrying cannot help.
            WechatError::NotConfigured => ApiError::bad_request(
                "wechat_not_configured",
                "服务器未配置微信小程序，开发环境请使用 dev:<名字> 登录",
            ),
            other @ (WechatError::Other { .. } | WechatError::Refused { .. }) => ApiError::internal(other),
        }
    }
}

/// What WeChat's content check said about a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentVerdict {
    Pass,
    /// Doubtful: accepted but held for staff.
    Review,
    /// Refused.
    Risky {
        label: i64,
    },
}

#[derive(Deserialize)]
struct SecCheckBody {
    result: Option<SecCheckResult>,
}

#[derive(Deserialize)]
struct SecCheckResult {
    suggest: String,
    #[serde(default)]
    label: i64,
}

/// The part of `jscode2session` we keep. The `session_key` never reaches a client or a log:
/// it is kept sealed to open the person's group tickets (`wx.getGroupEnterInfo`).
#[derive(Debug, Clone)]
pub struct WechatSession {
    pub openid: String,
    pub unionid: Option<String>,
    pub session_key: Option<SecretString>,
}

#[derive(Debug, Clone)]
pub struct PhoneInfo {
    /// With country code for non-mainland numbers.
    pub phone_number: String,
}

#[derive(Deserialize)]
struct Code2SessionBody {
    openid: Option<String>,
    unionid: Option<String>,
    session_key: Option<SecretString>,
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: Option<String>,
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct PhoneBody {
    phone_info: Option<PhoneInfoBody>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhoneInfoBody {
    phone_number: String,
    watermark: Option<Watermark>,
}

#[derive(Deserialize)]
struct Watermark {
    appid: Option<String>,
}

#[derive(Clone)]
pub struct WechatClient {
    http: reqwest::Client,
    base_url: String,
    app_id: Option<String>,
    app_secret: Option<SecretString>,
    cache: Cache,
}

impl WechatClient {
    pub fn new(settings: &WechatSettings, cache: Cache) -> Result<Self, reqwest::Error> {
        let http = super::http(settings.timeout_ms)?;
        Ok(Self {
            http,
            base_url: settings.api_base_url.trim_end_matches('/').to_owned(),
            app_id: settings.app_id.clone().filter(|s| !s.is_empty()),
            app_secret: settings.app_secret.clone(),
            cache,
        })
    }

    fn credentials(&self) -> Result<(&str, &str), WechatError> {
        match (&self.app_id, &self.app_secret) {
            (Some(id), Some(secret)) if !secret.expose_secret().is_empty() => Ok((id, secret.expose_secret())),
            _ => Err(WechatError::NotConfigured),
        }
    }

    /// Reads a WeChat answer: transport failures and 5xx are `Unavailable`; a non-zero
    /// errcode is sorted by `from_code`.
    async fn read<T: DeserializeOwned>(response: Result<reqwest::Response, reqwest::Error>) -> Result<T, WechatError> {
        super::read_json("WeChat", response).await.map_err(|fault| match fault {
            super::Fault::Transport(why) => WechatError::Unavailable(why),
            super::Fault::Code { errcode, errmsg } => WechatError::from_code(errcode, errmsg),
        })
    }

    /// `sns/jscode2session`: exchanges a `wx.login` code for the openid.
    pub async fn code2session(&self, code: &str) -> Result<WechatSession, WechatError> {
        let (app_id, secret) = self.credentials()?;
        let response = self
            .http
            .get(format!("{}/sns/jscode2session", self.base_url))
            .query(&[
                ("appid", app_id),
                ("secret", secret),
                ("js_code", code),
                ("grant_type", "authorization_code"),
            ])
            .send()
            .await;
        let body: Code2SessionBody = Self::read(response).await?;
        let openid = body
            .openid
            .filter(|o| !o.is_empty())
            .ok_or_else(|| WechatError::Unavailable("answer without openid".into()))?;
        Ok(WechatSession {
            openid,
            unionid: body.unionid.filter(|u| !u.is_empty()),
            session_key: body.session_key.filter(|k| !k.expose_secret().is_empty()),
        })
    }

    fn token_key(app_id: &str) -> String {
        format!("wechat:access_token:{app_id}")
    }

    /// The interface credential from `cgi-bin/stable_token` (normal mode), cached until five
    /// minutes before it expires. `stale` is a token a call just found invalid: it is
    /// dropped (only if still cached) and a fresh one fetched.
    pub async fn access_token(&self, stale: Option<&str>) -> Result<String, WechatError> {
        let (app_id, secret) = self.credentials()?;
        let key = Self::token_key(app_id);
        super::cached_credential(&self.cache, &key, stale, || async {
            let response = self
                .http
                .post(format!("{}/cgi-bin/stable_token", self.base_url))
                .json(&serde_json::json!({
                    "grant_type": "client_credential",
                    "appid": app_id,
                    "secret": secret,
                    "force_refresh": false,
                }))
                .send()
                .await;
            let body: TokenBody = Self::read(response).await?;
            let token = body
                .access_token
                .filter(|t| !t.is_empty())
                .ok_or_else(|| WechatError::Unavailable("answer without access_token".into()))?;
            Ok((token, body.expires_in))
        })
        .await
    }

    /// The mini-program's AppID (group tickets carry it in their watermark).
    pub fn app_id(&self) -> Option<&str> {
        self.app_id.as_deref()
    }

    /// Whether real WeChat calls can be made (app id and secret configured).
    pub fn is_configured(&self) -> bool {
        self.credentials().is_ok()
    }

    /// Calls an endpoint that takes `?access_token=`, refreshing a stale token once.
    async fn post_with_token<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, WechatError> {
        let mut token = self.access_token(None).await?;
        for attempt in 0..2 {
            let response = self
                .http
                .post(format!("{}{path}", self.base_url))
                .query(&[("access_token", token.as_str())])
                .json(body)
                .send()
                .await;
            match Self::read::<T>(response).await {
                Err(WechatError::TokenInvalid { .. }) if attempt == 0 => {
                    token = self.access_token(Some(&token)).await?;
                }
                other => return other,
            }
        }
        Err(WechatError::Unavailable("access token refused twice".into()))
    }

    /// `wxa/getwxacodeunlimit`: a mini-program code that opens `page` with `scene` (at most
    /// 32 characters), as image bytes. WeChat answers an error as JSON instead of an image.
    pub async fn wxacode_unlimited(&self, page: &str, scene: &str, env_version: &str) -> Result<Vec<u8>, WechatError> {
        let body = serde_json::json!({
            "scene": scene, "page": page, "check_path": false, "env_version": env_version, "width": 280,
        });
        let mut token = self.access_token(None).await?;
        for attempt in 0..2 {
            let response = self
                .http
                .post(format!("{}/wxa/getwxacodeunlimit", self.base_url))
                .query(&[("access_token", token.as_str())])
                .json(&body)
                .send()
                .await
                .map_err(|e| WechatError::Unavailable(e.to_string()))?;
            let is_image = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("image/"));
            if is_image && response.status().is_success() {
                let bytes = response
                    .bytes()
                    .await
                    .map_err(|e| WechatError::Unavailable(e.to_string()))?;
                return Ok(bytes.to_vec());
            }
            match Self::read::<serde_json::Value>(Ok(response)).await {
                Err(WechatError::TokenInvalid { .. }) if attempt == 0 => {
                    token = self.access_token(Some(&token)).await?;
                }
                Err(err) => return Err(err),
                Ok(_) => return Err(WechatError::Unavailable("no image in the answer".into())),
            }
        }
        Err(WechatError::Unavailable("access token refused twice".into()))
    }

    /// `cgi-bin/message/subscribe/send`.
    pub async fn send_subscribe_message(&self, message: &serde_json::Value) -> Result<(), WechatError> {
        self.post_with_token::<serde_json::Value>("/cgi-bin/message/subscribe/send", message)
            .await
            .map(|_| ())
    }

    /// `wxa/msg_sec_check` (version 2) on text another person will read.
    pub async fn check_text(&self, openid: &str, scene: u8, content: &str) -> Result<ContentVerdict, WechatError> {
        let body = serde_json::json!({ "version": 2, "openid": openid, "scene": scene, "content": content });
        let answer: SecCheckBody = self.post_with_token("/wxa/msg_sec_check", &body).await?;
        Ok(match answer.result {
            Some(r) if r.suggest == "risky" => ContentVerdict::Risky { label: r.label },
            Some(r) if r.suggest == "review" => ContentVerdict::Review,
            Some(_) => ContentVerdict::Pass,
            None => ContentVerdict::Review,
        })
    }

    /// `wxa/business/getuserphonenumber`, with one refresh-and-retry on an invalid token.
    pub async fn phone_number(&self, code: &str) -> Result<PhoneInfo, WechatError> {
        let (app_id, _) = self.credentials()?;
        let body: PhoneBody = self
            .post_with_token("/wxa/business/getuserphonenumber", &serde_json::json!({ "code": code }))
            .await?;
        let info = body
            .phone_info
            .ok_or_else(|| WechatError::Unavailable("answer without phone_info".into()))?;
        // The watermark proves the number was issued to this mini-program.
        if let Some(appid) = info.watermark.and_then(|w| w.appid)
            && appid != app_id
        {
            return Err(WechatError::Other {
                errcode: 0,
                errmsg: format!("watermark appid {appid} is not ours"),
            });
        }
        Ok(PhoneInfo {
            phone_number: info.phone_number,
        })
    }
}

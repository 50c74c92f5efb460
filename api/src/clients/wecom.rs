//! WeCom's server API for the self-built app: customer groups (客户联系), confirmed mass-sends
//! (企业群发), 微信客服, web sign-in and the JS-SDK tickets (docs/bot.md, `wechat/CUSTOMER-GROUPS.md`).
//! Like WeChat, WeCom answers business errors with HTTP 200 and `{errcode, errmsg}`.
//!
//! With no app secret configured the client is in development mode: every call fails with
//! `NotConfigured`, and the callers log what they would have sent.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::cache::Cache;
use crate::settings::WecomSettings;

#[derive(Debug, thiserror::Error)]
pub enum WecomError {
    /// No app secret: development mode.
    #[error("WeCom app secret not configured (development mode)")]
    NotConfigured,
    /// Busy (-1), a 5xx, a timeout, no connection, or a rate limit (45009, 45033).
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The access token is invalid or expired (40014, 42001): refresh and retry once.
    #[error("access token invalid (errcode {0})")]
    TokenInvalid(i64),
    /// Anything else WeCom refused.
    #[error("errcode {errcode}: {errmsg}")]
    Refused { errcode: i64, errmsg: String },
}

impl WecomError {
    pub fn errcode(&self) -> Option<i64> {
        match self {
            Self::TokenInvalid(code) => Some(*code),
            Self::Refused { errcode, .. } => Some(*errcode),
            Self::NotConfigured | Self::Unavailable(_) => None,
        }
    }

    /// Worth trying again later.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unavailable(_) | Self::TokenInvalid(_))
    }

    fn from_code(errcode: i64, errmsg: String) -> Self {
        match errcode {
            -1 | 45009 | 45033 => Self::Unavailable(format!("errcode {errcode}: {errmsg}")),
            40014 | 42001 => Self::TokenInvalid(errcode),
            _ => Self::Refused { errcode, errmsg },
        }
    }
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: Option<String>,
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct TicketBody {
    ticket: Option<String>,
    expires_in: Option<u64>,
}

/// `groupchat/list`: one page of chat ids.
#[derive(Debug, Deserialize)]
pub struct GroupChatPage {
    #[serde(default)]
    pub group_chat_list: Vec<GroupChatRef>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct GroupChatRef {
    pub chat_id: String,
}

/// `groupchat/get`'s group.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupChat {
    pub chat_id: String,
    #[serde(default)]
    pub name: String,
    pub owner: String,
    #[serde(default)]
    pub member_list: Vec<GroupMember>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GroupMember {
    pub userid: String,
    /// 1 = corp member, 2 = external contact.
    #[serde(rename = "type")]
    pub member_type: i16,
    #[serde(default)]
    pub unionid: Option<String>,
    #[serde(default)]
    pub join_time: Option<i64>,
}

#[derive(Deserialize)]
struct GroupChatBody {
    group_chat: GroupChat,
}

/// One line of `get_groupmsg_send_result`.
#[derive(Debug, Clone, Deserialize)]
pub struct SendResult {
    #[serde(default)]
    pub chat_id: Option<String>,
    /// 0 not sent, 1 sent, 2 not a friend, 3 over the recipient's limit.
    pub status: i64,
}

#[derive(Deserialize)]
struct SendResultBody {
    #[serde(default)]
    send_list: Vec<SendResult>,
    #[serde(default)]
    next_cursor: Option<String>,
}

/// `kf/sync_msg`: a page of messages and events.
#[derive(Debug, Clone, Deserialize)]
pub struct KfPage {
    #[serde(default)]
    pub next_cursor: Option<String>,
    #[serde(default)]
    pub has_more: i64,
    #[serde(default)]
    pub msg_list: Vec<KfMessage>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct KfMessage {
    pub msgid: String,
    #[serde(default)]
    pub open_kfid: String,
    #[serde(default)]
    pub external_userid: Option<String>,
    #[serde(default)]
    pub send_time: Option<i64>,
    /// 3 = the WeChat user, 4 = a system event, 5 = a servicer.
    #[serde(default)]
    pub origin: i64,
    pub msgtype: String,
    #[serde(default)]
    pub text: Option<KfText>,
    #[serde(default)]
    pub event: Option<KfEvent>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct KfText {
    pub content: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct KfEvent {
    pub event_type: String,
    #[serde(default)]
    pub external_userid: Option<String>,
    #[serde(default)]
    pub open_kfid: Option<String>,
    /// The link's scene (`enter_session`).
    #[serde(default)]
    pub scene_param: Option<String>,
}

#[derive(Clone)]
pub struct WecomClient {
    http: reqwest::Client,
    base_url: String,
    corp_id: String,
    secret: Option<SecretString>,
    cache: Cache,
}

impl WecomClient {
    pub fn new(settings: &WecomSettings, cache: Cache) -> Result<Self, reqwest::Error> {
        let http = super::http(settings.timeout_ms)?;
        Ok(Self {
            http,
            base_url: settings.api_base_url.trim_end_matches('/').to_owned(),
            corp_id: settings.corp_id.clone(),
            secret: settings.app_secret.clone().filter(|s| !s.expose_secret().is_empty()),
            cache,
        })
    }

    /// Whether real calls can be made; otherwise callers log what they would send.
    pub fn is_configured(&self) -> bool {
        self.secret.is_some()
    }

    async fn read<T: DeserializeOwned>(response: Result<reqwest::Response, reqwest::Error>) -> Result<T, WecomError> {
        super::read_json("WeCom", response).await.map_err(|fault| match fault {
            super::Fault::Transport(why) => WecomError::Unavailable(why),
            super::Fault::Code { errcode, errmsg } => WecomError::from_code(errcode, errmsg),
        })
    }

    /// `cgi-bin/gettoken`, cached until five minutes before it expires; `stale` is a token a
    /// call just found invalid.
    async fn access_token(&self, stale: Option<&str>) -> Result<String, WecomError> {
        let secret = self.secret.as_ref().ok_or(WecomError::NotConfigured)?;
        let key = format!("wecom:access_token:{}", self.corp_id);
        super::cached_credential(&self.cache, &key, stale, || async {
            let response = self
                .http
                .get(format!("{}/cgi-bin/gettoken", self.base_url))
                .query(&[
                    ("corpid", self.corp_id.as_str()),
                    ("corpsecret", secret.expose_secret()),
                ])
                .send()
                .await;
            let body: TokenBody = Self::read(response).await?;
            let token = body
                .access_token
                .filter(|t| !t.is_empty())
                .ok_or_else(|| WecomError::Unavailable("answer without access_token".into()))?;
            Ok((token, body.expires_in))
        })
        .await
    }

    /// A call with `?access_token=`, refreshing a stale token once. `body` None is a GET.
    async fn call<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<T, WecomError> {
        let mut token = self.access_token(None).await?;
        for attempt in 0..2 {
            let url = format!("{}{path}", self.base_url);
            let request = match body {
                Some(b) => self.http.post(url).json(b),
                None => self.http.get(url),
            };
            let response = request
                .query(&[("access_token", token.as_str())])
                .query(query)
                .send()
                .await;
            match Self::read::<T>(response).await {
                Err(WecomError::TokenInvalid(_)) if attempt == 0 => {
                    token = self.access_token(Some(&token)).await?;
                }
                other => return other,
            }
        }
        Err(WecomError::Unavailable("access token refused twice".into()))
    }

    async fn post<T: DeserializeOwned>(&self, path: &str, body: &Value) -> Result<T, WecomError> {
        self.call(path, &[], Some(body)).await
    }

    /// `externalcontact/groupchat/list` for up to 100 owners, every page.
    pub async fn group_chat_ids(&self, owners: &[String]) -> Result<Vec<String>, WecomError> {
        let mut ids = Vec::new();
        let mut cursor = String::new();
        loop {
            let page: GroupChatPage = self
                .post(
                    "/cgi-bin/externalcontact/groupchat/list",
                    &json!({
                        "status_filter": 0,
                        "owner_filter": { "userid_list": owners },
                        "cursor": cursor,
                        "limit": 1000,
                    }),
                )
                .await?;
            ids.extend(page.group_chat_list.into_iter().map(|g| g.chat_id));
            match page.next_cursor.filter(|c| !c.is_empty()) {
                Some(next) => cursor = next,
                None => return Ok(ids),
            }
        }
    }

    /// `externalcontact/groupchat/get`.
    pub async fn group_chat(&self, chat_id: &str) -> Result<GroupChat, WecomError> {
        let body: GroupChatBody = self
            .post(
                "/cgi-bin/externalcontact/groupchat/get",
                &json!({ "chat_id": chat_id, "need_name": 1 }),
            )
            .await?;
        Ok(body.group_chat)
    }

    /// `externalcontact/add_msg_template`: a task the sender confirms in WeCom; its `msgid`.
    pub async fn add_msg_template(&self, message: &Value) -> Result<String, WecomError> {
        let body: Value = self.post("/cgi-bin/externalcontact/add_msg_template", message).await?;
        body.get("msgid")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| WecomError::Unavailable("answer without msgid".into()))
    }

    /// `externalcontact/get_groupmsg_send_result` for one sender, every page.
    pub async fn send_results(&self, msgid: &str, sender: &str) -> Result<Vec<SendResult>, WecomError> {
        let mut all = Vec::new();
        let mut cursor = String::new();
        loop {
            let page: SendResultBody = self
                .post(
                    "/cgi-bin/externalcontact/get_groupmsg_send_result",
                    &json!({ "msgid": msgid, "userid": sender, "limit": 1000, "cursor": cursor }),
                )
                .await?;
            all.extend(page.send_list);
            match page.next_cursor.filter(|c| !c.is_empty()) {
                Some(next) => cursor = next,
                None => return Ok(all),
            }
        }
    }

    /// `externalcontact/remind_groupmsg_send`.
    pub async fn remind(&self, msgid: &str) -> Result<(), WecomError> {
        self.post::<Value>(
            "/cgi-bin/externalcontact/remind_groupmsg_send",
            &json!({ "msgid": msgid }),
        )
        .await
        .map(|_| ())
    }

    /// `externalcontact/opengid_to_chatid`: a mini-program's `opengid` to a customer group.
    pub async fn opengid_to_chatid(&self, opengid: &str) -> Result<String, WecomError> {
        let body: Value = self
            .post(
                "/cgi-bin/externalcontact/opengid_to_chatid",
                &json!({ "opengid": opengid }),
            )
            .await?;
        body.get("chat_id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| WecomError::Unavailable("answer without chat_id".into()))
    }

    /// `media/upload` of an image (a mass-send card's cover); its `media_id`, valid 3 days.
    pub async fn upload_image(&self, name: &str, bytes: Vec<u8>) -> Result<String, WecomError> {
        let token = self.access_token(None).await?;
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("image/png")
            .map_err(|e| WecomError::Unavailable(e.to_string()))?;
        let response = self
            .http
            .post(format!("{}/cgi-bin/media/upload", self.base_url))
            .query(&[("access_token", token.as_str()), ("type", "image")])
            .multipart(reqwest::multipart::Form::new().part("media", part))
            .send()
            .await;
        let body: Value = Self::read(response).await?;
        body.get("media_id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| WecomError::Unavailable("answer without media_id".into()))
    }

    /// `kf/sync_msg`: the next page after `cursor`, for the callback's `token`.
    pub async fn kf_sync(&self, open_kfid: &str, cursor: &str, token: &str) -> Result<KfPage, WecomError> {
        self.post(
            "/cgi-bin/kf/sync_msg",
            &json!({ "cursor": cursor, "token": token, "limit": 1000, "open_kfid": open_kfid }),
        )
        .await
    }

    /// `kf/send_msg`.
    pub async fn kf_send(&self, message: &Value) -> Result<(), WecomError> {
        self.post::<Value>("/cgi-bin/kf/send_msg", message).await.map(|_| ())
    }

    /// `kf/service_state/trans`: 2 = the waiting pool, 3 = to `servicer`.
    pub async fn kf_trans(
        &self,
        open_kfid: &str,
        external_userid: &str,
        state: i64,
        servicer: Option<&str>,
    ) -> Result<(), WecomError> {
        let mut body = json!({ "open_kfid": open_kfid, "external_userid": external_userid, "service_state": state });
        if let Some(s) = servicer {
            body["servicer_userid"] = json!(s);
        }
        self.post::<Value>("/cgi-bin/kf/service_state/trans", &body)
            .await
            .map(|_| ())
    }

    /// `kf/add_contact_way`: the 客服 link with a scene.
    pub async fn kf_contact_way(&self, open_kfid: &str, scene: &str) -> Result<String, WecomError> {
        let body: Value = self
            .post(
                "/cgi-bin/kf/add_contact_way",
                &json!({ "open_kfid": open_kfid, "scene": scene }),
            )
            .await?;
        body.get("url")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| WecomError::Unavailable("answer without url".into()))
    }

    /// `auth/getuserinfo`: the corp member behind a web sign-in code (None for a non-member).
    pub async fn user_of_code(&self, code: &str) -> Result<Option<String>, WecomError> {
        let body: Value = self.call("/cgi-bin/auth/getuserinfo", &[("code", code)], None).await?;
        Ok(body
            .get("userid")
            .or_else(|| body.get("UserId"))
            .and_then(Value::as_str)
            .map(str::to_owned))
    }

    /// The JS-SDK ticket (`agent`: `ticket/get?type=agent_config`; `corp`: `get_jsapi_ticket`),
    /// cached until five minutes before it expires.
    pub async fn js_ticket(&self, agent: bool) -> Result<String, WecomError> {
        let key = format!(
            "wecom:js_ticket:{}:{}",
            self.corp_id,
            if agent { "agent" } else { "corp" }
        );
        super::cached_credential(&self.cache, &key, None, || async {
            let body: TicketBody = if agent {
                self.call("/cgi-bin/ticket/get", &[("type", "agent_config")], None)
                    .await?
            } else {
                self.call("/cgi-bin/get_jsapi_ticket", &[], None).await?
            };
            let ticket = body
                .ticket
                .filter(|t| !t.is_empty())
                .ok_or_else(|| WecomError::Unavailable("answer without ticket".into()))?;
            Ok((ticket, body.expires_in))
        })
        .await
    }
}

//! 微信客服 messages (`kf/send_msg`). Payload: `{touser, open_kfid, msgtype, text | miniprogram}`;
//! the row's `recipient` is `kf:<external userid>`. WeCom allows at most five messages within
//! 48 hours of the user's last message: a message outside that window fails at once, with the
//! reason, and is not sent. Each message carries its own `msgid`, so WeCom drops a repeat: a
//! claim left by a worker that died is sent again. In development mode it is logged and skipped.
use chrono::{DateTime, Utc};
use entity::codes::{OutboxChannel, OutboxStatus};
use entity::{kf_customer, outbox};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use super::{Message, Ready, Sent};
use crate::cache::Cache;
use crate::clients::wecom::WecomClient;
use crate::error::ApiResult;

/// The reply window after the user's last message.
pub const WINDOW_HOURS: i64 = 48;
/// Messages allowed in it.
pub const WINDOW_MESSAGES: u64 = 5;

fn recipient(external_userid: &str) -> String {
    format!("kf:{external_userid}")
}

fn message(kind: &str, external_userid: &str, dedup_key: &str, payload: Value) -> Message {
    Message {
        channel: OutboxChannel::WecomKf,
        kind: kind.to_owned(),
        dedup_key: dedup_key.to_owned(),
        user_id: None,
        group_id: None,
        notification_id: None,
        recipient: Some(recipient(external_userid)),
        payload,
    }
}

/// A text to a WeChat user (`dedup_key` names what it answers, e.g. the message's id).
pub fn text(open_kfid: &str, external_userid: &str, dedup_key: &str, content: &str) -> Message {
    let payload = json!({
        "touser": external_userid, "open_kfid": open_kfid, "msgtype": "text", "text": { "content": content },
    });
    message("kf_reply", external_userid, dedup_key, payload)
}

/// A mini-program card to a WeChat user (its cover is uploaded when it is sent).
pub fn card(open_kfid: &str, external_userid: &str, dedup_key: &str, app_id: &str, title: &str, page: &str) -> Message {
    let payload = json!({
        "touser": external_userid, "open_kfid": open_kfid, "msgtype": "miniprogram",
        "miniprogram": { "appid": app_id, "title": title, "pagepath": page },
    });
    message("kf_card", external_userid, dedup_key, payload)
}

pub const MAX_ATTEMPTS: i32 = 5;

pub struct Sender<'a> {
    pub client: &'a WecomClient,
    pub cache: &'a Cache,
}

impl super::Sender for Sender<'_> {
    const CHANNEL: OutboxChannel = OutboxChannel::WecomKf;
    const MAX_ATTEMPTS: i32 = MAX_ATTEMPTS;
    const RESEND_STALE: bool = true;

    async fn ready(&self, db: &DatabaseConnection, m: &outbox::Model, now: DateTime<Utc>) -> ApiResult<Ready> {
        let Some(to) = m.payload.get("touser").and_then(Value::as_str) else {
            return Ok(Ready::Fail("无效的客服消息".into()));
        };
        let last_in = kf_customer::Entity::find()
            .filter(kf_customer::Column::ExternalUserid.eq(to))
            .one(db)
            .await?
            .and_then(|c| c.last_in_at);
        let Some(last_in) = last_in.filter(|t| now - *t < chrono::Duration::hours(WINDOW_HOURS)) else {
            return Ok(Ready::Fail("已超出微信客服的48小时回复窗口，未发送".into()));
        };
        let sent = outbox::Entity::find()
            .filter(outbox::Column::Channel.eq(OutboxChannel::WecomKf))
            .filter(outbox::Column::Recipient.eq(recipient(to)))
            .filter(outbox::Column::Status.eq(OutboxStatus::Sent))
            .filter(outbox::Column::SentAt.gte(last_in))
            .count(db)
            .await?;
        if sent >= WINDOW_MESSAGES {
            return Ok(Ready::Fail("本次会话窗口内已回复5条，需等用户再次发言".into()));
        }
        if !self.client.is_configured() {
            tracing::info!(message = %m.payload, "development mode: would send this 微信客服 message");
            return Ok(Ready::Skip(
                "企业微信未配置（开发模式）：客服消息已记录在日志，未发送".into(),
            ));
        }
        Ok(Ready::Go)
    }

    async fn send(&self, _db: &DatabaseConnection, m: &outbox::Model) -> ApiResult<Sent> {
        let mut message = m.payload.clone();
        message["msgid"] = json!(format!("qq{}", m.id));
        if message["msgtype"] == "miniprogram" {
            match super::mass_send::cover(self.client, self.cache).await {
                Ok(id) => {
                    message["miniprogram"]["thumb_media_id"] = json!(id);
                }
                Err(err) if err.is_transient() && m.attempts + 1 < MAX_ATTEMPTS => {
                    return Ok(Sent::Retry {
                        error: err.to_string(),
                        after: None,
                    });
                }
                Err(err) => return Ok(Sent::Fail(err.to_string())),
            }
        }
        Ok(match self.client.kf_send(&message).await {
            Ok(()) => Sent::Ok,
            Err(err) if err.is_transient() && m.attempts + 1 < MAX_ATTEMPTS => Sent::Retry {
                error: err.to_string(),
                after: None,
            },
            Err(err) => Sent::Fail(err.to_string()),
        })
    }
}

//! Markdown messages to WeCom groups through each group's robot webhook. Payload:
//! `{markdown}`; the row's `group_id` is the group. At most `webhook_per_window` messages leave
//! per webhook in any window, counted in the cache (Redis when configured, so replicas share
//! the count): what does not fit waits. 45009 waits a window and retries; 93000 fails for good
//! and flags the group. A webhook message has no idempotency key, so a claim left by a worker
//! that died is not sent again (that could post it twice): it is marked uncertain for an admin
//! to check in the group.
use std::sync::LazyLock;
use std::time::Duration;

use bot::webhook::{self as wecom, Outcome};
use chrono::{DateTime, Utc};
use entity::codes::{GroupStatus, OutboxChannel};
use entity::{bot_group, outbox};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use super::{Message, Ready, Sent};
use crate::cache::Cache;
use crate::error::{ApiError, ApiResult};
use crate::settings::WecomSettings;

/// The messages for a group, split into webhook-sized pieces (`dedup_key#0`, `#1`, ...).
pub fn messages(group_id: i64, kind: &str, dedup_key: &str, markdown: &str) -> Vec<Message> {
    wecom::split(markdown, wecom::MAX_MARKDOWN_BYTES)
        .into_iter()
        .enumerate()
        .map(|(i, piece)| Message {
            channel: OutboxChannel::Webhook,
            kind: kind.to_owned(),
            dedup_key: format!("{dedup_key}#{i}"),
            user_id: None,
            group_id: Some(group_id),
            notification_id: None,
            recipient: None,
            payload: serde_json::json!({ "markdown": piece }),
        })
        .collect()
}

pub struct Sender<'a> {
    pub cache: &'a Cache,
    pub settings: &'a WecomSettings,
}

impl Sender<'_> {
    /// Takes one of the webhook's slots for the window: at most `per` sends in any `window`.
    /// Each slot is a key holding the instant it frees (`now` + window, by the job's clock, so
    /// a run at a later `now` finds it free whatever the wall clock says); set-if-absent and
    /// delete-if-unchanged are atomic in Redis and in process, so replicas never share one.
    /// The key also expires a minute after that instant, to clean up.
    async fn take_slot(&self, key: &str, now: DateTime<Utc>) -> ApiResult<bool> {
        let id = hex::encode(&Sha256::digest(key.as_bytes())[..8]);
        let window = Duration::from_secs(self.settings.webhook_window_secs);
        let frees = (now + chrono::Duration::from_std(window).unwrap_or_default()).timestamp_millis();
        let ttl = window + Duration::from_secs(60);
        let cache = self.cache;
        for i in 0..self.settings.webhook_per_window {
            let slot = format!("webhook-slot:{id}:{i}");
            if cache
                .set_nx(&slot, &frees.to_string(), ttl)
                .await
                .map_err(ApiError::internal)?
            {
                return Ok(true);
            }
            let held = cache.get(&slot).await.map_err(ApiError::internal)?;
            let freed = held
                .as_deref()
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|at| at <= now.timestamp_millis());
            if let (true, Some(held)) = (freed, held)
                && cache.delete_if(&slot, &held).await.map_err(ApiError::internal)?
                && cache
                    .set_nx(&slot, &frees.to_string(), ttl)
                    .await
                    .map_err(ApiError::internal)?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Posts one markdown message; the errcode WeCom answered, or a transport error (without
    /// the URL, which holds the key).
    async fn post(&self, key: &str, content: &str) -> Result<i64, String> {
        static HTTP: LazyLock<reqwest::Client> = LazyLock::new(|| {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap_or_default()
        });
        let url = format!(
            "{}/cgi-bin/webhook/send",
            self.settings.webhook_base_url.trim_end_matches('/')
        );
        let res = HTTP
            .post(url)
            .query(&[("key", key)])
            .json(&wecom::markdown(content))
            .send()
            .await
            .map_err(|e| e.without_url().to_string())?;
        let status = res.status();
        let body: serde_json::Value = res.json().await.map_err(|e| e.without_url().to_string())?;
        body["errcode"]
            .as_i64()
            .ok_or_else(|| format!("HTTP {status} without errcode"))
    }
}

async fn group(db: &DatabaseConnection, m: &outbox::Model) -> ApiResult<Option<bot_group::Model>> {
    Ok(match m.group_id {
        Some(id) => bot_group::Entity::find_by_id(id).one(db).await?,
        None => None,
    })
}

impl super::Sender for Sender<'_> {
    const CHANNEL: OutboxChannel = OutboxChannel::Webhook;
    const MAX_ATTEMPTS: i32 = 6;
    const RESEND_STALE: bool = false;

    async fn ready(&self, db: &DatabaseConnection, m: &outbox::Model, now: DateTime<Utc>) -> ApiResult<Ready> {
        let Some(g) = group(db, m).await? else {
            return Ok(Ready::Fail("群已删除".into()));
        };
        if g.status == GroupStatus::BadKey {
            return Ok(Ready::Fail("webhook key 无效 (93000)".into()));
        }
        if !self.take_slot(&g.webhook_key, now).await? {
            // Full for this window: it waits, it is not dropped.
            return Ok(Ready::Wait(now + chrono::Duration::seconds(5)));
        }
        Ok(Ready::Go)
    }

    async fn send(&self, db: &DatabaseConnection, m: &outbox::Model) -> ApiResult<Sent> {
        let Some(g) = group(db, m).await? else {
            return Ok(Sent::Fail("群已删除".into()));
        };
        let content = m.payload.get("markdown").and_then(|v| v.as_str()).unwrap_or_default();
        let window = chrono::Duration::seconds(i64::try_from(self.settings.webhook_window_secs).unwrap_or(60));
        Ok(match self.post(&g.webhook_key, content).await.map(wecom::outcome) {
            Ok(Outcome::Sent) => Sent::Ok,
            Ok(Outcome::BadKey) => {
                bot_group::Entity::update_many()
                    .col_expr(bot_group::Column::Status, Expr::value(GroupStatus::BadKey))
                    .filter(bot_group::Column::Id.eq(g.id))
                    .exec(db)
                    .await?;
                tracing::warn!(group_id = g.id, "webhook key refused (93000); group flagged");
                Sent::Fail("errcode 93000".into())
            }
            // WeCom counts differently from us (another sender on the same robot): wait a window.
            Ok(Outcome::RateLimited) => Sent::Retry {
                error: "errcode 45009".into(),
                after: Some(window),
            },
            Ok(Outcome::Other(code)) => Sent::Retry {
                error: format!("errcode {code}"),
                after: None,
            },
            Err(err) => Sent::Retry {
                error: err,
                after: None,
            },
        })
    }
}

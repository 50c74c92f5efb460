//! Text messages. Payload: `{phone, templateId, params}`; the row's `recipient` is the number's
//! hash, by which a number's messages of the day are counted against the daily cap (more wait
//! for the next day; nothing is dropped). Passing failures retry with back-off; a message sent
//! without an answer, or claimed by a worker that died mid-send, is never sent again (a person
//! would pay for and read it twice): it is marked uncertain for someone to check.
use chrono::{DateTime, Duration, Utc};
use entity::codes::{OutboxChannel, OutboxStatus};
use entity::outbox;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use sha2::{Digest, Sha256};

use super::{Message, Ready, Sent};
use crate::clients::sms::{SmsClient, SmsError, e164};
use crate::domain::report::start_of_day;
use crate::error::ApiResult;
use crate::types::local_time;

/// The hash a number is counted by (in E.164, so one number written two ways counts once).
pub fn recipient(phone: &str) -> String {
    hex::encode(Sha256::digest(format!("sms:{}", e164(phone)).as_bytes()))
}

/// A text message with template `template_id` and its `params` to `phone` (about `user_id`,
/// when the number is a person's).
pub fn message(
    kind: &str,
    dedup_key: &str,
    phone: &str,
    user_id: Option<i64>,
    template_id: &str,
    params: &[String],
) -> Message {
    Message {
        channel: OutboxChannel::Sms,
        kind: kind.to_owned(),
        dedup_key: dedup_key.to_owned(),
        user_id,
        group_id: None,
        notification_id: None,
        recipient: Some(recipient(phone)),
        payload: serde_json::json!({ "phone": phone, "templateId": template_id, "params": params }),
    }
}

/// Tries before a passing failure counts as for good.
pub const MAX_ATTEMPTS: i32 = 5;

pub struct Sender<'a> {
    pub client: &'a SmsClient,
    /// Messages one number receives a day at most.
    pub daily_cap: u32,
}

fn text(m: &outbox::Model, key: &str) -> String {
    m.payload[key].as_str().unwrap_or_default().to_owned()
}

impl super::Sender for Sender<'_> {
    const CHANNEL: OutboxChannel = OutboxChannel::Sms;
    const MAX_ATTEMPTS: i32 = MAX_ATTEMPTS;
    const RESEND_STALE: bool = false;

    async fn ready(&self, db: &DatabaseConnection, m: &outbox::Model, now: DateTime<Utc>) -> ApiResult<Ready> {
        if !self.client.is_configured() {
            return Ok(Ready::Skip("短信未配置，仅站内通知".into()));
        }
        let Some(to) = &m.recipient else {
            return Ok(Ready::Fail("短信没有收件号码".into()));
        };
        let today = local_time(now).date_naive();
        let sent_today = outbox::Entity::find()
            .filter(outbox::Column::Channel.eq(OutboxChannel::Sms))
            .filter(outbox::Column::Recipient.eq(to.as_str()))
            .filter(outbox::Column::Id.ne(m.id))
            // Sent today, or gone today without an answer (it may have arrived: it counts).
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(outbox::Column::Status.eq(OutboxStatus::Sent))
                            .add(outbox::Column::SentAt.gte(start_of_day(today))),
                    )
                    .add(
                        Condition::all()
                            .add(outbox::Column::Status.is_in([OutboxStatus::Sending, OutboxStatus::Uncertain]))
                            .add(outbox::Column::NextAttemptAt.gte(start_of_day(today))),
                    ),
            )
            .count(db)
            .await?;
        if sent_today >= u64::from(self.daily_cap) {
            return Ok(Ready::Wait(start_of_day(today + Duration::days(1))));
        }
        Ok(Ready::Go)
    }

    async fn send(&self, _db: &DatabaseConnection, m: &outbox::Model) -> ApiResult<Sent> {
        let params: Vec<String> = m.payload["params"]
            .as_array()
            .map(|p| p.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        let context = format!("outbox:{}", m.id);
        Ok(
            match self
                .client
                .send(&text(m, "phone"), &text(m, "templateId"), &params, &context)
                .await
            {
                Ok(()) => Sent::Ok,
                Err(SmsError::Transient(error)) => Sent::Retry { error, after: None },
                Err(SmsError::Uncertain(error)) => Sent::Uncertain(error),
                Err(err @ (SmsError::Refused(_) | SmsError::NotConfigured)) => Sent::Fail(err.to_string()),
            },
        )
    }
}

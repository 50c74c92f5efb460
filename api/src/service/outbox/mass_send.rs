//! Confirmed-send tasks (企业群发, `externalcontact/add_msg_template`). Payload: `{massSendId}`.
//! A send creates the task in WeCom for the butler to confirm: the digest's text and one
//! mini-program card per policy (cover uploaded once and kept for two days). Creating a task is
//! not idempotent in WeCom, so a claim left by a worker that died is not sent again (it is
//! marked uncertain for an admin to check). In development mode (no app secret) the task is
//! logged and skipped.
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::codes::{GroupPushState, MassSendState, OutboxChannel};
use entity::{customer_group, customer_group_policy, mass_send, mass_send_group, outbox};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use super::{Message, Ready, Sent};
use crate::cache::Cache;
use crate::clients::wecom::{WecomClient, WecomError};
use crate::error::ApiResult;

/// The card's cover (520×416, as WeCom asks).
const COVER: &[u8] = include_bytes!("../../../assets/policy-card.png");

pub fn message(mass_send_id: i64) -> Message {
    Message {
        channel: OutboxChannel::WecomMass,
        kind: "policy_digest".into(),
        dedup_key: format!("mass-send:{mass_send_id}"),
        user_id: None,
        group_id: None,
        notification_id: None,
        recipient: None,
        payload: json!({ "massSendId": mass_send_id }),
    }
}

pub const MAX_ATTEMPTS: i32 = 5;

pub struct Sender<'a> {
    pub client: &'a WecomClient,
    pub cache: &'a Cache,
    /// The mini-program's AppID (the cards open it).
    pub app_id: &'a str,
}

fn task_id(m: &outbox::Model) -> Option<i64> {
    m.payload.get("massSendId")?.as_i64()
}

/// The `add_msg_template` body of a task.
pub async fn body(db: &DatabaseConnection, task: &mass_send::Model, app_id: &str, cover: &str) -> ApiResult<Value> {
    let rows = mass_send_group::Entity::find()
        .filter(mass_send_group::Column::MassSendId.eq(task.id))
        .all(db)
        .await?;
    let chats: Vec<String> = customer_group::Entity::find()
        .filter(customer_group::Column::Id.is_in(rows.iter().map(|r| r.group_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.chat_id)
        .collect();
    let ids: Vec<i64> = serde_json::from_value(task.policy_ids.clone()).unwrap_or_default();
    let policies = crate::service::policies::by_ids(db, &ids).await?;
    let cards: Vec<Value> = ids
        .iter()
        .filter_map(|id| policies.iter().find(|p| p.id == *id))
        .map(|p| {
            json!({
                "msgtype": "miniprogram",
                "miniprogram": {
                    "title": bot::dialogue::clip(&p.title, 30),
                    "pic_media_id": cover,
                    "appid": app_id,
                    "page": format!("subpackages/policy/detail/index.html?id={}", p.id),
                }
            })
        })
        .collect();
    Ok(json!({
        "chat_type": "group",
        "sender": task.owner_userid,
        "chat_id_list": chats,
        "allow_select": false,
        "text": { "content": task.text },
        "attachments": cards,
    }))
}

/// The cards' cover as a media id, uploaded once and kept for two days (WeCom keeps it three).
pub async fn cover(client: &WecomClient, cache: &Cache) -> Result<String, WecomError> {
    let key = "wecom:policy-card-cover";
    if let Some(id) = cache.get(key).await.ok().flatten() {
        return Ok(id);
    }
    let id = client.upload_image("policy-card.png", COVER.to_vec()).await?;
    let _ = cache.set(key, &id, Duration::from_secs(2 * 24 * 3600)).await;
    Ok(id)
}

/// A task WeCom refused: failed, its groups' policies back in the queue with the reason.
async fn refused(db: &DatabaseConnection, task: &mass_send::Model, reason: &str) -> ApiResult<()> {
    let mut a: mass_send::ActiveModel = task.clone().into();
    a.state = Set(MassSendState::Failed);
    a.update(db).await?;
    mass_send_group::Entity::update_many()
        .col_expr(
            mass_send_group::Column::State,
            Expr::value(entity::codes::MassSendGroupState::Failed.code()),
        )
        .filter(mass_send_group::Column::MassSendId.eq(task.id))
        .exec(db)
        .await?;
    customer_group_policy::Entity::update_many()
        .col_expr(
            customer_group_policy::Column::State,
            Expr::value(GroupPushState::Waiting.code()),
        )
        .col_expr(
            customer_group_policy::Column::WaitReason,
            Expr::value(Some(reason.to_owned())),
        )
        .filter(customer_group_policy::Column::MassSendId.eq(task.id))
        .filter(customer_group_policy::Column::State.eq(GroupPushState::InTask))
        .exec(db)
        .await?;
    Ok(())
}

impl super::Sender for Sender<'_> {
    const CHANNEL: OutboxChannel = OutboxChannel::WecomMass;
    const MAX_ATTEMPTS: i32 = MAX_ATTEMPTS;
    const RESEND_STALE: bool = false;

    async fn ready(&self, db: &DatabaseConnection, m: &outbox::Model, _now: DateTime<Utc>) -> ApiResult<Ready> {
        let Some(task) = task_id(m) else {
            return Ok(Ready::Fail("无效的群发任务".into()));
        };
        if !self.client.is_configured() {
            if let Some(task) = mass_send::Entity::find_by_id(task).one(db).await? {
                let would = body(db, &task, self.app_id, "<cover media id>").await?;
                tracing::info!(task = task.id, message = %would, "development mode: would create this WeCom mass-send");
            }
            return Ok(Ready::Skip(
                "企业微信未配置（开发模式）：群发任务已记录在日志，未创建".into(),
            ));
        }
        Ok(Ready::Go)
    }

    async fn send(&self, db: &DatabaseConnection, m: &outbox::Model) -> ApiResult<Sent> {
        let Some(task) = mass_send::Entity::find_by_id(task_id(m).unwrap_or_default())
            .one(db)
            .await?
        else {
            return Ok(Sent::Fail("群发任务不存在".into()));
        };
        let outcome = match cover(self.client, self.cache).await {
            Ok(cover) => {
                let message = body(db, &task, self.app_id, &cover).await?;
                self.client.add_msg_template(&message).await
            }
            Err(err) => Err(err),
        };
        Ok(match outcome {
            Ok(msgid) => {
                let mut a: mass_send::ActiveModel = task.into();
                a.state = Set(MassSendState::Awaiting);
                a.msgid = Set(Some(msgid));
                a.update(db).await?;
                Sent::Ok
            }
            Err(err) if err.is_transient() && m.attempts + 1 < MAX_ATTEMPTS => Sent::Retry {
                error: err.to_string(),
                after: None,
            },
            Err(err) => {
                let reason = match err.errcode() {
                    Some(code) => format!("企业微信拒绝了群发（错误码 {code}），请管理员检查后重新推送"),
                    None => "企业微信暂时不可用，群发未创建，明日重新排入".to_owned(),
                };
                refused(db, &task, &reason).await?;
                Sent::Fail(err.to_string())
            }
        })
    }
}

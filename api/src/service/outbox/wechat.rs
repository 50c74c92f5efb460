//! WeChat subscribe messages. Payload: `{templateId, page, data}`; the row's `user_id` is the
//! person and its `notification_id` the in-app notice it repeats. Each send spends one credit
//! (one accepted `wx.requestSubscribeMessage`); with none it stays in-app (skipped). Passing
//! failures (-1, 45009, timeouts) retry with back-off; 43101 drops the credit; a claim left by
//! a worker that died is sent again (a message seen twice does no harm; one lost does).
use chrono::{DateTime, Utc};
use entity::codes::OutboxChannel;
use entity::{outbox, subscribe_credit, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{Message, Ready, Sent};
use crate::clients::wechat::{WechatClient, WechatError};
use crate::error::ApiResult;

/// A subscribe message for `user_id`, repeating notice `notification_id`.
pub fn message(
    kind: &str,
    dedup_key: &str,
    user_id: i64,
    notification_id: i64,
    template_id: &str,
    page: Option<&str>,
    data: serde_json::Value,
) -> Message {
    Message {
        channel: OutboxChannel::Wechat,
        kind: kind.to_owned(),
        dedup_key: dedup_key.to_owned(),
        user_id: Some(user_id),
        group_id: None,
        notification_id: Some(notification_id),
        recipient: None,
        payload: serde_json::json!({ "templateId": template_id, "page": page, "data": data }),
    }
}

/// Tries before a passing failure counts as for good.
pub const MAX_ATTEMPTS: i32 = 5;

pub struct Sender<'a> {
    pub client: &'a WechatClient,
    /// `formal`, `trial` or `developer`: the mini-program a message opens.
    pub miniprogram_state: &'a str,
}

fn template(m: &outbox::Model) -> Option<&str> {
    m.payload.get("templateId")?.as_str()
}

/// The credit the message holds, reserving a free one when it holds none.
async fn reserve_credit(db: &DatabaseConnection, m: &outbox::Model, template: &str) -> ApiResult<Option<i64>> {
    let (Some(user_id), Some(notice)) = (m.user_id, m.notification_id) else {
        return Ok(None);
    };
    if let Some(held) = subscribe_credit::Entity::find()
        .filter(subscribe_credit::Column::NotificationId.eq(notice))
        .filter(subscribe_credit::Column::SpentAt.is_null())
        .one(db)
        .await?
    {
        return Ok(Some(held.id));
    }
    let free = subscribe_credit::Entity::find()
        .filter(subscribe_credit::Column::UserId.eq(user_id))
        .filter(subscribe_credit::Column::TemplateId.eq(template))
        .filter(subscribe_credit::Column::NotificationId.is_null())
        .filter(subscribe_credit::Column::SpentAt.is_null())
        .order_by_asc(subscribe_credit::Column::Id)
        .limit(5)
        .all(db)
        .await?;
    for credit in free {
        let taken = subscribe_credit::Entity::update_many()
            .col_expr(subscribe_credit::Column::NotificationId, Expr::value(notice))
            .filter(subscribe_credit::Column::Id.eq(credit.id))
            .filter(subscribe_credit::Column::NotificationId.is_null())
            .exec(db)
            .await?;
        if taken.rows_affected == 1 {
            return Ok(Some(credit.id));
        }
    }
    Ok(None)
}

async fn held_credit(db: &DatabaseConnection, m: &outbox::Model) -> ApiResult<Option<i64>> {
    let Some(notice) = m.notification_id else {
        return Ok(None);
    };
    Ok(subscribe_credit::Entity::find()
        .filter(subscribe_credit::Column::NotificationId.eq(notice))
        .filter(subscribe_credit::Column::SpentAt.is_null())
        .one(db)
        .await?
        .map(|c| c.id))
}

fn describe(err: &WechatError) -> String {
    match err.errcode() {
        Some(code) => format!("errcode {code}: {err}"),
        None => err.to_string(),
    }
}

impl super::Sender for Sender<'_> {
    const CHANNEL: OutboxChannel = OutboxChannel::Wechat;
    const MAX_ATTEMPTS: i32 = MAX_ATTEMPTS;
    const RESEND_STALE: bool = true;

    async fn ready(&self, db: &DatabaseConnection, m: &outbox::Model, _now: DateTime<Utc>) -> ApiResult<Ready> {
        let Some(template) = template(m).filter(|_| self.client.is_configured()) else {
            return Ok(Ready::Skip("微信未配置".into()));
        };
        Ok(match reserve_credit(db, m, template).await? {
            Some(_) => Ready::Go,
            None => Ready::Skip("用户未订阅，仅站内通知".into()),
        })
    }

    async fn send(&self, db: &DatabaseConnection, m: &outbox::Model) -> ApiResult<Sent> {
        let Some(credit) = held_credit(db, m).await? else {
            return Ok(Sent::Fail("订阅次数已被占用".into()));
        };
        let openid = match m.user_id {
            Some(id) => user::Entity::find_by_id(id).one(db).await?.map(|u| u.openid),
            None => None,
        };
        let message = serde_json::json!({
            "touser": openid.unwrap_or_default(),
            "template_id": template(m),
            "page": m.payload.get("page"),
            "data": m.payload.get("data"),
            "miniprogram_state": self.miniprogram_state,
            "lang": "zh_CN",
        });
        let release = || async {
            // WeChat consumed nothing: the credit goes back for the next notice.
            subscribe_credit::Entity::update_many()
                .col_expr(
                    subscribe_credit::Column::NotificationId,
                    Expr::value(Option::<i64>::None),
                )
                .filter(subscribe_credit::Column::Id.eq(credit))
                .exec(db)
                .await
        };
        Ok(match self.client.send_subscribe_message(&message).await {
            Ok(()) => {
                subscribe_credit::Entity::update_many()
                    .col_expr(subscribe_credit::Column::SpentAt, Expr::value(Utc::now()))
                    .filter(subscribe_credit::Column::Id.eq(credit))
                    .exec(db)
                    .await?;
                Sent::Ok
            }
            Err(err) if err.errcode() == Some(43101) => {
                // The person did not (or no longer) subscribe: the credit was never real.
                subscribe_credit::Entity::delete_by_id(credit).exec(db).await?;
                Sent::Fail(format!("errcode 43101: {err}"))
            }
            Err(err) if err.is_transient() && m.attempts + 1 < MAX_ATTEMPTS => Sent::Retry {
                error: describe(&err),
                after: None,
            },
            Err(err) => {
                release().await?;
                Sent::Fail(describe(&err))
            }
        })
    }
}

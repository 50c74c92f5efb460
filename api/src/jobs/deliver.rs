//! The delivery worker: sends the outbox's WeChat subscribe messages. Each send spends one
//! credit (one accepted `wx.requestSubscribeMessage`); no credit means in-app only. Transient
//! failures (-1, 45009, timeouts) retry with back-off; 43101 drops the credit; every row ends
//! `sent`, `failed` (with WeChat's errcode) or `skipped`, and none is sent twice.
use chrono::{DateTime, Duration, Utc};
use entity::{notification, subscribe_credit, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::error::ApiResult;
use crate::service::notify::{FAILED, PENDING, SENDING, SENT, SKIPPED};
use crate::state::AppState;

pub const MAX_ATTEMPTS: i32 = 5;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// Wait before attempt `n + 1`: 30 s, 1 min, 2 min, 4 min, ...
pub fn backoff(attempts: i32) -> Duration {
    Duration::seconds(30 * (1i64 << attempts.clamp(0, 10)))
}

async fn finish(
    state: &AppState,
    id: i64,
    status: &str,
    attempts: i32,
    error: Option<String>,
    next: Option<DateTime<Utc>>,
) -> ApiResult<()> {
    notification::Entity::update_many()
        .set(notification::ActiveModel {
            wechat_status: Set(status.to_owned()),
            attempts: Set(attempts),
            last_error: Set(error),
            next_attempt_at: Set(next),
            sent_at: Set((status == SENT).then(Utc::now)),
            claimed_at: Set(None),
            ..Default::default()
        })
        .filter(notification::Column::Id.eq(id))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// The credit this notification holds, reserving a free one when it holds none.
async fn reserve_credit(state: &AppState, n: &notification::Model, template: &str) -> ApiResult<Option<i64>> {
    if let Some(held) = subscribe_credit::Entity::find()
        .filter(subscribe_credit::Column::NotificationId.eq(n.id))
        .filter(subscribe_credit::Column::SpentAt.is_null())
        .one(&state.db)
        .await?
    {
        return Ok(Some(held.id));
    }
    let free = subscribe_credit::Entity::find()
        .filter(subscribe_credit::Column::UserId.eq(n.user_id))
        .filter(subscribe_credit::Column::TemplateId.eq(template))
        .filter(subscribe_credit::Column::NotificationId.is_null())
        .filter(subscribe_credit::Column::SpentAt.is_null())
        .order_by_asc(subscribe_credit::Column::Id)
        .limit(5)
        .all(&state.db)
        .await?;
    for credit in free {
        let taken = subscribe_credit::Entity::update_many()
            .col_expr(subscribe_credit::Column::NotificationId, Expr::value(n.id))
            .filter(subscribe_credit::Column::Id.eq(credit.id))
            .filter(subscribe_credit::Column::NotificationId.is_null())
            .exec(&state.db)
            .await?;
        if taken.rows_affected == 1 {
            return Ok(Some(credit.id));
        }
    }
    Ok(None)
}

pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> ApiResult<Report> {
    let mut report = Report::default();
    // A claim older than five minutes belongs to a worker that died: try again.
    notification::Entity::update_many()
        .col_expr(notification::Column::WechatStatus, Expr::value(PENDING))
        .filter(notification::Column::WechatStatus.eq(SENDING))
        .filter(notification::Column::ClaimedAt.lt(now - Duration::minutes(5)))
        .exec(&state.db)
        .await?;
    let due = notification::Entity::find()
        .filter(notification::Column::WechatStatus.eq(PENDING))
        .filter(notification::Column::NextAttemptAt.lte(now))
        .order_by_asc(notification::Column::Id)
        .limit(50)
        .all(&state.db)
        .await?;
    for n in due {
        let claimed = notification::Entity::update_many()
            .col_expr(notification::Column::WechatStatus, Expr::value(SENDING))
            .col_expr(notification::Column::ClaimedAt, Expr::value(now))
            .filter(notification::Column::Id.eq(n.id))
            .filter(notification::Column::WechatStatus.eq(PENDING))
            .exec(&state.db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let Some(template) = n.template_id.clone().filter(|_| state.wechat.is_configured()) else {
            finish(state, n.id, SKIPPED, n.attempts, Some("微信未配置".into()), None).await?;
            report.skipped += 1;
            continue;
        };
        let Some(credit) = reserve_credit(state, &n, &template).await? else {
            finish(
                state,
                n.id,
                SKIPPED,
                n.attempts,
                Some("用户未订阅，仅站内通知".into()),
                None,
            )
            .await?;
            report.skipped += 1;
            continue;
        };
        let openid = user::Entity::find_by_id(n.user_id)
            .one(&state.db)
            .await?
            .map(|u| u.openid)
            .unwrap_or_default();
        let message = serde_json::json!({
            "touser": openid,
            "template_id": template,
            "page": n.page,
            "data": n.wechat_data,
            "miniprogram_state": state.settings.wechat.miniprogram_state,
            "lang": "zh_CN",
        });
        let attempts = n.attempts + 1;
        match state.wechat.send_subscribe_message(&message).await {
            Ok(()) => {
                subscribe_credit::Entity::update_many()
                    .col_expr(subscribe_credit::Column::SpentAt, Expr::value(Utc::now()))
                    .filter(subscribe_credit::Column::Id.eq(credit))
                    .exec(&state.db)
                    .await?;
                finish(state, n.id, SENT, attempts, None, None).await?;
                report.sent += 1;
            }
            Err(err) if err.errcode() == Some(43101) => {
                // The person did not (or no longer) subscribe: the credit was never real.
                subscribe_credit::Entity::delete_by_id(credit).exec(&state.db).await?;
                finish(
                    state,
                    n.id,
                    FAILED,
                    attempts,
                    Some(format!("errcode 43101: {err}")),
                    None,
                )
                .await?;
                report.failed += 1;
            }
            Err(err) if err.is_transient() && attempts < MAX_ATTEMPTS => {
                finish(
                    state,
                    n.id,
                    PENDING,
                    attempts,
                    Some(describe(&err)),
                    Some(now + backoff(attempts)),
                )
                .await?;
                report.retried += 1;
            }
            Err(err) => {
                // WeChat consumed nothing: the credit goes back for the next notice.
                subscribe_credit::Entity::update_many()
                    .col_expr(
                        subscribe_credit::Column::NotificationId,
                        Expr::value(Option::<i64>::None),
                    )
                    .filter(subscribe_credit::Column::Id.eq(credit))
                    .exec(&state.db)
                    .await?;
                finish(state, n.id, FAILED, attempts, Some(describe(&err)), None).await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

fn describe(err: &crate::clients::wechat::WechatError) -> String {
    match err.errcode() {
        Some(code) => format!("errcode {code}: {err}"),
        None => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles() {
        assert_eq!(backoff(0), Duration::seconds(30));
        assert_eq!(backoff(1), Duration::seconds(60));
        assert_eq!(backoff(4), Duration::seconds(480));
    }
}

//! `Idempotency-Key`: a write repeated within 24 hours gets the first answer (same status,
//! same body) and changes nothing; the same key with a different request is refused.
use chrono::{Duration, Utc};
use entity::idempotency_key;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::service::is_unique_violation;

use entity::codes::IdempotencyStatus;
/// Longer than any request may take (the database's and WeChat's timeouts are seconds).
const STALE_SECS: i64 = 30;

fn in_progress() -> ApiError {
    ApiError::conflict("idempotency_in_progress", "相同的请求正在处理中，请稍后查看结果")
}

pub enum Begin {
    /// First time: do the work, then `finish` this row.
    Fresh(i64),
    /// Seen before: answer this.
    Replay { status: u16, body: String },
}

pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    format!("{method} {path} {}", hex::encode(Sha256::digest(body)))
}

/// Keys are 1–128 visible ASCII characters (a UUID is typical).
pub fn check_key(key: &str) -> ApiResult<()> {
    if key.is_empty() || key.len() > 128 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::bad_request(
            "invalid_idempotency_key",
            "Idempotency-Key 应为 1 到 128 个可见 ASCII 字符",
        ));
    }
    Ok(())
}

pub async fn begin(db: &impl ConnectionTrait, user_id: i64, key: &str, fingerprint: &str) -> ApiResult<Begin> {
    let expired = Utc::now() - Duration::hours(24);
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::UserId.eq(user_id))
        .filter(idempotency_key::Column::Key.eq(key))
        .filter(idempotency_key::Column::CreatedAt.lt(expired))
        .exec(db)
        .await?;
    let inserted = idempotency_key::ActiveModel {
        user_id: Set(user_id),
        key: Set(key.to_owned()),
        fingerprint: Set(fingerprint.to_owned()),
        status: Set(IdempotencyStatus::InProgress),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(row) => Ok(Begin::Fresh(row.id)),
        Err(err) if is_unique_violation(&err) => {
            let row = idempotency_key::Entity::find()
                .filter(idempotency_key::Column::UserId.eq(user_id))
                .filter(idempotency_key::Column::Key.eq(key))
                .one(db)
                .await?
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("idempotency row vanished")))?;
            if row.fingerprint != fingerprint {
                return Err(ApiError::Validation {
                    code: "idempotency_key_reused",
                    message: "该 Idempotency-Key 已用于另一个请求".into(),
                    fields: Vec::new(),
                });
            }
            match (row.status, row.response_status, row.response_body) {
                (IdempotencyStatus::Done, Some(status), Some(body)) => Ok(Begin::Replay {
                    status: u16::try_from(status).unwrap_or(200),
                    body,
                }),
                // Left in progress by a process that died (or could not reach the database to
                // give the key back): the repeat runs the request again. Writes that must not
                // run twice find their first result themselves (a demand keeps its key).
                (IdempotencyStatus::InProgress, _, _)
                    if row.created_at < Utc::now() - Duration::seconds(STALE_SECS) =>
                {
                    // Whoever moves the clock first takes it over; the others find it fresh.
                    let now = Utc::now();
                    let taken = idempotency_key::Entity::update_many()
                        .col_expr(idempotency_key::Column::CreatedAt, Expr::value(now))
                        .filter(idempotency_key::Column::Id.eq(row.id))
                        .filter(idempotency_key::Column::Status.eq(IdempotencyStatus::InProgress))
                        .filter(idempotency_key::Column::CreatedAt.lt(now - Duration::seconds(STALE_SECS)))
                        .exec(db)
                        .await?;
                    if taken.rows_affected == 1 {
                        Ok(Begin::Fresh(row.id))
                    } else {
                        Err(in_progress())
                    }
                }
                _ => Err(in_progress()),
            }
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn finish(db: &impl ConnectionTrait, row_id: i64, status: u16, body: &str) -> ApiResult<()> {
    idempotency_key::ActiveModel {
        id: Set(row_id),
        status: Set(IdempotencyStatus::Done),
        response_status: Set(Some(i32::from(status))),
        response_body: Set(Some(body.to_owned())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// A server fault is not remembered: the client may try again with the same key.
pub async fn abandon(db: &impl ConnectionTrait, row_id: i64) -> ApiResult<()> {
    idempotency_key::Entity::delete_by_id(row_id).exec(db).await?;
    Ok(())
}

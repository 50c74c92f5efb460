//! Refresh tokens: opaque, stored as SHA-256, rotated on every use. Presenting a spent token
//! means it was stolen or replayed, so the whole family (every token descended from that
//! sign-in) is revoked.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use entity::refresh_token;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn invalid() -> ApiError {
    ApiError::unauthorized("refresh_token_invalid", "登录已失效，请重新登录")
}

/// A refresh token as issued: the plain token, which exists only in this response, and its
/// family (the sign-in, named in the access tokens as their session).
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub family: String,
}

/// Starts a family (at sign-in) or continues one (at rotation).
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: i64,
    family: Option<String>,
    ttl_days: u64,
) -> ApiResult<Issued> {
    let token = new_token();
    let now = Utc::now();
    let family = family.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    refresh_token::ActiveModel {
        user_id: Set(user_id),
        family_id: Set(family.clone()),
        token_hash: Set(hash(&token)),
        expires_at: Set(now + Duration::days(i64::try_from(ttl_days).unwrap_or(30))),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Issued { token, family })
}

/// Ends a sign-in: its refresh tokens stop working, and so do its access tokens (the person's
/// standing, read with their roles, lists the sign-ins ended within an access token's life).
async fn revoke_family(db: &impl ConnectionTrait, family_id: &str) -> ApiResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    crate::service::people::grants_changed();
    Ok(())
}

/// The sign-ins of a person ended since `since`.
pub async fn ended_since(
    db: &impl ConnectionTrait,
    user_id: i64,
    since: chrono::DateTime<Utc>,
) -> ApiResult<Vec<String>> {
    use sea_orm::QuerySelect;
    Ok(refresh_token::Entity::find()
        .select_only()
        .column(refresh_token::Column::FamilyId)
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.gte(since))
        .distinct()
        .into_tuple()
        .all(db)
        .await?)
}

/// Spends `token` and returns the person and the next token of the family.
pub async fn rotate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    ttl_days: u64,
) -> ApiResult<(i64, Issued)> {
    let found = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?
        .ok_or_else(invalid)?;
    if found.used_at.is_some() || found.revoked_at.is_some() {
        if found.revoked_at.is_none() || found.used_at.is_some() {
            tracing::warn!(user_id = found.user_id, family = %found.family_id, "refresh token reused; revoking its family");
        }
        revoke_family(db, &found.family_id).await?;
        return Err(ApiError::unauthorized(
            "refresh_token_reused",
            "登录凭证已被使用，为安全起见请重新登录",
        ));
    }
    if found.expires_at <= Utc::now() {
        return Err(ApiError::unauthorized(
            "refresh_token_expired",
            "登录已过期，请重新登录",
        ));
    }
    let txn = crate::service::begin_write(db).await?;
    // Only one of two concurrent rotations can flip `used_at`; the other is a reuse.
    let spent = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::Id.eq(found.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        txn.rollback().await?;
        revoke_family(db, &found.family_id).await?;
        return Err(ApiError::unauthorized(
            "refresh_token_reused",
            "登录凭证已被使用，为安全起见请重新登录",
        ));
    }
    let next = issue(&txn, found.user_id, Some(found.family_id.clone()), ttl_days).await?;
    txn.commit().await?;
    Ok((found.user_id, next))
}

/// Sign-out: the token's family stops working. Unknown tokens are ignored (nothing to say).
pub async fn revoke(db: &impl ConnectionTrait, token: &str) -> ApiResult<()> {
    if let Some(found) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?
    {
        revoke_family(db, &found.family_id).await?;
    }
    Ok(())
}

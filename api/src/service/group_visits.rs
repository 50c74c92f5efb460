//! Visits from a card in a customer group: the mini-program sends `wx.getGroupEnterInfo`'s data,
//! the server opens it with the person's session key (kept sealed from their last sign-in),
//! asks WeCom which customer group the `opengid` is (`opengid_to_chatid`), and records the
//! visit; what the person then reads or files during it is the group's too.
use chrono::Utc;
use entity::{customer_group, group_activity, group_visit, wechat_session};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use secrecy::ExposeSecret;

use crate::clients::wecom::{WecomClient, WecomError};
use crate::domain::customer_group::open_group_ticket;
use crate::domain::sealed::SealKey;
use crate::error::{ApiError, ApiResult};
use crate::settings::Settings;

fn seal_key(settings: &Settings) -> SealKey {
    SealKey::derive(settings.auth.jwt_secret.expose_secret(), "wechat_session_key")
}

/// Keeps the session key `jscode2session` gave at sign-in, sealed, bound to the person.
pub async fn keep_session_key(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user_id: i64,
    key: &str,
) -> ApiResult<()> {
    let sealed = seal_key(settings).seal(key, &user_id.to_string());
    wechat_session::Entity::insert(wechat_session::ActiveModel {
        user_id: Set(user_id),
        sealed: Set(sealed),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(wechat_session::Column::UserId)
            .update_columns([wechat_session::Column::Sealed, wechat_session::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// 422 `group_entry_invalid`: the mini-program signs in again (a fresh session key) and retries.
pub fn entry_invalid() -> ApiError {
    let message = "群信息无法识别，请重新登录后再试";
    ApiError::Validation {
        code: "group_entry_invalid",
        message: message.into(),
        fields: vec![crate::error::FieldError::new(
            "encryptedData",
            "group_entry_invalid",
            message,
        )],
    }
}

/// Records a visit from a group ticket. The group is None when WeCom does not know the group
/// (a plain WeChat group, or another corp's) or in development mode; the visit counts anyway.
pub async fn enter(
    db: &impl ConnectionTrait,
    settings: &Settings,
    wecom: &WecomClient,
    app_id: Option<&str>,
    user_id: i64,
    encrypted: &str,
    iv: &str,
) -> ApiResult<(group_visit::Model, Option<customer_group::Model>)> {
    let sealed = wechat_session::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or_else(entry_invalid)?;
    let key = seal_key(settings)
        .open(&sealed.sealed, &user_id.to_string())
        .ok_or_else(entry_invalid)?;
    let app_id = app_id.ok_or_else(entry_invalid)?;
    let opengid = open_group_ticket(&key, encrypted, iv, app_id).map_err(|err| {
        tracing::info!(error = %err, user_id, "a group ticket did not open");
        entry_invalid()
    })?;
    let chat_id = match wecom.opengid_to_chatid(&opengid).await {
        Ok(chat) => Some(chat),
        Err(WecomError::NotConfigured) => {
            tracing::info!(
                opengid,
                "development mode: would resolve the group with opengid_to_chatid"
            );
            None
        }
        // Not a customer group of this corp: a visit from elsewhere.
        Err(WecomError::Refused { errcode, .. }) => {
            tracing::info!(errcode, "opengid is not one of our customer groups");
            None
        }
        Err(err) => {
            tracing::warn!(error = %err, "opengid_to_chatid failed");
            None
        }
    };
    let group = match &chat_id {
        Some(chat) => crate::service::customer_groups::by_chat(db, chat).await?,
        None => None,
    };
    let visit = group_visit::ActiveModel {
        user_id: Set(user_id),
        chat_id: Set(chat_id),
        group_id: Set(group.as_ref().map(|g| g.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if let Some(g) = &group {
        record(db, g.id, visit.id, "visit", 0, user_id).await?;
    }
    Ok((visit, group))
}

async fn record(
    db: &impl ConnectionTrait,
    group_id: i64,
    visit_id: i64,
    kind: &str,
    object_id: i64,
    user_id: i64,
) -> ApiResult<()> {
    group_activity::Entity::insert(group_activity::ActiveModel {
        group_id: Set(group_id),
        visit_id: Set(visit_id),
        kind: Set(kind.to_owned()),
        object_id: Set(object_id),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            group_activity::Column::VisitId,
            group_activity::Column::Kind,
            group_activity::Column::ObjectId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The person's own visit with its group; 422 on `field` for anyone else's or an unknown one.
pub async fn of(
    db: &impl ConnectionTrait,
    user_id: i64,
    visit_id: i64,
    field: &str,
) -> ApiResult<(group_visit::Model, Option<customer_group::Model>)> {
    let visit = group_visit::Entity::find_by_id(visit_id)
        .one(db)
        .await?
        .filter(|v| v.user_id == user_id)
        .ok_or_else(|| ApiError::invalid_field(field, "not_found", "群访问记录不存在"))?;
    let group = match visit.group_id {
        Some(id) => customer_group::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    Ok((visit, group))
}

/// A policy read during a visit from a group (once per visit and policy).
pub async fn read(db: &impl ConnectionTrait, user_id: i64, visit_id: i64, policy_id: i64) -> ApiResult<()> {
    let (visit, group) = of(db, user_id, visit_id, "groupVisit").await?;
    if let Some(g) = group {
        record(db, g.id, visit.id, "read", policy_id, user_id).await?;
    }
    Ok(())
}

/// A group's visits and policy reads.
pub async fn figures(db: &impl ConnectionTrait, group_id: i64) -> ApiResult<(u64, u64)> {
    let count = |kind: &'static str| async move {
        group_activity::Entity::find()
            .filter(group_activity::Column::GroupId.eq(group_id))
            .filter(group_activity::Column::Kind.eq(kind))
            .count(db)
            .await
    };
    Ok((count("visit").await?, count("read").await?))
}

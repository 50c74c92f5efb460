//! Enterprises: their registry facts, profile, butler and invite code.
use base64::Engine;
use chrono::{NaiveDate, Utc};
use entity::enterprise;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};

use crate::domain::access::Owner;
use crate::domain::enterprise::{Scale, ServiceTier};
use crate::domain::role::Role;
use crate::domain::uscc::Uscc;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::{callbacks, is_unique_violation, people};

#[derive(Debug, Clone)]
pub struct EnterpriseInput {
    pub name: String,
    pub uscc: Uscc,
    pub industry_code: String,
    pub scale: Scale,
    pub registered_at: NaiveDate,
    pub qualifications: Vec<String>,
    pub tags: Vec<String>,
    pub district: Option<String>,
    pub service_tier: ServiceTier,
    pub butler_user_id: Option<i64>,
}

/// A partial update; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct EnterprisePatch {
    pub name: Option<String>,
    pub industry_code: Option<String>,
    pub scale: Option<Scale>,
    pub registered_at: Option<NaiveDate>,
    pub qualifications: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub district: Option<Option<String>>,
    pub service_tier: Option<ServiceTier>,
    pub butler_user_id: Option<Option<i64>>,
}

impl EnterprisePatch {
    /// Whether the patch only touches the profile an enterprise keeps itself.
    pub fn is_profile_only(&self) -> bool {
        self.name.is_none()
            && self.registered_at.is_none()
            && self.service_tier.is_none()
            && self.butler_user_id.is_none()
    }
}

pub fn owner(e: &enterprise::Model) -> Owner {
    Owner {
        enterprise_id: Some(e.id),
        butler_id: e.butler_user_id,
        ..Owner::default()
    }
}

pub fn labels(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

async fn check_butler(db: &impl ConnectionTrait, butler: Option<i64>) -> ApiResult<()> {
    if let Some(id) = butler {
        let roles = people::active_roles(db, id).await?;
        if !roles.is_some_and(|r| r.iter().any(|r| r.role == Role::Butler)) {
            return Err(ApiError::invalid(vec![FieldError::new(
                "butlerId",
                "not_a_butler",
                "指定的人员不是企业服务管家",
            )]));
        }
    }
    Ok(())
}

fn exists() -> ApiError {
    ApiError::Validation {
        code: "enterprise_exists",
        message: "该统一社会信用代码的企业已存在".into(),
        fields: vec![FieldError::new("uscc", "duplicate", "该统一社会信用代码已登记")],
    }
}

pub async fn create(db: &impl ConnectionTrait, input: EnterpriseInput) -> ApiResult<enterprise::Model> {
    check_butler(db, input.butler_user_id).await?;
    if find_by_uscc(db, &input.uscc).await?.is_some() {
        return Err(exists());
    }
    let now = Utc::now();
    enterprise::ActiveModel {
        name: Set(input.name),
        uscc: Set(input.uscc.as_str().to_owned()),
        industry_code: Set(input.industry_code),
        scale: Set(input.scale),
        registered_at: Set(input.registered_at),
        qualifications: Set(serde_json::json!(input.qualifications)),
        tags: Set(serde_json::json!(input.tags)),
        district: Set(input.district),
        service_tier: Set(input.service_tier),
        butler_user_id: Set(input.butler_user_id),
        invite_code: Set(None),
        needs_callback: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| if is_unique_violation(&e) { exists() } else { e.into() })
}

/// Registers a new enterprise and its call-back task, in one transaction.
pub async fn register<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    input: EnterpriseInput,
    plan: &callbacks::Plan<'_>,
) -> ApiResult<enterprise::Model> {
    let txn = crate::service::begin_write(db).await?;
    let e = create(&txn, input).await?;
    callbacks::create_for(&txn, &[(e.id, e.butler_user_id)], plan).await?;
    txn.commit().await?;
    Ok(e)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<enterprise::Model> {
    enterprise::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("enterprise_not_found", "企业不存在"))
}

/// Writes of enterprise profiles made by this process.
static WRITES: crate::copies::Writes = crate::copies::Writes::new();

pub type EnterpriseCopies = crate::copies::Copies<std::sync::Arc<enterprise::Model>>;

pub fn copies() -> EnterpriseCopies {
    crate::copies::Copies::new(&WRITES)
}

/// An enterprise as read at most `copies::TTL` ago (or since this replica last changed one),
/// for the hot reads that only rank by the profile (the policy feed).
pub async fn recent(
    db: &sea_orm::DatabaseConnection,
    copies: &std::sync::Arc<EnterpriseCopies>,
    id: i64,
) -> ApiResult<std::sync::Arc<enterprise::Model>> {
    copies
        .get_or_read(id, || {
            let db = db.clone();
            async move { get(&db, id).await.map(std::sync::Arc::new) }
        })
        .await
}

/// Enterprise names by id.
pub async fn names(db: &impl ConnectionTrait, ids: &[i64]) -> ApiResult<std::collections::HashMap<i64, String>> {
    Ok(enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect())
}

/// Each enterprise's name and butler, by id.
pub async fn names_and_butlers(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<std::collections::HashMap<i64, (String, Option<i64>)>> {
    Ok(enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, (e.name, e.butler_user_id)))
        .collect())
}

pub async fn find_by_uscc(db: &impl ConnectionTrait, uscc: &Uscc) -> ApiResult<Option<enterprise::Model>> {
    Ok(enterprise::Entity::find()
        .filter(enterprise::Column::Uscc.eq(uscc.as_str()))
        .one(db)
        .await?)
}

pub async fn update(db: &impl ConnectionTrait, id: i64, patch: EnterprisePatch) -> ApiResult<enterprise::Model> {
    let current = get(db, id).await?;
    if let Some(butler) = patch.butler_user_id {
        check_butler(db, butler).await?;
    }
    let mut active: enterprise::ActiveModel = current.into();
    if let Some(v) = patch.name {
        active.name = Set(v);
    }
    if let Some(v) = patch.industry_code {
        active.industry_code = Set(v);
    }
    if let Some(v) = patch.scale {
        active.scale = Set(v);
    }
    if let Some(v) = patch.registered_at {
        active.registered_at = Set(v);
    }
    if let Some(v) = patch.qualifications {
        active.qualifications = Set(serde_json::json!(v));
    }
    if let Some(v) = patch.tags {
        active.tags = Set(serde_json::json!(v));
    }
    if let Some(v) = patch.district {
        active.district = Set(v);
    }
    if let Some(v) = patch.service_tier {
        active.service_tier = Set(v);
    }
    if let Some(v) = patch.butler_user_id {
        active.butler_user_id = Set(v);
        // The new butler takes over the enterprise's open demands.
        crate::copies::ANSWERED_WRITES.bump();
        entity::demand::Entity::update_many()
            .col_expr(entity::demand::Column::ButlerId, sea_orm::sea_query::Expr::value(v))
            .filter(entity::demand::Column::EnterpriseId.eq(id))
            .filter(entity::demand::Column::ClosedAt.is_null())
            .exec(db)
            .await?;
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(db).await?;
    // After the write (committed: callers pass the pool), so no copy older than it serves.
    WRITES.bump();
    Ok(updated)
}

/// Whose enterprises a list shows.
#[derive(Debug, Clone, Copy)]
pub enum ListScope {
    All,
    ServedBy(i64),
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Part of the name or the USCC.
    pub q: Option<String>,
    pub industry_prefix: Option<String>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: ListScope,
    filter: &ListFilter,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<enterprise::Model>> {
    let mut query = enterprise::Entity::find()
        .order_by_desc(enterprise::Column::Id)
        .limit(limit + 1);
    if let ListScope::ServedBy(butler) = scope {
        query = query.filter(enterprise::Column::ButlerUserId.eq(butler));
    }
    if let Some(after) = after_id {
        query = query.filter(enterprise::Column::Id.lt(after));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        query = query.filter(
            sea_orm::Condition::any()
                .add(crate::service::contains(enterprise::Column::Name, q))
                .add(enterprise::Column::Uscc.eq(q.to_ascii_uppercase())),
        );
    }
    if let Some(prefix) = filter.industry_prefix.as_deref().filter(|p| !p.is_empty()) {
        query = query.filter(crate::service::starts_with(enterprise::Column::IndustryCode, prefix));
    }
    Ok(query.all(db).await?)
}

/// A fresh 8-character invite code (the old one stops working).
pub async fn rotate_invite_code(db: &impl ConnectionTrait, id: i64) -> ApiResult<String> {
    let current = get(db, id).await?;
    let mut bytes = [0u8; 6];
    rand::rng().fill_bytes(&mut bytes);
    let code = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(bytes)
        .to_ascii_uppercase()
        .replace(['-', '_'], "X");
    let mut active: enterprise::ActiveModel = current.into();
    active.invite_code = Set(Some(code.clone()));
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(code)
}

//! Participating units (职能单位): customs, tax, market regulation, ...
use chrono::Utc;
use entity::unit;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::error::{ApiError, ApiResult};
use crate::service::is_unique_violation;

#[derive(Debug, Clone)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    pub contact_phone: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct UnitPatch {
    pub name: Option<String>,
    pub contact_phone: Option<Option<String>>,
    pub description: Option<Option<String>>,
}

fn exists() -> ApiError {
    ApiError::conflict("unit_exists", "已有相同代码或名称的单位")
}

pub async fn create(db: &impl ConnectionTrait, input: UnitInput) -> ApiResult<unit::Model> {
    let now = Utc::now();
    unit::ActiveModel {
        code: Set(input.code),
        name: Set(input.name),
        contact_phone: Set(input.contact_phone),
        description: Set(input.description),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| if is_unique_violation(&e) { exists() } else { e.into() })
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<unit::Model> {
    unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("unit_not_found", "单位不存在"))
}

pub async fn update(db: &impl ConnectionTrait, id: i64, patch: UnitPatch) -> ApiResult<unit::Model> {
    let mut active: unit::ActiveModel = get(db, id).await?.into();
    if let Some(name) = patch.name {
        active.name = Set(name);
    }
    if let Some(phone) = patch.contact_phone {
        active.contact_phone = Set(phone);
    }
    if let Some(description) = patch.description {
        active.description = Set(description);
    }
    active.updated_at = Set(Utc::now());
    active
        .update(db)
        .await
        .map_err(|e| if is_unique_violation(&e) { exists() } else { e.into() })
}

/// Units in the order they were created (a short list: the zone has 17).
pub async fn list(db: &impl ConnectionTrait, after_id: Option<i64>, limit: u64) -> ApiResult<Vec<unit::Model>> {
    let mut query = unit::Entity::find().order_by_asc(unit::Column::Id).limit(limit + 1);
    if let Some(after) = after_id {
        query = query.filter(unit::Column::Id.gt(after));
    }
    Ok(query.all(db).await?)
}

/// Every unit, in the order they were created.
pub async fn all(db: &impl ConnectionTrait) -> ApiResult<Vec<unit::Model>> {
    Ok(unit::Entity::find().order_by_asc(unit::Column::Id).all(db).await?)
}

/// Each unit's id under its name and under its code (a sheet names units either way).
pub async fn by_name_or_code(db: &impl ConnectionTrait) -> ApiResult<std::collections::HashMap<String, i64>> {
    let mut out = std::collections::HashMap::new();
    for u in all(db).await? {
        out.insert(u.code.clone(), u.id);
        out.insert(u.name.clone(), u.id);
    }
    Ok(out)
}

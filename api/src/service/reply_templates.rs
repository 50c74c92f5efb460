//! Reply templates per environment and unit: a handler picks one and edits it before sending.
use chrono::Utc;
use entity::reply_template;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::demand::Environment;
use crate::error::{ApiError, ApiResult};

pub async fn create(
    db: &impl ConnectionTrait,
    environment: Option<Environment>,
    unit_id: Option<i64>,
    title: String,
    content: String,
) -> ApiResult<reply_template::Model> {
    Ok(reply_template::ActiveModel {
        environment: Set(environment.map(|e| e.code().to_owned())),
        unit_id: Set(unit_id),
        title: Set(title),
        content: Set(content),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Templates that fit: those of the environment (or for every environment) and of the units
/// given (or for every unit).
pub async fn matching(
    db: &impl ConnectionTrait,
    environment: Option<Environment>,
    units: Option<Vec<i64>>,
) -> ApiResult<Vec<reply_template::Model>> {
    let mut q = reply_template::Entity::find().order_by_asc(reply_template::Column::Id);
    if let Some(env) = environment {
        q = q.filter(
            Condition::any()
                .add(reply_template::Column::Environment.eq(env))
                .add(reply_template::Column::Environment.is_null()),
        );
    }
    if let Some(units) = units {
        q = q.filter(
            Condition::any()
                .add(reply_template::Column::UnitId.is_in(units))
                .add(reply_template::Column::UnitId.is_null()),
        );
    }
    Ok(q.all(db).await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<reply_template::Model> {
    reply_template::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("reply_template_not_found", "答复模板不存在"))
}

pub async fn delete(db: &impl ConnectionTrait, id: i64) -> ApiResult<()> {
    reply_template::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

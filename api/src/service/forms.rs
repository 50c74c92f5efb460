//! Form templates: versioned, never edited in place.
use chrono::Utc;
use entity::form_template;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::form::FormTemplate;
use crate::error::{ApiError, ApiResult};

/// Adds a template, or a new version of the template `key`.
pub async fn save(
    db: &impl ConnectionTrait,
    key: Option<&str>,
    title: String,
    body: &FormTemplate,
    created_by: i64,
) -> ApiResult<form_template::Model> {
    body.check().map_err(|fields| {
        ApiError::invalid(
            fields
                .into_iter()
                .map(|mut f| {
                    f.field = format!("body.{}", f.field);
                    f
                })
                .collect(),
        )
    })?;
    let (key, version) = match key {
        Some(k) => {
            let latest = form_template::Entity::find()
                .filter(form_template::Column::Key.eq(k))
                .order_by_desc(form_template::Column::Version)
                .one(db)
                .await?
                .ok_or_else(|| ApiError::not_found("form_not_found", "表单不存在"))?;
            (k.to_owned(), latest.version + 1)
        }
        None => (uuid::Uuid::new_v4().simple().to_string(), 1),
    };
    Ok(form_template::ActiveModel {
        key: Set(key),
        version: Set(version),
        title: Set(title),
        body: Set(serde_json::to_value(body).map_err(ApiError::internal)?),
        created_by: Set(Some(created_by)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// A form as a list shows it.
pub struct Listed {
    pub form: form_template::Model,
    pub questions: usize,
    /// No newer version of this form exists.
    pub latest: bool,
    /// Events that use this version.
    pub used_by: u64,
}

/// Forms, newest first (`limit` of them, and one more when there are more).
pub async fn list(db: &impl ConnectionTrait, after_id: Option<i64>, limit: u64) -> ApiResult<Vec<Listed>> {
    use sea_orm::{PaginatorTrait, QuerySelect};
    let mut q = form_template::Entity::find()
        .order_by_desc(form_template::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after_id {
        q = q.filter(form_template::Column::Id.lt(after));
    }
    let mut out = Vec::new();
    for form in q.all(db).await? {
        let newer = form_template::Entity::find()
            .filter(form_template::Column::Key.eq(form.key.as_str()))
            .filter(form_template::Column::Version.gt(form.version))
            .count(db)
            .await?;
        let used_by = entity::event::Entity::find()
            .filter(entity::event::Column::FormTemplateId.eq(form.id))
            .count(db)
            .await?;
        let questions = parse(&form).map(|t| t.questions().count()).unwrap_or(0);
        out.push(Listed {
            form,
            questions,
            latest: newer == 0,
            used_by,
        });
    }
    Ok(out)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<form_template::Model> {
    form_template::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("form_not_found", "表单不存在"))
}

pub fn parse(model: &form_template::Model) -> ApiResult<FormTemplate> {
    serde_json::from_value(model.body.clone()).map_err(ApiError::internal)
}

/// The form of an event (a scorecard round, a mystery-shopper week), with its id.
pub async fn of_event(db: &impl ConnectionTrait, e: &entity::event::Model) -> ApiResult<(i64, FormTemplate)> {
    let id = e
        .form_template_id
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("event {} has no form", e.id)))?;
    Ok((id, parse(&get(db, id).await?)?))
}

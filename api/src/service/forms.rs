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

/// Forms, newest first (`limit` of them, and one more when there are more): three queries
/// whatever the page's size.
pub async fn list(db: &impl ConnectionTrait, after_id: Option<i64>, limit: u64) -> ApiResult<Vec<Listed>> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::Expr;
    use std::collections::HashMap;
    let mut q = form_template::Entity::find()
        .order_by_desc(form_template::Column::Id)
        .limit(limit + 1);
    if let Some(after) = after_id {
        q = q.filter(form_template::Column::Id.lt(after));
    }
    let forms = q.all(db).await?;
    let keys: Vec<String> = forms.iter().map(|f| f.key.clone()).collect();
    let newest: HashMap<String, i32> = form_template::Entity::find()
        .select_only()
        .column(form_template::Column::Key)
        .column_as(form_template::Column::Version.max(), "v")
        .filter(form_template::Column::Key.is_in(keys))
        .group_by(form_template::Column::Key)
        .into_tuple::<(String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let used: HashMap<i64, i64> = entity::event::Entity::find()
        .select_only()
        .column(entity::event::Column::FormTemplateId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(entity::event::Column::FormTemplateId.is_in(forms.iter().map(|f| f.id)))
        .group_by(entity::event::Column::FormTemplateId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    forms
        .into_iter()
        .map(|form| {
            Ok(Listed {
                questions: parse(&form)?.questions().count(),
                latest: newest.get(&form.key).is_none_or(|v| *v <= form.version),
                used_by: used.get(&form.id).map_or(0, |n| n.unsigned_abs()),
                form,
            })
        })
        .collect()
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

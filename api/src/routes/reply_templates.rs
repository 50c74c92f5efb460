//! Reply templates: admins keep them for any unit, handlers for their own unit.
use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{AuthUser, Owner};
use crate::domain::access::{DESK_STAFF, HANDLERS, OWN_UNIT_OR_ADMIN};
use crate::domain::demand::Environment;
use crate::domain::role::Role;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Json;
use crate::routes::{no_errors, required_text};
use crate::service::reply_templates;
use crate::state::AppState;
use crate::types::Id;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_reply_templates)
        .service(create_reply_template)
        .service(delete_reply_template);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplyTemplateResponse {
    pub id: Id,
    /// Null: fits every environment.
    #[schema(value_type = Option<crate::domain::demand::Environment>)]
    pub environment: Option<String>,
    /// Null: fits every unit.
    pub unit_id: Option<Id>,
    pub title: String,
    pub content: String,
}

impl From<entity::reply_template::Model> for ReplyTemplateResponse {
    fn from(t: entity::reply_template::Model) -> Self {
        Self {
            id: Id(t.id),
            environment: t.environment,
            unit_id: t.unit_id.map(Id),
            title: t.title,
            content: t.content,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// Only templates that fit this environment.
    pub environment: Option<Environment>,
}

/// Templates for the caller: a handler gets their units' and the general ones.
#[utoipa::path(tag = "demands", params(TemplateQuery), responses((status = 200, body = [ReplyTemplateResponse]), (status = 403, body = ErrorBody)))]
#[get("/reply-templates")]
pub async fn list_reply_templates(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<TemplateQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DESK_STAFF)?;
    let units = if auth.is_admin() || auth.has_role(Role::Butler) {
        None
    } else {
        Some(auth.unit_ids().collect())
    };
    let rows = reply_templates::matching(&state.db, query.parse()?.environment, units).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ReplyTemplateResponse::from).collect::<Vec<_>>()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateReplyTemplateRequest {
    pub environment: Option<Environment>,
    /// Handlers must name their unit; admins may leave it out (every unit).
    pub unit_id: Option<Id>,
    pub title: String,
    pub content: String,
}

/// Add a template (admins; handlers for their own unit).
#[utoipa::path(tag = "demands", request_body = CreateReplyTemplateRequest, responses((status = 201, body = ReplyTemplateResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/reply-templates")]
pub async fn create_reply_template(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<CreateReplyTemplateRequest>,
) -> ApiResult<HttpResponse> {
    // Who may keep templates at all, before the body; then the unit it names.
    auth.require_role(HANDLERS)?;
    let b = body.parse()?;
    let unit_id = b.unit_id.map(|i| i.0);
    auth.require(
        OWN_UNIT_OR_ADMIN,
        &Owner {
            unit_id,
            ..Owner::default()
        },
    )?;
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 30, &mut errors);
    let content = required_text(&b.content, "content", 2000, &mut errors);
    no_errors(errors)?;
    if let Some(u) = unit_id {
        crate::service::units::get(&state.db, u)
            .await
            .map_err(|e| e.missing_as_field("unitId", "not_found", "单位不存在"))?;
    }
    let t = reply_templates::create(&state.db, b.environment, unit_id, title, content).await?;
    Ok(HttpResponse::Created().json(ReplyTemplateResponse::from(t)))
}

/// Remove a template (admins; handlers for their own unit).
#[utoipa::path(tag = "demands", params(("id" = String, Path)), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/reply-templates/{id}")]
pub async fn delete_reply_template(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let t = reply_templates::get(&state.db, id.into_inner()).await?;
    auth.require(
        OWN_UNIT_OR_ADMIN,
        &Owner {
            unit_id: t.unit_id,
            ..Owner::default()
        },
    )?;
    reply_templates::delete(&state.db, t.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

//! Participating units. Every signed-in person may read the directory; admins manage it.
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::error::{ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::{no_errors, optional_text, required_text};
use crate::service::units;
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, local_time};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_units)
        .service(create_unit)
        .service(get_unit)
        .service(update_unit);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnitResponse {
    pub id: Id,
    /// Short stable code, e.g. `tax`.
    pub code: String,
    pub name: String,
    pub contact_phone: Option<String>,
    pub description: Option<String>,
    pub created_at: DateTime<FixedOffset>,
}

impl From<entity::unit::Model> for UnitResponse {
    fn from(u: entity::unit::Model) -> Self {
        Self {
            id: Id(u.id),
            code: u.code,
            name: u.name,
            contact_phone: u.contact_phone,
            description: u.description,
            created_at: local_time(u.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateUnitRequest {
    /// Lower-case letters, digits and `-`, e.g. `tax`.
    pub code: String,
    pub name: String,
    pub contact_phone: Option<String>,
    pub description: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateUnitRequest {
    pub name: Option<String>,
    /// Empty string clears it.
    pub contact_phone: Option<String>,
    /// Empty string clears it.
    pub description: Option<String>,
}

/// The unit directory, in creation order.
#[utoipa::path(tag = "units", params(PageQuery), responses((status = 200, body = Page<UnitResponse>), (status = 401, body = ErrorBody)))]
#[get("/units")]
pub async fn list_units(
    state: web::Data<AppState>,
    _auth: AuthUser,
    query: crate::extract::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.parse()?;
    let limit = query.limit()?;
    let rows = units::list(&state.db, query.after_id()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |u| u.id, UnitResponse::from)))
}

/// Add a unit (admins).
#[utoipa::path(tag = "units", request_body = CreateUnitRequest, responses((status = 201, body = UnitResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/units")]
pub async fn create_unit(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<CreateUnitRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let body = body.parse()?;
    let mut errors = Vec::new();
    let code = body.code.trim().to_owned();
    if code.is_empty()
        || code.len() > 32
        || !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push(FieldError::new(
            "code",
            "invalid_code",
            "单位代码只能包含小写字母、数字和 -，最多 32 位",
        ));
    }
    let name = required_text(&body.name, "name", 50, &mut errors);
    let contact_phone = optional_text(body.contact_phone.as_deref(), "contactPhone", 30, &mut errors);
    let description = optional_text(body.description.as_deref(), "description", 500, &mut errors);
    no_errors(errors)?;
    let unit = units::create(
        &state.db,
        units::UnitInput {
            code,
            name,
            contact_phone,
            description,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(UnitResponse::from(unit)))
}

/// One unit.
#[utoipa::path(tag = "units", params(("id" = String, Path)), responses((status = 200, body = UnitResponse), (status = 404, body = ErrorBody)))]
#[get("/units/{id}")]
pub async fn get_unit(state: web::Data<AppState>, _auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(UnitResponse::from(units::get(&state.db, id.into_inner()).await?)))
}

/// Change a unit (admins).
#[utoipa::path(tag = "units", params(("id" = String, Path)), request_body = UpdateUnitRequest, responses((status = 200, body = UnitResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/units/{id}")]
pub async fn update_unit(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<UpdateUnitRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let body = body.parse()?;
    let mut errors = Vec::new();
    let name = body.name.as_deref().map(|n| required_text(n, "name", 50, &mut errors));
    let contact_phone = body
        .contact_phone
        .as_deref()
        .map(|p| optional_text(Some(p), "contactPhone", 30, &mut errors));
    let description = body
        .description
        .as_deref()
        .map(|d| optional_text(Some(d), "description", 500, &mut errors));
    no_errors(errors)?;
    let unit = units::update(
        &state.db,
        id.into_inner(),
        units::UnitPatch {
            name,
            contact_phone,
            description,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(UnitResponse::from(unit)))
}

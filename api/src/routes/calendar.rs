//! The working-day calendar: everyone signed in reads it; admins enter holidays and 调休 days.
use actix_web::{HttpResponse, delete, get, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Json;
use crate::routes::{no_errors, optional_text};
use crate::service::calendar;
use crate::state::AppState;
use crate::types::today;
use entity::codes::DayKind;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_calendar)
        .service(put_calendar_day)
        .service(delete_calendar_day);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CalendarDayResponse {
    pub date: NaiveDate,
    /// `off` (holiday) or `work` (a weekend day worked, 调休).
    pub kind: DayKind,
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CalendarResponse {
    pub days: Vec<CalendarDayResponse>,
    /// Set when the coming 60 days are not entered: deadlines then count plain weekends only.
    pub warning: Option<String>,
}

/// The calendar and, when the coming 60 days are not entered, a warning.
#[utoipa::path(tag = "calendar", responses((status = 200, body = CalendarResponse)))]
#[get("/calendar")]
pub async fn get_calendar(state: web::Data<AppState>, _auth: AuthUser) -> ApiResult<HttpResponse> {
    let days = calendar::days(&state.db).await?;
    let cal = calendar::load(&state.db).await?;
    Ok(HttpResponse::Ok().json(CalendarResponse {
        warning: cal.coverage_warning(today()),
        days: days
            .into_iter()
            .map(|d| CalendarDayResponse {
                date: d.day,
                kind: d.kind,
                name: d.name,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CalendarDayRequest {
    pub kind: DayKind,
    pub name: Option<String>,
}

/// Enter or change a day (admins).
#[utoipa::path(tag = "calendar", params(("date" = String, Path, description = "YYYY-MM-DD")), request_body = CalendarDayRequest, responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/calendar/{date}")]
pub async fn put_calendar_day(
    state: web::Data<AppState>,
    auth: AuthUser,
    date: web::Path<NaiveDate>,
    body: Json<CalendarDayRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let b = body.parse()?;
    let kind = b.kind;
    let mut errors = Vec::new();
    let name = optional_text(b.name.as_deref(), "name", 20, &mut errors);
    no_errors(errors)?;
    calendar::put_day(&state.db, date.into_inner(), kind, name).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove a day: it follows the weekday rule again (admins).
#[utoipa::path(tag = "calendar", params(("date" = String, Path, description = "YYYY-MM-DD")), responses((status = 204), (status = 403, body = ErrorBody)))]
#[delete("/calendar/{date}")]
pub async fn delete_calendar_day(
    state: web::Data<AppState>,
    auth: AuthUser,
    date: web::Path<NaiveDate>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    calendar::delete_day(&state.db, date.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

//! The GB/T 4754-2017 classification, for the pickers of the enterprise profile.
use actix_web::{HttpResponse, get};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::industry;
use crate::error::{ApiResult, ErrorBody};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(search_industries);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IndustryResponse {
    /// A class (小类) with its section letter, e.g. `I6513`.
    pub code: String,
    pub name: String,
    pub level: u8,
    /// The names from the section down, joined by ` › `.
    pub path: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndustryQuery {
    /// The start of a code (`I65`, `6513`) or part of a name (`软件`).
    pub q: Option<String>,
    /// At most this many (default 20, at most 50).
    pub limit: Option<usize>,
}

/// Industry classes by code or name (signed-in users); an empty query gives none.
#[utoipa::path(tag = "enterprises", params(IndustryQuery), responses((status = 200, body = [IndustryResponse]), (status = 401, body = ErrorBody)))]
#[get("/industries")]
pub async fn search_industries(
    _auth: AuthUser,
    query: crate::extract::Query<IndustryQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.parse()?;
    let limit = query.limit.unwrap_or(20).clamp(1, 50);
    let found: Vec<IndustryResponse> = industry::search(query.q.as_deref().unwrap_or(""), limit)
        .into_iter()
        .map(|i| IndustryResponse {
            code: i.code.clone(),
            name: i.name.clone(),
            level: i.level,
            path: industry::path(&i.code),
        })
        .collect();
    Ok(HttpResponse::Ok().json(found))
}

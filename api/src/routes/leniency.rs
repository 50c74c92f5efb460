//! The 轻微违法免罚 / 首违不罚 lists: admins import and publish them; everyone signed in searches
//! the published entries.
use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::domain::leniency::LeniencyList;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Query;
use crate::routes::files::{UploadForm, read_upload};
use crate::routes::plans::PlanImportQuery;
use crate::service::leniency as service;
use crate::service::sheet_import::ImportReport;
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, split_page};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_leniency)
        .service(publish_leniency)
        .service(search_leniency);
}

/// Import entries from a sheet as drafts (admins): columns 清单类型 (轻微违法免罚 or 首违不罚;
/// empty: 轻微违法免罚), 违法行为, 法律依据, 适用条件, 实施单位 (by name or code). All or nothing.
#[utoipa::path(tag = "leniency", params(PlanImportQuery), request_body(content = UploadForm, content_type = "multipart/form-data"), responses(
    (status = 200, body = ImportReport),
    (status = 403, body = ErrorBody),
    (status = 422, description = "`import_rejected` with `rows[N].field` errors, or `invalid_import_file`", body = ErrorBody),
))]
#[post("/leniency-items/import")]
pub async fn import_leniency(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<PlanImportQuery>,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let dry_run = query.parse()?.dry_run;
    let (_, bytes) = read_upload(form, state.settings.uploads.import_max_bytes).await?;
    Ok(HttpResponse::Ok().json(service::import(&state.db, &bytes, dry_run).await?))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublishedCount {
    pub published: u64,
}

/// Publish every draft entry (admins).
#[utoipa::path(tag = "leniency", responses((status = 200, body = PublishedCount), (status = 403, body = ErrorBody)))]
#[post("/leniency-items/publish")]
pub async fn publish_leniency(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let published = service::publish(&state.db).await?;
    Ok(HttpResponse::Ok().json(PublishedCount { published }))
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct LeniencyQuery {
    /// Words (cut as the policy search cuts Chinese); every one must appear.
    pub q: Option<String>,
    pub list: Option<LeniencyList>,
    pub unit_id: Option<Id>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LeniencyItemResponse {
    pub id: Id,
    pub list: LeniencyList,
    pub list_label: String,
    pub item: String,
    pub legal_basis: String,
    pub conditions: String,
    pub unit_id: Id,
    pub unit_name: String,
    pub published: bool,
}

/// Search the lists (anyone signed in: the published entries; admins: drafts too), in list order.
#[utoipa::path(tag = "leniency", params(LeniencyQuery), responses((status = 200, body = Page<LeniencyItemResponse>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/leniency-items")]
pub async fn search_leniency(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<LeniencyQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.parse()?;
    let page = PageQuery {
        cursor: q.cursor.clone(),
        limit: q.limit,
    };
    let limit = page.limit()?;
    let search = service::Search {
        q: q.q,
        list: q.list,
        unit_id: q.unit_id.map(|u| u.0),
        drafts: auth.is_admin(),
    };
    let rows = service::search(&state.db, &search, page.after_id()?, limit).await?;
    let (rows, next_cursor) = split_page(rows, limit, |i| i.id);
    let names = crate::service::demands::unit_names(&state.db, rows.iter().map(|i| i.unit_id)).await?;
    let items = rows
        .into_iter()
        .map(|i| LeniencyItemResponse {
            id: Id(i.id),
            list: i.list,
            list_label: i.list.label().to_owned(),
            item: i.item,
            legal_basis: i.legal_basis,
            conditions: i.conditions,
            unit_id: Id(i.unit_id),
            unit_name: names.get(&i.unit_id).cloned().unwrap_or_default(),
            published: i.published_at.is_some(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

//! Enterprises: admins manage them all, butlers the ones they serve; members read theirs
//! and keep its profile (industry, scale, qualifications, district, tags) up to date.
use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Access, AuthUser};
use crate::domain::access::{ADMINS, ENTERPRISE_READERS, OWN_BUTLER};
use crate::domain::enterprise::{Scale, ServiceTier, clean_labels};
use crate::domain::industry;
use crate::domain::role::Role;
use crate::domain::uscc::Uscc;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::files::{UploadForm, read_upload};
use crate::routes::{no_errors, optional_text, required_text};
use crate::service::enterprise_import::{self, OnError};
use crate::service::enterprises::{self, EnterpriseInput, EnterprisePatch, ListFilter, ListScope, labels, owner};
use crate::state::AppState;
use std::collections::HashMap;

use crate::service::people;
use crate::types::{Id, Named, Page, PageQuery, local_time, today};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_enterprises)
        .service(create_enterprise)
        .service(import_enterprises)
        .service(get_enterprise)
        .service(update_enterprise)
        .service(rotate_invite_code);
}

/// New enterprises are called back within the configured working days from today.
fn callback_plan<'a>(
    state: &AppState,
    calendar: &'a crate::domain::calendar::WorkCalendar,
) -> crate::service::callbacks::Plan<'a> {
    crate::service::callbacks::Plan {
        calendar,
        due_working_days: state.settings.callbacks.due_working_days,
        today: today(),
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseResponse {
    pub id: Id,
    pub name: String,
    pub uscc: String,
    /// GB/T 4754-2017 class, e.g. `I6513`.
    pub industry_code: String,
    pub industry_name: Option<String>,
    pub scale: Scale,
    pub registered_at: NaiveDate,
    pub qualifications: Vec<String>,
    pub tags: Vec<String>,
    pub district: Option<String>,
    pub service_tier: ServiceTier,
    pub butler_id: Option<Id>,
    /// The butler, named.
    pub butler: Option<Named>,
    /// Shown to its butler and admins only.
    pub invite_code: Option<String>,
    pub needs_callback: bool,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

impl EnterpriseResponse {
    fn new(e: entity::enterprise::Model, show_invite: bool, names: &HashMap<i64, String>) -> Self {
        Self {
            butler: e.butler_user_id.map(|id| Named {
                id: Id(id),
                name: names.get(&id).cloned().unwrap_or_default(),
            }),
            id: Id(e.id),
            industry_name: industry::lookup(&e.industry_code).map(|i| i.name.clone()),
            name: e.name,
            uscc: e.uscc,
            industry_code: e.industry_code,
            scale: e.scale,
            registered_at: e.registered_at,
            qualifications: labels(&e.qualifications),
            tags: labels(&e.tags),
            district: e.district,
            service_tier: e.service_tier,
            butler_id: e.butler_user_id.map(Id),
            invite_code: if show_invite { e.invite_code } else { None },
            needs_callback: e.needs_callback,
            created_at: local_time(e.created_at),
            updated_at: local_time(e.updated_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateEnterpriseRequest {
    pub name: String,
    /// 18-character unified social credit code (GB 32100 check digit verified).
    pub uscc: String,
    /// A GB/T 4754-2017 class with its section letter, e.g. `I6513`.
    pub industry_code: String,
    pub scale: Scale,
    pub registered_at: NaiveDate,
    #[serde(default)]
    pub qualifications: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub district: Option<String>,
    pub service_tier: Option<ServiceTier>,
    pub butler_id: Option<Id>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateEnterpriseRequest {
    /// Butlers and admins only.
    pub name: Option<String>,
    pub industry_code: Option<String>,
    pub scale: Option<Scale>,
    /// Butlers and admins only.
    pub registered_at: Option<NaiveDate>,
    pub qualifications: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    /// Empty string clears it.
    pub district: Option<String>,
    /// Butlers and admins only.
    pub service_tier: Option<ServiceTier>,
    /// Admins only; `""` removes the butler.
    pub butler_id: Option<String>,
}

fn check_industry(code: &str, errors: &mut Vec<FieldError>) -> String {
    let code = code.trim().to_ascii_uppercase();
    if industry::class(&code).is_none() {
        errors.push(FieldError::new(
            "industryCode",
            "unknown_industry",
            "行业代码应为 GB/T 4754-2017 小类代码（含门类字母），如 I6513",
        ));
    }
    code
}

fn check_labels(values: &[String], field: &str, errors: &mut Vec<FieldError>) -> Vec<String> {
    let cleaned = clean_labels(values);
    if cleaned.len() > 20 || cleaned.iter().any(|l| l.chars().count() > 30) {
        errors.push(FieldError::new(field, "too_many", "最多 20 项，每项不超过 30 个字"));
    }
    cleaned
}

fn check_registered(date: NaiveDate, errors: &mut Vec<FieldError>) -> NaiveDate {
    if date > today() {
        errors.push(FieldError::new("registeredAt", "in_the_future", "成立日期不能晚于今天"));
    }
    date
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct EnterpriseListQuery {
    pub cursor: Option<String>,
    pub limit: Option<u64>,
    /// Part of the name, or a whole USCC.
    pub q: Option<String>,
    /// Industry code prefix at any level: `I`, `I65`, `I651`, `I6513`.
    pub industry: Option<String>,
}

/// Enterprises, newest first: all for admins, the served ones for butlers.
#[utoipa::path(tag = "enterprises", params(EnterpriseListQuery), responses((status = 200, body = Page<EnterpriseResponse>), (status = 403, body = ErrorBody)))]
#[get("/enterprises")]
pub async fn list_enterprises(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<EnterpriseListQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(&[
        Access::Admin,
        Access::AnyWithRole(Role::Butler),
        Access::AnyWithRole(Role::Supervisor),
    ])?;
    let query = query.parse()?;
    let page = PageQuery {
        cursor: query.cursor,
        limit: query.limit,
    };
    let limit = page.limit()?;
    // Butlers list the enterprises they serve; supervisors search them all to record whom they
    // met, without invite codes.
    let butler_only = auth.has_role(Role::Butler) && !auth.is_admin() && !auth.has_role(Role::Supervisor);
    let scope = if butler_only {
        ListScope::ServedBy(auth.id)
    } else {
        ListScope::All
    };
    let show_invites = auth.is_admin() || butler_only;
    let filter = ListFilter {
        q: query.q,
        industry_prefix: query.industry.map(|i| i.trim().to_ascii_uppercase()),
    };
    let rows = enterprises::list(&state.db, scope, &filter, page.after_id()?, limit).await?;
    let names = people::names(&state.db, rows.iter().filter_map(|e| e.butler_user_id)).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |e| e.id,
        |e| EnterpriseResponse::new(e, show_invites, &names),
    )))
}

/// Register an enterprise (admins). New enterprises are marked for the call-back programme.
#[utoipa::path(tag = "enterprises", request_body = CreateEnterpriseRequest, responses(
    (status = 201, body = EnterpriseResponse),
    (status = 403, body = ErrorBody),
    (status = 422, description = "field errors, e.g. `uscc` `invalid_check_digit`; `enterprise_exists`", body = ErrorBody),
))]
#[post("/enterprises")]
pub async fn create_enterprise(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<CreateEnterpriseRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let name = required_text(&b.name, "name", 100, &mut errors);
    let uscc = Uscc::parse(&b.uscc)
        .map_err(|e| errors.push(FieldError::new("uscc", e.code(), e.message())))
        .ok();
    let industry_code = check_industry(&b.industry_code, &mut errors);
    let registered_at = check_registered(b.registered_at, &mut errors);
    let qualifications = check_labels(&b.qualifications, "qualifications", &mut errors);
    let tags = check_labels(&b.tags, "tags", &mut errors);
    let district = optional_text(b.district.as_deref(), "district", 50, &mut errors);
    no_errors(errors)?;
    let uscc = uscc.ok_or_else(|| ApiError::invalid_field("uscc", "required", "此项为必填项"))?;
    let calendar = crate::service::calendar::load(&state.db).await?;
    let plan = callback_plan(&state, &calendar);
    let created = enterprises::register(
        &state.db,
        EnterpriseInput {
            name,
            uscc,
            industry_code,
            scale: b.scale,
            registered_at,
            qualifications,
            tags,
            district,
            service_tier: b.service_tier.unwrap_or(ServiceTier::General),
            butler_user_id: b.butler_id.map(|i| i.0),
        },
        &plan,
    )
    .await?;
    let names = people::names(&state.db, created.butler_user_id).await?;
    Ok(HttpResponse::Created().json(EnterpriseResponse::new(created, true, &names)))
}

/// One enterprise: admins, its butler and its members.
#[utoipa::path(tag = "enterprises", params(("id" = String, Path)), responses((status = 200, body = EnterpriseResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/enterprises/{id}")]
pub async fn get_enterprise(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let e = enterprises::get(&state.db, id.into_inner()).await?;
    auth.require(ENTERPRISE_READERS, &owner(&e))?;
    let manager = auth.can(OWN_BUTLER, &owner(&e));
    let names = people::names(&state.db, e.butler_user_id).await?;
    Ok(HttpResponse::Ok().json(EnterpriseResponse::new(e, manager, &names)))
}

/// Change an enterprise. Members may change its profile fields; its butler and admins
/// everything (only admins reassign the butler).
#[utoipa::path(tag = "enterprises", params(("id" = String, Path)), request_body = UpdateEnterpriseRequest, responses(
    (status = 200, body = EnterpriseResponse),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[patch("/enterprises/{id}")]
pub async fn update_enterprise(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<UpdateEnterpriseRequest>,
) -> ApiResult<HttpResponse> {
    let e = enterprises::get(&state.db, id.into_inner()).await?;
    auth.require(ENTERPRISE_READERS, &owner(&e))?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let butler_user_id = match b.butler_id.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(raw) => match raw.parse::<i64>() {
            Ok(v) => Some(Some(v)),
            Err(_) => {
                errors.push(FieldError::new("butlerId", "invalid_type", "类型或格式不正确"));
                None
            }
        },
    };
    let patch = EnterprisePatch {
        name: b.name.as_deref().map(|n| required_text(n, "name", 100, &mut errors)),
        industry_code: b.industry_code.as_deref().map(|c| check_industry(c, &mut errors)),
        scale: b.scale,
        registered_at: b.registered_at.map(|d| check_registered(d, &mut errors)),
        qualifications: b
            .qualifications
            .as_deref()
            .map(|q| check_labels(q, "qualifications", &mut errors)),
        tags: b.tags.as_deref().map(|t| check_labels(t, "tags", &mut errors)),
        district: b
            .district
            .as_deref()
            .map(|d| optional_text(Some(d), "district", 50, &mut errors)),
        service_tier: b.service_tier,
        butler_user_id,
    };
    if !patch.is_profile_only() {
        auth.require(OWN_BUTLER, &owner(&e))?;
    }
    if patch.butler_user_id.is_some() {
        auth.require_role(ADMINS)?;
    }
    no_errors(errors)?;
    let updated = enterprises::update(&state.db, e.id, patch).await?;
    let manager = auth.can(OWN_BUTLER, &owner(&updated));
    let names = people::names(&state.db, updated.butler_user_id).await?;
    Ok(HttpResponse::Ok().json(EnterpriseResponse::new(updated, manager, &names)))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InviteCodeResponse {
    /// Binds a person to this enterprise at once; the previous code stops working.
    pub invite_code: String,
}

/// Issue a new invite code (its butler, admins, or its members).
#[utoipa::path(tag = "enterprises", params(("id" = String, Path)), responses((status = 200, body = InviteCodeResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[post("/enterprises/{id}/invite-code")]
pub async fn rotate_invite_code(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let e = enterprises::get(&state.db, id.into_inner()).await?;
    auth.require(ENTERPRISE_READERS, &owner(&e))?;
    let invite_code = enterprises::rotate_invite_code(&state.db, e.id).await?;
    Ok(HttpResponse::Ok().json(InviteCodeResponse { invite_code }))
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check every row and report, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// `reject` (default): a file with any bad row imports nothing (422 `import_rejected`,
    /// each problem as `rows[N].field`). `skip`: import the good rows, report the bad ones.
    #[param(inline)]
    pub on_error: Option<ImportOnError>,
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum ImportOnError {
    Reject,
    Skip,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportRowError {
    /// The row number as the spreadsheet shows it (the heading row counts).
    pub row: usize,
    pub field: String,
    pub code: String,
    pub message: String,
    /// The bad cell's text as read (null when the problem is not in one cell).
    pub value: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportSkipped {
    pub row: usize,
    pub uscc: String,
    /// The enterprise already registered with this code.
    pub enterprise_id: Id,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = EnterpriseImportReport)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Data rows read (blank rows are not counted).
    pub rows: usize,
    /// Rows that create an enterprise.
    pub valid: usize,
    /// Enterprises created (0 on a dry run); each is marked for the call-back programme.
    pub created: usize,
    /// Rows whose enterprise is already registered: left as they are.
    pub skipped: Vec<ImportSkipped>,
    pub errors: Vec<ImportRowError>,
}

/// Import enterprises from a registry export (admins): CSV (UTF-8 or GB18030) or Excel, the
/// multipart field `file`. Columns are found by their headings (企业名称, 统一社会信用代码,
/// 行业代码, 企业规模, 成立日期; optional 所属区域, 资质, 标签). The real import runs in one
/// transaction; enterprises already registered are skipped.
#[utoipa::path(tag = "enterprises", params(ImportQuery), request_body(content = UploadForm, content_type = "multipart/form-data"), responses(
    (status = 200, body = ImportReport),
    (status = 403, body = ErrorBody),
    (status = 413, body = ErrorBody),
    (status = 422, description = "`import_rejected` (bad rows, nothing written), `invalid_import_file` (headings), `file` `unreadable`/`empty`", body = ErrorBody),
))]
#[post("/enterprises/import")]
pub async fn import_enterprises(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<ImportQuery>,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let query = query.parse()?;
    let (_, bytes) = read_upload(form, state.settings.uploads.import_max_bytes).await?;
    let on_error = match query.on_error {
        Some(ImportOnError::Skip) => OnError::Skip,
        _ => OnError::Reject,
    };
    let calendar = crate::service::calendar::load(&state.db).await?;
    let report = enterprise_import::import(
        &state.db,
        &bytes,
        query.dry_run,
        on_error,
        &callback_plan(&state, &calendar),
    )
    .await?;
    Ok(HttpResponse::Ok().json(ImportReport {
        dry_run: query.dry_run,
        rows: report.rows,
        valid: report.valid,
        created: report.created,
        skipped: report
            .skipped
            .into_iter()
            .map(|s| ImportSkipped {
                row: s.row,
                uscc: s.uscc,
                enterprise_id: Id(s.enterprise_id),
            })
            .collect(),
        errors: report
            .errors
            .into_iter()
            .map(|e| ImportRowError {
                row: e.row,
                field: e.field.to_owned(),
                code: e.code.to_owned(),
                message: e.message,
                value: e.value,
            })
            .collect(),
    }))
}

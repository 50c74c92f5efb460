//! Action-plan supervision: admins write plans and their items (or import them from a sheet);
//! the handlers of an item's owner unit report progress with evidence; everyone sees overdue.
use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::{ADMINS, HANDLERS};
use crate::domain::plan::{self as rules, ItemKind, ItemStatus, Milestone};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::files::{UploadForm, read_upload};
use crate::routes::{no_errors, optional_text, required_text};
use crate::service::files::FileRefs;
use crate::service::plans;
use crate::state::AppState;
use crate::types::{FileId, Id, local_time, today};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_plan)
        .service(list_plans)
        .service(get_plan)
        .service(add_item)
        .service(import_items)
        .service(export_plan)
        .service(update_item)
        .service(add_note)
        .service(plan_figures);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanResponse {
    pub id: Id,
    pub title: String,
    pub description: Option<String>,
    pub created_at: DateTime<FixedOffset>,
}

fn plan_response(p: entity::plan::Model) -> PlanResponse {
    PlanResponse {
        id: Id(p.id),
        title: p.title,
        description: p.description,
        created_at: local_time(p.created_at),
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoteResponse {
    pub id: Id,
    pub author_id: Id,
    pub text: String,
    pub progress: Option<i32>,
    pub file_ids: Vec<Id>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ItemResponse {
    pub id: Id,
    pub plan_id: Id,
    pub kind: ItemKind,
    pub title: String,
    pub aspect: Option<String>,
    pub unit_id: Id,
    pub lead: Option<String>,
    pub deadline: NaiveDate,
    pub milestones: Vec<Milestone>,
    pub status: ItemStatus,
    pub progress: i32,
    /// Past its deadline and not done (today).
    pub overdue: bool,
    /// When the weekly job flagged it.
    pub overdue_flagged_at: Option<DateTime<FixedOffset>>,
    pub completed_at: Option<DateTime<FixedOffset>>,
    pub notes: Vec<NoteResponse>,
}

async fn item_response(state: &AppState, i: entity::plan_item::Model) -> ApiResult<ItemResponse> {
    let notes = plans::notes(&state.db, i.id).await?;
    let status = i.status;
    Ok(ItemResponse {
        id: Id(i.id),
        plan_id: Id(i.plan_id),
        kind: i.kind,
        milestones: plans::milestones(&i),
        title: i.title,
        aspect: i.aspect,
        unit_id: Id(i.unit_id),
        lead: i.lead,
        deadline: i.deadline,
        status,
        progress: i.progress,
        overdue: rules::is_overdue(status, i.deadline, today()),
        overdue_flagged_at: i.overdue_flagged_at.map(local_time),
        completed_at: i.completed_at.map(local_time),
        notes: notes
            .into_iter()
            .map(|n| NoteResponse {
                id: Id(n.id),
                author_id: Id(n.author_id),
                text: n.text,
                progress: n.progress,
                file_ids: crate::types::ids_of(&n.file_ids),
                created_at: local_time(n.created_at),
            })
            .collect(),
    })
}

/// An item the caller may report on: an admin, or a handler of its owner unit.
fn may_report(auth: &AuthUser, i: &entity::plan_item::Model) -> ApiResult<()> {
    if auth.is_admin() || (auth.has_role(Role::Handler) && auth.unit_ids().any(|u| u == i.unit_id)) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanRequest {
    pub title: String,
    pub description: Option<String>,
}

/// Write a plan (admins).
#[utoipa::path(tag = "plans", request_body = PlanRequest, responses((status = 201, body = PlanResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/plans")]
pub async fn create_plan(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<PlanRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 100, &mut errors);
    let description = optional_text(b.description.as_deref(), "description", 2000, &mut errors);
    no_errors(errors)?;
    let p = plans::create(&state.db, title, description, auth.id).await?;
    Ok(HttpResponse::Created().json(plan_response(p)))
}

#[derive(Serialize, ToSchema)]
pub struct PlanList {
    pub items: Vec<PlanResponse>,
}

/// The plans (admins and unit handlers).
#[utoipa::path(tag = "plans", responses((status = 200, body = PlanList), (status = 403, body = ErrorBody)))]
#[get("/plans")]
pub async fn list_plans(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require_role(HANDLERS)?;
    let items = plans::list(&state.db).await?.into_iter().map(plan_response).collect();
    Ok(HttpResponse::Ok().json(PlanList { items }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanDetail {
    #[serde(flatten)]
    pub plan: PlanResponse,
    /// By deadline; a handler sees their own unit's items only.
    pub items: Vec<ItemResponse>,
}

/// A plan with its items (a handler sees their unit's).
#[utoipa::path(tag = "plans", params(("id" = String, Path)), responses((status = 200, body = PlanDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/plans/{id}")]
pub async fn get_plan(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(HANDLERS)?;
    let p = plans::get(&state.db, id.into_inner()).await?;
    let mut items = Vec::new();
    let all = plans::items(&state.db, p.id, None).await?;
    for i in all {
        if auth.is_admin() || auth.unit_ids().any(|u| u == i.unit_id) {
            items.push(item_response(&state, i).await?);
        }
    }
    Ok(HttpResponse::Ok().json(PlanDetail {
        plan: plan_response(p),
        items,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ItemRequest {
    pub kind: ItemKind,
    pub title: String,
    /// For problem-list items: the aspect (e.g. 政务服务).
    pub aspect: Option<String>,
    /// The owner unit.
    pub unit_id: Id,
    pub lead: Option<String>,
    pub deadline: NaiveDate,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

fn check_milestones(m: &[Milestone], errors: &mut Vec<FieldError>) {
    if m.len() > 20 {
        errors.push(FieldError::new("milestones", "too_many", "最多 20 个里程碑"));
    }
    for (n, x) in m.iter().enumerate() {
        if x.title.trim().is_empty() || x.title.chars().count() > 60 {
            errors.push(FieldError::new(
                format!("milestones[{n}].title"),
                "invalid",
                "里程碑名称应为 1 到 60 个字",
            ));
        }
    }
}

/// Add a task or problem-list item (admins).
#[utoipa::path(tag = "plans", params(("id" = String, Path)), request_body = ItemRequest, responses((status = 201, body = ItemResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/plans/{id}/items")]
pub async fn add_item(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ItemRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let p = plans::get(&state.db, id.into_inner()).await?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 200, &mut errors);
    let aspect = optional_text(b.aspect.as_deref(), "aspect", 50, &mut errors);
    let lead = optional_text(b.lead.as_deref(), "lead", 30, &mut errors);
    check_milestones(&b.milestones, &mut errors);
    no_errors(errors)?;
    crate::service::units::get(&state.db, b.unit_id.0)
        .await
        .map_err(|e| e.missing_as_field("unitId", "not_found", "责任单位不存在"))?;
    let i = plans::add_item(
        &state.db,
        p.id,
        plans::NewItem {
            kind: b.kind,
            title,
            aspect,
            unit_id: b.unit_id.0,
            lead,
            deadline: b.deadline,
            milestones: b.milestones,
            status: ItemStatus::NotStarted,
            progress: 0,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(item_response(&state, i).await?))
}

/// Import items from a sheet (admins): columns 类型, 事项, 方面, 责任单位 (required, by name or
/// code), 牵头人, 完成时限, 里程碑 (`2026-12-01 完成方案；…`), 状态, 进度. All or nothing.
#[utoipa::path(tag = "plans", params(("id" = String, Path), PlanImportQuery), request_body(content = UploadForm, content_type = "multipart/form-data"), responses(
    (status = 200, body = plans::ImportReport),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, description = "`import_rejected` with `rows[N].field` errors, or `invalid_import_file`", body = ErrorBody),
))]
#[post("/plans/{id}/import")]
pub async fn import_items(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    query: crate::extract::Query<PlanImportQuery>,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let dry_run = query.parse()?.dry_run;
    let p = plans::get(&state.db, id.into_inner()).await?;
    let (_, bytes) = read_upload(form, state.settings.uploads.import_max_bytes).await?;
    Ok(HttpResponse::Ok().json(plans::import(&state.db, p.id, &bytes, dry_run).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PlanImportQuery {
    /// Check every row and list the problems, writing nothing (200 even with bad rows).
    #[serde(default)]
    pub dry_run: bool,
}

/// The plan's state as an Excel workbook (admins), in the import's columns.
#[utoipa::path(tag = "plans", params(("id" = String, Path)), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[get("/plans/{id}/export")]
pub async fn export_plan(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let p = plans::get(&state.db, id.into_inner()).await?;
    let bytes = plans::export(&state.db, &p, today()).await?;
    Ok(crate::routes::download::file(
        false,
        &format!("plan-{}", p.id),
        crate::routes::download::XLSX,
        bytes,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ItemPatch {
    pub status: Option<ItemStatus>,
    /// 0–100; 100 marks it done.
    pub progress: Option<i32>,
    pub milestones: Option<Vec<Milestone>>,
    /// What the item is (admins).
    pub title: Option<String>,
    /// The owner unit (admins).
    pub unit_id: Option<Id>,
    /// The lead person; empty clears it (admins).
    pub lead: Option<String>,
    /// The deadline (admins); a later one lets the item be flagged overdue again.
    pub deadline: Option<NaiveDate>,
}

/// Update an item: its status, progress or milestones (admins, handlers of its unit); its
/// title, owner unit, lead or deadline (admins).
#[utoipa::path(tag = "plans", params(("id" = String, Path)), request_body = ItemPatch, responses((status = 200, body = ItemResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/plan-items/{id}")]
pub async fn update_item(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ItemPatch>,
) -> ApiResult<HttpResponse> {
    let i = plans::item(&state.db, id.into_inner()).await?;
    may_report(&auth, &i)?;
    let b = body.parse()?;
    let defines = b.title.is_some() || b.unit_id.is_some() || b.lead.is_some() || b.deadline.is_some();
    if defines && !auth.is_admin() {
        // The unit reports on its item; what the item is, admins decide.
        return Err(ApiError::forbidden());
    }
    let mut errors = Vec::new();
    if b.progress.is_some_and(|p| !(0..=100).contains(&p)) {
        errors.push(FieldError::new("progress", "out_of_range", "进度应在 0 到 100 之间"));
    }
    if let Some(m) = &b.milestones {
        check_milestones(m, &mut errors);
    }
    let title = b.title.as_deref().map(|t| required_text(t, "title", 200, &mut errors));
    let lead = b
        .lead
        .as_deref()
        .map(|l| optional_text(Some(l), "lead", 30, &mut errors));
    no_errors(errors)?;
    if let Some(unit) = b.unit_id {
        crate::service::units::get(&state.db, unit.0)
            .await
            .map_err(|e| e.missing_as_field("unitId", "not_found", "责任单位不存在"))?;
    }
    let i = plans::update_item(
        &state.db,
        i,
        plans::Progress {
            status: b.status,
            progress: b.progress,
            milestones: b.milestones,
        },
        plans::Definition {
            title,
            unit_id: b.unit_id.map(|u| u.0),
            lead,
            deadline: b.deadline,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(item_response(&state, i).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NoteRequest {
    pub text: String,
    /// The progress now (0–100), when it changed.
    pub progress: Option<i32>,
    /// Evidence files the author uploaded (at most 9).
    #[serde(default)]
    pub file_ids: Vec<FileId>,
}

/// Report progress on an item with evidence (admins, handlers of its unit).
#[utoipa::path(tag = "plans", params(("id" = String, Path)), request_body = NoteRequest, responses((status = 201, body = ItemResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/plan-items/{id}/notes")]
pub async fn add_note(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<NoteRequest>,
) -> ApiResult<HttpResponse> {
    let i = plans::item(&state.db, id.into_inner()).await?;
    may_report(&auth, &i)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let text = required_text(&b.text, "text", 2000, &mut errors);
    if b.progress.is_some_and(|p| !(0..=100).contains(&p)) {
        errors.push(FieldError::new("progress", "out_of_range", "进度应在 0 到 100 之间"));
    }
    no_errors(errors)?;
    let files = FileRefs::list("fileIds", &FileId::ids(&b.file_ids));
    plans::add_note(&state.db, i.id, auth.id, text, b.progress, &files).await?;
    let i = match b.progress {
        Some(p) => {
            plans::update_item(
                &state.db,
                i,
                plans::Progress {
                    progress: Some(p),
                    ..Default::default()
                },
                plans::Definition::default(),
            )
            .await?
        }
        None => i,
    };
    Ok(HttpResponse::Created().json(item_response(&state, i).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// One plan; every plan when absent.
    pub plan_id: Option<Id>,
}

/// Items done / in progress / overdue / not started, in all and by owner unit (admins).
#[utoipa::path(tag = "plans", params(FiguresQuery), responses((status = 200, body = plans::Figures), (status = 403, body = ErrorBody)))]
#[get("/stats/plans")]
pub async fn plan_figures(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<FiguresQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let plan_id = query.parse()?.plan_id.map(|i| i.0);
    Ok(HttpResponse::Ok().json(plans::figures(&state.db, plan_id, today()).await?))
}

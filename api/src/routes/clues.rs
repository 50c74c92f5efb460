//! Conduct clues (问题线索): anyone signed in reports one and follows it in general terms;
//! discipline staff, and no one else, read and handle them; staff refer a demand; typical
//! cases are published to everyone signed in.
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::DISCIPLINE;
use crate::domain::clue::{
    self as rules, ClueAction, ClueCategory, ClueFigures, ClueOutcome, ClueSource, ClueStatus, Disposal, Stage,
};
use crate::domain::demand::Environment;
use crate::error::{ApiResult, ErrorBody, FieldError};
use crate::extract::{Json, Query};
use crate::routes::dashboard::RangeQuery;
use crate::routes::privacy::{AuditEntry, AuditQuery};
use crate::routes::{download, no_errors, optional_text, required_text, required_text_of_length};
use crate::service::clues::{self as service, StageInput};
use crate::service::files::FileRefs;
use crate::service::people;
use crate::state::AppState;
use crate::types::{FileId, Id, Page, PageQuery, local_time, split_page, today};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // The fixed paths before `/clues/{id}`.
    cfg.service(report_clue)
        .service(my_clues)
        .service(clue_figures)
        .service(clue_audit_log)
        .service(list_clues)
        .service(get_clue)
        .service(accept_clue)
        .service(check_clue)
        .service(dispose_clue)
        .service(reveal_reporter)
        .service(clue_feedback)
        .service(publish_case)
        .service(refer_demand)
        .service(write_bulletin)
        .service(list_bulletins)
        .service(bulletin_html)
        .service(list_cases)
        .service(get_case);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClueResponse {
    pub id: Id,
    pub category: ClueCategory,
    pub category_label: String,
    pub unit_id: Option<Id>,
    pub unit_name: Option<String>,
    pub official: Option<String>,
    pub content: String,
    pub happened_on: Option<NaiveDate>,
    /// Reported anonymously: the reporter is shown only through the audited reveal.
    pub anonymous: bool,
    pub source: ClueSource,
    pub source_label: String,
    /// The demand it was referred from.
    pub demand_id: Option<Id>,
    pub file_ids: Vec<Id>,
    pub status: ClueStatus,
    pub status_label: String,
    /// 问题速处.
    pub fast_track: bool,
    /// When the current stage is due (acceptance, then disposal).
    pub due_at: DateTime<FixedOffset>,
    pub overdue: bool,
    pub outcome: Option<ClueOutcome>,
    pub outcome_label: Option<String>,
    pub persons: Option<i32>,
    pub created_at: DateTime<FixedOffset>,
    pub accepted_at: Option<DateTime<FixedOffset>>,
    pub closed_at: Option<DateTime<FixedOffset>>,
}

fn clue_response(c: entity::clue::Model, unit_name: Option<String>) -> ClueResponse {
    let overdue = c.status != ClueStatus::Closed && c.due_at < chrono::Utc::now();
    ClueResponse {
        id: Id(c.id),
        category: c.category,
        category_label: c.category.label().to_owned(),
        unit_id: c.unit_id.map(Id),
        unit_name,
        official: c.official,
        content: c.content,
        happened_on: c.happened_on,
        anonymous: c.anonymous,
        source: c.source,
        source_label: c.source.label().to_owned(),
        demand_id: c.demand_id.map(Id),
        file_ids: crate::types::ids_of(&c.file_ids),
        status: c.status,
        status_label: c.status.label().to_owned(),
        fast_track: c.fast_track,
        due_at: local_time(c.due_at),
        overdue,
        outcome: c.outcome,
        outcome_label: c.outcome.map(|o| o.label().to_owned()),
        persons: c.persons,
        created_at: local_time(c.created_at),
        accepted_at: c.accepted_at.map(local_time),
        closed_at: c.closed_at.map(local_time),
    }
}

async fn shaped(state: &AppState, c: entity::clue::Model) -> ApiResult<ClueResponse> {
    let unit = service::unit_name(&state.db, c.unit_id).await?;
    Ok(clue_response(c, unit))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportClueRequest {
    pub category: ClueCategory,
    /// The unit whose official it concerns.
    pub unit_id: Option<Id>,
    /// Who (a window, a post, a name), up to 60 characters.
    pub official: Option<String>,
    /// What happened, 10–2000 characters.
    pub content: String,
    /// When it happened (not after today).
    pub happened_on: Option<NaiveDate>,
    /// Reported anonymously: discipline staff do not see who reported it.
    #[serde(default)]
    pub anonymous: bool,
    /// Files the reporter uploaded (at most 9).
    #[serde(default)]
    pub file_ids: Vec<FileId>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyClueResponse {
    pub id: Id,
    pub category: ClueCategory,
    pub category_label: String,
    pub unit_name: Option<String>,
    pub content: String,
    pub anonymous: bool,
    /// Where it is, in general terms.
    pub stage: String,
    pub closed: bool,
    /// The outcome in general terms, once closed.
    pub outcome_text: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    pub closed_at: Option<DateTime<FixedOffset>>,
}

async fn mine_response(state: &AppState, c: entity::clue::Model) -> ApiResult<MyClueResponse> {
    Ok(MyClueResponse {
        id: Id(c.id),
        category: c.category,
        category_label: c.category.label().to_owned(),
        unit_name: service::unit_name(&state.db, c.unit_id).await?,
        content: c.content,
        anonymous: c.anonymous,
        stage: rules::stage_for_reporter(c.status).to_owned(),
        closed: c.status == ClueStatus::Closed,
        outcome_text: c.outcome.map(|o| rules::told_to_reporter(o).to_owned()),
        created_at: local_time(c.created_at),
        closed_at: c.closed_at.map(local_time),
    })
}

/// Report an official's conduct (anyone signed in), by name or anonymously. Only discipline
/// staff read it; the reporter follows it at `GET /me/clues`.
#[utoipa::path(tag = "clues", request_body = ReportClueRequest, responses((status = 201, body = MyClueResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/clues")]
pub async fn report_clue(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<ReportClueRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.parse()?;
    let mut errors = Vec::new();
    let content = required_text_of_length(
        &b.content,
        "content",
        (10, 2000),
        "请至少用 10 个字说明情况",
        &mut errors,
    );
    let official = optional_text(b.official.as_deref(), "official", 60, &mut errors);
    if b.happened_on.is_some_and(|d| d > today()) {
        errors.push(FieldError::new("happenedOn", "in_future", "发生日期不能晚于今天"));
    }
    no_errors(errors)?;
    let unit_id = match b.unit_id {
        Some(Id(id)) => Some(
            crate::service::units::get(&state.db, id)
                .await
                .map_err(|e| e.missing_as_field("unitId", "not_found", "单位不存在"))?
                .id,
        ),
        None => None,
    };
    let c = service::report(
        &state.db,
        auth.id,
        service::NewClue {
            category: b.category,
            unit_id,
            official,
            content,
            happened_on: b.happened_on,
            anonymous: b.anonymous,
            files: FileRefs::list("fileIds", &FileId::ids(&b.file_ids)),
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(mine_response(&state, c).await?))
}

/// The clues I reported (or that were referred from my demands), in general terms.
#[utoipa::path(tag = "clues", responses((status = 200, body = Vec<MyClueResponse>), (status = 401, body = ErrorBody)))]
#[get("/me/clues")]
pub async fn my_clues(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let rows = service::mine(&state.db, auth.id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        out.push(mine_response(&state, c).await?);
    }
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ClueQuery {
    pub status: Option<ClueStatus>,
    pub category: Option<ClueCategory>,
    /// Only the fast track (true) or only the ordinary one (false).
    pub fast_track: Option<bool>,
    /// Only clues past their stage's deadline.
    #[serde(default)]
    pub overdue: bool,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

/// The clues, newest first (discipline staff only; every clue shown is an audited read).
#[utoipa::path(tag = "clues", params(ClueQuery), responses((status = 200, body = Page<ClueResponse>), (status = 403, body = ErrorBody)))]
#[get("/clues")]
pub async fn list_clues(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<ClueQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let q = query.parse()?;
    let page = PageQuery {
        cursor: q.cursor.clone(),
        limit: q.limit,
    };
    let limit = page.limit()?;
    let filter = service::ClueFilter {
        status: q.status,
        category: q.category,
        fast_track: q.fast_track,
        overdue: q.overdue,
    };
    let rows = service::list(&state.db, auth.id, &filter, page.after_id()?, limit).await?;
    let (rows, next_cursor) = split_page(rows, limit, |c| c.id);
    let mut items = Vec::with_capacity(rows.len());
    for c in rows {
        items.push(shaped(&state, c).await?);
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReporterResponse {
    pub user_id: Option<Id>,
    pub name: Option<String>,
    pub phone: Option<String>,
}

fn reporter_response(r: service::Identity) -> ReporterResponse {
    ReporterResponse {
        user_id: r.user_id.map(Id),
        name: r.name,
        phone: r.phone,
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClueEventResponse {
    pub action: ClueAction,
    pub action_label: String,
    pub actor_id: Option<Id>,
    pub actor_name: Option<String>,
    pub note: Option<String>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClueDetailResponse {
    #[serde(flatten)]
    pub clue: ClueResponse,
    /// A named clue's reporter; absent for an anonymous one (see the reveal).
    pub reporter: Option<ReporterResponse>,
    pub history: Vec<ClueEventResponse>,
}

/// One clue with its history (discipline staff only; an audited read).
#[utoipa::path(tag = "clues", params(("id" = String, Path)), responses((status = 200, body = ClueDetailResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/clues/{id}")]
pub async fn get_clue(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    Ok(HttpResponse::Ok().json(detail_response(&state, auth.id, id.into_inner()).await?))
}

async fn detail_response(state: &AppState, reader: i64, id: i64) -> ApiResult<ClueDetailResponse> {
    let d = service::detail(&state.db, reader, id).await?;
    let mut history = Vec::with_capacity(d.events.len());
    for e in d.events {
        let actor_name = match e.actor_id {
            Some(a) => people::get(&state.db, a).await?.nickname,
            None => None,
        };
        history.push(ClueEventResponse {
            action: e.action,
            action_label: e.action.label().to_owned(),
            actor_id: e.actor_id.map(Id),
            actor_name,
            note: e.note,
            created_at: local_time(e.created_at),
        });
    }
    Ok(ClueDetailResponse {
        clue: shaped(state, d.clue).await?,
        reporter: d.reporter.map(reporter_response),
        history,
    })
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AcceptClueRequest {
    /// 问题速处: disposal due in five working days instead of thirty.
    #[serde(default)]
    pub fast_track: bool,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClueNoteRequest {
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DisposeClueRequest {
    pub outcome: ClueOutcome,
    /// Persons dealt with (required for 党纪政务处分; none for 予以了结).
    pub persons: Option<i32>,
    pub note: Option<String>,
}

fn note_of(note: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    optional_text(note, "note", 500, errors)
}

async fn staged(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    stage: Stage,
    input: StageInput,
) -> ApiResult<HttpResponse> {
    service::advance(&state.db, auth.id, id, stage, input).await?;
    Ok(HttpResponse::Ok().json(detail_response(state, auth.id, id).await?))
}

/// 受理 (discipline staff): on the fast track or the ordinary one.
#[utoipa::path(tag = "clues", params(("id" = String, Path)), request_body(content = Option<AcceptClueRequest>, description = "Optional: without a body, the ordinary track."), responses(
    (status = 200, body = ClueDetailResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, description = "`invalid_transition`", body = ErrorBody)))]
#[post("/clues/{id}/accept")]
pub async fn accept_clue(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<AcceptClueRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let b = body.parse_optional()?.unwrap_or_default();
    let mut errors = Vec::new();
    let note = note_of(b.note.as_deref(), &mut errors);
    no_errors(errors)?;
    let input = StageInput {
        fast_track: b.fast_track,
        note,
        disposal: None,
    };
    staged(&state, &auth, id.into_inner(), Stage::Accept, input).await
}

/// 初核 (discipline staff): the preliminary check begins.
#[utoipa::path(tag = "clues", params(("id" = String, Path)), request_body(content = Option<ClueNoteRequest>, description = "Optional."), responses(
    (status = 200, body = ClueDetailResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, description = "`invalid_transition`", body = ErrorBody)))]
#[post("/clues/{id}/check")]
pub async fn check_clue(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ClueNoteRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let b = body.parse_optional()?.unwrap_or_default();
    let mut errors = Vec::new();
    let note = note_of(b.note.as_deref(), &mut errors);
    no_errors(errors)?;
    let input = StageInput {
        note,
        ..Default::default()
    };
    staged(&state, &auth, id.into_inner(), Stage::Check, input).await
}

/// 处置 (discipline staff): the outcome; the reporter is told in general terms.
#[utoipa::path(tag = "clues", params(("id" = String, Path)), request_body = DisposeClueRequest, responses(
    (status = 200, body = ClueDetailResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, description = "`invalid_transition`", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/clues/{id}/dispose")]
pub async fn dispose_clue(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<DisposeClueRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let note = note_of(b.note.as_deref(), &mut errors);
    no_errors(errors)?;
    let input = StageInput {
        fast_track: false,
        note,
        disposal: Some(Disposal {
            outcome: b.outcome,
            persons: b.persons,
        }),
    };
    staged(&state, &auth, id.into_inner(), Stage::Dispose, input).await
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevealRequest {
    /// Why the identity is needed (5–200 characters); kept in the audit log.
    pub reason: String,
}

/// The person behind a clue, for a stated reason (discipline staff): audited, and on the
/// clue's history.
#[utoipa::path(tag = "clues", params(("id" = String, Path)), request_body = RevealRequest, responses(
    (status = 200, body = ReporterResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/clues/{id}/reveal")]
pub async fn reveal_reporter(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<RevealRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let reason = required_text_of_length(
        &b.reason,
        "reason",
        (5, 200),
        "请至少用 5 个字说明查看身份的理由",
        &mut errors,
    );
    no_errors(errors)?;
    let who = service::reveal(&state.db, auth.id, id.into_inner(), reason).await?;
    Ok(HttpResponse::Ok().json(reporter_response(who)))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClueFeedbackRequest {
    pub unit_id: Id,
    pub environment: Environment,
    /// 1–50 characters.
    pub title: String,
    /// 1–2000 characters; it names neither the clue nor the reporter.
    pub content: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClueFeedbackResponse {
    pub demand_id: Id,
    pub number: String,
}

/// 突出问题反馈 (discipline staff): a problem sent to a unit as a business-environment demand
/// (channel `discipline`), assigned to it at once, without the reporter.
#[utoipa::path(tag = "clues", params(("id" = String, Path)), request_body = ClueFeedbackRequest, responses(
    (status = 201, body = ClueFeedbackResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/clues/{id}/feedback")]
pub async fn clue_feedback(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ClueFeedbackRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 50, &mut errors);
    let content = required_text(&b.content, "content", 2000, &mut errors);
    no_errors(errors)?;
    let d = service::feedback(
        &state.db,
        &state.settings,
        auth.id,
        id.into_inner(),
        service::Feedback {
            unit_id: b.unit_id.0,
            environment: b.environment,
            title,
            content,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(ClueFeedbackResponse {
        demand_id: Id(d.id),
        number: d.number,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaseRequest {
    /// 1–60 characters.
    pub title: String,
    /// The anonymised account, 1–5000 characters.
    pub body: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseResponse {
    pub id: Id,
    pub title: String,
    pub body: String,
    pub published_at: DateTime<FixedOffset>,
}

fn case_response(c: entity::clue_case::Model) -> CaseResponse {
    CaseResponse {
        id: Id(c.id),
        title: c.title,
        body: c.body,
        published_at: local_time(c.published_at),
    }
}

/// 典型案例通报 (discipline staff): an anonymised account of a closed clue, published to
/// everyone signed in.
#[utoipa::path(tag = "clues", params(("id" = String, Path)), request_body = CaseRequest, responses(
    (status = 201, body = CaseResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, description = "`clue_open`", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/clues/{id}/cases")]
pub async fn publish_case(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<CaseRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 60, &mut errors);
    let text = required_text(&b.body, "body", 5000, &mut errors);
    no_errors(errors)?;
    let c = service::publish_case(&state.db, auth.id, id.into_inner(), title, text).await?;
    Ok(HttpResponse::Created().json(case_response(c)))
}

/// Published typical cases, newest first (anyone signed in).
#[utoipa::path(tag = "clues", params(PageQuery), responses((status = 200, body = Page<CaseResponse>), (status = 401, body = ErrorBody)))]
#[get("/cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    _auth: AuthUser,
    query: Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.parse()?;
    let limit = q.limit()?;
    let rows = service::cases(&state.db, q.after_id()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(rows, limit, |c| c.id, case_response)))
}

/// One typical case (anyone signed in).
#[utoipa::path(tag = "clues", params(("id" = String, Path)), responses((status = 200, body = CaseResponse), (status = 404, body = ErrorBody)))]
#[get("/cases/{id}")]
pub async fn get_case(state: web::Data<AppState>, _auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(case_response(service::case(&state.db, id.into_inner()).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReferRequest {
    pub category: ClueCategory,
    /// Why it is about conduct, up to 500 characters.
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReferResponse {
    /// The clue made of it (the referrer cannot read it: only discipline staff do).
    pub clue_id: Id,
}

/// 线索移送: refer a demand that turns out to be about an official's conduct to discipline
/// staff (its enterprise's butler, admins). Nothing is written on the demand: its unit does
/// not learn of it. Once per demand.
#[utoipa::path(tag = "clues", params(("id" = String, Path)), request_body = ReferRequest, responses(
    (status = 201, body = ReferResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, description = "`already_referred`", body = ErrorBody)))]
#[post("/demands/{id}/clue")]
pub async fn refer_demand(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ReferRequest>,
) -> ApiResult<HttpResponse> {
    // Who may refer is decided on the demand (its butler, admins) before the body is read.
    let d = crate::service::demands::readable(&state.db, &auth, *id).await?;
    auth.require(crate::domain::access::OWN_BUTLER, &crate::service::demands::owner(&d))?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let note = note_of(b.note.as_deref(), &mut errors);
    no_errors(errors)?;
    let c = service::refer(&state.db, auth.id, &d, b.category, note).await?;
    Ok(HttpResponse::Created().json(ReferResponse { clue_id: Id(c.id) }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClueFiguresResponse {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(flatten)]
    pub figures: ClueFigures,
    /// 线索 N 件，办结 N 件，正在办理 N 件；处分 N 人.
    pub sentence: String,
}

/// The figures of a period (discipline staff): received, closed and in progress as it stood
/// at the period's end; outcomes, categories, persons sanctioned.
#[utoipa::path(tag = "clues", params(RangeQuery), responses((status = 200, body = ClueFiguresResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/clues/figures")]
pub async fn clue_figures(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<RangeQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let (from, to) = query.parse()?.range()?;
    let figures = service::figures(&state.db, from, to).await?;
    Ok(HttpResponse::Ok().json(ClueFiguresResponse {
        from,
        to,
        sentence: figures.sentence(),
        figures,
    }))
}

/// Who read or revealed which clue, newest first (discipline staff read it; no one edits it).
#[utoipa::path(tag = "clues", params(AuditQuery), responses((status = 200, body = Page<AuditEntry>), (status = 403, body = ErrorBody)))]
#[get("/clues/audit-log")]
pub async fn clue_audit_log(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    crate::routes::privacy::audit_page(&state, query.parse()?, true).await
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BulletinRequest {
    pub from: NaiveDate,
    /// Inclusive; not after today.
    pub to: NaiveDate,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulletinResponse {
    pub id: Id,
    pub number: i32,
    pub title: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub figures: ClueFigures,
    pub sentence: String,
    pub created_at: DateTime<FixedOffset>,
}

fn bulletin_response(b: entity::clue_bulletin::Model) -> ApiResult<BulletinResponse> {
    let figures = service::bulletin_figures(&b)?;
    Ok(BulletinResponse {
        id: Id(b.id),
        number: b.number,
        title: crate::render::clue_bulletin::title(b.number),
        period_from: b.period_from,
        period_to: b.period_to,
        sentence: figures.sentence(),
        figures,
        created_at: local_time(b.created_at),
    })
}

/// 定期通报 (discipline staff): the figures of a period written as a numbered bulletin.
#[utoipa::path(tag = "clues", request_body = BulletinRequest, responses((status = 201, body = BulletinResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/clue-bulletins")]
pub async fn write_bulletin(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<BulletinRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let b = body.parse()?;
    if b.to > today() {
        return Err(crate::error::ApiError::invalid_field(
            "to",
            "in_future",
            "结束日期不能晚于今天",
        ));
    }
    let saved = service::write_bulletin(&state.db, auth.id, b.from, b.to).await?;
    Ok(HttpResponse::Created().json(bulletin_response(saved)?))
}

/// The bulletins, newest first (discipline staff).
#[utoipa::path(tag = "clues", responses((status = 200, body = Vec<BulletinResponse>), (status = 403, body = ErrorBody)))]
#[get("/clue-bulletins")]
pub async fn list_bulletins(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let rows = service::bulletins(&state.db).await?;
    let out: ApiResult<Vec<_>> = rows.into_iter().map(bulletin_response).collect();
    Ok(HttpResponse::Ok().json(out?))
}

/// A bulletin as one HTML page with its charts inline (discipline staff).
#[utoipa::path(tag = "clues", params(("id" = String, Path)), responses((status = 200, content_type = "text/html"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/clue-bulletins/{id}/html")]
pub async fn bulletin_html(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(DISCIPLINE)?;
    let b = service::bulletin(&state.db, id.into_inner()).await?;
    let figures = service::bulletin_figures(&b)?;
    let page = crate::render::clue_bulletin::render(b.number, b.period_from, b.period_to, &figures)
        .map_err(crate::error::ApiError::internal)?;
    Ok(download::document(&format!("clue-bulletin-{:03}", b.number), page))
}

//! 「企业之声」 reports (admins): the list, one report's figures, its HTML and Excel, and
//! (re)generation for any period that has ended.
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::domain::report::{Period, ReportData, ReportKind};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::routes::download;
use crate::service::reports;
use crate::state::AppState;
use crate::types::{Id, local_time};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_reports)
        .service(generate_report)
        .service(get_report)
        .service(report_html)
        .service(report_xlsx);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Headline {
    pub received: u64,
    pub completion_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub overdue: u64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportSummary {
    pub id: Id,
    pub kind: ReportKind,
    pub number: i32,
    pub title: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub generated_at: DateTime<FixedOffset>,
    pub headline: Headline,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportResponse {
    #[serde(flatten)]
    pub summary: ReportSummary,
    pub data: ReportData,
}

fn summary(report: &reports::Report) -> ReportSummary {
    let (r, d) = (&report.head, &report.data);
    ReportSummary {
        id: Id(r.id),
        kind: d.kind,
        number: r.number,
        title: d.title.clone(),
        period_from: r.period_from,
        period_to: r.period_to,
        generated_at: local_time(r.generated_at),
        headline: Headline {
            received: d.total.current.received,
            completion_rate: d.total.current.completion_rate,
            satisfaction_rate: d.total.current.satisfaction_rate,
            overdue: u64::try_from(d.overdue.len()).unwrap_or(u64::MAX),
        },
    }
}

fn parse_kind(kind: &str, field: &str) -> ApiResult<ReportKind> {
    ReportKind::parse(kind)
        .ok_or_else(|| ApiError::invalid_field(field, "invalid_choice", "类型应为 weekly 或 monthly"))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `weekly` or `monthly`; both when absent.
    pub kind: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportList {
    pub items: Vec<ReportSummary>,
}

/// The reports, newest period first.
#[utoipa::path(tag = "reports", params(ListQuery), responses((status = 200, body = ReportList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let kind = query.parse()?.kind;
    let kind = kind.as_deref().map(|k| parse_kind(k, "kind")).transpose()?;
    let mut items = Vec::new();
    // One report's figures in memory at a time: a province's run to megabytes each.
    for head in reports::list(&state.db, kind).await? {
        items.push(summary(&reports::get(&state.db, head.id).await?));
    }
    Ok(HttpResponse::Ok().json(ReportList { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenerateRequest {
    pub kind: ReportKind,
    /// The period's first day: a Monday for a week, the 1st for a month.
    pub period_from: NaiveDate,
}

/// Writes the report of a period that has ended, or rewrites it (same number, figures as the
/// period ended, so the same numbers unless the data itself was changed).
#[utoipa::path(tag = "reports", request_body = GenerateRequest, responses(
    (status = 200, body = ReportResponse),
    (status = 403, body = ErrorBody),
    (status = 422, description = "`period_not_ended`, or a `periodFrom` where no period starts", body = ErrorBody),
))]
#[post("/reports")]
pub async fn generate_report(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<GenerateRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let b = body.parse()?;
    let kind = b.kind;
    let period = Period::starting(kind, b.period_from).ok_or_else(|| {
        ApiError::invalid_field(
            "periodFrom",
            "not_a_period_start",
            match kind {
                ReportKind::Weekly => "周报的开始日期须为星期一",
                ReportKind::Monthly => "月报的开始日期须为每月1日",
            },
        )
    })?;
    let r = reports::generate(&state.db, period, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(ReportResponse {
        summary: summary(&r),
        data: r.data,
    }))
}

/// One report with all its figures.
#[utoipa::path(tag = "reports", params(("id" = String, Path)), responses((status = 200, body = ReportResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/reports/{id}")]
pub async fn get_report(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let r = reports::get(&state.db, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ReportResponse {
        summary: summary(&r),
        data: r.data,
    }))
}

fn file_name(r: &reports::Head) -> String {
    format!("qinqing-{}-{}-{:03}", r.kind, r.period_from, r.number)
}

/// The report as one HTML page with its charts inline.
#[utoipa::path(tag = "reports", params(("id" = String, Path)), responses((status = 200, content_type = "text/html"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/reports/{id}/html")]
pub async fn report_html(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let r = reports::get(&state.db, id.into_inner()).await?;
    let page = crate::render::report_html::render(&r.data).map_err(ApiError::internal)?;
    Ok(download::document(&file_name(&r.head), page))
}

/// The report as an Excel workbook.
#[utoipa::path(tag = "reports", params(("id" = String, Path)), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[get("/reports/{id}/xlsx")]
pub async fn report_xlsx(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let r = reports::get(&state.db, id.into_inner()).await?;
    let bytes = crate::render::report_xlsx::render(&r.data).map_err(ApiError::internal)?;
    Ok(download::file(false, &file_name(&r.head), download::XLSX, bytes))
}

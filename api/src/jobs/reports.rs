//! The weekly and monthly 「企业之声」 reports: written for the period just ended and queued
//! for the administration's group. Running twice rewrites the same report and pushes it once.
use actix_web::web;
use chrono::{DateTime, Utc};

use crate::domain::report::ReportKind;
use crate::error::ApiResult;
use crate::service::reports;
use crate::state::AppState;

/// Writes the report of the last complete period before `now`; returns it and the groups it
/// was queued for.
pub async fn run_once(state: &AppState, kind: ReportKind, now: DateTime<Utc>) -> ApiResult<(reports::Report, usize)> {
    reports::write_last(&state.db, kind, now, &state.settings.jobs.report_group_tag).await
}

/// One scheduled run, as the job table logs it.
pub async fn summary(state: web::Data<AppState>, kind: ReportKind, now: DateTime<Utc>) -> anyhow::Result<String> {
    let (report, groups) = run_once(&state, kind, now).await?;
    Ok(format!(
        "report {} no. {} written, queued for {groups} groups",
        report.head.id, report.head.number
    ))
}

//! The weekly and monthly 「企业之声」 reports: written for the period just ended and queued
//! for the administration's group. Running twice rewrites the same report and pushes it once.
use chrono::{DateTime, Utc};

use crate::domain::report::{Period, ReportKind};
use crate::error::ApiResult;
use crate::service::reports;
use crate::state::AppState;
use crate::types::local_time;

/// Writes the report of the last complete period before `now`; returns it and the groups it
/// was queued for.
pub async fn run_once(
    state: &AppState,
    kind: ReportKind,
    now: DateTime<Utc>,
) -> ApiResult<(entity::report::Model, usize)> {
    let period = Period::last_complete(kind, local_time(now).date_naive());
    let report = reports::generate(&state.db, period, now).await?;
    let groups = reports::push(&state.db, &report, &state.settings.jobs.report_group_tag).await?;
    Ok((report, groups))
}

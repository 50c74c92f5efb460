//! Overdue supervision (督办): see `service::deadlines::flag_overdue`.
use chrono::{DateTime, Utc};

use crate::error::ApiResult;
use crate::state::AppState;

/// The demands flagged now.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> ApiResult<usize> {
    crate::service::deadlines::flag_overdue(&state.db, &state.db, &state.settings, now).await
}

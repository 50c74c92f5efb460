//! Replies nobody rated in time are closed, unrated: see `service::deadlines::close_unrated`.
use chrono::{DateTime, Utc};

use crate::error::ApiResult;
use crate::state::AppState;

/// The demands closed now.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> ApiResult<usize> {
    crate::service::deadlines::close_unrated(&state.db, &state.settings, now).await
}

//! Replies nobody rated: reminded two days before (`service::deadlines::remind_to_rate`), then
//! closed unrated (`service::deadlines::close_unrated`).
use chrono::{DateTime, Utc};

use crate::error::ApiResult;
use crate::state::AppState;

/// The replies in the reminder window, and the demands closed now.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> ApiResult<(usize, usize)> {
    let reminded = crate::service::deadlines::remind_to_rate(&state.db, &state.settings, now).await?;
    let closed = crate::service::deadlines::close_unrated(&state.db, &state.settings, now).await?;
    Ok((reminded, closed))
}

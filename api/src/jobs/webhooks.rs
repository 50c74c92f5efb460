//! The outbox's group webhook messages (`service::outbox` does the work).
use chrono::{DateTime, Utc};

use crate::error::ApiResult;
use crate::service::outbox::{self, Report};
use crate::state::AppState;

pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> ApiResult<Report> {
    let sender = outbox::webhook::Sender {
        cache: &state.cache,
        settings: &state.settings.wecom,
    };
    outbox::deliver(&state.db, &sender, super::deliver::run(state, now, 200)).await
}

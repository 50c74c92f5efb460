//! The outbox's WeChat subscribe messages (`service::outbox` does the work).
use chrono::{DateTime, Utc};

use crate::error::ApiResult;
use crate::service::outbox::{self, Report, Run};
use crate::state::AppState;

/// A run of the outbox's delivery with this replica's settings.
pub fn run(state: &AppState, now: DateTime<Utc>, batch: u64) -> Run {
    Run {
        now,
        stale_after: chrono::Duration::seconds(i64::try_from(state.settings.jobs.stale_claim_secs).unwrap_or(120)),
        batch,
    }
}

pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> ApiResult<Report> {
    let sender = outbox::wechat::Sender {
        client: &state.wechat,
        miniprogram_state: &state.settings.wechat.miniprogram_state,
    };
    outbox::deliver(&state.db, &sender, run(state, now, 50)).await
}

//! The outbox's text messages (`service::outbox` does the work).
use chrono::{DateTime, Utc};

use crate::error::ApiResult;
use crate::service::outbox::{self, Report};
use crate::state::AppState;

pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> ApiResult<Report> {
    let sender = outbox::sms::Sender {
        client: &state.sms,
        daily_cap: state.settings.sms.daily_cap,
    };
    outbox::deliver(&state.db, &sender, super::deliver::run(state, now, 50)).await
}

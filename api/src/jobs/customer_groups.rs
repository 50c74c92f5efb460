//! Customer groups: the day's digest into confirmed-send tasks, their delivery to WeCom, the
//! follow-up of the tasks waiting for their butler, and the 微信客服 replies.
use chrono::{DateTime, Utc};

use crate::error::ApiResult;
use crate::service::customer_groups::{self, DigestReport, TrackReport};
use crate::service::outbox::{self, Report};
use crate::state::AppState;

/// The day's digest (`service::customer_groups::digest`).
pub async fn digest(state: &AppState, now: DateTime<Utc>) -> ApiResult<DigestReport> {
    let w = &state.settings.wecom;
    let day = crate::types::local_time(now).date_naive();
    customer_groups::digest(&state.db, w.group_monthly_quota, w.digest_max_policies, day).await
}

/// Creates the queued tasks in WeCom.
pub async fn deliver_mass_sends(state: &AppState, now: DateTime<Utc>) -> ApiResult<Report> {
    let sender = outbox::mass_send::Sender {
        client: &state.wecom,
        cache: &state.cache,
        app_id: state.wechat.app_id().unwrap_or_default(),
    };
    outbox::deliver(&state.db, &sender, super::deliver::run(state, now, 50)).await
}

/// Sends the 微信客服 replies.
pub async fn deliver_kf(state: &AppState, now: DateTime<Utc>) -> ApiResult<Report> {
    let sender = outbox::kf::Sender {
        client: &state.wecom,
        cache: &state.cache,
    };
    outbox::deliver(&state.db, &sender, super::deliver::run(state, now, 200)).await
}

/// Follows the tasks waiting for their butler, reminding once.
pub async fn track(state: &AppState, now: DateTime<Utc>) -> ApiResult<TrackReport> {
    if !state.wecom.is_configured() {
        return Ok(TrackReport::default());
    }
    customer_groups::track(&state.db, &state.wecom, state.settings.wecom.remind_after_hours, now).await
}

//! A reply nobody rated within the configured days is closed, unrated (never counted as
//! satisfied).
use chrono::{DateTime, Duration, Utc};
use entity::demand;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::demand::{Action, Status};
use crate::error::{ApiError, ApiResult};
use crate::service::demands::{self, Ctx, Move};
use crate::state::AppState;

pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> ApiResult<usize> {
    let limit = now - Duration::days(i64::from(state.settings.demands.auto_close_days));
    let due = demand::Entity::find()
        .filter(demand::Column::Status.eq(Status::Replied.code()))
        .filter(demand::Column::RepliedAt.lt(limit))
        .all(&state.db)
        .await?;
    let ctx = Ctx::load(&state.db, &state.settings).await?;
    let mut closed = 0;
    for d in due {
        let note = Some(format!(
            "答复后 {} 天未评价，自动办结",
            state.settings.demands.auto_close_days
        ));
        match demands::act(
            &state.db,
            &ctx,
            None,
            d.id,
            Action::AutoClose,
            Move {
                note,
                ..Move::default()
            },
        )
        .await
        {
            Ok(_) => closed += 1,
            // Rated or moved meanwhile: nothing to do.
            Err(ApiError::Conflict { .. }) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(closed)
}

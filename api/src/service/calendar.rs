//! The working-day calendar as stored: holidays and worked weekend days (调休), managed by
//! admins, with the official 2026 calendar loaded by default.
use std::sync::Arc;

use chrono::NaiveDate;
use entity::holiday;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::copies::{Copies, Writes};

use crate::domain::calendar::{DayKind, WorkCalendar, official_2026};
use crate::error::{ApiError, ApiResult};

/// Loads the shipped official calendar for its year unless that year has entries already.
pub async fn ensure_defaults(db: &impl ConnectionTrait) -> ApiResult<bool> {
    let file = official_2026().ok_or_else(|| ApiError::internal(anyhow::anyhow!("shipped calendar unreadable")))?;
    let start = NaiveDate::from_ymd_opt(file.year, 1, 1).unwrap_or_default();
    let end = NaiveDate::from_ymd_opt(file.year, 12, 31).unwrap_or_default();
    let present = holiday::Entity::find()
        .filter(holiday::Column::Day.between(start, end))
        .one(db)
        .await?;
    if present.is_some() {
        return Ok(false);
    }
    let rows = file
        .days_off
        .iter()
        .map(|d| (d, DayKind::Off))
        .chain(file.workdays.iter().map(|d| (d, DayKind::Work)))
        .map(|(d, kind)| holiday::ActiveModel {
            day: Set(d.date),
            kind: Set(kind),
            name: Set(d.holiday.clone()),
        });
    holiday::Entity::insert_many(rows)
        .on_conflict(OnConflict::column(holiday::Column::Day).do_nothing().to_owned())
        .try_insert()
        .exec(db)
        .await?;
    WRITES.bump();
    Ok(true)
}

pub async fn days(db: &impl ConnectionTrait) -> ApiResult<Vec<holiday::Model>> {
    Ok(holiday::Entity::find()
        .order_by_asc(holiday::Column::Day)
        .all(db)
        .await?)
}

pub async fn load(db: &impl ConnectionTrait) -> ApiResult<WorkCalendar> {
    Ok(WorkCalendar::new(days(db).await?.into_iter().map(|h| (h.day, h.kind))))
}

/// This process's writes of the calendar: each ends this replica's copy at once.
pub static WRITES: Writes = Writes::new();

/// This replica's copy of the calendar (`copies`): the hot paths (lists, details, filing and
/// the moves) read it rather than the table on every request. An edit shows at once on the
/// replica that made it and within `copies::TTL` on the others.
pub type Copy = Copies<Arc<WorkCalendar>>;

pub fn copy() -> Copy {
    Copies::new(&WRITES)
}

/// The calendar as it stands, from this replica's copy.
pub async fn current(copy: &Arc<Copy>, db: &DatabaseConnection) -> ApiResult<Arc<WorkCalendar>> {
    let db = db.clone();
    copy.get_or_read(0, move || async move { load(&db).await.map(Arc::new) })
        .await
}

/// Enters or changes one day.
pub async fn put_day(db: &impl ConnectionTrait, day: NaiveDate, kind: DayKind, name: Option<String>) -> ApiResult<()> {
    holiday::Entity::insert(holiday::ActiveModel {
        day: Set(day),
        kind: Set(kind),
        name: Set(name),
    })
    .on_conflict(
        OnConflict::column(holiday::Column::Day)
            .update_columns([holiday::Column::Kind, holiday::Column::Name])
            .to_owned(),
    )
    .exec(db)
    .await?;
    WRITES.bump();
    Ok(())
}

pub async fn delete_day(db: &impl ConnectionTrait, day: NaiveDate) -> ApiResult<()> {
    holiday::Entity::delete_by_id(day).exec(db).await?;
    WRITES.bump();
    Ok(())
}

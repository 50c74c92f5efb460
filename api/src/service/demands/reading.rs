//! Reading demands as a person may: one demand or a page of them, the names they show, a
//! detail's timeline and files, and the audit of every read of an anonymous demand's identity.
use std::collections::HashMap;

use entity::{demand, demand_event, enterprise};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use chrono::{DateTime, Utc};

use crate::domain::access::Principal;
use crate::domain::calendar::WorkCalendar;
use crate::domain::queue::{DeadlineKind, Dues, Tab, next_deadline, working_days_left};
use crate::error::{ApiError, ApiResult};

use super::*;

/// The names a list or a detail shows, fetched once per answer.
#[derive(Default)]
pub struct Names {
    pub units: HashMap<i64, String>,
    pub enterprises: HashMap<i64, String>,
    pub users: HashMap<i64, String>,
}

pub async fn names(
    db: &impl ConnectionTrait,
    rows: &[demand::Model],
    events: &[demand_event::Model],
) -> ApiResult<Names> {
    let units = unit_names(
        db,
        rows.iter()
            .filter_map(|d| d.unit_id)
            .chain(events.iter().filter_map(|e| e.actor_unit_id)),
    )
    .await?;
    let ent_ids: Vec<i64> = rows.iter().filter_map(|d| d.enterprise_id).collect();
    let enterprises = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ent_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let user_ids: Vec<i64> = rows
        .iter()
        .filter_map(|d| d.submitter_id)
        .chain(events.iter().filter_map(|e| e.actor_id))
        .collect();
    let users = crate::service::people::names(db, user_ids).await?;
    Ok(Names {
        units,
        enterprises,
        users,
    })
}

/// The demand `id`, if `auth` may read it (403 otherwise).
pub async fn readable(db: &impl ConnectionTrait, auth: &Principal, id: i64) -> ApiResult<demand::Model> {
    let d = get(db, id).await?;
    let follower = is_follower(db, d.id, auth.id).await?;
    if !can_read(auth, &d, follower) {
        return Err(ApiError::forbidden());
    }
    Ok(d)
}

/// The calendar and the instant a list or a detail was read at: how far each deadline is.
pub struct Clock {
    pub now: DateTime<Utc>,
    pub calendar: WorkCalendar,
}

/// A demand's next deadline as the console shows it.
#[derive(Debug, Clone, Copy)]
pub struct NextDeadline {
    pub kind: DeadlineKind,
    pub at: DateTime<Utc>,
    /// Negative once passed.
    pub working_days_left: i64,
}

impl Clock {
    pub async fn now(db: &impl ConnectionTrait) -> ApiResult<Self> {
        Ok(Self {
            now: Utc::now(),
            calendar: crate::service::calendar::load(db).await?,
        })
    }

    pub fn horizon(&self) -> Horizon {
        Horizon {
            now: self.now,
            soon: self.calendar.deadline(self.now, 1),
        }
    }

    pub fn next_deadline(&self, d: &demand::Model) -> Option<NextDeadline> {
        let dues = Dues {
            accept: d.accept_due_at,
            sign: d.sign_due_at,
            reply: d.reply_due_at,
        };
        next_deadline(d.status, dues).map(|(kind, at)| NextDeadline {
            kind,
            at,
            working_days_left: working_days_left(&self.calendar, self.now, at),
        })
    }
}

/// A demand with all its detail shows.
pub struct Detail {
    pub demand: demand::Model,
    pub events: Vec<demand_event::Model>,
    pub files: Vec<i64>,
    pub names: Names,
    pub clock: Clock,
}

/// The detail of a demand `auth` may read (the caller checked it); an anonymous demand's
/// identity read by another is audited.
pub async fn detail(db: &impl ConnectionTrait, auth: &Principal, d: demand::Model) -> ApiResult<Detail> {
    let events = timeline(db, d.id).await?;
    let files = attachments(db, d.id).await?.into_iter().map(|a| a.file_id).collect();
    let names = names(db, std::slice::from_ref(&d), &events).await?;
    audit_identity_reads(db, auth, std::slice::from_ref(&d)).await?;
    Ok(Detail {
        demand: d,
        events,
        files,
        names,
        clock: Clock::now(db).await?,
    })
}

/// A page of demands as read.
pub struct Listed {
    /// `limit` of them, and one more when there are more.
    pub rows: Vec<demand::Model>,
    pub names: Names,
    pub clock: Clock,
}

/// A page of the demands `auth` may see, with their names; the identities read on the page
/// are audited.
pub async fn page(
    db: &impl ConnectionTrait,
    auth: &Principal,
    filter: &ListFilter,
    start: PageStart,
    limit: u64,
) -> ApiResult<Listed> {
    let clock = Clock::now(db).await?;
    let rows = list(db, auth, filter, clock.horizon(), start, limit).await?;
    let names = names(db, &rows, &[]).await?;
    let shown = usize::try_from(limit).unwrap_or(usize::MAX).min(rows.len());
    audit_identity_reads(db, auth, &rows[..shown]).await?;
    Ok(Listed { rows, names, clock })
}

/// How many demands of each tab of the queue `auth` has, under the other filters.
pub async fn queue_counts(
    db: &impl ConnectionTrait,
    auth: &Principal,
    filter: &ListFilter,
) -> ApiResult<Vec<(Tab, u64)>> {
    let clock = Clock::now(db).await?;
    tab_counts(db, auth, filter, clock.horizon()).await
}

/// Records every read of the person behind an anonymous demand by someone other than that
/// person (admins and the enterprise's butler see who it was).
async fn audit_identity_reads(db: &impl ConnectionTrait, auth: &Principal, rows: &[demand::Model]) -> ApiResult<()> {
    let revealed: Vec<i64> = rows
        .iter()
        .filter(|d| d.anonymous && d.submitter_id != Some(auth.id) && sees_identity(auth, d))
        .map(|d| d.id)
        .collect();
    crate::service::privacy::audit_identity_reads(db, auth.id, "demand", &revealed).await
}

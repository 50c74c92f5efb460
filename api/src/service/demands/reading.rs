//! Reading demands as a person may: one demand or a page of them, the names they show, a
//! detail's timeline and files, and the audit of every read of an anonymous demand's identity.
use std::collections::HashMap;
use std::sync::Arc;

use entity::{demand, demand_event, enterprise};
use sea_orm::{ColumnTrait, ConnectionTrait};

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

/// The names of the units, enterprises and people on `rows` and `events`, in one statement.
pub async fn names(
    db: &impl ConnectionTrait,
    rows: &[demand::Model],
    events: &[demand_event::Model],
) -> ApiResult<Names> {
    use entity::{unit, user};
    use sea_orm::ExprTrait;
    use sea_orm::sea_query::{Expr, Query, SelectStatement, UnionType};
    fn distinct(ids: impl Iterator<Item = i64>) -> Vec<i64> {
        let mut ids: Vec<i64> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
    let units = distinct(
        rows.iter()
            .filter_map(|d| d.unit_id)
            .chain(events.iter().filter_map(|e| e.actor_unit_id)),
    );
    let enterprises = distinct(rows.iter().filter_map(|d| d.enterprise_id));
    let users = distinct(
        rows.iter()
            .filter_map(|d| d.submitter_id)
            .chain(events.iter().filter_map(|e| e.actor_id)),
    );
    // (what, id, name, gone): a person's name is their nickname, `gone` once the account is
    // deleted. Constants are written into the statement, not bound: a bound value in a UNION's
    // select list has no type PostgreSQL can match across the parts when replayed as text.
    let part = |what: &str, id: Expr, name: Expr, gone: Expr, table: sea_orm::sea_query::DynIden, ids: Vec<i64>| {
        Query::select()
            .expr_as(Expr::cust(format!("'{what}'")), "what")
            .expr_as(id.clone(), "id")
            .expr_as(name, "name")
            .expr_as(gone, "gone")
            .from(table)
            .and_where(id.is_in(ids))
            .take()
    };
    let parts: Vec<SelectStatement> = [
        (!units.is_empty()).then(|| {
            part(
                "unit",
                Expr::col(unit::Column::Id),
                Expr::col(unit::Column::Name),
                Expr::cust("FALSE"),
                unit::Column::Id.entity_name(),
                units,
            )
        }),
        (!enterprises.is_empty()).then(|| {
            part(
                "enterprise",
                Expr::col(enterprise::Column::Id),
                Expr::col(enterprise::Column::Name),
                Expr::cust("FALSE"),
                enterprise::Column::Id.entity_name(),
                enterprises,
            )
        }),
        (!users.is_empty()).then(|| {
            part(
                "user",
                Expr::col(user::Column::Id),
                Expr::col(user::Column::Nickname),
                Expr::col(user::Column::DeletedAt).is_not_null(),
                user::Column::Id.entity_name(),
                users,
            )
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut names = Names::default();
    let mut parts = parts.into_iter();
    let Some(mut q) = parts.next() else {
        return Ok(names);
    };
    for p in parts {
        q.union(UnionType::All, p);
    }
    for row in db.query_all(&q).await? {
        let what: String = row.try_get("", "what")?;
        let id: i64 = row.try_get("", "id")?;
        let name: Option<String> = row.try_get("", "name")?;
        match what.as_str() {
            "unit" => names.units.insert(id, name.unwrap_or_default()),
            "enterprise" => names.enterprises.insert(id, name.unwrap_or_default()),
            _ => names.users.insert(
                id,
                crate::service::people::name_shown(row.try_get("", "gone")?, name.as_deref()),
            ),
        };
    }
    Ok(names)
}

/// The demand `id`, if `auth` may read it (403 otherwise).
pub async fn readable(db: &impl ConnectionTrait, auth: &Principal, id: i64) -> ApiResult<demand::Model> {
    let seen = seen(db, auth.id, id).await?;
    if !can_read(auth, &seen.demand, seen.followed) {
        return Err(ApiError::forbidden());
    }
    Ok(seen.demand)
}

/// The calendar and the instant a list or a detail was read at: how far each deadline is.
pub struct Clock {
    pub now: DateTime<Utc>,
    pub calendar: Arc<WorkCalendar>,
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
    /// Now, under `calendar` (the replica's copy, `calendar::current`).
    pub fn now(calendar: Arc<WorkCalendar>) -> Self {
        Self {
            now: Utc::now(),
            calendar,
        }
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
    /// The anonymous demand among them whose submitter `auth` is shown (not yet audited).
    pub revealed: Vec<i64>,
}

/// The detail of a demand `auth` may read (the caller checked it); an anonymous demand's
/// identity read by another is audited.
pub async fn detail(
    db: &impl ConnectionTrait,
    calendar: Arc<WorkCalendar>,
    auth: &Principal,
    d: demand::Model,
) -> ApiResult<Detail> {
    let detail = detail_unaudited(db, calendar, auth, d).await?;
    audit(db, auth, &detail.revealed).await?;
    Ok(detail)
}

/// `detail` without the audit of the identity it reveals (`Detail::revealed`), for an answer
/// kept and audited on each use (`answers`).
pub async fn detail_unaudited(
    db: &impl ConnectionTrait,
    calendar: Arc<WorkCalendar>,
    auth: &Principal,
    d: demand::Model,
) -> ApiResult<Detail> {
    let events = timeline(db, d.id).await?;
    let files = attachments(db, d.id).await?.into_iter().map(|a| a.file_id).collect();
    let names = names(db, std::slice::from_ref(&d), &events).await?;
    let revealed = revealed(auth, std::slice::from_ref(&d));
    Ok(Detail {
        demand: d,
        events,
        files,
        names,
        clock: Clock::now(calendar),
        revealed,
    })
}

/// A page of demands as read.
pub struct Listed {
    /// `limit` of them, and one more when there are more.
    pub rows: Vec<demand::Model>,
    pub names: Names,
    pub clock: Clock,
    /// The anonymous demands of the page whose submitter `auth` is shown: the caller audits
    /// them (`audit`; `answers` does on each use of the answer).
    pub revealed: Vec<i64>,
}

/// A page of the demands `auth` may see, with their names and the identities it reveals
/// (not audited here: see `Listed::revealed`).
pub async fn page(
    db: &impl ConnectionTrait,
    calendar: Arc<WorkCalendar>,
    auth: &Principal,
    filter: &ListFilter,
    start: PageStart,
    limit: u64,
) -> ApiResult<Listed> {
    let clock = Clock::now(calendar);
    let listed = list(db, auth, filter, clock.horizon(), start, limit).await?;
    let mut names = Names::default();
    let mut rows = Vec::with_capacity(listed.len());
    for r in listed {
        let d = r.demand;
        if let (Some(id), Some(name)) = (d.unit_id, r.unit_name) {
            names.units.insert(id, name);
        }
        if let (Some(id), Some(name)) = (d.enterprise_id, r.enterprise_name) {
            names.enterprises.insert(id, name);
        }
        // The submitter's row exists: the key is a foreign key.
        if let Some(id) = d.submitter_id {
            let shown =
                crate::service::people::name_shown(r.submitter_deleted_at.is_some(), r.submitter_nickname.as_deref());
            names.users.insert(id, shown);
        }
        rows.push(d);
    }
    let shown = usize::try_from(limit).unwrap_or(usize::MAX).min(rows.len());
    let revealed = revealed(auth, &rows[..shown]);
    Ok(Listed {
        rows,
        names,
        clock,
        revealed,
    })
}

/// How many demands of each tab of the queue `auth` has, under the other filters.
pub async fn queue_counts(
    db: &impl ConnectionTrait,
    calendar: Arc<WorkCalendar>,
    auth: &Principal,
    filter: &ListFilter,
) -> ApiResult<Vec<(Tab, u64)>> {
    let clock = Clock::now(calendar);
    tab_counts(db, auth, filter, clock.horizon()).await
}

/// The anonymous demands of `rows` whose submitter `auth`, someone other than that person, is
/// shown (admins and the enterprise's butler see who it was): every such read is audited.
fn revealed(auth: &Principal, rows: &[demand::Model]) -> Vec<i64> {
    rows.iter()
        .filter(|d| d.anonymous && d.submitter_id != Some(auth.id) && sees_identity(auth, d))
        .map(|d| d.id)
        .collect()
}

/// Records `auth`'s reads of the identities behind the anonymous demands `revealed`.
pub async fn audit(db: &impl ConnectionTrait, auth: &Principal, revealed: &[i64]) -> ApiResult<()> {
    crate::service::privacy::audit_identity_reads(db, auth.id, "demand", revealed).await
}

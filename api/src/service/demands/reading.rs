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

/// What a detail shows beside the demand: its timeline, its files and the names they show.
struct Parts {
    events: Vec<demand_event::Model>,
    files: Vec<i64>,
    names: Names,
}

/// The timeline of `d`, its files and the names of its unit, enterprise and submitter and of
/// the timeline's actors, in one statement: every move answers with the detail, and each round
/// trip to the database costs the server more than the statement costs the database
/// (docs/benchmarks.md). A union of rows of one shape, told apart by `what`: `event` rows carry
/// the event's columns, `file` rows a file's id, the others a name (`gone` once a person's
/// account is deleted); `seq` orders events and files.
async fn parts(db: &impl ConnectionTrait, d: &demand::Model) -> ApiResult<Parts> {
    use entity::{demand_attachment, unit, user};
    use sea_orm::sea_query::{Condition, Expr, Query, SelectStatement, UnionType};
    use sea_orm::{ExprTrait, IdenStatic};
    type E = demand_event::Column;
    // The event's columns, in this order in every part (NULL outside `event` rows).
    const EVENT: [E; 9] = [
        E::Action,
        E::FromStatus,
        E::ToStatus,
        E::ActorId,
        E::ActorRole,
        E::ActorUnitId,
        E::Note,
        E::Data,
        E::CreatedAt,
    ];
    // Constants are written into the statement, not bound: a bound value in a union's select
    // list has no type PostgreSQL can match across the parts when replayed as text. The
    // events' part comes first and types its NULLs: PostgreSQL types a union's columns pair by
    // pair, and would take a column NULL in the first two parts for text.
    let mut events = Query::select();
    events
        .expr_as(Expr::cust("'event'"), "what")
        .expr_as(Expr::col(E::Id), "id")
        .expr_as(Expr::cust("CAST(NULL AS TEXT)"), "name")
        .expr_as(Expr::cust("CAST(NULL AS BOOLEAN)"), "gone")
        .expr_as(Expr::col(E::Id), "seq")
        .columns(EVENT)
        .from(demand_event::Entity)
        .and_where(Expr::col(E::DemandId).eq(d.id));
    let of_events = |col: E| {
        Query::select()
            .column(col)
            .from(demand_event::Entity)
            .and_where(Expr::col(E::DemandId).eq(d.id))
            .take()
    };
    let part = |what: &str,
                id: Expr,
                name: Expr,
                gone: Expr,
                seq: Expr,
                table: sea_orm::sea_query::DynIden,
                which: Condition| {
        let mut q = Query::select();
        q.expr_as(Expr::cust(format!("'{what}'")), "what")
            .expr_as(id, "id")
            .expr_as(name, "name")
            .expr_as(gone, "gone")
            .expr_as(seq, "seq");
        for col in EVENT {
            q.expr_as(Expr::cust("NULL"), col.as_str());
        }
        // A part that names no row is left out: a WHERE of no condition would take them all.
        (!which.is_empty()).then(|| q.from(table).cond_where(which).take())
    };
    // The rows the demand names, and those its events name.
    let named = |col: Expr, known: Option<i64>, of_events: Option<SelectStatement>| {
        Condition::any()
            .add_option(known.map(|id| col.clone().eq(id)))
            .add_option(of_events.map(|actors| col.in_subquery(actors)))
    };
    let parts: [Option<SelectStatement>; 4] = [
        part(
            "file",
            Expr::col(demand_attachment::Column::FileId),
            Expr::cust("NULL"),
            Expr::cust("NULL"),
            Expr::col(demand_attachment::Column::Id),
            demand_attachment::Column::Id.entity_name(),
            Condition::all().add(Expr::col(demand_attachment::Column::DemandId).eq(d.id)),
        ),
        part(
            "unit",
            Expr::col(unit::Column::Id),
            Expr::col(unit::Column::Name),
            Expr::cust("FALSE"),
            Expr::cust("0"),
            unit::Column::Id.entity_name(),
            named(Expr::col(unit::Column::Id), d.unit_id, Some(of_events(E::ActorUnitId))),
        ),
        part(
            "enterprise",
            Expr::col(enterprise::Column::Id),
            Expr::col(enterprise::Column::Name),
            Expr::cust("FALSE"),
            Expr::cust("0"),
            enterprise::Column::Id.entity_name(),
            named(Expr::col(enterprise::Column::Id), d.enterprise_id, None),
        ),
        part(
            "user",
            Expr::col(user::Column::Id),
            Expr::col(user::Column::Nickname),
            Expr::col(user::Column::DeletedAt).is_not_null(),
            Expr::cust("0"),
            user::Column::Id.entity_name(),
            named(Expr::col(user::Column::Id), d.submitter_id, Some(of_events(E::ActorId))),
        ),
    ];
    for p in parts.into_iter().flatten() {
        events.union(UnionType::All, p);
    }
    let mut rows = db
        .query_all(&events)
        .await?
        .into_iter()
        .map(|row| Ok((row.try_get::<i64>("", "seq")?, row)))
        .collect::<ApiResult<Vec<_>>>()?;
    rows.sort_by_key(|(seq, _)| *seq);
    let mut out = Parts {
        events: Vec::new(),
        files: Vec::new(),
        names: Names::default(),
    };
    for (_, row) in rows {
        let what: String = row.try_get("", "what")?;
        let id: i64 = row.try_get("", "id")?;
        match what.as_str() {
            "event" => out.events.push(demand_event::Model {
                id,
                demand_id: d.id,
                action: row.try_get("", E::Action.as_str())?,
                from_status: row.try_get("", E::FromStatus.as_str())?,
                to_status: row.try_get("", E::ToStatus.as_str())?,
                actor_id: row.try_get("", E::ActorId.as_str())?,
                actor_role: row.try_get("", E::ActorRole.as_str())?,
                actor_unit_id: row.try_get("", E::ActorUnitId.as_str())?,
                note: row.try_get("", E::Note.as_str())?,
                data: row.try_get("", E::Data.as_str())?,
                created_at: row.try_get("", E::CreatedAt.as_str())?,
            }),
            "file" => out.files.push(id),
            named => {
                let name: Option<String> = row.try_get("", "name")?;
                let names = &mut out.names;
                match named {
                    "unit" => names.units.insert(id, name.unwrap_or_default()),
                    "enterprise" => names.enterprises.insert(id, name.unwrap_or_default()),
                    _ => names.users.insert(
                        id,
                        crate::service::people::name_shown(row.try_get("", "gone")?, name.as_deref()),
                    ),
                };
            }
        }
    }
    Ok(out)
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
    let Parts { events, files, names } = parts(db, &d).await?;
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

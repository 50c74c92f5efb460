//! Demands (诉求), the heart of the product: every channel files the same work order
//! (`filing`), it moves through the state machine of `domain::demand` one transaction at a time
//! (`moves`), each move tells the people it concerns (`notices`), who sees what is decided in
//! one place (`visibility`) and read through it (`reading`). This module holds what they share:
//! the context of a move, the actor on the timeline, the demand itself.
pub mod filing;
pub mod moves;
pub mod notices;
pub mod presence;
pub mod queue_tally;
pub mod reading;
pub mod visibility;

pub use filing::{DemandFiles, Filing, NewDemand, create, file};
pub use moves::{Move, act_in, act_on, write_guarded};
pub use notices::{To, audience, notify_people, notify_unit, unit_handlers};
pub use reading::{Clock, Detail, Listed, Names, NextDeadline, detail, page, queue_counts, readable};
pub use visibility::{
    Horizon, ListFilter, PageStart, attachments, can_read, list, may_attempt, sees_identity, tab_counts,
    tab_counts_scanned,
};

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{demand, demand_attachment, demand_event, demand_follower, unit};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::domain::access::{Access, OWN_UNIT, Owner, Principal};
use crate::domain::calendar::WorkCalendar;
use crate::domain::demand::{Action, Status};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::settings::Settings;

/// What a move needs besides the demand: settings, the working-day calendar, and the pool
/// (for demand numbers, which are not taken inside the caller's transaction).
pub struct Context<'a> {
    pub settings: &'a Settings,
    pub calendar: std::sync::Arc<WorkCalendar>,
    pub pool: DatabaseConnection,
}

impl<'a> Context<'a> {
    /// The settings and the holiday calendar as the table holds it now.
    pub async fn load(db: &DatabaseConnection, settings: &'a Settings) -> ApiResult<Self> {
        let calendar = crate::service::calendar::load(db).await?;
        Ok(Self::new(db, settings, std::sync::Arc::new(calendar)))
    }

    /// The settings and `calendar` (on the hot paths, the replica's copy: `AppState::calendar`).
    pub fn new(db: &DatabaseConnection, settings: &'a Settings, calendar: std::sync::Arc<WorkCalendar>) -> Self {
        Self {
            settings,
            calendar,
            pool: db.clone(),
        }
    }
}

pub fn owner(d: &demand::Model) -> Owner {
    Owner {
        enterprise_id: d.enterprise_id,
        butler_id: d.butler_id,
        unit_id: d.unit_id,
        user_id: d.submitter_id,
    }
}

pub async fn is_follower(db: &impl ConnectionTrait, demand_id: i64, user_id: i64) -> ApiResult<bool> {
    Ok(demand_follower::Entity::find_by_id((demand_id, user_id))
        .one(db)
        .await?
        .is_some())
}

/// No demand has the id asked for.
pub(crate) fn missing() -> ApiError {
    ApiError::not_found("demand_not_found", "诉求不存在")
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<demand::Model> {
    demand::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)
}

/// A demand as a person saw it: the row, and whether that person follows it (what decides
/// whether they may read it or move it).
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct Seen {
    #[sea_orm(nested)]
    pub demand: demand::Model,
    pub followed: bool,
}

/// The demand `id` and whether `user_id` follows it, in one statement.
pub async fn seen(db: &impl ConnectionTrait, user_id: i64, id: i64) -> ApiResult<Seen> {
    use sea_orm::sea_query::{Expr, Query};
    use sea_orm::{ExprTrait, QuerySelect};
    let follows = Query::select()
        .expr(Expr::val(1))
        .from(demand_follower::Entity)
        .and_where(
            Expr::col((demand_follower::Entity, demand_follower::Column::DemandId))
                .equals((demand::Entity, demand::Column::Id)),
        )
        .and_where(Expr::col((demand_follower::Entity, demand_follower::Column::UserId)).eq(user_id))
        .take();
    demand::Entity::find_by_id(id)
        .expr_as(Expr::exists(follows), "followed")
        .into_model::<Seen>()
        .one(db)
        .await?
        .ok_or_else(missing)
}

/// The acting person's role on the timeline.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub id: Option<i64>,
    pub role: Option<Role>,
    pub unit_id: Option<i64>,
}

impl Actor {
    pub const SYSTEM: Actor = Actor {
        id: None,
        role: None,
        unit_id: None,
    };

    /// The role under which `auth` acts on `d` (the most specific that allows it).
    pub fn of(auth: &Principal, d: &demand::Model) -> Actor {
        let o = owner(d);
        let (role, unit_id) = if auth.can(OWN_UNIT, &o) {
            (Role::Handler, d.unit_id)
        } else if auth.can(&[Access::EnterpriseButler], &o) {
            (Role::Butler, None)
        } else if auth.is_admin() {
            (Role::Admin, None)
        } else if auth.has_role(Role::Enterprise) {
            (Role::Enterprise, None)
        } else {
            (auth.roles.first().map_or(Role::Enterprise, |r| r.role), None)
        };
        Actor {
            id: Some(auth.id),
            role: Some(role),
            unit_id,
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn add_event(
    db: &impl ConnectionTrait,
    demand_id: i64,
    action: Action,
    from: Option<Status>,
    to: Status,
    actor: Actor,
    note: Option<String>,
    data: Option<serde_json::Value>,
    at: DateTime<Utc>,
) -> ApiResult<demand_event::Model> {
    crate::copies::ANSWERED_WRITES.bump();
    Ok(demand_event::ActiveModel {
        demand_id: Set(demand_id),
        action: Set(action),
        from_status: Set(from),
        to_status: Set(to),
        actor_id: Set(actor.id),
        actor_role: Set(actor.role),
        actor_unit_id: Set(actor.unit_id),
        note: Set(note),
        data: Set(data),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Unit names by id, for shaping lists.
pub async fn unit_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> ApiResult<HashMap<i64, String>> {
    // Distinct ids: callers pass one per demand, and a zone has a handful of units.
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(unit::Entity::find()
        .filter(unit::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// Lists files on the demand (at filing, or on the event that brought them).
pub(super) async fn link(
    db: &impl ConnectionTrait,
    demand_id: i64,
    event_id: Option<i64>,
    files: &[i64],
) -> ApiResult<()> {
    if files.is_empty() {
        return Ok(());
    }
    let rows = files.iter().map(|f| demand_attachment::ActiveModel {
        demand_id: Set(demand_id),
        file_id: Set(*f),
        event_id: Set(event_id),
        ..Default::default()
    });
    crate::copies::ANSWERED_WRITES.bump();
    demand_attachment::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

//! The hotline desk (热线受理): finding the caller's enterprise as the agent types, and the call
//! log the phone system writes (modelled on Zammad's CTI events: `newCall`, `answer`, `hangup`).
//! A call's number is matched to the people of an enterprise; a call nobody answered, or one
//! that ended without a demand, lands on the call-back list until an agent resolves it.
use chrono::{DateTime, Utc};
use entity::codes::{CallDirection, CallStatus};
use entity::{call, demand, enterprise, role_grant, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::access::{OWN_BUTLER, Principal};
use crate::domain::phone;
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::service::{contains, enterprises, starts_with};

/// How many enterprises a lookup answers, and how many recent demands each shows.
const LOOKUP_LIMIT: u64 = 10;
const RECENT_DEMANDS: u64 = 5;

/// An enterprise as the desk shows it.
pub struct Found {
    pub enterprise: enterprise::Model,
    pub butler_name: Option<String>,
    pub recent: Vec<demand::Model>,
}

/// The enterprises of the people whose phone is `number`.
async fn enterprises_of_phone(db: &impl ConnectionTrait, number: &str) -> ApiResult<Vec<i64>> {
    let people: Vec<i64> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Phone.eq(number))
        .filter(user::Column::DeletedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = role_grant::Entity::find()
        .select_only()
        .column(role_grant::Column::EnterpriseId)
        .filter(role_grant::Column::UserId.is_in(people))
        .filter(role_grant::Column::Role.eq(Role::Enterprise))
        .filter(role_grant::Column::RevokedAt.is_null())
        .filter(role_grant::Column::EnterpriseId.is_not_null())
        .into_tuple::<Option<i64>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Enterprises by part of the name, the start of the USCC, or a phone of one of its people;
/// the best first (a phone or the whole USCC, then the shortest names).
pub async fn lookup(db: &impl ConnectionTrait, who: &Principal, q: &str) -> ApiResult<Vec<Found>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let by_phone = match phone::parse(q) {
        Some(number) => enterprises_of_phone(db, &number).await?,
        None => Vec::new(),
    };
    let mut any = Condition::any()
        .add(contains(enterprise::Column::Name, q))
        .add(starts_with(enterprise::Column::Uscc, &q.to_ascii_uppercase()));
    if !by_phone.is_empty() {
        any = any.add(enterprise::Column::Id.is_in(by_phone.clone()));
    }
    let mut rows = enterprise::Entity::find()
        .filter(any)
        .order_by_asc(Expr::cust("LENGTH(name)"))
        .order_by_asc(enterprise::Column::Id)
        .limit(LOOKUP_LIMIT)
        .all(db)
        .await?;
    let upper = q.to_ascii_uppercase();
    rows.sort_by_key(|e| !(by_phone.contains(&e.id) || e.uscc == upper));
    let butlers = crate::service::people::names(db, rows.iter().filter_map(|e| e.butler_user_id)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for e in rows {
        let recent = recent_demands(db, who, &e).await?;
        out.push(Found {
            butler_name: e.butler_user_id.and_then(|id| butlers.get(&id).cloned()),
            enterprise: e,
            recent,
        });
    }
    Ok(out)
}

/// An enterprise's latest demands as `who` may see them at the desk: an anonymous one only for
/// admins and the enterprise's own butler (who see who is behind it anyway).
pub async fn recent_demands(
    db: &impl ConnectionTrait,
    who: &Principal,
    e: &enterprise::Model,
) -> ApiResult<Vec<demand::Model>> {
    let mut q = demand::Entity::find()
        .filter(demand::Column::EnterpriseId.eq(e.id))
        .order_by_desc(demand::Column::Id)
        .limit(RECENT_DEMANDS);
    if !who.can(OWN_BUTLER, &enterprises::owner(e)) {
        q = q.filter(demand::Column::Anonymous.eq(false));
    }
    Ok(q.all(db).await?)
}

/// What the phone system says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEvent {
    NewCall,
    Answer,
    Hangup,
}

/// One event of the phone system.
pub struct PhoneEvent {
    pub event: CallEvent,
    pub call_id: String,
    pub from: String,
    pub to: String,
    pub direction: CallDirection,
    pub agent: Option<String>,
    pub at: DateTime<Utc>,
}

async fn agent_user(db: &impl ConnectionTrait, agent: Option<&str>) -> ApiResult<Option<i64>> {
    let Some(agent) = agent.filter(|a| !a.is_empty()) else {
        return Ok(None);
    };
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Extension.eq(agent))
        .into_tuple()
        .one(db)
        .await?)
}

/// Records an event on the call log. Events are idempotent: a repeated `newCall` changes
/// nothing, an `answer` or `hangup` of a call never announced starts its record.
pub async fn record(db: &impl ConnectionTrait, e: PhoneEvent) -> ApiResult<call::Model> {
    let found = call::Entity::find()
        .filter(call::Column::CallId.eq(&e.call_id))
        .one(db)
        .await?;
    let agent_user_id = agent_user(db, e.agent.as_deref()).await?;
    let current = match found {
        Some(c) => c,
        None => {
            let caller = if e.direction == CallDirection::In {
                &e.from
            } else {
                &e.to
            };
            let enterprise_id = match phone::parse(caller) {
                Some(number) => enterprises_of_phone(db, &number).await?.first().copied(),
                None => None,
            };
            let inserted = call::ActiveModel {
                call_id: Set(e.call_id.clone()),
                from_number: Set(e.from.clone()),
                to_number: Set(e.to.clone()),
                direction: Set(e.direction),
                agent: Set(e.agent.clone()),
                agent_user_id: Set(agent_user_id),
                enterprise_id: Set(enterprise_id),
                status: Set(CallStatus::Ringing),
                started_at: Set(e.at),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await;
            match inserted {
                Ok(c) => c,
                // The same call announced twice at once: the other request recorded it.
                Err(err) if crate::service::is_unique_violation(&err) => call::Entity::find()
                    .filter(call::Column::CallId.eq(&e.call_id))
                    .one(db)
                    .await?
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("call vanished")))?,
                Err(err) => return Err(err.into()),
            }
        }
    };
    let mut a: call::ActiveModel = current.clone().into();
    match e.event {
        CallEvent::NewCall => return Ok(current),
        CallEvent::Answer if current.status == CallStatus::Ringing => {
            a.status = Set(CallStatus::Answered);
            a.answered_at = Set(Some(e.at));
            if e.agent.is_some() {
                a.agent = Set(e.agent.clone());
                a.agent_user_id = Set(agent_user_id);
            }
        }
        CallEvent::Hangup if current.ended_at.is_none() => {
            a.status = Set(if current.status == CallStatus::Ringing {
                CallStatus::Missed
            } else {
                CallStatus::Done
            });
            a.ended_at = Set(Some(e.at));
        }
        // A late or repeated answer or hangup: the call already moved on.
        _ => return Ok(current),
    }
    Ok(a.update(db).await?)
}

/// The other party's number: the caller's on a call in, the called on a call out.
pub fn caller_number(c: &call::Model) -> &str {
    if c.direction == CallDirection::In {
        &c.from_number
    } else {
        &c.to_number
    }
}

/// Which calls a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallFilter {
    All,
    Status(CallStatus),
    /// Missed, or ended without a demand, and not resolved: to be called back.
    CallBack,
}

/// Calls, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: CallFilter,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<call::Model>> {
    let mut q = call::Entity::find().order_by_desc(call::Column::Id).limit(limit + 1);
    if let Some(after) = after_id {
        q = q.filter(call::Column::Id.lt(after));
    }
    q = match filter {
        CallFilter::All => q,
        CallFilter::Status(s) => q.filter(call::Column::Status.eq(s)),
        CallFilter::CallBack => q.filter(call::Column::ResolvedAt.is_null()).filter(
            Condition::any().add(call::Column::Status.eq(CallStatus::Missed)).add(
                Condition::all()
                    .add(call::Column::Status.eq(CallStatus::Done))
                    .add(call::Column::DemandId.is_null()),
            ),
        ),
    };
    Ok(q.all(db).await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<call::Model> {
    call::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("call_not_found", "通话记录不存在"))
}

/// Takes a call off the call-back list, with the demand it led to, if any.
pub async fn resolve(db: &impl ConnectionTrait, id: i64, demand_id: Option<i64>) -> ApiResult<call::Model> {
    let c = get(db, id).await?;
    let mut a: call::ActiveModel = c.clone().into();
    a.resolved_at = Set(Some(Utc::now()));
    if demand_id.is_some() {
        a.demand_id = Set(demand_id);
    }
    Ok(a.update(db).await?)
}

/// Calls ringing for `who` that started after `after_id`: those whose agent is `who`, and,
/// for butlers, those the phone system named no agent for. Only calls still ringing, started
/// within the last minute.
pub async fn ringing_for(db: &impl ConnectionTrait, who: &Principal, after_id: i64) -> ApiResult<Vec<call::Model>> {
    let mut mine = Condition::any().add(call::Column::AgentUserId.eq(who.id));
    if who.has_role(Role::Butler) {
        mine = mine.add(call::Column::AgentUserId.is_null());
    }
    Ok(call::Entity::find()
        .filter(call::Column::Id.gt(after_id))
        .filter(call::Column::Status.eq(CallStatus::Ringing))
        .filter(call::Column::StartedAt.gt(Utc::now() - chrono::Duration::minutes(1)))
        .filter(mine)
        .order_by_asc(call::Column::Id)
        .limit(20)
        .all(db)
        .await?)
}

/// The agents' and enterprises' names of calls.
pub async fn names_of(
    db: &impl ConnectionTrait,
    calls: &[call::Model],
) -> ApiResult<(
    std::collections::HashMap<i64, String>,
    std::collections::HashMap<i64, String>,
)> {
    let agents = crate::service::people::names(db, calls.iter().filter_map(|c| c.agent_user_id)).await?;
    let ids: Vec<i64> = calls.iter().filter_map(|c| c.enterprise_id).collect();
    let enterprises = enterprises::names(db, &ids).await?;
    Ok((agents, enterprises))
}

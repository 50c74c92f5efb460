//! On-site inspections (涉企行政检查): registered by a unit's handler before entering, seen by
//! the enterprise (who, why, on what basis), rated by its members (a complaint becomes a demand
//! on channel `inspection`), counted by unit and quarter with the enterprises inspected too often.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::{inspection, inspection_invite, inspection_rating};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::access::{Owner, Principal};
use crate::domain::demand::{Channel, ContentCheck, Environment, Kind};
use crate::domain::inspection::{self as rules, Flag, InspectionFact, Quarter, UnitQuarter};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::service::demands::{self, Actor, Context, NewDemand};
use crate::settings::Settings;
use crate::types::ids_of;

pub struct NewInspection {
    pub enterprise_id: i64,
    pub unit_ids: Vec<i64>,
    pub inspectors: String,
    pub purpose: String,
    pub legal_basis: String,
    pub inspected_on: NaiveDate,
}

fn unit_ids(i: &inspection::Model) -> Vec<i64> {
    ids_of(&i.unit_ids).into_iter().map(|id| id.0).collect()
}

/// Who may read an inspection: admins, the handlers of any of its units, the enterprise's
/// members and its butler, the officers and media observers invited to it.
pub fn readable(auth: &Principal, i: &inspection::Model, butler_id: Option<i64>, invited: bool) -> bool {
    let units = unit_ids(i);
    auth.is_admin()
        || invited
        || auth.unit_ids().any(|u| units.contains(&u))
        || auth.enterprise_ids().any(|e| e == i.enterprise_id)
        || (auth.has_role(Role::Butler) && butler_id == Some(auth.id))
}

/// Whether `auth` may change an inspection (invite to it): admins and its units' handlers.
pub fn manageable(auth: &Principal, i: &inspection::Model) -> bool {
    let units = unit_ids(i);
    auth.is_admin() || auth.unit_ids().any(|u| units.contains(&u))
}

/// Those invited to an inspection, in the order invited.
pub async fn invitees(db: &impl ConnectionTrait, inspection_id: i64) -> ApiResult<Vec<inspection_invite::Model>> {
    Ok(inspection_invite::Entity::find()
        .filter(inspection_invite::Column::InspectionId.eq(inspection_id))
        .order_by_asc(inspection_invite::Column::Id)
        .all(db)
        .await?)
}

/// The inspections a person is invited to.
async fn invited_to(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<Vec<i64>> {
    Ok(inspection_invite::Entity::find()
        .select_only()
        .column(inspection_invite::Column::InspectionId)
        .filter(inspection_invite::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// Invites experience officers and media observers to an inspection (once each): each person
/// must hold one of those roles today, else 422 on their entry.
pub async fn invite(db: &impl ConnectionTrait, i: &inspection::Model, user_ids: &[i64]) -> ApiResult<()> {
    let officers = crate::service::people::holding(db, Role::Officer, user_ids).await?;
    let media = crate::service::people::holding(db, Role::Media, user_ids).await?;
    let errors: Vec<crate::error::FieldError> = user_ids
        .iter()
        .enumerate()
        .filter(|(_, u)| !officers.contains(u) && !media.contains(u))
        .map(|(n, _)| {
            crate::error::FieldError::new(
                format!("userIds[{n}]"),
                "not_observer",
                "只能邀请营商环境体验官或媒体观察员",
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let now = Utc::now();
    for u in user_ids {
        inspection_invite::Entity::insert(inspection_invite::ActiveModel {
            inspection_id: Set(i.id),
            user_id: Set(*u),
            observation: Set(None),
            observed_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::columns([
                inspection_invite::Column::InspectionId,
                inspection_invite::Column::UserId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// An invited person files what they observed, once.
pub async fn observe(db: &impl ConnectionTrait, i: &inspection::Model, user_id: i64, text: String) -> ApiResult<()> {
    let done = inspection_invite::Entity::update_many()
        .col_expr(
            inspection_invite::Column::Observation,
            sea_orm::sea_query::Expr::value(Some(text)),
        )
        .col_expr(
            inspection_invite::Column::ObservedAt,
            sea_orm::sea_query::Expr::value(Some(Utc::now())),
        )
        .filter(inspection_invite::Column::InspectionId.eq(i.id))
        .filter(inspection_invite::Column::UserId.eq(user_id))
        .filter(inspection_invite::Column::ObservedAt.is_null())
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(ApiError::conflict("already_observed", "您已提交过这次检查的观察记录"));
    }
    Ok(())
}

/// Whether the person is invited to the inspection.
pub async fn is_invited(db: &impl ConnectionTrait, inspection_id: i64, user_id: i64) -> ApiResult<bool> {
    Ok(inspection_invite::Entity::find()
        .filter(inspection_invite::Column::InspectionId.eq(inspection_id))
        .filter(inspection_invite::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .is_some())
}

/// The owner of an inspection, for the enterprise's side of the checks.
pub fn owner(i: &inspection::Model) -> Owner {
    Owner {
        enterprise_id: Some(i.enterprise_id),
        ..Default::default()
    }
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<inspection::Model> {
    inspection::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("inspection_not_found", "检查记录不存在"))
}

/// Registers an inspection (the caller checked that `by` may register for these units).
pub async fn register(db: &impl ConnectionTrait, by: i64, n: NewInspection) -> ApiResult<inspection::Model> {
    Ok(inspection::Entity::insert(inspection::ActiveModel {
        enterprise_id: Set(n.enterprise_id),
        unit_ids: Set(crate::types::ids_json(&n.unit_ids)),
        joint: Set(n.unit_ids.len() > 1),
        inspectors: Set(n.inspectors),
        purpose: Set(n.purpose),
        legal_basis: Set(n.legal_basis),
        inspected_on: Set(n.inspected_on),
        registered_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?)
}

/// Inspections, newest first: every one for admins; those of a handler's units, of a member's
/// enterprises and those a person is invited to; none for anyone else.
pub async fn list(
    db: &impl ConnectionTrait,
    auth: &Principal,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<inspection::Model>> {
    let mut q = inspection::Entity::find().order_by_desc(inspection::Column::Id);
    if let Some(after) = after_id {
        q = q.filter(inspection::Column::Id.lt(after));
    }
    if auth.is_admin() {
        return Ok(q.limit(limit + 1).all(db).await?);
    }
    let enterprises: Vec<i64> = auth.enterprise_ids().collect();
    let units: Vec<i64> = auth.unit_ids().collect();
    let invited = invited_to(db, auth.id).await?;
    if units.is_empty() {
        if enterprises.is_empty() && invited.is_empty() {
            return Ok(Vec::new());
        }
        let mine = sea_orm::Condition::any()
            .add(inspection::Column::EnterpriseId.is_in(enterprises))
            .add(inspection::Column::Id.is_in(invited));
        return Ok(q.filter(mine).limit(limit + 1).all(db).await?);
    }
    // A unit's inspections are in each row's JSON list of units: read newest first in batches
    // and keep the caller's (a unit has dozens a quarter).
    let wanted = |i: &inspection::Model| {
        enterprises.contains(&i.enterprise_id)
            || invited.contains(&i.id)
            || unit_ids(i).iter().any(|u| units.contains(u))
    };
    let want = usize::try_from(limit + 1).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let mut after = after_id;
    loop {
        let mut batch = inspection::Entity::find().order_by_desc(inspection::Column::Id);
        if let Some(a) = after {
            batch = batch.filter(inspection::Column::Id.lt(a));
        }
        let rows = batch.limit(500).all(db).await?;
        let last = rows.len() < 500;
        after = rows.last().map(|r| r.id);
        out.extend(rows.into_iter().filter(|i| wanted(i)));
        if last || out.len() >= want {
            break;
        }
    }
    out.truncate(want);
    Ok(out)
}

/// The ratings of an inspection.
pub async fn ratings(db: &impl ConnectionTrait, inspection_id: i64) -> ApiResult<Vec<inspection_rating::Model>> {
    Ok(inspection_rating::Entity::find()
        .filter(inspection_rating::Column::InspectionId.eq(inspection_id))
        .order_by_asc(inspection_rating::Column::Id)
        .all(db)
        .await?)
}

pub struct Rating {
    pub proper: bool,
    pub comment: Option<String>,
    /// Filed as a complaint: becomes a demand.
    pub complaint: bool,
}

/// A member of the inspected enterprise rates the inspection, once, on or after its day; a
/// complaint becomes a demand of the enterprise on channel `inspection` (法治环境), in the same
/// transaction.
pub async fn rate(
    db: &DatabaseConnection,
    settings: &Settings,
    user: i64,
    i: &inspection::Model,
    r: Rating,
    today: NaiveDate,
) -> ApiResult<inspection_rating::Model> {
    if i.inspected_on > today {
        return Err(ApiError::conflict("not_yet_inspected", "检查尚未进行，检查后再评价"));
    }
    let rated = || ApiError::conflict("already_rated", "您已评价过这次检查");
    if inspection_rating::Entity::find()
        .filter(inspection_rating::Column::InspectionId.eq(i.id))
        .filter(inspection_rating::Column::UserId.eq(user))
        .one(db)
        .await?
        .is_some()
    {
        return Err(rated());
    }
    let ctx = Context::load(db, settings).await?;
    let txn = crate::service::begin_write(db).await?;
    let demand_id = if r.complaint {
        let e = crate::service::enterprises::get(&txn, i.enterprise_id).await?;
        let new = NewDemand {
            kind: Kind::Problem,
            environment: Environment::Legal,
            channel: Channel::Inspection,
            title: bot::dialogue::clip(&format!("涉企检查投诉：{}", i.purpose), 50),
            content: r.comment.clone().unwrap_or_default(),
            anonymous: false,
            enterprise_id: Some(i.enterprise_id),
            butler_id: e.butler_user_id,
            submitter_id: Some(user),
            caller_phone: None,
            origin: None,
            files: Default::default(),
            content_check: ContentCheck::Unchecked,
            request_key: None,
        };
        let actor = Actor {
            id: Some(user),
            role: Some(Role::Enterprise),
            unit_id: None,
        };
        Some(demands::create(&txn, &ctx, actor, new).await?.id)
    } else {
        None
    };
    let saved = inspection_rating::Entity::insert(inspection_rating::ActiveModel {
        inspection_id: Set(i.id),
        user_id: Set(user),
        proper: Set(r.proper),
        comment: Set(r.comment),
        demand_id: Set(demand_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await
    .map_err(|e| {
        if crate::service::is_unique_violation(&e) {
            rated()
        } else {
            e.into()
        }
    })?;
    txn.commit().await?;
    Ok(saved)
}

/// The figures of the inspections on the days `from..=to`: by (unit, quarter), and the
/// enterprises inspected more than `limit` times in a quarter.
pub async fn figures(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
    limit: u32,
) -> ApiResult<(std::collections::BTreeMap<(i64, Quarter), UnitQuarter>, Vec<Flag>)> {
    let rows = inspection::Entity::find()
        .filter(inspection::Column::InspectedOn.gte(from))
        .filter(inspection::Column::InspectedOn.lte(to))
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut rated: HashMap<i64, (u64, u64)> = HashMap::new();
    for chunk in ids.chunks(500) {
        let ratings: Vec<(i64, bool)> = inspection_rating::Entity::find()
            .select_only()
            .column(inspection_rating::Column::InspectionId)
            .column(inspection_rating::Column::Proper)
            .filter(inspection_rating::Column::InspectionId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for (id, proper) in ratings {
            let r = rated.entry(id).or_default();
            if proper {
                r.0 += 1;
            } else {
                r.1 += 1;
            }
        }
    }
    let facts: Vec<InspectionFact> = rows
        .iter()
        .map(|i| {
            let (proper, improper) = rated.get(&i.id).copied().unwrap_or_default();
            InspectionFact {
                enterprise_id: i.enterprise_id,
                unit_ids: unit_ids(i),
                inspected_on: i.inspected_on,
                proper,
                improper,
            }
        })
        .collect();
    Ok(rules::figures(&facts, limit))
}

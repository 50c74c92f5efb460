//! On-site inspections (涉企行政检查): registered by a unit's handler before entering, seen by
//! the enterprise (who, why, on what basis), rated by its members (a complaint becomes a demand
//! on channel `inspection`), counted by unit and quarter with the enterprises inspected too often.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::{inspection, inspection_rating};
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
/// members and its butler.
pub fn readable(auth: &Principal, i: &inspection::Model, butler_id: Option<i64>) -> bool {
    let units = unit_ids(i);
    auth.is_admin()
        || auth.unit_ids().any(|u| units.contains(&u))
        || auth.enterprise_ids().any(|e| e == i.enterprise_id)
        || (auth.has_role(Role::Butler) && butler_id == Some(auth.id))
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

/// Inspections, newest first: every one for admins; those of a handler's units; those of a
/// member's enterprises; none for anyone else.
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
    if enterprises.is_empty() && units.is_empty() {
        return Ok(Vec::new());
    }
    // A unit's inspections are found in the JSON list of units: read the enterprise's and the
    // recent ones, and keep those of the caller's units (a unit has dozens a quarter).
    let mut out = Vec::new();
    let mut after = after_id;
    loop {
        let mut page = inspection::Entity::find().order_by_desc(inspection::Column::Id);
        if let Some(a) = after {
            page = page.filter(inspection::Column::Id.lt(a));
        }
        if units.is_empty() {
            page = page.filter(inspection::Column::EnterpriseId.is_in(enterprises.clone()));
        }
        let rows = page.limit(500).all(db).await?;
        let done = rows.len() < 500;
        after = rows.last().map(|r| r.id);
        out.extend(
            rows.into_iter()
                .filter(|i| enterprises.contains(&i.enterprise_id) || unit_ids(i).iter().any(|u| units.contains(u))),
        );
        if done || out.len() as u64 > limit {
            break;
        }
    }
    out.truncate(usize::try_from(limit + 1).unwrap_or(usize::MAX));
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

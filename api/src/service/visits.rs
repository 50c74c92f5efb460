//! Butler visits by enterprise class (三上门): recording a visit (the policies explained count as
//! understood by the enterprise's members; each need raised becomes a demand on channel
//! `visit`), the visit interval of each tier, a butler's due list and coverage by class and
//! butler.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::{enterprise, visit, visit_interval};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::demand::{Channel, ContentCheck, Environment, Kind};
use crate::domain::role::Role;
use crate::domain::visit::{self as rules, ServiceTier, VisitKind};
use crate::error::{ApiError, ApiResult};
use crate::service::demands::{self, Actor, Context, NewDemand};
use crate::service::policies;
use crate::settings::Settings;

/// A need the enterprise raised on the visit: it becomes a demand.
pub struct Need {
    pub environment: Environment,
    pub title: String,
    pub content: String,
}

pub struct NewVisit {
    pub kind: VisitKind,
    pub visited_on: NaiveDate,
    pub people_met: String,
    pub policy_ids: Vec<i64>,
    pub notes: Option<String>,
    pub needs: Vec<Need>,
}

/// Records a visit to `enterprise` by `butler` (the enterprise's butler or an admin, checked
/// by the caller), in one transaction: the policies explained (published ones) are delivered
/// to each of the enterprise's members as understood, and each need becomes a demand of the
/// enterprise on channel `visit`, served by its butler.
pub async fn record(
    db: &DatabaseConnection,
    settings: &Settings,
    butler: i64,
    butler_role: Role,
    e: &enterprise::Model,
    v: NewVisit,
) -> ApiResult<visit::Model> {
    let mut explained = Vec::with_capacity(v.policy_ids.len());
    for (i, id) in v.policy_ids.iter().enumerate() {
        let field = format!("policyIds[{i}]");
        let p = policies::get(db, *id)
            .await
            .map_err(|err| err.missing_as_field(&field, "not_found", "政策不存在"))?;
        if !policies::is_public(&p) {
            return Err(ApiError::invalid_field(&field, "not_published", "只能讲解已发布的政策"));
        }
        explained.push(p);
    }
    let ctx = Context::load(db, settings).await?;
    let txn = crate::service::begin_write(db).await?;
    let mut demand_ids = Vec::with_capacity(v.needs.len());
    let actor = Actor {
        id: Some(butler),
        role: Some(butler_role),
        unit_id: None,
    };
    for need in v.needs {
        let new = NewDemand {
            kind: Kind::Demand,
            environment: need.environment,
            channel: Channel::Visit,
            title: need.title,
            content: need.content,
            anonymous: false,
            enterprise_id: Some(e.id),
            butler_id: e.butler_user_id,
            submitter_id: None,
            caller_phone: None,
            origin: None,
            files: Default::default(),
            content_check: ContentCheck::Unchecked,
            request_key: None,
        };
        demand_ids.push(demands::create(&txn, &ctx, actor, new).await?.id);
    }
    for p in &explained {
        policies::explained_on_visit(&txn, p, e.id).await?;
    }
    let saved = visit::Entity::insert(visit::ActiveModel {
        enterprise_id: Set(e.id),
        butler_id: Set(butler),
        kind: Set(v.kind),
        visited_on: Set(v.visited_on),
        people_met: Set(v.people_met),
        policy_ids: Set(crate::types::ids_json(&v.policy_ids)),
        demand_ids: Set(crate::types::ids_json(&demand_ids)),
        notes: Set(v.notes),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// An enterprise's visits, newest first.
pub async fn of_enterprise(db: &impl ConnectionTrait, enterprise_id: i64) -> ApiResult<Vec<visit::Model>> {
    Ok(visit::Entity::find()
        .filter(visit::Column::EnterpriseId.eq(enterprise_id))
        .order_by_desc(visit::Column::VisitedOn)
        .order_by_desc(visit::Column::Id)
        .all(db)
        .await?)
}

/// Each tier's visit interval in days: the admins' where set, else the default.
pub async fn intervals(db: &impl ConnectionTrait) -> ApiResult<HashMap<ServiceTier, i32>> {
    let set: HashMap<ServiceTier, i32> = visit_interval::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.tier, i.days))
        .collect();
    Ok(ServiceTier::ALL
        .iter()
        .map(|t| (*t, set.get(t).copied().unwrap_or_else(|| rules::default_interval(*t))))
        .collect())
}

/// Sets a tier's interval (admins, checked by the caller; 1 to 366 days, checked too).
pub async fn set_interval(db: &impl ConnectionTrait, tier: ServiceTier, days: i32) -> ApiResult<()> {
    visit_interval::Entity::insert(visit_interval::ActiveModel {
        tier: Set(tier),
        days: Set(days),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(visit_interval::Column::Tier)
            .update_columns([visit_interval::Column::Days, visit_interval::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The last visit day of each of these enterprises that was visited.
async fn last_visits(db: &impl ConnectionTrait, enterprise_ids: &[i64]) -> ApiResult<HashMap<i64, NaiveDate>> {
    let mut out = HashMap::new();
    for chunk in enterprise_ids.chunks(500) {
        let rows: Vec<(i64, Option<NaiveDate>)> = visit::Entity::find()
            .select_only()
            .column(visit::Column::EnterpriseId)
            .column_as(visit::Column::VisitedOn.max(), "last")
            .filter(visit::Column::EnterpriseId.is_in(chunk.to_vec()))
            .group_by(visit::Column::EnterpriseId)
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().filter_map(|(e, d)| d.map(|d| (e, d))));
    }
    Ok(out)
}

/// An enterprise due for a visit.
pub struct Due {
    pub enterprise: enterprise::Model,
    pub last_visit: Option<NaiveDate>,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

/// The enterprises due on `today` (their interval passed, or never visited), most overdue
/// first: one butler's, or every served one's.
pub async fn due(db: &impl ConnectionTrait, butler: Option<i64>, today: NaiveDate) -> ApiResult<Vec<Due>> {
    let mut q = enterprise::Entity::find().filter(enterprise::Column::ButlerUserId.is_not_null());
    if let Some(b) = butler {
        q = q.filter(enterprise::Column::ButlerUserId.eq(b));
    }
    let served = q.all(db).await?;
    let ids: Vec<i64> = served.iter().map(|e| e.id).collect();
    let last = last_visits(db, &ids).await?;
    let intervals = intervals(db).await?;
    let mut out: Vec<Due> = served
        .into_iter()
        .filter_map(|e| {
            let last_visit = last.get(&e.id).copied();
            let since = crate::types::local_time(e.created_at).date_naive();
            let interval = intervals
                .get(&e.service_tier)
                .copied()
                .unwrap_or(rules::default_interval(e.service_tier));
            let due_on = rules::due_on(last_visit, since, interval);
            let days_overdue = rules::days_overdue(due_on, today);
            (days_overdue >= 0).then_some(Due {
                enterprise: e,
                last_visit,
                due_on,
                days_overdue,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.days_overdue
            .cmp(&a.days_overdue)
            .then(a.enterprise.id.cmp(&b.enterprise.id))
    });
    Ok(out)
}

/// Enterprises of a class (or a butler's) and how many of them were visited in a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub enterprises: u64,
    pub visited: u64,
    pub visits: u64,
    pub coverage: Option<f64>,
}

/// Coverage of the days `from..=to`: by service tier, and by butler (id).
pub async fn coverage(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<(Vec<(ServiceTier, Coverage)>, Vec<(i64, Coverage)>)> {
    let served: Vec<(i64, ServiceTier, Option<i64>)> = enterprise::Entity::find()
        .select_only()
        .column(enterprise::Column::Id)
        .column(enterprise::Column::ServiceTier)
        .column(enterprise::Column::ButlerUserId)
        .into_tuple()
        .all(db)
        .await?;
    let visits: Vec<(i64, i64)> = visit::Entity::find()
        .select_only()
        .column(visit::Column::EnterpriseId)
        .column(visit::Column::ButlerId)
        .filter(visit::Column::VisitedOn.gte(from))
        .filter(visit::Column::VisitedOn.lte(to))
        .into_tuple()
        .all(db)
        .await?;
    let mut per_enterprise: HashMap<i64, u64> = HashMap::new();
    for (e, _) in &visits {
        *per_enterprise.entry(*e).or_default() += 1;
    }
    let mut tiers: HashMap<ServiceTier, (u64, u64, u64)> = HashMap::new();
    let mut butlers: HashMap<i64, (u64, u64, u64)> = HashMap::new();
    for (id, tier, butler) in served {
        let n = per_enterprise.get(&id).copied().unwrap_or(0);
        let add = |c: &mut (u64, u64, u64)| {
            c.0 += 1;
            c.1 += u64::from(n > 0);
            c.2 += n;
        };
        add(tiers.entry(tier).or_default());
        if let Some(b) = butler {
            add(butlers.entry(b).or_default());
        }
    }
    let shaped = |(enterprises, visited, visits): (u64, u64, u64)| Coverage {
        enterprises,
        visited,
        visits,
        coverage: rules::coverage(visited, enterprises),
    };
    let by_tier = ServiceTier::ALL
        .iter()
        .map(|t| (*t, shaped(tiers.get(t).copied().unwrap_or_default())))
        .collect();
    let mut by_butler: Vec<(i64, Coverage)> = butlers.into_iter().map(|(b, c)| (b, shaped(c))).collect();
    by_butler.sort_by_key(|(b, _)| *b);
    Ok((by_tier, by_butler))
}

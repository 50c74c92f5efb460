//! Media observations and publicity records, and the publicity figures.
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Utc};
use entity::{media_observation, publicity_record};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionSession,
    TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::access::Principal;
use crate::domain::demand::{Channel, ContentCheck, Environment, Kind, Origin};
use crate::domain::media::{Level, ObservationKind};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::service::demands::{self, Actor, Context, NewDemand};
use crate::service::files::{self, AttachedTo, FileRefs, MAX_FILES, Uploader};
use crate::settings::Settings;
use entity::demand;
use sea_orm::DatabaseConnection;

pub struct NewObservation {
    pub kind: ObservationKind,
    pub title: String,
    pub content: String,
    pub event_id: Option<i64>,
    /// Files the observer uploaded.
    pub files: FileRefs,
}

pub async fn observe<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    author: i64,
    o: NewObservation,
) -> ApiResult<media_observation::Model> {
    let claim = files::check(db, Uploader::Person(author), &o.files, MAX_FILES, None).await?;
    let txn = crate::service::begin_write(db).await?;
    let saved = media_observation::Entity::insert(media_observation::ActiveModel {
        author_id: Set(author),
        kind: Set(o.kind),
        title: Set(o.title),
        content: Set(o.content),
        event_id: Set(o.event_id),
        file_ids: Set(crate::types::ids_json(claim.ids())),
        demand_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    claim.attach(&txn, AttachedTo::Observation(saved.id)).await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn observation(db: &impl ConnectionTrait, id: i64) -> ApiResult<media_observation::Model> {
    media_observation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("observation_not_found", "观察记录不存在"))
}

/// Newest first; one author's or all.
pub async fn observations(
    db: &impl ConnectionTrait,
    author: Option<i64>,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<media_observation::Model>> {
    let mut q = media_observation::Entity::find()
        .order_by_desc(media_observation::Column::Id)
        .limit(limit + 1);
    if let Some(a) = author {
        q = q.filter(media_observation::Column::AuthorId.eq(a));
    }
    if let Some(after) = after_id {
        q = q.filter(media_observation::Column::Id.lt(after));
    }
    Ok(q.all(db).await?)
}

/// Turns a finding into a demand (by `auth`, a butler or an admin checked by the caller): a
/// business-environment problem, channel `media`, linked both ways, once per finding. Returns
/// the observation as it is now and the demand.
pub async fn to_demand(
    db: &DatabaseConnection,
    settings: &Settings,
    auth: &Principal,
    observation_id: i64,
    environment: Environment,
) -> ApiResult<(media_observation::Model, demand::Model)> {
    let o = observation(db, observation_id).await?;
    if o.kind != ObservationKind::Finding {
        return Err(ApiError::conflict(
            "not_a_finding",
            "只有“问题发现”类的观察可以转为诉求",
        ));
    }
    let converted = || ApiError::conflict("already_converted", "该观察已转为诉求");
    if o.demand_id.is_some() {
        return Err(converted());
    }
    let ctx = Context::load(db, settings).await?;
    let txn = crate::service::begin_write(db).await?;
    let actor = Actor {
        id: Some(auth.id),
        role: Some(if auth.is_admin() { Role::Admin } else { Role::Butler }),
        unit_id: None,
    };
    let new = NewDemand {
        kind: Kind::Problem,
        environment,
        channel: Channel::Media,
        title: bot::dialogue::clip(&o.title, 50),
        content: o.content.clone(),
        anonymous: false,
        enterprise_id: None,
        butler_id: (!auth.is_admin()).then_some(auth.id),
        submitter_id: Some(o.author_id),
        caller_phone: None,
        origin: Some((Origin::MediaObservation, o.id.to_string())),
        files: Default::default(),
        content_check: ContentCheck::Unchecked,
        request_key: None,
    };
    let d = demands::create(&txn, &ctx, actor, new).await?;
    if !link_demand(&txn, o.id, d.id).await? {
        // Someone converted it in the meantime: nothing of this call is kept.
        return Err(converted());
    }
    txn.commit().await?;
    Ok((observation(db, o.id).await?, d))
}

/// Links a finding to the demand it became, once: false when another call linked it first.
async fn link_demand(db: &impl ConnectionTrait, observation_id: i64, demand_id: i64) -> ApiResult<bool> {
    let done = media_observation::Entity::update_many()
        .col_expr(media_observation::Column::DemandId, Expr::value(demand_id))
        .filter(media_observation::Column::Id.eq(observation_id))
        .filter(media_observation::Column::DemandId.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

pub struct NewPublicity {
    pub outlet: String,
    pub level: Level,
    pub title: String,
    pub link: Option<String>,
    pub published_on: NaiveDate,
    pub event_id: Option<i64>,
}

pub async fn record_publicity(
    db: &impl ConnectionTrait,
    author: i64,
    p: NewPublicity,
) -> ApiResult<publicity_record::Model> {
    Ok(publicity_record::Entity::insert(publicity_record::ActiveModel {
        author_id: Set(author),
        outlet: Set(p.outlet),
        level: Set(p.level),
        title: Set(p.title),
        link: Set(p.link),
        published_on: Set(p.published_on),
        event_id: Set(p.event_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?)
}

pub async fn publicity(
    db: &impl ConnectionTrait,
    author: Option<i64>,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<publicity_record::Model>> {
    let mut q = publicity_record::Entity::find()
        .order_by_desc(publicity_record::Column::Id)
        .limit(limit + 1);
    if let Some(a) = author {
        q = q.filter(publicity_record::Column::AuthorId.eq(a));
    }
    if let Some(after) = after_id {
        q = q.filter(publicity_record::Column::Id.lt(after));
    }
    Ok(q.all(db).await?)
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LevelCount {
    pub level: Level,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MonthCount {
    /// `2026-11`
    pub month: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PublicityFigures {
    pub total: u64,
    /// Every level, in order from national to own channels, zero included.
    pub by_level: Vec<LevelCount>,
    /// Every month of the period, zero included.
    pub by_month: Vec<MonthCount>,
}

/// Publicity published from `from` to `to` (inclusive), by level and by month.
pub async fn figures(db: &impl ConnectionTrait, from: NaiveDate, to: NaiveDate) -> ApiResult<PublicityFigures> {
    let rows: Vec<(String, NaiveDate)> = publicity_record::Entity::find()
        .select_only()
        .column(publicity_record::Column::Level)
        .column(publicity_record::Column::PublishedOn)
        .filter(publicity_record::Column::PublishedOn.gte(from))
        .filter(publicity_record::Column::PublishedOn.lte(to))
        .into_tuple()
        .all(db)
        .await?;
    let mut months: BTreeMap<(i32, u32), u64> = BTreeMap::new();
    let mut day = from.with_day(1).unwrap_or(from);
    while day <= to {
        months.insert((day.year(), day.month()), 0);
        day = day
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(to + chrono::Days::new(1));
    }
    let mut levels: BTreeMap<&'static str, u64> = BTreeMap::new();
    for (level, on) in &rows {
        if let Some(l) = Level::parse(level) {
            *levels.entry(l.code()).or_default() += 1;
        }
        *months.entry((on.year(), on.month())).or_default() += 1;
    }
    Ok(PublicityFigures {
        total: u64::try_from(rows.len()).unwrap_or(u64::MAX),
        by_level: Level::ALL
            .iter()
            .copied()
            .map(|l| LevelCount {
                level: l,
                label: l.label().to_owned(),
                count: levels.get(l.code()).copied().unwrap_or(0),
            })
            .collect(),
        by_month: months
            .into_iter()
            .map(|((y, m), count)| MonthCount {
                month: format!("{y}-{m:02}"),
                count,
            })
            .collect(),
    })
}

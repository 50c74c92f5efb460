//! Complaint day (企业家吐槽日): posts on a public wall, one 同感 per person, staff hide what
//! breaks the rules (it stays in the record), every post becomes a demand whose official reply
//! shows on the wall, and a summary after closing.
use chrono::Utc;
use entity::{complaint, complaint_metoo, demand, event};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionSession, TransactionTrait,
};

use crate::clients::wechat::WechatClient;
use crate::domain::access::Principal;
use crate::domain::demand::{Channel, Environment, Kind, Origin, Status};
use crate::domain::topics;
use crate::error::{ApiError, ApiResult};
use crate::service::demands::{self, Actor, Context, DemandFiles, NewDemand};
use crate::service::files::{self, AttachedTo, FileRefs, MAX_FILES, Uploader};
use crate::service::{content, enterprises};
use crate::settings::Settings;
use sea_orm::DatabaseConnection;

pub struct NewComplaint {
    pub content: String,
    pub environment: Environment,
    pub anonymous: bool,
    pub photos: FileRefs,
}

/// Posts a complaint and files its demand (channel `complaint_day`, origin the complaint), in
/// one transaction, once the text passed the content check.
pub async fn post(
    db: &DatabaseConnection,
    settings: &Settings,
    wechat: &WechatClient,
    auth: &Principal,
    e: &event::Model,
    new: NewComplaint,
) -> ApiResult<complaint::Model> {
    let content_check = content::check(db, wechat, auth.id, "content", &new.content).await?;
    let ctx = &Context::load(db, settings).await?;
    let enterprise_id = auth.enterprise_ids().next();
    let butler_id = match enterprise_id {
        Some(id) => enterprises::get(db, id).await?.butler_user_id,
        None => None,
    };
    let photos = files::check(db, Uploader::Person(auth.id), &new.photos, MAX_FILES, None).await?;
    let txn = crate::service::begin_write(db).await?;
    let c = complaint::ActiveModel {
        event_id: Set(e.id),
        author_id: Set(auth.id),
        enterprise_id: Set(enterprise_id),
        anonymous: Set(new.anonymous),
        environment: Set(new.environment),
        content: Set(new.content.clone()),
        photos: Set(crate::types::ids_json(photos.ids())),
        metoo_count: Set(0),
        hidden: Set(false),
        content_check: Set(content_check),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let photos = photos.attach(&txn, AttachedTo::Complaint(c.id)).await?;
    let title: String = new.content.chars().take(30).collect();
    let d = demands::create(
        &txn,
        ctx,
        Actor {
            id: Some(auth.id),
            role: auth.roles.first().map(|r| r.role),
            unit_id: None,
        },
        NewDemand {
            kind: Kind::Problem,
            environment: new.environment,
            channel: Channel::ComplaintDay,
            title,
            content: new.content,
            anonymous: new.anonymous,
            enterprise_id,
            butler_id,
            submitter_id: Some(auth.id),
            caller_phone: None,
            origin: Some((Origin::Complaint, c.id.to_string())),
            files: DemandFiles::Inherited(photos),
            content_check,
            request_key: None,
        },
    )
    .await?;
    let mut active: complaint::ActiveModel = c.into();
    active.demand_id = Set(Some(d.id));
    let c = active.update(&txn).await?;
    txn.commit().await?;
    Ok(c)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<complaint::Model> {
    complaint::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("complaint_not_found", "吐槽不存在"))
}

/// The complaint a demand came from, if any.
pub async fn of_demand(db: &impl ConnectionTrait, demand_id: i64) -> ApiResult<Option<complaint::Model>> {
    Ok(complaint::Entity::find()
        .filter(complaint::Column::DemandId.eq(demand_id))
        .one(db)
        .await?)
}

/// One 同感 per person: a repeat changes nothing. Returns the count.
pub async fn metoo<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user_id: i64,
    c: &complaint::Model,
) -> ApiResult<i32> {
    if c.author_id == user_id {
        return Err(ApiError::conflict("own_complaint", "不能为自己的吐槽点同感"));
    }
    let txn = crate::service::begin_write(db).await?;
    let inserted = complaint_metoo::Entity::insert(complaint_metoo::ActiveModel {
        complaint_id: Set(c.id),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([complaint_metoo::Column::ComplaintId, complaint_metoo::Column::UserId])
            .do_nothing()
            .to_owned(),
    )
    .try_insert()
    .exec(&txn)
    .await?;
    if matches!(inserted, sea_orm::TryInsertResult::Inserted(_)) {
        use sea_orm::ExprTrait;
        complaint::Entity::update_many()
            .col_expr(
                complaint::Column::MetooCount,
                Expr::col(complaint::Column::MetooCount).add(1),
            )
            .filter(complaint::Column::Id.eq(c.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(get(db, c.id).await?.metoo_count)
}

pub async fn has_metoo(db: &impl ConnectionTrait, user_id: i64, ids: &[i64]) -> ApiResult<Vec<i64>> {
    Ok(complaint_metoo::Entity::find()
        .filter(complaint_metoo::Column::UserId.eq(user_id))
        .filter(complaint_metoo::Column::ComplaintId.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.complaint_id)
        .collect())
}

pub async fn hide(
    db: &impl ConnectionTrait,
    by: i64,
    c: &complaint::Model,
    reason: String,
) -> ApiResult<complaint::Model> {
    let mut active: complaint::ActiveModel = c.clone().into();
    active.hidden = Set(true);
    active.hidden_reason = Set(Some(reason));
    active.hidden_by = Set(Some(by));
    Ok(active.update(db).await?)
}

/// Shows a hidden post again (a moderator's mistake undone); the record keeps no reason.
pub async fn unhide(db: &impl ConnectionTrait, c: &complaint::Model) -> ApiResult<complaint::Model> {
    let mut active: complaint::ActiveModel = c.clone().into();
    active.hidden = Set(false);
    active.hidden_reason = Set(None);
    active.hidden_by = Set(None);
    Ok(active.update(db).await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallOrder {
    Metoo,
    Time,
}

/// The wall: newest or most 同感 first; hidden posts only for staff. `offset` pages.
pub async fn wall(
    db: &impl ConnectionTrait,
    event_id: i64,
    include_hidden: bool,
    order: WallOrder,
    offset: u64,
    limit: u64,
) -> ApiResult<Vec<(complaint::Model, Option<demand::Model>)>> {
    use sea_orm::sea_query::Order;
    let mut q = complaint::Entity::find().filter(complaint::Column::EventId.eq(event_id));
    if !include_hidden {
        q = q.filter(complaint::Column::Hidden.eq(false));
    }
    if order == WallOrder::Metoo {
        q = q.order_by(complaint::Column::MetooCount, Order::Desc);
    }
    let rows = q
        .order_by(complaint::Column::Id, Order::Desc)
        .offset(offset)
        .limit(limit + 1)
        .all(db)
        .await?;
    let demand_ids: Vec<i64> = rows.iter().filter_map(|c| c.demand_id).collect();
    let demands: std::collections::HashMap<i64, demand::Model> = demand::Entity::find()
        .filter(demand::Column::Id.is_in(demand_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| {
            let d = c.demand_id.and_then(|id| demands.get(&id).cloned());
            (c, d)
        })
        .collect())
}

/// After closing: how many posted, who, the hot topics, and how the demands ended.
#[derive(Debug, Clone)]
pub struct Summary {
    pub complaints: u64,
    pub participants: u64,
    pub hidden: u64,
    pub metoos: i64,
    pub top_topics: Vec<(String, usize)>,
    pub demands_closed: u64,
    pub demands_satisfied: u64,
}

pub async fn summary(db: &impl ConnectionTrait, event_id: i64) -> ApiResult<Summary> {
    let all = complaint::Entity::find()
        .filter(complaint::Column::EventId.eq(event_id))
        .all(db)
        .await?;
    let shown: Vec<&complaint::Model> = all.iter().filter(|c| !c.hidden).collect();
    let mut authors: Vec<i64> = all.iter().map(|c| c.author_id).collect();
    authors.sort_unstable();
    authors.dedup();
    let demand_ids: Vec<i64> = all.iter().filter_map(|c| c.demand_id).collect();
    let closed = demand::Entity::find()
        .filter(demand::Column::Id.is_in(demand_ids.clone()))
        .filter(demand::Column::Status.eq(Status::Closed))
        .count(db)
        .await?;
    let satisfied = demand::Entity::find()
        .filter(demand::Column::Id.is_in(demand_ids))
        .filter(demand::Column::RatingSatisfied.eq(true))
        .count(db)
        .await?;
    Ok(Summary {
        complaints: all.len() as u64,
        participants: authors.len() as u64,
        hidden: (all.len() - shown.len()) as u64,
        metoos: shown.iter().map(|c| i64::from(c.metoo_count)).sum(),
        top_topics: topics::top_words(shown.iter().map(|c| c.content.as_str()), 10),
        demands_closed: closed,
        demands_satisfied: satisfied,
    })
}

//! Supervision activities: a committee member records a visit, forum or inspection with the
//! enterprises met, and files demands on their behalf (channel `supervision`).
use chrono::{NaiveDate, Utc};
use entity::{demand, supervision_activity, supervision_activity_enterprise};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};

use crate::clients::wechat::WechatClient;
use crate::domain::access::Principal;
use crate::domain::demand::{Channel, Environment, Kind, Origin};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::service::demands::{self, Actor, Context, NewDemand};
use crate::service::files::{self, AttachedTo, FileRefs, MAX_FILES, Uploader};
use crate::service::{content, enterprises};
use crate::settings::Settings;
use entity::codes::ActivityKind;
use sea_orm::DatabaseConnection;

pub struct NewActivity {
    pub kind: ActivityKind,
    pub day: NaiveDate,
    pub place: String,
    pub notes: String,
    /// Photos the supervisor uploaded.
    pub photos: FileRefs,
    pub enterprises: Vec<i64>,
}

pub async fn record<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    supervisor_id: i64,
    new: NewActivity,
) -> ApiResult<supervision_activity::Model> {
    let photos = files::check(db, Uploader::Person(supervisor_id), &new.photos, MAX_FILES, None).await?;
    let txn = crate::service::begin_write(db).await?;
    let a = supervision_activity::ActiveModel {
        supervisor_id: Set(supervisor_id),
        kind: Set(new.kind),
        day: Set(new.day),
        place: Set(new.place),
        notes: Set(new.notes),
        photos: Set(crate::types::ids_json(photos.ids())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    photos.attach(&txn, AttachedTo::Activity(a.id)).await?;
    let mut met = new.enterprises;
    met.sort_unstable();
    met.dedup();
    if !met.is_empty() {
        supervision_activity_enterprise::Entity::insert_many(met.into_iter().map(|e| {
            supervision_activity_enterprise::ActiveModel {
                activity_id: Set(a.id),
                enterprise_id: Set(e),
            }
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(a)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<supervision_activity::Model> {
    supervision_activity::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("activity_not_found", "督导活动不存在"))
}

pub async fn enterprises_met(db: &impl ConnectionTrait, id: i64) -> ApiResult<Vec<i64>> {
    Ok(supervision_activity_enterprise::Entity::find()
        .filter(supervision_activity_enterprise::Column::ActivityId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.enterprise_id)
        .collect())
}

/// Activities, newest first: a supervisor's own, or all (admins).
pub async fn list(
    db: &impl ConnectionTrait,
    supervisor: Option<i64>,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<supervision_activity::Model>> {
    let mut q = supervision_activity::Entity::find()
        .order_by_desc(supervision_activity::Column::Id)
        .limit(limit + 1);
    if let Some(s) = supervisor {
        q = q.filter(supervision_activity::Column::SupervisorId.eq(s));
    }
    if let Some(after) = after_id {
        q = q.filter(supervision_activity::Column::Id.lt(after));
    }
    Ok(q.all(db).await?)
}

/// Demands filed from an activity.
pub async fn demand_ids(db: &impl ConnectionTrait, activity_id: i64) -> ApiResult<Vec<i64>> {
    Ok(demand::Entity::find()
        .select_only()
        .column(demand::Column::Id)
        .filter(demand::Column::OriginType.eq("supervision_activity"))
        .filter(demand::Column::OriginId.eq(activity_id.to_string()))
        .order_by_asc(demand::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

/// A demand a committee member files for an enterprise met on an activity.
pub struct Finding {
    pub enterprise_id: i64,
    pub kind: Kind,
    pub environment: Environment,
    pub title: String,
    pub content: String,
}

/// Files `finding` on behalf of one of the enterprises met on `activity` (its recorder checked
/// by the caller); channel `supervision`, its origin the activity.
pub async fn file_finding(
    db: &DatabaseConnection,
    settings: &Settings,
    wechat: &WechatClient,
    auth: &Principal,
    activity: &supervision_activity::Model,
    finding: Finding,
) -> ApiResult<demand::Model> {
    if !enterprises_met(db, activity.id).await?.contains(&finding.enterprise_id) {
        return Err(ApiError::invalid_field(
            "enterpriseId",
            "not_met",
            "该企业不在本次督导活动的走访名单中",
        ));
    }
    let enterprise = enterprises::get(db, finding.enterprise_id).await?;
    let text = format!("{}\n{}", finding.title, finding.content);
    let check = content::check(db, wechat, auth.id, "content", &text).await?;
    let ctx = Context::load(db, settings).await?;
    let actor = Actor {
        id: Some(auth.id),
        role: Some(Role::Supervisor),
        unit_id: None,
    };
    let new = NewDemand {
        kind: finding.kind,
        environment: finding.environment,
        channel: Channel::Supervision,
        title: finding.title,
        content: finding.content,
        anonymous: false,
        enterprise_id: Some(enterprise.id),
        butler_id: enterprise.butler_user_id,
        submitter_id: Some(auth.id),
        caller_phone: None,
        origin: Some((Origin::SupervisionActivity, activity.id.to_string())),
        files: Default::default(),
        content_check: check,
        request_key: None,
    };
    demands::create(db, &ctx, actor, new).await
}

//! Policies (政策): storage and status here; the search index kept in step (`index`); who a
//! policy fits and the feed (`matching`); publishing and the digest to those it fits
//! (`delivery`).
mod delivery;
mod index;
mod matching;

pub use delivery::*;
pub use index::*;
pub use matching::*;

use chrono::{NaiveDate, Utc};
use entity::{file, policy, policy_attachment, policy_delivery};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};

use crate::domain::policy::Conditions;
use crate::error::{ApiError, ApiResult};
use crate::search::PolicyIndex;
use crate::service::files::{self, AttachedTo, FileRefs, MAX_FILES, Uploader};
use entity::codes::{DeliveryVia, PolicyStatus};

#[derive(Debug, Clone)]
pub struct PolicyInput {
    pub title: String,
    pub issuer: String,
    pub doc_number: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub effective_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub apply_by: Option<NaiveDate>,
    pub for_whom: String,
    pub benefits: String,
    pub how_to_apply: String,
    pub contact: String,
    pub full_text: String,
    pub tags: Vec<String>,
    pub conditions: Conditions,
    /// Uploaded files (ids), in order.
    /// Files an administrator uploaded, in order.
    pub attachments: FileRefs,
}

pub fn conditions(p: &policy::Model) -> Conditions {
    serde_json::from_value(p.conditions.clone()).unwrap_or_default()
}

/// Writes a draft with its attachments and puts it in the search index.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    index: &PolicyIndex,
    input: PolicyInput,
    by: i64,
) -> ApiResult<policy::Model> {
    let claim = files::check(db, Uploader::Admins, &input.attachments, MAX_FILES, None).await?;
    let txn = crate::service::begin_write(db).await?;
    let p = insert(&txn, input, by, None).await?;
    let ids = claim.attach(&txn, AttachedTo::Policy(p.id)).await?;
    set_attachments(&txn, p.id, &ids).await?;
    txn.commit().await?;
    indexed(index, &p)?;
    Ok(p)
}

/// Rewrites a policy (admins correct a draft or a published text) and re-indexes it. The
/// conditions of a published policy are fixed: it has reached people on their strength.
pub async fn replace<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    index: &PolicyIndex,
    id: i64,
    input: PolicyInput,
) -> ApiResult<policy::Model> {
    let claim = files::check(
        db,
        Uploader::Admins,
        &input.attachments,
        MAX_FILES,
        Some(AttachedTo::Policy(id)),
    )
    .await?;
    let txn = crate::service::begin_write(db).await?;
    let current = get(&txn, id).await?;
    let conditions_value = serde_json::to_value(&input.conditions).map_err(ApiError::internal)?;
    if current.status != PolicyStatus::Draft && !conditions(&current).same_as(&input.conditions) {
        return Err(ApiError::conflict(
            "policy_conditions_locked",
            "已发布的政策不能修改适用条件；如需调整，请另行发布新的政策",
        ));
    }
    let revision = current.revision + 1;
    let published_on = if current.status == PolicyStatus::Draft {
        input.published_on
    } else {
        input.published_on.or(current.published_on)
    };
    let mut active: policy::ActiveModel = current.into();
    active.title = Set(input.title);
    active.issuer = Set(input.issuer);
    active.doc_number = Set(input.doc_number);
    active.published_on = Set(published_on);
    active.effective_on = Set(input.effective_on);
    active.expires_on = Set(input.expires_on);
    active.apply_by = Set(input.apply_by);
    active.for_whom = Set(input.for_whom);
    active.benefits = Set(input.benefits);
    active.how_to_apply = Set(input.how_to_apply);
    active.contact = Set(input.contact);
    active.full_text = Set(input.full_text);
    active.tags = Set(serde_json::json!(input.tags));
    active.conditions = Set(conditions_value);
    active.revision = Set(revision);
    active.updated_at = Set(Utc::now());
    let p = active.update(&txn).await?;
    let ids = claim.attach(&txn, AttachedTo::Policy(p.id)).await?;
    set_attachments(&txn, p.id, &ids).await?;
    txn.commit().await?;
    indexed(index, &p)?;
    Ok(p)
}

async fn set_attachments(db: &impl ConnectionTrait, policy_id: i64, files: &[i64]) -> ApiResult<()> {
    policy_attachment::Entity::delete_many()
        .filter(policy_attachment::Column::PolicyId.eq(policy_id))
        .exec(db)
        .await?;
    if files.is_empty() {
        return Ok(());
    }
    let rows = files
        .iter()
        .zip(0..)
        .map(|(&file_id, position)| policy_attachment::ActiveModel {
            policy_id: Set(policy_id),
            file_id: Set(file_id),
            position: Set(position),
            ..Default::default()
        });
    policy_attachment::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// A policy's attachments, in order.
pub async fn attachments(db: &impl ConnectionTrait, policy_id: i64) -> ApiResult<Vec<file::Model>> {
    let links = policy_attachment::Entity::find()
        .filter(policy_attachment::Column::PolicyId.eq(policy_id))
        .order_by_asc(policy_attachment::Column::Position)
        .all(db)
        .await?;
    let ids: Vec<i64> = links.iter().map(|l| l.file_id).collect();
    let mut files: std::collections::HashMap<i64, file::Model> = file::Entity::find()
        .filter(file::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    Ok(ids.iter().filter_map(|id| files.remove(id)).collect())
}

/// Writes a policy: a draft, or published on the given day (demo data). The caller indexes it.
pub async fn insert(
    db: &impl ConnectionTrait,
    input: PolicyInput,
    by: i64,
    published_on: Option<NaiveDate>,
) -> ApiResult<policy::Model> {
    let now = Utc::now();
    let status = if published_on.is_some() {
        PolicyStatus::Published
    } else {
        PolicyStatus::Draft
    };
    Ok(policy::ActiveModel {
        title: Set(input.title),
        issuer: Set(input.issuer),
        doc_number: Set(input.doc_number),
        published_on: Set(published_on.or(input.published_on)),
        effective_on: Set(input.effective_on),
        expires_on: Set(input.expires_on),
        apply_by: Set(input.apply_by),
        for_whom: Set(input.for_whom),
        benefits: Set(input.benefits),
        how_to_apply: Set(input.how_to_apply),
        contact: Set(input.contact),
        full_text: Set(input.full_text),
        tags: Set(serde_json::json!(input.tags)),
        conditions: Set(serde_json::to_value(&input.conditions).map_err(ApiError::internal)?),
        status: Set(status),
        revision: Set(0),
        created_by: Set(by),
        published_at: Set(published_on.map(|_| now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Published and expired policies are for everyone signed in; drafts for admins only.
pub fn is_public(p: &policy::Model) -> bool {
    is_public_status(p.status)
}

/// Whether everyone may read a policy in this state: published or expired, not a draft.
pub fn is_public_status(status: PolicyStatus) -> bool {
    status == PolicyStatus::Published || status == PolicyStatus::Expired
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<policy::Model> {
    policy::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("policy_not_found", "政策不存在"))
}

/// Marks the person's delivery read (when they had one).
pub async fn mark_read(db: &impl ConnectionTrait, policy_id: i64, user_id: i64) -> ApiResult<()> {
    policy_delivery::Entity::update_many()
        .col_expr(policy_delivery::Column::ReadAt, Expr::value(Some(Utc::now())))
        .filter(policy_delivery::Column::PolicyId.eq(policy_id))
        .filter(policy_delivery::Column::UserId.eq(user_id))
        .filter(policy_delivery::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// 「我已知晓」: the person understood the policy (recorded even if it was never pushed to them).
pub async fn acknowledge(db: &impl ConnectionTrait, p: &policy::Model, user_id: i64) -> ApiResult<()> {
    deliver(db, p, user_id, None, DeliveryVia::Own).await?;
    understood(db, p.id, user_id).await
}

/// A butler explained the policy to an enterprise on a visit (政策上门): each of its members
/// counts as having read and understood it. Returns how many members it reached.
pub async fn explained_on_visit(db: &impl ConnectionTrait, p: &policy::Model, enterprise_id: i64) -> ApiResult<usize> {
    let members = members_of(db, &[enterprise_id]).await?;
    for (user_id, _) in &members {
        deliver(db, p, *user_id, Some(enterprise_id), DeliveryVia::Visit).await?;
        understood(db, p.id, *user_id).await?;
    }
    Ok(members.len())
}

/// Marks a delivered policy read and understood by the person (once).
async fn understood(db: &impl ConnectionTrait, policy_id: i64, user_id: i64) -> ApiResult<()> {
    let now = Utc::now();
    mark_read(db, policy_id, user_id).await?;
    policy_delivery::Entity::update_many()
        .col_expr(policy_delivery::Column::AckedAt, Expr::value(Some(now)))
        .filter(policy_delivery::Column::PolicyId.eq(policy_id))
        .filter(policy_delivery::Column::UserId.eq(user_id))
        .filter(policy_delivery::Column::AckedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Reach of one policy: people it was delivered to (pushed or found), read, understood.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    pub reached: u64,
    pub read: u64,
    pub understood: u64,
}

pub async fn reach(db: &impl ConnectionTrait, policy_id: i64) -> ApiResult<Reach> {
    let base = || policy_delivery::Entity::find().filter(policy_delivery::Column::PolicyId.eq(policy_id));
    Ok(Reach {
        reached: base().count(db).await?,
        read: base()
            .filter(policy_delivery::Column::ReadAt.is_not_null())
            .count(db)
            .await?,
        understood: base()
            .filter(policy_delivery::Column::AckedAt.is_not_null())
            .count(db)
            .await?,
    })
}

/// Expires the published policies whose `expires_on` lies before `today`; returns how many.
pub async fn expire_due(db: &impl ConnectionTrait, index: &PolicyIndex, today: NaiveDate) -> ApiResult<usize> {
    let due = policy::Entity::find()
        .filter(policy::Column::Status.eq(PolicyStatus::Published))
        .filter(policy::Column::ExpiresOn.lt(today))
        .all(db)
        .await?;
    let mut expired = 0;
    for p in due {
        let moved = policy::Entity::update_many()
            .col_expr(policy::Column::Status, Expr::value(PolicyStatus::Expired))
            .col_expr(policy::Column::UpdatedAt, Expr::value(Utc::now()))
            .col_expr(policy::Column::Revision, Expr::col(policy::Column::Revision).add(1))
            .filter(policy::Column::Id.eq(p.id))
            .filter(policy::Column::Status.eq(PolicyStatus::Published))
            .exec(db)
            .await?;
        if moved.rows_affected == 1 {
            indexed(index, &get(db, p.id).await?)?;
            expired += 1;
        }
    }
    Ok(expired)
}

/// Not past its expiry date on `today` (the expiry job may not have run yet).
pub(super) fn current(today: NaiveDate) -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(policy::Column::ExpiresOn.is_null())
        .add(policy::Column::ExpiresOn.gte(today))
}

/// Policies for admins, newest first, drafts included: by status, and by part of the title or
/// the issuer (`limit` of them, and one more when there are more).
pub async fn list(
    db: &impl ConnectionTrait,
    status: Option<PolicyStatus>,
    q: Option<&str>,
    after_id: Option<i64>,
    limit: u64,
) -> ApiResult<Vec<policy::Model>> {
    let mut query = policy::Entity::find()
        .order_by_desc(policy::Column::Id)
        .limit(limit + 1);
    if let Some(s) = status {
        query = query.filter(policy::Column::Status.eq(s));
    }
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        query = query.filter(
            sea_orm::Condition::any()
                .add(crate::service::contains(policy::Column::Title, q))
                .add(crate::service::contains(policy::Column::Issuer, q)),
        );
    }
    if let Some(after) = after_id {
        query = query.filter(policy::Column::Id.lt(after));
    }
    Ok(query.all(db).await?)
}

/// What a search hit shows of a policy besides the index's title and snippet.
#[derive(Debug, FromQueryResult)]
pub struct Head {
    pub id: i64,
    pub issuer: String,
    pub status: PolicyStatus,
    pub published_on: Option<NaiveDate>,
}

/// The heads of policies by id: a search reads only these, not the texts the index holds.
pub async fn heads(db: &impl ConnectionTrait, ids: &[i64]) -> ApiResult<Vec<Head>> {
    Ok(policy::Entity::find()
        .select_only()
        .columns([
            policy::Column::Id,
            policy::Column::Issuer,
            policy::Column::Status,
            policy::Column::PublishedOn,
        ])
        .filter(policy::Column::Id.is_in(ids.to_vec()))
        .into_model::<Head>()
        .all(db)
        .await?)
}

/// Policies by id.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[i64]) -> ApiResult<Vec<policy::Model>> {
    Ok(policy::Entity::find()
        .filter(policy::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

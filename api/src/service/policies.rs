//! Policies: storage, status, the search index kept in step, and matching against enterprises.
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use entity::{enterprise, file, policy, policy_attachment, policy_delivery, role_grant};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};

use crate::copies::Copies;
use crate::domain::enterprise::Scale;
use crate::domain::policy::{Conditions, Profile, Verdict, admits, evaluate, fit};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::search::{PolicyDoc, PolicyIndex};
use crate::service::enterprises::labels;
use crate::service::files::{self, AttachedTo, FileRefs, MAX_FILES, Uploader};
use crate::service::notify::{self, Notice, WechatFields};
use crate::settings::SubscribeTemplate;
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

/// What the search index holds of a policy.
pub fn search_doc(p: &policy::Model) -> PolicyDoc {
    PolicyDoc {
        id: p.id,
        title: p.title.clone(),
        issuer: p.issuer.clone(),
        explainer: [&p.for_whom, &p.benefits, &p.how_to_apply, &p.contact]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        text: p.full_text.clone(),
        tags: labels(&p.tags),
        status: p.status.code().to_owned(),
        published_on: p.published_on,
    }
}

fn indexed(index: &PolicyIndex, p: &policy::Model) -> ApiResult<()> {
    index.upsert(&search_doc(p)).map_err(ApiError::internal)
}

/// Fills the index from the database (at start).
pub async fn rebuild_index(db: &impl ConnectionTrait, index: &PolicyIndex) -> ApiResult<usize> {
    let stamp = table_stamp(db).await?;
    let all = policy::Entity::find().all(db).await?;
    let docs: Vec<PolicyDoc> = all.iter().map(search_doc).collect();
    index.rebuild(&docs).map_err(ApiError::internal)?;
    index.set_synced(crate::search::Synced {
        stamp: Some(stamp),
        revisions: all.iter().map(|p| (p.id, p.revision)).collect(),
    });
    Ok(docs.len())
}

/// Brings this replica's index up to the table: when the table's stamp moved (a write here or
/// on another replica), the policies whose revision changed are re-indexed. One aggregate query
/// when nothing changed.
pub async fn sync_index(db: &impl ConnectionTrait, index: &PolicyIndex) -> ApiResult<()> {
    let stamp = table_stamp(db).await?;
    let mut synced = index.synced();
    if synced.stamp == Some(stamp) {
        return Ok(());
    }
    let revisions: Vec<(i64, i64)> = policy::Entity::find()
        .select_only()
        .columns([policy::Column::Id, policy::Column::Revision])
        .into_tuple()
        .all(db)
        .await?;
    let changed: Vec<i64> = revisions
        .iter()
        .filter(|(id, rev)| synced.revisions.get(id) != Some(rev))
        .map(|(id, _)| *id)
        .collect();
    for chunk in changed.chunks(500) {
        for p in by_ids(db, chunk).await? {
            indexed(index, &p)?;
        }
    }
    synced.stamp = Some(stamp);
    synced.revisions = revisions.into_iter().collect();
    index.set_synced(synced);
    Ok(())
}

/// The table's row count and revision sum: any insert or write changes it, whichever replica
/// made it and whatever the clocks say.
async fn table_stamp(db: &impl ConnectionTrait) -> ApiResult<Stamp> {
    Ok(policy::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(Expr::cust("CAST(COALESCE(SUM(revision), 0) AS BIGINT)"), "r")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, 0)))
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
    if current.status != PolicyStatus::Draft && conditions(&current) != input.conditions {
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
    p.status == PolicyStatus::Published || p.status == PolicyStatus::Expired
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<policy::Model> {
    policy::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("policy_not_found", "政策不存在"))
}

/// Publishes a draft (the publication date defaults to `today`) and, in the same transaction,
/// delivers it to every member of every matched enterprise and queues it for their groups.
pub async fn publish<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    index: &PolicyIndex,
    template: Option<&SubscribeTemplate>,
    id: i64,
    today: NaiveDate,
) -> ApiResult<Published> {
    let txn = crate::service::begin_write(db).await?;
    let current = get(&txn, id).await?;
    if current.status != PolicyStatus::Draft {
        return Err(ApiError::conflict("policy_not_draft", "只有草稿状态的政策可以发布"));
    }
    if current.expires_on.is_some_and(|d| d < today) {
        return Err(ApiError::conflict("policy_expired", "政策已过有效期，不能发布"));
    }
    let published_on = current.published_on.unwrap_or(today);
    // Only one publisher wins a race: the status moves from draft exactly once.
    let moved = policy::Entity::update_many()
        .col_expr(policy::Column::Status, Expr::value(PolicyStatus::Published))
        .col_expr(policy::Column::PublishedOn, Expr::value(Some(published_on)))
        .col_expr(policy::Column::PublishedAt, Expr::value(Some(Utc::now())))
        .col_expr(policy::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(policy::Column::Revision, Expr::col(policy::Column::Revision).add(1))
        .filter(policy::Column::Id.eq(id))
        .filter(policy::Column::Status.eq(PolicyStatus::Draft))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(ApiError::conflict("policy_not_draft", "只有草稿状态的政策可以发布"));
    }
    let p = get(&txn, id).await?;
    let enterprise_ids = matched_ids(&txn, &p, None, today).await?;
    let mut reached = 0;
    for (user_id, enterprise_id) in members_of(&txn, &enterprise_ids).await? {
        if deliver(&txn, &p, user_id, Some(enterprise_id), DeliveryVia::Publish).await? {
            notify::enqueue(
                &txn,
                template,
                Notice {
                    user_id,
                    kind: "policy",
                    title: format!("新政策：{}", p.title),
                    body: format!("适用对象：{}", p.for_whom),
                    demand_id: None,
                    page: Some(format!("subpackages/policy/detail/index?id={}", p.id)),
                    dedup_key: format!("policy:{}:u{user_id}", p.id),
                    wechat: Some(WechatFields {
                        title: p.title.clone(),
                        status: "新政策".into(),
                        time: Utc::now(),
                        note: p.for_whom.clone(),
                    }),
                },
            )
            .await?;
            reached += 1;
        }
    }
    let groups = crate::service::groups::enqueue_policy(&txn, &p, &enterprise_ids).await?;
    txn.commit().await?;
    indexed(index, &p)?;
    Ok(Published {
        policy: p,
        reached,
        groups,
    })
}

/// A policy just published and how far it went.
pub struct Published {
    pub policy: policy::Model,
    /// People it was delivered to.
    pub reached: usize,
    /// Group chats it was queued for.
    pub groups: usize,
}

/// Active members of these enterprises: (person, enterprise).
pub async fn members_of(db: &impl ConnectionTrait, enterprise_ids: &[i64]) -> ApiResult<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    for chunk in enterprise_ids.chunks(500) {
        let grants = role_grant::Entity::find()
            .filter(role_grant::Column::Role.eq(Role::Enterprise))
            .filter(role_grant::Column::RevokedAt.is_null())
            .filter(role_grant::Column::EnterpriseId.is_in(chunk.to_vec()))
            .order_by_asc(role_grant::Column::Id)
            .all(db)
            .await?;
        out.extend(
            grants
                .into_iter()
                .filter_map(|g| g.enterprise_id.map(|e| (g.user_id, e))),
        );
    }
    out.sort_unstable();
    out.dedup_by_key(|(user, _)| *user);
    Ok(out)
}

/// Records the delivery of a policy to a person; false when they had it already.
async fn deliver(
    db: &impl ConnectionTrait,
    p: &policy::Model,
    user_id: i64,
    enterprise_id: Option<i64>,
    via: DeliveryVia,
) -> ApiResult<bool> {
    let row = policy_delivery::ActiveModel {
        policy_id: Set(p.id),
        user_id: Set(user_id),
        enterprise_id: Set(enterprise_id),
        via: Set(via),
        created_at: Set(Utc::now()),
        read_at: Set(None),
        acked_at: Set(None),
        ..Default::default()
    };
    let inserted = policy_delivery::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([policy_delivery::Column::PolicyId, policy_delivery::Column::UserId])
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec(db)
        .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(_)))
}

/// The daily digest: every member gets, in one notice, the published policies that match their
/// enterprise and have not reached them yet (new members, changed profiles, new enterprises).
/// Returns (people notified, deliveries recorded).
pub async fn digest<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    template: Option<&SubscribeTemplate>,
    today: NaiveDate,
) -> ApiResult<(usize, usize)> {
    let published = policy::Entity::find()
        .filter(policy::Column::Status.eq(PolicyStatus::Published))
        .filter(current(today))
        .order_by_asc(policy::Column::Id)
        .all(db)
        .await?;
    if published.is_empty() {
        return Ok((0, 0));
    }
    let compiled: Vec<(Conditions, Vec<String>)> = published.iter().map(|p| (conditions(p), labels(&p.tags))).collect();
    let delivered: std::collections::HashSet<(i64, i64)> = policy_delivery::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.policy_id, d.user_id))
        .collect();
    let enterprises: std::collections::HashMap<i64, EnterpriseProfile> = profiles(enterprise::Entity::find())
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, EnterpriseProfile::from(e)))
        .collect();
    let ids: Vec<i64> = enterprises.keys().copied().collect();
    let (mut people, mut deliveries) = (0, 0);
    for (user_id, enterprise_id) in members_of(db, &ids).await? {
        let Some(e) = enterprises.get(&enterprise_id) else {
            continue;
        };
        let profile = e.profile();
        let fresh: Vec<&policy::Model> = published
            .iter()
            .zip(&compiled)
            .filter(|(p, _)| !delivered.contains(&(p.id, user_id)))
            .filter(|(_, (c, t))| evaluate(c, t, &profile, today).matched)
            .map(|(p, _)| p)
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let txn = crate::service::begin_write(db).await?;
        let mut titles = Vec::new();
        for p in &fresh {
            if deliver(&txn, p, user_id, Some(enterprise_id), DeliveryVia::Digest).await? {
                titles.push(p.title.clone());
            }
        }
        if !titles.is_empty() {
            let title = format!("{}条新政策与贵企业相符", titles.len());
            notify::enqueue(
                &txn,
                template,
                Notice {
                    user_id,
                    kind: "policy_digest",
                    title: title.clone(),
                    body: titles.join("\n"),
                    demand_id: None,
                    page: Some("subpackages/policy/feed/index".into()),
                    dedup_key: format!("policy-digest:{today}:u{user_id}"),
                    wechat: Some(WechatFields {
                        title,
                        status: "新政策".into(),
                        time: Utc::now(),
                        note: titles.join("；"),
                    }),
                },
            )
            .await?;
            people += 1;
            deliveries += titles.len();
        }
        txn.commit().await?;
    }
    Ok((people, deliveries))
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
    let now = Utc::now();
    mark_read(db, p.id, user_id).await?;
    policy_delivery::Entity::update_many()
        .col_expr(policy_delivery::Column::AckedAt, Expr::value(Some(now)))
        .filter(policy_delivery::Column::PolicyId.eq(p.id))
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
fn current(today: NaiveDate) -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(policy::Column::ExpiresOn.is_null())
        .add(policy::Column::ExpiresOn.gte(today))
}

/// Published policies by id, for search hits.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[i64]) -> ApiResult<Vec<policy::Model>> {
    Ok(policy::Entity::find()
        .filter(policy::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

/// The columns of an enterprise the matcher reads (and its name, for lists).
#[derive(Debug, Clone, FromQueryResult)]
pub struct ProfileRow {
    pub id: i64,
    pub name: String,
    pub industry_code: String,
    pub scale: Scale,
    pub registered_at: NaiveDate,
    pub qualifications: serde_json::Value,
    pub tags: serde_json::Value,
    pub district: Option<String>,
}

/// An enterprise as the matcher sees it, its labels decoded once.
#[derive(Debug, Clone)]
pub struct EnterpriseProfile {
    pub id: i64,
    pub name: String,
    pub industry_code: String,
    pub scale: Scale,
    pub registered_at: NaiveDate,
    pub qualifications: Vec<String>,
    pub tags: Vec<String>,
    pub district: Option<String>,
}

impl EnterpriseProfile {
    pub fn profile(&self) -> Profile<'_> {
        Profile {
            industry_code: &self.industry_code,
            scale: self.scale,
            registered_at: self.registered_at,
            qualifications: &self.qualifications,
            district: self.district.as_deref(),
            tags: &self.tags,
        }
    }
}

impl From<ProfileRow> for EnterpriseProfile {
    fn from(e: ProfileRow) -> Self {
        Self {
            id: e.id,
            qualifications: labels(&e.qualifications),
            tags: labels(&e.tags),
            scale: e.scale,
            name: e.name,
            industry_code: e.industry_code,
            registered_at: e.registered_at,
            district: e.district,
        }
    }
}

impl From<&enterprise::Model> for EnterpriseProfile {
    fn from(e: &enterprise::Model) -> Self {
        Self::from(ProfileRow {
            id: e.id,
            name: e.name.clone(),
            industry_code: e.industry_code.clone(),
            scale: e.scale,
            registered_at: e.registered_at,
            qualifications: e.qualifications.clone(),
            tags: e.tags.clone(),
            district: e.district.clone(),
        })
    }
}

/// Selects only the columns of [`ProfileRow`].
fn profiles(q: sea_orm::Select<enterprise::Entity>) -> sea_orm::Selector<sea_orm::SelectModel<ProfileRow>> {
    use enterprise::Column as C;
    q.select_only()
        .columns([
            C::Id,
            C::Name,
            C::IndustryCode,
            C::Scale,
            C::RegisteredAt,
            C::Qualifications,
            C::Tags,
            C::District,
        ])
        .into_model::<ProfileRow>()
}

/// What the feed shows of a published policy.
#[derive(Debug, Clone)]
pub struct PolicySummary {
    pub id: i64,
    pub title: String,
    pub issuer: String,
    pub published_on: Option<NaiveDate>,
    pub apply_by: Option<NaiveDate>,
    pub for_whom: String,
}

/// A published policy compiled for matching.
#[derive(Debug, Clone)]
struct Rule {
    summary: PolicySummary,
    conditions: Conditions,
    tags: Vec<String>,
    expires_on: Option<NaiveDate>,
}

#[derive(Debug, FromQueryResult)]
struct RuleRow {
    id: i64,
    title: String,
    issuer: String,
    published_on: Option<NaiveDate>,
    apply_by: Option<NaiveDate>,
    expires_on: Option<NaiveDate>,
    for_whom: String,
    conditions: serde_json::Value,
    tags: serde_json::Value,
}

type Stamp = (i64, i64);

/// This replica's compiled copy of the published policies' conditions (newest first), kept
/// like the other hot copies (`copies`): used for at most `copies::TTL`, dropped at once when
/// a policy is written through this replica (every such write passes the search index), read
/// again in the background past half its life. Reading it again asks the table's stamp first;
/// the rules themselves are read only when the stamp moved.
pub struct RuleCache(Arc<Copies<Arc<RuleCopy>>>);

struct RuleCopy {
    stamp: Stamp,
    rules: Arc<Vec<Rule>>,
}

impl Default for RuleCache {
    fn default() -> Self {
        Self(Arc::new(Copies::new(&crate::search::INDEX_WRITES)))
    }
}

impl RuleCache {
    /// The only key: one copy of all the rules.
    const ALL: i64 = 0;

    async fn rules(&self, db: &DatabaseConnection) -> ApiResult<Arc<Vec<Rule>>> {
        let copy = self
            .0
            .get_or_read(Self::ALL, || {
                let previous = self.0.peek(Self::ALL);
                let db = db.clone();
                async move { read_rules(&db, previous).await }
            })
            .await?;
        Ok(copy.rules.clone())
    }
}

/// The rules as the table has them now: the `previous` copy again when the table's stamp has
/// not moved since it was read.
async fn read_rules(db: &impl ConnectionTrait, previous: Option<Arc<RuleCopy>>) -> ApiResult<Arc<RuleCopy>> {
    let stamp = table_stamp(db).await?;
    if let Some(copy) = previous.filter(|c| c.stamp == stamp) {
        return Ok(copy);
    }
    // Read after the stamp: the copy is at least as new as the stamp it is kept under.
    use policy::Column as P;
    let rows: Vec<RuleRow> = policy::Entity::find()
        .select_only()
        .columns([
            P::Id,
            P::Title,
            P::Issuer,
            P::PublishedOn,
            P::ApplyBy,
            P::ExpiresOn,
            P::ForWhom,
            P::Conditions,
            P::Tags,
        ])
        .filter(P::Status.eq(PolicyStatus::Published))
        .order_by_desc(P::Id)
        .into_model::<RuleRow>()
        .all(db)
        .await?;
    let rules = rows
        .into_iter()
        .map(|r| Rule {
            conditions: serde_json::from_value(r.conditions).unwrap_or_default(),
            tags: labels(&r.tags),
            expires_on: r.expires_on,
            summary: PolicySummary {
                id: r.id,
                title: r.title,
                issuer: r.issuer,
                published_on: r.published_on,
                apply_by: r.apply_by,
                for_whom: r.for_whom,
            },
        })
        .collect();
    Ok(Arc::new(RuleCopy {
        stamp,
        rules: Arc::new(rules),
    }))
}

/// Where a policy stands in an enterprise's feed: its rank (`domain::policy::fit`), then its
/// id. The feed runs from the highest down.
pub type FeedPosition = (usize, usize, i64);

/// The published policies an enterprise qualifies for, none past its expiry date, best first
/// (equal ranks newest first), each with its position. No reasons are written here.
fn ranked<'r>(rules: &'r [Rule], e: &EnterpriseProfile, today: NaiveDate) -> Vec<(FeedPosition, &'r Rule)> {
    let profile = e.profile();
    let mut out: Vec<(FeedPosition, &Rule)> = rules
        .iter()
        .filter(|r| r.expires_on.is_none_or(|d| d >= today))
        .filter(|r| admits(&r.conditions, &profile, today))
        .map(|r| {
            let (shared, specific) = fit(&r.conditions, &r.tags, &profile);
            ((shared, specific, r.summary.id), r)
        })
        .collect();
    out.sort_unstable_by_key(|(pos, _)| std::cmp::Reverse(*pos));
    out
}

fn with_reasons(r: &Rule, e: &EnterpriseProfile, today: NaiveDate) -> (PolicySummary, Verdict) {
    (r.summary.clone(), evaluate(&r.conditions, &r.tags, &e.profile(), today))
}

/// Every published policy an enterprise qualifies for, best first, each with its reasons.
pub async fn matches_for(
    db: &DatabaseConnection,
    cache: &RuleCache,
    e: &enterprise::Model,
    today: NaiveDate,
) -> ApiResult<Vec<(PolicySummary, Verdict)>> {
    let enterprise = EnterpriseProfile::from(e);
    let rules = cache.rules(db).await?;
    Ok(ranked(&rules, &enterprise, today)
        .into_iter()
        .map(|(_, r)| with_reasons(r, &enterprise, today))
        .collect())
}

/// One page of an enterprise's feed: the policies after `after` (the previous page's last
/// position), at most `limit`, each with its reasons (written for this page only); and the
/// position of its last item when more follow.
pub async fn feed_page(
    db: &DatabaseConnection,
    cache: &RuleCache,
    e: &enterprise::Model,
    today: NaiveDate,
    after: Option<FeedPosition>,
    limit: usize,
) -> ApiResult<(Vec<(PolicySummary, Verdict)>, Option<FeedPosition>)> {
    let enterprise = EnterpriseProfile::from(e);
    let rules = cache.rules(db).await?;
    let all = ranked(&rules, &enterprise, today);
    let start = after.map_or(0, |pos| all.partition_point(|(p, _)| *p >= pos));
    let rest = &all[start..];
    let page = &rest[..limit.min(rest.len())];
    let next = (rest.len() > limit).then(|| page.last().map(|(p, _)| *p)).flatten();
    Ok((
        page.iter().map(|(_, r)| with_reasons(r, &enterprise, today)).collect(),
        next,
    ))
}

/// The enterprises a policy's conditions may admit, narrowed in the database: industries,
/// scales and districts exactly, age with a day of slack (29 February).
fn prefilter(c: &Conditions, served_by: Option<i64>, today: NaiveDate) -> sea_orm::Select<enterprise::Entity> {
    use enterprise::Column as C;
    let mut q = enterprise::Entity::find().order_by_asc(C::Id);
    if let Some(butler) = served_by {
        q = q.filter(C::ButlerUserId.eq(butler));
    }
    if !c.industries.is_empty() {
        let mut any = sea_orm::Condition::any();
        for code in &c.industries {
            any = any.add(crate::service::starts_with(C::IndustryCode, code));
        }
        q = q.filter(any);
    }
    if !c.scales.is_empty() {
        q = q.filter(C::Scale.is_in(c.scales.iter().map(|s| s.code())));
    }
    if !c.districts.is_empty() {
        q = q.filter(C::District.is_in(c.districts.clone()));
    }
    // Each required qualification appears, quoted, in the JSON list (a superset: the matcher
    // checks the parsed list).
    for qualification in c.qualifications.iter().filter(|q| !q.contains(['%', '_', '"', '\\'])) {
        let text = sea_orm::sea_query::Func::cast_as(Expr::col(C::Qualifications), "TEXT");
        q = q.filter(Expr::expr(text).like(format!("%\"{qualification}\"%")));
    }
    // At least `min` whole years: registered on or before today minus `min` years; at most
    // `max`: after today minus `max + 1` years.
    let years_ago = |n: u32| today.checked_sub_months(chrono::Months::new(n.saturating_mul(12)));
    if let Some(bound) = c.min_years.and_then(years_ago) {
        q = q.filter(C::RegisteredAt.lte(bound + chrono::Days::new(1)));
    }
    if let Some(bound) = c.max_years.and_then(|m| years_ago(m.saturating_add(1))) {
        q = q.filter(C::RegisteredAt.gte(bound - chrono::Days::new(1)));
    }
    q
}

/// The ids (ascending) of every enterprise a policy admits, optionally only those a butler
/// serves. When the database can decide every condition, only ids are read; otherwise the
/// matcher decides over the narrowed rows.
pub async fn matched_ids(
    db: &impl ConnectionTrait,
    p: &policy::Model,
    served_by: Option<i64>,
    today: NaiveDate,
) -> ApiResult<Vec<i64>> {
    use enterprise::Column as C;
    let c = conditions(p);
    let q = prefilter(&c, served_by, today);
    if c.qualifications.is_empty() && c.min_years.is_none() && c.max_years.is_none() {
        return Ok(q.select_only().column(C::Id).into_tuple::<i64>().all(db).await?);
    }
    type Row = (i64, String, String, NaiveDate, Option<String>, serde_json::Value);
    let rows: Vec<Row> = q
        .select_only()
        .columns([
            C::Id,
            C::IndustryCode,
            C::Scale,
            C::RegisteredAt,
            C::District,
            C::Qualifications,
        ])
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, industry_code, scale, registered_at, district, quals)| {
            let qualifications = labels(&quals);
            let profile = Profile {
                industry_code: &industry_code,
                scale: Scale::parse(&scale).unwrap_or(Scale::Micro),
                registered_at,
                qualifications: &qualifications,
                district: district.as_deref(),
                tags: &[],
            };
            admits(&c, &profile, today).then_some(id)
        })
        .collect())
}

/// How many enterprises a policy admits, and the first `limit` of them (by id) with reasons.
pub async fn matched_enterprises(
    db: &impl ConnectionTrait,
    p: &policy::Model,
    served_by: Option<i64>,
    today: NaiveDate,
    limit: usize,
) -> ApiResult<(usize, Vec<(EnterpriseProfile, Verdict)>)> {
    let ids = matched_ids(db, p, served_by, today).await?;
    let first: Vec<i64> = ids.iter().take(limit).copied().collect();
    let c = conditions(p);
    let policy_tags = labels(&p.tags);
    let rows = profiles(enterprise::Entity::find().filter(enterprise::Column::Id.is_in(first)))
        .all(db)
        .await?;
    let mut listed: Vec<(EnterpriseProfile, Verdict)> = rows
        .into_iter()
        .map(|row| {
            let e = EnterpriseProfile::from(row);
            let v = evaluate(&c, &policy_tags, &e.profile(), today);
            (e, v)
        })
        .collect();
    listed.sort_by_key(|(e, _)| e.id);
    Ok((ids.len(), listed))
}

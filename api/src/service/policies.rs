//! Policies: storage, status, the search index kept in step, and matching against enterprises.
use chrono::{NaiveDate, Utc};
use entity::{enterprise, policy, policy_delivery, role_grant};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};

use crate::domain::enterprise::Scale;
use crate::domain::policy::{Conditions, Profile, Verdict, evaluate};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
use crate::search::{PolicyDoc, PolicyIndex};
use crate::service::enterprises::labels;
use crate::service::notify::{self, Notice, WechatFields};
use crate::settings::SubscribeTemplate;

pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";
pub const EXPIRED: &str = "expired";

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
        status: p.status.clone(),
        published_on: p.published_on,
    }
}

fn indexed(index: &PolicyIndex, p: &policy::Model) -> ApiResult<()> {
    index.upsert(&search_doc(p)).map_err(ApiError::internal)
}

/// Fills the index from the database (at start).
pub async fn rebuild_index(db: &impl ConnectionTrait, index: &PolicyIndex) -> ApiResult<usize> {
    let all = policy::Entity::find().all(db).await?;
    let docs: Vec<PolicyDoc> = all.iter().map(search_doc).collect();
    index.rebuild(&docs).map_err(ApiError::internal)?;
    Ok(docs.len())
}

/// Writes a draft and puts it in the search index.
pub async fn create(
    db: &impl ConnectionTrait,
    index: &PolicyIndex,
    input: PolicyInput,
    by: i64,
) -> ApiResult<policy::Model> {
    let p = insert(db, input, by, None).await?;
    indexed(index, &p)?;
    Ok(p)
}

/// Writes a policy: a draft, or published on the given day (demo data). The caller indexes it.
pub async fn insert(
    db: &impl ConnectionTrait,
    input: PolicyInput,
    by: i64,
    published_on: Option<NaiveDate>,
) -> ApiResult<policy::Model> {
    let now = Utc::now();
    let status = if published_on.is_some() { PUBLISHED } else { DRAFT };
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
        attachments: Set(serde_json::json!([])),
        status: Set(status.to_owned()),
        created_by: Set(by),
        published_at: Set(published_on.map(|_| now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<policy::Model> {
    policy::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("policy_not_found", "政策不存在"))
}

/// Publishes a draft (the publication date defaults to `today`) and, in the same transaction,
/// delivers it to every member of every matched enterprise. Returns the policy and how many
/// people it reached.
pub async fn publish<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    index: &PolicyIndex,
    template: Option<&SubscribeTemplate>,
    id: i64,
    today: NaiveDate,
) -> ApiResult<(policy::Model, usize)> {
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    if current.status != DRAFT {
        return Err(ApiError::conflict("policy_not_draft", "只有草稿状态的政策可以发布"));
    }
    if current.expires_on.is_some_and(|d| d < today) {
        return Err(ApiError::conflict("policy_expired", "政策已过有效期，不能发布"));
    }
    let published_on = current.published_on.unwrap_or(today);
    // Only one publisher wins a race: the status moves from draft exactly once.
    let moved = policy::Entity::update_many()
        .col_expr(policy::Column::Status, Expr::value(PUBLISHED))
        .col_expr(policy::Column::PublishedOn, Expr::value(Some(published_on)))
        .col_expr(policy::Column::PublishedAt, Expr::value(Some(Utc::now())))
        .col_expr(policy::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(policy::Column::Id.eq(id))
        .filter(policy::Column::Status.eq(DRAFT))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(ApiError::conflict("policy_not_draft", "只有草稿状态的政策可以发布"));
    }
    let p = get(&txn, id).await?;
    let matched = matched_enterprises(&txn, &p, None, today).await?;
    let enterprise_ids: Vec<i64> = matched.iter().map(|(e, _)| e.id).collect();
    let mut reached = 0;
    for (user_id, enterprise_id) in members_of(&txn, &enterprise_ids).await? {
        if deliver(&txn, &p, user_id, Some(enterprise_id), VIA_PUBLISH).await? {
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
    txn.commit().await?;
    indexed(index, &p)?;
    Ok((p, reached))
}

pub const VIA_PUBLISH: &str = "publish";
pub const VIA_DIGEST: &str = "digest";
pub const VIA_SELF: &str = "self";

/// Active members of these enterprises: (person, enterprise).
pub async fn members_of(db: &impl ConnectionTrait, enterprise_ids: &[i64]) -> ApiResult<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    for chunk in enterprise_ids.chunks(500) {
        let grants = role_grant::Entity::find()
            .filter(role_grant::Column::Role.eq(Role::Enterprise.code()))
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
    via: &str,
) -> ApiResult<bool> {
    let row = policy_delivery::ActiveModel {
        policy_id: Set(p.id),
        user_id: Set(user_id),
        enterprise_id: Set(enterprise_id),
        via: Set(via.to_owned()),
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
        .filter(policy::Column::Status.eq(PUBLISHED))
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
    let enterprises: std::collections::HashMap<i64, enterprise::Model> = enterprise::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let ids: Vec<i64> = enterprises.keys().copied().collect();
    let (mut people, mut deliveries) = (0, 0);
    for (user_id, enterprise_id) in members_of(db, &ids).await? {
        let Some(e) = enterprises.get(&enterprise_id) else {
            continue;
        };
        let quals = labels(&e.qualifications);
        let tags = labels(&e.tags);
        let profile = profile(e, &quals, &tags);
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
        let txn = db.begin().await?;
        let mut titles = Vec::new();
        for p in &fresh {
            if deliver(&txn, p, user_id, Some(enterprise_id), VIA_DIGEST).await? {
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
    deliver(db, p, user_id, None, VIA_SELF).await?;
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
        .filter(policy::Column::Status.eq(PUBLISHED))
        .filter(policy::Column::ExpiresOn.lt(today))
        .all(db)
        .await?;
    let mut expired = 0;
    for p in due {
        let moved = policy::Entity::update_many()
            .col_expr(policy::Column::Status, Expr::value(EXPIRED))
            .col_expr(policy::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(policy::Column::Id.eq(p.id))
            .filter(policy::Column::Status.eq(PUBLISHED))
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

/// The matcher's view of an enterprise (the caller keeps the model alive).
pub fn profile<'a>(e: &'a enterprise::Model, quals: &'a [String], tags: &'a [String]) -> Profile<'a> {
    Profile {
        industry_code: &e.industry_code,
        scale: Scale::parse(&e.scale).unwrap_or(Scale::Micro),
        registered_at: e.registered_at,
        qualifications: quals,
        district: e.district.as_deref(),
        tags,
    }
}

/// The published policies an enterprise qualifies for, best first, each with its reasons.
pub async fn matches_for(
    db: &impl ConnectionTrait,
    e: &enterprise::Model,
    today: NaiveDate,
) -> ApiResult<Vec<(policy::Model, Verdict)>> {
    let quals = labels(&e.qualifications);
    let tags = labels(&e.tags);
    let profile = profile(e, &quals, &tags);
    let published = policy::Entity::find()
        .filter(policy::Column::Status.eq(PUBLISHED))
        .filter(current(today))
        .order_by_desc(policy::Column::Id)
        .all(db)
        .await?;
    let mut out: Vec<(policy::Model, Verdict)> = published
        .into_iter()
        .map(|p| {
            let v = evaluate(&conditions(&p), &labels(&p.tags), &profile, today);
            (p, v)
        })
        .filter(|(_, v)| v.matched)
        .collect();
    // Stable sort: equal ranks keep the newest first.
    out.sort_by_key(|(_, v)| std::cmp::Reverse(v.rank()));
    Ok(out)
}

/// Every enterprise a policy's conditions admit (optionally only those a butler serves).
pub async fn matched_enterprises(
    db: &impl ConnectionTrait,
    p: &policy::Model,
    served_by: Option<i64>,
    today: NaiveDate,
) -> ApiResult<Vec<(enterprise::Model, Verdict)>> {
    let c = conditions(p);
    let policy_tags = labels(&p.tags);
    let mut q = enterprise::Entity::find().order_by_asc(enterprise::Column::Id);
    if let Some(butler) = served_by {
        q = q.filter(enterprise::Column::ButlerUserId.eq(butler));
    }
    // The industry and scale conditions narrow in the database; the matcher decides.
    if !c.industries.is_empty() {
        let mut any = sea_orm::Condition::any();
        for code in &c.industries {
            any = any.add(enterprise::Column::IndustryCode.starts_with(code));
        }
        q = q.filter(any);
    }
    if !c.scales.is_empty() {
        q = q.filter(enterprise::Column::Scale.is_in(c.scales.iter().map(|s| s.code())));
    }
    let rows = q.all(db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            let quals = labels(&e.qualifications);
            let tags = labels(&e.tags);
            let v = evaluate(&c, &policy_tags, &profile(&e, &quals, &tags), today);
            v.matched.then_some((e, v))
        })
        .collect())
}

//! Policies: storage, status, the search index kept in step, and matching against enterprises.
use chrono::{NaiveDate, Utc};
use entity::{enterprise, policy};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::enterprise::Scale;
use crate::domain::policy::{Conditions, Profile, Verdict, evaluate};
use crate::error::{ApiError, ApiResult};
use crate::search::{PolicyDoc, PolicyIndex};
use crate::service::enterprises::labels;

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

/// Publishes a draft (the publication date defaults to `today`).
pub async fn publish(
    db: &impl ConnectionTrait,
    index: &PolicyIndex,
    id: i64,
    today: NaiveDate,
) -> ApiResult<policy::Model> {
    let current = get(db, id).await?;
    if current.status != DRAFT {
        return Err(ApiError::conflict("policy_not_draft", "只有草稿状态的政策可以发布"));
    }
    if current.expires_on.is_some_and(|d| d < today) {
        return Err(ApiError::conflict("policy_expired", "政策已过有效期，不能发布"));
    }
    let published_on = current.published_on.unwrap_or(today);
    let mut active: policy::ActiveModel = current.into();
    active.status = Set(PUBLISHED.to_owned());
    active.published_on = Set(Some(published_on));
    active.published_at = Set(Some(Utc::now()));
    active.updated_at = Set(Utc::now());
    let p = active.update(db).await?;
    indexed(index, &p)?;
    Ok(p)
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

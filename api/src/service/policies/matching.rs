//! Who a policy fits: enterprise profiles, the compiled rules kept per replica, the feed, and
//! the enterprises a policy reaches.
use super::{Stamp, conditions, table_stamp};
use std::sync::Arc;

use chrono::NaiveDate;
use entity::{enterprise, policy};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::copies::Copies;
use crate::domain::enterprise::Scale;
use crate::domain::policy::{Conditions, Profile, Verdict, admits, evaluate, fit};
use crate::error::ApiResult;
use crate::service::enterprises::labels;
use entity::codes::PolicyStatus;

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
pub(super) fn profiles(q: sea_orm::Select<enterprise::Entity>) -> sea_orm::Selector<sea_orm::SelectModel<ProfileRow>> {
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
/// scales and districts exactly, age with a day of slack (29 February). In no order.
fn prefilter(c: &Conditions, served_by: Option<i64>, today: NaiveDate) -> sea_orm::Select<enterprise::Entity> {
    use enterprise::Column as C;
    let mut q = enterprise::Entity::find();
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
    admitted_ids(db, &conditions(p), served_by, today).await
}

/// The enterprises `c` admits today (those `served_by` serves, or all).
pub async fn admitted_ids(
    db: &impl ConnectionTrait,
    c: &Conditions,
    served_by: Option<i64>,
    today: NaiveDate,
) -> ApiResult<Vec<i64>> {
    use enterprise::Column as C;
    if decided_in_database(c) {
        let q = prefilter(c, served_by, today).order_by_asc(C::Id);
        return Ok(q.select_only().column(C::Id).into_tuple::<i64>().all(db).await?);
    }
    let mut ids = Vec::new();
    scan_admitted(db, c, served_by, today, |id| ids.push(id)).await?;
    Ok(ids)
}

/// Whether the database decides every condition (no qualification or age to check here).
fn decided_in_database(c: &Conditions) -> bool {
    c.qualifications.is_empty() && c.min_years.is_none() && c.max_years.is_none()
}

/// Rows read at a time when the matcher decides: memory stays bounded at any number of
/// enterprises (a few MB), and a few statements read them all.
const SCAN_CHUNK: u64 = 50_000;

/// Calls `admitted` with the id of each enterprise `c` admits, in id order, deciding over the
/// rows the database narrowed, a chunk at a time.
async fn scan_admitted(
    db: &impl ConnectionTrait,
    c: &Conditions,
    served_by: Option<i64>,
    today: NaiveDate,
    mut admitted: impl FnMut(i64),
) -> ApiResult<()> {
    use enterprise::Column as C;
    type Row = (i64, String, Scale, NaiveDate, Option<String>, serde_json::Value);
    let mut after = i64::MIN;
    loop {
        let rows: Vec<Row> = prefilter(c, served_by, today)
            .filter(C::Id.gt(after))
            .order_by_asc(C::Id)
            .select_only()
            .columns([
                C::Id,
                C::IndustryCode,
                C::Scale,
                C::RegisteredAt,
                C::District,
                C::Qualifications,
            ])
            .limit(SCAN_CHUNK)
            .into_tuple()
            .all(db)
            .await?;
        let full = rows.len() as u64 == SCAN_CHUNK;
        for (id, industry_code, scale, registered_at, district, quals) in rows {
            after = id;
            let qualifications = labels(&quals);
            let profile = Profile {
                industry_code: &industry_code,
                scale,
                registered_at,
                qualifications: &qualifications,
                district: district.as_deref(),
                tags: &[],
            };
            if admits(c, &profile, today) {
                admitted(id);
            }
        }
        if !full {
            return Ok(());
        }
    }
}

/// How many enterprises `c` admits today and the ids of the first `limit` (by id), without
/// holding the others: a count in the database when it decides everything, else one pass.
async fn admitted_count(
    db: &impl ConnectionTrait,
    c: &Conditions,
    served_by: Option<i64>,
    today: NaiveDate,
    limit: usize,
) -> ApiResult<(usize, Vec<i64>)> {
    use enterprise::Column as C;
    use sea_orm::PaginatorTrait;
    if decided_in_database(c) {
        let q = prefilter(c, served_by, today);
        let count = q.clone().count(db).await?;
        let first = q
            .order_by_asc(C::Id)
            .select_only()
            .column(C::Id)
            .limit(u64::try_from(limit).unwrap_or(u64::MAX))
            .into_tuple::<i64>()
            .all(db)
            .await?;
        return Ok((usize::try_from(count).unwrap_or(usize::MAX), first));
    }
    let (mut count, mut first) = (0, Vec::with_capacity(limit));
    scan_admitted(db, c, served_by, today, |id| {
        count += 1;
        if first.len() < limit {
            first.push(id);
        }
    })
    .await?;
    Ok((count, first))
}

/// How many enterprises a policy admits, and the first `limit` of them (by id) with reasons.
pub async fn matched_enterprises(
    db: &impl ConnectionTrait,
    p: &policy::Model,
    served_by: Option<i64>,
    today: NaiveDate,
    limit: usize,
) -> ApiResult<(usize, Vec<(EnterpriseProfile, Verdict)>)> {
    admitted_enterprises(db, &conditions(p), &labels(&p.tags), served_by, today, limit).await
}

/// How many enterprises `c` admits today, and the first `limit` of them (by id) with reasons:
/// a draft's reach as its conditions change, nothing saved.
pub async fn admitted_enterprises(
    db: &impl ConnectionTrait,
    c: &Conditions,
    policy_tags: &[String],
    served_by: Option<i64>,
    today: NaiveDate,
    limit: usize,
) -> ApiResult<(usize, Vec<(EnterpriseProfile, Verdict)>)> {
    let (count, first) = admitted_count(db, c, served_by, today, limit).await?;
    let rows = profiles(enterprise::Entity::find().filter(enterprise::Column::Id.is_in(first)))
        .all(db)
        .await?;
    let mut listed: Vec<(EnterpriseProfile, Verdict)> = rows
        .into_iter()
        .map(|row| {
            let e = EnterpriseProfile::from(row);
            let v = evaluate(c, policy_tags, &e.profile(), today);
            (e, v)
        })
        .collect();
    listed.sort_by_key(|(e, _)| e.id);
    Ok((count, listed))
}

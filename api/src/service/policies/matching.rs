//! Who a policy fits: enterprise profiles, the compiled rules kept per replica, the feed, and
//! the enterprises a policy reaches.
use super::{Stamp, conditions, table_stamp};
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use entity::{enterprise, policy};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Select, Statement,
};

use crate::copies::Copies;
use crate::domain::enterprise::Scale;
use crate::domain::policy::{Conditions, Profile, Verdict, admits, evaluate, fit, registered_window};
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
    rules: Arc<Rules>,
}

/// The published rules (newest first), and which of them an enterprise's industry lets in:
/// those without an industry condition, and those naming a code its class starts with. The
/// feed tests only these, not every rule.
struct Rules {
    all: Vec<Rule>,
    /// The rules without an industry condition.
    any_industry: Vec<u32>,
    /// Each industry code some condition names, and the rules naming it.
    by_industry: HashMap<String, Vec<u32>>,
}

impl Rules {
    fn new(all: Vec<Rule>) -> Self {
        let mut any_industry = Vec::new();
        let mut by_industry: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, rule) in (0u32..).zip(&all) {
            let codes: std::collections::BTreeSet<&String> = rule.conditions.industries.iter().collect();
            if codes.is_empty() {
                any_industry.push(i);
            }
            for code in codes {
                by_industry.entry(code.clone()).or_default().push(i);
            }
        }
        Self {
            all,
            any_industry,
            by_industry,
        }
    }

    /// The rules whose industry condition an enterprise of `class` meets (`industry_hit`), each
    /// once, in no order: those naming no industry, and those naming a code its class starts
    /// with (a rule naming two such codes, `C` and `C39`, under the shorter only).
    fn for_industry<'a>(&'a self, class: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        let named = (0..=class.len())
            .filter(move |&end| class.is_char_boundary(end))
            .filter_map(move |end| self.by_industry.get_key_value(&class[..end]))
            .flat_map(move |(code, rules)| {
                rules
                    .iter()
                    .map(move |&i| &self.all[i as usize])
                    .filter(move |r| shortest_hit(&r.conditions, class) == Some(code.len()))
            });
        self.any_industry
            .iter()
            .map(move |&i| &self.all[i as usize])
            .chain(named)
    }
}

/// The length of the shortest of the codes `c` names that `class` starts with.
fn shortest_hit(c: &Conditions, class: &str) -> Option<usize> {
    c.industries
        .iter()
        .filter(|code| class.starts_with(code.as_str()))
        .map(String::len)
        .min()
}

impl Default for RuleCache {
    fn default() -> Self {
        Self(Arc::new(Copies::new(&crate::search::INDEX_WRITES)))
    }
}

impl RuleCache {
    /// The only key: one copy of all the rules.
    const ALL: i64 = 0;

    async fn rules(&self, db: &DatabaseConnection) -> ApiResult<Arc<Rules>> {
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
        rules: Arc::new(Rules::new(rules)),
    }))
}

/// Where a policy stands in an enterprise's feed: its rank (`domain::policy::fit`), then its
/// id. The feed runs from the highest down.
pub type FeedPosition = (usize, usize, i64);

/// The published policies an enterprise qualifies for, none past its expiry date, each with
/// its position, in no order. No reasons are written here.
fn qualified<'r>(rules: &'r Rules, e: &'r EnterpriseProfile, today: NaiveDate) -> Vec<(FeedPosition, &'r Rule)> {
    let profile = e.profile();
    rules
        .for_industry(&e.industry_code)
        .filter(|r| r.expires_on.is_none_or(|d| d >= today))
        .filter(|r| admits(&r.conditions, &profile, today))
        .map(|r| {
            let (shared, specific) = fit(&r.conditions, &r.tags, &profile);
            ((shared, specific, r.summary.id), r)
        })
        .collect()
}

/// Best first: the highest position first (equal ranks newest first).
fn best_first(found: &mut [(FeedPosition, &Rule)]) {
    found.sort_unstable_by_key(|(pos, _)| std::cmp::Reverse(*pos));
}

/// The policies an enterprise qualifies for after `after` (a position), best first, at most
/// `limit` of them; and the position of the last when more follow. Only the page is sorted.
fn page<'r>(
    rules: &'r Rules,
    e: &'r EnterpriseProfile,
    today: NaiveDate,
    after: Option<FeedPosition>,
    limit: usize,
) -> (Vec<(FeedPosition, &'r Rule)>, Option<FeedPosition>) {
    let mut rest = qualified(rules, e, today);
    if let Some(after) = after {
        rest.retain(|(pos, _)| *pos < after);
    }
    if rest.len() > limit {
        // The page and the one after it: enough to say whether more follow.
        rest.select_nth_unstable_by_key(limit, |(pos, _)| std::cmp::Reverse(*pos));
        rest.truncate(limit + 1);
    }
    best_first(&mut rest);
    let more = rest.len() > limit;
    rest.truncate(limit);
    let next = more.then(|| rest.last().map(|(pos, _)| *pos)).flatten();
    (rest, next)
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
    let mut found = qualified(&rules, &enterprise, today);
    best_first(&mut found);
    Ok(found
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
    let (found, next) = page(&rules, &enterprise, today, after, limit);
    Ok((
        found.iter().map(|(_, r)| with_reasons(r, &enterprise, today)).collect(),
        next,
    ))
}

/// The enterprises `c` admits today (those `served_by` serves, or all), decided in the database
/// by the same rules as `admits`: industries, scales and districts as they are; age by the
/// registration window (`registered_window`); each qualification as a string of the enterprise's
/// JSON list (`labels`), read in the backend's own JSON functions. In no order;
/// `every_matched_set_is_the_matchers_verdict` checks it against `admits` on both backends.
/// On PostgreSQL the industry index carries the scale, district, registration day and id
/// (migration 32): a condition on an industry with any of those is read without the rows.
fn admitted(
    c: &Conditions,
    served_by: Option<i64>,
    today: NaiveDate,
    backend: DbBackend,
) -> Select<enterprise::Entity> {
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
    for qualification in &c.qualifications {
        q = q.filter(holds_label(backend, qualification));
    }
    let (on_or_before, after) = registered_window(c, today);
    if let Some(day) = on_or_before {
        q = q.filter(C::RegisteredAt.lte(day));
    }
    if let Some(day) = after {
        q = q.filter(C::RegisteredAt.gt(day));
    }
    q
}

/// The enterprise's qualifications, a JSON list, hold `label` as one of its strings.
fn holds_label(backend: DbBackend, label: &str) -> SimpleExpr {
    use enterprise::Column as C;
    match backend {
        // `jsonb` containment of a one-string list: a string element equal to it, at the top
        // level (an index reads it).
        DbBackend::Postgres => Expr::cust_with_values(
            "\"enterprises\".\"qualifications\" @> CAST($1 AS jsonb)",
            [serde_json::json!([label]).to_string()],
        ),
        _ => {
            // `json_each` also walks an object's values or yields a lone scalar: a list only.
            let exact = Expr::cust_with_values(
                "(CASE WHEN json_valid(\"enterprises\".\"qualifications\") \
                 AND json_type(\"enterprises\".\"qualifications\") = 'array' \
                 THEN EXISTS (SELECT 1 FROM json_each(\"enterprises\".\"qualifications\") AS q \
                 WHERE q.type = 'text' AND q.value = ?) ELSE 0 END)",
                [label],
            );
            // First what is cheap to test: the label quoted in the list's text, as every list
            // this server writes shows it (serde_json escapes only quotes, backslashes and
            // control characters).
            if label.contains(['"', '\\']) || label.chars().any(char::is_control) {
                return exact;
            }
            let quoted = format!("\"{}\"", crate::service::like_literal(label));
            let text = sea_orm::sea_query::Func::cast_as(Expr::col(C::Qualifications), "TEXT");
            Expr::expr(text)
                .like(sea_orm::sea_query::LikeExpr::new(format!("%{quoted}%")).escape('\\'))
                .and(exact)
        }
    }
}

/// The enterprises that conditions of qualifications and an age alone admit (no industry,
/// scale, district or butler), read on PostgreSQL from `enterprise_qualifications` alone
/// (migration 32: each enterprise's qualifications with its registration day, kept by
/// triggers): the rows of the first qualification within the registration window
/// (`registered_window`) whose enterprise also holds every other. A count of them is a range of
/// one index, where `admitted` would fetch every admitted enterprise's row to recheck its list.
/// `every_matched_set_is_the_matchers_verdict` checks it against `admits`.
struct Qualified {
    /// `FROM … WHERE …`, the enterprise's id as `q.enterprise_id`.
    from: String,
    values: Vec<sea_orm::Value>,
}

impl Qualified {
    fn only(c: &Conditions, served_by: Option<i64>, today: NaiveDate, backend: DbBackend) -> Option<Self> {
        let only_these = backend == DbBackend::Postgres
            && served_by.is_none()
            && c.industries.is_empty()
            && c.scales.is_empty()
            && c.districts.is_empty();
        let (first, others) = c.qualifications.split_first().filter(|_| only_these)?;
        let mut held = Self {
            from: String::from("FROM enterprise_qualifications q WHERE q.qualification = $1"),
            values: vec![first.clone().into()],
        };
        let (on_or_before, after) = registered_window(c, today);
        if let Some(day) = on_or_before {
            held.and("q.registered_at <= ", day.into());
        }
        if let Some(day) = after {
            held.and("q.registered_at > ", day.into());
        }
        for label in others {
            held.from.push_str(
                " AND EXISTS (SELECT 1 FROM enterprise_qualifications o \
                 WHERE o.enterprise_id = q.enterprise_id AND o.qualification = ",
            );
            held.values.push(label.clone().into());
            held.from.push_str(&format!("${})", held.values.len()));
        }
        Some(held)
    }

    /// `AND {test}$n`, `value` bound as `$n`.
    fn and(&mut self, test: &str, value: sea_orm::Value) {
        self.values.push(value);
        self.from.push_str(&format!(" AND {test}${}", self.values.len()));
    }

    fn statement(&self, select: &str, rest: &str) -> Statement {
        Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("SELECT {select} {} {rest}", self.from),
            self.values.clone(),
        )
    }

    async fn count(&self, db: &impl ConnectionTrait) -> ApiResult<usize> {
        let row = db.query_one_raw(self.statement("count(*) AS n", "")).await?;
        let n = row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0);
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The ids ascending, the first `limit` or all.
    async fn ids(&self, db: &impl ConnectionTrait, limit: Option<usize>) -> ApiResult<Vec<i64>> {
        let limit = limit.map(|n| format!("LIMIT {n}")).unwrap_or_default();
        let rows = db
            .query_all_raw(self.statement("q.enterprise_id AS id", &format!("ORDER BY q.enterprise_id {limit}")))
            .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<i64>("", "id"))
            .collect::<Result<_, _>>()?)
    }
}

/// The ids (ascending) of every enterprise a policy admits, optionally only those a butler
/// serves.
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
    let backend = db.get_database_backend();
    if let Some(held) = Qualified::only(c, served_by, today, backend) {
        return held.ids(db, None).await;
    }
    Ok(admitted(c, served_by, today, backend)
        .order_by_asc(C::Id)
        .select_only()
        .column(C::Id)
        .into_tuple::<i64>()
        .all(db)
        .await?)
}

/// Matched enterprises read at once when a policy admits few of them: enough for any page.
const FEW: u64 = 5_000;

/// How many enterprises `c` admits today and the ids of the first `limit` (by id). Read so that
/// the database scans the enterprises at most once more than it must: first up to `FEW` of
/// them in any order, which is every one when a policy admits few (the count, and the page
/// sorted here); otherwise a count, and the page in id order, which finds its rows early among
/// many. (Asking for the first page in id order when there are few would walk the whole table
/// in id order: the planner cannot know that industry, scale and district rarely meet.)
async fn admitted_count(
    db: &impl ConnectionTrait,
    c: &Conditions,
    served_by: Option<i64>,
    today: NaiveDate,
    limit: usize,
) -> ApiResult<(usize, Vec<i64>)> {
    use enterprise::Column as C;
    use sea_orm::PaginatorTrait;
    let backend = db.get_database_backend();
    if let Some(held) = Qualified::only(c, served_by, today, backend) {
        let count = held.count(db).await?;
        return Ok((count, held.ids(db, Some(limit)).await?));
    }
    let q = admitted(c, served_by, today, backend);
    let ids = |q: Select<enterprise::Entity>, n: u64| q.select_only().column(C::Id).limit(n).into_tuple::<i64>();
    let mut few = ids(q.clone(), FEW).all(db).await?;
    if u64::try_from(few.len()).unwrap_or(u64::MAX) < FEW {
        few.sort_unstable();
        let count = few.len();
        few.truncate(limit);
        return Ok((count, few));
    }
    let count = q.clone().count(db).await?;
    let first = ids(q.order_by_asc(C::Id), u64::try_from(limit).unwrap_or(u64::MAX))
        .all(db)
        .await?;
    Ok((usize::try_from(count).unwrap_or(usize::MAX), first))
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CODES: &[&str] = &["", "C", "C3", "C39", "C391", "C3911", "C3912", "I", "I65", "I6513"];
    /// Classes of enterprises (and one that is no code at all, of more than one byte).
    const CLASSES: &[&str] = &["C3911", "C3912", "C391", "I6513", "A0111", "税"];
    const LABELS: &[&str] = &["高新技术企业", "专精特新", "外贸", "人才"];
    const DISTRICTS: &[&str] = &["湖里", "海沧"];
    const SCALES: &[Scale] = &[Scale::Micro, Scale::Small, Scale::Medium, Scale::Large];

    fn some<T: Clone + std::fmt::Debug>(from: &'static [T]) -> impl Strategy<Value = Vec<T>> {
        proptest::sample::subsequence(from, 0..=from.len().min(3))
    }

    fn strings(from: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
        some(from).prop_map(|v| v.into_iter().map(str::to_owned).collect())
    }

    prop_compose! {
        fn conditions()(
            industries in prop_oneof![Just(vec![]), strings(CODES)],
            scales in some(SCALES),
            min_years in proptest::option::of(0u32..6),
            max_years in proptest::option::of(0u32..12),
            qualifications in proptest::collection::vec(proptest::sample::select(LABELS), 0..2),
            districts in strings(DISTRICTS),
        ) -> Conditions {
            Conditions {
                industries,
                scales,
                min_years,
                max_years,
                qualifications: qualifications.into_iter().map(str::to_owned).collect(),
                districts,
            }
        }
    }

    prop_compose! {
        fn rules()(drawn in proptest::collection::vec(
            (conditions(), strings(LABELS), proptest::option::of(-3i64..3)), 0..60,
        )) -> Vec<Rule> {
            let today = day();
            drawn.into_iter().enumerate().map(|(i, (conditions, tags, expires))| Rule {
                summary: PolicySummary {
                    id: i as i64 + 1,
                    title: format!("政策{i}"),
                    issuer: "管委会".to_owned(),
                    published_on: None,
                    apply_by: None,
                    for_whom: String::new(),
                },
                conditions,
                tags,
                expires_on: expires.map(|d| today + chrono::Duration::days(d)),
            }).collect()
        }
    }

    prop_compose! {
        fn enterprise()(
            class in proptest::sample::select(CLASSES),
            scale in proptest::sample::select(SCALES),
            age in 0i64..5000,
            qualifications in strings(LABELS),
            tags in strings(LABELS),
            district in proptest::option::of(proptest::sample::select(DISTRICTS)),
        ) -> EnterpriseProfile {
            EnterpriseProfile {
                id: 1,
                name: "企业".to_owned(),
                industry_code: class.to_owned(),
                scale,
                registered_at: day() - chrono::Duration::days(age),
                qualifications,
                tags,
                district: district.map(str::to_owned),
            }
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The feed read page by page, from the rules its industry lets in, is every rule that
        /// admits the enterprise and has not expired, best first: exactly what testing every
        /// rule and sorting them all gives.
        #[test]
        fn the_feed_page_by_page_is_every_admitting_rule_best_first(
            all in rules(), e in enterprise(), limit in 1usize..7,
        ) {
            let today = day();
            let profile = e.profile();
            let mut expected: Vec<(FeedPosition, i64)> = all
                .iter()
                .filter(|r| r.expires_on.is_none_or(|d| d >= today))
                .filter(|r| admits(&r.conditions, &profile, today))
                .map(|r| {
                    let (shared, specific) = fit(&r.conditions, &r.tags, &profile);
                    ((shared, specific, r.summary.id), r.summary.id)
                })
                .collect();
            expected.sort_by(|a, b| b.cmp(a));
            let rules = Rules::new(all);
            let mut read = Vec::new();
            let mut after = None;
            loop {
                let (found, next) = page(&rules, &e, today, after, limit);
                prop_assert!(found.len() <= limit);
                read.extend(found.iter().map(|(pos, r)| (*pos, r.summary.id)));
                match next {
                    Some(pos) => {
                        prop_assert_eq!(Some(pos), found.last().map(|(p, _)| *p));
                        after = Some(pos);
                    }
                    None => break,
                }
            }
            prop_assert_eq!(read, expected);
        }
    }
}

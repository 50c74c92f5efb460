//! Finding policies: search by words and filters, the feed of those that fit an enterprise,
//! and the enterprises a policy fits.
use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Access, AuthUser, Owner};
use crate::domain::access::{ADMINS, BUTLERS};
use crate::domain::policy::{Conditions, Reason, Verdict};
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::{no_errors, required_text};
use crate::search::{SearchFilter, Segment};
use crate::service::policies::{self};
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, encode_position, today};
use entity::codes::PolicyStatus;

use super::{PolicyResponse, readable, response};

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words in Chinese, e.g. 「人才补贴」 or 「高企」.
    pub q: String,
    pub issuer: Option<String>,
    pub tag: Option<String>,
    /// `draft` is for admins only; others always see published and expired ones.
    pub status: Option<String>,
    /// Published on or after.
    pub from: Option<NaiveDate>,
    /// Published on or before.
    pub to: Option<NaiveDate>,
    /// 1–50, 20 by default.
    pub limit: Option<usize>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub id: Id,
    pub issuer: String,
    pub status: PolicyStatus,
    pub published_on: Option<NaiveDate>,
    pub score: f32,
    /// The title, with the matched words marked.
    pub title: Vec<Segment>,
    /// A passage of the explainer or text, with the matched words marked.
    pub snippet: Vec<Segment>,
}

/// Search policies in Chinese (segmented words and synonyms), best first.
#[utoipa::path(tag = "policies", params(SearchQuery), responses((status = 200, body = [SearchHit]), (status = 422, body = ErrorBody)))]
#[get("/policies/search")]
pub async fn search_policies(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: actix_web::HttpRequest,
    query: crate::extract::Query<SearchQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.parse()?;
    let mut errors = Vec::new();
    let text = required_text(&q.q, "q", 50, &mut errors);
    let limit = q.limit.unwrap_or(20);
    if !(1..=50).contains(&limit) {
        errors.push(FieldError::new("limit", "out_of_range", "limit 须在 1 到 50 之间"));
    }
    let public = vec![
        PolicyStatus::Published.code().to_owned(),
        PolicyStatus::Expired.code().to_owned(),
    ];
    let statuses = match q.status.as_deref().map(|s| (s, PolicyStatus::parse(s))) {
        None => {
            if auth.is_admin() {
                Vec::new()
            } else {
                public
            }
        }
        Some((s, Some(PolicyStatus::Published | PolicyStatus::Expired))) => vec![s.to_owned()],
        Some((s, Some(PolicyStatus::Draft))) if auth.is_admin() => vec![s.to_owned()],
        Some((_, Some(PolicyStatus::Draft))) => return Err(ApiError::forbidden()),
        Some(_) => {
            errors.push(FieldError::new(
                "status",
                "invalid",
                "状态须为 draft、published 或 expired",
            ));
            Vec::new()
        }
    };
    no_errors(errors)?;
    let filter = SearchFilter {
        issuer: q.issuer.filter(|s| !s.trim().is_empty()),
        tag: q.tag.filter(|s| !s.trim().is_empty()),
        statuses,
        published_from: q.from,
        published_to: q.to,
    };
    let (st, who) = (state.get_ref().clone(), auth.clone());
    let read = move || async move {
        policies::sync_index(&st.db, &st.policies).await?;
        let hits = st.policies.search(&text, &filter, limit).map_err(ApiError::internal)?;
        let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
        let rows: std::collections::HashMap<i64, policies::Head> = policies::heads(&st.db, &ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let out: Vec<SearchHit> = hits
            .into_iter()
            .filter_map(|h| {
                // The index may briefly lag the database; the database decides.
                let p = rows.get(&h.id)?;
                readable(&who, p.status).ok()?;
                Some(SearchHit {
                    id: Id(p.id),
                    issuer: p.issuer.clone(),
                    status: p.status,
                    published_on: p.published_on,
                    score: h.score,
                    title: h.title,
                    snippet: h.snippet,
                })
            })
            .collect();
        crate::answers::Answer::json(&out)
    };
    crate::answers::answer(&state, &auth, &req, read).await
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchedPolicy {
    pub id: Id,
    pub title: String,
    pub issuer: String,
    pub published_on: Option<NaiveDate>,
    pub apply_by: Option<NaiveDate>,
    /// 适用对象 from the 明白纸, for the feed.
    pub for_whom: String,
    /// Why the enterprise sees this: every condition that held, then the shared tags.
    pub reasons: Vec<Reason>,
    pub shared_tags: Vec<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct MatchedQuery {
    /// Needed only by a person who is a member of more than one enterprise.
    pub enterprise_id: Option<Id>,
    /// Opaque cursor from the previous page's `nextCursor`.
    pub cursor: Option<String>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

/// The feed's cursor names a position (`FeedPosition`: rank, then id).
const FEED_ORDER: &str = "fit";

fn feed_cursor((shared, specific, id): policies::FeedPosition) -> String {
    let rank = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    encode_position(FEED_ORDER, &[rank(shared), rank(specific), id])
}

/// Policies for my enterprise, best first (equal ranks newest first), each with its reasons,
/// a page at a time.
#[utoipa::path(tag = "policies", params(MatchedQuery), responses((status = 200, body = Page<MatchedPolicy>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/policies/matched")]
pub async fn matched_policies(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<MatchedQuery>,
) -> ApiResult<HttpResponse> {
    let mine: Vec<i64> = auth.enterprise_ids().collect();
    if mine.is_empty() {
        return Err(ApiError::Forbidden {
            code: "not_an_enterprise_member",
            message: "请先绑定企业".into(),
        });
    }
    let query = query.parse()?;
    let page = PageQuery {
        cursor: query.cursor.clone(),
        limit: query.limit,
    };
    let limit = page.limit()?;
    let rank = |n: i64| usize::try_from(n).ok();
    let after = page
        .after::<3>(FEED_ORDER)?
        .map(|[shared, specific, id]| {
            rank(shared)
                .zip(rank(specific))
                .map(|(s, p)| (s, p, id))
                .ok_or_else(|| ApiError::invalid_field("cursor", "invalid_cursor", "分页游标无效"))
        })
        .transpose()?;
    let enterprise_id = match (query.enterprise_id, mine.as_slice()) {
        (Some(Id(id)), _) => id,
        (None, [only]) => *only,
        (None, _) => {
            return Err(ApiError::invalid_field("enterpriseId", "required", "请选择企业"));
        }
    };
    auth.require(
        &[Access::EnterpriseMember],
        &Owner {
            enterprise_id: Some(enterprise_id),
            ..Owner::default()
        },
    )?;
    let e = crate::service::enterprises::recent(&state.db, &state.enterprises, enterprise_id).await?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let (found, next) = policies::feed_page(&state.db, &state.policy_rules, &e, today(), after, limit).await?;
    let items: Vec<MatchedPolicy> = found
        .into_iter()
        .map(|(p, v): (policies::PolicySummary, Verdict)| MatchedPolicy {
            id: Id(p.id),
            title: p.title,
            issuer: p.issuer,
            published_on: p.published_on,
            apply_by: p.apply_by,
            for_whom: p.for_whom,
            reasons: v.reasons,
            shared_tags: v.shared_tags,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: next.map(feed_cursor),
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchedEnterprise {
    pub id: Id,
    pub name: String,
    pub industry_code: String,
    pub reasons: Vec<Reason>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PolicyMatches {
    pub count: usize,
    /// The first by id (200 of a policy's, 20 of a preview); `count` is the whole.
    pub items: Vec<MatchedEnterprise>,
}

impl PolicyMatches {
    fn of(count: usize, found: Vec<(policies::EnterpriseProfile, Verdict)>) -> Self {
        let items = found
            .into_iter()
            .map(|(e, v)| MatchedEnterprise {
                id: Id(e.id),
                name: e.name,
                industry_code: e.industry_code,
                reasons: v.reasons,
            })
            .collect();
        Self { count, items }
    }
}

/// The enterprises a policy reaches (admins: all; butlers: those they serve).
#[utoipa::path(tag = "policies", params(("id" = String, Path)), responses((status = 200, body = PolicyMatches), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/policies/{id}/matches")]
pub async fn policy_matches(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let p = policies::get(&state.db, id.into_inner()).await?;
    let served_by = (!auth.is_admin()).then_some(auth.id);
    let (count, found) = policies::matched_enterprises(&state.db, &p, served_by, today(), 200).await?;
    Ok(HttpResponse::Ok().json(PolicyMatches::of(count, found)))
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PolicyListQuery {
    /// `draft`, `published` or `expired`; all when left out.
    pub status: Option<String>,
    /// Part of the title or the issuer.
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

/// Every policy, drafts included, newest first (admins).
#[utoipa::path(tag = "policies", params(PolicyListQuery), responses(
    (status = 200, body = Page<PolicyResponse>),
    (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[get("/policies")]
pub async fn list_policies(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<PolicyListQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let q = query.parse()?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            PolicyStatus::parse(s)
                .ok_or_else(|| ApiError::invalid_field("status", "invalid_choice", "取值不在允许的范围内"))?,
        ),
    };
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = page.limit()?;
    let rows = policies::list(&state.db, status, q.q.as_deref(), page.after_id()?, limit).await?;
    let (rows, next_cursor) = crate::types::split_page(rows, limit, |p| p.id);
    let mut items = Vec::with_capacity(rows.len());
    for p in rows {
        items.push(response(&state, p).await?);
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReachPreviewRequest {
    pub conditions: Conditions,
}

/// How many enterprises conditions admit today, with a sample and why (admins), nothing saved:
/// a draft's reach as its editor changes the conditions.
#[utoipa::path(tag = "policies", request_body = ReachPreviewRequest, responses(
    (status = 200, body = PolicyMatches),
    (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/policies/reach-preview")]
pub async fn reach_preview(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<ReachPreviewRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let c = body
        .parse()?
        .conditions
        .validated("conditions")
        .map_err(ApiError::invalid)?;
    let (count, found) = policies::admitted_enterprises(&state.db, &c, &[], None, today(), 20).await?;
    Ok(HttpResponse::Ok().json(PolicyMatches::of(count, found)))
}

//! Policies (政策精准滴灌): admins write and publish them; everyone signed in reads and searches
//! the published ones; an enterprise's members see which fit their enterprise and why; staff
//! see which enterprises a policy reaches.
use actix_web::{HttpResponse, get, post, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Access, AuthUser, Owner};
use crate::domain::access::{ADMINS, BUTLERS};
use crate::domain::enterprise::clean_labels;
use crate::domain::policy::{Conditions, Reason, Verdict};
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::files::FileResponse;
use crate::routes::{no_errors, optional_text, required_text};
use crate::search::{SearchFilter, Segment};
use crate::service::enterprises::labels;
use crate::service::files::FileRefs;
use crate::service::policies::{self, PolicyInput};
use crate::state::AppState;
use crate::types::{FileId, Id, Page, PageQuery, encode_position, today};
use entity::codes::PolicyStatus;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // The fixed paths come before `/policies/{id}`.
    cfg.service(search_policies)
        .service(matched_policies)
        .service(create_policy)
        .service(get_policy)
        .service(replace_policy)
        .service(publish_policy)
        .service(acknowledge_policy)
        .service(policy_reach)
        .service(policy_matches);
}

/// The 明白纸: the policy in plain words.
#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Explainer {
    /// 适用对象.
    pub for_whom: String,
    /// 支持内容.
    pub benefits: String,
    /// 申报方式.
    pub how_to_apply: String,
    /// 咨询电话.
    pub contact: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PolicyResponse {
    pub id: Id,
    pub title: String,
    pub issuer: String,
    pub doc_number: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub effective_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub apply_by: Option<NaiveDate>,
    pub explainer: Explainer,
    pub full_text: String,
    pub tags: Vec<String>,
    pub conditions: Conditions,
    /// Files uploaded through `/files`, in order; read them at `/files/{id}`.
    pub attachments: Vec<FileResponse>,
    pub status: PolicyStatus,
}

impl PolicyResponse {
    fn new(p: entity::policy::Model, attachments: Vec<entity::file::Model>) -> Self {
        Self {
            attachments: attachments.into_iter().map(FileResponse::from).collect(),
            id: Id(p.id),
            conditions: policies::conditions(&p),
            tags: labels(&p.tags),
            title: p.title,
            issuer: p.issuer,
            doc_number: p.doc_number,
            published_on: p.published_on,
            effective_on: p.effective_on,
            expires_on: p.expires_on,
            apply_by: p.apply_by,
            explainer: Explainer {
                for_whom: p.for_whom,
                benefits: p.benefits,
                how_to_apply: p.how_to_apply,
                contact: p.contact,
            },
            full_text: p.full_text,
            status: p.status,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreatePolicyRequest {
    pub title: String,
    pub issuer: String,
    pub doc_number: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub effective_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub apply_by: Option<NaiveDate>,
    pub explainer: Explainer,
    #[serde(default)]
    pub full_text: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub conditions: Conditions,
    /// Files uploaded through `/files` by an administrator (at most 9), in order.
    #[serde(default)]
    pub attachments: Vec<FileId>,
}

/// Checks a policy document (its attachments are checked where they are attached).
fn policy_input(b: CreatePolicyRequest) -> ApiResult<PolicyInput> {
    let attachments = FileRefs::list("attachments", &FileId::ids(&b.attachments));
    let mut errors: Vec<FieldError> = Vec::new();
    let title = required_text(&b.title, "title", 100, &mut errors);
    let issuer = required_text(&b.issuer, "issuer", 50, &mut errors);
    let doc_number = optional_text(b.doc_number.as_deref(), "docNumber", 50, &mut errors);
    let for_whom = required_text(&b.explainer.for_whom, "explainer.forWhom", 1000, &mut errors);
    let benefits = required_text(&b.explainer.benefits, "explainer.benefits", 2000, &mut errors);
    let how_to_apply = required_text(&b.explainer.how_to_apply, "explainer.howToApply", 2000, &mut errors);
    let contact = required_text(&b.explainer.contact, "explainer.contact", 200, &mut errors);
    if b.full_text.chars().count() > 100_000 {
        errors.push(FieldError::new("fullText", "too_long", "不能超过 100000 个字"));
    }
    let tags = clean_labels(&b.tags);
    if tags.len() > 20 || tags.iter().any(|t| t.chars().count() > 20) {
        errors.push(FieldError::new(
            "tags",
            "too_many",
            "标签最多 20 个，每个不超过 20 个字",
        ));
    }
    if let (Some(from), Some(to)) = (b.effective_on, b.expires_on)
        && to < from
    {
        errors.push(FieldError::new(
            "expiresOn",
            "invalid_range",
            "失效日期不能早于生效日期",
        ));
    }
    let conditions = match b.conditions.validated("conditions") {
        Ok(c) => Some(c),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    no_errors(errors)?;
    Ok(PolicyInput {
        title,
        issuer,
        doc_number,
        published_on: b.published_on,
        effective_on: b.effective_on,
        expires_on: b.expires_on,
        apply_by: b.apply_by,
        for_whom,
        benefits,
        how_to_apply,
        contact,
        full_text: b.full_text.trim().to_owned(),
        tags,
        conditions: conditions.unwrap_or_default(),
        attachments,
    })
}

/// The response for a policy, its attachments read.
async fn response(state: &AppState, p: entity::policy::Model) -> ApiResult<PolicyResponse> {
    let files = policies::attachments(&state.db, p.id).await?;
    Ok(PolicyResponse::new(p, files))
}

/// Write a policy (admins); it starts as a draft.
#[utoipa::path(tag = "policies", request_body = CreatePolicyRequest, responses((status = 201, body = PolicyResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/policies")]
pub async fn create_policy(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<CreatePolicyRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let input = policy_input(body.parse()?)?;
    let p = policies::create(&state.db, &state.policies, input, auth.id).await?;
    Ok(HttpResponse::Created().json(response(&state, p).await?))
}

/// Rewrite a policy (admins), the whole document as for creating it. Drafts change freely; a
/// published policy's text, dates, tags and attachments may be corrected, its conditions not
/// (409 `policy_conditions_locked`). The search index follows at once.
#[utoipa::path(tag = "policies", params(("id" = String, Path)), request_body = CreatePolicyRequest, responses(
    (status = 200, body = PolicyResponse),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[put("/policies/{id}")]
pub async fn replace_policy(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<CreatePolicyRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let current = policies::get(&state.db, id.into_inner()).await?;
    let input = policy_input(body.parse()?)?;
    let p = policies::replace(&state.db, &state.policies, current.id, input).await?;
    Ok(HttpResponse::Ok().json(response(&state, p).await?))
}

/// Whether the caller may read this policy: published and expired ones are public to everyone
/// signed in; drafts only to admins.
fn readable(auth: &AuthUser, p: &entity::policy::Model) -> ApiResult<()> {
    if policies::is_public(p) || auth.is_admin() {
        Ok(())
    } else {
        Err(ApiError::not_found("policy_not_found", "政策不存在"))
    }
}

/// One policy.
#[utoipa::path(tag = "policies", params(("id" = String, Path)), responses((status = 200, body = PolicyResponse), (status = 404, body = ErrorBody)))]
#[get("/policies/{id}")]
pub async fn get_policy(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let p = policies::get(&state.db, id.into_inner()).await?;
    readable(&auth, &p)?;
    policies::mark_read(&state.db, p.id, auth.id).await?;
    Ok(HttpResponse::Ok().json(response(&state, p).await?))
}

/// 「我已知晓」: I read the policy and understood it.
#[utoipa::path(tag = "policies", params(("id" = String, Path)), responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/policies/{id}/ack")]
pub async fn acknowledge_policy(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let p = policies::get(&state.db, id.into_inner()).await?;
    readable(&auth, &p)?;
    if !policies::is_public(&p) {
        return Err(ApiError::conflict("policy_not_published", "政策尚未发布"));
    }
    policies::acknowledge(&state.db, &p, auth.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReachResponse {
    /// People it was delivered to (pushed, in a digest, or found themselves).
    pub reached: u64,
    pub read: u64,
    /// Said 「我已知晓」.
    pub understood: u64,
}

/// How far a policy reached (admins).
#[utoipa::path(tag = "policies", params(("id" = String, Path)), responses((status = 200, body = ReachResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/policies/{id}/reach")]
pub async fn policy_reach(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let p = policies::get(&state.db, id.into_inner()).await?;
    let r = policies::reach(&state.db, p.id).await?;
    Ok(HttpResponse::Ok().json(ReachResponse {
        reached: r.reached,
        read: r.read,
        understood: r.understood,
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublishResponse {
    pub policy: PolicyResponse,
    /// Members of matched enterprises it was delivered to now.
    pub reached: usize,
    /// Group chats of matched enterprises it is pushed to (through their robots' webhooks).
    pub groups: usize,
}

/// Publish a draft (admins): it goes at once to every member of every matched enterprise
/// (an in-app notice always, a subscribe message where they subscribed).
#[utoipa::path(tag = "policies", params(("id" = String, Path)), responses((status = 200, body = PublishResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/policies/{id}/publish")]
pub async fn publish_policy(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let template = state.settings.wechat.policy_template.as_ref();
    let published = policies::publish(&state.db, &state.policies, template, id.into_inner(), today()).await?;
    Ok(HttpResponse::Ok().json(PublishResponse {
        policy: response(&state, published.policy).await?,
        reached: published.reached,
        groups: published.groups,
    }))
}

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
    policies::sync_index(&state.db, &state.policies).await?;
    let hits = state
        .policies
        .search(&text, &filter, limit)
        .map_err(ApiError::internal)?;
    let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    let rows: std::collections::HashMap<i64, entity::policy::Model> = policies::by_ids(&state.db, &ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let out: Vec<SearchHit> = hits
        .into_iter()
        .filter_map(|h| {
            // The index may briefly lag the database; the database decides.
            let p = rows.get(&h.id)?;
            readable(&auth, p).ok()?;
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
    Ok(HttpResponse::Ok().json(out))
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
    /// The first 200 by id; `count` is the whole.
    pub items: Vec<MatchedEnterprise>,
}

/// The enterprises a policy reaches (admins: all; butlers: those they serve).
#[utoipa::path(tag = "policies", params(("id" = String, Path)), responses((status = 200, body = PolicyMatches), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/policies/{id}/matches")]
pub async fn policy_matches(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let p = policies::get(&state.db, id.into_inner()).await?;
    let served_by = (!auth.is_admin()).then_some(auth.id);
    let (count, found) = policies::matched_enterprises(&state.db, &p, served_by, today(), 200).await?;
    let items = found
        .into_iter()
        .map(|(e, v)| MatchedEnterprise {
            id: Id(e.id),
            name: e.name,
            industry_code: e.industry_code,
            reasons: v.reasons,
        })
        .collect();
    Ok(HttpResponse::Ok().json(PolicyMatches { count, items }))
}

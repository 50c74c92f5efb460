//! Policies (政策精准滴灌): admins write and publish them; everyone signed in reads and searches
//! the published ones; an enterprise's members see which fit their enterprise and why; staff
//! see which enterprises a policy reaches. Writing and reading one here; finding them (search,
//! the matched feed, who a policy reaches) in `finding`.
mod finding;

pub use finding::*;

use actix_web::{HttpResponse, get, post, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::domain::enterprise::clean_labels;
use crate::domain::policy::Conditions;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::files::FileResponse;
use crate::routes::{no_errors, optional_text, required_text};
use crate::service::enterprises::labels;
use crate::service::files::FileRefs;
use crate::service::policies::{self, PolicyInput};
use crate::state::AppState;
use crate::types::{FileId, Id, today};
use entity::codes::PolicyStatus;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // The fixed paths come before `/policies/{id}`.
    cfg.service(search_policies)
        .service(matched_policies)
        .service(list_policies)
        .service(reach_preview)
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
fn readable(auth: &AuthUser, status: PolicyStatus) -> ApiResult<()> {
    if policies::is_public_status(status) || auth.is_admin() {
        Ok(())
    } else {
        Err(ApiError::not_found("policy_not_found", "政策不存在"))
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PolicyReadQuery {
    /// The reader's visit from a customer group (`POST /me/group-entries`): the read counts for
    /// the group. 422 `not_found` for another person's visit.
    pub group_visit: Option<Id>,
}

/// One policy.
#[utoipa::path(tag = "policies", params(("id" = String, Path), PolicyReadQuery), responses((status = 200, body = PolicyResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/policies/{id}")]
pub async fn get_policy(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    q: crate::extract::Query<PolicyReadQuery>,
) -> ApiResult<HttpResponse> {
    let p = policies::get(&state.db, id.into_inner()).await?;
    readable(&auth, p.status)?;
    policies::mark_read(&state.db, p.id, auth.id).await?;
    if let Some(visit) = q.parse()?.group_visit {
        crate::service::group_visits::read(&state.db, auth.id, visit.0, p.id).await?;
    }
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
    readable(&auth, p.status)?;
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
    /// Customer groups of matched enterprises it waits for: their next daily digest, a
    /// mass-send their owner confirms in WeCom.
    pub customer_groups: usize,
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
        customer_groups: published.customer_groups,
    }))
}

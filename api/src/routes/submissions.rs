//! Scorecard rounds (出卷): invited enterprises answer once; admins publish the results back.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::domain::demand::Environment;
use crate::domain::event::{EventKind, EventStatus};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::service::{events, forms, submissions};
use crate::state::AppState;
use crate::types::Id;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(submit_scorecard)
        .service(get_results)
        .service(publish_results);
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubmissionRequest {
    /// Answers keyed by question id (see the form engine's rules per question type).
    #[schema(value_type = HashMap<String, crate::routes::forms::Answer>)]
    pub answers: crate::routes::forms::Answers,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionResponse {
    pub id: Id,
    /// Question ids whose answers were findings.
    pub findings: Vec<String>,
    /// The demands the findings became (channel `scorecard`).
    pub demand_ids: Vec<Id>,
}

async fn scorecard_round(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<entity::event::Model> {
    let e = events::visible(&state.db, auth, id).await?;
    if e.kind != EventKind::ScorecardRound {
        return Err(ApiError::not_found("not_a_scorecard_round", "该活动不是出卷活动"));
    }
    Ok(e)
}

/// Answer the round's form, once per enterprise (a second submission is 409).
#[utoipa::path(tag = "events", params(("id" = String, Path)), request_body = SubmissionRequest, responses(
    (status = 201, body = SubmissionResponse),
    (status = 404, body = ErrorBody),
    (status = 409, description = "`already_submitted`, `event_not_open`", body = ErrorBody),
    (status = 422, description = "field errors named `answers.<questionId>`", body = ErrorBody),
))]
#[post("/events/{id}/submissions")]
pub async fn submit_scorecard(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<SubmissionRequest>,
) -> ApiResult<HttpResponse> {
    let e = scorecard_round(&state, &auth, id.into_inner()).await?;
    if events::status(&e) != EventStatus::Open {
        return Err(ApiError::conflict("event_not_open", "出卷未开始或已结束"));
    }
    let answers = body.parse()?.answers;
    let (s, demand_ids) = submissions::submit_scorecard(&state.db, &state.settings, &auth, &e, &answers).await?;
    let findings = s
        .findings
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    Ok(HttpResponse::Created().json(SubmissionResponse {
        id: Id(s.id),
        findings,
        demand_ids: demand_ids.into_iter().map(Id).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentResult {
    pub environment: Environment,
    /// Weighted mean, 0–100.
    pub score: f64,
    pub submissions: usize,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnitResult {
    pub unit_code: String,
    pub unit_name: String,
    pub score: f64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    pub label: String,
    pub count: usize,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuestionResultResponse {
    pub id: String,
    pub title: String,
    pub answered: usize,
    pub distribution: Vec<Bucket>,
    pub mean: Option<f64>,
}

/// A finding and how the administration answered it (the "feed back" step).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FindingResult {
    pub question: String,
    pub demand_number: String,
    pub status: crate::domain::demand::Status,
    pub status_label: &'static str,
    pub unit_name: Option<String>,
    /// The unit's reply, once given.
    pub reply: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResultsResponse {
    pub findings: Vec<FindingResult>,
    pub submissions: usize,
    pub invited: usize,
    /// Submissions ÷ invited enterprises.
    pub response_rate: Option<f64>,
    pub environments: Vec<EnvironmentResult>,
    pub units: Vec<UnitResult>,
    pub questions: Vec<QuestionResultResponse>,
    pub published: bool,
}

/// The round's results: admins any time, participants once published.
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = ResultsResponse), (status = 404, body = ErrorBody), (status = 409, description = "`results_not_published`", body = ErrorBody)))]
#[get("/events/{id}/results")]
pub async fn get_results(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let e = scorecard_round(&state, &auth, id.into_inner()).await?;
    if e.results_published_at.is_none() && !auth.is_admin() {
        return Err(ApiError::conflict("results_not_published", "结果尚未公布"));
    }
    let (_, template) = forms::of_event(&state.db, &e).await?;
    let r = submissions::results(&state.db, &e, &template).await?;
    let findings = submissions::finding_outcomes(&state.db, &e, &template)
        .await?
        .into_iter()
        .map(|f| {
            let status = f.demand.status;
            FindingResult {
                question: f.question,
                demand_number: f.demand.number,
                status: f.demand.status,
                status_label: status.label(),
                unit_name: f.unit_name,
                reply: f.demand.reply_content,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(ResultsResponse {
        findings,
        response_rate: crate::service::stats::rate(
            i64::try_from(r.submissions).unwrap_or(0),
            i64::try_from(r.invited).unwrap_or(0),
        ),
        submissions: r.submissions,
        invited: r.invited,
        environments: r
            .environments
            .into_iter()
            .map(|(environment, score, submissions)| EnvironmentResult {
                environment,
                score,
                submissions,
            })
            .collect(),
        units: r
            .units
            .into_iter()
            .map(|(unit_code, unit_name, score)| UnitResult {
                unit_code,
                unit_name,
                score,
            })
            .collect(),
        questions: r
            .questions
            .into_iter()
            .map(|q| QuestionResultResponse {
                id: q.id,
                title: q.title,
                answered: q.answered,
                distribution: q
                    .distribution
                    .into_iter()
                    .map(|(label, count)| Bucket { label, count })
                    .collect(),
                mean: q.mean,
            })
            .collect(),
        published: e.results_published_at.is_some(),
    }))
}

/// Publish the results to the participants (admins; the "publicize" step).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[post("/events/{id}/publish-results")]
pub async fn publish_results(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let e = scorecard_round(&state, &auth, id.into_inner()).await?;
    submissions::publish_results(&state.db, &e).await?;
    Ok(HttpResponse::NoContent().finish())
}

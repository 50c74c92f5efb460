//! The new-enterprise call-back queue: butlers call their new enterprises and record each call;
//! a stated need becomes a demand (channel `callback`). Admins see every task and the figures.
use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Access, AuthUser};
use crate::domain::callback::{self as form, CallRecord, Outcome};
use crate::domain::demand::{Channel, ContentCheck, Environment, Kind, Origin};
use crate::domain::form::FormTemplate;
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::service::callbacks;
use crate::service::demands::{self, Actor, Context, NewDemand};
use crate::state::AppState;
use crate::types::{Id, local_time, today};
use entity::codes::CallbackStatus;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_callbacks).service(callback_form).service(record_call);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallbackResponse {
    pub id: Id,
    pub enterprise_id: Id,
    pub enterprise_name: Option<String>,
    pub butler_id: Option<Id>,
    pub due_on: NaiveDate,
    pub status: CallbackStatus,
    pub attempts: i32,
    /// The answers of the reached call, by question id.
    #[schema(value_type = Option<Object>)]
    pub answers: Option<HashMap<String, Value>>,
    /// The demand the stated need became.
    pub demand_id: Option<Id>,
    pub completed_at: Option<DateTime<FixedOffset>>,
}

fn response(t: entity::callback_task::Model, enterprise: Option<entity::enterprise::Model>) -> CallbackResponse {
    CallbackResponse {
        id: Id(t.id),
        enterprise_id: Id(t.enterprise_id),
        enterprise_name: enterprise.map(|e| e.name),
        butler_id: t.butler_id.map(Id),
        due_on: t.due_on,
        status: t.status,
        attempts: t.attempts,
        answers: t
            .answers
            .and_then(|a| serde_json::from_value::<CallRecord>(a).ok())
            .map(|c| c.answers),
        demand_id: t.demand_id.map(Id),
        completed_at: t.completed_at.map(local_time),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// `open` (the default), `reached`, `refused`, `unreachable`, or `all`.
    pub status: Option<String>,
}

/// The call-back queue: a butler's own tasks, or all for admins; by due date.
#[utoipa::path(tag = "callbacks", params(CallbackQuery), responses((status = 200, body = [CallbackResponse]), (status = 403, body = ErrorBody)))]
#[get("/callbacks")]
pub async fn list_callbacks(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<CallbackQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(&[Access::Admin, Access::AnyWithRole(Role::Butler)])?;
    let butler = (!auth.is_admin()).then_some(auth.id);
    let query = query.parse()?;
    let status = match query.status.as_deref() {
        None => Some(CallbackStatus::Open),
        Some("all") => None,
        Some(s) if CallbackStatus::parse(s).is_some() => CallbackStatus::parse(s),
        Some(_) => {
            return Err(ApiError::invalid_field(
                "status",
                "invalid",
                "状态须为 open、reached、refused、unreachable 或 all",
            ));
        }
    };
    let tasks = callbacks::list(&state.db, butler, status).await?;
    let out: Vec<CallbackResponse> = tasks.into_iter().map(|(t, e)| response(t, e)).collect();
    Ok(HttpResponse::Ok().json(out))
}

/// A task the caller may work on: the task's butler, or an admin.
async fn own_task(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<entity::callback_task::Model> {
    let task = callbacks::get(&state.db, id).await?;
    if !(auth.is_admin() || (auth.has_role(Role::Butler) && task.butler_id == Some(auth.id))) {
        return Err(ApiError::forbidden());
    }
    Ok(task)
}

/// The enterprise's call-back form: the start-up basics, its matched policies (today) to ask
/// which it knows, and its needs.
async fn form_for(state: &AppState, enterprise: &entity::enterprise::Model) -> ApiResult<FormTemplate> {
    let matched = crate::service::policies::matches_for(&state.db, &state.policy_rules, enterprise, today()).await?;
    let options: Vec<(i64, String)> = matched.into_iter().map(|(p, _)| (p.id, p.title)).collect();
    Ok(form::form(&options))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallbackForm {
    pub task: CallbackResponse,
    pub template: FormTemplate,
}

/// A task with the form to fill in when the enterprise is reached (question ids
/// `bank_account`, `tax_setup`, `invoices`, `known_policies`, `needs`).
#[utoipa::path(tag = "callbacks", params(("id" = String, Path)), responses(
    (status = 200, body = CallbackForm),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[get("/callbacks/{id}/form")]
pub async fn callback_form(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let task = own_task(&state, &auth, id.into_inner()).await?;
    let enterprise = crate::service::enterprises::get(&state.db, task.enterprise_id).await?;
    let template = form_for(&state, &enterprise).await?;
    Ok(HttpResponse::Ok().json(CallbackForm {
        task: response(task, Some(enterprise)),
        template,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallRequest {
    pub outcome: Outcome,
    /// The answers to the call-back form by question id (when reached).
    #[schema(value_type = Option<Object>)]
    pub answers: Option<HashMap<String, Value>>,
}

/// Record a call (the task's butler or an admin). Reached: the answers are checked against the
/// form and kept, and a stated need becomes a demand for the enterprise (channel `callback`);
/// not reached: tried again later, until the third try ends it as unreachable; refused: ended.
#[utoipa::path(tag = "callbacks", params(("id" = String, Path)), request_body = CallRequest, responses(
    (status = 200, body = CallbackResponse),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, description = "`callback_closed`: the task is no longer open", body = ErrorBody),
    (status = 422, body = ErrorBody),
))]
#[post("/callbacks/{id}/calls")]
pub async fn record_call(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<CallRequest>,
) -> ApiResult<HttpResponse> {
    let task = own_task(&state, &auth, id.into_inner()).await?;
    if task.status != CallbackStatus::Open {
        return Err(ApiError::conflict("callback_closed", "该回访任务已结束"));
    }
    let b = body.parse()?;
    let enterprise = crate::service::enterprises::get(&state.db, task.enterprise_id).await?;
    let call = match (b.outcome, b.answers) {
        (Outcome::Reached, answers) => {
            let template = form_for(&state, &enterprise).await?;
            Some(form::record(&template, &answers.unwrap_or_default()).map_err(ApiError::invalid)?)
        }
        (_, Some(_)) => {
            return Err(ApiError::invalid_field(
                "answers",
                "not_reached",
                "未接通或拒访时不应填写回访内容",
            ));
        }
        (_, None) => None,
    };
    // The demand and the call are stored together: a call recorded twice (a retry, a second
    // phone) fails whole, and no demand is left without its call.
    let txn = crate::service::begin_write(&state.db).await?;
    let demand_id = match call.as_ref().and_then(CallRecord::need) {
        Some(text) => {
            let ctx = Context::load(&state.db, &state.settings).await?;
            let d = demands::create(
                &txn,
                &ctx,
                Actor {
                    id: Some(auth.id),
                    role: Some(if auth.is_admin() { Role::Admin } else { Role::Butler }),
                    unit_id: None,
                },
                NewDemand {
                    kind: Kind::Demand,
                    environment: Environment::Service,
                    channel: Channel::Callback,
                    title: bot::dialogue::clip(text, 30),
                    content: text.to_owned(),
                    anonymous: false,
                    enterprise_id: Some(enterprise.id),
                    butler_id: enterprise.butler_user_id.or(task.butler_id),
                    submitter_id: None,
                    caller_phone: None,
                    origin: Some((Origin::Callback, task.id.to_string())),
                    files: Default::default(),
                    content_check: ContentCheck::Unchecked,
                    request_key: None,
                },
            )
            .await?;
            Some(d.id)
        }
        None => None,
    };
    let updated = callbacks::record(
        &txn,
        task,
        b.outcome,
        call.as_ref(),
        demand_id,
        state.settings.callbacks.max_attempts,
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Ok().json(response(updated, Some(enterprise))))
}

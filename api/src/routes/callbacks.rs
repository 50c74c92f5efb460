//! The new-enterprise call-back queue: butlers call their new enterprises and record each call;
//! a stated need becomes a demand (channel `callback`). Admins see every task and the figures.
use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::BUTLERS;
use crate::domain::callback::{CallRecord, Outcome};
use crate::domain::form::FormTemplate;
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::service::callbacks::{self, Call};
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, encode_position, local_time};
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
    #[schema(value_type = Option<HashMap<String, crate::routes::forms::PlainAnswer>>)]
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
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

/// The call-back queue, a page at a time: a butler's own tasks, or all for admins; by due date,
/// the most overdue first.
#[utoipa::path(tag = "callbacks", params(CallbackQuery), responses((status = 200, body = Page<CallbackResponse>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/callbacks")]
pub async fn list_callbacks(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<CallbackQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(BUTLERS)?;
    let butler = (!auth.is_admin()).then_some(auth.id);
    let query = query.parse()?;
    let status = match query.status.as_deref() {
        None => Some(CallbackStatus::Open),
        Some("all") => None,
        Some(s) if CallbackStatus::parse(s).is_some() => CallbackStatus::parse(s),
        Some(_) => {
            return Err(ApiError::invalid_field(
                "status",
                "invalid_choice",
                "状态须为 open、reached、refused、unreachable 或 all",
            ));
        }
    };
    let page = PageQuery {
        cursor: query.cursor,
        limit: query.limit,
    };
    let limit = page.limit()?;
    let offset = page
        .after::<1>("callbacks")?
        .map_or(0, |[n]| u64::try_from(n).unwrap_or(0));
    let mut tasks = callbacks::list(&state.db, butler, status, offset, limit).await?;
    let more = tasks.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    tasks.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = i64::try_from(offset + limit).unwrap_or(i64::MAX);
    Ok(HttpResponse::Ok().json(Page {
        items: tasks.into_iter().map(|(t, e)| response(t, e)).collect(),
        next_cursor: more.then(|| encode_position("callbacks", &[next])),
    }))
}

/// A task the caller may work on: the task's butler, or an admin.
async fn own_task(state: &AppState, auth: &AuthUser, id: i64) -> ApiResult<entity::callback_task::Model> {
    let task = callbacks::get(&state.db, id).await?;
    if !(auth.is_admin() || (auth.has_role(Role::Butler) && task.butler_id == Some(auth.id))) {
        return Err(ApiError::forbidden());
    }
    Ok(task)
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
    let template = callbacks::form_for(&state.db, &state.policy_rules, &enterprise).await?;
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
    #[schema(value_type = Option<HashMap<String, crate::routes::forms::PlainAnswer>>)]
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
    let b = body.parse()?;
    let call = Call {
        outcome: b.outcome,
        answers: b.answers,
    };
    let (updated, enterprise) =
        callbacks::record_call(&state.db, &state.settings, &state.policy_rules, &auth, task, call).await?;
    Ok(HttpResponse::Ok().json(response(updated, Some(enterprise))))
}

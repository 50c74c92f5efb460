//! In-app notices, and the subscribe-message credits the mini-program reports.
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::domain::access::DESK_STAFF;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::service::notify;
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, local_time};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_notifications)
        .service(unread_count)
        .service(read_notification)
        .service(read_all_notifications)
        .service(report_subscriptions);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationResponse {
    pub id: Id,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub demand_id: Option<Id>,
    /// Mini-program page to open.
    pub page: Option<String>,
    pub read: bool,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    pub cursor: Option<String>,
    pub limit: Option<u64>,
    /// Only unread ones.
    pub unread: Option<bool>,
}

/// My notices, newest first.
#[utoipa::path(tag = "notifications", params(NotificationQuery), responses((status = 200, body = Page<NotificationResponse>)))]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<NotificationQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.parse()?;
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = page.limit()?;
    let rows = notify::list(&state.db, auth.id, q.unread.unwrap_or(false), page.after_id()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |n| n.id,
        |n| NotificationResponse {
            id: Id(n.id),
            kind: n.kind,
            title: n.title,
            body: n.body,
            demand_id: n.demand_id.map(Id),
            page: n.page,
            read: n.read_at.is_some(),
            created_at: local_time(n.created_at),
        },
    )))
}

/// Mark one notice read.
#[utoipa::path(tag = "notifications", params(("id" = String, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
#[post("/notifications/{id}/read")]
pub async fn read_notification(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    notify::mark_read(&state.db, auth.id, Some(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnreadCount {
    pub count: u64,
}

/// How many of my notices are unread (the badge on the 消息 tab).
#[utoipa::path(tag = "notifications", responses((status = 200, body = UnreadCount)))]
#[get("/notifications/unread-count")]
pub async fn unread_count(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let count = notify::unread(&state.db, auth.id).await?;
    Ok(HttpResponse::Ok().json(UnreadCount { count }))
}

/// Mark all my notices read.
#[utoipa::path(tag = "notifications", responses((status = 204)))]
#[post("/notifications/read-all")]
pub async fn read_all_notifications(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    notify::mark_read(&state.db, auth.id, None).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubscriptionReport {
    /// Template ids the person answered `accept` in `wx.requestSubscribeMessage`.
    pub accepted: Vec<String>,
}

/// A subscribe-message template that serves the caller: its purpose, its id, and the messages
/// it may still send them.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeTemplate {
    /// `demand_accepted`, `demand_replied`, `rate_reminder` (people who file), `policy_new`
    /// (enterprise members), `work_new`, `work_overdue` (butlers, handlers, admins).
    pub kind: String,
    pub template_id: String,
    pub credits: u64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionState {
    /// Messages of the demand-progress template that may still be sent to me.
    pub demand_credits: u64,
    /// The template to ask for in `wx.requestSubscribeMessage`, when configured.
    pub demand_template_id: Option<String>,
    /// Messages of the new-policy template that may still be sent to me.
    pub policy_credits: u64,
    /// The new-policy template, when configured.
    pub policy_template_id: Option<String>,
    /// Every configured template that serves me, by purpose (ask for at most three at once).
    pub templates: Vec<SubscribeTemplate>,
}

/// Report accepted subscribe-message templates: each accept allows one message. At most three
/// in one report (WeChat asks at most three in one prompt), each one that serves the caller.
#[utoipa::path(tag = "notifications", request_body = SubscriptionReport, responses((status = 200, body = SubscriptionState), (status = 422, description = "`unknown_template`", body = ErrorBody)))]
#[post("/me/subscriptions")]
pub async fn report_subscriptions(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<SubscriptionReport>,
) -> ApiResult<HttpResponse> {
    let accepted = body.parse()?.accepted;
    let wechat = &state.settings.wechat;
    let staff = auth.can(DESK_STAFF, &Default::default());
    let member = auth.enterprise_ids().next().is_some();
    let mine: Vec<_> = notify::purposes(wechat)
        .into_iter()
        .filter(|(_, audience, _)| match audience {
            notify::Audience::Filers => true,
            notify::Audience::Members => member,
            notify::Audience::Staff => staff,
        })
        .filter_map(|(kind, _, t)| t.map(|t| (kind, t)))
        .collect();
    let demand = wechat.demand_template.as_ref().map(|t| t.template_id.clone());
    let policy = wechat.policy_template.as_ref().map(|t| t.template_id.clone());
    let known = |id: &String| {
        Some(id) == demand.as_ref() || Some(id) == policy.as_ref() || mine.iter().any(|(_, t)| &t.template_id == id)
    };
    if accepted.len() > 3 || !accepted.iter().all(known) {
        return Err(ApiError::invalid_field(
            "accepted",
            "unknown_template",
            "包含未知的订阅消息模板",
        ));
    }
    notify::add_credits(&state.db, auth.id, &accepted).await?;
    let credits = |id: Option<String>| {
        let db = state.db.clone();
        let user = auth.id;
        async move {
            match id {
                Some(t) => notify::unspent_credits(&db, user, &t).await,
                None => Ok(0),
            }
        }
    };
    let mut templates = Vec::with_capacity(mine.len());
    for (kind, t) in &mine {
        templates.push(SubscribeTemplate {
            kind: (*kind).to_owned(),
            template_id: t.template_id.clone(),
            credits: credits(Some(t.template_id.clone())).await?,
        });
    }
    Ok(HttpResponse::Ok().json(SubscriptionState {
        demand_credits: credits(demand.clone()).await?,
        demand_template_id: demand,
        policy_credits: credits(policy.clone()).await?,
        policy_template_id: policy,
        templates,
    }))
}

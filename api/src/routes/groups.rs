//! Enterprise group chats the bot pushes to (admins). Webhook keys are secrets: taken in,
//! never returned whole, never logged.
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::domain::enterprise::clean_labels;
use crate::error::{ApiResult, ErrorBody, FieldError};
use crate::extract::Json;
use crate::routes::{no_errors, optional_text, required_text};
use crate::service::enterprises::labels;
use crate::service::groups::{self, Group, GroupPatch, key_hint};
use crate::service::outbox;
use crate::state::AppState;
use crate::types::{Id, Page, PageQuery, local_time};
use entity::codes::{GroupStatus, OutboxStatus};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_groups)
        .service(create_group)
        .service(update_group)
        .service(group_pushes);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupResponse {
    pub id: Id,
    pub name: String,
    /// The end of the webhook key, e.g. `…5aaa`; the key itself is never returned.
    pub webhook_key_hint: String,
    pub chat_id: Option<String>,
    pub tags: Vec<String>,
    pub enterprise_ids: Vec<Id>,
    /// `bad_key` when WeCom refused the key (set a new one).
    pub status: GroupStatus,
    pub updated_at: DateTime<FixedOffset>,
    /// Its pushes by state (in the list of groups).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pushes: Option<PushCounts>,
}

#[derive(Serialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct PushCounts {
    /// Still to be sent (or being sent).
    pub waiting: i64,
    pub sent: i64,
    pub failed: i64,
    /// A worker died while sending: it may or may not have arrived (check the group).
    pub uncertain: i64,
}

fn push_counts(rows: &[(OutboxStatus, i64)]) -> PushCounts {
    let mut c = PushCounts::default();
    for (status, n) in rows {
        match status {
            OutboxStatus::Pending | OutboxStatus::Sending => c.waiting += n,
            OutboxStatus::Sent => c.sent += n,
            OutboxStatus::Failed | OutboxStatus::Skipped => c.failed += n,
            OutboxStatus::Uncertain => c.uncertain += n,
        }
    }
    c
}

impl From<Group> for GroupResponse {
    fn from((g, enterprises): Group) -> Self {
        Self {
            id: Id(g.id),
            webhook_key_hint: key_hint(&g.webhook_key),
            tags: labels(&g.tags),
            name: g.name,
            chat_id: g.chat_id,
            enterprise_ids: enterprises.into_iter().map(Id).collect(),
            status: g.status,
            updated_at: local_time(g.updated_at),
            pushes: None,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupRequest {
    pub name: Option<String>,
    /// The `key` of the robot's webhook URL (or the whole URL).
    pub webhook_key: Option<String>,
    /// The intelligent robot's chat id, when known; `""` clears it.
    pub chat_id: Option<String>,
    /// e.g. the park and the industry.
    pub tags: Option<Vec<String>>,
    pub enterprise_ids: Option<Vec<Id>>,
}

/// The key from a key or a whole webhook URL.
fn webhook_key(raw: &str, errors: &mut Vec<FieldError>) -> String {
    let raw = raw.trim();
    let key = raw
        .split_once("key=")
        .map(|(_, k)| k.split('&').next().unwrap_or(""))
        .unwrap_or(raw);
    if key.is_empty() || key.len() > 100 || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errors.push(FieldError::new(
            "webhookKey",
            "invalid",
            "请填写群机器人 Webhook 地址中的 key",
        ));
    }
    key.to_owned()
}

fn patch_of(b: GroupRequest, errors: &mut Vec<FieldError>) -> GroupPatch {
    let tags = b.tags.map(|t| clean_labels(&t));
    if tags.as_ref().is_some_and(|t| t.len() > 20) {
        errors.push(FieldError::new("tags", "too_many", "最多 20 个标签"));
    }
    GroupPatch {
        name: b.name.map(|n| required_text(&n, "name", 50, errors)),
        webhook_key: b.webhook_key.map(|k| webhook_key(&k, errors)),
        chat_id: b.chat_id.map(|c| optional_text(Some(&c), "chatId", 100, errors)),
        tags,
        enterprise_ids: b.enterprise_ids.map(|ids| ids.into_iter().map(|i| i.0).collect()),
    }
}

/// Register a group chat (admins): its name, robot webhook key, chat id, tags and enterprises.
#[utoipa::path(tag = "bot", request_body = GroupRequest, responses((status = 201, body = GroupResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/bot/groups")]
pub async fn create_group(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<GroupRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    if b.name.is_none() {
        errors.push(FieldError::new("name", "required", "此项为必填项"));
    }
    if b.webhook_key.is_none() {
        errors.push(FieldError::new("webhookKey", "required", "此项为必填项"));
    }
    let p = patch_of(b, &mut errors);
    no_errors(errors)?;
    let g = groups::create(
        &state.db,
        p.name.unwrap_or_default(),
        p.webhook_key.unwrap_or_default(),
        p.chat_id.flatten(),
        p.tags.unwrap_or_default(),
        &p.enterprise_ids.unwrap_or_default(),
    )
    .await?;
    Ok(HttpResponse::Created().json(GroupResponse::from(g)))
}

/// The group chats (admins).
#[utoipa::path(tag = "bot", responses((status = 200, body = [GroupResponse]), (status = 403, body = ErrorBody)))]
#[get("/bot/groups")]
pub async fn list_groups(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let counts = outbox::group_counts(&state.db).await?;
    let all: Vec<GroupResponse> = groups::list(&state.db)
        .await?
        .into_iter()
        .map(|g| {
            let n = counts.get(&g.0.id).map(|c| push_counts(c)).unwrap_or_default();
            GroupResponse {
                pushes: Some(n),
                ..GroupResponse::from(g)
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(all))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupPush {
    pub id: Id,
    /// What it pushed: `policy`, `digest`, `report`, `event`, ...
    pub kind: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// The start of the message.
    pub preview: String,
    pub created_at: DateTime<FixedOffset>,
    pub sent_at: Option<DateTime<FixedOffset>>,
}

/// A group's pushes, newest first (admins).
#[utoipa::path(tag = "bot", params(("id" = String, Path), PageQuery), responses(
    (status = 200, body = Page<GroupPush>),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
#[get("/bot/groups/{id}/pushes")]
pub async fn group_pushes(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    query: crate::extract::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let g = groups::get(&state.db, id.into_inner()).await?;
    let page = query.parse()?;
    let limit = page.limit()?;
    let rows = outbox::of_group(&state.db, g.0.id, page.after_id()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |m| m.id,
        |m| GroupPush {
            id: Id(m.id),
            kind: m.kind,
            status: m.status,
            attempts: m.attempts,
            last_error: m.last_error,
            preview: m.payload["markdown"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .take(80)
                .collect(),
            created_at: local_time(m.created_at),
            sent_at: m.sent_at.map(local_time),
        },
    )))
}

/// Change a group (admins); a new webhook key clears the `bad_key` flag.
#[utoipa::path(tag = "bot", params(("id" = String, Path)), request_body = GroupRequest, responses((status = 200, body = GroupResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/bot/groups/{id}")]
pub async fn update_group(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<GroupRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let mut errors = Vec::new();
    let p = patch_of(body.parse()?, &mut errors);
    no_errors(errors)?;
    let g = groups::update(&state.db, id.into_inner(), p).await?;
    Ok(HttpResponse::Ok().json(GroupResponse::from(g)))
}

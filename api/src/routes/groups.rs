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
use crate::state::AppState;
use crate::types::{Id, local_time};
use entity::codes::GroupStatus;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_groups).service(create_group).service(update_group);
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
    let all: Vec<GroupResponse> = groups::list(&state.db)
        .await?
        .into_iter()
        .map(GroupResponse::from)
        .collect();
    Ok(HttpResponse::Ok().json(all))
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

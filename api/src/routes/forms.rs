//! Form templates (admins): versioned, never edited in place.
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::domain::access::ADMINS;
use crate::domain::form::FormTemplate;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Json;
use crate::routes::{no_errors, required_text};
use crate::service::forms;
use crate::state::AppState;
use crate::types::{FileId, Id, Page, PageQuery, local_time};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_form).service(list_forms).service(get_form);
}

/// One answer, by the question's type: yes/no, a rating or a number, a text or a chosen
/// option, the options chosen, or photos. The form engine checks it against its question.
/// (For the OpenAPI document: answers are taken as JSON and checked by the form engine.)
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum Answer {
    YesNo(bool),
    Number(f64),
    Text(String),
    Choices(Vec<String>),
    Photos(Vec<PhotoRef>),
}

/// One answer of a form without photo questions (the call-back form): yes/no, a number, a
/// text or a chosen option, the options chosen.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum PlainAnswer {
    YesNo(bool),
    Number(f64),
    Text(String),
    Choices(Vec<String>),
}

/// A photo answer: a file the respondent uploaded, and when it was taken.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct PhotoRef {
    pub file_id: FileId,
    pub captured_at: Option<DateTime<FixedOffset>>,
}

/// Answers by question id.
pub type Answers = std::collections::HashMap<String, serde_json::Value>;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FormResponse {
    pub id: Id,
    /// Shared by every version of the form.
    pub key: String,
    pub version: i32,
    pub title: String,
    pub body: FormTemplate,
    pub created_at: DateTime<FixedOffset>,
}

impl FormResponse {
    pub fn new(m: entity::form_template::Model) -> ApiResult<Self> {
        let body = forms::parse(&m)?;
        Ok(Self {
            id: Id(m.id),
            key: m.key,
            version: m.version,
            title: m.title,
            body,
            created_at: local_time(m.created_at),
        })
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateFormRequest {
    /// Give the key of an existing form to add a new version of it.
    pub key: Option<String>,
    pub title: String,
    pub body: FormTemplate,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FormSummary {
    pub id: Id,
    /// Shared by every version of the form.
    pub key: String,
    pub version: i32,
    pub title: String,
    /// How many questions it asks.
    pub questions: usize,
    /// No newer version of it exists.
    pub latest: bool,
    /// Events that use this version.
    pub used_by: u64,
    pub created_at: DateTime<FixedOffset>,
}

/// Forms, newest first (admins).
#[utoipa::path(tag = "events", params(PageQuery), responses((status = 200, body = Page<FormSummary>), (status = 403, body = ErrorBody)))]
#[get("/forms")]
pub async fn list_forms(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: crate::extract::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let page = query.parse()?;
    let limit = page.limit()?;
    let rows = forms::list(&state.db, page.after_id()?, limit).await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |f| f.form.id,
        |f| FormSummary {
            id: Id(f.form.id),
            key: f.form.key,
            version: f.form.version,
            title: f.form.title,
            questions: f.questions,
            latest: f.latest,
            used_by: f.used_by,
            created_at: local_time(f.form.created_at),
        },
    )))
}

/// Add a form, or a new version of one (admins).
#[utoipa::path(tag = "events", request_body = CreateFormRequest, responses((status = 201, body = FormResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/forms")]
pub async fn create_form(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: Json<CreateFormRequest>,
) -> ApiResult<HttpResponse> {
    auth.require_role(ADMINS)?;
    let b = body.parse()?;
    let mut errors = Vec::new();
    let title = required_text(&b.title, "title", 50, &mut errors);
    no_errors(errors)?;
    let saved = forms::save(&state.db, b.key.as_deref(), title, &b.body, auth.id).await?;
    Ok(HttpResponse::Created().json(FormResponse::new(saved)?))
}

/// One version of a form (any signed-in person: forms are what the audience fills in).
#[utoipa::path(tag = "events", params(("id" = String, Path)), responses((status = 200, body = FormResponse), (status = 404, body = ErrorBody)))]
#[get("/forms/{id}")]
pub async fn get_form(state: web::Data<AppState>, _auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(FormResponse::new(forms::get(&state.db, id.into_inner()).await?)?))
}

//! Uploads (images and PDF, checked by content and size) and reading them back.
use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset};
use futures_util::StreamExt;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::service::files;
use crate::state::AppState;
use crate::types::{Id, local_time};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(upload_file).service(get_file);
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileResponse {
    pub id: Id,
    /// The name it was uploaded under, when it had one.
    pub name: Option<String>,
    pub content_type: String,
    pub size: i64,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file: JPEG, PNG, GIF, WebP or PDF.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

impl From<entity::file::Model> for FileResponse {
    fn from(f: entity::file::Model) -> Self {
        Self {
            id: Id(f.id),
            name: f.original_name,
            content_type: f.content_type,
            size: f.size,
            created_at: local_time(f.created_at),
        }
    }
}

/// Upload a file (multipart field `file`).
#[utoipa::path(tag = "files", request_body(content = UploadForm, content_type = "multipart/form-data"), responses(
    (status = 201, body = FileResponse),
    (status = 413, body = ErrorBody),
    (status = 422, description = "`unsupported_type`: the content is not an image or PDF", body = ErrorBody),
))]
#[post("/files")]
pub async fn upload_file(state: web::Data<AppState>, auth: AuthUser, form: Multipart) -> ApiResult<HttpResponse> {
    let (name, bytes) = read_upload(form, state.settings.uploads.max_bytes).await?;
    let saved = files::save(&state.db, state.files.as_ref(), auth.id, name, &bytes).await?;
    Ok(HttpResponse::Created().json(FileResponse::from(saved)))
}

/// The multipart field `file` (its file name and bytes), at most `max` bytes (else 413).
pub async fn read_upload(mut form: Multipart, max: usize) -> ApiResult<(Option<String>, Vec<u8>)> {
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| ApiError::bad_request("invalid_multipart", "上传内容格式不正确"))?;
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_owned);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| ApiError::bad_request("invalid_multipart", "上传内容格式不正确"))?;
            if bytes.len() + chunk.len() > max {
                return Err(ApiError::PayloadTooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok((name, bytes));
    }
    Err(ApiError::invalid_field("file", "required", "请选择要上传的文件"))
}

/// Read a file: its uploader, and whoever may read the object it is attached to (a demand, a
/// complaint on a wall they see, a published policy, a report on their unit's target, ...).
#[utoipa::path(tag = "files", params(("id" = String, Path)), responses((status = 200, content_type = "application/octet-stream"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/files/{id}")]
pub async fn get_file(state: web::Data<AppState>, auth: AuthUser, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let f = files::get(&state.db, id.into_inner()).await?;
    if !files::readable(&state.db, &auth, &f).await? {
        return Err(ApiError::forbidden());
    }
    let bytes = state.files.get(&f.storage_key).await.map_err(ApiError::internal)?;
    let name = f.original_name.clone().unwrap_or_else(|| format!("file-{}", f.id));
    let mut res = crate::routes::download::file(true, &name, &f.content_type, bytes);
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(res)
}

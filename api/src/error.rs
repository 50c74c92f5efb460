//! The one error type of the API. Every failure leaves as
//! `{"error": code, "message": 中文, "fields": [...]}` with a stable snake_case code;
//! server faults say `internal_error` and nothing more (the log has the cause chain).
use std::borrow::Cow;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

pub use crate::domain::FieldError;

impl From<crate::domain::access::Forbidden> for ApiError {
    fn from(_: crate::domain::access::Forbidden) -> Self {
        ApiError::forbidden()
    }
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

type Msg = Cow<'static, str>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {code}")]
    BadRequest { code: &'static str, message: Msg },
    #[error("unauthorized: {code}")]
    Unauthorized { code: &'static str, message: Msg },
    #[error("forbidden: {code}")]
    Forbidden { code: &'static str, message: Msg },
    #[error("not found: {code}")]
    NotFound { code: &'static str, message: Msg },
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict: {code}")]
    Conflict { code: &'static str, message: Msg },
    /// What was asked for existed and has ended (an expired sign-in ticket).
    #[error("gone: {code}")]
    Gone { code: &'static str, message: Msg },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("validation failed: {fields:?}")]
    Validation {
        code: &'static str,
        message: Msg,
        fields: Vec<FieldError>,
    },
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("unavailable: {code}")]
    Unavailable {
        code: &'static str,
        message: Msg,
        retry_after_secs: Option<u64>,
    },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<Msg>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }
    pub fn unauthorized(code: &'static str, message: impl Into<Msg>) -> Self {
        Self::Unauthorized {
            code,
            message: message.into(),
        }
    }
    pub fn forbidden() -> Self {
        Self::Forbidden {
            code: "forbidden",
            message: "无权进行此操作".into(),
        }
    }
    pub fn not_found(code: &'static str, message: impl Into<Msg>) -> Self {
        Self::NotFound {
            code,
            message: message.into(),
        }
    }
    pub fn conflict(code: &'static str, message: impl Into<Msg>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }
    /// A 422 with one or more field errors.
    pub fn invalid(fields: Vec<FieldError>) -> Self {
        Self::Validation {
            code: "validation_failed",
            message: "提交的内容有误，请检查标出的字段".into(),
            fields,
        }
    }
    pub fn invalid_field(field: &str, code: &str, message: &str) -> Self {
        Self::invalid(vec![FieldError::new(field, code, message)])
    }
    /// A 404 of an object a request names becomes a 422 on its field; any other error (the
    /// database away, say) stays what it is, so a client retries rather than corrects.
    pub fn missing_as_field(self, field: &str, code: &str, message: &str) -> Self {
        match self {
            Self::NotFound { .. } => Self::invalid_field(field, code, message),
            other => other,
        }
    }
    /// 503: the database cannot be reached (the breaker keys on its code).
    pub fn database_unavailable() -> Self {
        Self::Unavailable {
            code: DATABASE_UNAVAILABLE,
            message: "数据服务暂时不可用，请稍后再试".into(),
            retry_after_secs: Some(5),
        }
    }
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self::Internal(err.into())
    }

    /// A fault of ours or of what we depend on (5xx), not the caller's.
    pub fn is_fault(&self) -> bool {
        matches!(self, Self::Internal(_) | Self::Unavailable { .. })
    }

    /// The stable code the client sees.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Unauthorized { code, .. }
            | Self::Forbidden { code, .. }
            | Self::NotFound { code, .. }
            | Self::Conflict { code, .. }
            | Self::Gone { code, .. }
            | Self::Validation { code, .. }
            | Self::Unavailable { code, .. } => code,
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::TooManyRequests { .. } => "rate_limited",
            Self::Internal(_) => "internal_error",
        }
    }

    fn message(&self) -> Cow<'_, str> {
        match self {
            Self::BadRequest { message, .. }
            | Self::Unauthorized { message, .. }
            | Self::Forbidden { message, .. }
            | Self::NotFound { message, .. }
            | Self::Conflict { message, .. }
            | Self::Gone { message, .. }
            | Self::Validation { message, .. }
            | Self::Unavailable { message, .. } => Cow::Borrowed(message.as_ref()),
            Self::MethodNotAllowed => "该接口不支持此请求方法".into(),
            Self::PayloadTooLarge => "请求内容过大".into(),
            Self::UnsupportedMediaType => "请求内容类型不受支持，请使用 application/json".into(),
            Self::TooManyRequests { .. } => "操作过于频繁，请稍后再试".into(),
            Self::Internal(_) => "服务器内部错误，请稍后再试".into(),
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: self.code().to_owned(),
            message: self.message().into_owned(),
            fields: match self {
                Self::Validation { fields, .. } => fields.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Gone { .. } => StatusCode::GONE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            // The whole cause chain goes to the log, never to the client.
            let chain = match self {
                Self::Internal(err) => format!("{err:#}"),
                other => other.to_string(),
            };
            tracing::error!(error.code = self.code(), error.chain = %chain, "request failed");
        }
        let mut response = HttpResponse::build(status);
        let retry_after = match self {
            Self::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            Self::Unavailable { retry_after_secs, .. } => *retry_after_secs,
            _ => None,
        };
        if let Some(secs) = retry_after {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(secs)));
        }
        response.json(self.body())
    }
}

/// Whether a statement failed because the connection did (the server went away, restarts or
/// shuts down) or the database could not take it now, rather than because of the statement:
/// the request may succeed on a retry.
fn connection_lost(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err else {
        return false;
    };
    match e.as_ref() {
        Sqlx::Io(_)
        | Sqlx::Tls(_)
        | Sqlx::Protocol(_)
        | Sqlx::PoolTimedOut
        | Sqlx::PoolClosed
        | Sqlx::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception) and 57P01–57P03 (admin shutdown, crash
        // shutdown, cannot connect now); SQLite still busy after its busy timeout (SQLITE_BUSY
        // and its extended codes, SQLITE_LOCKED).
        Sqlx::Database(db) => db.code().is_some_and(|c| {
            c.starts_with("08")
                || matches!(
                    c.as_ref(),
                    "57P01" | "57P02" | "57P03" | "5" | "261" | "517" | "773" | "6"
                )
        }),
        _ => false,
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        match &err {
            // The database is down or the pool is exhausted: fail fast and say so.
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => Self::database_unavailable(),
            e if connection_lost(e) => Self::database_unavailable(),
            _ => match err.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => Self::conflict("already_exists", "记录已存在"),
                _ => Self::Internal(err.into()),
            },
        }
    }
}

/// The shared cache (Redis) cannot be reached: what needs it (replay checks, one-time codes)
/// waits for it; the rest of the API keeps answering.
impl From<crate::cache::CacheError> for ApiError {
    fn from(err: crate::cache::CacheError) -> Self {
        tracing::warn!(error = %err, "shared cache unavailable");
        Self::Unavailable {
            code: "cache_unavailable",
            message: "缓存服务暂时不可用，请稍后再试".into(),
            retry_after_secs: Some(5),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

pub const DATABASE_UNAVAILABLE: &str = "database_unavailable";

impl From<crate::domain::moves::Refusal> for ApiError {
    fn from(r: crate::domain::moves::Refusal) -> Self {
        match r {
            crate::domain::moves::Refusal::Field(f) => ApiError::invalid(vec![f]),
            crate::domain::moves::Refusal::Conflict { code, message } => ApiError::conflict(code, message),
        }
    }
}

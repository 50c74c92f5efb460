//! Request bodies and query strings, read by the extractors and judged by the handler: a handler
//! checks who may call it first and then calls `parse`, so someone who may not call a route
//! learns nothing of its fields. Malformed JSON is 400 `malformed_json`; a body or a query of
//! the wrong shape is 422 naming the field.
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

/// A JSON body, read but not yet judged.
pub struct Json<T> {
    parsed: Result<T, ApiError>,
    empty: bool,
}

impl<T> Json<T> {
    /// The body, or why it is refused: to be called once the caller is known to be allowed.
    pub fn parse(self) -> Result<T, ApiError> {
        self.parsed
    }

    /// For a route whose body may be left out: `None` when it was.
    pub fn parse_optional(self) -> Result<Option<T>, ApiError> {
        if self.empty { Ok(None) } else { self.parsed.map(Some) }
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await;
            let empty = bytes.as_ref().is_ok_and(|b| b.iter().all(u8::is_ascii_whitespace));
            let parsed = match bytes {
                Err(err) if err.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE => {
                    Err(ApiError::PayloadTooLarge)
                }
                Err(_) => Err(ApiError::bad_request("invalid_body", "请求内容无法读取")),
                Ok(_) if !is_json => Err(ApiError::UnsupportedMediaType),
                Ok(bytes) => parse(&bytes),
            };
            Ok(Json { parsed, empty })
        })
    }
}

/// A query string, read but not yet judged.
pub struct Query<T>(Result<T, ApiError>);

impl<T> Query<T> {
    /// The parameters, or why they are refused: to be called once the caller is known to be
    /// allowed.
    pub fn parse(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Query(parse_query(req.query_string()))))
    }
}

/// Parses a query string, naming the offending parameter.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let text = err.into_inner().to_string();
        let (field, code, message) = match missing_field(&text) {
            Some(name) => (join_path(&path, &name), "required", "此项为必填项"),
            None if text.starts_with("unknown variant") => (path, "invalid_choice", "取值不在允许的范围内"),
            None => (path, "invalid_type", "类型或格式不正确"),
        };
        let field = if field == "." || field.is_empty() {
            "query".to_owned()
        } else {
            field
        };
        ApiError::invalid(vec![FieldError::new(field, code, message)])
    })
}

/// Parses a JSON body, naming the offending field on a shape error.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => ApiError::bad_request(
                "malformed_json",
                format!(
                    "请求内容不是合法的 JSON（第 {} 行第 {} 列）",
                    inner.line(),
                    inner.column()
                ),
            ),
            serde_json::error::Category::Data => {
                let text = inner.to_string();
                let (field, code, message) = if let Some(name) = missing_field(&text) {
                    (join_path(&path, &name), "required", "此项为必填项".to_owned())
                } else if text.starts_with("unknown variant") {
                    (path.clone(), "invalid_choice", "取值不在允许的范围内".to_owned())
                } else if text.starts_with("unknown field") {
                    // serde_path_to_error's path already ends at the unknown field.
                    (path.clone(), "unknown_field", "不认识的字段".to_owned())
                } else {
                    (path.clone(), "invalid_type", "类型或格式不正确".to_owned())
                };
                let field = if field == "." || field.is_empty() {
                    "body".to_owned()
                } else {
                    field
                };
                ApiError::invalid(vec![FieldError::new(field, code, message)])
            }
        }
    })
}

fn backticked(text: &str) -> Option<String> {
    let start = text.find('`')? + 1;
    let end = start + text[start..].find('`')?;
    Some(text[start..end].to_owned())
}

fn missing_field(text: &str) -> Option<String> {
    text.starts_with("missing field").then(|| backticked(text)).flatten()
}

fn join_path(path: &str, name: &str) -> String {
    if path.is_empty() || path == "." {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::ResponseError;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        inner: Option<Inner>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    fn fields(err: ApiError) -> (u16, Vec<(String, String)>) {
        let status = err.status_code().as_u16();
        (
            status,
            err.body().fields.into_iter().map(|f| (f.field, f.code)).collect(),
        )
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Params {
        from: chrono::NaiveDate,
        limit: Option<u64>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        assert_eq!(
            fields(parse_query::<Params>("limit=3").unwrap_err()),
            (422, vec![("from".into(), "required".into())])
        );
        assert_eq!(
            fields(parse_query::<Params>("from=2026-01-01&limit=lots").unwrap_err()),
            (422, vec![("limit".into(), "invalid_type".into())])
        );
        assert!(parse_query::<Params>("from=2026-01-01").is_ok());
    }

    #[test]
    fn syntax_errors_are_400() {
        let err = parse::<Body>(b"{\"name\": ").unwrap_err();
        assert_eq!(err.code(), "malformed_json");
        assert_eq!(err.status_code().as_u16(), 400);
    }

    #[test]
    fn shape_errors_name_the_field() {
        assert_eq!(
            fields(parse::<Body>(b"{}").unwrap_err()),
            (422, vec![("name".into(), "required".into())])
        );
        assert_eq!(
            fields(parse::<Body>(br#"{"name": 3}"#).unwrap_err()),
            (422, vec![("name".into(), "invalid_type".into())])
        );
        assert_eq!(
            fields(parse::<Body>(br#"{"name": "a", "inner": {"count": -1}}"#).unwrap_err()),
            (422, vec![("inner.count".into(), "invalid_type".into())])
        );
        assert_eq!(
            fields(parse::<Body>(br#"{"name": "a", "bogus": 1}"#).unwrap_err()),
            (422, vec![("bogus".into(), "unknown_field".into())])
        );
    }
}

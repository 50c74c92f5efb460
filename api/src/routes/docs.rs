//! The browsable API documentation at `/api-docs`: RapiDoc, served from this binary (many
//! government networks block or slow third-party hosts), under a content-security policy that
//! allows scripts from this origin only.
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};

/// RapiDoc 9.3.8 as published (gzipped); its licence is beside it in `api/assets`.
const RAPIDOC_GZ: &[u8] = include_bytes!("../../assets/rapidoc-min.js.gz");

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     connect-src 'self'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'none'";

/// System fonts and `load-fonts="false"`, so RapiDoc never asks for its web fonts.
const PAGE: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>亲清 Qinqing API</title>
<script type="module" src="/api-docs/rapidoc-min.js"></script>
</head>
<body>
<rapi-doc spec-url="/api-docs/openapi.json" render-style="read" show-header="false" allow-try="true"
  regular-font="system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif"
  mono-font="ui-monospace, Menlo, Consolas, monospace" theme="light" load-fonts="false"></rapi-doc>
</body>
</html>
"#;

pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .body(PAGE)
}

pub async fn script(req: HttpRequest) -> HttpResponse {
    let gzip = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let mut res = HttpResponse::Ok();
    res.content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .insert_header((header::VARY, "Accept-Encoding"));
    if gzip {
        return res.insert_header((header::CONTENT_ENCODING, "gzip")).body(RAPIDOC_GZ);
    }
    let mut plain = Vec::new();
    match std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(RAPIDOC_GZ), &mut plain) {
        Ok(_) => res.body(plain),
        Err(err) => actix_web::ResponseError::error_response(&crate::error::ApiError::internal(err)),
    }
}

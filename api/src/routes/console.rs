//! The staff console's built files under `/console/` (`console.dir`): hashed assets are cached
//! for a year; every other path is the app's `index.html` (its router takes it from there),
//! never cached, so a new release shows on the next load. Every answer carries a
//! content-security policy that allows no inline script.
use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::state::AppState;

/// What the console may load: its own scripts and styles (TDesign sets style attributes),
/// images from itself and data URLs (the QR code), calls to its own origin.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
    base-uri 'none'; form-action 'self'; object-src 'none'";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// The file a path names inside `dir`, if it is a plain relative path to a file there.
fn file_in(dir: &Path, tail: &str) -> Option<PathBuf> {
    let rel = Path::new(tail);
    if tail.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let path = dir.join(rel);
    path.is_file().then_some(path)
}

fn with_headers(mut res: HttpResponse, cache: &'static str) -> HttpResponse {
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    res
}

/// `/console`: the app lives under `/console/`.
pub async fn redirect() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, "/console/"))
        .finish()
}

/// `/console/{tail}`: a built file, or the app's page.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>, tail: web::Path<String>) -> HttpResponse {
    let dir = Path::new(&state.settings.console.dir);
    let tail = tail.into_inner();
    if let Some(path) = file_in(dir, &tail) {
        let cache = if tail.starts_with("assets/") {
            IMMUTABLE
        } else {
            NO_CACHE
        };
        return match NamedFile::open(&path) {
            Ok(file) => with_headers(file.into_response(&req), cache),
            Err(_) => not_built(),
        };
    }
    // A missing asset is a 404, not the page: a stale page asking for an old chunk must fail
    // loudly instead of running HTML as a script.
    if tail.starts_with("assets/") {
        return with_headers(HttpResponse::NotFound().finish(), NO_CACHE);
    }
    match NamedFile::open(dir.join("index.html")) {
        Ok(file) => with_headers(file.into_response(&req), NO_CACHE),
        Err(_) => not_built(),
    }
}

/// The console has not been built in this checkout.
fn not_built() -> HttpResponse {
    let page = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>管理端尚未构建</title></head>\
        <body><h1>管理端尚未构建</h1><p>请在仓库根目录运行 <code>scripts/run</code>，\
        或在 <code>console/</code> 下运行 <code>npm ci &amp;&amp; npm run build</code> 后刷新本页。</p></body></html>";
    with_headers(
        HttpResponse::ServiceUnavailable()
            .content_type("text/html; charset=utf-8")
            .body(page),
        NO_CACHE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_inside_the_folder_are_files() {
        let dir = std::env::temp_dir().join(format!("qinqing-console-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("assets/app-1a2b.js"), "x").unwrap();
        assert!(file_in(&dir, "assets/app-1a2b.js").is_some());
        assert!(file_in(&dir, "assets").is_none(), "a folder is not a file");
        assert!(file_in(&dir, "../etc/passwd").is_none());
        assert!(file_in(&dir, "assets/../../x").is_none());
        assert!(file_in(&dir, "/etc/passwd").is_none());
        assert!(file_in(&dir, "").is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

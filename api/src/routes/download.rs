//! How files and documents leave the server: a `Content-Disposition` with a safe name on every
//! download, and a content-security policy without scripts on every HTML document.
use actix_web::HttpResponse;
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue, HeaderValue,
};

/// The content-security policy of the HTML documents the server writes (the reports): their
/// own inline styles and SVG, data images, nothing else; no script at all. The console may show
/// them in a frame.
pub const DOCUMENT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; \
     frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/// The extension a file of this type is saved with, whatever name it came with.
fn extension(content_type: &str) -> &'static str {
    match content_type.split(';').next().unwrap_or_default().trim() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/json" => "json",
        "text/html" => "html",
        _ => "bin",
    }
}

/// The stem of a name as people gave it, safe in a header and on a disk: no directories, no
/// control, quoting or reserved characters, at most 80 characters.
fn safe_stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let cleaned: String = stem
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if "\"\\/:*?<>|;,%".contains(c) { '_' } else { c })
        .take(80)
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace()).to_owned();
    if cleaned.is_empty() { "file".to_owned() } else { cleaned }
}

/// `inline` or `attachment`, named `name` (made safe, with the extension of `content_type`):
/// an ASCII `filename` for old clients and the UTF-8 `filename*` for the others.
pub fn disposition(inline: bool, name: &str, content_type: &str) -> ContentDisposition {
    let full = format!("{}.{}", safe_stem(name), extension(content_type));
    let ascii: String = full
        .chars()
        .map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' })
        .collect();
    ContentDisposition {
        disposition: if inline {
            DispositionType::Inline
        } else {
            DispositionType::Attachment
        },
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: full.into_bytes(),
            }),
        ],
    }
}

/// A download of `bytes`.
pub fn file(
    inline: bool,
    name: &str,
    content_type: &str,
    bytes: impl actix_web::body::MessageBody + 'static,
) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type.to_owned())
        .insert_header(disposition(inline, name, content_type))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .body(bytes)
}

/// An HTML document the server wrote, shown in the browser under `DOCUMENT_CSP`.
pub fn document(name: &str, html: String) -> HttpResponse {
    let mut res = file(true, name, "text/html; charset=utf-8", html);
    res.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCUMENT_CSP));
    res
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe_and_keep_the_real_extension() {
        assert_eq!(safe_stem("../../etc/passwd"), "passwd");
        assert_eq!(safe_stem("C:\\Users\\张三\\申报指南.pdf"), "申报指南");
        assert_eq!(safe_stem("a\"b;c\r\nd.html"), "a_b_cd");
        assert_eq!(safe_stem(""), "file");
        assert_eq!(safe_stem("..."), "file");
        let d = disposition(true, "evil.html", "image/png").to_string();
        assert!(d.starts_with("inline; filename=\"evil.png\""), "{d}");
        let d = disposition(false, "申报指南.pdf", "application/pdf").to_string();
        assert!(d.contains("filename=\"____.pdf\""), "{d}");
        assert!(
            d.contains("filename*=UTF-8''%E7%94%B3%E6%8A%A5%E6%8C%87%E5%8D%97.pdf"),
            "{d}"
        );
    }
}

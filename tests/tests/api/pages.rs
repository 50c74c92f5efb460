//! What leaves the server as a page or a download: every HTML page carries a content-security
//! policy, the API docs load nothing from another host, downloads carry a safe file name.
use serde_json::{Value, json};
use tests::{spawn_app, urlencode};

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The directives of a content-security policy, by name.
fn directives(csp: &str) -> std::collections::HashMap<String, String> {
    csp.split(';')
        .filter_map(|d| {
            let d = d.trim();
            let (name, value) = d.split_once(' ').unwrap_or((d, ""));
            (!name.is_empty()).then(|| (name.to_owned(), value.to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn the_api_docs_page_runs_only_scripts_of_this_server_and_renders_with_other_hosts_blocked() {
    let app = spawn_app().await;
    let res = app.get("/api-docs", None).await;
    assert_eq!(res.status(), 200);
    let csp = directives(&header(&res, "content-security-policy"));
    assert_eq!(csp.get("script-src").map(String::as_str), Some("'self'"), "{csp:?}");
    assert_eq!(csp.get("default-src").map(String::as_str), Some("'none'"));
    let html = res.text().await.unwrap();
    // No script, style or font from anywhere else, and no inline script.
    assert!(!html.contains("http://") && !html.contains("https://"), "{html}");
    assert!(html.contains(r#"<script type="module" src="/api-docs/rapidoc-min.js"></script>"#));
    assert_eq!(html.matches("<script").count(), 1);
    // The script itself, gzipped for browsers and plain for the rest.
    let res = app.get("/api-docs/rapidoc-min.js", None).await;
    assert_eq!(res.status(), 200);
    assert!(header(&res, "content-type").starts_with("text/javascript"));
    assert!(res.text().await.unwrap().contains("rapi-doc"));

    // In a browser that can reach no other host, the page draws the API's operations.
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(tests::browser())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--window-size=1200,900",
            "--virtual-time-budget=15000",
            "--enable-logging=stderr",
            "--v=0",
            &format!("--user-data-dir={}", dir.path().join("profile").display()),
            "--dump-dom",
            &app.url("/api-docs"),
        ])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        !log.contains("Content Security Policy"),
        "the page broke its policy: {log}"
    );
    assert!(!log.contains("Uncaught"), "the page failed: {log}");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains("<rapi-doc"), "{dom}");
}

#[tokio::test]
async fn the_report_page_runs_no_script_and_downloads_carry_safe_names() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let period =
        api::domain::report::Period::last_complete(api::domain::report::ReportKind::Weekly, api::types::today());
    let res = app
        .post(
            "/api/v1/reports",
            Some(&admin.access),
            &json!({"kind": "weekly", "periodFrom": period.from}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let res = app
        .get(&format!("/api/v1/reports/{id}/html"), Some(&admin.access))
        .await;
    assert_eq!(res.status(), 200);
    let csp = directives(&header(&res, "content-security-policy"));
    assert_eq!(csp.get("default-src").map(String::as_str), Some("'none'"), "{csp:?}");
    assert!(!csp.contains_key("script-src"), "no script may run: {csp:?}");
    assert!(header(&res, "content-disposition").starts_with("inline; filename=\"qinqing-weekly-"));
    let res = app
        .get(&format!("/api/v1/reports/{id}/xlsx"), Some(&admin.access))
        .await;
    assert!(header(&res, "content-disposition").starts_with("attachment; filename=\"qinqing-weekly-"));

    // A file keeps the name it came with, made safe, and the extension of what it really is.
    let res = app
        .upload(
            "/api/v1/files",
            &admin.access,
            tests::PNG.to_vec(),
            "../../报告\";x.html",
        )
        .await;
    let fid = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let res = app.get(&format!("/api/v1/files/{fid}"), Some(&admin.access)).await;
    assert_eq!(res.status(), 200);
    let disposition = header(&res, "content-disposition");
    assert_eq!(
        disposition,
        format!(
            "inline; filename=\"____x.png\"; filename*=UTF-8''{}__x.png",
            urlencode("报告")
        ),
    );
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    // JSON answers are no page either.
    let res = app.get("/api/v1/me", Some(&admin.access)).await;
    let csp = directives(&header(&res, "content-security-policy"));
    assert_eq!(csp.get("default-src").map(String::as_str), Some("'none'"));
}

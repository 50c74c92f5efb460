//! The black-box test harness: `spawn_app()` starts the real server on a free port with a
//! mock WeChat server (wiremock) and a database of its own — a SQLite file by default, a
//! fresh PostgreSQL database when `TEST_DATABASE_URL` is set — and, when `TEST_REDIS_URL` is
//! set, Redis with a key prefix of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use api::settings::Settings;
use api::startup::Application;
use reqwest::{Method, Response};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::MockServer;

pub const APP_ID: &str = "wx-test-appid";
pub const APP_SECRET: &str = "wx-test-secret";
/// Signing in with this openid makes an admin (bootstrap admins).
pub const ROOT_ADMIN: &str = "root-admin";

pub mod bench;
pub mod capture;
pub mod fixtures;
pub mod procs;
pub mod province;
pub mod world;

pub struct TestApp {
    pub address: String,
    /// The server's own state: run jobs with `api::jobs::…::run_once(&app.state, now)`.
    pub state: actix_web::web::Data<api::state::AppState>,
    pub client: reqwest::Client,
    pub wechat: MockServer,
    pub db: DatabaseConnection,
    pub settings: Settings,
    _dir: tempfile::TempDir,
}

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Session {
    pub access: String,
    pub refresh: String,
    pub user: Value,
}

impl Session {
    pub fn id(&self) -> String {
        self.user["id"].as_str().unwrap().to_owned()
    }
}

/// A valid USCC, different for every `n`.
/// The seeds a randomized test runs: the one the variable `var` names (to replay a failure), or
/// 1, 2 and 3.
pub fn seeds(var: &str) -> Vec<u64> {
    match std::env::var(var) {
        Ok(s) => vec![s.parse().unwrap_or_else(|_| panic!("{var} is a number"))],
        Err(_) => vec![1, 2, 3],
    }
}

pub fn uscc(n: u32) -> String {
    let first17 = format!("91370211{:09}", n);
    let check = api::domain::uscc::check_char(first17.as_bytes()).unwrap();
    format!("{first17}{check}")
}

/// Headless Chromium: `CHROMIUM`, or Debian's package (`scripts/test` installs it).
pub fn browser() -> std::path::PathBuf {
    let found = std::env::var_os("CHROMIUM")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain(
            [
                "/usr/bin/chromium",
                "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome",
            ]
            .map(std::path::PathBuf::from),
        )
        .find(|p| p.exists());
    found.expect("this test needs Chromium: `apt-get install chromium fonts-wqy-microhei` (scripts/test installs it), or set CHROMIUM")
}

/// `s` percent-encoded for a query string.
/// The ids of a page's items (`{"items": [{"id": …}, …]}`), in order.
pub fn page_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("a page")
        .iter()
        .map(|d| d["id"].as_str().expect("an id").to_owned())
        .collect()
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A valid 1×1 PNG.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0bIDAT\x78\x9c\x63\x60\x00\x02\x00\x00\x05\x00\x01\x7a\x5e\xab\x3f\x00\x00\x00\x00IEND\xae\x42\x60\x82";

/// A small JPEG as a phone writes it: EXIF naming the camera (`Canon`) and a GPS position, the
/// rotation (6), and a comment naming the photographer (`Zhang San`).
pub fn jpeg_with_metadata() -> Vec<u8> {
    fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(contents.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(contents);
        s
    }
    // TIFF, big-endian: IFD0 = Make -> "Canon", Orientation = 6, GPS IFD -> GPSLatitudeRef "N".
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend_from_slice(&[0, 3]);
    tiff.extend_from_slice(&[0x01, 0x0F, 0, 2, 0, 0, 0, 6, 0, 0, 0, 50]);
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 56]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(b"Canon\0");
    tiff.extend_from_slice(&[0, 1, 0x00, 0x01, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0, 0, 0, 0, 0]);
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(tiff);
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(segment(0xE1, &exif));
    j.extend(segment(0xFE, b"taken by Zhang San"));
    j.extend(segment(0xC0, b"\x08\0\x01\0\x01\x01\x01\x11\0"));
    j.extend(segment(0xDA, b"\x01\x01\0\0\x3f\0"));
    j.extend_from_slice(b"\x12\x34\xFF\xD9");
    j
}

/// Makes a fresh database for one test and returns its URL.
async fn fresh_database(dir: &tempfile::TempDir) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let name = format!("qinqing_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&base).await.expect("connect TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap();
            admin.close().await.unwrap();
            let without_query = base.split('?').next().unwrap();
            let server = &without_query[..without_query.rfind('/').unwrap()];
            format!("{server}/{name}")
        }
        _ => format!("sqlite://{}/test.db?mode=rwc", dir.path().display()),
    }
}

/// Settings of a test app before any test-specific change.
pub async fn test_settings(wechat: &MockServer, dir: &tempfile::TempDir) -> Settings {
    let mut s = Settings::defaults().unwrap();
    s.server.port = 0;
    s.server.workers = 1;
    s.database.url = SecretString::from(fresh_database(dir).await);
    s.database.max_connections = 5;
    if let Ok(url) = std::env::var("TEST_REDIS_URL")
        && !url.is_empty()
    {
        s.redis.url = Some(SecretString::from(url));
        s.redis.key_prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    }
    s.wechat.api_base_url = wechat.uri();
    s.wecom.webhook_base_url = wechat.uri();
    // WeCom's server API too; a test that needs it sets `wecom.app_secret` (development mode otherwise).
    s.wecom.api_base_url = wechat.uri();
    // Text messages go to the same mock (unconfigured unless a test sets a key: skipped).
    s.sms.endpoint = wechat.uri();
    s.wechat.app_id = Some(APP_ID.to_owned());
    s.wechat.app_secret = Some(SecretString::from(APP_SECRET));
    s.wechat.timeout_ms = 2000;
    s.bootstrap_admins = vec![ROOT_ADMIN.to_owned()];
    s.demo_data = Some(false);
    // Jobs run when a test calls their `run_once`, never on a timer.
    s.jobs.enabled = false;
    s.uploads.dir = dir.path().join("uploads").display().to_string();
    s
}

/// WeChat answers every test gets unless it mounts its own (those win: higher priority).
async fn default_wechat_mocks(wechat: &MockServer) {
    use wiremock::matchers::path;
    use wiremock::{Mock, ResponseTemplate};
    Mock::given(path("/cgi-bin/stable_token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "default-token", "expires_in": 7200})),
        )
        .with_priority(10)
        .mount(wechat)
        .await;
    Mock::given(path("/wxa/msg_sec_check"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 0, "errmsg": "ok", "trace_id": "t", "result": {"suggest": "pass", "label": 100}
        })))
        .with_priority(10)
        .mount(wechat)
        .await;
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        api::telemetry::init(&Settings::defaults().unwrap().log);
    }
    let wechat = MockServer::start().await;
    default_wechat_mocks(&wechat).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&wechat, &dir).await;
    tweak(&mut settings);
    let app = Application::build(settings.clone()).await.expect("the app starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    let db = Database::connect(secrecy::ExposeSecret::expose_secret(&settings.database.url).to_owned())
        .await
        .unwrap();
    TestApp {
        address,
        state,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        wechat,
        db,
        settings,
        _dir: dir,
    }
}

/// A second server on the same database, cache and files (another replica).
pub struct Replica {
    pub address: String,
    pub state: actix_web::web::Data<api::state::AppState>,
}

impl Replica {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }
}

impl TestApp {
    /// Starts another replica of this app.
    pub async fn replica(&self) -> Replica {
        let app = Application::build(self.settings.clone())
            .await
            .expect("the replica starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state();
        tokio::spawn(app.run_until_stopped());
        Replica { address, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Response {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token, None).await
    }

    /// The JSON body of a successful GET.
    /// GETs `path` and asserts the error answered (see `assert_error`).
    pub async fn get_error(&self, path: &str, token: Option<&str>, status: u16, code: &str) -> Value {
        assert_error(self.get(path, token).await, status, code).await
    }

    pub async fn get_json(&self, path: &str, token: Option<&str>) -> Value {
        let res = self.get(path, token).await;
        let status = res.status();
        let body = res.text().await.expect("a body");
        assert!(status.is_success(), "GET {path}: {status} {body}");
        serde_json::from_str(&body).expect("a JSON body")
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.request(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.request(Method::PUT, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::DELETE, path, token, None).await
    }

    /// Signs in with a development code `dev:<openid>`.
    /// Posts `bytes` as the multipart field `file` named `name`.
    pub async fn upload(&self, path: &str, token: &str, bytes: Vec<u8>, name: &str) -> Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_in(&self, openid: &str) -> Session {
        let res = self
            .post("/api/v1/auth/wechat", None, &json!({ "code": format!("dev:{openid}") }))
            .await;
        assert_eq!(res.status(), 200, "sign-in of {openid}");
        session(res).await
    }

    pub async fn admin(&self) -> Session {
        self.sign_in(ROOT_ADMIN).await
    }

    pub async fn create_unit(&self, admin: &Session, code: &str, name: &str) -> Value {
        let res = self
            .post(
                "/api/v1/units",
                Some(&admin.access),
                &json!({ "code": code, "name": name }),
            )
            .await;
        assert_eq!(res.status(), 201);
        res.json().await.unwrap()
    }

    pub async fn create_enterprise(&self, admin: &Session, n: u32, butler_id: Option<&str>) -> Value {
        self.create_enterprise_with(admin, n, json!({ "butlerId": butler_id }))
            .await
    }

    /// Creates enterprise `n` (a software firm by default); `fields` override the defaults.
    pub async fn create_enterprise_with(&self, admin: &Session, n: u32, fields: Value) -> Value {
        let mut body = json!({
            "name": format!("测试企业{n}有限公司"),
            "uscc": uscc(n),
            "industryCode": "I6513",
            "scale": "small",
            "registeredAt": "2020-05-01",
        });
        if let (Some(body), Some(fields)) = (body.as_object_mut(), fields.as_object()) {
            body.extend(fields.clone());
        }
        let res = self.post("/api/v1/enterprises", Some(&admin.access), &body).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        res.json().await.unwrap()
    }

    /// Grants a role and asserts it worked.
    pub async fn grant(&self, admin: &Session, user_id: &str, body: Value) {
        let res = self
            .post(&format!("/api/v1/users/{user_id}/roles"), Some(&admin.access), &body)
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }

    /// Signs in a fresh person and makes them a member of `enterprise_id`.
    pub async fn member_of(&self, admin: &Session, openid: &str, enterprise_id: &str) -> Session {
        let s = self.sign_in(openid).await;
        self.grant(
            admin,
            &s.id(),
            json!({ "role": "enterprise", "enterpriseId": enterprise_id }),
        )
        .await;
        s
    }

    /// Signs in a fresh person and makes them a butler.
    pub async fn butler(&self, admin: &Session, openid: &str) -> Session {
        let s = self.sign_in(openid).await;
        self.grant(admin, &s.id(), json!({ "role": "butler" })).await;
        s
    }
}

/// The phone system telling the server about a call (the development token).
pub async fn telephony(app: &TestApp, event: Value) -> Response {
    let res = app
        .client
        .post(app.url("/api/v1/telephony/events"))
        .header("X-Telephony-Token", api::settings::DEV_TELEPHONY_TOKEN)
        .json(&event)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204, "telephony event {event}");
    res
}

pub async fn session(res: Response) -> Session {
    let body: Value = res.json().await.unwrap();
    Session {
        access: body["accessToken"].as_str().unwrap().to_owned(),
        refresh: body["refreshToken"].as_str().unwrap().to_owned(),
        user: body["user"].clone(),
    }
}

/// Asserts an error response: status, code, and the JSON shape of docs/design.md section 8.
pub async fn assert_error(res: Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status(), status, "status for {code} ({})", res.url());
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        content_type.as_deref(),
        Some("application/json"),
        "error bodies are JSON"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], code, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    assert!(body["fields"].is_array(), "{body}");
    body
}

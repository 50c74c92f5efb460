//! Phone numbers and openids never reach the logs (PIPL): the server runs with the production
//! log settings (JSON, `info`), the test drives sign-in, phone binding, a hotline demand with
//! the caller's phone, failing WeChat calls and refused requests, and greps what was logged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use api::settings::{LogFormat, Settings};
use serde_json::{Value, json};
use tests::{APP_ID, spawn_app};
use wiremock::matchers::{body_json, path};
use wiremock::{Mock, ResponseTemplate};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const OPENID: &str = "oPIPL-secret-openid-7c1f";
const PHONE: &str = "13987654321";
const CALLER: &str = "13700002222";

#[tokio::test]
async fn phone_numbers_and_openids_never_reach_the_log() {
    let captured = Captured::default();
    let mut log = Settings::defaults().unwrap().log;
    log.format = LogFormat::Json;
    // The production filter, and debug for our own code: the strictest test of what we write.
    log.filter = "info,api=debug,sqlx=warn,sea_orm=warn".to_owned();
    api::telemetry::init_with_writer(&log, captured.clone());

    let app = spawn_app().await;
    Mock::given(path("/wxa/business/getuserphonenumber"))
        .and(body_json(json!({"code": "good-code"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 0, "errmsg": "ok",
            "phone_info": {"phoneNumber": PHONE, "purePhoneNumber": PHONE, "countryCode": "86",
                           "watermark": {"timestamp": 1637744274, "appid": APP_ID}}
        })))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/wxa/business/getuserphonenumber"))
        .and(body_json(json!({"code": "bad-code"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 40029, "errmsg": "invalid code"})))
        .mount(&app.wechat)
        .await;

    let admin = app.admin().await;
    let person = app.sign_in(OPENID).await;
    for code in ["good-code", "bad-code"] {
        app.post("/api/v1/me/phone", Some(&person.access), &json!({"code": code}))
            .await;
    }
    let e = app.create_enterprise(&admin, 1, None).await;
    let res = app
        .post(
            "/api/v1/demands",
            Some(&admin.access),
            &json!({"kind": "demand", "environment": "service", "title": "热线来电", "content": "来电反映办税排队时间长。",
                    "channel": "hotline", "enterpriseId": e["id"], "callerPhone": CALLER}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let d: Value = res.json().await.unwrap();
    app.get(
        &format!("/api/v1/demands/{}", d["id"].as_str().unwrap()),
        Some(&admin.access),
    )
    .await;
    // Refused and malformed requests carrying the values.
    app.post(
        "/api/v1/auth/wechat",
        None,
        &json!({"code": format!("dev:{OPENID}"), "phone": PHONE}),
    )
    .await;
    app.get(
        &format!("/api/v1/users?phone={PHONE}&openid={OPENID}"),
        Some(&admin.access),
    )
    .await;
    app.get(&format!("/api/v1/demands?q={CALLER}"), Some(&admin.access))
        .await;
    app.get("/api/v1/me/export", Some(&person.access)).await;

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The refusals were logged (by their code), so the log was captured.
    assert!(
        text.contains("\"error\":\"validation_failed\""),
        "the server logged: {text}"
    );
    for secret in [OPENID, PHONE, CALLER] {
        let leaks: Vec<&str> = text.lines().filter(|l| l.contains(secret)).collect();
        assert!(leaks.is_empty(), "{secret} in the log:\n{}", leaks.join("\n"));
    }
}

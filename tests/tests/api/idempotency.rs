//! `Idempotency-Key` on every write: for each family of writes, a repeat under the same key gets
//! the first answer (status and body, marked as replayed) and stores nothing twice; a key is
//! a person's own; a refusal is remembered like a success.
use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::world::{created, event_ready, world};
use tests::{Session, TestApp, assert_error, spawn_app};

/// Rows in `table`.
async fn count(app: &TestApp, table: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// Sends the same write twice under `key`; both answers must be the same, the second one
/// replayed. Returns the status and the body.
async fn twice(
    app: &TestApp,
    who: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
    key: &str,
) -> (u16, Value) {
    let send = || {
        let mut req = app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(&who.access)
            .header("Idempotency-Key", key);
        if let Some(b) = &body {
            req = req.json(b);
        }
        req.send()
    };
    let first = send().await.unwrap();
    let status = first.status().as_u16();
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first_body = first.text().await.unwrap();
    let second = send().await.unwrap();
    assert_eq!(second.status().as_u16(), status, "{method} {path}: the repeat's status");
    assert_eq!(
        second
            .headers()
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true"),
        "{method} {path}: the repeat is the record's answer"
    );
    let second_body = second.text().await.unwrap();
    assert_eq!(first_body, second_body, "{method} {path}: the repeat's body");
    let value = if first_body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&first_body).unwrap()
    };
    (status, value)
}

/// A write repeated under its key stores once: `table` grows by one.
async fn once(app: &TestApp, who: &Session, path: &str, body: Value, table: &str, key: &str) -> Value {
    let before = count(app, table).await;
    let (status, answer) = twice(app, who, Method::POST, path, Some(body), key).await;
    assert_eq!(status, 201, "POST {path}: {answer}");
    assert_eq!(
        count(app, table).await,
        before + 1,
        "POST {path} stored once in {table}"
    );
    answer
}

#[tokio::test]
async fn every_family_of_writes_answers_a_repeated_key_with_the_first_answer_and_stores_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let admin = &w.admin;

    // Uploads (multipart): one file.
    let upload = || {
        let part = reqwest::multipart::Part::bytes(tests::PNG.to_vec()).file_name("a.png");
        app.client
            .post(app.url("/api/v1/files"))
            .bearer_auth(&w.member.access)
            .header("Idempotency-Key", "upload-1")
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
    };
    let before = count(&app, "files").await;
    let first: Value = upload().await.unwrap().json().await.unwrap();
    let again = upload().await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(count(&app, "files").await, before + 1);

    // Administration: units, enterprises, grants, policies, events.
    once(
        &app,
        admin,
        "/api/v1/units",
        json!({"code": "port", "name": "港务局"}),
        "units",
        "unit-1",
    )
    .await;
    let officer = app.sign_in("i-officer").await;
    let grant = json!({"role": "officer", "termEnds": "2030-12-31"});
    once(
        &app,
        admin,
        &format!("/api/v1/users/{}/roles", officer.id()),
        grant,
        "role_grants",
        "grant-1",
    )
    .await;
    let policy = json!({"title": "人才补贴", "issuer": "人才局", "explainer": crate::policies::explainer("区内企业", "补贴"), "conditions": {}});
    once(&app, admin, "/api/v1/policies", policy, "policies", "policy-1").await;
    let now = chrono::Utc::now();
    let week = (now + chrono::Duration::days(7)).to_rfc3339();
    let day = json!({"kind": "complaint_day", "title": "吐槽日", "opensAt": now.to_rfc3339(), "closesAt": week,
        "audienceRoles": ["officer"], "invitedEnterpriseIds": [w.enterprise]});
    once(&app, admin, "/api/v1/events", day.clone(), "events", "event-1").await;

    // The programmes: a complaint on the wall (and its demand), a supervision activity, a media
    // observation, a call-back.
    let day = event_ready(&app, admin, day).await;
    let demands = count(&app, "demands").await;
    let complaint = json!({"content": "出口退税办理太慢", "environment": "service", "anonymous": false});
    once(
        &app,
        &w.member,
        &format!("/api/v1/events/{day}/complaints"),
        complaint,
        "complaints",
        "wall-1",
    )
    .await;
    assert_eq!(
        count(&app, "demands").await,
        demands + 1,
        "one demand for the one complaint"
    );
    let supervisor = app.sign_in("i-supervisor").await;
    app.grant(
        admin,
        &supervisor.id(),
        json!({"role": "supervisor", "termEnds": "2030-12-31"}),
    )
    .await;
    let activity = json!({"kind": "visit", "date": api::types::today().to_string(), "place": "园区", "enterpriseIds": [w.enterprise]});
    once(
        &app,
        &supervisor,
        "/api/v1/supervision-activities",
        activity,
        "supervision_activities",
        "visit-1",
    )
    .await;
    let media = app.sign_in("i-media").await;
    app.grant(admin, &media.id(), json!({"role": "media", "termEnds": "2030-12-31"}))
        .await;
    let observation = json!({"kind": "finding", "title": "窗口排队", "content": "窗口排队时间长"});
    once(
        &app,
        &media,
        "/api/v1/media/observations",
        observation,
        "media_observations",
        "observe-1",
    )
    .await;
    let tasks = app.get_json("/api/v1/callbacks?status=all", Some(&admin.access)).await;
    let task = tasks["items"][0]["id"].as_str().unwrap();
    let call = json!({"outcome": "reached", "answers": {"bank_account": true, "tax_setup": true, "invoices": true, "needs": "想了解研发费用加计扣除"}});
    let demands = count(&app, "demands").await;
    let (status, answer) = twice(
        &app,
        admin,
        Method::POST,
        &format!("/api/v1/callbacks/{task}/calls"),
        Some(call),
        "call-1",
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["attempts"], 1, "the call is counted once");
    assert_eq!(count(&app, "demands").await, demands + 1, "the need became one demand");

    // PATCH and DELETE: an enterprise's record, a reply template.
    let path = format!("/api/v1/enterprises/{}", w.enterprise);
    let (status, _) = twice(
        &app,
        admin,
        Method::PATCH,
        &path,
        Some(json!({"district": "黄岛区"})),
        "patch-1",
    )
    .await;
    assert_eq!(status, 200);
    let template = json!({"unitId": w.unit_a, "title": "退税答复", "content": "退税已办结。"});
    let template = created(&app, admin, "/api/v1/reply-templates", template).await;
    let templates = count(&app, "reply_templates").await;
    let path = format!("/api/v1/reply-templates/{template}");
    let (status, _) = twice(&app, admin, Method::DELETE, &path, None, "delete-1").await;
    assert_eq!(status, 204);
    assert_eq!(count(&app, "reply_templates").await, templates - 1);
}

#[tokio::test]
async fn a_key_is_its_owners_a_refusal_is_remembered_and_a_changed_request_is_refused() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let body = json!({"kind": "demand", "environment": "service", "title": "窗口排队久", "content": "上午排队两小时"});
    // Two people may use the same key: each files their own.
    let mine = once(
        &app,
        &w.member,
        "/api/v1/demands",
        body.clone(),
        "demands",
        "shared-key",
    )
    .await;
    let theirs = once(
        &app,
        &w.other_member,
        "/api/v1/demands",
        body.clone(),
        "demands",
        "shared-key",
    )
    .await;
    assert_ne!(mine["id"], theirs["id"]);
    // A refusal is the answer to that request: repeated, it is the same refusal.
    let bad = json!({"kind": "demand", "environment": "service", "title": "", "content": ""});
    let (status, err) = twice(&app, &w.member, Method::POST, "/api/v1/demands", Some(bad), "bad-1").await;
    assert_eq!((status, err["error"].as_str()), (422, Some("validation_failed")));
    // The same key for another request (another body, another path or query) is refused.
    let other = json!({"kind": "demand", "environment": "service", "title": "另一件事", "content": "不同"});
    let reuse = |path: &str, body: &Value| {
        app.client
            .post(app.url(path))
            .bearer_auth(&w.member.access)
            .header("Idempotency-Key", "shared-key")
            .json(body)
            .send()
    };
    assert_error(
        reuse("/api/v1/demands", &other).await.unwrap(),
        422,
        "idempotency_key_reused",
    )
    .await;
    assert_error(
        reuse("/api/v1/demands?x=1", &body).await.unwrap(),
        422,
        "idempotency_key_reused",
    )
    .await;
    // A key is 1–128 visible ASCII characters.
    let res = app
        .client
        .post(app.url("/api/v1/demands"))
        .bearer_auth(&w.member.access)
        .header("Idempotency-Key", "x".repeat(129))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(res, 400, "invalid_idempotency_key").await;
    // Without a signed-in person the key does not count: the request is answered as usual.
    let res = app
        .client
        .post(app.url("/api/v1/demands"))
        .header("Idempotency-Key", "anon-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "unauthenticated").await;
}

//! A small zone most tests start from (`world`): an admin, a butler with an enterprise, two
//! units with a handler each, members of the enterprise and of another; and typed helpers for
//! the demand a member files and the moves staff make.
use serde_json::{Value, json};

use crate::{Session, TestApp};

pub struct World {
    pub admin: Session,
    pub butler: Session,
    pub unit_a: String,
    pub unit_b: String,
    pub handler_a: Session,
    pub handler_b: Session,
    pub enterprise: String,
    pub member: Session,
    pub colleague: Session,
    pub other_member: Session,
}

pub async fn world(app: &TestApp) -> World {
    let admin = app.admin().await;
    let butler = app.butler(&admin, "w-butler").await;
    let unit_a = app.create_unit(&admin, "tax", "税务局").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let unit_b = app.create_unit(&admin, "customs", "海关").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let handler_a = app.sign_in("w-handler-a").await;
    app.grant(&admin, &handler_a.id(), json!({"role": "handler", "unitId": unit_a}))
        .await;
    let handler_b = app.sign_in("w-handler-b").await;
    app.grant(&admin, &handler_b.id(), json!({"role": "handler", "unitId": unit_b}))
        .await;
    let e = app.create_enterprise(&admin, 700, Some(&butler.id())).await;
    let enterprise = e["id"].as_str().unwrap().to_owned();
    let member = app.member_of(&admin, "w-member", &enterprise).await;
    let colleague = app.member_of(&admin, "w-colleague", &enterprise).await;
    let other = app.create_enterprise(&admin, 701, None).await;
    let other_member = app.member_of(&admin, "w-other", other["id"].as_str().unwrap()).await;
    World {
        admin,
        butler,
        unit_a,
        unit_b,
        handler_a,
        handler_b,
        enterprise,
        member,
        colleague,
        other_member,
    }
}

pub async fn file_demand(app: &TestApp, who: &Session, anonymous: bool) -> Value {
    let res = app
        .post(
            "/api/v1/demands",
            Some(&who.access),
            &json!({"kind": "demand", "environment": "service", "title": "出口退税办理慢", "content": "申请出口退税已两周没有进展，希望加快。", "anonymous": anonymous}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

pub async fn act(app: &TestApp, who: &Session, id: &str, action: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/demands/{id}/{action}"), Some(&who.access), &body)
        .await
}

pub async fn ok(app: &TestApp, who: &Session, id: &str, action: &str, body: Value) -> Value {
    let res = act(app, who, id, action, body).await;
    assert_eq!(res.status(), 200, "{action}: {}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// The id of a created object (the answer must be a success).
pub async fn id_of(res: reqwest::Response) -> String {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status} {body}");
    body["id"].as_str().unwrap().to_owned()
}

/// Creates an object with a POST and returns its id.
pub async fn created(app: &TestApp, who: &Session, path: &str, body: Value) -> String {
    id_of(app.post(path, Some(&who.access), &body).await).await
}

/// POSTs `{}` and expects a success.
pub async fn post_ok(app: &TestApp, who: &Session, path: &str) {
    let res = app.post(path, Some(&who.access), &json!({})).await;
    assert!(res.status().is_success(), "{path}: {}", res.text().await.unwrap());
}

/// Moves an event (`publish`, `open`, `close`, ...) as `admin`; the move must succeed.
pub async fn event_move(app: &TestApp, admin: &Session, id: &str, action: &str) -> Value {
    let res = app
        .post(
            &format!("/api/v1/events/{id}/{action}"),
            Some(&admin.access),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200, "{action}: {}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// A demand a butler files for `enterprise` from a hotline call from 13912345678.
pub async fn file_hotline_demand(app: &TestApp, butler: &Session, enterprise: &str) -> Value {
    let hotline = json!({"kind": "demand", "environment": "factor", "title": "用电报装", "content": "热线来电", "channel": "hotline", "enterpriseId": enterprise, "callerPhone": "13912345678"});
    let res = app.post("/api/v1/demands", Some(&butler.access), &hotline).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// Creates an event, publishes and opens it.
pub async fn event_ready(app: &TestApp, admin: &Session, body: Value) -> String {
    let id = created(app, admin, "/api/v1/events", body).await;
    for action in ["publish", "open"] {
        post_ok(app, admin, &format!("/api/v1/events/{id}/{action}")).await;
    }
    id
}

//! The staff console's server side: its files under `/console/`, the sign-in by scanning with
//! its refresh cookie, the queue's tabs and counts, bulk moves, presence and the version a move
//! expects, and the hotline desk (lookup, the phone system's events, the call log, the stream).
use chrono::{Duration, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::world::{act, file_demand, ok, world};
use tests::{Session, TestApp, assert_error, spawn_app, spawn_app_with, telephony};
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn the_console_is_served_with_long_lived_assets_a_fresh_page_and_a_strict_policy() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("assets")).unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!DOCTYPE html><title>亲清管理端</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("assets/index-3f2a.js"), "console.log(1)").unwrap();
    std::fs::write(dir.path().join("favicon.ico"), "ico").unwrap();
    let folder = dir.path().display().to_string();
    let app = spawn_app_with(|s| s.console.dir = folder).await;
    let get = |p: &'static str| app.client.get(app.url(p)).send();

    let res = get("/console").await.unwrap();
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/console/");
    for page in ["/console/", "/console/queue", "/console/demands/12?tab=to_accept"] {
        let res = get(page).await.unwrap();
        assert_eq!(res.status(), 200, "{page}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{page}");
        let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(
            csp.contains("script-src 'self';") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert!(res.text().await.unwrap().contains("亲清管理端"));
    }
    let asset = get("/console/assets/index-3f2a.js").await.unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(asset.headers()["content-type"].to_str().unwrap().contains("javascript"));
    // A stale page asking for an old chunk gets a 404, never the page as a script.
    assert_eq!(get("/console/assets/index-0000.js").await.unwrap().status(), 404);
    assert_eq!(
        get("/console/favicon.ico").await.unwrap().headers()["cache-control"],
        "no-cache"
    );
    // Nothing outside the folder.
    let escaped = get("/console/..%2f..%2fCargo.toml").await.unwrap();
    assert!(!escaped.text().await.unwrap().contains("[package]"));

    // A checkout where the console was not built says how to build it.
    let bare = spawn_app_with(|s| s.console.dir = "/nonexistent/console".into()).await;
    let res = bare.client.get(bare.url("/console/")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.text().await.unwrap().contains("scripts/run"));
}

/// A ticket as the console gets it.
async fn ticket(app: &TestApp) -> Value {
    let res = app
        .client
        .post(app.url("/api/v1/auth/console-tickets"))
        .header(
            "User-Agent",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
        )
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

async fn take(app: &TestApp, t: &Value, secret: &str) -> reqwest::Response {
    let url = format!("/api/v1/auth/console-tickets/{}/session", t["ticket"].as_str().unwrap());
    app.post(&url, None, &json!({"secret": secret, "waitSecs": 0})).await
}

fn cookie_of(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("qinqing_console_refresh="))
        .expect("the refresh cookie")
}

async fn with_cookie(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    let value = cookie.split(';').next().unwrap();
    app.client
        .post(app.url(path))
        .header("Cookie", value)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_staff_member_scans_confirms_and_the_console_takes_the_session_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let t = ticket(&app).await;
    let id = t["ticket"].as_str().unwrap().to_owned();
    assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
    assert_eq!(t["qrText"], format!("qinqing://console-login?ticket={id}"));
    assert!(t["qrImage"].is_null(), "development draws the QR itself");
    let secret = t["secret"].as_str().unwrap().to_owned();

    // The person scanning sees which browser asks.
    let seen = app
        .get_json(&format!("/api/v1/auth/console-tickets/{id}"), Some(&w.butler.access))
        .await;
    assert_eq!(
        (seen["status"].as_str(), seen["browser"].as_str()),
        (Some("waiting"), Some("Chrome 126 · Windows"))
    );
    // Waiting: 202; a wrong secret is refused; an unknown ticket is not found.
    assert_eq!(take(&app, &t, &secret).await.status(), 202);
    assert_error(take(&app, &t, "not-the-secret").await, 403, "ticket_secret_invalid").await;
    assert_error(
        app.post(
            "/api/v1/auth/console-tickets/AAAAAAAAAAAAAAAA/session",
            None,
            &json!({"secret": secret}),
        )
        .await,
        404,
        "ticket_not_found",
    )
    .await;
    // Only desk staff confirm.
    let confirm = format!("/api/v1/auth/console-tickets/{id}/confirm");
    assert_error(
        app.post(&confirm, Some(&w.member.access), &json!({})).await,
        403,
        "not_staff",
    )
    .await;
    assert_eq!(
        app.post(&confirm, Some(&w.butler.access), &json!({})).await.status(),
        200
    );
    assert_error(
        app.post(&confirm, Some(&w.admin.access), &json!({})).await,
        409,
        "ticket_confirmed",
    )
    .await;

    // The console takes the butler's session, once.
    let res = take(&app, &t, &secret).await;
    assert_eq!(res.status(), 200);
    let cookie = cookie_of(&res);
    for part in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth/console", "Max-Age="] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP on 127.0.0.1: {cookie}");
    let session: Value = res.json().await.unwrap();
    assert_eq!(session["user"]["id"], w.butler.id());
    assert!(
        session.get("refreshToken").is_none(),
        "the refresh token is only in the cookie"
    );
    let access = session["accessToken"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/demands/queue-counts", Some(&access)).await.status(),
        200
    );
    assert_error(take(&app, &t, &secret).await, 409, "ticket_used").await;

    // The cookie rotates; a spent one ends the sign-in.
    let res = with_cookie(&app, "/api/v1/auth/console/refresh", &cookie).await;
    assert_eq!(res.status(), 200);
    let next = cookie_of(&res);
    assert_ne!(next, cookie);
    let replay = with_cookie(&app, "/api/v1/auth/console/refresh", &cookie).await;
    assert!(cookie_of(&replay).contains("Max-Age=0"), "a refused cookie is cleared");
    assert_error(replay, 401, "refresh_token_reused").await;
    assert_error(
        with_cookie(&app, "/api/v1/auth/console/refresh", &next).await,
        401,
        "refresh_token_reused",
    )
    .await;
    app.get_error("/api/v1/demands/queue-counts", Some(&access), 401, "token_revoked")
        .await;
    assert_error(
        app.post("/api/v1/auth/console/refresh", None, &json!({})).await,
        401,
        "refresh_token_invalid",
    )
    .await;
}

#[tokio::test]
async fn signing_out_ends_the_consoles_session_and_development_signs_in_staff_personas_only() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let res = app
        .post("/api/v1/auth/console/dev", None, &json!({"openid": "w-handler-a"}))
        .await;
    assert_eq!(res.status(), 200);
    let cookie = cookie_of(&res);
    let session: Value = res.json().await.unwrap();
    let access = session["accessToken"].as_str().unwrap().to_owned();
    let out = with_cookie(&app, "/api/v1/auth/console/logout", &cookie).await;
    assert_eq!(out.status(), 204);
    assert!(cookie_of(&out).contains("Max-Age=0"));
    app.get_error("/api/v1/me", Some(&access), 401, "token_revoked").await;
    assert_error(
        with_cookie(&app, "/api/v1/auth/console/refresh", &cookie).await,
        401,
        "refresh_token_reused",
    )
    .await;
    assert_error(
        app.post("/api/v1/auth/console/dev", None, &json!({"openid": "w-member"}))
            .await,
        403,
        "not_staff",
    )
    .await;
    let _ = w;
    // Outside development the door does not exist, and the QR is a mini-program code.
    let prod = spawn_app_with(|s| s.wechat.dev_mode = false).await;
    assert_error(
        prod.post("/api/v1/auth/console/dev", None, &json!({"openid": "w-handler-a"}))
            .await,
        404,
        "not_found",
    )
    .await;
    Mock::given(path("/wxa/getwxacodeunlimit"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "image/png")
                .set_body_bytes(tests::PNG),
        )
        .mount(&prod.wechat)
        .await;
    let t = ticket(&prod).await;
    assert!(
        t["qrImage"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,iVBOR")
    );
    let calls = prod.wechat.received_requests().await.unwrap();
    let code = calls.iter().find(|r| r.url.path() == "/wxa/getwxacodeunlimit").unwrap();
    let asked: Value = serde_json::from_slice(&code.body).unwrap();
    assert_eq!(asked["scene"], t["ticket"]);
    assert_eq!(asked["page"], "subpackages/console-login/index");
}

async fn set(app: &TestApp, id: &str, assignment: &str) {
    app.db
        .execute_unprepared(&format!("UPDATE demands SET {assignment} WHERE id = {id}"))
        .await
        .unwrap();
    // Written behind the server's back: tell its kept answers, as the server's own writes do.
    api::answers::publish(&app.state.cache).await;
}

async fn counts(app: &TestApp, who: &Session, query: &str) -> Value {
    app.get_json(&format!("/api/v1/demands/queue-counts{query}"), Some(&who.access))
        .await
}

async fn tab(app: &TestApp, who: &Session, query: &str) -> Vec<String> {
    tests::page_ids(
        &app.get_json(&format!("/api/v1/demands?{query}"), Some(&who.access))
            .await,
    )
}

fn id(d: &Value) -> String {
    d["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_queue_counts_and_lists_each_tab_for_what_the_caller_works_on() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let a = id(&file_demand(&app, &w.member, false).await);
    let b = id(&file_demand(&app, &w.member, false).await);
    let c = id(&file_demand(&app, &w.member, false).await);
    let d = id(&file_demand(&app, &w.member, false).await);
    // Another enterprise's demand, served by another butler: not in this butler's queue.
    let other_butler = app.butler(&w.admin, "q-butler-2").await;
    let other = app.create_enterprise(&w.admin, 720, Some(&other_butler.id())).await;
    let other_member = app.member_of(&w.admin, "q-other", other["id"].as_str().unwrap()).await;
    let elsewhere = id(&file_demand(&app, &other_member, false).await);
    ok(&app, &w.butler, &b, "accept", json!({})).await;
    ok(&app, &w.butler, &c, "accept", json!({})).await;
    ok(&app, &w.butler, &c, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.butler, &d, "accept", json!({})).await;
    ok(&app, &w.butler, &d, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, &d, "sign", json!({})).await;

    // A waits to be accepted and C to be signed, each within one working day: due soon.
    let mine = counts(&app, &w.butler, "").await;
    assert_eq!(
        mine,
        json!({"toAccept": 1, "toAssign": 1, "toSign": 1, "inProgress": 1, "toRate": 0, "dueSoon": 2, "overdue": 0, "toCallBack": 0})
    );
    assert_eq!(counts(&app, &other_butler, "").await["toAccept"], 1);
    let handler = counts(&app, &w.handler_a, "").await;
    assert_eq!(
        (
            handler["toAccept"].as_u64(),
            handler["toSign"].as_u64(),
            handler["inProgress"].as_u64()
        ),
        (Some(0), Some(1), Some(1))
    );
    assert_eq!(counts(&app, &w.handler_b, "").await["toSign"], 0);
    assert_eq!(counts(&app, &w.admin, "").await["toAccept"], 2);
    assert_eq!(tab(&app, &w.butler, "tab=to_accept").await, [a.as_str()]);
    assert_eq!(tab(&app, &w.admin, "tab=to_accept").await, [elsewhere, a.clone()]);
    assert_eq!(tab(&app, &w.handler_a, "tab=to_sign").await, [c.as_str()]);
    app.get_error("/api/v1/demands/queue-counts", Some(&w.member.access), 403, "forbidden")
        .await;
    app.get_error(
        "/api/v1/demands?tab=later",
        Some(&w.butler.access),
        422,
        "validation_failed",
    )
    .await;

    // Deadlines: C's signing falls due within a day (still due soon); D's reply passed
    // (overdue, flagged by the hourly job).
    // The job flags on working days: it runs here as on Monday 7 December 2026, 10:00, on a
    // deadline passed before.
    set(&app, &d, "reply_due_at = '2026-12-01T15:59:59+00:00'").await;
    let monday: chrono::DateTime<Utc> = "2026-12-07T02:00:00Z".parse().unwrap();
    assert_eq!(api::jobs::overdue::run_once(&app.state, monday).await.unwrap(), 1);
    let tomorrow = Utc::now() + Duration::hours(20);
    set(&app, &c, &format!("sign_due_at = '{}'", tomorrow.to_rfc3339())).await;
    let mine = counts(&app, &w.butler, "").await;
    assert_eq!((mine["dueSoon"].as_u64(), mine["overdue"].as_u64()), (Some(2), Some(1)));
    assert_eq!(tab(&app, &w.butler, "tab=due_soon").await, [c.clone(), a.clone()]);
    assert_eq!(tab(&app, &w.butler, "tab=overdue").await, [d.as_str()]);
    let late = app
        .get_json(&format!("/api/v1/demands/{d}"), Some(&w.butler.access))
        .await;
    assert_eq!(late["nextDeadline"]["kind"], "reply");
    assert!(late["nextDeadline"]["workingDaysLeft"].as_i64().unwrap() < 0, "{late}");
    let fresh = app
        .get_json(&format!("/api/v1/demands/{a}"), Some(&w.butler.access))
        .await;
    assert_eq!(fresh["nextDeadline"]["kind"], "accept");
    assert!(fresh["nextDeadline"]["workingDaysLeft"].as_i64().unwrap() >= 0);

    // The next deadline first: D (passed), C (within a day), A (the end of the next working
    // day), B (none); paged.
    let first = app
        .get_json("/api/v1/demands?sort=deadline&limit=2", Some(&w.butler.access))
        .await;
    let ids: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [d.as_str(), c.as_str()]);
    let cursor = first["nextCursor"].as_str().unwrap();
    let second = app
        .get_json(
            &format!("/api/v1/demands?sort=deadline&limit=2&cursor={cursor}"),
            Some(&w.butler.access),
        )
        .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 2);
    assert!(
        second["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["id"] != d.as_str() && x["id"] != c.as_str())
    );

    // Kind and the filing days.
    let today = api::types::today();
    assert_eq!(tab(&app, &w.butler, "kind=problem").await.len(), 0);
    assert_eq!(tab(&app, &w.butler, &format!("from={today}&to={today}")).await.len(), 4);
    set(
        &app,
        &a,
        &format!("created_at = '{}'", (Utc::now() - Duration::days(10)).to_rfc3339()),
    )
    .await;
    assert_eq!(tab(&app, &w.butler, &format!("from={today}")).await.len(), 3);
    app.get_error(
        "/api/v1/demands?from=yesterday",
        Some(&w.butler.access),
        422,
        "validation_failed",
    )
    .await;

    // A hotline demand replied and not rated waits for its call-back.
    let hotline = app
        .post(
            "/api/v1/demands",
            Some(&w.butler.access),
            &json!({"kind": "demand", "environment": "service", "title": "来电咨询", "content": "咨询社保", "channel": "hotline", "enterpriseId": w.enterprise, "callerPhone": "13900001111"}),
        )
        .await;
    let h = id(&hotline.json::<Value>().await.unwrap());
    ok(&app, &w.butler, &h, "accept", json!({})).await;
    ok(&app, &w.butler, &h, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, &h, "sign", json!({})).await;
    ok(&app, &w.handler_a, &h, "reply", json!({"content": "已答复"})).await;
    let mine = counts(&app, &w.butler, "").await;
    assert_eq!(
        (mine["toRate"].as_u64(), mine["toCallBack"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(tab(&app, &w.butler, "tab=to_call_back").await, [h]);

    // Each count is the length of its tab's list, for everyone who works the queue (the counts
    // are tallied in groups, the lists filtered: the same rule, `Tab::holds`, two ways).
    for who in [&w.butler, &other_butler, &w.handler_a, &w.handler_b, &w.admin] {
        let counted = counts(&app, who, "").await;
        for (key, code) in [
            ("toAccept", "to_accept"),
            ("toAssign", "to_assign"),
            ("toSign", "to_sign"),
            ("inProgress", "in_progress"),
            ("toRate", "to_rate"),
            ("dueSoon", "due_soon"),
            ("overdue", "overdue"),
            ("toCallBack", "to_call_back"),
        ] {
            let listed = tab(&app, who, &format!("tab={code}&limit=100")).await.len();
            assert_eq!(counted[key], listed, "{key} for {}: {counted}", who.id());
        }
    }
}

#[tokio::test]
async fn a_bulk_move_reports_each_demand_and_a_stale_version_changes_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let a = id(&file_demand(&app, &w.member, false).await);
    let b = id(&file_demand(&app, &w.member, false).await);
    let c = id(&file_demand(&app, &w.member, false).await);
    ok(&app, &w.butler, &b, "accept", json!({})).await;
    let other_butler = app.butler(&w.admin, "q-butler-3").await;
    let other = app.create_enterprise(&w.admin, 730, Some(&other_butler.id())).await;
    let other_member = app
        .member_of(&w.admin, "q-other-3", other["id"].as_str().unwrap())
        .await;
    let theirs = id(&file_demand(&app, &other_member, false).await);
    let res = app
        .post(
            "/api/v1/demands/bulk/accept",
            Some(&w.butler.access),
            &json!({"ids": [a, b, theirs, c, "999999"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let results: Value = res.json().await.unwrap();
    let outcome: Vec<(bool, Option<&str>)> = results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ok"].as_bool().unwrap(), r["error"].as_str().or(r["status"].as_str())))
        .collect();
    assert_eq!(
        outcome,
        [
            (true, Some("accepted")),
            (false, Some("invalid_transition")),
            (false, Some("forbidden")),
            (true, Some("accepted")),
            (false, Some("demand_not_found")),
        ]
    );
    let res = app
        .post(
            "/api/v1/demands/bulk/assign",
            Some(&w.butler.access),
            &json!({"ids": [a, b, c], "unitId": w.unit_b}),
        )
        .await;
    let results: Value = res.json().await.unwrap();
    assert!(
        results["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "assigned"),
        "{results}"
    );
    assert_error(
        app.post(
            "/api/v1/demands/bulk/accept",
            Some(&w.butler.access),
            &json!({"ids": []}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/demands/bulk/accept",
            Some(&w.handler_a.access),
            &json!({"ids": [a]}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // Two desks on one demand: the second move was made on what the first changed.
    let d = file_demand(&app, &w.member, false).await;
    let seen = d["version"].as_i64().unwrap();
    let d = id(&d);
    ok(&app, &w.butler, &d, "accept", json!({"expectedVersion": seen})).await;
    assert_error(
        act(
            &app,
            &w.admin,
            &d,
            "reject",
            json!({"reason": "重复提交", "expectedVersion": seen}),
        )
        .await,
        409,
        "concurrent_update",
    )
    .await;
    let now = app
        .get_json(&format!("/api/v1/demands/{d}"), Some(&w.butler.access))
        .await;
    assert_eq!(
        (now["status"].as_str(), now["version"].as_i64()),
        (Some("accepted"), Some(seen + 1))
    );
}

#[tokio::test]
async fn staff_see_who_else_has_a_demand_open() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = id(&file_demand(&app, &w.member, false).await);
    let url = format!("/api/v1/demands/{d}/presence");
    let first: Value = app
        .post(&url, Some(&w.butler.access), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["viewers"], json!([]));
    let second: Value = app
        .post(&url, Some(&w.admin.access), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let viewers = second["viewers"].as_array().unwrap();
    assert_eq!(viewers.len(), 1);
    assert_eq!(
        (viewers[0]["id"].as_str(), viewers[0]["role"].as_str()),
        (Some(w.butler.id().as_str()), Some("butler"))
    );
    assert_error(
        app.post(&url, Some(&w.member.access), &json!({})).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.post(&url, Some(&w.handler_b.access), &json!({})).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn the_desk_finds_the_caller_and_the_phone_system_rings_the_agents_console() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // The member's phone, the enterprise's name and USCC all find it.
    app.post(
        "/api/v1/me/phone",
        Some(&w.member.access),
        &json!({"code": "dev:13911112222"}),
    )
    .await;
    let e = app
        .get_json(&format!("/api/v1/enterprises/{}", w.enterprise), Some(&w.admin.access))
        .await;
    let uscc = e["uscc"].as_str().unwrap();
    file_demand(&app, &w.member, false).await;
    file_demand(&app, &w.member, true).await;
    for q in ["测试企业700", &uscc[..10], "13911112222"] {
        let found = app
            .get_json(
                &format!("/api/v1/enterprises/lookup?q={}", tests::urlencode(q)),
                Some(&w.butler.access),
            )
            .await;
        assert_eq!(found[0]["id"], w.enterprise.as_str(), "{q}: {found}");
        assert_eq!(found[0]["butler"]["id"], w.butler.id().as_str());
        assert_eq!(
            found[0]["recentDemands"].as_array().unwrap().len(),
            2,
            "its butler sees both"
        );
    }
    // Another butler is not told of the anonymous one.
    let other_butler = app.butler(&w.admin, "h-butler-2").await;
    let found = app
        .get_json("/api/v1/enterprises/lookup?q=13911112222", Some(&other_butler.access))
        .await;
    assert_eq!(found[0]["recentDemands"].as_array().unwrap().len(), 1);
    app.get_error(
        "/api/v1/enterprises/lookup?q=测试",
        Some(&w.handler_a.access),
        403,
        "forbidden",
    )
    .await;

    // The butler's extension; the phone system rings it.
    let res = app
        .patch(
            &format!("/api/v1/users/{}", w.butler.id()),
            Some(&w.admin.access),
            &json!({"extension": "8001"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["extension"], "8001");
    assert_error(
        app.patch(
            &format!("/api/v1/users/{}", w.admin.id()),
            Some(&w.admin.access),
            &json!({"extension": "8001"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let stream = app
        .client
        .get(app.url("/api/v1/calls/stream"))
        .bearer_auth(&w.butler.access)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let bad = app
        .client
        .post(app.url("/api/v1/telephony/events"))
        .header("X-Telephony-Token", "guess")
        .json(&json!({"event": "newCall", "callId": "c-1", "from": "13911112222", "to": "96123", "direction": "in"}))
        .send()
        .await
        .unwrap();
    assert_error(bad, 401, "telephony_token_invalid").await;
    telephony(&app, json!({"event": "newCall", "callId": "c-1", "from": "13911112222", "to": "96123", "direction": "in", "agent": "8001"})).await;
    // The open console hears it within a few seconds.
    let mut body = stream;
    let mut text = String::new();
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !text.contains("event: call") && std::time::Instant::now() < until {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), body.chunk()).await;
        if let Ok(Ok(Some(bytes))) = chunk {
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    let data = text
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap_or_else(|| panic!("no call event in {text}"));
    let ringing: Value = serde_json::from_str(data).unwrap();
    assert_eq!(ringing["call"]["from"], "139****2222", "masked for a butler");
    assert_eq!(ringing["enterprise"]["id"], w.enterprise.as_str());
    assert_eq!(ringing["recentDemands"].as_array().unwrap().len(), 2);
    drop(body);

    // Answered and hung up without a demand: on the call-back list until resolved.
    telephony(&app, json!({"event": "answer", "callId": "c-1", "from": "13911112222", "to": "96123", "direction": "in", "agent": "8001"})).await;
    telephony(
        &app,
        json!({"event": "hangup", "callId": "c-1", "from": "13911112222", "to": "96123", "direction": "in"}),
    )
    .await;
    // Another rings and nobody answers: missed.
    telephony(
        &app,
        json!({"event": "newCall", "callId": "c-2", "from": "02566668888", "to": "96123", "direction": "in"}),
    )
    .await;
    telephony(
        &app,
        json!({"event": "hangup", "callId": "c-2", "from": "02566668888", "to": "96123", "direction": "in"}),
    )
    .await;
    // Repeated events change nothing.
    telephony(
        &app,
        json!({"event": "newCall", "callId": "c-2", "from": "02566668888", "to": "96123", "direction": "in"}),
    )
    .await;
    let log = app.get_json("/api/v1/calls", Some(&w.admin.access)).await;
    let statuses: Vec<(&str, &str)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["callId"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, [("c-2", "missed"), ("c-1", "done")]);
    assert_eq!(log["items"][1]["from"], "13911112222", "whole for admins");
    assert_eq!(log["items"][1]["agent"]["id"], w.butler.id().as_str());
    let to_call = app
        .get_json("/api/v1/calls?status=callback", Some(&w.butler.access))
        .await;
    assert_eq!(to_call["items"].as_array().unwrap().len(), 2);

    // The agent files from the answered call: its number is the caller's, the call is linked.
    let c1 = log["items"][1]["id"].as_str().unwrap();
    let filed = app
        .post(
            "/api/v1/demands",
            Some(&w.butler.access),
            &json!({"kind": "demand", "environment": "service", "title": "来电：社保咨询", "content": "企业咨询社保缴纳基数", "channel": "hotline", "enterpriseId": w.enterprise, "callId": c1}),
        )
        .await;
    assert_eq!(filed.status(), 201);
    let filed: Value = filed.json().await.unwrap();
    assert_eq!(filed["callerPhone"], "139****2222");
    let to_call = app
        .get_json("/api/v1/calls?status=callback", Some(&w.butler.access))
        .await;
    assert_eq!(to_call["items"].as_array().unwrap().len(), 1, "{to_call}");
    let c2 = to_call["items"][0]["id"].as_str().unwrap();
    let resolved: Value = app
        .post(
            &format!("/api/v1/calls/{c2}/resolve"),
            Some(&w.butler.access),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resolved["callId"], "c-2");
    assert_eq!(
        app.get_json("/api/v1/calls?status=callback", Some(&w.butler.access))
            .await["items"],
        json!([])
    );
    let not_hotline = app
        .post(
            "/api/v1/demands",
            Some(&w.butler.access),
            &json!({"kind": "demand", "environment": "service", "title": "x", "content": "y", "channel": "callback", "enterpriseId": w.enterprise, "callId": c1}),
        )
        .await;
    assert_error(not_hotline, 422, "validation_failed").await;
    app.get_error(
        "/api/v1/calls?status=later",
        Some(&w.butler.access),
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn people_are_found_by_name_phone_or_openid_with_their_roles_and_enterprises_name_their_butler() {
    let app = spawn_app().await;
    let w = world(&app).await;
    app.post(
        "/api/v1/me/phone",
        Some(&w.handler_a.access),
        &json!({"code": "dev:13922223333"}),
    )
    .await;
    let by_phone = app.get_json("/api/v1/users?q=3333", Some(&w.admin.access)).await;
    assert_eq!(by_phone["items"][0]["id"], w.handler_a.id().as_str());
    assert_eq!(by_phone["items"][0]["roles"][0]["role"], "handler");
    let by_openid = app.get_json("/api/v1/users?q=w-butler", Some(&w.admin.access)).await;
    assert_eq!(by_openid["items"].as_array().unwrap().len(), 1);
    assert_eq!(by_openid["items"][0]["roles"][0]["role"], "butler");
    let e = app
        .get_json(&format!("/api/v1/enterprises/{}", w.enterprise), Some(&w.butler.access))
        .await;
    assert_eq!(e["butler"]["id"], w.butler.id().as_str());
    assert_error(
        app.patch(
            &format!("/api/v1/users/{}", w.butler.id()),
            Some(&w.admin.access),
            &json!({"extension": "80 01"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let unread = app
        .get_json("/api/v1/notifications/unread-count", Some(&w.member.access))
        .await;
    assert_eq!(unread["count"], 0);
    let d = id(&file_demand(&app, &w.member, false).await);
    ok(&app, &w.butler, &d, "accept", json!({})).await;
    let unread = app
        .get_json("/api/v1/notifications/unread-count", Some(&w.member.access))
        .await;
    assert_eq!(unread["count"], 1);
}

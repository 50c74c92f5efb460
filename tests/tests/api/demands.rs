//! Demands end to end: every state as the right roles, the rules, anonymity, idempotency,
//! concurrency, deadlines, notifications and figures.
use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::world::{act, file_demand, ok, world};
use tests::{Session, TestApp, assert_error, spawn_app, spawn_app_with, urlencode};
use wiremock::matchers::{body_partial_json, path};
use wiremock::{Mock, ResponseTemplate};

fn actions(d: &Value) -> Vec<String> {
    d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

fn subscribe_template() -> api::settings::SubscribeTemplate {
    api::settings::SubscribeTemplate {
        template_id: "tmpl-progress".into(),
        title_key: "thing1".into(),
        status_key: "phrase2".into(),
        time_key: "time3".into(),
        note_key: "thing4".into(),
    }
}

#[tokio::test]
async fn one_demand_walks_through_every_state_with_timeline_notices_and_figures() {
    let app = spawn_app_with(|s| s.wechat.demand_template = Some(subscribe_template())).await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .and(body_partial_json(
            json!({"touser": "w-member", "template_id": "tmpl-progress"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})))
        .expect(2)
        .mount(&app.wechat)
        .await;
    let w = world(&app).await;
    // The member accepted the template twice in wx.requestSubscribeMessage: two messages may go.
    let res = app
        .post(
            "/api/v1/me/subscriptions",
            Some(&w.member.access),
            &json!({"accepted": ["tmpl-progress"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post(
            "/api/v1/me/subscriptions",
            Some(&w.member.access),
            &json!({"accepted": ["tmpl-progress"]}),
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["demandCredits"], 2);
    assert_error(
        app.post(
            "/api/v1/me/subscriptions",
            Some(&w.member.access),
            &json!({"accepted": ["other"]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;

    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap().to_owned();
    let number = d["number"].as_str().unwrap();
    let today = api::types::local_time(Utc::now()).format("%Y%m%d").to_string();
    assert_eq!(number, format!("SQ{today}-0001"));
    assert_eq!(d["status"], "submitted");
    assert!(d["acceptDueAt"].as_str().unwrap().ends_with("23:59:59+08:00"));
    assert_eq!(d["enterprise"]["id"], w.enterprise.as_str());

    ok(&app, &w.butler, &id, "accept", json!({})).await;
    let d = ok(&app, &w.butler, &id, "assign", json!({"unitId": w.unit_a})).await;
    assert_eq!(d["status"], "assigned");
    assert_eq!(d["unit"]["name"], "税务局");
    assert!(d["replyDueAt"].is_string() && d["signDueAt"].is_string());
    ok(&app, &w.handler_a, &id, "sign", json!({})).await;
    let d = ok(
        &app,
        &w.handler_a,
        &id,
        "reply",
        json!({"content": "已联系企业，退税已于今日办结。"}),
    )
    .await;
    assert_eq!(d["status"], "replied");
    let d = ok(
        &app,
        &w.member,
        &id,
        "rate",
        json!({"satisfied": true, "comment": "很快"}),
    )
    .await;
    assert_eq!(d["status"], "closed");
    assert_eq!(d["rating"]["satisfied"], true);
    assert_eq!(actions(&d), ["submit", "accept", "assign", "sign", "reply", "rate"]);

    // The enterprise sees the unit on the timeline, never the handler's name.
    let reply_event = &d["timeline"][4];
    assert_eq!(reply_event["actorRole"], "handler");
    assert_eq!(reply_event["actorUnit"]["name"], "税务局");
    assert!(reply_event["actorName"].is_null());
    let as_butler: Value = app
        .get_json(&format!("/api/v1/demands/{id}"), Some(&w.butler.access))
        .await;
    assert!(as_butler["timeline"][4]["actorName"].is_string(), "staff see who acted");

    // In-app notices: accepted, assigned, replied (the submitter is told).
    let notes: Value = app.get_json("/api/v1/notifications", Some(&w.member.access)).await;
    let kinds: Vec<&str> = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["demand_replied", "demand_assigned", "demand_accepted"]);
    let handler_notes: Value = app.get_json("/api/v1/notifications", Some(&w.handler_a.access)).await;
    assert_eq!(handler_notes["items"][0]["kind"], "demand_dispatched");

    // The worker sends one subscribe message per credit; the third notice stays in-app.
    let report = api::jobs::deliver::run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!((report.sent, report.skipped), (2, 1), "{report:?}");
    let again = api::jobs::deliver::run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!(again, Default::default(), "nothing is sent twice");
    let sent = app.wechat.received_requests().await.unwrap();
    let message: Value = sent
        .iter()
        .find(|r| r.url.path() == "/cgi-bin/message/subscribe/send")
        .unwrap()
        .body_json()
        .unwrap();
    assert_eq!(message["data"]["phrase2"]["value"], "已受理");
    assert_eq!(message["data"]["thing1"]["value"], "出口退税办理慢");
    assert_eq!(message["page"], format!("subpackages/demand/detail/index?id={id}"));

    // Figures for today.
    let day = api::types::today();
    let stats: Value = app
        .get_json(
            &format!("/api/v1/stats/demands?from={day}&to={day}&groupBy=unit"),
            Some(&w.admin.access),
        )
        .await;
    let t = &stats["total"];
    assert_eq!(
        (t["received"].as_i64(), t["closed"].as_i64(), t["rated"].as_i64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(t["satisfactionRate"], 1.0);
    assert_eq!(t["completionRate"], 1.0);
    assert_eq!(t["responseRate"], 1.0);
    assert_eq!(t["onTimeRate"], 1.0);
    assert_eq!(stats["groups"][0]["label"], "税务局");
    app.get_error(
        &format!("/api/v1/stats/demands?from={day}&to={day}"),
        Some(&w.member.access),
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn every_disallowed_move_is_409_naming_the_state_and_every_wrong_role_403() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    // Wrong roles on a submitted demand.
    for (who, action, body) in [
        (&w.member, "accept", json!({})),
        (&w.handler_a, "accept", json!({})),
        (&w.other_member, "reject", json!({"reason": "x"})),
        (&w.member, "assign", json!({"unitId": w.unit_a})),
        (&w.butler, "sign", json!({})),
        (&w.butler, "reply", json!({"content": "x"})),
        (&w.handler_a, "flag-unreasonable", json!({"reason": "x"})),
        (&w.colleague, "rate", json!({"satisfied": true})),
        (&w.member, "supervise", json!({"note": "x"})),
    ] {
        assert_error(act(&app, who, id, action, body).await, 403, "forbidden").await;
    }
    // Right roles, wrong state.
    for (who, action, body) in [
        (&w.butler, "assign", json!({"unitId": w.unit_a})),
        (&w.member, "rate", json!({"satisfied": true})),
        (&w.butler, "approve-extension", json!({})),
    ] {
        let err = assert_error(act(&app, who, id, action, body).await, 409, "invalid_transition").await;
        assert!(err["message"].as_str().unwrap().contains("已提交"), "{err}");
    }
    ok(&app, &w.butler, id, "accept", json!({})).await;
    assert_error(
        act(&app, &w.butler, id, "accept", json!({})).await,
        409,
        "invalid_transition",
    )
    .await;
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    // Only the unit the demand is assigned to may sign it.
    assert_error(act(&app, &w.handler_b, id, "sign", json!({})).await, 403, "forbidden").await;
    assert_error(
        act(&app, &w.handler_a, id, "reply", json!({"content": "先答复"})).await,
        409,
        "invalid_transition",
    )
    .await;
    // Unknown action and bad body.
    assert_error(act(&app, &w.butler, id, "teleport", json!({})).await, 404, "not_found").await;
    let err = assert_error(
        act(&app, &w.butler, id, "reject", json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"][0]["field"], "reason");
}

#[tokio::test]
async fn a_handler_of_unit_a_cannot_read_a_demand_of_unit_b() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_b})).await;
    app.get_error(
        &format!("/api/v1/demands/{id}"),
        Some(&w.handler_a.access),
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/demands/{id}"), Some(&w.handler_b.access))
            .await
            .status(),
        200
    );
    let list_a: Value = app.get_json("/api/v1/demands", Some(&w.handler_a.access)).await;
    assert_eq!(list_a["items"], json!([]));
    let list_b: Value = app
        .get_json("/api/v1/demands?todo=true", Some(&w.handler_b.access))
        .await;
    assert_eq!(list_b["items"][0]["id"], id);
    // Another enterprise's member sees nothing of it either.
    app.get_error(
        &format!("/api/v1/demands/{id}"),
        Some(&w.other_member.access),
        403,
        "forbidden",
    )
    .await;
    let theirs: Value = app.get_json("/api/v1/demands", Some(&w.other_member.access)).await;
    assert_eq!(theirs["items"], json!([]));
}

#[tokio::test]
async fn an_anonymous_demand_reveals_nothing_identifying_to_a_handler() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, true).await;
    let id = d["id"].as_str().unwrap();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    let res = app
        .get(&format!("/api/v1/demands/{id}"), Some(&w.handler_a.access))
        .await;
    let text = res.text().await.unwrap();
    let seen: Value = serde_json::from_str(&text).unwrap();
    assert!(seen["enterprise"].is_null() && seen["submitter"].is_null() && seen["callerPhone"].is_null());
    assert!(
        seen["timeline"][0]["actorName"].is_null(),
        "the submit event does not name the submitter"
    );
    for secret in ["测试企业700", "w-member", "enterpriseId", "submitterId"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    let listed = app
        .get("/api/v1/demands", Some(&w.handler_a.access))
        .await
        .text()
        .await
        .unwrap();
    assert!(!listed.contains("测试企业700"));
    // The butler still sees who it is; a colleague does not see it at all.
    let by_butler: Value = app
        .get_json(&format!("/api/v1/demands/{id}"), Some(&w.butler.access))
        .await;
    assert_eq!(by_butler["enterprise"]["id"], w.enterprise.as_str());
    app.get_error(
        &format!("/api/v1/demands/{id}"),
        Some(&w.colleague.access),
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_repeated_idempotency_key_creates_one_demand_and_a_changed_body_is_refused() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let body = json!({"kind": "problem", "environment": "policy", "title": "政策兑现慢", "content": "补贴三个月未到账", "anonymous": false});
    let send = |b: Value| {
        app.client
            .post(app.url("/api/v1/demands"))
            .bearer_auth(&w.member.access)
            .header("Idempotency-Key", "phone-retry-1")
            .json(&b)
            .send()
    };
    let first = send(body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let second = send(body.clone()).await.unwrap();
    assert_eq!(second.status(), 201);
    let second: Value = second.json().await.unwrap();
    assert_eq!(first, second, "the repeat gets the first answer");
    let mine: Value = app.get_json("/api/v1/demands", Some(&w.member.access)).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let changed = send(
        json!({"kind": "problem", "environment": "policy", "title": "另一件事", "content": "不同", "anonymous": false}),
    )
    .await
    .unwrap();
    assert_error(changed, 422, "idempotency_key_reused").await;
    // Actions are idempotent too: a repeated accept answers like the first.
    let id = first["id"].as_str().unwrap();
    let accept = || {
        app.client
            .post(app.url(&format!("/api/v1/demands/{id}/accept")))
            .bearer_auth(&w.butler.access)
            .header("Idempotency-Key", "acc-1")
            .json(&json!({}))
            .send()
    };
    assert_eq!(accept().await.unwrap().status(), 200);
    assert_eq!(accept().await.unwrap().status(), 200);
    let d: Value = app
        .get_json(&format!("/api/v1/demands/{id}"), Some(&w.butler.access))
        .await;
    assert_eq!(actions(&d), ["submit", "accept"]);
}

#[tokio::test]
async fn a_submission_cut_off_by_a_crash_is_answered_on_retry_and_stored_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let body = json!({"kind": "demand", "environment": "service", "title": "窗口排队久", "content": "上午排队两小时"});
    let send = |key: &'static str| {
        app.client
            .post(app.url("/api/v1/demands"))
            .bearer_auth(&w.member.access)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let mine = || async {
        let v: Value = app.get_json("/api/v1/demands", Some(&w.member.access)).await;
        v["items"].as_array().unwrap().len()
    };
    let stale = (Utc::now() - Duration::seconds(60)).to_rfc3339();

    // The process died after the demand's commit, before the key's answer was kept.
    let first: Value = send("crash-after-commit").await.unwrap().json().await.unwrap();
    app.db
        .execute_unprepared(&format!(
            "UPDATE idempotency_keys SET status = 'in_progress', response_status = NULL, response_body = NULL, \
             created_at = '{stale}' WHERE key = 'crash-after-commit'"
        ))
        .await
        .unwrap();
    let retry = send("crash-after-commit").await.unwrap();
    assert_eq!(retry.status(), 201);
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry["id"], first["id"], "the retry finds the stored demand");
    assert_eq!(retry["number"], first["number"]);
    assert_eq!(mine().await, 1);

    // The process died before the commit: while the key is fresh a retry waits; once it is
    // stale the retry files the demand, once.
    let uid = w.member.id();
    let now = Utc::now().to_rfc3339();
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO idempotency_keys (user_id, key, fingerprint, status, created_at) \
             VALUES ({uid}, 'crash-before-commit', 'POST /api/v1/demands x', 'in_progress', '{now}')"
        ))
        .await
        .unwrap();
    let fp = api::service::idempotency::fingerprint("POST", "/api/v1/demands", body.to_string().as_bytes());
    app.db
        .execute_unprepared(&format!(
            "UPDATE idempotency_keys SET fingerprint = '{fp}' WHERE key = 'crash-before-commit'"
        ))
        .await
        .unwrap();
    assert_error(
        send("crash-before-commit").await.unwrap(),
        409,
        "idempotency_in_progress",
    )
    .await;
    app.db
        .execute_unprepared(&format!(
            "UPDATE idempotency_keys SET created_at = '{stale}' WHERE key = 'crash-before-commit'"
        ))
        .await
        .unwrap();
    let filed = send("crash-before-commit").await.unwrap();
    assert_eq!(filed.status(), 201);
    let again = send("crash-before-commit").await.unwrap();
    assert_eq!(again.status(), 201);
    let (filed, again): (Value, Value) = (filed.json().await.unwrap(), again.json().await.unwrap());
    assert_eq!(filed["id"], again["id"]);
    assert_eq!(mine().await, 2);
}

#[tokio::test]
async fn two_concurrent_accepts_leave_exactly_one_event() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    let (a, b) = tokio::join!(
        act(&app, &w.butler, id, "accept", json!({})),
        act(&app, &w.admin, id, "accept", json!({}))
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let d: Value = app
        .get_json(&format!("/api/v1/demands/{id}"), Some(&w.admin.access))
        .await;
    assert_eq!(actions(&d), ["submit", "accept"]);
}

/// A move whose write another write beat (the overdue job flagging the demand, between the
/// move's read and its write) is made on the demand as it then stands when its maker pinned no
/// version, and refused as `concurrent_update` when they did.
#[tokio::test]
async fn a_move_that_loses_its_write_to_a_job_is_made_again_unless_pinned() {
    use api::domain::demand::Action;
    use api::service::demands::{self, Move};
    use sea_orm::Set;
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id: i64 = d["id"].as_str().unwrap().parse().unwrap();
    let db = &app.state.db;
    let butler_id: i64 = w.butler.id().parse().unwrap();
    let standing = api::service::people::standing(db, butler_id, Utc::now() - Duration::days(1))
        .await
        .unwrap()
        .unwrap();
    let butler = api::domain::access::Principal {
        id: butler_id,
        roles: standing.roles.clone(),
    };
    let (state, butler) = (&app.state, &butler);
    let accept = move |seen: demands::Seen, expected_version: Option<i32>| async move {
        demands::act_on(
            db,
            &state.settings,
            state.calendar().await.unwrap(),
            butler,
            seen,
            Action::Accept,
            Move {
                expected_version,
                ..Move::default()
            },
        )
        .await
    };
    // The butler reads the demand; the job writes it before the butler's write.
    let stale = demands::seen(db, butler_id, id).await.unwrap();
    let flag = entity::demand::ActiveModel {
        overdue: Set(true),
        ..Default::default()
    };
    assert!(demands::write_guarded(db, &stale.demand, flag).await.unwrap().is_some());
    let pinned = accept(stale.clone(), Some(stale.demand.version)).await.unwrap_err();
    assert_eq!(pinned.code(), "concurrent_update", "{pinned:?}");
    let made = accept(stale.clone(), None).await.unwrap();
    assert_eq!(made.status, api::domain::demand::Status::Accepted);
    assert_eq!(
        made.version,
        stale.demand.version + 2,
        "the job's write, then the accept"
    );
    // Made again on a fresh read, every rule is checked again: accepted meanwhile, refused.
    let again = accept(stale, None).await.unwrap_err();
    assert_eq!(again.code(), "invalid_transition", "{again:?}");
    let shown: Value = app
        .get_json(&format!("/api/v1/demands/{id}"), Some(&w.admin.access))
        .await;
    assert_eq!(actions(&shown), ["submit", "accept"]);
}

#[tokio::test]
async fn demand_numbers_are_sequential_and_unique_under_concurrent_submissions() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let futures: Vec<_> = (0..8).map(|_| file_demand(&app, &w.member, false)).collect();
    let created = futures_join(futures).await;
    let mut numbers: Vec<String> = created
        .iter()
        .map(|d| d["number"].as_str().unwrap().to_owned())
        .collect();
    numbers.sort();
    let today = api::types::local_time(Utc::now()).format("%Y%m%d").to_string();
    let expected: Vec<String> = (1..=8).map(|n| format!("SQ{today}-{n:04}")).collect();
    assert_eq!(numbers, expected);
}

/// Runs the futures at once (the requests are in flight together).
async fn futures_join<F: std::future::Future<Output = Value>>(futures: Vec<F>) -> Vec<Value> {
    futures_util::future::join_all(futures).await
}

async fn set_time(app: &TestApp, id: &str, column: &str, t: DateTime<Utc>) {
    let value = t.to_rfc3339();
    app.db
        .execute_unprepared(&format!("UPDATE demands SET {column} = '{value}' WHERE id = {id}"))
        .await
        .unwrap();
    // Written behind the server's back: tell its kept answers, as the server's own writes do.
    api::answers::publish(&app.state.cache).await;
}

fn shanghai(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[tokio::test]
async fn the_overdue_job_flags_on_the_first_working_day_after_the_deadline_and_not_on_a_holiday() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, id, "sign", json!({})).await;
    // The reply was due at the end of Wednesday 30 September 2026; 1–7 October is the
    // National Day holiday (Saturday 10 October is worked instead).
    set_time(&app, id, "reply_due_at", shanghai("2026-09-30T23:59:59+08:00")).await;
    let state = &app.state;
    use api::jobs::overdue::run_once;
    assert_eq!(
        run_once(state, shanghai("2026-09-30T20:00:00+08:00")).await.unwrap(),
        0,
        "not yet due"
    );
    assert_eq!(
        run_once(state, shanghai("2026-10-03T10:00:00+08:00")).await.unwrap(),
        0,
        "a holiday"
    );
    assert_eq!(
        run_once(state, shanghai("2026-10-07T10:00:00+08:00")).await.unwrap(),
        0,
        "still the holiday"
    );
    assert_eq!(
        run_once(state, shanghai("2026-10-08T00:05:00+08:00")).await.unwrap(),
        1,
        "first working day after"
    );
    assert_eq!(
        run_once(state, shanghai("2026-10-08T01:05:00+08:00")).await.unwrap(),
        0,
        "flagged once"
    );
    let d: Value = app
        .get_json(&format!("/api/v1/demands/{id}"), Some(&w.butler.access))
        .await;
    assert_eq!(d["overdue"], true);
    assert_eq!(d["overdueKind"], "reply");
    assert_eq!(actions(&d).last().unwrap(), "supervise");
    // The unit's handler and the butler are told, once each.
    for who in [&w.handler_a, &w.butler] {
        let notes: Value = app.get_json("/api/v1/notifications", Some(&who.access)).await;
        let overdue = notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "demand_overdue")
            .count();
        assert_eq!(overdue, 1);
    }
    let overdue_list: Value = app
        .get_json("/api/v1/demands?overdue=true", Some(&w.admin.access))
        .await;
    assert_eq!(overdue_list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_failed_subscribe_message_is_retried_then_recorded_with_wechats_errcode() {
    let app = spawn_app_with(|s| s.wechat.demand_template = Some(subscribe_template())).await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": -1, "errmsg": "system error"})))
        .expect(u64::try_from(api::service::outbox::wechat::MAX_ATTEMPTS).unwrap())
        .mount(&app.wechat)
        .await;
    let w = world(&app).await;
    app.post(
        "/api/v1/me/subscriptions",
        Some(&w.member.access),
        &json!({"accepted": ["tmpl-progress"]}),
    )
    .await;
    let d = file_demand(&app, &w.member, false).await;
    ok(&app, &w.butler, d["id"].as_str().unwrap(), "accept", json!({})).await;
    let mut now = Utc::now();
    for attempt in 1..=api::service::outbox::wechat::MAX_ATTEMPTS {
        let r = api::jobs::deliver::run_once(&app.state, now).await.unwrap();
        if attempt < api::service::outbox::wechat::MAX_ATTEMPTS {
            assert_eq!(r.retried, 1, "attempt {attempt}: {r:?}");
            // Not before its back-off has passed.
            assert_eq!(
                api::jobs::deliver::run_once(&app.state, now).await.unwrap(),
                Default::default()
            );
        } else {
            assert_eq!(r.failed, 1, "{r:?}");
        }
        now += Duration::hours(2);
    }
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT status AS wechat_status, last_error, attempts FROM outbox WHERE kind = 'demand_accepted'",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "wechat_status").unwrap(), "failed");
    assert!(row.try_get::<String>("", "last_error").unwrap().contains("errcode -1"));
    // The credit was not consumed: WeChat never accepted the message.
    let credits = api::service::notify::unspent_credits(&app.db, w.member.id().parse().unwrap(), "tmpl-progress")
        .await
        .unwrap();
    assert_eq!(credits, 1);
}

#[tokio::test]
async fn a_refused_subscription_drops_the_credit_and_without_credit_it_stays_in_app() {
    let app = spawn_app_with(|s| s.wechat.demand_template = Some(subscribe_template())).await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 43101, "errmsg": "user refuse to accept the msg"})),
        )
        .expect(1)
        .mount(&app.wechat)
        .await;
    let w = world(&app).await;
    app.post(
        "/api/v1/me/subscriptions",
        Some(&w.member.access),
        &json!({"accepted": ["tmpl-progress"]}),
    )
    .await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    let r = api::jobs::deliver::run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!(r.failed, 1);
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    let r = api::jobs::deliver::run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!(r.skipped, 1, "no credit left: in-app only");
}

#[tokio::test]
async fn a_return_after_two_working_days_is_refused_and_a_timely_one_needs_a_reason() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    assert_error(
        act(&app, &w.handler_a, id, "return", json!({"reason": " "})).await,
        422,
        "validation_failed",
    )
    .await;
    let d = ok(&app, &w.handler_a, id, "return", json!({"reason": "不属于本单位职责"})).await;
    assert_eq!(d["status"], "accepted");
    assert!(d["unit"].is_null());
    assert_eq!(d["returns"], 1);
    let butler_notes: Value = app.get_json("/api/v1/notifications", Some(&w.butler.access)).await;
    assert_eq!(butler_notes["items"][0]["kind"], "demand_returned");

    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    // Dispatched long ago: the 2-working-day window has passed.
    set_time(&app, id, "assigned_at", Utc::now() - Duration::days(10)).await;
    let err = assert_error(
        act(&app, &w.handler_a, id, "return", json!({"reason": "不属于本单位"})).await,
        409,
        "return_window_passed",
    )
    .await;
    assert!(err["message"].as_str().unwrap().contains("2"));
}

#[tokio::test]
async fn an_unsatisfied_rating_reopens_the_demand_to_the_same_unit_with_a_fresh_clock() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, id, "sign", json!({})).await;
    set_time(&app, id, "reply_due_at", Utc::now() - Duration::days(1)).await;
    ok(&app, &w.handler_a, id, "reply", json!({"content": "请按流程重新申报"})).await;
    let d = ok(
        &app,
        &w.member,
        id,
        "rate",
        json!({"satisfied": false, "comment": "没有解决问题"}),
    )
    .await;
    assert_eq!(d["status"], "assigned");
    assert_eq!(d["unit"]["id"], w.unit_a.as_str());
    assert_eq!(d["reopenCount"], 1);
    let due: DateTime<Utc> = DateTime::parse_from_rfc3339(d["replyDueAt"].as_str().unwrap())
        .unwrap()
        .into();
    assert!(due > Utc::now(), "a fresh clock");
    let tl = actions(&d);
    assert_eq!(&tl[tl.len() - 2..], ["rate", "assign"]);
    assert_eq!(d["timeline"][tl.len() - 2]["toStatus"], "reopened");
    assert_eq!(d["timeline"][tl.len() - 2]["note"], "没有解决问题");
    let notes: Value = app.get_json("/api/v1/notifications", Some(&w.handler_a.access)).await;
    assert_eq!(notes["items"][0]["kind"], "demand_reopened");
    // The same unit signs and replies again.
    ok(&app, &w.handler_a, id, "sign", json!({})).await;
}

#[tokio::test]
async fn an_approved_extension_moves_the_deadline_and_a_late_one_is_refused() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    let d = ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    let before: DateTime<Utc> = DateTime::parse_from_rfc3339(d["replyDueAt"].as_str().unwrap())
        .unwrap()
        .into();
    assert_error(
        act(
            &app,
            &w.handler_a,
            id,
            "extend",
            json!({"workingDays": 11, "reason": "需现场核查"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let d = ok(
        &app,
        &w.handler_a,
        id,
        "extend",
        json!({"workingDays": 3, "reason": "需现场核查"}),
    )
    .await;
    assert_eq!(d["extensionPending"]["workingDays"], 3);
    assert_error(
        act(
            &app,
            &w.handler_a,
            id,
            "extend",
            json!({"workingDays": 2, "reason": "再延"}),
        )
        .await,
        409,
        "extension_pending",
    )
    .await;
    assert_error(
        act(&app, &w.handler_a, id, "approve-extension", json!({})).await,
        403,
        "forbidden",
    )
    .await;
    let d = ok(&app, &w.butler, id, "approve-extension", json!({})).await;
    let after: DateTime<Utc> = DateTime::parse_from_rfc3339(d["replyDueAt"].as_str().unwrap())
        .unwrap()
        .into();
    assert!(after >= before + Duration::days(3), "{before} → {after}");
    assert_eq!(d["extensions"], 1);
    let notes: Value = app.get_json("/api/v1/notifications", Some(&w.member.access)).await;
    assert_eq!(notes["items"][0]["kind"], "extension_approved", "the submitter is told");
    // Past the deadline an extension is refused.
    set_time(&app, id, "reply_due_at", Utc::now() - Duration::hours(1)).await;
    assert_error(
        act(
            &app,
            &w.handler_a,
            id,
            "extend",
            json!({"workingDays": 2, "reason": "晚了"}),
        )
        .await,
        409,
        "deadline_passed",
    )
    .await;
}

#[tokio::test]
async fn a_demand_flagged_unreasonable_leaves_the_satisfaction_rate_and_is_counted_apart() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut ids = Vec::new();
    for satisfied in [true, false] {
        let d = file_demand(&app, &w.member, false).await;
        let id = d["id"].as_str().unwrap().to_owned();
        ok(&app, &w.butler, &id, "accept", json!({})).await;
        ok(&app, &w.butler, &id, "assign", json!({"unitId": w.unit_a})).await;
        ok(&app, &w.handler_a, &id, "sign", json!({})).await;
        ok(&app, &w.handler_a, &id, "reply", json!({"content": "答复"})).await;
        ok(&app, &w.member, &id, "rate", json!({"satisfied": satisfied})).await;
        ids.push(id);
    }
    let day = api::types::today();
    let url = format!("/api/v1/stats/demands?from={day}&to={day}");
    let before: Value = app.get(&url, Some(&w.admin.access)).await.json().await.unwrap();
    assert_eq!(before["total"]["satisfactionRate"], 0.5);
    let flagged = ok(
        &app,
        &w.butler,
        &ids[1],
        "flag-unreasonable",
        json!({"reason": "诉求超出政策范围，企业要求不合理"}),
    )
    .await;
    assert_eq!(flagged["unreasonable"], true);
    assert_eq!(
        actions(&flagged).last().unwrap(),
        "flag_unreasonable",
        "audited on the timeline"
    );
    let after: Value = app.get(&url, Some(&w.admin.access)).await.json().await.unwrap();
    assert_eq!(after["total"]["satisfactionRate"], 1.0);
    assert_eq!(after["total"]["rated"], 1);
    assert_eq!(after["total"]["unreasonable"], 1);
    let listed: Value = app
        .get_json("/api/v1/demands?unreasonable=true", Some(&w.admin.access))
        .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_error(
        act(
            &app,
            &w.butler,
            &ids[1],
            "flag-unreasonable",
            json!({"reason": "again"}),
        )
        .await,
        409,
        "already_flagged",
    )
    .await;
}

#[tokio::test]
async fn a_merged_duplicate_is_followed_by_both_submitters_on_the_survivor() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let first = file_demand(&app, &w.member, false).await;
    let dup = file_demand(&app, &w.colleague, false).await;
    let (first_id, dup_id) = (first["id"].as_str().unwrap(), dup["id"].as_str().unwrap());
    let merged = ok(&app, &w.butler, dup_id, "merge", json!({"intoId": first_id})).await;
    assert_eq!(merged["status"], "merged");
    assert_eq!(merged["mergedInto"], first_id);
    ok(&app, &w.butler, first_id, "accept", json!({})).await;
    ok(&app, &w.butler, first_id, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, first_id, "sign", json!({})).await;
    ok(&app, &w.handler_a, first_id, "reply", json!({"content": "已统一答复"})).await;
    let notes: Value = app.get_json("/api/v1/notifications", Some(&w.colleague.access)).await;
    assert_eq!(
        notes["items"][0]["kind"], "demand_replied",
        "the duplicate's submitter follows the survivor"
    );
    // A follower may rate the survivor.
    ok(&app, &w.colleague, first_id, "rate", json!({"satisfied": true})).await;
    assert_error(
        act(&app, &w.butler, dup_id, "merge", json!({"intoId": first_id})).await,
        409,
        "invalid_transition",
    )
    .await;
}

#[tokio::test]
async fn each_filer_and_each_active_handler_hears_of_a_move_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let first = file_demand(&app, &w.member, false).await;
    let first_id = first["id"].as_str().unwrap();
    // Followers: the colleague (their duplicate merged in) and the submitter too (theirs).
    for who in [&w.colleague, &w.member] {
        let dup = file_demand(&app, who, false).await;
        ok(
            &app,
            &w.butler,
            dup["id"].as_str().unwrap(),
            "merge",
            json!({"intoId": first_id}),
        )
        .await;
    }
    // Unit A's handlers: handler A, a second one, and a third whose role was revoked.
    let second = app.sign_in("w-handler-a2").await;
    let gone = app.sign_in("w-handler-a3").await;
    for who in [&second, &gone] {
        app.grant(&w.admin, &who.id(), json!({"role": "handler", "unitId": w.unit_a}))
            .await;
    }
    let me: Value = app.get("/api/v1/me", Some(&gone.access)).await.json().await.unwrap();
    let grant = me["roles"][0]["id"].as_str().unwrap();
    let res = app
        .delete(
            &format!("/api/v1/users/{}/roles/{grant}", gone.id()),
            Some(&w.admin.access),
        )
        .await;
    assert_eq!(res.status(), 204);

    ok(&app, &w.butler, first_id, "accept", json!({})).await;
    ok(&app, &w.butler, first_id, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, first_id, "sign", json!({})).await;
    ok(&app, &w.handler_a, first_id, "reply", json!({"content": "已统一答复"})).await;
    let kinds = |who: &Session| {
        let (app, token) = (&app, who.access.clone());
        async move {
            let notes: Value = app.get_json("/api/v1/notifications", Some(&token)).await;
            notes["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["demandId"] == first_id)
                .map(|n| n["kind"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    for who in [&w.member, &w.colleague] {
        assert_eq!(
            kinds(who).await,
            ["demand_replied", "demand_assigned", "demand_accepted"],
            "the submitter who follows too, and a follower: once each"
        );
    }
    for who in [&w.handler_a, &second] {
        assert_eq!(
            kinds(who).await,
            ["demand_dispatched"],
            "each active handler of the unit"
        );
    }
    for who in [&gone, &w.handler_b] {
        assert!(
            kinds(who).await.is_empty(),
            "a revoked handler and another unit's hear nothing"
        );
    }
}

#[tokio::test]
async fn filing_needs_an_enterprise_and_staff_file_on_behalf_with_a_channel() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let nobody = app.sign_in("w-nobody").await;
    let body = json!({"kind": "demand", "environment": "market", "title": "t", "content": "c", "anonymous": false});
    assert_error(
        app.post("/api/v1/demands", Some(&nobody.access), &body).await,
        403,
        "no_enterprise",
    )
    .await;
    let bad = json!({"kind": "wish", "environment": "market", "title": "", "content": "c"});
    assert_error(
        app.post("/api/v1/demands", Some(&w.member.access), &bad).await,
        422,
        "validation_failed",
    )
    .await;
    let d = tests::world::file_hotline_demand(&app, &w.butler, &w.enterprise).await;
    assert_eq!(d["channel"], "hotline");
    assert_eq!(d["callerPhone"], "139****5678");
    let no_channel =
        json!({"kind": "demand", "environment": "factor", "title": "t", "content": "c", "enterpriseId": w.enterprise});
    assert_error(
        app.post("/api/v1/demands", Some(&w.butler.access), &no_channel).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn risky_text_is_refused_by_the_content_check() {
    let app = spawn_app().await;
    Mock::given(path("/wxa/msg_sec_check"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 0, "errmsg": "ok", "result": {"suggest": "risky", "label": 20001}})),
        )
        .mount(&app.wechat)
        .await;
    let w = world(&app).await;
    let body = json!({"kind": "demand", "environment": "market", "title": "违规内容", "content": "违规内容", "anonymous": false});
    assert_error(
        app.post("/api/v1/demands", Some(&w.member.access), &body).await,
        422,
        "content_risky",
    )
    .await;
}

#[tokio::test]
async fn attachments_are_checked_by_content_and_shown_only_to_those_who_see_the_demand() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let png = tests::PNG.to_vec();
    let res = app
        .upload(
            "/api/v1/files",
            &w.member.access,
            b"<script>alert(1)</script>".to_vec(),
            "photo.png",
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    let res = app
        .upload("/api/v1/files", &w.member.access, png.clone(), "photo.png")
        .await;
    assert_eq!(res.status(), 201);
    let file: Value = res.json().await.unwrap();
    assert_eq!(file["contentType"], "image/png");
    let fid = file["id"].as_str().unwrap();
    // Someone else's file cannot be attached.
    let foreign =
        json!({"kind": "demand", "environment": "service", "title": "t", "content": "c", "attachments": [fid]});
    assert_error(
        app.post("/api/v1/demands", Some(&w.other_member.access), &foreign)
            .await,
        422,
        "validation_failed",
    )
    .await;
    let body = json!({"kind": "demand", "environment": "service", "title": "窗口排队", "content": "见照片", "attachments": [fid]});
    let d: Value = app
        .post("/api/v1/demands", Some(&w.member.access), &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d["attachments"], json!([fid]));
    let id = d["id"].as_str().unwrap();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    let got = app
        .get(&format!("/api/v1/files/{fid}"), Some(&w.handler_a.access))
        .await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers().get("content-type").unwrap(), "image/png");
    assert_eq!(got.bytes().await.unwrap().to_vec(), png);
    app.get_error(
        &format!("/api/v1/files/{fid}"),
        Some(&w.handler_b.access),
        403,
        "forbidden",
    )
    .await;
    app.get_error(
        &format!("/api/v1/files/{fid}"),
        Some(&w.other_member.access),
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn an_oversized_upload_is_413() {
    let app = spawn_app_with(|s| s.uploads.max_bytes = 1000).await;
    let s = app.sign_in("w-big").await;
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(5000, b'x');
    let res = app.upload("/api/v1/files", &s.access, big, "big.pdf").await;
    assert_error(res, 413, "payload_too_large").await;
}

#[tokio::test]
async fn replies_nobody_rates_are_closed_unrated_and_never_count_as_satisfied() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, id, "sign", json!({})).await;
    ok(&app, &w.handler_a, id, "reply", json!({"content": "答复"})).await;
    assert_eq!(
        api::jobs::auto_close::run_once(&app.state, Utc::now()).await.unwrap(),
        (0, 0)
    );
    // Two days before it closes, the submitter is reminded to rate, once.
    let reminders = |notes: &Value| {
        notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "rate_reminder")
            .count()
    };
    for hours in [0, 5] {
        let at = Utc::now() + Duration::days(6) + Duration::hours(hours);
        assert_eq!(api::jobs::auto_close::run_once(&app.state, at).await.unwrap(), (1, 0));
    }
    let notes = app.get_json("/api/v1/notifications", Some(&w.member.access)).await;
    assert_eq!(reminders(&notes), 1, "{notes}");
    assert_eq!(
        api::jobs::auto_close::run_once(&app.state, Utc::now() + Duration::days(8))
            .await
            .unwrap(),
        (0, 1)
    );
    let d: Value = app
        .get_json(&format!("/api/v1/demands/{id}"), Some(&w.member.access))
        .await;
    assert_eq!(d["status"], "closed");
    assert!(d["rating"].is_null());
    let day = api::types::today();
    let stats: Value = app
        .get_json(
            &format!("/api/v1/stats/demands?from={day}&to={day}"),
            Some(&w.admin.access),
        )
        .await;
    assert_eq!(stats["total"]["closed"], 1);
    assert!(
        stats["total"]["satisfactionRate"].is_null(),
        "nothing rated: no rate, never 100%"
    );
}

/// The hot paths read the replica's copy of the calendar (`calendar::current`): an edit shows
/// at once on the replica that made it.
#[tokio::test]
async fn a_calendar_edit_shows_at_once_in_the_next_demands_deadline() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let due = |d: &Value| DateTime::parse_from_rfc3339(d["acceptDueAt"].as_str().unwrap()).unwrap();
    // Filing reads the calendar: the copy is taken now.
    let before = file_demand(&app, &w.member, false).await;
    let today = api::types::today();
    for n in 0..=30 {
        let res = app
            .request(
                reqwest::Method::PUT,
                &format!("/api/v1/calendar/{}", today + Duration::days(n)),
                Some(&w.admin.access),
                Some(&json!({"kind": "off", "name": "测试停工"})),
            )
            .await;
        assert_eq!(res.status(), 204);
    }
    let after = file_demand(&app, &w.member, false).await;
    assert!(
        due(&after) > due(&before) + Duration::days(25),
        "a month off moves the next deadline past it: {} then {}",
        due(&before),
        due(&after)
    );
}

#[tokio::test]
async fn admins_edit_the_calendar_and_an_entered_year_covers_the_coming_days() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let cal: Value = app.get_json("/api/v1/calendar", Some(&admin.access)).await;
    assert!(
        cal["days"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["date"] == "2026-10-10" && d["kind"] == "work")
    );
    let res = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/calendar/2027-01-01",
            Some(&admin.access),
            Some(&json!({"kind": "off", "name": "元旦"})),
        )
        .await;
    assert_eq!(res.status(), 204);
    // Whenever this runs: with a far year entered, the coming days are covered and nothing
    // warns (when the warning shows is the calendar's unit test, on fixed dates).
    let far = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/calendar/2099-01-01",
            Some(&admin.access),
            Some(&json!({"kind": "off", "name": "元旦"})),
        )
        .await;
    assert_eq!(far.status(), 204);
    let cal: Value = app.get_json("/api/v1/calendar", Some(&admin.access)).await;
    assert!(cal["warning"].is_null(), "{cal}");
    assert!(
        cal["days"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["date"] == "2027-01-01" && d["kind"] == "off")
    );
    let someone = app.sign_in("w-cal").await;
    let res = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/calendar/2027-01-02",
            Some(&someone.access),
            Some(&json!({"kind": "off"})),
        )
        .await;
    assert_error(res, 403, "forbidden").await;
    let res = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/calendar/2027-01-02",
            Some(&admin.access),
            Some(&json!({"kind": "party"})),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    let _ = spawn_app;
}

#[tokio::test]
async fn handlers_keep_reply_templates_for_their_own_unit() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let general = json!({"environment": "service", "title": "通用答复", "content": "您好，您反映的问题已收悉。"});
    let res = app
        .post("/api/v1/reply-templates", Some(&w.admin.access), &general)
        .await;
    assert_eq!(res.status(), 201);
    let own = json!({"unitId": w.unit_a, "title": "退税答复", "content": "退税已办结。"});
    assert_eq!(
        app.post("/api/v1/reply-templates", Some(&w.handler_a.access), &own)
            .await
            .status(),
        201
    );
    let foreign = json!({"unitId": w.unit_a, "title": "x", "content": "y"});
    assert_error(
        app.post("/api/v1/reply-templates", Some(&w.handler_b.access), &foreign)
            .await,
        403,
        "forbidden",
    )
    .await;
    let no_unit = json!({"title": "x", "content": "y"});
    assert_error(
        app.post("/api/v1/reply-templates", Some(&w.handler_b.access), &no_unit)
            .await,
        403,
        "forbidden",
    )
    .await;
    let for_a: Value = app
        .get_json("/api/v1/reply-templates?environment=service", Some(&w.handler_a.access))
        .await;
    assert_eq!(for_a.as_array().unwrap().len(), 2);
    let for_b: Value = app.get_json("/api/v1/reply-templates", Some(&w.handler_b.access)).await;
    assert_eq!(for_b.as_array().unwrap().len(), 1, "only the general one");
    app.get_error("/api/v1/reply-templates", Some(&w.member.access), 403, "forbidden")
        .await;
}

#[tokio::test]
async fn a_new_butler_takes_over_the_enterprises_open_demands() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    let successor = app.butler(&w.admin, "w-successor").await;
    let res = app
        .patch(
            &format!("/api/v1/enterprises/{}", w.enterprise),
            Some(&w.admin.access),
            &json!({"butlerId": successor.id()}),
        )
        .await;
    assert_eq!(res.status(), 200);
    ok(&app, &successor, id, "accept", json!({})).await;
    assert_error(
        act(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_rejected_demand_ends_with_the_reason_told_to_the_submitter() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    let d = ok(
        &app,
        &w.butler,
        id,
        "reject",
        json!({"reason": "属于司法诉讼事项，请通过法院途径解决"}),
    )
    .await;
    assert_eq!(d["status"], "rejected");
    assert!(d["closedAt"].is_string());
    assert_eq!(d["timeline"][1]["note"], "属于司法诉讼事项，请通过法院途径解决");
    let notes: Value = app.get_json("/api/v1/notifications", Some(&w.member.access)).await;
    assert_eq!(notes["items"][0]["kind"], "demand_rejected");
    assert!(notes["items"][0]["body"].as_str().unwrap().contains("司法诉讼"));
    // Final: nothing moves it any more, but a comment is still possible.
    assert_error(
        act(&app, &w.butler, id, "accept", json!({})).await,
        409,
        "invalid_transition",
    )
    .await;
    ok(&app, &w.member, id, "comment", json!({"content": "知道了，谢谢"})).await;
    // Marking notices read.
    let first = notes["items"][0]["id"].as_str().unwrap();
    assert_eq!(
        app.post(
            &format!("/api/v1/notifications/{first}/read"),
            Some(&w.member.access),
            &json!({})
        )
        .await
        .status(),
        204
    );
    let unread: Value = app
        .get_json("/api/v1/notifications?unread=true", Some(&w.member.access))
        .await;
    assert!(unread["items"].as_array().unwrap().iter().all(|n| n["id"] != first));
    assert_error(
        app.post(
            &format!("/api/v1/notifications/{first}/read"),
            Some(&w.butler.access),
            &json!({}),
        )
        .await,
        404,
        "notification_not_found",
    )
    .await;
}

/// Every move, in a state where it is allowed, refused (403) to every role that may not make
/// it on that demand, then made by one that may.
#[tokio::test]
async fn every_move_is_refused_to_every_role_that_may_not_make_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let other_butler = app.butler(&w.admin, "w-other-butler").await;
    let everyone = [
        ("member", &w.member),
        ("colleague", &w.colleague),
        ("other_member", &w.other_member),
        ("handler_a", &w.handler_a),
        ("handler_b", &w.handler_b),
        ("butler", &w.butler),
        ("other_butler", &other_butler),
        ("admin", &w.admin),
    ];
    let d = file_demand(&app, &w.member, false).await;
    let target = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap().to_owned();
    // (action, body, who may) in the order that walks the demand through its states.
    let steps: Vec<(&str, Value, &[&str])> = vec![
        ("supervise", json!({"note": "请尽快处理"}), &["butler", "admin"]),
        ("accept", json!({}), &["butler", "admin"]),
        ("assign", json!({"unitId": w.unit_a}), &["butler", "admin"]),
        ("extend", json!({"workingDays": 2, "reason": "核查"}), &["handler_a"]),
        ("approve-extension", json!({}), &["butler", "admin"]),
        ("sign", json!({}), &["handler_a"]),
        ("reply", json!({"content": "已办理"}), &["handler_a"]),
        ("rate", json!({"satisfied": true}), &["member"]),
        ("flag-unreasonable", json!({"reason": "审计测试"}), &["butler", "admin"]),
    ];
    for (action, body, allowed) in steps {
        for (name, who) in everyone {
            if allowed.contains(&name) {
                continue;
            }
            let res = act(&app, who, &id, action, body.clone()).await;
            assert_eq!(
                res.status(),
                403,
                "{name} must not {action}: {}",
                res.text().await.unwrap()
            );
        }
        let first_allowed = everyone.iter().find(|(n, _)| *n == allowed[0]).unwrap().1;
        ok(&app, first_allowed, &id, action, body).await;
    }
    // Merge and return, on fresh demands.
    let t = target["id"].as_str().unwrap();
    let dup = file_demand(&app, &w.member, false).await;
    for (name, who) in everyone.iter().filter(|(n, _)| !["butler", "admin"].contains(n)) {
        let res = act(&app, who, dup["id"].as_str().unwrap(), "merge", json!({"intoId": t})).await;
        assert_eq!(res.status(), 403, "{name} must not merge");
    }
    ok(&app, &w.butler, t, "accept", json!({})).await;
    ok(&app, &w.butler, t, "assign", json!({"unitId": w.unit_a})).await;
    for (name, who) in everyone.iter().filter(|(n, _)| *n != "handler_a") {
        let res = act(&app, who, t, "return", json!({"reason": "不属于本单位"})).await;
        assert_eq!(res.status(), 403, "{name} must not return");
    }
    ok(&app, &w.handler_a, t, "return", json!({"reason": "不属于本单位"})).await;
}

#[tokio::test]
async fn a_hotline_call_back_rating_counts_once_in_the_satisfaction_figure() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = tests::world::file_hotline_demand(&app, &w.butler, &w.enterprise).await;
    let id = d["id"].as_str().unwrap().to_owned();
    ok(&app, &w.butler, &id, "accept", json!({})).await;
    ok(&app, &w.butler, &id, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, &id, "sign", json!({})).await;
    // Before the reply there is nothing to rate.
    assert_error(
        act(&app, &w.butler, &id, "callback-rating", json!({"satisfied": true})).await,
        409,
        "invalid_transition",
    )
    .await;
    ok(&app, &w.handler_a, &id, "reply", json!({"content": "已安排上门勘察"})).await;
    // The handler and an enterprise member may not record the caller's rating.
    assert_error(
        act(&app, &w.handler_a, &id, "callback-rating", json!({"satisfied": true})).await,
        403,
        "forbidden",
    )
    .await;
    let rated = ok(
        &app,
        &w.butler,
        &id,
        "callback-rating",
        json!({"satisfied": true, "comment": "电话回访：满意"}),
    )
    .await;
    assert_eq!(rated["status"], "closed");
    assert_eq!(rated["rating"]["source"], "hotline");
    // A later rating, from any source, does not count again.
    assert_error(
        act(&app, &w.butler, &id, "callback-rating", json!({"satisfied": false})).await,
        409,
        "invalid_transition",
    )
    .await;
    // The caller filed by phone: no one in the mini-program rates it in their place.
    assert_error(
        act(&app, &w.member, &id, "rate", json!({"satisfied": false})).await,
        403,
        "forbidden",
    )
    .await;
    let day = api::types::today();
    let stats: Value = app
        .get_json(
            &format!("/api/v1/stats/demands?from={day}&to={day}"),
            Some(&w.admin.access),
        )
        .await;
    assert_eq!(stats["total"]["rated"], 1);
    assert_eq!(stats["total"]["satisfactionRate"], 1.0);
}

#[tokio::test]
async fn a_filter_on_who_is_behind_demands_never_singles_out_an_anonymous_one() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let d = file_demand(&app, &w.member, true).await;
    let id = d["id"].as_str().unwrap();
    let number = d["number"].as_str().unwrap().to_owned();
    ok(&app, &w.butler, id, "accept", json!({})).await;
    ok(&app, &w.butler, id, "assign", json!({"unitId": w.unit_a})).await;
    let name: Value = app
        .get_json(&format!("/api/v1/enterprises/{}", w.enterprise), Some(&w.admin.access))
        .await;
    let name = name["name"].as_str().unwrap().to_owned();
    let lists = |who: &Session, query: String| {
        let app = &app;
        let token = who.access.clone();
        async move {
            let res = app.get(&format!("/api/v1/demands{query}"), Some(&token)).await;
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    // The unit reads the demand (it handles it) but not who filed it...
    assert!(lists(&w.handler_a, String::new()).await.contains(&number));
    // ...so no filter on the enterprise may pick it out for the unit.
    for query in [
        format!("?enterpriseId={}", w.enterprise),
        format!("?q={}", urlencode(&name)),
        format!("?q={}", urlencode(&name.chars().take(4).collect::<String>())),
    ] {
        let body = lists(&w.handler_a, query.clone()).await;
        assert!(
            !body.contains(&number),
            "{query} singled out the anonymous demand: {body}"
        );
    }
    // Those who may see who filed it find it by its enterprise.
    for who in [&w.butler, &w.admin, &w.member] {
        let body = lists(who, format!("?enterpriseId={}", w.enterprise)).await;
        assert!(body.contains(&number), "{body}");
    }
    let body = lists(&w.butler, format!("?q={}", urlencode(&name))).await;
    assert!(body.contains(&number), "{body}");
}

#[tokio::test]
async fn a_typed_percent_sign_or_underscore_is_literal_in_searches() {
    let app = spawn_app().await;
    let w = world(&app).await;
    file_demand(&app, &w.member, false).await;
    let res = app
        .post(
            "/api/v1/demands",
            Some(&w.member.access),
            &json!({"kind": "demand", "environment": "policy", "title": "补贴比例50%何时到账", "content": "按50%补贴"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    for (q, expected) in [("%", 1), ("_", 0), ("50%", 1), ("退税", 1)] {
        let page: Value = app
            .get_json(&format!("/api/v1/demands?q={}", urlencode(q)), Some(&w.admin.access))
            .await;
        assert_eq!(page["items"].as_array().unwrap().len(), expected, "q={q}");
    }
    let page: Value = app.get_json("/api/v1/enterprises?q=%25", Some(&w.admin.access)).await;
    assert_eq!(page["items"], json!([]));
}

async fn subscribe(app: &TestApp, who: &Session, ids: Value) -> reqwest::Response {
    app.post(
        "/api/v1/me/subscriptions",
        Some(&who.access),
        &json!({ "accepted": ids }),
    )
    .await
}

fn template(id: &str) -> Option<api::settings::SubscribeTemplate> {
    Some(api::settings::SubscribeTemplate {
        template_id: id.into(),
        ..subscribe_template()
    })
}

#[tokio::test]
async fn each_purpose_has_its_template_staff_subscribe_to_new_work_and_nobody_spends_anothers() {
    let app = spawn_app_with(|s| {
        s.wechat.demand_template = Some(subscribe_template());
        s.wechat.templates.demand_accepted = template("tmpl-accepted");
        s.wechat.templates.demand_replied = template("tmpl-replied");
        s.wechat.templates.work_new = template("tmpl-work-new");
        s.wechat.templates.work_overdue = template("tmpl-work-overdue");
    })
    .await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})))
        .mount(&app.wechat)
        .await;
    let w = world(&app).await;
    // A member asks for 受理, 答复 and 评价提醒 in one prompt (the reminder falls back to the
    // demand template); the staff purposes are not theirs.
    let state: Value = subscribe(
        &app,
        &w.member,
        json!(["tmpl-accepted", "tmpl-replied", "tmpl-progress"]),
    )
    .await
    .json()
    .await
    .unwrap();
    let kinds: Vec<(&str, &str, u64)> = state["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["kind"].as_str().unwrap(),
                t["templateId"].as_str().unwrap(),
                t["credits"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("demand_accepted", "tmpl-accepted", 1),
            ("demand_replied", "tmpl-replied", 1),
            ("rate_reminder", "tmpl-progress", 1),
        ]
    );
    assert_error(
        subscribe(&app, &w.member, json!(["tmpl-work-new"])).await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        subscribe(
            &app,
            &w.member,
            json!(["tmpl-accepted", "tmpl-replied", "tmpl-progress", "tmpl-accepted"]),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    // The butler subscribes to new work and overdue work.
    let staff: Value = subscribe(&app, &w.butler, json!(["tmpl-work-new"]))
        .await
        .json()
        .await
        .unwrap();
    let staff_kinds: Vec<&str> = staff["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert!(
        staff_kinds.contains(&"work_new") && staff_kinds.contains(&"work_overdue"),
        "{staff}"
    );

    // Filing tells the butler of new work, by subscribe message; accepting tells the member
    // with the 受理 template.
    let d = file_demand(&app, &w.member, false).await;
    let id = d["id"].as_str().unwrap();
    let notes = app.get_json("/api/v1/notifications", Some(&w.butler.access)).await;
    assert_eq!(notes["items"][0]["kind"], "work_new");
    ok(&app, &w.butler, id, "accept", json!({})).await;
    api::jobs::deliver::run_once(&app.state, Utc::now()).await.unwrap();
    let sent: Vec<(String, String)> = app
        .wechat
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/cgi-bin/message/subscribe/send")
        .map(|r| {
            let b: Value = serde_json::from_slice(&r.body).unwrap();
            (
                b["touser"].as_str().unwrap().to_owned(),
                b["template_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            ("w-butler".to_owned(), "tmpl-work-new".to_owned()),
            ("w-member".to_owned(), "tmpl-accepted".to_owned())
        ]
    );
    let member = w.member.id().parse().unwrap();
    let left = |t: &'static str| api::service::notify::unspent_credits(&app.db, member, t);
    assert_eq!(
        (
            left("tmpl-accepted").await.unwrap(),
            left("tmpl-replied").await.unwrap()
        ),
        (0, 1)
    );
}

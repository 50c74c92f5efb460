//! On-site inspections (服务型执法): registered by a unit's handler before entering, seen and
//! rated by the enterprise's members (a complaint becomes a demand), counted by unit and quarter
//! with the enterprises inspected too often flagged (无事不扰).
use chrono::Duration;
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_error, spawn_app};

use tests::world::world;

fn day(offset: i64) -> String {
    (api::types::today() + Duration::days(offset)).to_string()
}

fn inspection(enterprise: &str, units: &[&str], on: &str) -> Value {
    json!({"enterpriseId": enterprise, "unitIds": units, "inspectors": "张三（执法证 3702001）、李四（执法证 3702002）",
        "purpose": "食品安全日常监督检查", "legalBasis": "《食品安全法》第一百一十条", "inspectedOn": on})
}

async fn register(app: &TestApp, who: &Session, body: Value) -> Value {
    let res = app.post("/api/v1/inspections", Some(&who.access), &body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn rate(app: &TestApp, who: &Session, id: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/inspections/{id}/rating"), Some(&who.access), &body)
        .await
}

#[tokio::test]
async fn the_enterprise_sees_who_inspects_it_why_and_on_what_basis_and_a_complaint_becomes_a_demand() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // A joint inspection (综合查一次) of the tax office and customs, registered by the tax handler.
    let joint = register(
        &app,
        &w.handler_a,
        inspection(&w.enterprise, &[&w.unit_a, &w.unit_b], &day(0)),
    )
    .await;
    let id = joint["id"].as_str().unwrap().to_owned();
    assert_eq!(joint["joint"], true);
    assert_eq!(joint["units"][1]["name"], "海关");

    // The enterprise's member sees it; another enterprise's does not.
    let mine = app.get_json("/api/v1/inspections", Some(&w.member.access)).await;
    assert_eq!(mine["items"][0]["id"], id.as_str());
    let one = app
        .get_json(&format!("/api/v1/inspections/{id}"), Some(&w.member.access))
        .await;
    assert_eq!(one["legalBasis"], "《食品安全法》第一百一十条");
    assert!(one["inspectors"].as_str().unwrap().contains("执法证"));
    let theirs = app.get_json("/api/v1/inspections", Some(&w.other_member.access)).await;
    assert_eq!(theirs["items"], json!([]));
    let path = format!("/api/v1/inspections/{id}");
    assert_eq!(app.get(&path, Some(&w.other_member.access)).await.status(), 403);
    // Both units' handlers and the enterprise's butler read it.
    for who in [&w.handler_b, &w.butler, &w.admin] {
        assert_eq!(app.get(&path, Some(&who.access)).await.status(), 200);
    }
    let customs = app.get_json("/api/v1/inspections", Some(&w.handler_b.access)).await;
    assert_eq!(customs["items"].as_array().unwrap().len(), 1);

    // Rated once per person: 规范.
    let res = rate(
        &app,
        &w.member,
        &id,
        json!({"proper": true, "comment": "出示了证件，流程规范"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    assert_error(
        rate(&app, &w.member, &id, json!({"proper": true})).await,
        409,
        "already_rated",
    )
    .await;
    // A complaint must say what happened, and becomes a demand of the enterprise.
    let res = rate(&app, &w.colleague, &id, json!({"proper": false, "complaint": true})).await;
    assert_error(res, 422, "validation_failed").await;
    let res = rate(
        &app,
        &w.colleague,
        &id,
        json!({"proper": false, "complaint": true, "comment": "检查持续一整天，影响正常生产。"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let rating: Value = res.json().await.unwrap();
    let demand = app
        .get_json(
            &format!("/api/v1/demands/{}", rating["demandId"].as_str().unwrap()),
            Some(&w.butler.access),
        )
        .await;
    assert_eq!(demand["channel"], "inspection");
    assert_eq!(demand["environment"], "legal");
    assert_eq!(demand["enterprise"]["id"], w.enterprise.as_str());
    assert_eq!(demand["content"], "检查持续一整天，影响正常生产。");
    let one = app.get_json(&path, Some(&w.admin.access)).await;
    assert_eq!(
        (one["ratedProper"].as_u64(), one["ratedImproper"].as_u64()),
        (Some(1), Some(1))
    );
    // Not another enterprise's member's, nor a handler's, to rate.
    for who in [&w.other_member, &w.handler_a] {
        assert_eq!(rate(&app, who, &id, json!({"proper": true})).await.status(), 403);
    }
    // An inspection of tomorrow is rated after it.
    let tomorrow = register(&app, &w.handler_a, inspection(&w.enterprise, &[&w.unit_a], &day(1))).await;
    let res = rate(
        &app,
        &w.member,
        tomorrow["id"].as_str().unwrap(),
        json!({"proper": true}),
    )
    .await;
    assert_error(res, 409, "not_yet_inspected").await;

    // Only for one's own unit, before entering, with real units.
    let res = app
        .post(
            "/api/v1/inspections",
            Some(&w.handler_b.access),
            &inspection(&w.enterprise, &[&w.unit_a], &day(0)),
        )
        .await;
    assert_error(res, 403, "not_your_unit").await;
    for (body, field) in [
        (inspection(&w.enterprise, &[&w.unit_a], &day(-1)), "inspectedOn"),
        (inspection(&w.enterprise, &[&w.unit_a], &day(31)), "inspectedOn"),
        (
            inspection(&w.enterprise, &[&w.unit_a, &w.unit_a], &day(0)),
            "unitIds[1]",
        ),
        (inspection(&w.enterprise, &["999999"], &day(0)), "unitIds[0]"),
        (inspection(&w.enterprise, &[], &day(0)), "unitIds"),
        (inspection("999999", &[&w.unit_a], &day(0)), "enterpriseId"),
    ] {
        let res = app.post("/api/v1/inspections", Some(&w.handler_a.access), &body).await;
        let err = assert_error(res, 422, "validation_failed").await;
        assert_eq!(err["fields"][0]["field"], field, "{err}");
    }
    for who in [&w.butler, &w.member] {
        let res = app
            .post(
                "/api/v1/inspections",
                Some(&who.access),
                &inspection(&w.enterprise, &[&w.unit_a], &day(0)),
            )
            .await;
        assert_eq!(res.status(), 403);
    }
}

#[tokio::test]
async fn an_enterprise_inspected_four_times_in_a_quarter_is_flagged() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let other = app.create_enterprise(&w.admin, 720, None).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Four inspections of the world's enterprise today (one joint), three of the other.
    register(
        &app,
        &w.handler_a,
        inspection(&w.enterprise, &[&w.unit_a, &w.unit_b], &day(0)),
    )
    .await;
    for _ in 0..3 {
        register(&app, &w.handler_a, inspection(&w.enterprise, &[&w.unit_a], &day(0))).await;
        register(&app, &w.handler_b, inspection(&other, &[&w.unit_b], &day(0))).await;
    }
    let today = day(0);
    let figures = app
        .get_json(
            &format!("/api/v1/dashboard/inspections?from={today}&to={today}"),
            Some(&w.admin.access),
        )
        .await;
    assert_eq!(figures["quarterLimit"], 3);
    let flagged = figures["flagged"].as_array().unwrap();
    assert_eq!(flagged.len(), 1, "{figures}");
    assert_eq!(flagged[0]["enterpriseId"], w.enterprise.as_str());
    assert_eq!(flagged[0]["inspections"], 4);
    let quarter = api::domain::inspection::Quarter::of(api::types::today()).label();
    assert_eq!(flagged[0]["quarter"], quarter.as_str());
    let row = |unit: &str| {
        figures["byUnit"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["unitId"] == unit)
            .unwrap()
            .clone()
    };
    let tax = row(&w.unit_a);
    assert_eq!((tax["inspections"].as_u64(), tax["joint"].as_u64()), (Some(4), Some(1)));
    assert_eq!(tax["jointShare"], 0.25);
    let customs = row(&w.unit_b);
    assert_eq!(
        (customs["inspections"].as_u64(), customs["joint"].as_u64()),
        (Some(4), Some(1))
    );
    app.get_error(
        "/api/v1/dashboard/inspections",
        Some(&w.handler_a.access),
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn officers_and_media_observers_invited_to_an_inspection_see_it_and_file_what_they_observed() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut observers = Vec::new();
    for (openid, role) in [
        ("i-officer", "officer"),
        ("i-media", "media"),
        ("i-uninvited", "officer"),
    ] {
        let s = app.sign_in(openid).await;
        app.grant(&w.admin, &s.id(), json!({"role": role, "termEnds": "2030-12-31"}))
            .await;
        observers.push(s);
    }
    let [officer, media, uninvited] = &observers[..] else {
        unreachable!()
    };
    let i = register(&app, &w.handler_a, inspection(&w.enterprise, &[&w.unit_a], &day(0))).await;
    let id = i["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/inspections/{id}");

    // Only officers and media observers are invited, by the inspection's units or admins.
    let invite = |who: &Session, users: Value| {
        let (app, token, path) = (&app, who.access.clone(), format!("{path}/invites"));
        async move { app.post(&path, Some(&token), &json!({"userIds": users})).await }
    };
    let res = invite(&w.handler_a, json!([officer.id(), w.member.id()])).await;
    let err = assert_error(res, 422, "validation_failed").await;
    assert_eq!(err["fields"][0]["field"], "userIds[1]");
    assert_eq!(err["fields"][0]["code"], "not_observer");
    assert_eq!(invite(&w.handler_b, json!([officer.id()])).await.status(), 403);
    let res = invite(&w.handler_a, json!([officer.id(), media.id()])).await;
    assert_eq!(res.status(), 200);
    // Inviting again changes nothing.
    assert_eq!(invite(&w.handler_a, json!([officer.id()])).await.status(), 200);

    // The invited see it, in their list too; others do not.
    assert_eq!(app.get(&path, Some(&officer.access)).await.status(), 200);
    let listed = app.get_json("/api/v1/inspections", Some(&media.access)).await;
    assert_eq!(listed["items"][0]["id"], id.as_str());
    assert_eq!(app.get(&path, Some(&uninvited.access)).await.status(), 403);
    let none = app.get_json("/api/v1/inspections", Some(&uninvited.access)).await;
    assert_eq!(none["items"], json!([]));

    // Each files what they observed, once.
    let observe = |who: &Session, text: &str| {
        let (app, token, path, body) = (
            &app,
            who.access.clone(),
            format!("{path}/observations"),
            json!({"observation": text}),
        );
        async move { app.post(&path, Some(&token), &body).await }
    };
    let res = observe(officer, "检查人员出示证件，全程规范，未影响生产。").await;
    assert_eq!(res.status(), 200);
    let seen: Value = res.json().await.unwrap();
    let mine = seen["observers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["userId"] == officer.id().as_str())
        .unwrap()
        .clone();
    assert_eq!(mine["observation"], "检查人员出示证件，全程规范，未影响生产。");
    assert_error(observe(officer, "再补充一句").await, 409, "already_observed").await;
    assert_eq!(observe(uninvited, "未受邀").await.status(), 403);
    assert_error(observe(media, "  ").await, 422, "validation_failed").await;
    // The enterprise reads the observations with the inspection.
    let read = app.get_json(&path, Some(&w.member.access)).await;
    assert_eq!(read["observers"].as_array().unwrap().len(), 2);
}

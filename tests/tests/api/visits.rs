//! Butler visits by enterprise class (三上门): a visit's explained policies count as understood,
//! its needs become demands; a butler's due list follows each tier's interval, which admins
//! set; coverage by class and butler.
use chrono::Duration;
use serde_json::{Value, json};
use tests::{TestApp, assert_error, spawn_app};

use tests::world::{created, world};

async fn published_policy(app: &TestApp, admin: &tests::Session, title: &str) -> String {
    let policy =
        json!({"title": title, "issuer": "人社局", "explainer": crate::policies::explainer("区内企业", "补贴")});
    let id = created(app, admin, "/api/v1/policies", policy).await;
    let res = app
        .post(
            &format!("/api/v1/policies/{id}/publish"),
            Some(&admin.access),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    id
}

async fn visit(app: &TestApp, who: &tests::Session, enterprise: &str, body: Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/enterprises/{enterprise}/visits"),
        Some(&who.access),
        &body,
    )
    .await
}

fn days_ago(n: i64) -> String {
    (api::types::today() - Duration::days(n)).to_string()
}

#[tokio::test]
async fn a_visit_that_explains_a_policy_raises_its_understood_count_and_its_needs_become_demands() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let policy = published_policy(&app, &w.admin, "稳岗补贴").await;
    let reach = format!("/api/v1/policies/{policy}/reach");
    let before = app.get_json(&reach, Some(&w.admin.access)).await;
    assert_eq!(before["understood"], 0);

    let body = json!({"kind": "policy", "visitedOn": days_ago(1), "peopleMet": "王总、人事主管",
        "policyIds": [policy], "notes": "讲解稳岗补贴申报流程",
        "needs": [{"environment": "factor", "title": "招工难", "content": "希望对接职业院校招聘普工。"}]});
    let res = visit(&app, &w.butler, &w.enterprise, body.clone()).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["kindLabel"], "政策上门");
    // Both of the enterprise's members count as having understood it.
    let after = app.get_json(&reach, Some(&w.admin.access)).await;
    assert_eq!(after["understood"], 2, "{after}");
    assert_eq!(after["read"], 2);
    // The need is a demand of the enterprise on channel `visit`, served by its butler.
    let demand_id = v["demandIds"][0].as_str().unwrap();
    let d = app
        .get_json(&format!("/api/v1/demands/{demand_id}"), Some(&w.butler.access))
        .await;
    assert_eq!(d["channel"], "visit");
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["enterprise"]["id"], w.enterprise.as_str());
    assert_eq!(d["title"], "招工难");
    // Its members see it among their enterprise's visits.
    let visits = app
        .get_json(
            &format!("/api/v1/enterprises/{}/visits", w.enterprise),
            Some(&w.member.access),
        )
        .await;
    assert_eq!(visits[0]["policyIds"], json!([policy]));

    // The same policy explained again is understood once.
    let again = json!({"kind": "care", "visitedOn": days_ago(0), "peopleMet": "王总", "policyIds": [policy]});
    assert_eq!(visit(&app, &w.butler, &w.enterprise, again).await.status(), 201);
    assert_eq!(app.get_json(&reach, Some(&w.admin.access)).await["understood"], 2);

    // Not another butler's, a handler's or a member's to record.
    let other = app.butler(&w.admin, "v-other-butler").await;
    for who in [&other, &w.handler_a, &w.member] {
        assert_eq!(visit(&app, who, &w.enterprise, body.clone()).await.status(), 403);
    }
    let res = app
        .get(
            &format!("/api/v1/enterprises/{}/visits", w.enterprise),
            Some(&w.other_member.access),
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_error(
        visit(&app, &w.butler, "999999", body.clone()).await,
        404,
        "enterprise_not_found",
    )
    .await;

    // Bad input: a draft policy, a missing one, the same one twice, a future date, no one met.
    let draft = created(
        &app,
        &w.admin,
        "/api/v1/policies",
        json!({"title": "草稿", "issuer": "人社局", "explainer": crate::policies::explainer("区内企业", "补贴")}),
    )
    .await;
    for (body, field, code) in [
        (
            json!({"kind": "policy", "visitedOn": days_ago(0), "peopleMet": "王总", "policyIds": [draft]}),
            "policyIds[0]",
            "not_published",
        ),
        (
            json!({"kind": "policy", "visitedOn": days_ago(0), "peopleMet": "王总", "policyIds": ["999999"]}),
            "policyIds[0]",
            "not_found",
        ),
        (
            json!({"kind": "policy", "visitedOn": days_ago(0), "peopleMet": "王总", "policyIds": [policy, policy]}),
            "policyIds[1]",
            "duplicate",
        ),
        (
            json!({"kind": "care", "visitedOn": days_ago(-1), "peopleMet": "王总"}),
            "visitedOn",
            "in_future",
        ),
        (
            json!({"kind": "care", "visitedOn": days_ago(0), "peopleMet": "  "}),
            "peopleMet",
            "required",
        ),
    ] {
        let err = assert_error(
            visit(&app, &w.butler, &w.enterprise, body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(err["fields"][0]["field"], field, "{err}");
        assert_eq!(err["fields"][0]["code"], code, "{err}");
    }
    // Nothing of a refused visit was kept.
    let visits = app
        .get_json(
            &format!("/api/v1/enterprises/{}/visits", w.enterprise),
            Some(&w.butler.access),
        )
        .await;
    assert_eq!(visits.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_butler_sees_what_is_due_by_class_and_admins_set_the_intervals_and_see_coverage() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let butler = w.butler.id();
    let key = app
        .create_enterprise_with(&w.admin, 710, json!({"butlerId": butler, "serviceTier": "key"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let general = app
        .create_enterprise_with(&w.admin, 711, json!({"butlerId": butler, "serviceTier": "general"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let due = |who: &tests::Session| {
        let (app, token) = (&app, who.access.clone());
        async move {
            let list = app.get_json("/api/v1/visits/due", Some(&token)).await;
            list.as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["enterpriseId"].as_str().unwrap().to_owned(),
                        d["daysOverdue"].as_i64().unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    // Never visited: all three of the butler's enterprises are due today.
    let mut first = due(&w.butler).await;
    first.sort();
    let mut expected = vec![(w.enterprise.clone(), 0), (key.clone(), 0), (general.clone(), 0)];
    expected.sort();
    assert_eq!(first, expected);

    // Visited 40 days ago: the key enterprise (every 30 days) is 10 days overdue; the general
    // one (every 90) is not due; the world's enterprise, visited today, neither.
    for (e, day) in [(&key, 40), (&general, 40), (&w.enterprise, 0)] {
        let body = json!({"kind": "advice", "visitedOn": days_ago(day), "peopleMet": "总经理"});
        assert_eq!(visit(&app, &w.butler, e, body).await.status(), 201);
    }
    assert_eq!(due(&w.butler).await, [(key.clone(), 10)]);
    // Another butler has nothing due; admins see every served enterprise.
    let other = app.butler(&w.admin, "v-other-butler").await;
    assert_eq!(due(&other).await, []);
    assert_eq!(due(&w.admin).await, [(key.clone(), 10)]);

    // Admins make general enterprises monthly: the general one is 10 days overdue too.
    let res = app
        .put(
            "/api/v1/visit-intervals/general",
            Some(&w.admin.access),
            &json!({"days": 30}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let intervals: Value = res.json().await.unwrap();
    let days: Vec<(String, i64)> = intervals
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["tier"].as_str().unwrap().to_owned(), i["days"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        days,
        [("key".into(), 30), ("growth".into(), 60), ("general".into(), 30)]
    );
    let mut now_due = due(&w.butler).await;
    now_due.sort();
    let mut expected = vec![(key.clone(), 10), (general.clone(), 10)];
    expected.sort();
    assert_eq!(now_due, expected);
    for (path, body, status) in [
        ("/api/v1/visit-intervals/key", json!({"days": 0}), 422),
        ("/api/v1/visit-intervals/gold", json!({"days": 30}), 404),
    ] {
        assert_eq!(
            app.put(path, Some(&w.admin.access), &body).await.status(),
            status,
            "{path}"
        );
    }
    let res = app
        .put(
            "/api/v1/visit-intervals/key",
            Some(&w.butler.access),
            &json!({"days": 7}),
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.get("/api/v1/visits/due", Some(&w.handler_a.access)).await.status(),
        403
    );

    // Coverage of the last 60 days: by class and by butler.
    let cov = app
        .get_json(
            &format!("/api/v1/dashboard/visits?from={}&to={}", days_ago(60), days_ago(0)),
            Some(&w.admin.access),
        )
        .await;
    let tier = |code: &str| {
        cov["byTier"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (tier("key")["enterprises"].as_u64(), tier("key")["visited"].as_u64()),
        (Some(1), Some(1))
    );
    // The world's two enterprises are general by default, with the one created here.
    let g = tier("general");
    assert_eq!(
        (g["enterprises"].as_u64(), g["visited"].as_u64(), g["visits"].as_u64()),
        (Some(3), Some(2), Some(2))
    );
    let mine = cov["byButler"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == butler.as_str())
        .unwrap();
    assert_eq!(
        (mine["enterprises"].as_u64(), mine["visited"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(mine["coverage"], 1.0);
    // The last ten days: only today's visit.
    let recent = app
        .get_json(
            &format!("/api/v1/dashboard/visits?from={}&to={}", days_ago(10), days_ago(0)),
            Some(&w.admin.access),
        )
        .await;
    let mine = recent["byButler"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == butler.as_str())
        .unwrap();
    assert_eq!(mine["visited"], 1);
}

#[tokio::test]
async fn the_registry_import_sets_each_enterprise_s_class() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let sheet = format!(
        "企业名称,统一社会信用代码,行业代码,企业规模,成立日期,服务等级\n\
         星河软件有限公司,{},I6513,小型,2019-03-05,重点\n\
         蓝海物流有限公司,{},G5439,中型,2018-06-01,\n",
        tests::uscc(730),
        tests::uscc(731)
    );
    let res = app
        .upload(
            "/api/v1/enterprises/import",
            &admin.access,
            sheet.into_bytes(),
            "名录.csv",
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let page = app.get_json("/api/v1/enterprises?limit=100", Some(&admin.access)).await;
    let tier_of = |name: &str| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap()["serviceTier"]
            .clone()
    };
    assert_eq!(tier_of("星河软件有限公司"), "key");
    assert_eq!(tier_of("蓝海物流有限公司"), "general");
    let bad = format!(
        "企业名称,统一社会信用代码,行业代码,企业规模,成立日期,服务等级\n甲公司,{},I6513,小型,2019-03-05,金牌\n",
        tests::uscc(732)
    );
    let res = app
        .upload(
            "/api/v1/enterprises/import?dryRun=true",
            &admin.access,
            bad.into_bytes(),
            "名录.csv",
        )
        .await;
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["errors"][0]["code"], "invalid_tier", "{report}");
}

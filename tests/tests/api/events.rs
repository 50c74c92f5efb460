//! Events and the complaint day, end to end.
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_error, spawn_app};

use tests::world::{event_move, ok, world};

async fn complaint_day(app: &TestApp, admin: &Session, invited: &[&str]) -> String {
    let body = json!({
        "kind": "complaint_day", "title": "第一期企业家吐槽日", "theme": "政策服务",
        "opensAt": (Utc::now() + Duration::hours(1)).to_rfc3339(),
        "closesAt": (Utc::now() + Duration::days(1)).to_rfc3339(),
        "audienceRoles": ["officer"], "invitedEnterpriseIds": invited,
    });
    let res = app.post("/api/v1/events", Some(&admin.access), &body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_complaint_day_runs_from_post_to_official_reply_and_summary() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let event = complaint_day(&app, &w.admin, &[&w.enterprise]).await;
    // Drafts are invisible to the audience.
    app.get_error(
        &format!("/api/v1/events/{event}"),
        Some(&w.member.access),
        404,
        "event_not_found",
    )
    .await;
    // The invited enterprise's group chat hears of it through its robot; another group does not.
    let group = |name: &'static str, key: &'static str, enterprise: Option<String>| {
        let body =
            json!({"name": name, "webhookKey": key, "enterpriseIds": enterprise.into_iter().collect::<Vec<_>>()});
        let (app, admin) = (&app, &w.admin);
        async move {
            let res = app.post("/api/v1/bot/groups", Some(&admin.access), &body).await;
            assert_eq!(res.status(), 201);
        }
    };
    group("受邀企业群", "invited-key", Some(w.enterprise.clone())).await;
    group("其他企业群", "other-key", None).await;
    wiremock::Mock::given(wiremock::matchers::path("/cgi-bin/webhook/send"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({"errcode": 0})))
        .mount(&app.wechat)
        .await;
    let published = event_move(&app, &w.admin, &event, "publish").await;
    assert_eq!(published["status"], "published");
    let pushed = api::jobs::webhooks::run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!(pushed.sent, 1, "{pushed:?}");
    let calls = app.wechat.received_requests().await.unwrap_or_default();
    let hook = calls.iter().find(|r| r.url.path() == "/cgi-bin/webhook/send").unwrap();
    assert!(hook.url.query().unwrap().contains("invited-key"));
    assert!(String::from_utf8_lossy(&hook.body).contains("第一期企业家吐槽日"));
    // Publishing told the audience.
    let notes: Value = app.get_json("/api/v1/notifications", Some(&w.member.access)).await;
    assert_eq!(notes["items"][0]["kind"], "event_published");
    // Not open yet: posting is refused; the scheduler opens it at its time.
    let post = json!({"content": "出口退税办理太慢，材料反复提交", "environment": "service", "anonymous": false});
    assert_error(
        app.post(
            &format!("/api/v1/events/{event}/complaints"),
            Some(&w.member.access),
            &post,
        )
        .await,
        409,
        "event_not_open",
    )
    .await;
    let (opened, _) = api::service::events::run_schedule(&app.db, Utc::now() + Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(opened, 1);

    let res = app
        .post(
            &format!("/api/v1/events/{event}/complaints"),
            Some(&w.member.access),
            &post,
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let c: Value = res.json().await.unwrap();
    let cid = c["id"].as_str().unwrap().to_owned();
    let demand_id = c["official"]["demandId"].as_str().unwrap().to_owned();
    let anon = json!({"content": "报关窗口排队时间太长，出口退税也慢", "environment": "market", "anonymous": true});
    let res = app
        .post(
            &format!("/api/v1/events/{event}/complaints"),
            Some(&w.colleague.access),
            &anon,
        )
        .await;
    let anon_c: Value = res.json().await.unwrap();
    assert!(anon_c["enterpriseName"].is_null() || anon_c["mine"] == true);

    // Every complaint became a demand with the channel and origin of the complaint day.
    let d: Value = app
        .get_json(&format!("/api/v1/demands/{demand_id}"), Some(&w.butler.access))
        .await;
    assert_eq!(d["channel"], "complaint_day");
    assert_eq!(d["kind"], "problem");
    assert_eq!(d["enterprise"]["id"], w.enterprise.as_str());
    let origin: (String, String) = {
        use sea_orm::ConnectionTrait;
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                format!("SELECT origin_type, origin_id FROM demands WHERE id = {demand_id}"),
            ))
            .await
            .unwrap()
            .unwrap();
        (
            row.try_get("", "origin_type").unwrap(),
            row.try_get("", "origin_id").unwrap(),
        )
    };
    assert_eq!(origin, ("complaint".to_owned(), cid.clone()));

    // 同感: once per person, never on one's own post.
    for _ in 0..2 {
        let res = app
            .post(
                &format!("/api/v1/complaints/{cid}/metoo"),
                Some(&w.colleague.access),
                &json!({}),
            )
            .await;
        assert_eq!(res.json::<Value>().await.unwrap()["metooCount"], 1);
    }
    assert_error(
        app.post(
            &format!("/api/v1/complaints/{cid}/metoo"),
            Some(&w.member.access),
            &json!({}),
        )
        .await,
        409,
        "own_complaint",
    )
    .await;
    let officer = app.sign_in("e-officer").await;
    app.grant(
        &w.admin,
        &officer.id(),
        json!({"role": "officer", "termEnds": "2030-12-31"}),
    )
    .await;
    let res = app
        .post(
            &format!("/api/v1/complaints/{cid}/metoo"),
            Some(&officer.access),
            &json!({}),
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["metooCount"], 2);

    // The wall: most 同感 first; the anonymous post shows no enterprise to others.
    let wall: Value = app
        .get_json(
            &format!("/api/v1/events/{event}/complaints?sort=metoo"),
            Some(&officer.access),
        )
        .await;
    assert_eq!(wall["items"][0]["id"], cid.as_str());
    assert_eq!(wall["items"][0]["metooCount"], 2);
    assert_eq!(wall["items"][0]["metooByMe"], true);
    let anon_on_wall = wall["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["anonymous"] == true)
        .unwrap();
    assert!(anon_on_wall["enterpriseName"].is_null());

    // The demand is answered; the reply shows on the wall next to the post.
    ok(&app, &w.butler, &demand_id, "accept", json!({})).await;
    ok(&app, &w.butler, &demand_id, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, &demand_id, "sign", json!({})).await;
    ok(
        &app,
        &w.handler_a,
        &demand_id,
        "reply",
        json!({"content": "已开通出口退税绿色通道，材料一次提交"}),
    )
    .await;
    ok(&app, &w.member, &demand_id, "rate", json!({"satisfied": true})).await;
    let wall: Value = app
        .get_json(&format!("/api/v1/events/{event}/complaints"), Some(&officer.access))
        .await;
    let mine = wall["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == cid.as_str())
        .unwrap();
    assert_eq!(mine["official"]["reply"], "已开通出口退税绿色通道，材料一次提交");
    assert_eq!(mine["official"]["unitName"], "税务局");

    // Staff hide what breaks the rules: gone from the wall, kept in the record.
    let hide = app
        .post(
            &format!("/api/v1/complaints/{}/hide", anon_c["id"].as_str().unwrap()),
            Some(&w.butler.access),
            &json!({"reason": "含有不实信息"}),
        )
        .await;
    assert_eq!(hide.status(), 200);
    assert_error(
        app.post(
            &format!("/api/v1/complaints/{cid}/hide"),
            Some(&w.member.access),
            &json!({"reason": "x"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let wall: Value = app
        .get_json(&format!("/api/v1/events/{event}/complaints"), Some(&officer.access))
        .await;
    assert_eq!(wall["items"].as_array().unwrap().len(), 1);
    let staff_wall: Value = app
        .get_json(&format!("/api/v1/events/{event}/complaints"), Some(&w.admin.access))
        .await;
    assert_eq!(staff_wall["items"].as_array().unwrap().len(), 2);

    // After closing: the summary.
    app.get_error(
        &format!("/api/v1/events/{event}/summary"),
        Some(&w.member.access),
        409,
        "event_not_closed",
    )
    .await;
    let (_, closed) = api::service::events::run_schedule(&app.db, Utc::now() + Duration::days(2))
        .await
        .unwrap();
    assert_eq!(closed, 1);
    let s: Value = app
        .get_json(&format!("/api/v1/events/{event}/summary"), Some(&w.member.access))
        .await;
    assert_eq!(
        (
            s["complaints"].as_u64(),
            s["participants"].as_u64(),
            s["hidden"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(
        (s["demandsClosed"].as_u64(), s["demandsSatisfied"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(
        s["topTopics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["word"].as_str().unwrap().contains("退税")),
        "{s}"
    );
    assert_error(
        app.post(
            &format!("/api/v1/events/{event}/complaints"),
            Some(&w.member.access),
            &post,
        )
        .await,
        409,
        "event_not_open",
    )
    .await;
}

#[tokio::test]
async fn someone_outside_the_audience_gets_404_for_the_event() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let event = complaint_day(&app, &w.admin, &[&w.enterprise]).await;
    event_move(&app, &w.admin, &event, "publish").await;
    event_move(&app, &w.admin, &event, "open").await;
    for outsider in [&w.other_member, &w.handler_a] {
        app.get_error(
            &format!("/api/v1/events/{event}"),
            Some(&outsider.access),
            404,
            "event_not_found",
        )
        .await;
        app.get_error(
            &format!("/api/v1/events/{event}/complaints"),
            Some(&outsider.access),
            404,
            "event_not_found",
        )
        .await;
        let post = json!({"content": "外人吐槽", "environment": "service"});
        assert_error(
            app.post(
                &format!("/api/v1/events/{event}/complaints"),
                Some(&outsider.access),
                &post,
            )
            .await,
            404,
            "event_not_found",
        )
        .await;
        let list: Value = app.get_json("/api/v1/events", Some(&outsider.access)).await;
        assert_eq!(list["items"], json!([]));
    }
    // Butlers moderate every complaint day (they hide what breaks the rules): they see it, in
    // their list too, and its wall, but do not take part.
    let seen = app
        .get_json(&format!("/api/v1/events/{event}"), Some(&w.butler.access))
        .await;
    assert_eq!(seen["id"], event.as_str());
    let list = app.get_json("/api/v1/events", Some(&w.butler.access)).await;
    assert_eq!(list["items"][0]["id"], event.as_str());
    app.get_json(&format!("/api/v1/events/{event}/complaints"), Some(&w.butler.access))
        .await;
    let post = json!({"content": "管家吐槽", "environment": "service"});
    assert_error(
        app.post(
            &format!("/api/v1/events/{event}/complaints"),
            Some(&w.butler.access),
            &post,
        )
        .await,
        403,
        "not_in_audience",
    )
    .await;
    let list: Value = app.get_json("/api/v1/events", Some(&w.member.access)).await;
    assert_eq!(list["items"][0]["id"], event.as_str());
    assert!(
        list["items"][0]["audienceRoles"].is_null(),
        "the audience list is for admins"
    );
}

#[tokio::test]
async fn event_moves_follow_the_lifecycle_and_only_admins_make_them() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let event = complaint_day(&app, &w.admin, &[]).await;
    assert_error(
        app.post(
            &format!("/api/v1/events/{event}/publish"),
            Some(&w.butler.access),
            &json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.post(
            &format!("/api/v1/events/{event}/close"),
            Some(&w.admin.access),
            &json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    for step in ["publish", "open", "close", "archive"] {
        event_move(&app, &w.admin, &event, step).await;
    }
    assert_error(
        app.post(
            &format!("/api/v1/events/{event}/open"),
            Some(&w.admin.access),
            &json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    let bad = json!({"kind": "scorecard_round", "title": "", "opensAt": Utc::now().to_rfc3339(), "closesAt": (Utc::now() - Duration::days(1)).to_rfc3339()});
    let err = assert_error(
        app.post("/api/v1/events", Some(&w.admin.access), &bad).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "closesAt", "audienceRoles", "formId"]);
}

#[tokio::test]
async fn form_templates_are_versioned_and_checked() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let body = json!({"sections": [{"id": "s", "title": "窗口", "questions": [
        {"id": "q1", "type": "rating", "title": "服务态度", "required": true, "environment": "service", "finding": {"when": "rating_at_most", "value": 2}}
    ]}]});
    let res = app
        .post(
            "/api/v1/forms",
            Some(&admin.access),
            &json!({"title": "窗口暗访清单", "body": body}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let v1: Value = res.json().await.unwrap();
    assert_eq!(v1["version"], 1);
    let res = app
        .post(
            "/api/v1/forms",
            Some(&admin.access),
            &json!({"key": v1["key"], "title": "窗口暗访清单（修订）", "body": body}),
        )
        .await;
    let v2: Value = res.json().await.unwrap();
    assert_eq!((v2["version"].as_i64(), &v2["key"]), (Some(2), &v1["key"]));
    let old: Value = app
        .get(
            &format!("/api/v1/forms/{}", v1["id"].as_str().unwrap()),
            Some(&admin.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        old["title"], "窗口暗访清单",
        "old versions keep meaning what they meant"
    );
    let broken = json!({"title": "坏表单", "body": {"sections": [{"id": "s", "title": "t", "questions": [{"id": "q", "type": "rating", "title": "x", "finding": {"when": "no"}}]}]}});
    let err = assert_error(
        app.post("/api/v1/forms", Some(&admin.access), &broken).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"][0]["field"], "body.sections[0].questions[0].finding");
    let someone = app.sign_in("f-someone").await;
    assert_error(
        app.post(
            "/api/v1/forms",
            Some(&someone.access),
            &json!({"title": "x", "body": body}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_scorecard_round_is_answered_once_per_enterprise_and_its_results_published() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let third = app.create_enterprise(&w.admin, 702, None).await;
    let form = json!({"title": "政策服务出卷", "body": {"sections": [{"id": "s", "title": "税务服务", "questions": [
        {"id": "speed", "type": "rating", "title": "退税办理速度", "required": true, "environment": "service", "unitCode": "tax", "weight": 2, "finding": {"when": "rating_at_most", "value": 2}},
        {"id": "clear", "type": "yes_no", "title": "政策解读是否清楚", "required": true, "environment": "policy", "finding": {"when": "no"}},
        {"id": "idea", "type": "text", "title": "改进建议", "required": false, "maxLength": 200}
    ]}]}});
    let form: Value = app
        .post("/api/v1/forms", Some(&w.admin.access), &form)
        .await
        .json()
        .await
        .unwrap();
    let body = json!({
        "kind": "scorecard_round", "title": "第一轮营商环境出卷", "theme": "政策服务",
        "opensAt": Utc::now().to_rfc3339(), "closesAt": (Utc::now() + Duration::days(7)).to_rfc3339(),
        "invitedEnterpriseIds": [w.enterprise, third["id"]], "formId": form["id"],
    });
    let event: Value = app
        .post("/api/v1/events", Some(&w.admin.access), &body)
        .await
        .json()
        .await
        .unwrap();
    let id = event["id"].as_str().unwrap().to_owned();
    event_move(&app, &w.admin, &id, "publish").await;
    event_move(&app, &w.admin, &id, "open").await;
    let url = format!("/api/v1/events/{id}/submissions");

    // A rating of 7 and a missing required answer are 422 naming the question.
    let err = assert_error(
        app.post(&url, Some(&w.member.access), &json!({"answers": {"speed": 7}}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<(&str, &str)> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [("answers.speed", "out_of_range"), ("answers.clear", "required")]
    );
    // Not invited: 404.
    assert_error(
        app.post(
            &url,
            Some(&w.other_member.access),
            &json!({"answers": {"speed": 4, "clear": true}}),
        )
        .await,
        404,
        "event_not_found",
    )
    .await;

    let res = app
        .post(
            &url,
            Some(&w.member.access),
            &json!({"answers": {"speed": 1, "clear": false, "idea": "希望提供退税进度查询"}}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["findings"], json!(["speed", "clear"]));
    assert_eq!(s["demandIds"].as_array().unwrap().len(), 2);
    // Each finding is a demand of the scorecard channel, for the enterprise, with its origin.
    let d: Value = app
        .get(
            &format!("/api/v1/demands/{}", s["demandIds"][0].as_str().unwrap()),
            Some(&w.butler.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d["channel"], "scorecard");
    assert_eq!(
        d["origin"],
        json!({"type": "submission", "id": format!("{}:speed", s["id"].as_str().unwrap())})
    );
    assert_eq!(d["environment"], "service");
    assert!(d["content"].as_str().unwrap().contains("1 分"));
    assert_eq!(d["enterprise"]["id"], w.enterprise.as_str());
    // The question assesses the tax bureau: its finding went straight to that unit; the other waits for the butler.
    assert_eq!(
        (d["status"].as_str(), d["unit"]["name"].as_str()),
        (Some("assigned"), Some("税务局"))
    );
    let second: Value = app
        .get(
            &format!("/api/v1/demands/{}", s["demandIds"][1].as_str().unwrap()),
            Some(&w.butler.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["status"], "submitted");
    // The unit answers; the reply will show in the results.
    let first_id = s["demandIds"][0].as_str().unwrap().to_owned();
    ok(&app, &w.handler_a, &first_id, "sign", json!({})).await;
    ok(
        &app,
        &w.handler_a,
        &first_id,
        "reply",
        json!({"content": "已开设出口退税快速通道"}),
    )
    .await;

    // Once per enterprise: a colleague's second submission is 409.
    let again = app
        .post(
            &url,
            Some(&w.colleague.access),
            &json!({"answers": {"speed": 5, "clear": true}}),
        )
        .await;
    assert_error(again, 409, "already_submitted").await;

    // Results: participants only after publication; admins any time.
    app.get_error(
        &format!("/api/v1/events/{id}/results"),
        Some(&w.member.access),
        409,
        "results_not_published",
    )
    .await;
    let r: Value = app
        .get_json(&format!("/api/v1/events/{id}/results"), Some(&w.admin.access))
        .await;
    assert_eq!(
        (
            r["submissions"].as_u64(),
            r["invited"].as_u64(),
            r["responseRate"].as_f64()
        ),
        (Some(1), Some(2), Some(0.5))
    );
    let service = r["environments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["environment"] == "service")
        .unwrap();
    assert_eq!(service["score"], 0.0, "a rating of 1 is the bottom of the scale");
    assert_eq!(r["units"][0]["unitName"], "税务局");
    assert_eq!(
        r["questions"][0]["distribution"][0],
        json!({"label": "1 分", "count": 1})
    );
    assert_error(
        app.post(
            &format!("/api/v1/events/{id}/publish-results"),
            Some(&w.member.access),
            &json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.post(
            &format!("/api/v1/events/{id}/publish-results"),
            Some(&w.admin.access),
            &json!({})
        )
        .await
        .status(),
        204
    );
    let r: Value = app
        .get_json(&format!("/api/v1/events/{id}/results"), Some(&w.member.access))
        .await;
    assert_eq!(r["published"], true);
    let replied = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["question"] == "退税办理速度")
        .unwrap();
    assert_eq!(
        replied["reply"], "已开设出口退税快速通道",
        "the reply flows back to the results"
    );
    assert_eq!(replied["unitName"], "税务局");
    // The export has the answers and the results.
    let bytes = app
        .get(&format!("/api/v1/events/{id}/export"), Some(&w.admin.access))
        .await
        .bytes()
        .await
        .unwrap();
    let answers = sheet(&bytes, "答卷");
    assert_eq!(answers[0][3], "退税办理速度");
    assert_eq!(
        (answers[1][1].as_str(), answers[1][3].as_str(), answers[1][4].as_str()),
        ("测试企业700有限公司", "1", "否")
    );
    let results = sheet(&bytes, "结果");
    assert_eq!(results[1][1], "1 / 2");
    assert!(results.iter().any(|row| row[1] == "税务局"));
}

#[tokio::test]
async fn a_mystery_shopper_week_reaches_the_unit_without_a_trace_of_the_visitor() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // Enough people that the officer's id collides with no other id in the responses below.
    for i in 0..40 {
        app.sign_in(&format!("m-filler-{i}")).await;
    }
    let officer = app.sign_in("m-officer-openid-zx").await;
    app.grant(
        &w.admin,
        &officer.id(),
        json!({"role": "officer", "termEnds": "2030-12-31"}),
    )
    .await;
    app.post(
        "/api/v1/me/phone",
        Some(&officer.access),
        &json!({"code": "dev:13911112222"}),
    )
    .await;
    let form = json!({"title": "办税窗口暗访清单", "body": {"sections": [{"id": "s", "title": "窗口", "questions": [
        {"id": "queue", "type": "yes_no", "title": "是否有叫号系统", "required": true, "environment": "service", "finding": {"when": "no"}},
        {"id": "wait", "type": "number", "title": "等候时间", "required": true, "min": 0, "max": 600, "integer": true, "unit": "分钟"},
        {"id": "attitude", "type": "rating", "title": "工作人员态度", "required": true, "environment": "service", "finding": {"when": "rating_at_most", "value": 2}}
    ]}]}});
    let form: Value = app
        .post("/api/v1/forms", Some(&w.admin.access), &form)
        .await
        .json()
        .await
        .unwrap();
    let body = json!({
        "kind": "mystery_shopper_week", "title": "2026年神秘客暗访周", "opensAt": Utc::now().to_rfc3339(),
        "closesAt": (Utc::now() + Duration::days(7)).to_rfc3339(), "audienceRoles": ["officer"], "formId": form["id"],
    });
    let event: Value = app
        .post("/api/v1/events", Some(&w.admin.access), &body)
        .await
        .json()
        .await
        .unwrap();
    let id = event["id"].as_str().unwrap().to_owned();
    event_move(&app, &w.admin, &id, "publish").await;
    event_move(&app, &w.admin, &id, "open").await;
    let target = json!({"name": "办税服务厅3号窗口", "unitId": w.unit_a, "address": "黄岛区长江中路", "latitude": 35.9640, "longitude": 120.1800, "radiusM": 200});
    let res = app
        .post(&format!("/api/v1/events/{id}/targets"), Some(&w.admin.access), &target)
        .await;
    assert_eq!(res.status(), 201);
    let target: Value = res.json().await.unwrap();
    let assign = |start: chrono::DateTime<Utc>, end: chrono::DateTime<Utc>| json!({"targetId": target["id"], "officerId": officer.id(), "windowStart": start.to_rfc3339(), "windowEnd": end.to_rfc3339()});
    let now = Utc::now();
    let later: Value = app
        .post(
            &format!("/api/v1/events/{id}/assignments"),
            Some(&w.admin.access),
            &assign(now + Duration::days(1), now + Duration::days(2)),
        )
        .await
        .json()
        .await
        .unwrap();
    let current: Value = app
        .post(
            &format!("/api/v1/events/{id}/assignments"),
            Some(&w.admin.access),
            &assign(now - Duration::hours(1), now + Duration::hours(2)),
        )
        .await
        .json()
        .await
        .unwrap();
    let not_officer = app.post(&format!("/api/v1/events/{id}/assignments"), Some(&w.admin.access), &json!({"targetId": target["id"], "officerId": w.member.id(), "windowStart": now.to_rfc3339(), "windowEnd": (now + Duration::hours(1)).to_rfc3339()})).await;
    assert_error(not_officer, 422, "validation_failed").await;
    let mine: Value = app.get_json("/api/v1/me/assignments", Some(&officer.access)).await;
    assert_eq!(mine.as_array().unwrap().len(), 2);

    // Check-in: outside the window, outside the radius, then at the place.
    let later_id = later["id"].as_str().unwrap();
    let here = json!({"latitude": 35.9645, "longitude": 120.1805});
    assert_error(
        app.post(
            &format!("/api/v1/assignments/{later_id}/check-in"),
            Some(&officer.access),
            &here,
        )
        .await,
        409,
        "outside_window",
    )
    .await;
    let cid = current["id"].as_str().unwrap();
    let report_url = format!("/api/v1/assignments/{cid}/report");
    let answers = json!({"answers": {"queue": false, "wait": 45, "attitude": 2}});
    assert_error(
        app.post(&report_url, Some(&officer.access), &answers).await,
        409,
        "not_checked_in",
    )
    .await;
    let far = json!({"latitude": 36.0640, "longitude": 120.3800});
    let err = assert_error(
        app.post(
            &format!("/api/v1/assignments/{cid}/check-in"),
            Some(&officer.access),
            &far,
        )
        .await,
        409,
        "outside_radius",
    )
    .await;
    assert!(err["message"].as_str().unwrap().contains("200"));
    assert_error(
        app.post(
            &format!("/api/v1/assignments/{cid}/check-in"),
            Some(&officer.access),
            &json!({}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post(
            &format!("/api/v1/assignments/{cid}/check-in"),
            Some(&w.handler_a.access),
            &here,
        )
        .await,
        404,
        "assignment_not_found",
    )
    .await;
    assert_eq!(
        app.post(
            &format!("/api/v1/assignments/{cid}/check-in"),
            Some(&officer.access),
            &here
        )
        .await
        .status(),
        200
    );

    // The report: a bad answer is 422 naming the question; the findings go to the unit.
    let bad = assert_error(
        app.post(
            &report_url,
            Some(&officer.access),
            &json!({"answers": {"queue": false, "wait": 45, "attitude": 7}}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(bad["fields"][0]["field"], "answers.attitude");
    let res = app.post(&report_url, Some(&officer.access), &answers).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["findings"], json!(["queue", "attitude"]));
    assert_eq!(report["demands"].as_array().unwrap().len(), 2);
    assert!(report.get("officer").is_none());
    assert_error(
        app.post(&report_url, Some(&officer.access), &answers).await,
        409,
        "already_submitted",
    )
    .await;

    // Each finding is a demand of the mystery_shopper channel, already dispatched to the unit.
    let demand_id = report["demands"][0]["id"].as_str().unwrap().to_owned();
    let d: Value = app
        .get_json(&format!("/api/v1/demands/{demand_id}"), Some(&w.admin.access))
        .await;
    assert_eq!(
        (d["channel"].as_str(), d["status"].as_str(), d["unit"]["id"].as_str()),
        (Some("mystery_shopper"), Some("assigned"), Some(w.unit_a.as_str()))
    );
    assert_eq!(d["origin"], json!({"type": "mystery_report", "id": report["id"]}));

    // The unit, through every endpoint it can call, never sees who visited.
    ok(&app, &w.handler_a, &demand_id, "sign", json!({})).await;
    ok(
        &app,
        &w.handler_a,
        &demand_id,
        "reply",
        json!({"content": "已增设叫号机并开展服务培训"}),
    )
    .await;
    let secrets = [
        "m-officer-openid-zx",
        "13911112222",
        "139****2222",
        &format!("\"{}\"", officer.id()),
    ];
    let mut seen = Vec::new();
    for path in [
        format!("/api/v1/events/{id}/reports"),
        "/api/v1/mystery-reports".to_owned(),
        "/api/v1/demands".to_owned(),
        "/api/v1/demands?todo=true".to_owned(),
        format!("/api/v1/demands/{demand_id}"),
        format!("/api/v1/demands/{}", report["demands"][1]["id"].as_str().unwrap()),
        "/api/v1/notifications".to_owned(),
        format!("/api/v1/events/{id}/targets"),
    ] {
        let res = app.get(&path, Some(&w.handler_a.access)).await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        for secret in &secrets {
            assert!(!text.contains(secret), "{path} leaked {secret}: {text}");
        }
        seen.push((path, status));
    }
    assert_eq!(seen[0].1, 200, "the unit reads the report");
    let unit_reports: Value = app
        .get_json(&format!("/api/v1/events/{id}/reports"), Some(&w.handler_a.access))
        .await;
    assert_eq!(unit_reports[0]["findings"], json!(["queue", "attitude"]));
    assert!(unit_reports[0].get("officer").is_none());
    // The unit learns the day of the visit, not the minute it could look up on its cameras.
    assert_eq!(unit_reports[0]["visitedOn"], api::types::today().to_string());
    assert!(unit_reports[0].get("visitedAt").is_none(), "{unit_reports}");
    // Another unit sees no report; admins see the officer.
    let other: Value = app
        .get_json(&format!("/api/v1/events/{id}/reports"), Some(&w.handler_b.access))
        .await;
    assert_eq!(other, json!([]));
    // Across weeks, as the mini-program's 暗访报告 reads them: the unit's reports only, each with
    // its week, without the visitor.
    let across = app.get_json("/api/v1/mystery-reports", Some(&w.handler_a.access)).await;
    assert_eq!(across["items"].as_array().unwrap().len(), 1);
    assert_eq!(across["items"][0]["event"]["name"], "2026年神秘客暗访周");
    assert_eq!(across["items"][0]["report"], unit_reports[0]);
    let none = app.get_json("/api/v1/mystery-reports", Some(&w.handler_b.access)).await;
    assert_eq!(none["items"], json!([]));
    app.get_error("/api/v1/mystery-reports", Some(&w.member.access), 403, "forbidden")
        .await;
    let admin_view: Value = app
        .get_json(&format!("/api/v1/events/{id}/reports"), Some(&w.admin.access))
        .await;
    assert_eq!(admin_view[0]["officer"]["id"], officer.id());
    assert!(admin_view[0]["visitedAt"].is_string());

    // The report counts for the visited unit, though its checklist names no unit: queue "no"
    // scores 0, attitude 2 scores 0.25, the wait is not scored: (0 + 0.25) / 2 = 12.5.
    let league: Value = app.get_json("/api/v1/dashboard/units", Some(&w.admin.access)).await;
    let row = |unit: &str| {
        league["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["unitId"] == unit)
            .unwrap()
            .clone()
    };
    assert_eq!(row(&w.unit_a)["mysteryScore"], 12.5, "{league}");
    assert_eq!(row(&w.unit_a)["mysterySamples"], 1);
    assert_eq!(row(&w.unit_b)["mysteryScore"], Value::Null);
    assert_eq!(row(&w.unit_b)["mysterySamples"], 0);
}

#[tokio::test]
async fn a_supervisor_records_an_activity_and_files_demands_for_the_enterprises_met() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let supervisor = app.sign_in("s-supervisor").await;
    app.grant(
        &w.admin,
        &supervisor.id(),
        json!({"role": "supervisor", "termEnds": "2030-12-31"}),
    )
    .await;
    // Supervisors search enterprises to pick whom they met, without invite codes.
    let found: Value = app
        .get_json("/api/v1/enterprises?q=测试企业700", Some(&supervisor.access))
        .await;
    assert_eq!(found["items"][0]["id"], w.enterprise.as_str());
    assert!(found["items"][0]["inviteCode"].is_null());
    let today = api::types::today();
    let body = json!({"kind": "visit", "date": today.to_string(), "place": "保税港区企业服务中心", "enterpriseIds": [w.enterprise], "notes": "走访了解用工和融资需求"});
    assert_error(
        app.post("/api/v1/supervision-activities", Some(&w.member.access), &body)
            .await,
        403,
        "forbidden",
    )
    .await;
    let bad = json!({"kind": "party", "date": "2999-01-01", "place": "", "enterpriseIds": []});
    let err = assert_error(
        app.post("/api/v1/supervision-activities", Some(&supervisor.access), &bad)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"].as_array().unwrap().len(), 4);
    let res = app
        .post("/api/v1/supervision-activities", Some(&supervisor.access), &body)
        .await;
    assert_eq!(res.status(), 201);
    let a: Value = res.json().await.unwrap();
    let aid = a["id"].as_str().unwrap();
    assert_eq!(a["enterprises"][0]["name"], "测试企业700有限公司");

    let demand = json!({"enterpriseId": w.enterprise, "kind": "demand", "environment": "factor", "title": "用工招聘难", "content": "企业反映技术工人招聘困难"});
    let other = app.create_enterprise(&w.admin, 703, None).await;
    let not_met =
        json!({"enterpriseId": other["id"], "kind": "demand", "environment": "factor", "title": "x", "content": "y"});
    assert_error(
        app.post(
            &format!("/api/v1/supervision-activities/{aid}/demands"),
            Some(&supervisor.access),
            &not_met,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let other_supervisor = app.sign_in("s-other").await;
    app.grant(
        &w.admin,
        &other_supervisor.id(),
        json!({"role": "supervisor", "termEnds": "2030-12-31"}),
    )
    .await;
    assert_error(
        app.post(
            &format!("/api/v1/supervision-activities/{aid}/demands"),
            Some(&other_supervisor.access),
            &demand,
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .post(
            &format!("/api/v1/supervision-activities/{aid}/demands"),
            Some(&supervisor.access),
            &demand,
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let d: Value = res.json().await.unwrap();
    assert_eq!(
        (d["channel"].as_str(), d["enterprise"]["id"].as_str()),
        (Some("supervision"), Some(w.enterprise.as_str()))
    );
    // The enterprise's butler gets it in the queue; the member sees it as their enterprise's.
    let queue: Value = app.get_json("/api/v1/demands?todo=true", Some(&w.butler.access)).await;
    assert_eq!(queue["items"][0]["id"], d["id"]);
    let list: Value = app
        .get_json("/api/v1/supervision-activities", Some(&supervisor.access))
        .await;
    assert_eq!(list["items"][0]["demandIds"], json!([d["id"]]));
    let theirs: Value = app
        .get_json("/api/v1/supervision-activities", Some(&other_supervisor.access))
        .await;
    assert_eq!(theirs["items"], json!([]));
}

/// Reads one sheet of an exported workbook as rows of strings.
fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}

#[tokio::test]
async fn admins_export_an_events_submissions_and_results_as_excel() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let event = complaint_day(&app, &w.admin, &[&w.enterprise]).await;
    event_move(&app, &w.admin, &event, "publish").await;
    event_move(&app, &w.admin, &event, "open").await;
    let post = json!({"content": "海关查验等待时间过长", "environment": "service", "anonymous": false});
    assert_eq!(
        app.post(
            &format!("/api/v1/events/{event}/complaints"),
            Some(&w.member.access),
            &post
        )
        .await
        .status(),
        201
    );
    app.get_error(
        &format!("/api/v1/events/{event}/export"),
        Some(&w.member.access),
        403,
        "forbidden",
    )
    .await;
    let res = app
        .get(&format!("/api/v1/events/{event}/export"), Some(&w.admin.access))
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = res.bytes().await.unwrap();
    let rows = sheet(&bytes, "吐槽");
    assert_eq!(rows[0][5], "内容");
    assert_eq!(rows[1][5], "海关查验等待时间过长");
    assert_eq!(rows[1][3], "测试企业700有限公司");
    assert!(rows[1][9].starts_with("SQ"), "the demand number: {:?}", rows[1]);
    assert_eq!(sheet(&bytes, "活动")[0][1], "第一期企业家吐槽日");
}

#[tokio::test]
async fn photos_on_the_wall_are_for_the_walls_audience_while_the_post_is_shown() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let event = complaint_day(&app, &w.admin, &[&w.enterprise]).await;
    event_move(&app, &w.admin, &event, "publish").await;
    event_move(&app, &w.admin, &event, "open").await;
    let file: Value = app
        .upload("/api/v1/files", &w.member.access, tests::jpeg_with_metadata(), "p.jpg")
        .await
        .json()
        .await
        .unwrap();
    let fid = file["id"].as_str().unwrap();
    let post = json!({"content": "停车场太小", "environment": "factor", "photos": [fid]});
    let c: Value = app
        .post(
            &format!("/api/v1/events/{event}/complaints"),
            Some(&w.member.access),
            &post,
        )
        .await
        .json()
        .await
        .unwrap();
    let officer = app.sign_in("p-officer").await;
    app.grant(
        &w.admin,
        &officer.id(),
        json!({"role": "officer", "termEnds": "2030-12-31"}),
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/files/{fid}"), Some(&officer.access))
            .await
            .status(),
        200,
        "the audience sees the photo"
    );
    app.get_error(
        &format!("/api/v1/files/{fid}"),
        Some(&w.other_member.access),
        403,
        "forbidden",
    )
    .await;
    app.post(
        &format!("/api/v1/complaints/{}/hide", c["id"].as_str().unwrap()),
        Some(&w.admin.access),
        &json!({"reason": "隐私"}),
    )
    .await;
    app.get_error(&format!("/api/v1/files/{fid}"), Some(&officer.access), 403, "forbidden")
        .await;
}

#[tokio::test]
async fn an_anonymous_post_on_the_wall_is_named_only_to_admins_and_its_enterprises_butler_audited() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let other_butler = app.butler(&w.admin, "x-other-butler").await;
    let event = complaint_day(&app, &w.admin, &[&w.enterprise]).await;
    event_move(&app, &w.admin, &event, "publish").await;
    event_move(&app, &w.admin, &event, "open").await;
    let wall = format!("/api/v1/events/{event}/complaints");
    let res = app
        .post(
            &wall,
            Some(&w.member.access),
            &json!({"content": "窗口办事要跑三趟", "environment": "service", "anonymous": true}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let post: Value = res.json().await.unwrap();
    let name_seen = |who: &Session| {
        let app = &app;
        let wall = wall.clone();
        let token = who.access.clone();
        async move {
            let page: Value = app.get_json(&wall, Some(&token)).await;
            page["items"][0]["enterpriseName"].clone()
        }
    };
    // Any butler moderates the wall, but only the enterprise's own sees who posted.
    assert_eq!(name_seen(&other_butler).await, Value::Null);
    assert_eq!(name_seen(&w.butler).await, "测试企业700有限公司");
    assert_eq!(name_seen(&w.admin).await, "测试企业700有限公司");
    // Each look behind the post is in the audit log, as for demands.
    let log: Value = app
        .get_json("/api/v1/audit-log?objectType=complaint", Some(&w.admin.access))
        .await;
    let readers: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "read_identity" && e["objectId"] == post["id"])
        .map(|e| e["actorId"].as_str().unwrap())
        .collect();
    let (butler, admin) = (w.butler.id(), w.admin.id());
    assert_eq!(readers.len(), 2, "{log}");
    assert!(readers.contains(&butler.as_str()) && readers.contains(&admin.as_str()));
}

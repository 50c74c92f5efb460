//! Media observations and publicity, action-plan supervision, and the admin dashboard with the
//! unit league table.
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tests::fixtures::sheet;
use tests::{Session, TestApp, assert_error, spawn_app};

use tests::world::{file_demand, ok, world};

async fn media_person(app: &TestApp, admin: &Session, openid: &str) -> Session {
    let s = app.sign_in(openid).await;
    app.grant(admin, &s.id(), json!({"role": "media", "termEnds": "2030-12-31"}))
        .await;
    app.sign_in(openid).await
}

fn fields(err: &Value) -> Vec<(String, String)> {
    err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_media_finding_becomes_a_demand_once_and_publicity_is_counted_by_level_and_month() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let reporter = media_person(&app, &w.admin, "m-reporter").await;
    let other = media_person(&app, &w.admin, "m-other").await;

    let observe = |who: &Session, body: Value| {
        let token = who.access.clone();
        let app = &app;
        async move { app.post("/api/v1/media/observations", Some(&token), &body).await }
    };
    // Only media observers (and admins) file observations.
    assert_error(
        observe(
            &w.member,
            json!({"kind": "finding", "title": "窗口", "content": "排队"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let err = assert_error(
        observe(
            &reporter,
            json!({"kind": "finding", "title": " ", "content": "长".repeat(2001)}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        fields(&err),
        [
            ("title".to_owned(), "required".to_owned()),
            ("content".to_owned(), "too_long".to_owned())
        ]
    );
    let finding: Value = observe(
        &reporter,
        json!({"kind": "finding", "title": "政务大厅取号机故障", "content": "上午十点取号机故障，群众排队一个多小时无人引导。"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        (finding["kind"].as_str(), finding["kindLabel"].as_str()),
        (Some("finding"), Some("问题发现"))
    );
    let lead: Value = observe(
        &reporter,
        json!({"kind": "lead", "title": "企业开办一日办结", "content": "可以做一期企业开办提速的专题报道。"}),
    )
    .await
    .json()
    .await
    .unwrap();

    // Lists: the observer sees their own, another observer nothing, staff everything.
    let list = |who: &Session| {
        let token = who.access.clone();
        let app = &app;
        async move {
            app.get("/api/v1/media/observations?limit=1", Some(&token))
                .await
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let mine = list(&reporter).await;
    assert_eq!(mine["items"][0]["id"], lead["id"]);
    let cursor = mine["nextCursor"].as_str().unwrap();
    let second: Value = app
        .get(
            &format!("/api/v1/media/observations?limit=1&cursor={cursor}"),
            Some(&reporter.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"][0]["id"], finding["id"]);
    assert_eq!(second["nextCursor"], Value::Null);
    assert_eq!(list(&other).await["items"], json!([]));
    assert_eq!(list(&w.butler).await["items"][0]["id"], lead["id"]);
    app.get_error("/api/v1/media/observations", Some(&w.member.access), 403, "forbidden")
        .await;

    // Staff turn the finding into a demand, once; a lead is not a finding; the observer cannot.
    let convert = |who: &Session, id: &str| {
        let token = who.access.clone();
        let url = format!("/api/v1/media/observations/{id}/demand");
        let app = &app;
        async move { app.post(&url, Some(&token), &json!({"environment": "service"})).await }
    };
    let fid = finding["id"].as_str().unwrap();
    assert_error(convert(&reporter, fid).await, 403, "forbidden").await;
    assert_error(
        convert(&w.butler, lead["id"].as_str().unwrap()).await,
        409,
        "not_a_finding",
    )
    .await;
    let res = convert(&w.butler, fid).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let done: Value = res.json().await.unwrap();
    let demand_id = done["demandId"].as_str().unwrap();
    assert_eq!(done["observation"]["demandId"], demand_id);
    let d: Value = app
        .get(&format!("/api/v1/demands/{demand_id}"), Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (d["channel"].as_str(), d["kind"].as_str()),
        (Some("media"), Some("problem"))
    );
    assert_eq!(d["title"], "政务大厅取号机故障");
    assert_error(convert(&w.admin, fid).await, 409, "already_converted").await;
    // The observer follows the demand it became.
    let theirs = app
        .get(&format!("/api/v1/demands/{demand_id}"), Some(&reporter.access))
        .await;
    assert_eq!(theirs.status(), 200);

    // Publicity records: checked, then counted by level and by month.
    let today = api::types::today();
    let record = |body: Value| {
        let token = reporter.access.clone();
        let app = &app;
        async move { app.post("/api/v1/media/publicity", Some(&token), &body).await }
    };
    let err = assert_error(
        record(json!({"outlet": "新华社", "level": "national", "title": "自贸区营商环境", "link": "javascript:alert(1)", "publishedOn": today + Duration::days(1)})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        fields(&err),
        [
            ("link".to_owned(), "invalid_link".to_owned()),
            ("publishedOn".to_owned(), "in_future".to_owned())
        ]
    );
    let last_month = today - Duration::days(35);
    for (outlet, level, on) in [
        ("新华社", "national", today),
        ("澎湃新闻", "online", today),
        ("今日头条", "online", last_month),
    ] {
        let res = record(json!({"outlet": outlet, "level": level, "title": format!("{outlet}报道自贸区“亲清”服务"), "link": "https://news.example.cn/a/1", "publishedOn": on})).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }
    assert_error(
        app.post(
            "/api/v1/media/publicity",
            Some(&w.member.access),
            &json!({"outlet": "x", "level": "own", "title": "x", "publishedOn": today}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let from = last_month - Duration::days(1);
    let f: Value = app
        .get(
            &format!("/api/v1/dashboard/publicity?from={from}&to={today}"),
            Some(&w.admin.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(f["total"], 3);
    let levels: Vec<(&str, u64)> = f["byLevel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["label"].as_str().unwrap(), l["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            ("国家级", 1),
            ("省级", 0),
            ("市级", 0),
            ("网络媒体", 2),
            ("自有渠道", 0)
        ]
    );
    let months: u64 = f["byMonth"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["count"].as_u64().unwrap())
        .sum();
    assert_eq!(months, 3);
    let this_month = today.format("%Y-%m").to_string();
    let current = f["byMonth"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == this_month.as_str())
        .unwrap();
    assert_eq!(current["count"], 2);
    app.get_error("/api/v1/dashboard/publicity", Some(&reporter.access), 403, "forbidden")
        .await;
}

#[tokio::test]
async fn plan_items_are_imported_all_or_nothing_reported_on_by_their_unit_and_flagged_overdue_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let plan: Value = app
        .post(
            "/api/v1/plans",
            Some(&w.admin.access),
            &json!({"title": "2026年优化营商环境行动方案", "description": "全区23项重点任务"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let pid = plan["id"].as_str().unwrap();
    assert_error(
        app.post("/api/v1/plans", Some(&w.handler_a.access), &json!({"title": "x"}))
            .await,
        403,
        "forbidden",
    )
    .await;

    // A sheet with a row missing its owner unit and one naming an unknown unit: refused whole,
    // each problem named by its row.
    let today = api::types::today();
    let yesterday = (today - Duration::days(1)).to_string();
    let later = (today + Duration::days(60)).to_string();
    let heading: &[&str] = &["类型", "事项", "方面", "责任单位", "牵头人", "完成时限", "里程碑"];
    let bad = sheet(&[
        &["2026年优化营商环境行动方案任务清单"],
        heading,
        &["任务", "推行企业开办一日办结", "", "税务局", "王伟", &later, ""],
        &["问题", "窗口排队时间长", "政务服务", "", "", &later, ""],
        &["任务", "跨境贸易便利化", "", "商务局", "", &later, ""],
    ]);
    let url = format!("/api/v1/plans/{pid}/import");
    let err = assert_error(
        app.upload(&url, &w.admin.access, bad, "plan.xlsx").await,
        422,
        "import_rejected",
    )
    .await;
    assert_eq!(
        fields(&err),
        [
            ("rows[4].unit".to_owned(), "required".to_owned()),
            ("rows[5].unit".to_owned(), "unknown_unit".to_owned())
        ]
    );
    let detail: Value = app
        .get(&format!("/api/v1/plans/{pid}"), Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["items"], json!([]), "nothing of a refused sheet is kept");

    // A good sheet: one item already past its deadline, one due later, one for the other unit.
    let good = sheet(&[
        heading,
        &[
            "任务",
            "推行企业开办一日办结",
            "",
            "税务局",
            "王伟",
            &yesterday,
            &format!("{yesterday} 出台方案"),
        ],
        &["问题", "窗口排队时间长", "政务服务", "tax", "", &later, ""],
        &["任务", "通关时间压缩", "", "海关", "李强", &yesterday, ""],
    ]);
    let res = app.upload(&url, &w.admin.access, good, "plan.xlsx").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let report: Value = res.json().await.unwrap();
    assert_eq!(
        (report["rows"].as_u64(), report["created"].as_u64()),
        (Some(3), Some(3))
    );

    // A handler sees and reports on their own unit's items only.
    let mine: Value = app
        .get(&format!("/api/v1/plans/{pid}"), Some(&w.handler_a.access))
        .await
        .json()
        .await
        .unwrap();
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i["unitId"] == w.unit_a.as_str()));
    let late = items.iter().find(|i| i["title"] == "推行企业开办一日办结").unwrap();
    assert_eq!(
        (late["overdue"].as_bool(), late["milestones"][0]["title"].as_str()),
        (Some(true), Some("出台方案"))
    );
    let late_id = late["id"].as_str().unwrap();
    let all: Value = app
        .get(&format!("/api/v1/plans/{pid}"), Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    let customs = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["unitId"] == w.unit_b.as_str())
        .unwrap();
    let customs_id = customs["id"].as_str().unwrap();
    assert_error(
        app.post(
            &format!("/api/v1/plan-items/{customs_id}/notes"),
            Some(&w.handler_a.access),
            &json!({"text": "已推进"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let noted: Value = app
        .post(
            &format!("/api/v1/plan-items/{late_id}/notes"),
            Some(&w.handler_a.access),
            &json!({"text": "方案已报审，预计下周印发", "progress": 60}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (noted["status"].as_str(), noted["progress"].as_i64()),
        (Some("in_progress"), Some(60))
    );
    assert_eq!(noted["notes"][0]["text"], "方案已报审，预计下周印发");
    assert_error(
        app.patch(
            &format!("/api/v1/plan-items/{late_id}"),
            Some(&w.handler_a.access),
            &json!({"progress": 120}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;

    // The weekly job flags the two overdue items once each and tells each unit's handler once.
    let now = Utc::now();
    assert_eq!(api::service::plans::flag_overdue(&app.db, today, now).await.unwrap(), 2);
    assert_eq!(api::service::plans::flag_overdue(&app.db, today, now).await.unwrap(), 0);
    assert_eq!(
        api::service::plans::flag_overdue(&app.db, today + Duration::days(7), now)
            .await
            .unwrap(),
        0,
        "still overdue a week later, but flagged only once"
    );
    for who in [&w.handler_a, &w.handler_b] {
        let notes: Value = app
            .get("/api/v1/notifications", Some(&who.access))
            .await
            .json()
            .await
            .unwrap();
        let overdue: Vec<&Value> = notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "plan_overdue")
            .collect();
        assert_eq!(overdue.len(), 1, "{notes}");
    }

    // Done: no longer overdue. Figures by unit.
    let done: Value = app
        .patch(
            &format!("/api/v1/plan-items/{late_id}"),
            Some(&w.handler_a.access),
            &json!({"status": "done"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (done["progress"].as_i64(), done["overdue"].as_bool()),
        (Some(100), Some(false))
    );
    let f: Value = app
        .get("/api/v1/dashboard/plans", Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        f["byStatus"],
        json!({"done": 1, "inProgress": 0, "overdue": 1, "notStarted": 1})
    );
    let by_unit: Vec<(&str, u64, u64)> = f["byUnit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unitName"].as_str().unwrap(),
                u["done"].as_u64().unwrap(),
                u["overdue"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(by_unit, [("海关", 0, 1), ("税务局", 1, 0)]);

    // The export reads back in the import's columns.
    let res = app
        .get(&format!("/api/v1/plans/{pid}/export"), Some(&w.admin.access))
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    let again = app.upload(&url, &w.admin.access, bytes, "export.xlsx").await;
    assert_eq!(again.status(), 200, "{}", again.text().await.unwrap());
    assert_eq!(again.json::<Value>().await.unwrap()["created"], 3);
}

#[tokio::test]
async fn the_league_table_gives_every_rate_its_sample_and_ranks_only_units_with_enough_demands() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // 12 demands dispatched to 税务局 (half signed), 3 to 海关 (all signed).
    for n in 0..15 {
        let d = file_demand(&app, &w.member, false).await;
        let id = d["id"].as_str().unwrap();
        ok(&app, &w.butler, id, "accept", json!({})).await;
        let (unit, handler) = if n < 12 {
            (&w.unit_a, &w.handler_a)
        } else {
            (&w.unit_b, &w.handler_b)
        };
        ok(&app, &w.butler, id, "assign", json!({"unitId": unit})).await;
        if n % 2 == 0 || n >= 12 {
            ok(&app, handler, id, "sign", json!({})).await;
        }
    }
    // A scorecard round assessing 税务局: two submissions, ratings 5 and 3 (100 and 50).
    let form: Value = app
        .post(
            "/api/v1/forms",
            Some(&w.admin.access),
            &json!({"title": "税务服务出卷", "body": {"sections": [{"id": "s", "title": "税务", "questions": [
                {"id": "speed", "type": "rating", "title": "退税办理速度", "required": true, "environment": "service", "unitCode": "tax", "weight": 2}
            ]}]}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let third = app.create_enterprise(&w.admin, 702, None).await;
    let third_member = app.member_of(&w.admin, "l-third", third["id"].as_str().unwrap()).await;
    let event: Value = app
        .post(
            "/api/v1/events",
            Some(&w.admin.access),
            &json!({"kind": "scorecard_round", "title": "第一轮出卷", "opensAt": Utc::now().to_rfc3339(),
                    "closesAt": (Utc::now() + Duration::days(7)).to_rfc3339(),
                    "invitedEnterpriseIds": [w.enterprise, third["id"]], "formId": form["id"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let eid = event["id"].as_str().unwrap();
    for action in ["publish", "open"] {
        let res = app
            .post(
                &format!("/api/v1/events/{eid}/{action}"),
                Some(&w.admin.access),
                &json!({}),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    for (who, rating) in [(&w.member, 5), (&third_member, 3)] {
        let res = app
            .post(
                &format!("/api/v1/events/{eid}/submissions"),
                Some(&who.access),
                &json!({"answers": {"speed": rating}}),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }

    let league: Value = app
        .get("/api/v1/dashboard/units", Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(league["minSample"], 10);
    let rows = league["items"].as_array().unwrap();
    let tax = &rows[0];
    assert_eq!(tax["unitName"], "税务局");
    assert_eq!(
        (
            tax["ranked"].as_bool(),
            tax["dispatched"].as_i64(),
            tax["responseRate"].as_f64()
        ),
        (Some(true), Some(12), Some(0.5))
    );
    assert_eq!(
        (tax["scorecardScore"].as_f64(), tax["scorecardSamples"].as_u64()),
        (Some(75.0), Some(2))
    );
    assert_eq!(
        (tax["mysteryScore"].as_f64(), tax["mysterySamples"].as_u64()),
        (None, Some(0))
    );
    assert_eq!(
        (tax["rated"].as_i64(), tax["satisfactionRate"].as_f64()),
        (Some(0), None)
    );
    // 海关 has the better response rate on three demands: listed after, not ranked.
    let customs = &rows[1];
    assert_eq!(customs["unitName"], "海关");
    assert_eq!(
        (
            customs["ranked"].as_bool(),
            customs["dispatched"].as_i64(),
            customs["responseRate"].as_f64()
        ),
        (Some(false), Some(3), Some(1.0))
    );

    // The demand panel over the same days: 15 received, all dispatched, by channel and week.
    let panel: Value = app
        .get("/api/v1/dashboard/demands", Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            panel["total"]["received"].as_i64(),
            panel["total"]["dispatched"].as_i64()
        ),
        (Some(15), Some(15))
    );
    assert_eq!(panel["byChannel"][0]["label"], "小程序");
    let weeks: u64 = panel["byWeek"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["received"].as_u64().unwrap())
        .sum();
    assert_eq!(weeks, 15);
    let programs: Value = app
        .get("/api/v1/dashboard/programs", Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (programs["events"].as_u64(), programs["submissions"].as_u64()),
        (Some(1), Some(2))
    );
    for panel in [
        "demands",
        "programs",
        "policies",
        "callbacks",
        "plans",
        "publicity",
        "units",
    ] {
        app.get_error(
            &format!("/api/v1/dashboard/{panel}"),
            Some(&w.butler.access),
            403,
            "forbidden",
        )
        .await;
    }
    app.get_error(
        "/api/v1/dashboard/units?from=2026-12-01&to=2026-11-01",
        Some(&w.admin.access),
        422,
        "validation_failed",
    )
    .await;
    app.get_error(
        "/api/v1/dashboard/demands?from=2020-01-01&to=2026-11-01",
        Some(&w.admin.access),
        422,
        "validation_failed",
    )
    .await;
}

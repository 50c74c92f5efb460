//! What the console's second half needs from the server (issue 19): drafts edited and deleted,
//! forms listed by version, a mystery week's targets and assignments changed and withdrawn, the
//! wall's moderation undone, policies listed for admins with their reach previewed before saving
//! and their conditions compared as sets, each group's pushes, a plan's import previewed, the
//! audit log filtered.
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tests::fixtures::sheet;
use tests::world::{created, event_move, world};
use tests::{Session, assert_error, spawn_app, urlencode};
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

use crate::policies::explainer;

fn event_body(kind: &str, title: &str, invited: &[&str]) -> Value {
    json!({
        "kind": kind, "title": title,
        "opensAt": (Utc::now() + Duration::hours(1)).to_rfc3339(),
        "closesAt": (Utc::now() + Duration::days(1)).to_rfc3339(),
        "audienceRoles": ["officer"], "invitedEnterpriseIds": invited,
    })
}

#[tokio::test]
async fn a_draft_event_is_edited_and_deleted_and_a_published_one_keeps_what_its_audience_saw() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let id = created(
        &app,
        &w.admin,
        "/api/v1/events",
        event_body("complaint_day", "第一期吐槽日", &[&w.enterprise]),
    )
    .await;
    let url = format!("/api/v1/events/{id}");

    // Only what is sent changes; a list sent replaces the old one.
    let res = app
        .patch(
            &url,
            Some(&w.admin.access),
            &json!({"title": "第一期企业家吐槽日", "invitedEnterpriseIds": []}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let edited: Value = res.json().await.unwrap();
    assert_eq!(edited["title"], "第一期企业家吐槽日");
    assert_eq!(edited["invitedEnterpriseIds"], json!([]));
    assert_eq!(edited["audienceRoles"], json!(["officer"]), "left as it was");
    assert_eq!(edited["status"], "draft");

    // The rules of creating hold for editing.
    let backwards = json!({"closesAt": (Utc::now() - Duration::days(2)).to_rfc3339()});
    let err = assert_error(
        app.patch(&url, Some(&w.admin.access), &backwards).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"][0]["field"], "closesAt");
    let nobody = json!({"invitedEnterpriseIds": ["987654"]});
    assert_error(
        app.patch(&url, Some(&w.admin.access), &nobody).await,
        422,
        "validation_failed",
    )
    .await;
    for who in [&w.butler, &w.member] {
        assert_error(
            app.patch(&url, Some(&who.access), &json!({"title": "改"})).await,
            403,
            "forbidden",
        )
        .await;
        assert_error(app.delete(&url, Some(&who.access)).await, 403, "forbidden").await;
    }

    // Once published it is fixed and cannot be deleted.
    event_move(&app, &w.admin, &id, "publish").await;
    assert_error(
        app.patch(&url, Some(&w.admin.access), &json!({"title": "改"})).await,
        409,
        "event_not_draft",
    )
    .await;
    assert_error(app.delete(&url, Some(&w.admin.access)).await, 409, "event_not_draft").await;
    let still: Value = app.get_json(&url, Some(&w.admin.access)).await;
    assert_eq!(still["title"], "第一期企业家吐槽日");

    // A draft goes, with its invitations.
    let other = created(
        &app,
        &w.admin,
        "/api/v1/events",
        event_body("complaint_day", "草稿", &[&w.enterprise]),
    )
    .await;
    let other_url = format!("/api/v1/events/{other}");
    assert_eq!(app.delete(&other_url, Some(&w.admin.access)).await.status(), 204);
    app.get_error(&other_url, Some(&w.admin.access), 404, "event_not_found")
        .await;
    assert_error(
        app.delete(&other_url, Some(&w.admin.access)).await,
        404,
        "event_not_found",
    )
    .await;
}

fn form(title: &str, question: &str) -> Value {
    json!({"title": title, "body": {"sections": [{"id": "s", "title": "窗口", "questions": [
        {"id": question, "type": "yes_no", "title": "是否有叫号系统", "required": true}
    ]}]}})
}

#[tokio::test]
async fn forms_are_listed_newest_first_with_their_version_and_the_events_that_use_them() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let first: Value = app
        .post("/api/v1/forms", Some(&w.admin.access), &form("窗口评价表", "queue"))
        .await
        .json()
        .await
        .unwrap();
    let mut again = form("窗口评价表（修订）", "queueing");
    again["key"] = first["key"].clone();
    let second: Value = app
        .post("/api/v1/forms", Some(&w.admin.access), &again)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["version"], 2);
    let mut event = event_body("scorecard_round", "评价季", &[]);
    event["formId"] = first["id"].clone();
    created(&app, &w.admin, "/api/v1/events", event).await;

    let page: Value = app.get_json("/api/v1/forms", Some(&w.admin.access)).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], second["id"]);
    assert_eq!(items[0]["version"], 2);
    assert_eq!(items[0]["latest"], true);
    assert_eq!(items[0]["usedBy"], 0);
    assert_eq!(items[0]["questions"], 1);
    assert_eq!(items[1]["id"], first["id"]);
    assert_eq!(items[1]["latest"], false);
    assert_eq!(items[1]["usedBy"], 1);
    assert_eq!(items[0]["key"], items[1]["key"]);
    // A page at a time.
    let one: Value = app.get_json("/api/v1/forms?limit=1", Some(&w.admin.access)).await;
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    let cursor = one["nextCursor"].as_str().unwrap();
    let rest: Value = app
        .get_json(&format!("/api/v1/forms?limit=1&cursor={cursor}"), Some(&w.admin.access))
        .await;
    assert_eq!(rest["items"][0]["id"], first["id"]);
    app.get_error("/api/v1/forms", Some(&w.butler.access), 403, "forbidden")
        .await;
}

#[tokio::test]
async fn a_mystery_week_s_targets_are_edited_and_an_assignment_is_withdrawn_until_the_visit_starts() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let officer = app.sign_in("c2-officer").await;
    app.grant(
        &w.admin,
        &officer.id(),
        json!({"role": "officer", "termEnds": "2030-12-31"}),
    )
    .await;
    let form: Value = app
        .post("/api/v1/forms", Some(&w.admin.access), &form("暗访清单", "queue"))
        .await
        .json()
        .await
        .unwrap();
    let mut body = event_body("mystery_shopper_week", "暗访周", &[]);
    body["formId"] = form["id"].clone();
    body["opensAt"] = json!(Utc::now().to_rfc3339());
    let week = created(&app, &w.admin, "/api/v1/events", body).await;
    event_move(&app, &w.admin, &week, "publish").await;
    event_move(&app, &w.admin, &week, "open").await;
    let target = created(
        &app,
        &w.admin,
        &format!("/api/v1/events/{week}/targets"),
        json!({"name": "办税服务厅", "unitId": w.unit_a, "latitude": 35.9640, "longitude": 120.1800, "radiusM": 200}),
    )
    .await;
    let target_url = format!("/api/v1/targets/{target}");

    // Renamed, moved to the other unit and to new coordinates; what is left out stays.
    let res = app
        .patch(
            &target_url,
            Some(&w.admin.access),
            &json!({"name": "办税服务厅3号窗口", "unitId": w.unit_b, "latitude": 35.97, "longitude": 120.19}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let t: Value = res.json().await.unwrap();
    assert_eq!(t["name"], "办税服务厅3号窗口");
    assert_eq!(t["unitId"], w.unit_b.as_str());
    assert_eq!(t["latitude"], 35.97);
    assert_eq!(t["radiusM"], 200);
    // Half a coordinate is not a place; an unknown unit is named.
    for (bad, field) in [
        (json!({"latitude": 35.0}), "latitude"),
        (json!({"unitId": "987654"}), "unitId"),
    ] {
        let err = assert_error(
            app.patch(&target_url, Some(&w.admin.access), &bad).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(err["fields"].to_string().contains(field), "{err}");
    }

    let now = Utc::now();
    let assignment = created(
        &app,
        &w.admin,
        &format!("/api/v1/events/{week}/assignments"),
        json!({"targetId": target, "officerId": officer.id(), "windowStart": (now - Duration::hours(1)).to_rfc3339(), "windowEnd": (now + Duration::hours(2)).to_rfc3339()}),
    )
    .await;
    let listed: Value = app
        .get_json(&format!("/api/v1/events/{week}/assignments"), Some(&w.admin.access))
        .await;
    assert_eq!(listed[0]["id"], assignment.as_str());
    assert_eq!(listed[0]["officer"]["id"], officer.id().as_str());
    // Officers never learn of each other's visits from this list.
    app.get_error(
        &format!("/api/v1/events/{week}/assignments"),
        Some(&officer.access),
        403,
        "forbidden",
    )
    .await;

    // A target someone is sent to stays; once the visit started the assignment stays too.
    assert_error(
        app.delete(&target_url, Some(&w.admin.access)).await,
        409,
        "target_has_assignments",
    )
    .await;
    let checked_in = app
        .post(
            &format!("/api/v1/assignments/{assignment}/check-in"),
            Some(&officer.access),
            &json!({"latitude": 35.9701, "longitude": 120.1901}),
        )
        .await;
    assert_eq!(checked_in.status(), 200, "{}", checked_in.text().await.unwrap());
    let assignment_url = format!("/api/v1/assignments/{assignment}");
    assert_error(
        app.delete(&assignment_url, Some(&w.admin.access)).await,
        409,
        "assignment_started",
    )
    .await;

    // One not started is withdrawn, and then its target may go.
    let second_target = created(
        &app,
        &w.admin,
        &format!("/api/v1/events/{week}/targets"),
        json!({"name": "海关查验场", "unitId": w.unit_b}),
    )
    .await;
    let later = created(
        &app,
        &w.admin,
        &format!("/api/v1/events/{week}/assignments"),
        json!({"targetId": second_target, "officerId": officer.id(), "windowStart": (now + Duration::days(1)).to_rfc3339(), "windowEnd": (now + Duration::days(2)).to_rfc3339()}),
    )
    .await;
    assert_error(
        app.delete(&format!("/api/v1/assignments/{later}"), Some(&officer.access))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.delete(&format!("/api/v1/assignments/{later}"), Some(&w.admin.access))
            .await
            .status(),
        204
    );
    let mine: Value = app.get_json("/api/v1/me/assignments", Some(&officer.access)).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(
        app.delete(&format!("/api/v1/targets/{second_target}"), Some(&w.admin.access))
            .await
            .status(),
        204
    );
    let targets: Value = app
        .get_json(&format!("/api/v1/events/{week}/targets"), Some(&w.admin.access))
        .await;
    assert_eq!(targets.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_hidden_post_is_shown_again_by_a_moderator() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut body = event_body("complaint_day", "吐槽日", &[&w.enterprise]);
    body["opensAt"] = json!(Utc::now().to_rfc3339());
    let day = created(&app, &w.admin, "/api/v1/events", body).await;
    event_move(&app, &w.admin, &day, "publish").await;
    event_move(&app, &w.admin, &day, "open").await;
    let post = created(
        &app,
        &w.member,
        &format!("/api/v1/events/{day}/complaints"),
        json!({"content": "出口退税办理太慢，材料反复提交", "environment": "service", "anonymous": false}),
    )
    .await;
    let wall = format!("/api/v1/events/{day}/complaints");
    // An officer of the audience reads the wall.
    let reader = app.sign_in("c2-officer").await;
    app.grant(
        &w.admin,
        &reader.id(),
        json!({"role": "officer", "termEnds": "2030-12-31"}),
    )
    .await;
    let seen = |who: &Session| {
        let (app, wall) = (&app, wall.clone());
        let token = who.access.clone();
        async move {
            let page: Value = app.get_json(&wall, Some(&token)).await;
            page["items"].as_array().unwrap().len()
        }
    };
    assert_eq!(seen(&reader).await, 1);
    let hide = app
        .post(
            &format!("/api/v1/complaints/{post}/hide"),
            Some(&w.butler.access),
            &json!({"reason": "误判"}),
        )
        .await;
    assert_eq!(hide.status(), 200, "{}", hide.text().await.unwrap());
    assert_eq!(seen(&reader).await, 0);

    let unhide = format!("/api/v1/complaints/{post}/unhide");
    assert_error(
        app.post(&unhide, Some(&w.member.access), &json!({})).await,
        403,
        "forbidden",
    )
    .await;
    let res = app.post(&unhide, Some(&w.butler.access), &json!({})).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let shown: Value = res.json().await.unwrap();
    assert_eq!(shown["hidden"], false);
    assert_eq!(seen(&reader).await, 1);
}

#[tokio::test]
async fn admins_list_every_policy_preview_a_draft_s_reach_and_resend_conditions_in_any_order() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // Two software firms from the world, a logistics firm and a medium manufacturer.
    app.create_enterprise_with(&w.admin, 702, json!({"industryCode": "G5431", "scale": "small"}))
        .await;
    app.create_enterprise_with(&w.admin, 703, json!({"industryCode": "C3011", "scale": "medium"}))
        .await;
    let draft = |title: &str, conditions: Value| json!({"title": title, "issuer": "商务局", "explainer": explainer("区内企业", "补贴"), "conditions": conditions});
    let draft_id = created(
        &app,
        &w.admin,
        "/api/v1/policies",
        draft("软件企业研发补贴", json!({"industries": ["I"]})),
    )
    .await;
    let published_id = crate::policies::policy(
        &app,
        &w.admin,
        draft(
            "物流与制造企业扶持",
            json!({"industries": ["G", "C"], "scales": ["small", "medium"]}),
        ),
    )
    .await;

    // Every policy, drafts included; by status; by a word of the title or the issuer.
    let all: Value = app.get_json("/api/v1/policies", Some(&w.admin.access)).await;
    let ids: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [published_id.as_str(), draft_id.as_str()]);
    let drafts: Value = app
        .get_json("/api/v1/policies?status=draft", Some(&w.admin.access))
        .await;
    assert_eq!(drafts["items"].as_array().unwrap().len(), 1);
    assert_eq!(drafts["items"][0]["id"], draft_id.as_str());
    let found: Value = app
        .get_json(
            &format!("/api/v1/policies?q={}", urlencode("研发")),
            Some(&w.admin.access),
        )
        .await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let percent: Value = app
        .get_json(&format!("/api/v1/policies?q={}", urlencode("%")), Some(&w.admin.access))
        .await;
    assert_eq!(percent["items"], json!([]), "a typed % is not a wildcard");
    app.get_error(
        "/api/v1/policies?status=lost",
        Some(&w.admin.access),
        422,
        "validation_failed",
    )
    .await;
    app.get_error("/api/v1/policies", Some(&w.butler.access), 403, "forbidden")
        .await;

    // The reach of conditions as an editor changes them, nothing saved.
    let preview = |conditions: Value| {
        let (app, token) = (&app, w.admin.access.clone());
        async move {
            let res = app
                .post(
                    "/api/v1/policies/reach-preview",
                    Some(&token),
                    &json!({"conditions": conditions}),
                )
                .await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            res.json::<Value>().await.unwrap()
        }
    };
    assert_eq!(preview(json!({})).await["count"], 4);
    let software = preview(json!({"industries": ["I65"]})).await;
    assert_eq!(software["count"], 2);
    assert_eq!(software["items"].as_array().unwrap().len(), 2);
    assert!(
        software["items"][0]["reasons"].to_string().contains("I65"),
        "{software}"
    );
    let narrowed = preview(json!({"industries": ["I65", "C"], "scales": ["medium"]})).await;
    assert_eq!(narrowed["count"], 1);
    assert_eq!(narrowed["items"][0]["industryCode"], "C3011");
    let err = assert_error(
        app.post(
            "/api/v1/policies/reach-preview",
            Some(&w.admin.access),
            &json!({"conditions": {"industries": ["Z99"]}}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"][0]["field"], "conditions.industries[0]");
    assert_error(
        app.post(
            "/api/v1/policies/reach-preview",
            Some(&w.butler.access),
            &json!({"conditions": {}}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let stored: Value = app
        .get_json(&format!("/api/v1/policies/{draft_id}"), Some(&w.admin.access))
        .await;
    assert_eq!(
        stored["conditions"]["industries"],
        json!(["I"]),
        "a preview saves nothing"
    );

    // A published policy's conditions sent back in another order are the same conditions.
    let url = format!("/api/v1/policies/{published_id}");
    let mut same = draft(
        "物流与制造企业扶持（修订）",
        json!({"industries": ["c", "G", "C"], "scales": ["medium", "small"]}),
    );
    let res = app.put(&url, Some(&w.admin.access), &same).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    same["conditions"] = json!({"industries": ["G"], "scales": ["medium", "small"]});
    assert_error(
        app.put(&url, Some(&w.admin.access), &same).await,
        409,
        "policy_conditions_locked",
    )
    .await;
}

#[tokio::test]
async fn a_plan_import_is_previewed_row_by_row_without_writing_anything() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let plan = created(&app, &w.admin, "/api/v1/plans", json!({"title": "行动方案"})).await;
    let later = (api::types::today() + Duration::days(60)).to_string();
    let rows = sheet(&[
        &["类型", "事项", "方面", "责任单位", "牵头人", "完成时限", "里程碑"],
        &["任务", "推行企业开办一日办结", "", "税务局", "王伟", &later, ""],
        &["任务", "跨境贸易便利化", "", "商务局", "", &later, ""],
    ]);
    let res = app
        .upload(
            &format!("/api/v1/plans/{plan}/import?dryRun=true"),
            &w.admin.access,
            rows.clone(),
            "plan.xlsx",
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["dryRun"], true);
    assert_eq!(report["rows"], 2);
    assert_eq!(report["valid"], 1);
    assert_eq!(report["created"], 0);
    assert_eq!(report["errors"][0]["row"], 3);
    assert_eq!(report["errors"][0]["code"], "unknown_unit");
    assert_eq!(report["errors"][0]["value"], "商务局");
    let detail: Value = app
        .get_json(&format!("/api/v1/plans/{plan}"), Some(&w.admin.access))
        .await;
    assert_eq!(detail["items"], json!([]), "a preview writes nothing");
    // The real import of the same sheet is still refused whole.
    assert_error(
        app.upload(
            &format!("/api/v1/plans/{plan}/import"),
            &w.admin.access,
            rows,
            "plan.xlsx",
        )
        .await,
        422,
        "import_rejected",
    )
    .await;
}

#[tokio::test]
async fn each_group_shows_its_pushes_by_state() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let group = created(
        &app,
        &w.admin,
        "/api/v1/bot/groups",
        json!({"name": "企业服务群", "webhookKey": "good-key", "enterpriseIds": [w.enterprise]}),
    )
    .await;
    Mock::given(path("/cgi-bin/webhook/send"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0})))
        .mount(&app.wechat)
        .await;
    let first = created(
        &app,
        &w.admin,
        "/api/v1/events",
        event_body("complaint_day", "第一期吐槽日", &[&w.enterprise]),
    )
    .await;
    event_move(&app, &w.admin, &first, "publish").await;
    let groups: Value = app.get_json("/api/v1/bot/groups", Some(&w.admin.access)).await;
    assert_eq!(
        groups[0]["pushes"],
        json!({"waiting": 1, "sent": 0, "failed": 0, "uncertain": 0})
    );
    let pushed = api::jobs::webhooks::run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!(pushed.sent, 1);
    let groups: Value = app.get_json("/api/v1/bot/groups", Some(&w.admin.access)).await;
    assert_eq!(groups[0]["pushes"]["sent"], 1);
    assert_eq!(groups[0]["pushes"]["waiting"], 0);

    let url = format!("/api/v1/bot/groups/{group}/pushes");
    let pushes: Value = app.get_json(&url, Some(&w.admin.access)).await;
    let item = &pushes["items"][0];
    assert_eq!(item["status"], "sent");
    assert!(item["preview"].as_str().unwrap().contains("第一期吐槽日"), "{item}");
    assert!(item["sentAt"].is_string());
    app.get_error(&url, Some(&w.butler.access), 403, "forbidden").await;
    app.get_error(
        "/api/v1/bot/groups/987654/pushes",
        Some(&w.admin.access),
        404,
        "group_not_found",
    )
    .await;
}

#[tokio::test]
async fn the_audit_log_is_filtered_by_action_and_day() {
    let app = spawn_app().await;
    let w = world(&app).await;
    created(&app, &w.admin, "/api/v1/plans", json!({"title": "行动方案"})).await;
    let by_action: Value = app
        .get_json(
            &format!("/api/v1/audit-log?action={}", urlencode("/plans")),
            Some(&w.admin.access),
        )
        .await;
    let entries = by_action["items"].as_array().unwrap();
    assert!(!entries.is_empty());
    assert!(
        entries.iter().all(|e| e["action"].as_str().unwrap().contains("/plans")),
        "{by_action}"
    );
    let today = api::types::today();
    let count = |q: String| {
        let (app, token) = (&app, w.admin.access.clone());
        async move {
            let page: Value = app
                .get_json(&format!("/api/v1/audit-log?limit=100&{q}"), Some(&token))
                .await;
            page["items"].as_array().unwrap().len()
        }
    };
    assert!(count(format!("from={today}&to={today}")).await > 0);
    assert_eq!(count(format!("from={}", today + Duration::days(1))).await, 0);
    assert_eq!(count(format!("to={}", today - Duration::days(1))).await, 0);
    app.get_error(
        "/api/v1/audit-log?from=yesterday",
        Some(&w.admin.access),
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn admins_redefine_a_plan_item_and_its_unit_only_reports_on_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let plan = created(&app, &w.admin, "/api/v1/plans", json!({"title": "行动方案"})).await;
    let item = created(
        &app,
        &w.admin,
        &format!("/api/v1/plans/{plan}/items"),
        json!({"kind": "task", "title": "压缩办税时间", "unitId": w.unit_a, "lead": "王伟", "deadline": "2026-12-31"}),
    )
    .await;
    let url = format!("/api/v1/plan-items/{item}");
    // The unit reports; it does not redefine its task.
    let res = app
        .patch(&url, Some(&w.handler_a.access), &json!({"progress": 40}))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_error(
        app.patch(&url, Some(&w.handler_a.access), &json!({"deadline": "2027-06-30"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    // Admins change what it is; an empty lead clears it.
    let res = app
        .patch(
            &url,
            Some(&w.admin.access),
            &json!({"title": "压缩办税时间至1小时", "unitId": w.unit_b, "lead": "", "deadline": "2027-06-30"}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let it: Value = res.json().await.unwrap();
    assert_eq!(it["title"], "压缩办税时间至1小时");
    assert_eq!(it["unitId"], w.unit_b.as_str());
    assert_eq!(it["lead"], Value::Null);
    assert_eq!(it["deadline"], "2027-06-30");
    assert_eq!(it["progress"], 40, "the unit's report stays");
    // Now the other unit's item: the first unit's handler may no longer report on it.
    assert_error(
        app.patch(&url, Some(&w.handler_a.access), &json!({"progress": 50}))
            .await,
        403,
        "forbidden",
    )
    .await;
    for (bad, field) in [
        (json!({"title": "  "}), "title"),
        (json!({"unitId": "987654"}), "unitId"),
    ] {
        let err = assert_error(
            app.patch(&url, Some(&w.admin.access), &bad).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(err["fields"][0]["field"], field);
    }
}

#[tokio::test]
async fn people_are_listed_by_a_role_they_hold_today() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let officer = app.sign_in("c2-role-officer").await;
    app.grant(
        &w.admin,
        &officer.id(),
        json!({"role": "officer", "termEnds": "2030-12-31"}),
    )
    .await;
    // One whose appointment was revoked is no officer today.
    let past = app.sign_in("c2-past-officer").await;
    app.grant(
        &w.admin,
        &past.id(),
        json!({"role": "officer", "termEnds": "2030-12-31"}),
    )
    .await;
    let person: Value = app
        .get_json(&format!("/api/v1/users/{}", past.id()), Some(&w.admin.access))
        .await;
    let grant = person["roles"][0]["id"].as_str().unwrap();
    let res = app
        .delete(
            &format!("/api/v1/users/{}/roles/{grant}", past.id()),
            Some(&w.admin.access),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let page: Value = app.get_json("/api/v1/users?role=officer", Some(&w.admin.access)).await;
    let ids: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [officer.id().as_str()], "{page}");
    let handlers: Value = app.get_json("/api/v1/users?role=handler", Some(&w.admin.access)).await;
    assert_eq!(handlers["items"].as_array().unwrap().len(), 2);
    app.get_error(
        "/api/v1/users?role=king",
        Some(&w.admin.access),
        422,
        "validation_failed",
    )
    .await;
}

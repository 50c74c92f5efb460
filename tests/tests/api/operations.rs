//! Health, readiness, metrics, request ids, the OpenAPI document, start-up rules, demo data.
use serde_json::{Value, json};
use tests::{spawn_app, spawn_app_with};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers().get("x-qinqing-mode").unwrap(),
        "development",
        "development mode is loudly marked"
    );
    let ready: Value = app.get("/readyz", None).await.json().await.unwrap();
    assert_eq!(ready["status"], "ok");
    assert_eq!(ready["database"], "ok");
    let expected_cache = if app.settings.redis.url.is_some() {
        "ok"
    } else {
        "in-process"
    };
    assert_eq!(ready["cache"], expected_cache);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    for path in ["/healthz", "/api/v1/nothing-here", "/api/v1/me"] {
        let res = app.get(path, None).await;
        let id = res
            .headers()
            .get("x-request-id")
            .expect("x-request-id")
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(id.len(), 36, "{path}: {id}");
    }
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = spawn_app().await;
    app.get("/healthz", None).await;
    app.get("/api/v1/units/77", None).await;
    let text = app.get("/metrics", None).await.text().await.unwrap();
    assert!(text.contains("qinqing_http_requests_total"), "{text}");
    assert!(text.contains("qinqing_http_requests_duration_seconds_bucket"), "{text}");
    assert!(text.contains("endpoint=\"/healthz\""), "{text}");
    // Routes are labelled by pattern, not by id, and 401s are counted.
    assert!(text.contains("endpoint=\"/api/v1/units/{id}\""), "{text}");
    assert!(text.contains("status=\"401\""), "{text}");
}

#[tokio::test]
async fn the_openapi_document_is_valid_and_lists_every_route() {
    let app = spawn_app().await;
    let res = app.get("/api-docs/openapi.json", None).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let spec = oas3::from_json(&text).expect("a valid OpenAPI 3.1 document");
    assert!(spec.openapi.starts_with("3."));
    let doc: Value = serde_json::from_str(&text).unwrap();
    let mut listed: Vec<String> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            listed.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    listed.sort();
    let mut expected = vec![
        "GET /healthz",
        "GET /readyz",
        "POST /api/v1/auth/wechat",
        "POST /api/v1/auth/refresh",
        "POST /api/v1/auth/logout",
        "GET /api/v1/me",
        "POST /api/v1/me/phone",
        "POST /api/v1/me/enterprise",
        "GET /api/v1/users",
        "GET /api/v1/users/{id}",
        "POST /api/v1/users/{id}/roles",
        "DELETE /api/v1/users/{id}/roles/{grantId}",
        "GET /api/v1/units",
        "POST /api/v1/units",
        "GET /api/v1/units/{id}",
        "PATCH /api/v1/units/{id}",
        "GET /api/v1/bot/wecom/callback",
        "POST /api/v1/bot/wecom/callback",
        "GET /api/v1/bot/wecom/aibot",
        "POST /api/v1/bot/wecom/aibot",
        "GET /api/v1/bot/groups",
        "GET /api/v1/callbacks",
        "POST /api/v1/callbacks/{id}/calls",
        "GET /api/v1/callbacks/{id}/form",
        "GET /api/v1/reports",
        "POST /api/v1/reports",
        "GET /api/v1/reports/{id}",
        "GET /api/v1/reports/{id}/html",
        "GET /api/v1/reports/{id}/xlsx",
        "POST /api/v1/clues",
        "GET /api/v1/me/clues",
        "GET /api/v1/clues",
        "GET /api/v1/clues/{id}",
        "GET /api/v1/clues/figures",
        "GET /api/v1/clues/audit-log",
        "POST /api/v1/clues/{id}/accept",
        "POST /api/v1/clues/{id}/check",
        "POST /api/v1/clues/{id}/dispose",
        "POST /api/v1/clues/{id}/reveal",
        "POST /api/v1/clues/{id}/feedback",
        "POST /api/v1/clues/{id}/cases",
        "POST /api/v1/demands/{id}/clue",
        "POST /api/v1/clue-bulletins",
        "GET /api/v1/clue-bulletins",
        "GET /api/v1/clue-bulletins/{id}/html",
        "GET /api/v1/cases",
        "GET /api/v1/cases/{id}",
        "POST /api/v1/enterprises/{id}/visits",
        "GET /api/v1/enterprises/{id}/visits",
        "GET /api/v1/visits/due",
        "GET /api/v1/visit-intervals",
        "PUT /api/v1/visit-intervals/{tier}",
        "GET /api/v1/dashboard/visits",
        "POST /api/v1/leniency-items/import",
        "POST /api/v1/leniency-items/publish",
        "GET /api/v1/leniency-items",
        "POST /api/v1/inspections",
        "GET /api/v1/inspections",
        "GET /api/v1/inspections/{id}",
        "POST /api/v1/inspections/{id}/rating",
        "POST /api/v1/inspections/{id}/invites",
        "POST /api/v1/inspections/{id}/observations",
        "GET /api/v1/dashboard/inspections",
        "GET /api/v1/customer-groups",
        "POST /api/v1/customer-groups/sync",
        "PUT /api/v1/customer-groups/{id}/enterprises",
        "POST /api/v1/customer-groups/{id}/kf-link",
        "GET /api/v1/mass-sends",
        "GET /api/v1/customer-groups/by-chat/{chatId}",
        "POST /api/v1/customer-groups/{id}/sidebar-sends",
        "GET /api/v1/wecom/js-signature",
        "GET /api/v1/auth/wecom/authorize",
        "POST /api/v1/auth/wecom",
        "POST /api/v1/me/group-entries",
        "POST /api/v1/dev/kf-messages",
        "POST /api/v1/media/observations",
        "GET /api/v1/media/observations",
        "POST /api/v1/media/observations/{id}/demand",
        "POST /api/v1/media/publicity",
        "GET /api/v1/media/publicity",
        "POST /api/v1/plans",
        "GET /api/v1/plans",
        "GET /api/v1/plans/{id}",
        "POST /api/v1/plans/{id}/items",
        "POST /api/v1/plans/{id}/import",
        "GET /api/v1/plans/{id}/export",
        "PATCH /api/v1/plan-items/{id}",
        "POST /api/v1/plan-items/{id}/notes",
        "GET /api/v1/stats/plans",
        "GET /api/v1/dashboard/demands",
        "GET /api/v1/dashboard/programs",
        "GET /api/v1/dashboard/policies",
        "GET /api/v1/dashboard/callbacks",
        "GET /api/v1/dashboard/plans",
        "GET /api/v1/dashboard/publicity",
        "GET /api/v1/dashboard/units",
        "GET /api/v1/me/export",
        "DELETE /api/v1/me",
        "GET /api/v1/audit-log",
        "POST /api/v1/bot/groups",
        "PATCH /api/v1/bot/groups/{id}",
        "POST /api/v1/me/wecom-binding",
        "GET /api/v1/enterprises",
        "POST /api/v1/enterprises",
        "POST /api/v1/enterprises/import",
        "GET /api/v1/industries",
        "GET /api/v1/enterprises/{id}",
        "PATCH /api/v1/enterprises/{id}",
        "POST /api/v1/enterprises/{id}/invite-code",
        "GET /api/v1/binding-requests",
        "POST /api/v1/binding-requests/{id}/approve",
        "POST /api/v1/binding-requests/{id}/reject",
        "GET /api/v1/dev/personas",
        "POST /api/v1/demands",
        "GET /api/v1/demands",
        "GET /api/v1/demands/{id}",
        "POST /api/v1/demands/{id}/accept",
        "POST /api/v1/demands/{id}/reject",
        "POST /api/v1/demands/{id}/assign",
        "POST /api/v1/demands/{id}/sign",
        "POST /api/v1/demands/{id}/return",
        "POST /api/v1/demands/{id}/reply",
        "POST /api/v1/demands/{id}/callback-rating",
        "POST /api/v1/demands/{id}/rate",
        "POST /api/v1/demands/{id}/extend",
        "POST /api/v1/demands/{id}/approve-extension",
        "POST /api/v1/demands/{id}/flag-unreasonable",
        "POST /api/v1/demands/{id}/merge",
        "POST /api/v1/demands/{id}/supervise",
        "POST /api/v1/demands/{id}/comment",
        "GET /api/v1/notifications",
        "POST /api/v1/notifications/{id}/read",
        "POST /api/v1/notifications/read-all",
        "POST /api/v1/me/subscriptions",
        "POST /api/v1/files",
        "GET /api/v1/files/{id}",
        "GET /api/v1/stats/demands",
        "GET /api/v1/calendar",
        "PUT /api/v1/calendar/{date}",
        "DELETE /api/v1/calendar/{date}",
        "GET /api/v1/reply-templates",
        "POST /api/v1/reply-templates",
        "DELETE /api/v1/reply-templates/{id}",
        "GET /api/v1/policies/search",
        "GET /api/v1/policies/matched",
        "POST /api/v1/policies",
        "PUT /api/v1/policies/{id}",
        "GET /api/v1/policies/{id}",
        "POST /api/v1/policies/{id}/publish",
        "POST /api/v1/policies/{id}/ack",
        "GET /api/v1/policies/{id}/reach",
        "GET /api/v1/policies/{id}/matches",
        "POST /api/v1/forms",
        "GET /api/v1/forms/{id}",
        "POST /api/v1/events",
        "GET /api/v1/events",
        "GET /api/v1/events/{id}",
        "POST /api/v1/events/{id}/publish",
        "POST /api/v1/events/{id}/open",
        "POST /api/v1/events/{id}/close",
        "POST /api/v1/events/{id}/archive",
        "POST /api/v1/events/{id}/complaints",
        "GET /api/v1/events/{id}/complaints",
        "POST /api/v1/complaints/{id}/metoo",
        "POST /api/v1/complaints/{id}/hide",
        "GET /api/v1/events/{id}/summary",
        "POST /api/v1/events/{id}/submissions",
        "GET /api/v1/events/{id}/results",
        "POST /api/v1/events/{id}/publish-results",
        "POST /api/v1/events/{id}/targets",
        "GET /api/v1/events/{id}/targets",
        "POST /api/v1/events/{id}/assignments",
        "GET /api/v1/me/assignments",
        "POST /api/v1/assignments/{id}/check-in",
        "POST /api/v1/assignments/{id}/report",
        "GET /api/v1/events/{id}/reports",
        "POST /api/v1/supervision-activities",
        "GET /api/v1/supervision-activities",
        "POST /api/v1/supervision-activities/{id}/demands",
        "GET /api/v1/events/{id}/export",
        // The console (issue 18).
        "POST /api/v1/auth/console-tickets",
        "GET /api/v1/auth/console-tickets/{ticket}",
        "POST /api/v1/auth/console-tickets/{ticket}/confirm",
        "POST /api/v1/auth/console-tickets/{ticket}/session",
        "POST /api/v1/auth/console/dev",
        "POST /api/v1/auth/console/logout",
        "POST /api/v1/auth/console/refresh",
        "GET /api/v1/demands/queue-counts",
        "POST /api/v1/demands/bulk/accept",
        "POST /api/v1/demands/bulk/assign",
        "POST /api/v1/demands/{id}/presence",
        "GET /api/v1/enterprises/lookup",
        "POST /api/v1/telephony/events",
        "GET /api/v1/calls",
        "GET /api/v1/calls/stream",
        "POST /api/v1/calls/{id}/resolve",
        "PATCH /api/v1/users/{id}",
        "GET /api/v1/notifications/unread-count",
        // The mini-program's release (issue 20).
        "GET /api/v1/mystery-reports",
        // The console's second half (issue 19).
        "GET /api/v1/forms",
        "PATCH /api/v1/events/{id}",
        "DELETE /api/v1/events/{id}",
        "GET /api/v1/events/{id}/assignments",
        "DELETE /api/v1/assignments/{id}",
        "PATCH /api/v1/targets/{id}",
        "DELETE /api/v1/targets/{id}",
        "POST /api/v1/complaints/{id}/unhide",
        "GET /api/v1/policies",
        "POST /api/v1/policies/reach-preview",
        "GET /api/v1/bot/groups/{id}/pushes",
    ];
    expected.sort();
    assert_eq!(listed, expected);
    // Each operation has its own id (generated clients name their types by it).
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "operation ids repeat");
    // Every schema a path refers to is defined.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &reference[..reference.find('"').unwrap()];
        assert!(schemas.contains_key(name), "missing schema {name}");
    }
    let ui = app.get("/api-docs", None).await;
    assert_eq!(ui.status(), 200);
    assert!(ui.text().await.unwrap().contains("<html"));
}

#[tokio::test]
async fn production_refuses_to_start_with_unsafe_settings_and_names_them() {
    let wechat = wiremock::MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = tests::test_settings(&wechat, &dir).await;
    settings.env = api::settings::Environment::Production;
    settings.wechat.app_secret = None;
    // An SMS key without the rest would queue messages that can never go.
    settings.sms.secret_id = Some("AKIDhalf".into());
    let err = match api::startup::Application::build(settings).await {
        Ok(_) => panic!("production with development settings must not start"),
        Err(err) => format!("{err:#}"),
    };
    for name in [
        "QINQING_WECHAT__DEV_MODE",
        "QINQING_AUTH__JWT_SECRET",
        "QINQING_WECHAT__APP_SECRET",
        "QINQING_WECOM__ROBOT_AES_KEY",
        "QINQING_SMS__SIGN_NAME",
    ] {
        assert!(err.contains(name), "{err} should name {name}");
    }
}

#[tokio::test]
async fn demo_data_loads_once_with_a_persona_for_each_role() {
    let app = spawn_app_with(|s| s.demo_data = Some(true)).await;
    let personas: Value = app.get("/api/v1/dev/personas", None).await.json().await.unwrap();
    let mut roles: Vec<String> = personas["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_owned())
        })
        .collect();
    roles.sort();
    roles.dedup();
    assert_eq!(
        roles,
        [
            "admin",
            "butler",
            "discipline",
            "enterprise",
            "handler",
            "media",
            "officer",
            "supervisor"
        ]
    );

    // The seed's clues, in the seed's words.
    let discipline = app.sign_in("demo-discipline").await;
    let figures = app.get_json("/api/v1/clues/figures", Some(&discipline.access)).await;
    assert_eq!(
        figures["sentence"], "线索 5 件，办结 4 件，正在办理 1 件；处分 4 人",
        "{figures}"
    );

    let admin = app.sign_in("demo-admin").await;
    let units: Value = app
        .get("/api/v1/units", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = units["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"税务局") && names.contains(&"市场监管局") && names.contains(&"海关"),
        "{names:?}"
    );
    let enterprises: Value = app
        .get("/api/v1/enterprises?limit=100", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(enterprises["items"].as_array().unwrap().len(), 12);

    let member = app.sign_in("demo-enterprise").await;
    assert!(member.user["enterprise"]["name"].as_str().unwrap().contains("海纳"));
    // The demo policies: the manufacturer with 高新技术企业 sees three, the shared tag first.
    let feed: Value = app
        .get("/api/v1/policies/matched", Some(&member.access))
        .await
        .json()
        .await
        .unwrap();
    let titles: Vec<&str> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec![
            "高新技术企业认定奖励办法",
            "制造业企业技术改造补贴",
            "高层次人才引进补贴实施细则"
        ]
    );
    // The index was built from the database at start.
    let hits: Vec<Value> = app
        .get("/api/v1/policies/search?q=%E9%AB%98%E4%BC%81", Some(&member.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hits[0]["title"][0]["text"], "高新技术企业");
    let handler = app.sign_in("demo-handler-tax").await;
    assert_eq!(handler.user["roles"][0]["unitName"], "税务局");
    // Every demo enterprise is new: the demo butler has a call-back queue, admins see all 12.
    let butler = app.sign_in("demo-butler").await;
    let queue: Value = app.get_json("/api/v1/callbacks?limit=100", Some(&butler.access)).await;
    assert_eq!(
        queue["items"].as_array().unwrap().len(),
        12,
        "the only butler calls them all"
    );
    // The dashboard and the media pages have something to show.
    let plans: Value = app
        .get("/api/v1/dashboard/plans", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        plans["byStatus"],
        json!({"done": 1, "inProgress": 1, "overdue": 1, "notStarted": 1})
    );
    let media = app.sign_in("demo-media").await;
    let mine: Value = app
        .get("/api/v1/media/observations", Some(&media.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["kind"], "finding");

    // A second start does not load it again.
    assert!(!api::service::demo::load_once(&app.db).await.unwrap());
}

//! The authorization matrix, generated from the route table (the OpenAPI document the server
//! builds from its routes): every route must have an entry below, so a new route without one
//! fails this test. Every route × every persona × the persona's own object or another's:
//! without a token a route answers 401 (unless public or signed by WeCom); each persona the
//! entry does not admit is refused (403 or 404) — writes with a body the route's schema
//! accepts, so the refusal comes from the role check and not from the body; on reads, each
//! persona it admits and an admin get 2xx, on real objects.
use std::collections::HashMap;

use serde_json::{Map, Value, json};
use tests::{Session, TestApp, spawn_app_with};

use tests::world::{created, event_ready, file_demand, id_of, post_ok, world};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    /// No token needed.
    Public,
    /// The WeCom callbacks: a signature instead of a token.
    Signed,
    /// Any signed-in person; the object or the list is scoped by the service.
    Person,
    /// Anyone holding one of these roles, whatever the object (admins always included).
    Roles(&'static [&'static str]),
    /// Only these personas (by name: see `role_of`), on the objects that are theirs (their
    /// enterprise's, their unit's, the enterprise they serve, their own assignment); the same
    /// role on another's object is refused (admins always included).
    Owners(&'static [&'static str]),
    /// Anyone holding one of these roles, and no one else: admins are refused too (conduct
    /// clues are for discipline staff alone).
    Only(&'static [&'static str]),
}

use Who::{Only, Owners, Person, Public, Roles, Signed};

const STAFF: &[&str] = &["butler", "handler"];
const COMPLAINT_WALL: &[&str] = &["enterprise", "officer", "butler", "butler-other"];

/// The entry of each route.
fn rule(method: &str, path: &str) -> Option<Who> {
    let p = path.trim_start_matches("/api/v1");
    Some(match (method, p) {
        ("GET", "/healthz" | "/readyz" | "/dev/personas") => Public,
        // Development mode only: the bot simulator's 微信客服 path.
        ("POST", "/dev/kf-messages") => Public,
        // Logout revokes the refresh token it is given.
        ("POST", "/auth/wechat" | "/auth/refresh" | "/auth/logout") => Public,
        // The console's sign-in: a ticket's secret or the refresh cookie instead of a token.
        (
            "POST",
            "/auth/console-tickets"
            | "/auth/console-tickets/{ticket}/session"
            | "/auth/console/refresh"
            | "/auth/console/logout"
            | "/auth/console/dev",
        ) => Public,
        // Anyone signed in sees which browser asks; only desk staff confirm.
        ("GET", "/auth/console-tickets/{ticket}" | "/notifications/unread-count") => Person,
        ("POST", "/auth/console-tickets/{ticket}/confirm") => Roles(&["butler", "handler", "discipline"]),
        // The phone system: its token instead of a person's.
        ("POST", "/telephony/events") => Signed,
        (_, "/bot/wecom/callback" | "/bot/wecom/aibot") => Signed,
        ("GET", "/me/export") => Person,
        // Conduct clues: anyone reports one and follows their own; typical cases are for
        // everyone signed in; everything else about clues is discipline staff's alone.
        ("POST", "/clues") | ("GET", "/me/clues" | "/cases" | "/cases/{id}") => Person,
        (_, p) if p.starts_with("/clues") || p.starts_with("/clue-bulletins") => Only(&["discipline"]),
        // A demand's butler refers it (admins too).
        ("POST", "/demands/{id}/clue") => Owners(&["butler"]),
        ("GET", "/audit-log") => Roles(&[]),
        ("GET", "/me" | "/notifications" | "/demands" | "/calendar" | "/industries" | "/events") => Person,
        ("GET", "/policies/search" | "/units" | "/units/{id}") => Person,
        ("GET", "/policies/{id}") => Person,
        // The uploader (files attached to an object are read through it).
        ("GET", "/files/{id}") => Owners(&["enterprise"]),
        // An event's audience: the scorecard round's invited enterprise; once published, its
        // results.
        ("GET", "/events/{id}" | "/events/{id}/results") => Owners(&["enterprise"]),
        // The complaint day's audience (its enterprise and the officers) and the moderators;
        // the summary once it closed.
        ("GET", "/events/{id}/complaints" | "/events/{id}/summary") => Owners(COMPLAINT_WALL),
        // The demand's enterprise, its butler and the handlers of the unit it went to.
        ("GET", "/demands/{id}") => Owners(&["enterprise", "butler", "handler"]),
        // Respondents read the form they answer; everyone's own assignments (empty for most).
        ("GET", "/forms/{id}" | "/me/assignments") => Person,
        ("GET", "/policies/matched") => Roles(&["enterprise"]),
        ("GET", "/users" | "/users/{id}" | "/bot/groups" | "/policies/{id}/reach") => Roles(&[]),
        // The console's second half: forms, every policy with drafts, a group's pushes, a
        // week's assignments with the officers named.
        ("GET", "/forms" | "/policies" | "/bot/groups/{id}/pushes" | "/events/{id}/assignments") => Roles(&[]),
        ("GET", "/events/{id}/targets") => Roles(&["officer"]),
        ("GET", "/events/{id}/export") => Roles(&[]),
        // A unit's handlers read the mystery-shopper reports on their unit, without the visitor.
        ("GET", "/events/{id}/reports" | "/mystery-reports") => Roles(&["handler"]),
        ("GET", "/reports" | "/reports/{id}" | "/reports/{id}/html" | "/reports/{id}/xlsx") => Roles(&[]),
        ("GET", "/plans/{id}/export" | "/stats/plans") => Roles(&[]),
        (
            "GET",
            "/dashboard/callbacks"
            | "/dashboard/demands"
            | "/dashboard/plans"
            | "/dashboard/policies"
            | "/dashboard/programs"
            | "/dashboard/publicity"
            | "/dashboard/units"
            | "/dashboard/visits"
            | "/dashboard/inspections",
        ) => Roles(&[]),
        // 三上门: the enterprise's butler records a visit; its readers read them; butlers see
        // what is due and the intervals, admins set them.
        ("POST", "/enterprises/{id}/visits") => Owners(&["butler"]),
        ("GET", "/enterprises/{id}/visits") => Owners(&["butler", "enterprise"]),
        ("GET", "/visits/due" | "/visit-intervals") => Roles(&["butler"]),
        ("PUT", "/visit-intervals/{tier}") => Roles(&[]),
        // On-site inspections: a unit's handler registers; each sees their own in the list;
        // the enterprise's members and butler and its units' handlers read one; members rate.
        ("POST", "/inspections") => Roles(&["handler"]),
        // The leniency lists: admins import and publish; everyone signed in searches.
        ("POST", "/leniency-items/import" | "/leniency-items/publish") => Roles(&[]),
        ("GET", "/leniency-items") => Person,
        ("GET", "/inspections") => Person,
        ("GET", "/inspections/{id}") => Owners(&["enterprise", "handler", "butler", "officer"]),
        ("POST", "/inspections/{id}/rating") => Owners(&["enterprise"]),
        // Its units' handlers invite officers and media observers; the invited observe.
        ("POST", "/inspections/{id}/invites") => Owners(&["handler"]),
        ("POST", "/inspections/{id}/observations") => Owners(&["officer"]),
        ("GET", "/callbacks" | "/stats/demands") => Roles(&["butler"]),
        ("GET", "/demands/queue-counts") => Roles(STAFF),
        // The hotline desk: butlers are its agents.
        ("GET", "/enterprises/lookup" | "/calls" | "/calls/stream") => Roles(&["butler"]),
        ("GET", "/callbacks/{id}/form") => Owners(&["butler"]),
        // Supervisors pick the enterprises they met.
        ("GET", "/enterprises") => Roles(&["butler", "supervisor"]),
        ("GET", "/binding-requests") => Roles(&["butler"]),
        ("GET", "/policies/{id}/matches") => Roles(&["butler"]),
        ("GET", "/enterprises/{id}") => Owners(&["butler", "enterprise"]),
        ("GET", "/reply-templates") => Roles(STAFF),
        ("GET", "/plans" | "/plans/{id}") => Roles(&["handler"]),
        ("GET", "/media/observations") => Roles(&["media", "butler"]),
        ("GET", "/media/publicity") => Roles(&["media"]),
        ("GET", "/supervision-activities") => Roles(&["supervisor"]),

        // Writes.
        ("POST" | "DELETE", "/me" | "/me/enterprise" | "/me/phone" | "/me/subscriptions" | "/me/wecom-binding") => {
            Person
        }
        ("POST", "/files" | "/notifications/read-all") => Person,
        ("POST", "/notifications/{id}/read") => Owners(&["enterprise"]),
        ("POST", "/assignments/{id}/check-in" | "/assignments/{id}/report") => Owners(&["officer"]),
        ("POST", "/binding-requests/{id}/approve" | "/binding-requests/{id}/reject") => Owners(&["butler"]),
        ("POST" | "PATCH", "/bot/groups" | "/bot/groups/{id}") => Roles(&[]),
        ("PUT" | "DELETE", "/calendar/{date}") => Roles(&[]),
        ("POST", "/callbacks/{id}/calls") => Owners(&["butler"]),
        ("POST", "/complaints/{id}/hide" | "/complaints/{id}/unhide") => Roles(&["butler"]),
        ("POST", "/complaints/{id}/metoo") => Owners(&["enterprise", "officer"]),
        ("POST", "/demands") => Person,
        ("POST", "/demands/bulk/accept" | "/demands/bulk/assign") => Roles(&["butler"]),
        // Staff who may read the demand: its enterprise's butler, its unit's handlers.
        ("POST", "/demands/{id}/presence") => Owners(&["butler", "handler"]),
        ("POST", "/calls/{id}/resolve") => Roles(&["butler"]),
        ("PATCH", "/users/{id}") => Roles(&[]),
        ("POST", "/demands/{id}/accept" | "/demands/{id}/assign" | "/demands/{id}/merge") => Owners(&["butler"]),
        ("POST", "/demands/{id}/reject" | "/demands/{id}/approve-extension") => Owners(&["butler"]),
        ("POST", "/demands/{id}/flag-unreasonable" | "/demands/{id}/supervise") => Owners(&["butler"]),
        ("POST", "/demands/{id}/callback-rating") => Owners(&["butler"]),
        ("POST", "/demands/{id}/sign" | "/demands/{id}/reply" | "/demands/{id}/return") => Owners(&["handler"]),
        ("POST", "/demands/{id}/extend") => Owners(&["handler"]),
        ("POST", "/demands/{id}/rate") => Owners(&["enterprise"]),
        ("POST", "/demands/{id}/comment") => Owners(&["enterprise", "butler", "handler"]),
        ("POST", "/enterprises" | "/enterprises/import") => Roles(&[]),
        ("PATCH", "/enterprises/{id}") | ("POST", "/enterprises/{id}/invite-code") => Owners(&["butler", "enterprise"]),
        ("POST", "/events") => Roles(&[]),
        ("PATCH" | "DELETE", "/events/{id}" | "/targets/{id}") | ("DELETE", "/assignments/{id}") => Roles(&[]),
        ("POST", "/policies/reach-preview") => Roles(&[]),
        (
            "POST",
            "/events/{id}/publish"
            | "/events/{id}/open"
            | "/events/{id}/close"
            | "/events/{id}/archive"
            | "/events/{id}/publish-results"
            | "/events/{id}/targets"
            | "/events/{id}/assignments",
        ) => Roles(&[]),
        // The audience of the complaint day: its invited enterprise and the officers.
        ("POST", "/events/{id}/complaints") => Owners(&["enterprise", "officer"]),
        ("POST", "/events/{id}/submissions") => Owners(&["enterprise"]),
        ("POST", "/forms" | "/plans" | "/plans/{id}/import" | "/plans/{id}/items") => Roles(&[]),
        ("PATCH", "/plan-items/{id}") => Owners(&["handler"]),
        ("POST", "/plan-items/{id}/notes") => Owners(&["handler"]),
        ("POST" | "PUT", "/policies" | "/policies/{id}" | "/policies/{id}/publish") => Roles(&[]),
        ("POST", "/policies/{id}/ack") => Person,
        ("POST", "/media/observations" | "/media/publicity") => Roles(&["media"]),
        ("POST", "/media/observations/{id}/demand") => Roles(&["butler"]),
        ("POST", "/reply-templates") => Roles(&["handler"]),
        ("DELETE", "/reply-templates/{id}") => Owners(&["handler"]),
        ("POST", "/reports" | "/units") => Roles(&[]),
        ("PATCH", "/units/{id}") => Roles(&[]),
        ("POST", "/supervision-activities") => Roles(&["supervisor"]),
        ("POST", "/supervision-activities/{id}/demands") => Owners(&["supervisor"]),
        ("POST" | "DELETE", "/users/{id}/roles" | "/users/{id}/roles/{grantId}") => Roles(&[]),
        // Customer groups: butlers see their own (scoped by the service), admins all; the
        // sidebar's group and its sends are the owner's; WeCom's web sign-in is the sidebar's.
        ("GET", "/customer-groups" | "/mass-sends" | "/wecom/js-signature") => Roles(&["butler"]),
        ("POST", "/customer-groups/sync" | "/customer-groups/{id}/kf-link") => Roles(&[]),
        ("PUT", "/customer-groups/{id}/enterprises") => Roles(&[]),
        ("GET", "/customer-groups/by-chat/{chatId}") => Owners(&["butler"]),
        ("POST", "/customer-groups/{id}/sidebar-sends") => Owners(&["butler"]),
        ("GET", "/auth/wecom/authorize") | ("POST", "/auth/wecom") => Public,
        ("POST", "/me/group-entries") => Person,
        _ => return None,
    })
}

/// The persona's role: `butler-other` is a butler, on objects not theirs.
fn role_of(persona: &str) -> &str {
    persona.trim_end_matches("-other")
}

fn admits(who: Who, persona: &str) -> bool {
    match who {
        Public | Signed | Person => true,
        Roles(roles) => roles.contains(&role_of(persona)),
        Owners(owners) => owners.contains(&persona),
        Only(roles) => roles.contains(&role_of(persona)),
    }
}

/// Reads an admin may get a refusal on, with the reason.
fn admin_exception(path: &str) -> Option<u16> {
    match path {
        // Not a member of an enterprise.
        "/api/v1/policies/matched" => Some(403),
        // A file attached to nothing yet is its uploader's alone.
        "/api/v1/files/{id}" => Some(403),
        _ => None,
    }
}

/// A body the schema accepts: every required property with a value of its type (the first
/// value of an enum, today for a date, `"1"` for an id or a text).
fn example(doc: &Value, schema: &Value) -> Value {
    if let Some(name) = schema["$ref"].as_str() {
        let name = name.trim_start_matches("#/components/schemas/");
        return example(doc, &doc["components"]["schemas"][name]);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let first = options.iter().find(|o| o["type"] != "null").unwrap_or(&Value::Null);
            return example(doc, first);
        }
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    let ty = match &schema["type"] {
        Value::Array(types) => types.iter().find(|t| *t != "null").cloned().unwrap_or(Value::Null),
        t => t.clone(),
    };
    match ty.as_str().unwrap_or("object") {
        "object" => {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut out = Map::new();
            for name in required {
                out.insert(name.to_owned(), example(doc, &schema["properties"][name]));
            }
            Value::Object(out)
        }
        "array" => json!([]),
        "integer" | "number" => json!(1),
        "boolean" => json!(false),
        _ => match schema["format"].as_str() {
            Some("date-time") => json!(chrono::Utc::now().to_rfc3339()),
            Some("date") => json!(api::types::today().to_string()),
            _ => json!("1"),
        },
    }
}

/// The request body a route takes, from its schema; multipart routes get a small file.
enum Body {
    None,
    Json(Value),
    Multipart,
}

fn body_of(doc: &Value, operation: &Value) -> Body {
    let content = &operation["requestBody"]["content"];
    if content["multipart/form-data"].is_object() {
        Body::Multipart
    } else if let Some(schema) = content["application/json"]["schema"].as_object() {
        Body::Json(example(doc, &Value::Object(schema.clone())))
    } else {
        Body::None
    }
}

/// The request made wrong: a JSON body with a field no route takes, and every query parameter
/// the route declares set to something no typed parameter accepts.
fn garbled(doc: &Value, method: &str, path: &str, url: &str, body: &Body) -> (String, Body) {
    let params: Vec<&str> = doc["paths"][path][method.to_lowercase()]["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query")
        .filter_map(|p| p["name"].as_str())
        .collect();
    let url = if params.is_empty() {
        url.to_owned()
    } else {
        let sep = if url.contains('?') { '&' } else { '?' };
        let query: Vec<String> = params.iter().map(|p| format!("{p}=not-a-value")).collect();
        format!("{url}{sep}{}", query.join("&"))
    };
    let body = match body {
        Body::Json(_) => Body::Json(json!({"notAField": true})),
        Body::Multipart => Body::Multipart,
        Body::None => Body::None,
    };
    (url, body)
}

struct Fixture {
    ids: HashMap<&'static str, String>,
}

impl Fixture {
    /// The path with each `{id}` replaced by a real object of the route's kind (an event of
    /// the kind the route serves), and the query a route requires.
    fn fill(&self, path: &str) -> String {
        let kind = match path {
            "/api/v1/events/{id}/complaints" | "/api/v1/events/{id}/summary" => "complaint_day",
            "/api/v1/events/{id}/targets" | "/api/v1/events/{id}/reports" | "/api/v1/events/{id}/assignments" => {
                "mystery_week"
            }
            _ => path
                .trim_start_matches("/api/v1/")
                .split('/')
                .next()
                .unwrap_or_default(),
        };
        let mut filled = path.to_owned();
        if path.contains("{id}") {
            let id = self
                .ids
                .get(kind)
                .unwrap_or_else(|| panic!("the fixture has no object of the kind of {path}"));
            filled = filled.replace("{id}", id);
        }
        let query = match path {
            "/api/v1/policies/search" => "?q=人才",
            "/api/v1/stats/demands" => "?from=2026-01-01&to=2026-12-31",
            "/api/v1/enterprises/lookup" => "?q=测试",
            "/api/v1/wecom/js-signature" => "?url=https://zone.example/console/sidebar&kind=agent",
            "/api/v1/auth/wecom/authorize" => "?redirect=https://zone.example/console/sidebar",
            _ => "",
        };
        let filled = filled
            .replace("{grantId}", &self.ids["grant"])
            .replace("{ticket}", &self.ids["ticket"])
            .replace("{date}", "2026-12-01")
            .replace("{chatId}", "wr-authz")
            .replace("{tier}", "key");
        format!("{filled}{query}")
    }
}

/// The personas (see `role_of`) and one object of each kind: the demand is the `enterprise`
/// persona's, accepted by its `butler` and sent to the `handler`'s unit; the assignment is the
/// `officer`'s; the activity the `supervisor`'s.
async fn fixture(app: &TestApp, w: &tests::world::World, personas: &HashMap<&str, Session>) -> Fixture {
    let admin = &w.admin;
    let mut ids = HashMap::new();
    let demand = file_demand(app, &w.member, false).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (action, body) in [("accept", json!({})), ("assign", json!({"unitId": w.unit_a}))] {
        let res = tests::world::act(app, &w.butler, &demand, action, body).await;
        assert_eq!(res.status(), 200, "{action}");
    }
    ids.insert("demands", demand);
    ids.insert("units", w.unit_a.clone());
    // Someone who is none of the personas (one reading their own record may).
    ids.insert("users", w.colleague.id());
    ids.insert("enterprises", w.enterprise.clone());
    let png = tests::PNG.to_vec();
    ids.insert(
        "files",
        id_of(app.upload("/api/v1/files", &w.member.access, png, "a.png").await).await,
    );
    let form = json!({"title": "出卷", "body": {"sections": [{"id": "s", "title": "税务", "questions": [
        {"id": "speed", "type": "rating", "title": "速度", "required": true, "unitCode": "tax"}]}]}});
    let form_id = created(app, admin, "/api/v1/forms", form).await;
    ids.insert("forms", form_id.clone());
    let now = chrono::Utc::now();
    let week = (now + chrono::Duration::days(7)).to_rfc3339();
    let scorecard = json!({"kind": "scorecard_round", "title": "出卷", "opensAt": now.to_rfc3339(), "closesAt": week,
        "invitedEnterpriseIds": [w.enterprise], "formId": form_id});
    let scorecard = event_ready(app, admin, scorecard).await;
    // Closed, its results published (a participant reads them).
    for action in ["close", "publish-results"] {
        post_ok(app, admin, &format!("/api/v1/events/{scorecard}/{action}")).await;
    }
    ids.insert("events", scorecard);
    let complaint_day = json!({"kind": "complaint_day", "title": "吐槽日", "opensAt": now.to_rfc3339(), "closesAt": week,
        "audienceRoles": ["officer"], "invitedEnterpriseIds": [w.enterprise]});
    let complaint_day = event_ready(app, admin, complaint_day).await;
    let complaint = json!({"content": "出口退税办理太慢", "environment": "service", "anonymous": false});
    let path = format!("/api/v1/events/{complaint_day}/complaints");
    ids.insert("complaints", created(app, &w.member, &path, complaint).await);
    // Closed, with its summary.
    post_ok(app, admin, &format!("/api/v1/events/{complaint_day}/close")).await;
    ids.insert("complaint_day", complaint_day);
    let mystery = json!({"kind": "mystery_shopper_week", "title": "暗访周", "opensAt": now.to_rfc3339(), "closesAt": week,
        "audienceRoles": ["officer"], "formId": ids["forms"]});
    let mystery = event_ready(app, admin, mystery).await;
    let target = json!({"name": "办税服务厅3号窗口", "unitId": w.unit_a});
    let target = created(app, admin, &format!("/api/v1/events/{mystery}/targets"), target).await;
    ids.insert("targets", target.clone());
    let assignment = json!({"targetId": target, "officerId": personas["officer"].id(),
        "windowStart": now.to_rfc3339(), "windowEnd": (now + chrono::Duration::days(1)).to_rfc3339()});
    let path = format!("/api/v1/events/{mystery}/assignments");
    ids.insert("assignments", created(app, admin, &path, assignment).await);
    ids.insert("mystery_week", mystery);
    let policy = json!({"title": "人才补贴", "issuer": "人才局", "explainer": crate::policies::explainer("区内企业", "补贴"), "conditions": {}});
    let policy_id = created(app, admin, "/api/v1/policies", policy).await;
    let res = app
        .post(
            &format!("/api/v1/policies/{policy_id}/publish"),
            Some(&admin.access),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    ids.insert("policies", policy_id);
    let plan = created(app, admin, "/api/v1/plans", json!({"title": "行动方案"})).await;
    let item = json!({"kind": "task", "title": "压缩办税时间", "unitId": w.unit_a, "deadline": "2026-12-31"});
    ids.insert(
        "plan-items",
        created(app, admin, &format!("/api/v1/plans/{plan}/items"), item).await,
    );
    ids.insert("plans", plan);
    let last_week =
        api::domain::report::Period::last_complete(api::domain::report::ReportKind::Weekly, api::types::today());
    let report = json!({"kind": "weekly", "periodFrom": last_week.from});
    ids.insert("reports", created(app, admin, "/api/v1/reports", report).await);
    let tasks = app.get_json("/api/v1/callbacks?status=all", Some(&admin.access)).await;
    ids.insert("callbacks", tasks["items"][0]["id"].as_str().unwrap().to_owned());
    // Someone asks to join the enterprise.
    let uscc: Value = app
        .get_json(&format!("/api/v1/enterprises/{}", w.enterprise), Some(&admin.access))
        .await;
    let binder = app.sign_in("z-binder").await;
    let res = app
        .post(
            "/api/v1/me/enterprise",
            Some(&binder.access),
            &json!({"uscc": uscc["uscc"]}),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let requests: Value = app.get_json("/api/v1/binding-requests", Some(&admin.access)).await;
    let first = requests.as_array().or(requests["items"].as_array()).unwrap()[0]["id"].clone();
    ids.insert("binding-requests", first.as_str().unwrap().to_owned());
    let group = json!({"name": "园区群", "webhookKey": "authz-key", "enterpriseIds": [w.enterprise]});
    ids.insert("bot", created(app, admin, "/api/v1/bot/groups", group).await);
    let template = json!({"unitId": w.unit_a, "title": "退税答复", "content": "退税已办结。"});
    ids.insert(
        "reply-templates",
        created(app, admin, "/api/v1/reply-templates", template).await,
    );
    let activity = json!({"kind": "visit", "date": api::types::today().to_string(), "place": "园区", "enterpriseIds": [w.enterprise]});
    let activity = created(app, &personas["supervisor"], "/api/v1/supervision-activities", activity).await;
    ids.insert("supervision-activities", activity);
    let observation = json!({"kind": "finding", "title": "窗口排队", "content": "窗口排队时间长"});
    let observation = created(app, &personas["media"], "/api/v1/media/observations", observation).await;
    ids.insert("media", observation);
    let notes: Value = app.get_json("/api/v1/notifications", Some(&w.member.access)).await;
    let first = notes.as_array().or(notes["items"].as_array()).unwrap()[0]["id"].clone();
    ids.insert("notifications", first.as_str().unwrap().to_owned());
    let person: Value = app
        .get(
            &format!("/api/v1/users/{}", personas["officer"].id()),
            Some(&admin.access),
        )
        .await
        .json()
        .await
        .unwrap();
    let grant = person["roles"][0]["id"].as_str().unwrap().to_owned();
    ids.insert("grant", grant);
    // A sign-in ticket waiting for its confirmation, and a call the phone system told of.
    let ticket: Value = app
        .post("/api/v1/auth/console-tickets", None, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    ids.insert("ticket", ticket["ticket"].as_str().unwrap().to_owned());
    tests::telephony(
        app,
        json!({"event": "newCall", "callId": "authz-1", "from": "13800000000", "to": "96123", "direction": "in"}),
    )
    .await;
    let calls = app.get_json("/api/v1/calls", Some(&admin.access)).await;
    ids.insert("calls", calls["items"][0]["id"].as_str().unwrap().to_owned());
    // An inspection of the member's enterprise by the handler's unit.
    let inspection = json!({"enterpriseId": w.enterprise, "unitIds": [w.unit_a], "inspectors": "张三（执法证 001）",
        "purpose": "安全生产检查", "legalBasis": "《安全生产法》第六十五条", "inspectedOn": api::types::today().to_string()});
    let inspection = created(app, &w.handler_a, "/api/v1/inspections", inspection).await;
    let invite = json!({"userIds": [personas["officer"].id()]});
    let path = format!("/api/v1/inspections/{inspection}/invites");
    post_json_ok(app, &w.handler_a, &path, invite).await;
    ids.insert("inspections", inspection);
    // A clue the member reported, closed by discipline staff, told as a typical case; a
    // bulletin.
    let clue = json!({"category": "extortion", "content": "窗口工作人员索要好处费才给办理。", "anonymous": true});
    let clue = created(app, &w.member, "/api/v1/clues", clue).await;
    let staff = &personas["discipline"];
    for (stage, body) in [
        ("accept", json!({})),
        ("check", json!({})),
        ("dispose", json!({"outcome": "talk"})),
    ] {
        post_json_ok(app, staff, &format!("/api/v1/clues/{clue}/{stage}"), body).await;
    }
    let case = json!({"title": "典型案例", "body": "某窗口工作人员索要好处费，已谈话函询。"});
    ids.insert(
        "cases",
        created(app, staff, &format!("/api/v1/clues/{clue}/cases"), case).await,
    );
    ids.insert("clues", clue);
    let today = api::types::today().to_string();
    let bulletin = json!({"from": today, "to": today});
    ids.insert(
        "clue-bulletins",
        created(app, staff, "/api/v1/clue-bulletins", bulletin).await,
    );
    // A customer group the butler persona owns (their WeCom id bound as the bot binds it).
    let code = api::service::wecom::issue_bind_code(&app.state.cache, "authz-butler-w")
        .await
        .unwrap();
    post_json_ok(
        app,
        &personas["butler"],
        "/api/v1/me/wecom-binding",
        json!({"code": code}),
    )
    .await;
    let chat = api::clients::wecom::GroupChat {
        chat_id: "wr-authz".into(),
        name: "园区客户群".into(),
        owner: "authz-butler-w".into(),
        member_list: Vec::new(),
    };
    let group = api::service::customer_groups::upsert(&app.db, &chat).await.unwrap();
    ids.insert("customer-groups", group.id.to_string());
    Fixture { ids }
}

/// WeCom's server API as the sidebar's signature needs it.
async fn mock_wecom(app: &TestApp) {
    use wiremock::matchers::path;
    use wiremock::{Mock, ResponseTemplate};
    Mock::given(path("/cgi-bin/gettoken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "access_token": "t", "expires_in": 7200})),
        )
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/auth/getuserinfo"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 40029, "errmsg": "invalid code"})))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/ticket/get"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 0, "ticket": "agent-ticket", "expires_in": 7200})),
        )
        .mount(&app.wechat)
        .await;
}

async fn post_json_ok(app: &TestApp, who: &Session, path: &str, body: Value) {
    let res = app.post(path, Some(&who.access), &body).await;
    assert!(res.status().is_success(), "{path}: {}", res.text().await.unwrap());
}

async fn send(app: &TestApp, method: &str, url: &str, token: Option<&str>, body: &Body) -> u16 {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = app.client.request(m, app.url(url));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req = match body {
        Body::None => req,
        Body::Json(v) => req.json(v),
        Body::Multipart => {
            let part = reqwest::multipart::Part::bytes(b"name\n".to_vec()).file_name("a.csv");
            req.multipart(reqwest::multipart::Form::new().part("file", part))
        }
    };
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn every_route_admits_only_its_personas_on_their_own_objects() {
    // Rate limits are tested on their own; here one address sends a thousand requests.
    let app = spawn_app_with(|s| {
        s.rate_limit.enabled = false;
        s.wecom.app_secret = Some(secrecy::SecretString::from("authz-secret"));
    })
    .await;
    mock_wecom(&app).await;
    let w = world(&app).await;
    let admin = &w.admin;
    for (openid, role) in [
        ("z-officer", "officer"),
        ("z-media", "media"),
        ("z-supervisor", "supervisor"),
    ] {
        let person = app.sign_in(openid).await;
        app.grant(admin, &person.id(), json!({"role": role, "termEnds": "2030-12-31"}))
            .await;
    }
    app.butler(admin, "z-butler-other").await;
    let discipline = app.sign_in("z-discipline").await;
    app.grant(admin, &discipline.id(), json!({"role": "discipline"})).await;
    let mut personas: HashMap<&str, Session> = HashMap::new();
    for (persona, openid) in [
        ("enterprise", "w-member"),
        ("enterprise-other", "w-other"),
        ("officer", "z-officer"),
        ("media", "z-media"),
        ("supervisor", "z-supervisor"),
        ("butler", "w-butler"),
        ("butler-other", "z-butler-other"),
        ("handler", "w-handler-a"),
        ("handler-other", "w-handler-b"),
        ("discipline", "z-discipline"),
        ("none", "z-nobody"),
    ] {
        personas.insert(persona, app.sign_in(openid).await);
    }
    let f = fixture(&app, &w, &personas).await;
    let mut names: Vec<&str> = personas.keys().copied().collect();
    names.sort_unstable();

    let doc: Value = app.get("/api-docs/openapi.json", None).await.json().await.unwrap();
    let mut routes: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.push((method.to_uppercase(), path.clone()));
        }
    }
    routes.sort();
    let unclassified: Vec<String> = routes
        .iter()
        .filter(|(m, p)| rule(m, p).is_none())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        unclassified.is_empty(),
        "routes without an entry in the matrix: {unclassified:#?}"
    );

    let mut failures = Vec::new();
    let mut checked = 0;
    // Reads first: a write wrongly admitted must not change what the reads see.
    routes.sort_by_key(|(m, _)| m != "GET");
    for (method, path) in &routes {
        let who = rule(method, path).unwrap();
        let url = f.fill(path);
        let body = match path.as_str() {
            // A development code: the generated one would go to the (mock) WeChat server.
            "/api/v1/auth/wechat" => Body::Json(json!({"code": "dev:z-anonymous"})),
            _ => body_of(&doc, &doc["paths"][path][method.to_lowercase()]),
        };
        let read = method == "GET";
        let status = send(&app, method, &url, None, &body).await;
        let anonymous_ok = match who {
            Public => status < 500,
            Signed => (400..500).contains(&status),
            Person | Roles(_) | Owners(_) | Only(_) => status == 401,
        };
        if !anonymous_ok {
            failures.push(format!("{method} {url} without a token: {status}"));
        }
        checked += 1;
        if matches!(who, Public | Signed) {
            continue;
        }
        if read || matches!(who, Only(_)) {
            let status = send(&app, method, &url, Some(&admin.access), &body).await;
            let fine = match (who, admin_exception(path)) {
                (Only(_), _) => status == 403 || status == 404,
                (_, Some(expected)) => status == expected,
                _ => (200..300).contains(&status),
            };
            if !fine {
                failures.push(format!("{method} {url} as admin: {status}"));
            }
            checked += 1;
        }
        for persona in &names {
            let admitted = admits(who, persona);
            // Writes are sent only where they must be refused (the features' tests do them).
            if admitted && !read {
                continue;
            }
            let token = Some(personas[persona].access.as_str());
            let status = send(&app, method, &url, token, &body).await;
            let fine = if admitted {
                (200..300).contains(&status)
            } else {
                status == 403 || status == 404
            };
            if !fine {
                let expected = if admitted { "2xx" } else { "403/404" };
                failures.push(format!("{method} {url} as {persona}: {status} (expected {expected})"));
            }
            checked += 1;
            // Refused before the body or the query is read: someone who may not call a route
            // learns nothing of its fields from a 422.
            if !admitted {
                let (bad_url, bad_body) = garbled(&doc, method, path, &url, &body);
                let status = send(&app, method, &bad_url, token, &bad_body).await;
                if status != 403 && status != 404 {
                    failures.push(format!(
                        "{method} {bad_url} as {persona} with a bad body or query: {status} (expected 403/404)"
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 800, "only {checked} checks");
}

/// Whether a schema (following its `$ref`s) carries a file id anywhere.
fn takes_files(doc: &Value, schema: &Value, seen: &mut Vec<String>) -> bool {
    if let Some(name) = schema["$ref"].as_str() {
        let name = name.trim_start_matches("#/components/schemas/").to_owned();
        if name == "FileId" {
            return true;
        }
        if seen.contains(&name) {
            return false;
        }
        seen.push(name.clone());
        return takes_files(doc, &doc["components"]["schemas"][&name], seen);
    }
    match schema {
        Value::Object(map) => map.values().any(|v| takes_files(doc, v, seen)),
        Value::Array(items) => items.iter().any(|v| takes_files(doc, v, seen)),
        _ => false,
    }
}

/// Every route whose request carries file ids (its schema names `FileId`) refuses a file the
/// caller did not upload (422 `not_owned`, naming the entry) and one that does not exist
/// (`not_found`), each on a request its caller may otherwise make. A new route that takes
/// files must get an entry here, so it is tried too.
#[tokio::test]
async fn every_route_that_takes_files_refuses_another_persons_file_and_a_missing_one() {
    let app = spawn_app_with(|s| s.rate_limit.enabled = false).await;
    let w = world(&app).await;
    let admin = &w.admin;
    let mut people = HashMap::new();
    for role in ["officer", "media", "supervisor"] {
        let s = app.sign_in(&format!("f-{role}")).await;
        app.grant(admin, &s.id(), json!({"role": role, "termEnds": "2030-12-31"}))
            .await;
        people.insert(role, s);
    }
    let now = chrono::Utc::now();
    let week = (now + chrono::Duration::days(7)).to_rfc3339();
    // A demand the handler works on.
    let demand = file_demand(&app, &w.member, false).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (who, action, body) in [
        (&w.butler, "accept", json!({})),
        (&w.butler, "assign", json!({"unitId": w.unit_a})),
        (&w.handler_a, "sign", json!({})),
    ] {
        assert_eq!(tests::world::act(&app, who, &demand, action, body).await.status(), 200);
    }
    // An open complaint day for the member's enterprise.
    let day = json!({"kind": "complaint_day", "title": "吐槽日", "opensAt": now.to_rfc3339(), "closesAt": week,
        "invitedEnterpriseIds": [w.enterprise]});
    let day = event_ready(&app, admin, day).await;
    // A plan item of the handler's unit.
    let plan = created(&app, admin, "/api/v1/plans", json!({"title": "行动方案"})).await;
    let item = json!({"kind": "task", "title": "压缩办税时间", "unitId": w.unit_a, "deadline": "2026-12-31"});
    let item = created(&app, admin, &format!("/api/v1/plans/{plan}/items"), item).await;
    // A form with a photo question, for a mystery-shopper week (the officer checked in) and a
    // scorecard round (the member's enterprise invited).
    let form = json!({"title": "带照片", "body": {"sections": [{"id": "s", "title": "现场", "questions": [
        {"id": "photos", "type": "photo", "title": "现场照片", "required": true}]}]}});
    let form = created(&app, admin, "/api/v1/forms", form).await;
    let mystery = json!({"kind": "mystery_shopper_week", "title": "暗访周", "opensAt": now.to_rfc3339(), "closesAt": week,
        "audienceRoles": ["officer"], "formId": form});
    let mystery = event_ready(&app, admin, mystery).await;
    let target = json!({"name": "办税服务厅3号窗口", "unitId": w.unit_a});
    let target = created(&app, admin, &format!("/api/v1/events/{mystery}/targets"), target).await;
    let assignment = json!({"targetId": target, "officerId": people["officer"].id(),
        "windowStart": now.to_rfc3339(), "windowEnd": (now + chrono::Duration::days(1)).to_rfc3339()});
    let assignment = created(
        &app,
        admin,
        &format!("/api/v1/events/{mystery}/assignments"),
        assignment,
    )
    .await;
    post_ok(
        &app,
        &people["officer"],
        &format!("/api/v1/assignments/{assignment}/check-in"),
    )
    .await;
    let round = json!({"kind": "scorecard_round", "title": "出卷", "opensAt": now.to_rfc3339(), "closesAt": week,
        "invitedEnterpriseIds": [w.enterprise], "formId": form});
    let round = event_ready(&app, admin, round).await;
    let policy =
        json!({"title": "人才补贴", "issuer": "人才局", "explainer": crate::policies::explainer("区内企业", "补贴")});
    let policy = created(&app, admin, "/api/v1/policies", policy).await;

    // Each route: who may call it, and its body around the given file ids.
    type Around = Box<dyn Fn(Value) -> Value>;
    let list = |ids: Value| json!({"kind": "demand", "environment": "service", "title": "窗口排队", "content": "见照片", "attachments": ids});
    let photos = |ids: Value| -> Value {
        json!({"answers": {"photos": ids.as_array().unwrap().iter().map(|id| json!({"fileId": id})).collect::<Vec<_>>()}})
    };
    let entries: Vec<(&str, String, &Session, Around)> = vec![
        (
            "POST /api/v1/demands",
            "/api/v1/demands".into(),
            &w.member,
            Box::new(list),
        ),
        (
            "POST /api/v1/demands/{id}/reply",
            format!("/api/v1/demands/{demand}/reply"),
            &w.handler_a,
            Box::new(|ids| json!({"content": "已办理", "attachments": ids})),
        ),
        (
            "POST /api/v1/events/{id}/complaints",
            format!("/api/v1/events/{day}/complaints"),
            &w.member,
            Box::new(|ids| json!({"content": "窗口太少", "environment": "service", "photos": ids})),
        ),
        (
            "POST /api/v1/plan-items/{id}/notes",
            format!("/api/v1/plan-items/{item}/notes"),
            &w.handler_a,
            Box::new(|ids| json!({"text": "已完成一半", "fileIds": ids})),
        ),
        (
            "POST /api/v1/clues",
            "/api/v1/clues".into(),
            &w.member,
            Box::new(
                |ids| json!({"category": "extortion", "content": "窗口工作人员索要好处费才给办理。", "fileIds": ids}),
            ),
        ),
        (
            "POST /api/v1/media/observations",
            "/api/v1/media/observations".into(),
            &people["media"],
            Box::new(|ids| json!({"kind": "finding", "title": "窗口排队", "content": "排队长", "fileIds": ids})),
        ),
        (
            "POST /api/v1/supervision-activities",
            "/api/v1/supervision-activities".into(),
            &people["supervisor"],
            Box::new(
                move |ids| json!({"kind": "visit", "date": api::types::today().to_string(), "place": "园区", "enterpriseIds": [w.enterprise.clone()], "photos": ids}),
            ),
        ),
        (
            "POST /api/v1/policies",
            "/api/v1/policies".into(),
            admin,
            Box::new(
                |ids| json!({"title": "人才补贴", "issuer": "人才局", "explainer": crate::policies::explainer("区内企业", "补贴"), "attachments": ids}),
            ),
        ),
        (
            "PUT /api/v1/policies/{id}",
            format!("/api/v1/policies/{policy}"),
            admin,
            Box::new(
                |ids| json!({"title": "人才补贴", "issuer": "人才局", "explainer": crate::policies::explainer("区内企业", "补贴"), "attachments": ids}),
            ),
        ),
        (
            "POST /api/v1/assignments/{id}/report",
            format!("/api/v1/assignments/{assignment}/report"),
            &people["officer"],
            Box::new(photos),
        ),
        (
            "POST /api/v1/events/{id}/submissions",
            format!("/api/v1/events/{round}/submissions"),
            &w.member,
            Box::new(photos),
        ),
    ];

    let doc: Value = app.get("/api-docs/openapi.json", None).await.json().await.unwrap();
    let mut taking: Vec<String> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if takes_files(&doc, &op["requestBody"], &mut Vec::new()) {
                taking.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    taking.sort();
    let mut listed: Vec<String> = entries.iter().map(|e| e.0.to_owned()).collect();
    listed.sort();
    assert_eq!(taking, listed, "every route that takes file ids needs an entry here");

    // A file someone else uploaded, and an id no file has (yet).
    let png = tests::PNG.to_vec();
    let stranger = id_of(app.upload("/api/v1/files", &w.other_member.access, png, "x.png").await).await;
    let missing = "987654321".to_owned();
    let mut failures = Vec::new();
    for (route, url, who, body) in &entries {
        let method = route.split(' ').next().unwrap();
        for (file, code) in [(&stranger, "not_owned"), (&missing, "not_found")] {
            let b = body(json!([file]));
            let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let res = app.request(m, url, Some(&who.access), Some(&b)).await;
            let status = res.status().as_u16();
            let err: Value = res.json().await.unwrap_or_default();
            let named = err["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|f| f["code"] == code && f["field"].as_str().is_some_and(|f| f.contains('[')));
            if status != 422 || !named {
                failures.push(format!("{route} with a file {code}: {status} {err}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// No list or search finds an anonymous demand through who is behind it (its enterprise, its
/// name, a phone) for someone from whom that is hidden: every list route that takes such a
/// filter is asked, by each such persona.
#[tokio::test]
async fn no_filter_on_who_is_behind_a_demand_finds_an_anonymous_one_for_those_it_is_hidden_from() {
    const IDENTITY_FILTERS: &[&str] = &["enterpriseId", "submitterId", "phone", "callerPhone", "q", "keyword"];
    let app = spawn_app_with(|s| s.rate_limit.enabled = false).await;
    let w = world(&app).await;
    let other_butler = app.butler(&w.admin, "i-other-butler").await;
    let d = file_demand(&app, &w.member, true).await;
    let id = d["id"].as_str().unwrap().to_owned();
    let number = d["number"].as_str().unwrap().to_owned();
    for (action, body) in [("accept", json!({})), ("assign", json!({"unitId": w.unit_a}))] {
        assert_eq!(
            tests::world::act(&app, &w.butler, &id, action, body).await.status(),
            200
        );
    }
    let e: Value = app
        .get_json(&format!("/api/v1/enterprises/{}", w.enterprise), Some(&w.admin.access))
        .await;
    let name = e["name"].as_str().unwrap().to_owned();
    let value = |param: &str| -> String {
        match param {
            "enterpriseId" => w.enterprise.clone(),
            "submitterId" => w.member.id(),
            "phone" | "callerPhone" => "13800000000".to_owned(),
            _ => tests::urlencode(&name),
        }
    };
    // The handler of the unit reads the demand itself: the filters must not give it away.
    let mine: Value = app.get_json("/api/v1/demands", Some(&w.handler_a.access)).await;
    assert!(
        mine.to_string().contains(&number),
        "the handler sees the demand unfiltered"
    );

    let doc: Value = app.get("/api-docs/openapi.json", None).await.json().await.unwrap();
    let mut failures = Vec::new();
    let mut asked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let filters: Vec<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str())
            .filter(|p| IDENTITY_FILTERS.contains(p))
            .collect();
        if filters.is_empty() {
            continue;
        }
        assert!(
            !path.contains('{'),
            "{path}: give the filter test an object for its path"
        );
        for filter in filters {
            let url = format!("{path}?{filter}={}", value(filter));
            for (persona, who) in [
                ("the unit's handler", &w.handler_a),
                ("another unit's handler", &w.handler_b),
                ("another butler", &other_butler),
                ("a colleague", &w.colleague),
                ("another enterprise's member", &w.other_member),
            ] {
                let res = app.get(&url, Some(&who.access)).await;
                let body = res.text().await.unwrap();
                if body.contains(&number) {
                    failures.push(format!("{url} as {persona} found the anonymous demand"));
                }
                asked += 1;
            }
        }
    }
    assert!(asked >= 10, "only {asked} requests");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! The authorization matrix, generated from the route table (the OpenAPI document the server
//! builds from its routes): every route must have an entry below, so a new route without one
//! fails this test. For every route, a request without a token is 401 (or the route is public
//! or checks a WeCom signature instead). For every read, each role outside the route's readers
//! gets 403 or 404, on real objects, and an admin reads every object.
use std::collections::HashMap;

use serde_json::{Value, json};
use tests::{Session, TestApp, spawn_app};

use crate::demands::{file_demand, world};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    /// No token needed.
    Public,
    /// The WeCom callbacks: a signature instead of a token.
    Signed,
    /// Any signed-in person; the object or the list is scoped by the service.
    Person,
    /// Only these roles (admins always included).
    Roles(&'static [&'static str]),
}

use Who::{Person, Public, Roles, Signed};

const STAFF: &[&str] = &["butler", "handler"];

/// The entry of each route. Writes are listed for the anonymous check (their role checks are
/// in each feature's tests, where a valid body reaches them).
fn rule(method: &str, path: &str) -> Option<Who> {
    let p = path.trim_start_matches("/api/v1");
    Some(match (method, p) {
        ("GET", "/healthz" | "/readyz" | "/dev/personas") => Public,
        // Logout revokes the refresh token it is given.
        ("POST", "/auth/wechat" | "/auth/refresh" | "/auth/logout") => Public,
        (_, "/bot/wecom/callback" | "/bot/wecom/aibot") => Signed,
        ("GET", "/me/export") => Person,
        ("GET", "/audit-log") => Roles(&[]),
        ("GET", "/me" | "/notifications" | "/demands" | "/calendar" | "/industries" | "/events") => Person,
        ("GET", "/policies/search" | "/units" | "/units/{id}") => Person,
        ("GET", "/demands/{id}" | "/files/{id}" | "/events/{id}" | "/policies/{id}") => Person,
        ("GET", "/events/{id}/complaints") => Person,
        // Respondents read the form they answer; everyone's own assignments (empty for most).
        ("GET", "/forms/{id}" | "/me/assignments") => Person,
        ("GET", "/policies/matched") => Roles(&["enterprise"]),
        ("GET", "/users" | "/users/{id}" | "/bot/groups" | "/policies/{id}/reach") => Roles(&[]),
        ("GET", "/events/{id}/summary" | "/events/{id}/results" | "/events/{id}/targets") => Roles(&[]),
        ("GET", "/events/{id}/export") => Roles(&[]),
        // A unit's handlers read the mystery-shopper reports on their unit, without the visitor.
        ("GET", "/events/{id}/reports") => Roles(&["handler"]),
        ("GET", "/reports" | "/reports/{id}" | "/reports/{id}/html" | "/reports/{id}/xlsx") => Roles(&[]),
        ("GET", "/plans/{id}/export" | "/stats/plans") => Roles(&[]),
        ("GET", p) if p.starts_with("/dashboard/") => Roles(&[]),
        ("GET", "/callbacks" | "/callbacks/{id}/form" | "/stats/demands") => Roles(&["butler"]),
        // Supervisors pick the enterprises they met.
        ("GET", "/enterprises") => Roles(&["butler", "supervisor"]),
        ("GET", "/binding-requests" | "/policies/{id}/matches") => Roles(&["butler"]),
        ("GET", "/enterprises/{id}") => Roles(&["butler", "enterprise"]),
        ("GET", "/reply-templates") => Roles(STAFF),
        ("GET", "/plans" | "/plans/{id}") => Roles(&["handler"]),
        ("GET", "/media/observations") => Roles(&["media", "butler"]),
        ("GET", "/media/publicity") => Roles(&["media"]),
        ("GET", "/supervision-activities") => Roles(&["supervisor"]),
        ("POST" | "PUT" | "PATCH" | "DELETE", _) => Person,
        _ => return None,
    })
}

/// Reads an admin may get a refusal on, with the reason.
fn admin_exception(path: &str) -> Option<u16> {
    match path {
        // Not a member of an enterprise.
        "/api/v1/policies/matched" => Some(403),
        _ => None,
    }
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
            "/api/v1/events/{id}/targets" | "/api/v1/events/{id}/reports" => "mystery_week",
            _ => path
                .trim_start_matches("/api/v1/")
                .split('/')
                .next()
                .unwrap_or_default(),
        };
        let id = self.ids.get(kind).cloned().unwrap_or_else(|| "1".to_owned());
        let query = match path {
            "/api/v1/policies/search" => "?q=人才",
            "/api/v1/stats/demands" => "?from=2026-01-01&to=2026-12-31",
            _ => "",
        };
        let filled = path
            .replace("{id}", &id)
            .replace("{grantId}", "1")
            .replace("{date}", "2026-12-01");
        format!("{filled}{query}")
    }
}

async fn id_of(res: reqwest::Response) -> String {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status} {body}");
    body["id"].as_str().unwrap().to_owned()
}

async fn fixture(app: &TestApp, admin: &Session, w: &crate::demands::World) -> Fixture {
    let mut ids = HashMap::new();
    ids.insert(
        "demands",
        file_demand(app, &w.member, false).await["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    ids.insert("units", w.unit_a.clone());
    // Someone who is none of the personas below (one reading their own record may).
    ids.insert("users", w.colleague.id());
    ids.insert("enterprises", w.enterprise.clone());
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    ids.insert(
        "files",
        id_of(app.upload("/api/v1/files", &admin.access, png, "a.png").await).await,
    );
    let form = app
        .post(
            "/api/v1/forms",
            Some(&admin.access),
            &json!({"title": "出卷", "body": {"sections": [{"id": "s", "title": "税务", "questions": [
                {"id": "speed", "type": "rating", "title": "速度", "required": true, "unitCode": "tax"}]}]}}),
        )
        .await;
    let form_id = id_of(form).await;
    ids.insert("forms", form_id.clone());
    let now = chrono::Utc::now();
    let event = app
        .post(
            "/api/v1/events",
            Some(&admin.access),
            &json!({"kind": "scorecard_round", "title": "出卷", "opensAt": now.to_rfc3339(),
                    "closesAt": (now + chrono::Duration::days(7)).to_rfc3339(),
                    "invitedEnterpriseIds": [w.enterprise], "formId": form_id}),
        )
        .await;
    ids.insert("events", id_of(event).await);
    let complaint_day = app
        .post(
            "/api/v1/events",
            Some(&admin.access),
            &json!({"kind": "complaint_day", "title": "吐槽日", "opensAt": now.to_rfc3339(),
                    "closesAt": (now + chrono::Duration::days(1)).to_rfc3339(),
                    "audienceRoles": ["officer"], "invitedEnterpriseIds": [w.enterprise]}),
        )
        .await;
    ids.insert("complaint_day", id_of(complaint_day).await);
    let mystery = app
        .post(
            "/api/v1/events",
            Some(&admin.access),
            &json!({"kind": "mystery_shopper_week", "title": "暗访周", "opensAt": now.to_rfc3339(),
                    "closesAt": (now + chrono::Duration::days(7)).to_rfc3339(),
                    "audienceRoles": ["officer"], "formId": ids["forms"]}),
        )
        .await;
    ids.insert("mystery_week", id_of(mystery).await);
    let policy = app
        .post(
            "/api/v1/policies",
            Some(&admin.access),
            &json!({"title": "人才补贴", "issuer": "人才局", "explainer": crate::policies::explainer("区内企业", "补贴"), "conditions": {}}),
        )
        .await;
    let policy_id = id_of(policy).await;
    let res = app
        .post(
            &format!("/api/v1/policies/{policy_id}/publish"),
            Some(&admin.access),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    ids.insert("policies", policy_id);
    let plan = app
        .post("/api/v1/plans", Some(&admin.access), &json!({"title": "行动方案"}))
        .await;
    ids.insert("plans", id_of(plan).await);
    let last_week =
        api::domain::report::Period::last_complete(api::domain::report::ReportKind::Weekly, api::types::today());
    let report = app
        .post(
            "/api/v1/reports",
            Some(&admin.access),
            &json!({"kind": "weekly", "periodFrom": last_week.from}),
        )
        .await;
    ids.insert("reports", id_of(report).await);
    let tasks: Vec<Value> = app
        .get("/api/v1/callbacks?status=all", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    ids.insert("callbacks", tasks[0]["id"].as_str().unwrap().to_owned());
    Fixture { ids }
}

#[tokio::test]
async fn every_route_refuses_the_anonymous_and_every_read_refuses_roles_outside_its_readers() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let admin = &w.admin;
    let f = fixture(&app, admin, &w).await;
    let officer = app.sign_in("z-officer").await;
    app.grant(
        admin,
        &officer.id(),
        json!({"role": "officer", "termEnds": "2030-12-31"}),
    )
    .await;
    let media = app.sign_in("z-media").await;
    app.grant(admin, &media.id(), json!({"role": "media", "termEnds": "2030-12-31"}))
        .await;
    let supervisor = app.sign_in("z-supervisor").await;
    app.grant(
        admin,
        &supervisor.id(),
        json!({"role": "supervisor", "termEnds": "2030-12-31"}),
    )
    .await;
    let nobody = app.sign_in("z-nobody").await;
    let personas: Vec<(&str, Session)> = vec![
        ("enterprise", app.sign_in("w-member").await),
        ("officer", app.sign_in("z-officer").await),
        ("media", app.sign_in("z-media").await),
        ("supervisor", app.sign_in("z-supervisor").await),
        ("butler", app.sign_in("w-butler").await),
        ("handler", app.sign_in("w-handler-a").await),
        ("none", nobody),
    ];

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
    for (method, path) in &routes {
        let who = rule(method, path).unwrap();
        let url = f.fill(path);
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let body = (method != "GET" && method != "DELETE").then(|| json!({}));
        // Without a token.
        let status = app
            .request(m.clone(), &url, None, body.as_ref())
            .await
            .status()
            .as_u16();
        let anonymous_ok = match who {
            Public => status < 500,
            Signed => (400..500).contains(&status),
            Person | Roles(_) => status == 401,
        };
        if !anonymous_ok {
            failures.push(format!("{method} {url} without a token: {status}"));
        }
        checked += 1;
        if method != "GET" {
            continue;
        }
        // The admin reads every object.
        if matches!(who, Person | Roles(_)) {
            let status = app
                .request(m.clone(), &url, Some(&admin.access), None)
                .await
                .status()
                .as_u16();
            let fine = match admin_exception(path) {
                Some(expected) => status == expected,
                None => (200..300).contains(&status),
            };
            if !fine {
                failures.push(format!("{method} {url} as admin: {status}"));
            }
            checked += 1;
        }
        // Everyone outside the readers is refused.
        if let Roles(readers) = who {
            for (role, session) in &personas {
                if readers.contains(role) {
                    continue;
                }
                let status = app
                    .request(m.clone(), &url, Some(&session.access), None)
                    .await
                    .status()
                    .as_u16();
                if status != 403 && status != 404 {
                    failures.push(format!("{method} {url} as {role}: {status}"));
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
    assert!(checked > 300, "only {checked} checks");
}

//! Personal information: a person exports their data and deletes their account (their demands
//! stay, anonymised); admins' changes and reads of hidden identities are audited.
use serde_json::{Value, json};
use tests::{APP_ID, assert_error, spawn_app};
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

use tests::world::{file_demand, world};

#[tokio::test]
async fn a_person_exports_their_data_and_deletes_their_account_leaving_their_demands_anonymous() {
    let app = spawn_app().await;
    let w = world(&app).await;
    Mock::given(path("/wxa/business/getuserphonenumber"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 0, "errmsg": "ok",
            "phone_info": {"phoneNumber": "13812345678", "purePhoneNumber": "13812345678", "countryCode": "86",
                           "watermark": {"timestamp": 1637744274, "appid": APP_ID}}
        })))
        .mount(&app.wechat)
        .await;
    let res = app
        .post(
            "/api/v1/me/phone",
            Some(&w.member.access),
            &json!({"code": "phone-code"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let named = file_demand(&app, &w.member, false).await;
    let hidden = file_demand(&app, &w.member, true).await;

    // The export holds what they gave: the phone, the openid, the demands.
    let res = app.get("/api/v1/me/export", Some(&w.member.access)).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let export: Value = res.json().await.unwrap();
    assert_eq!(export["person"]["phone"], "13812345678");
    assert_eq!(export["person"]["openid"], "w-member");
    assert_eq!(export["demands"].as_array().unwrap().len(), 2);
    assert_eq!(export["roles"][0]["role"], "enterprise");
    app.get_error("/api/v1/me/export", None, 401, "unauthenticated").await;

    // The only admin cannot leave.
    assert_error(app.delete("/api/v1/me", Some(&w.admin.access)).await, 409, "last_admin").await;

    let res = app.delete("/api/v1/me", Some(&w.member.access)).await;
    assert_eq!(res.status(), 204);
    // Signed out everywhere at once.
    app.get_error("/api/v1/me", Some(&w.member.access), 401, "token_invalid")
        .await;
    let res = app
        .post("/api/v1/auth/refresh", None, &json!({"refreshToken": w.member.refresh}))
        .await;
    assert_eq!(res.status(), 401);
    // The demands stay, under no name.
    for d in [&named, &hidden] {
        let got: Value = app
            .get(
                &format!("/api/v1/demands/{}", d["id"].as_str().unwrap()),
                Some(&w.admin.access),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(got["title"], d["title"]);
        assert_eq!(got["submitter"]["name"], "已注销用户");
    }
    // The list reads the names with its rows: the same name there.
    let listed: Value = app.get_json("/api/v1/demands?limit=100", Some(&w.admin.access)).await;
    for d in [&named, &hidden] {
        let row = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == d["id"])
            .unwrap_or_else(|| panic!("{} listed: {listed}", d["id"]));
        assert_eq!(row["submitter"]["name"], "已注销用户", "{row}");
    }
    let user: Value = app
        .get(&format!("/api/v1/users/{}", w.member.id()), Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert!(!user.to_string().contains("13812345678"), "{user}");
    assert!(!user.to_string().contains("w-member"), "{user}");
    // Signing in again with the same WeChat account makes a new person, with no roles.
    let again = app.sign_in("w-member").await;
    assert_ne!(again.id(), w.member.id());
    assert_eq!(again.user["roles"], json!([]));
}

#[tokio::test]
async fn admin_changes_and_reads_of_an_anonymous_demands_submitter_are_audited() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let hidden = file_demand(&app, &w.member, true).await;
    let id = hidden["id"].as_str().unwrap();
    let before: Value = app
        .get("/api/v1/audit-log?limit=100", Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    let count = |log: &Value, action: &str| {
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == action)
            .count()
    };
    // world() made units and grants: each admin change is there, with its route.
    assert!(count(&before, "POST /api/v1/units") >= 2, "{before}");
    assert!(count(&before, "POST /api/v1/users/{id}/roles") >= 2);

    // The submitter reading their own demand is not audited; the admin reading it is, once per read.
    app.get(&format!("/api/v1/demands/{id}"), Some(&w.member.access)).await;
    let seen: Value = app
        .get(&format!("/api/v1/demands/{id}"), Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert!(!seen["submitter"].is_null(), "admins see who filed it");
    let log: Value = app
        .get("/api/v1/audit-log?objectType=demand", Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    let reads: Vec<&Value> = log["items"].as_array().unwrap().iter().collect();
    assert_eq!(reads.len(), 1, "{log}");
    assert_eq!(
        (
            reads[0]["action"].as_str(),
            reads[0]["objectId"].as_str(),
            reads[0]["actorId"].as_str()
        ),
        (Some("read_identity"), Some(id), Some(w.admin.id().as_str()))
    );
    // Asked again with nothing written since, the answer is the replica's copy (`answers`): the
    // same answer, and each read audited all the same; a list showing it too, once per read.
    let again = app
        .get_json(&format!("/api/v1/demands/{id}"), Some(&w.admin.access))
        .await;
    assert_eq!(again, seen);
    for _ in 0..2 {
        let page = app.get_json("/api/v1/demands?limit=20", Some(&w.admin.access)).await;
        assert!(page["items"].as_array().unwrap().iter().any(|d| d["id"] == id));
    }
    let log = app
        .get_json("/api/v1/audit-log?objectType=demand", Some(&w.admin.access))
        .await;
    let reads = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "read_identity" && e["objectId"] == id)
        .count();
    assert_eq!(reads, 4, "two reads of the detail and two of a list: {log}");
    // A butler's change is not an admin action; only admins read the log.
    let res = app
        .post(
            &format!("/api/v1/demands/{id}/accept"),
            Some(&w.butler.access),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let after: Value = app
        .get("/api/v1/audit-log?limit=100&objectType=request", Some(&w.admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(count(&after, "POST /api/v1/demands/{id}/accept"), 0);
    // An admin's move is audited once, by the move itself (in its transaction, not again after
    // it): asked twice under one Idempotency-Key, once; refused, not at all.
    let assign = format!("/api/v1/demands/{id}/assign");
    let send = || async {
        app.client
            .post(app.url(&assign))
            .bearer_auth(&w.admin.access)
            .header("Idempotency-Key", "audit-assign-1")
            .json(&json!({"unitId": w.unit_a}))
            .send()
            .await
            .unwrap()
    };
    assert_eq!(send().await.status(), 200);
    assert_eq!(send().await.status(), 200);
    assert_error(
        app.post(
            &assign,
            Some(&w.admin.access),
            &json!({"unitId": w.unit_b, "expectedVersion": 1}),
        )
        .await,
        409,
        "concurrent_update",
    )
    .await;
    let after = app
        .get_json("/api/v1/audit-log?limit=100&objectType=request", Some(&w.admin.access))
        .await;
    let assigns: Vec<&Value> = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "POST /api/v1/demands/{id}/assign")
        .collect();
    assert_eq!(assigns.len(), 1, "{after}");
    assert_eq!(
        (
            assigns[0]["actorId"].as_str(),
            assigns[0]["objectId"].as_str(),
            &assigns[0]["detail"]
        ),
        (
            Some(w.admin.id().as_str()),
            Some(assign.as_str()),
            &json!({"status": 200})
        )
    );
    app.get_error("/api/v1/audit-log", Some(&w.butler.access), 403, "forbidden")
        .await;
}

//! Enterprises, units, and binding a person to their enterprise.
use serde_json::{Value, json};
use tests::{assert_error, spawn_app, uscc};

#[tokio::test]
async fn an_admin_registers_an_enterprise_with_a_valid_uscc() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let e = app.create_enterprise(&admin, 1, None).await;
    assert_eq!(e["uscc"], uscc(1));
    assert_eq!(e["industryName"], "应用软件开发");
    assert_eq!(e["needsCallback"], true);
    assert!(e["id"].is_string(), "ids are strings");
    assert!(e["createdAt"].as_str().unwrap().ends_with("+08:00"));
    let again = app
        .post(
            "/api/v1/enterprises",
            Some(&admin.access),
            &json!({"name": "重复", "uscc": uscc(1), "industryCode": "I6513", "scale": "small", "registeredAt": "2020-01-01"}),
        )
        .await;
    assert_error(again, 422, "enterprise_exists").await;
}

#[tokio::test]
async fn a_bad_uscc_is_422_with_a_field_error() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut bad = uscc(2);
    let last = bad.pop().unwrap();
    bad.push(if last == '0' { '1' } else { '0' });
    let body = json!({
        "name": "坏代码公司", "uscc": bad, "industryCode": "I65", "scale": "small", "registeredAt": "2999-01-01",
        "tags": ["ok"]
    });
    let err = assert_error(
        app.post("/api/v1/enterprises", Some(&admin.access), &body).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<(String, String)> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        fields.contains(&("uscc".into(), "invalid_check_digit".into())),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("industryCode".into(), "unknown_industry".into())),
        "a division is not a class: {fields:?}"
    );
    assert!(
        fields.contains(&("registeredAt".into(), "in_the_future".into())),
        "{fields:?}"
    );
    let body =
        json!({"name": "x", "uscc": uscc(3), "industryCode": "I6513", "scale": "huge", "registeredAt": "2020-01-01"});
    let err = assert_error(
        app.post("/api/v1/enterprises", Some(&admin.access), &body).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"][0]["field"], "scale");
}

#[tokio::test]
async fn an_enterprise_member_cannot_read_another_enterprise() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mine = app.create_enterprise(&admin, 10, None).await;
    let theirs = app.create_enterprise(&admin, 11, None).await;
    let member = app.member_of(&admin, "o-member", mine["id"].as_str().unwrap()).await;

    let own = app
        .get(
            &format!("/api/v1/enterprises/{}", mine["id"].as_str().unwrap()),
            Some(&member.access),
        )
        .await;
    assert_eq!(own.status(), 200);
    let own: Value = own.json().await.unwrap();
    assert!(own["inviteCode"].is_null());

    let other = app
        .get(
            &format!("/api/v1/enterprises/{}", theirs["id"].as_str().unwrap()),
            Some(&member.access),
        )
        .await;
    assert_error(other, 403, "forbidden").await;
    let patch = app
        .patch(
            &format!("/api/v1/enterprises/{}", theirs["id"].as_str().unwrap()),
            Some(&member.access),
            &json!({"tags": ["x"]}),
        )
        .await;
    assert_error(patch, 403, "forbidden").await;
    app.get_error("/api/v1/enterprises", Some(&member.access), 403, "forbidden")
        .await;
    app.get_error(
        "/api/v1/enterprises/987654",
        Some(&member.access),
        404,
        "enterprise_not_found",
    )
    .await;
}

#[tokio::test]
async fn members_edit_the_profile_and_only_staff_edit_the_rest() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let e = app.create_enterprise(&admin, 20, None).await;
    let id = e["id"].as_str().unwrap();
    let member = app.member_of(&admin, "o-editor", id).await;
    let url = format!("/api/v1/enterprises/{id}");

    let res = app
        .patch(&url, Some(&member.access), &json!({"industryCode": "c3491", "scale": "medium", "qualifications": ["专精特新", " 专精特新 "], "district": "黄岛区"}))
        .await;
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["industryCode"], "C3491");
    assert_eq!(updated["qualifications"], json!(["专精特新"]));
    assert_eq!(updated["scale"], "medium");

    assert_error(
        app.patch(&url, Some(&member.access), &json!({"name": "改名"})).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.patch(&url, Some(&member.access), &json!({"serviceTier": "key"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .patch(
            &url,
            Some(&admin.access),
            &json!({"name": "新名字有限公司", "serviceTier": "key"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .patch(&url, Some(&admin.access), &json!({"industryCode": "I99"}))
        .await;
    assert_error(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_butler_sees_and_manages_only_the_enterprises_they_serve() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let butler = app.butler(&admin, "o-b1").await;
    let other_butler = app.butler(&admin, "o-b2").await;
    let served = app.create_enterprise(&admin, 30, Some(&butler.id())).await;
    let not_served = app.create_enterprise(&admin, 31, Some(&other_butler.id())).await;

    let list: Value = app
        .get("/api/v1/enterprises", Some(&butler.access))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![served["id"].as_str().unwrap()]);
    let all: Value = app
        .get("/api/v1/enterprises?q=测试企业", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    let by_uscc: Value = app
        .get(&format!("/api/v1/enterprises?q={}", uscc(31)), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_uscc["items"][0]["id"], not_served["id"]);

    let res = app
        .patch(
            &format!("/api/v1/enterprises/{}", served["id"].as_str().unwrap()),
            Some(&butler.access),
            &json!({"serviceTier": "key"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .get(
            &format!("/api/v1/enterprises/{}", not_served["id"].as_str().unwrap()),
            Some(&butler.access),
        )
        .await;
    assert_error(res, 403, "forbidden").await;
    // Reassigning the butler is for admins.
    let res = app
        .patch(
            &format!("/api/v1/enterprises/{}", served["id"].as_str().unwrap()),
            Some(&butler.access),
            &json!({"butlerId": other_butler.id()}),
        )
        .await;
    assert_error(res, 403, "forbidden").await;
    // A butler must hold the role.
    let plain = app.sign_in("o-plain").await;
    let res = app
        .patch(
            &format!("/api/v1/enterprises/{}", served["id"].as_str().unwrap()),
            Some(&admin.access),
            &json!({"butlerId": plain.id()}),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn binding_by_request_waits_for_the_enterprises_butler() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let butler = app.butler(&admin, "o-bb").await;
    let stranger_butler = app.butler(&admin, "o-bb2").await;
    let e = app.create_enterprise(&admin, 40, Some(&butler.id())).await;
    let p = app.sign_in("o-joiner").await;

    let res = app
        .post(
            "/api/v1/me/enterprise",
            Some(&p.access),
            &json!({"uscc": uscc(40).to_lowercase()}),
        )
        .await;
    assert_eq!(res.status(), 202);
    let pending: Value = res.json().await.unwrap();
    assert_eq!(pending["status"], "pending");
    let request_id = pending["requestId"].as_str().unwrap().to_owned();
    let again = app
        .post("/api/v1/me/enterprise", Some(&p.access), &json!({"uscc": uscc(40)}))
        .await;
    assert_error(again, 409, "binding_pending").await;
    let me: Value = app.get("/api/v1/me", Some(&p.access)).await.json().await.unwrap();
    assert_eq!(me["pendingBinding"]["enterpriseName"], e["name"]);

    let res = app
        .post(
            &format!("/api/v1/binding-requests/{request_id}/approve"),
            Some(&stranger_butler.access),
            &json!({}),
        )
        .await;
    assert_error(res, 403, "forbidden").await;
    let res = app
        .post(
            &format!("/api/v1/binding-requests/{request_id}/approve"),
            Some(&p.access),
            &json!({}),
        )
        .await;
    assert_error(res, 403, "forbidden").await;
    let res = app
        .post(
            &format!("/api/v1/binding-requests/{request_id}/approve"),
            Some(&butler.access),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post(
            &format!("/api/v1/binding-requests/{request_id}/approve"),
            Some(&butler.access),
            &json!({}),
        )
        .await;
    assert_error(res, 409, "binding_already_decided").await;

    let me: Value = app.get("/api/v1/me", Some(&p.access)).await.json().await.unwrap();
    assert_eq!(me["enterprise"]["id"], e["id"]);
    assert!(me["pendingBinding"].is_null());
    let res = app
        .post("/api/v1/me/enterprise", Some(&p.access), &json!({"uscc": uscc(40)}))
        .await;
    assert_error(res, 409, "already_bound").await;
}

#[tokio::test]
async fn a_rejection_needs_a_reason() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.create_enterprise(&admin, 45, None).await;
    let p = app.sign_in("o-rejected").await;
    let res = app
        .post("/api/v1/me/enterprise", Some(&p.access), &json!({"uscc": uscc(45)}))
        .await;
    let id = res.json::<Value>().await.unwrap()["requestId"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .post(
            &format!("/api/v1/binding-requests/{id}/reject"),
            Some(&admin.access),
            &json!({}),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    let res = app
        .post(
            &format!("/api/v1/binding-requests/{id}/reject"),
            Some(&admin.access),
            &json!({"reason": "非本企业员工"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "rejected");
    let me: Value = app.get("/api/v1/me", Some(&p.access)).await.json().await.unwrap();
    assert!(me["enterprise"].is_null());
}

#[tokio::test]
async fn an_invite_code_binds_at_once_and_a_wrong_one_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let e = app.create_enterprise(&admin, 50, None).await;
    let res = app
        .post(
            &format!("/api/v1/enterprises/{}/invite-code", e["id"].as_str().unwrap()),
            Some(&admin.access),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let code = res.json::<Value>().await.unwrap()["inviteCode"]
        .as_str()
        .unwrap()
        .to_owned();

    let p = app.sign_in("o-invited").await;
    let res = app
        .post(
            "/api/v1/me/enterprise",
            Some(&p.access),
            &json!({"uscc": uscc(50), "inviteCode": "WRONG123"}),
        )
        .await;
    let err = assert_error(res, 422, "validation_failed").await;
    assert_eq!(err["fields"][0]["field"], "inviteCode");
    let res = app
        .post(
            "/api/v1/me/enterprise",
            Some(&p.access),
            &json!({"uscc": uscc(50), "inviteCode": code}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "bound");
    let me: Value = app.get("/api/v1/me", Some(&p.access)).await.json().await.unwrap();
    assert_eq!(me["roles"][0]["role"], "enterprise");
    assert_eq!(me["roles"][0]["enterpriseName"], e["name"]);
}

#[tokio::test]
async fn binding_to_an_unknown_or_malformed_uscc_is_refused() {
    let app = spawn_app().await;
    let p = app.sign_in("o-lost").await;
    let res = app
        .post("/api/v1/me/enterprise", Some(&p.access), &json!({"uscc": uscc(999)}))
        .await;
    assert_error(res, 404, "enterprise_not_found").await;
    let res = app
        .post("/api/v1/me/enterprise", Some(&p.access), &json!({"uscc": "12345"}))
        .await;
    let err = assert_error(res, 422, "validation_failed").await;
    assert_eq!(err["fields"][0]["code"], "invalid_length");
}

#[tokio::test]
async fn units_are_managed_by_admins_and_read_by_everyone_signed_in() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let someone = app.sign_in("o-reader").await;
    let unit = app.create_unit(&admin, "customs", "海关").await;
    let res = app
        .post(
            "/api/v1/units",
            Some(&someone.access),
            &json!({"code": "x", "name": "某单位"}),
        )
        .await;
    assert_error(res, 403, "forbidden").await;
    let res = app
        .post(
            "/api/v1/units",
            Some(&admin.access),
            &json!({"code": "customs", "name": "另一个"}),
        )
        .await;
    assert_error(res, 409, "unit_exists").await;
    let res = app
        .post(
            "/api/v1/units",
            Some(&admin.access),
            &json!({"code": "Bad Code", "name": ""}),
        )
        .await;
    let err = assert_error(res, 422, "validation_failed").await;
    assert_eq!(err["fields"].as_array().unwrap().len(), 2);

    let list: Value = app
        .get("/api/v1/units", Some(&someone.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["name"], "海关");
    let url = format!("/api/v1/units/{}", unit["id"].as_str().unwrap());
    let res = app
        .patch(&url, Some(&admin.access), &json!({"contactPhone": "0532-12345678"}))
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["contactPhone"], "0532-12345678");
    assert_error(
        app.patch(&url, Some(&someone.access), &json!({"name": "x"})).await,
        403,
        "forbidden",
    )
    .await;
    app.get_error("/api/v1/units", None, 401, "unauthenticated").await;
}

//! Role grants, appointments with terms, phone masking.
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::{assert_error, spawn_app};

#[tokio::test]
async fn a_non_admin_cannot_grant_or_revoke_roles() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let butler = app.butler(&admin, "o-butler").await;
    let target = app.sign_in("o-target").await;
    for who in [&butler, &target] {
        let res = app
            .post(
                &format!("/api/v1/users/{}/roles", target.id()),
                Some(&who.access),
                &json!({"role": "admin"}),
            )
            .await;
        assert_error(res, 403, "forbidden").await;
    }
    let me: Value = app.get("/api/v1/me", Some(&target.access)).await.json().await.unwrap();
    assert_eq!(me["roles"], json!([]));
    let butler_me: Value = app.get("/api/v1/me", Some(&butler.access)).await.json().await.unwrap();
    let grant_id = butler_me["roles"][0]["id"].as_str().unwrap();
    let res = app
        .delete(
            &format!("/api/v1/users/{}/roles/{grant_id}", butler.id()),
            Some(&target.access),
        )
        .await;
    assert_error(res, 403, "forbidden").await;
    let listed = app.get("/api/v1/users", Some(&butler.access)).await;
    assert_error(listed, 403, "forbidden").await;
}

#[tokio::test]
async fn grants_name_what_their_role_needs() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let p = app.sign_in("o-p").await;
    let url = format!("/api/v1/users/{}/roles", p.id());
    let cases = [
        (json!({"role": "handler"}), "unitId", "required"),
        (json!({"role": "enterprise"}), "enterpriseId", "required"),
        (json!({"role": "officer"}), "termEnds", "required"),
        (
            json!({"role": "media", "termEnds": "2001-01-01"}),
            "termEnds",
            "in_the_past",
        ),
        (json!({"role": "handler", "unitId": "99999"}), "unitId", "not_found"),
        (json!({"role": "admin", "unitId": "1"}), "unitId", "not_allowed"),
    ];
    for (body, field, code) in cases {
        let err = assert_error(
            app.post(&url, Some(&admin.access), &body).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(
            err["fields"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["field"] == field && f["code"] == code),
            "{body} → {err}"
        );
    }
    assert_error(
        app.post(&url, Some(&admin.access), &json!({"role": "king"})).await,
        422,
        "validation_failed",
    )
    .await;
    let missing = app
        .post(
            "/api/v1/users/424242/roles",
            Some(&admin.access),
            &json!({"role": "admin"}),
        )
        .await;
    assert_error(missing, 404, "user_not_found").await;
}

#[tokio::test]
async fn a_handler_grant_shows_the_unit_and_a_duplicate_is_409() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let unit = app.create_unit(&admin, "tax", "税务局").await;
    let p = app.sign_in("o-handler").await;
    let body = json!({"role": "handler", "unitId": unit["id"]});
    app.grant(&admin, &p.id(), body.clone()).await;
    let me: Value = app.get("/api/v1/me", Some(&p.access)).await.json().await.unwrap();
    assert_eq!(me["roles"][0]["role"], "handler");
    assert_eq!(me["roles"][0]["unitName"], "税务局");
    let again = app
        .post(&format!("/api/v1/users/{}/roles", p.id()), Some(&admin.access), &body)
        .await;
    assert_error(again, 409, "role_already_granted").await;
}

#[tokio::test]
async fn a_revoked_role_stops_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let p = app.butler(&admin, "o-revoked").await;
    let me: Value = app.get("/api/v1/me", Some(&p.access)).await.json().await.unwrap();
    let grant_id = me["roles"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/enterprises", Some(&p.access)).await.status(), 200);

    let res = app
        .delete(
            &format!("/api/v1/users/{}/roles/{grant_id}", p.id()),
            Some(&admin.access),
        )
        .await;
    assert_eq!(res.status(), 204);
    // The same access token no longer carries the role.
    app.get_error("/api/v1/enterprises", Some(&p.access), 403, "forbidden")
        .await;
    let res = app
        .delete(
            &format!("/api/v1/users/{}/roles/{grant_id}", admin.id()),
            Some(&admin.access),
        )
        .await;
    assert_error(res, 404, "role_grant_not_found").await;
}

#[tokio::test]
async fn the_last_admin_role_cannot_be_revoked() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let me: Value = app.get("/api/v1/me", Some(&admin.access)).await.json().await.unwrap();
    let grant_id = me["roles"][0]["id"].as_str().unwrap().to_owned();
    let revoke = |grant: String, user: String| {
        let token = admin.access.clone();
        let app = &app;
        async move {
            app.delete(&format!("/api/v1/users/{user}/roles/{grant}"), Some(&token))
                .await
        }
    };
    let res = revoke(grant_id.clone(), admin.id()).await;
    assert_error(res, 409, "last_admin").await;
    assert_eq!(app.get("/api/v1/users", Some(&admin.access)).await.status(), 200);

    // With a second admin, the first may step down.
    let second = app.sign_in("o-second-admin").await;
    app.grant(&admin, &second.id(), json!({"role": "admin"})).await;
    let res = revoke(grant_id, admin.id()).await;
    assert_eq!(res.status(), 204);
    app.get_error("/api/v1/users", Some(&admin.access), 403, "forbidden")
        .await;
}

#[tokio::test]
async fn an_appointment_ends_with_its_term() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let p = app.sign_in("o-officer").await;
    let today = api::types::today();
    app.grant(
        &admin,
        &p.id(),
        json!({"role": "officer", "termEnds": today.to_string()}),
    )
    .await;
    let me: Value = app.get("/api/v1/me", Some(&p.access)).await.json().await.unwrap();
    assert_eq!(
        me["roles"][0]["role"], "officer",
        "the last day of the term still counts"
    );
    assert_eq!(me["roles"][0]["termEnds"], today.to_string());

    let yesterday = today.pred_opt().unwrap();
    app.db
        .execute_unprepared(&format!(
            "UPDATE role_grants SET term_ends = '{yesterday}' WHERE role = 'officer'"
        ))
        .await
        .unwrap();
    // Written behind the server's back: tell its role copies, as the server's own writes do.
    api::service::people::grants_changed();
    let me: Value = app.get("/api/v1/me", Some(&p.access)).await.json().await.unwrap();
    assert_eq!(me["roles"], json!([]), "an ended term stops the role");
}

#[tokio::test]
async fn phone_numbers_are_masked_except_for_their_owner_and_admins() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let p = app.sign_in("o-masked").await;
    let res = app
        .post("/api/v1/me/phone", Some(&p.access), &json!({"code": "dev:13812345678"}))
        .await;
    assert_eq!(res.status(), 200);
    let own: Value = app
        .get(&format!("/api/v1/users/{}", p.id()), Some(&p.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["phone"], "13812345678");
    let by_admin: Value = app
        .get(&format!("/api/v1/users/{}", p.id()), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_admin["phone"], "13812345678");

    // A butler deciding the person's binding request sees the number masked.
    let butler = app.butler(&admin, "o-masking-butler").await;
    let e = app.create_enterprise(&admin, 501, Some(&butler.id())).await;
    let res = app
        .post("/api/v1/me/enterprise", Some(&p.access), &json!({"uscc": e["uscc"]}))
        .await;
    assert_eq!(res.status(), 202);
    let list: Value = app
        .get("/api/v1/binding-requests", Some(&butler.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["userPhone"], "138****5678");

    // Nobody else reads another person's record.
    let other = app.sign_in("o-nosy").await;
    app.get_error(
        &format!("/api/v1/users/{}", p.id()),
        Some(&other.access),
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_bad_dev_phone_is_refused() {
    let app = spawn_app().await;
    let p = app.sign_in("o-badphone").await;
    let res = app
        .post("/api/v1/me/phone", Some(&p.access), &json!({"code": "dev:12345"}))
        .await;
    assert_error(res, 401, "wechat_code_invalid").await;
}

#[tokio::test]
async fn the_people_list_pages_with_a_cursor() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for i in 0..5 {
        app.sign_in(&format!("o-page-{i}")).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("/api/v1/users?limit=2&cursor={c}"),
            None => "/api/v1/users?limit=2".to_owned(),
        };
        let page: Value = app.get(&url, Some(&admin.access)).await.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().parse::<i64>().unwrap());
        }
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6, "five people and the admin, each once");
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first: {seen:?}");
    app.get_error("/api/v1/users?limit=0", Some(&admin.access), 422, "validation_failed")
        .await;
    app.get_error(
        "/api/v1/users?cursor=zzz",
        Some(&admin.access),
        422,
        "validation_failed",
    )
    .await;
}

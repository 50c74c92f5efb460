//! Every error, from any layer, comes back in the one JSON shape.
use serde_json::json;
use tests::{assert_error, spawn_app, spawn_app_with};

#[tokio::test]
async fn malformed_json_is_a_json_400() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/wechat"))
        .header("content-type", "application/json")
        .body("{\"code\": ")
        .send()
        .await
        .unwrap();
    assert_error(res, 400, "malformed_json").await;
}

#[tokio::test]
async fn a_wrong_type_or_missing_field_is_a_422_naming_the_field() {
    let app = spawn_app().await;
    let err = assert_error(
        app.post("/api/v1/auth/wechat", None, &json!({"code": 5})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"][0]["field"], "code");
    assert_eq!(err["fields"][0]["code"], "invalid_type");
    let err = assert_error(
        app.post("/api/v1/auth/wechat", None, &json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"][0]["field"], "code");
    assert_eq!(err["fields"][0]["code"], "required");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/wechat"))
        .body("code=1")
        .send()
        .await
        .unwrap();
    assert_error(res, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let app = spawn_app_with(|s| s.server.max_body_bytes = 1024).await;
    let res = app
        .post("/api/v1/auth/wechat", None, &json!({"code": "x".repeat(5000)}))
        .await;
    assert_error(res, 413, "payload_too_large").await;
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405_both_in_json() {
    let app = spawn_app().await;
    app.get_error("/api/v1/no-such-thing", None, 404, "not_found").await;
    app.get_error("/favicon.ico", None, 404, "not_found").await;
    let res = app.delete("/healthz", None).await;
    assert_eq!(res.headers().get("allow").unwrap(), "GET");
    assert_error(res, 405, "method_not_allowed").await;
    let res = app.request(reqwest::Method::PUT, "/api/v1/units/1", None, None).await;
    assert_eq!(res.headers().get("allow").unwrap(), "GET, PATCH");
    assert_error(res, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn a_path_id_that_is_not_a_number_is_404_and_a_bad_query_422_naming_the_parameter() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.get_error("/api/v1/units/abc", Some(&admin.access), 404, "not_found")
        .await;
    let err = app
        .get_error(
            "/api/v1/users?limit=lots",
            Some(&admin.access),
            422,
            "validation_failed",
        )
        .await;
    assert_eq!(err["fields"][0]["field"], "limit");
    assert_eq!(err["fields"][0]["code"], "invalid_type");
}

#[tokio::test]
async fn a_post_with_a_patch_override_is_routed_as_patch_for_the_mini_program() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let unit = app.create_unit(&admin, "tax", "税务局").await;
    let url = app.url(&format!("/api/v1/units/{}", unit["id"].as_str().unwrap()));
    let res = app
        .client
        .post(&url)
        .bearer_auth(&admin.access)
        .header("X-HTTP-Method-Override", "PATCH")
        .json(&json!({"name": "国家税务总局青岛市税务局"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["name"],
        "国家税务总局青岛市税务局"
    );
    // Only POST → PATCH: a GET cannot be turned into a write.
    let res = app
        .client
        .get(&url)
        .bearer_auth(&admin.access)
        .header("X-HTTP-Method-Override", "PATCH")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = app
        .client
        .post(&url)
        .bearer_auth(&admin.access)
        .header("X-HTTP-Method-Override", "DELETE")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_error(res, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn hostile_text_deep_json_and_huge_pages_get_clear_4xx() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let e = app.create_enterprise(&admin, 1, None).await;
    let member = app.member_of(&admin, "hostile-member", e["id"].as_str().unwrap()).await;
    let file = |title: &str, content: &str| {
        let body = json!({"kind": "demand", "environment": "service", "title": title, "content": content});
        let token = member.access.clone();
        let app = &app;
        async move { app.post("/api/v1/demands", Some(&token), &body).await }
    };
    // Only zero-width characters: blank.
    let err = assert_error(file("\u{200B}\u{200D}\u{FEFF}", "内容").await, 422, "validation_failed").await;
    assert_eq!(
        (err["fields"][0]["field"].as_str(), err["fields"][0]["code"].as_str()),
        (Some("title"), Some("required"))
    );
    // A right-to-left override (text shown as something it is not): refused.
    let err = assert_error(file("发票\u{202E}txt.exe", "内容").await, 422, "validation_failed").await;
    assert_eq!(err["fields"][0]["code"], "invalid_characters");
    // Emoji, Arabic and a combining sequence are just text.
    let res = file("🚀 出口退税 مرحبا é", "👍🏽 处理很快").await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    // Fifty emoji are fifty characters: over the title's 50 with one more.
    let err = assert_error(file(&"🚀".repeat(51), "内容").await, 422, "validation_failed").await;
    assert_eq!(err["fields"][0]["code"], "too_long");

    // JSON nested deeper than the parser allows: a clear 400, not a crash.
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let res = app
        .client
        .post(app.url("/api/v1/demands"))
        .bearer_auth(&member.access)
        .header("content-type", "application/json")
        .body(deep)
        .send()
        .await
        .unwrap();
    assert_error(res, 400, "malformed_json").await;
    // A page of a million: out of range.
    let err = app
        .get_error(
            "/api/v1/demands?limit=1000000",
            Some(&member.access),
            422,
            "validation_failed",
        )
        .await;
    assert_eq!(err["fields"][0]["code"], "out_of_range");
    let err = app
        .get_error(
            "/api/v1/demands?limit=-1",
            Some(&member.access),
            422,
            "validation_failed",
        )
        .await;
    assert_eq!(err["fields"][0]["field"], "limit");
}

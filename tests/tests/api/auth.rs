//! Sign-in with WeChat, tokens, refresh rotation, phone binding.
use serde_json::{Value, json};
use tests::{APP_ID, APP_SECRET, assert_error, session, spawn_app, spawn_app_with};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

fn code2session(openid: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "openid": openid,
        "session_key": "tiihtNczf5v6AKRyjwEUhQ==",
        "unionid": "union-1"
    }))
}

#[tokio::test]
async fn signing_in_twice_with_wechat_gives_the_same_person() {
    let app = spawn_app().await;
    Mock::given(method("GET"))
        .and(path("/sns/jscode2session"))
        .and(query_param("appid", APP_ID))
        .and(query_param("secret", APP_SECRET))
        .and(query_param("grant_type", "authorization_code"))
        .respond_with(code2session("o-alice"))
        .expect(2)
        .mount(&app.wechat)
        .await;

    let first = app.post("/api/v1/auth/wechat", None, &json!({"code": "code-1"})).await;
    assert_eq!(first.status(), 200);
    let text = first.text().await.unwrap();
    assert!(
        !text.contains("tiihtNczf5v6AKRyjwEUhQ"),
        "session_key must never leave the server"
    );
    let first: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(first["expiresIn"], 900);
    assert!(first["refreshToken"].as_str().unwrap().len() >= 40);

    let second: Value = app
        .post("/api/v1/auth/wechat", None, &json!({"code": "code-2"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["user"]["id"], second["user"]["id"]);
    assert_ne!(first["refreshToken"], second["refreshToken"]);

    let me = app
        .get("/api/v1/me", Some(first["accessToken"].as_str().unwrap()))
        .await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["id"], first["user"]["id"]);
    assert_eq!(me["roles"], json!([]));
}

#[tokio::test]
async fn concurrent_first_sign_ins_create_one_person() {
    let app = spawn_app().await;
    let (a, b) = tokio::join!(app.sign_in("o-race"), app.sign_in("o-race"));
    assert_eq!(a.id(), b.id());
}

#[tokio::test]
async fn wechat_error_codes_become_documented_errors() {
    let cases = [
        (
            json!({"errcode": 40029, "errmsg": "invalid code, rid: 1"}),
            401,
            "wechat_code_invalid",
            None,
        ),
        (
            json!({"errcode": 40163, "errmsg": "code been used"}),
            401,
            "wechat_code_invalid",
            None,
        ),
        (
            json!({"errcode": 45011, "errmsg": "api minute-quota reach limit"}),
            503,
            "wechat_unavailable",
            Some("60"),
        ),
        (
            json!({"errcode": -1, "errmsg": "system error"}),
            503,
            "wechat_unavailable",
            Some("5"),
        ),
        (
            json!({"errcode": 40226, "errmsg": "code blocked"}),
            403,
            "wechat_user_blocked",
            None,
        ),
    ];
    let app = spawn_app().await;
    for (answer, status, code, retry_after) in cases {
        app.wechat.reset().await;
        Mock::given(path("/sns/jscode2session"))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .mount(&app.wechat)
            .await;
        let res = app.post("/api/v1/auth/wechat", None, &json!({"code": "c"})).await;
        let got_retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(got_retry.as_deref(), retry_after, "Retry-After for {code}");
        assert_error(res, status, code).await;
    }
}

#[tokio::test]
async fn wechat_down_or_slow_is_503_with_retry_after() {
    let app = spawn_app_with(|s| s.wechat.timeout_ms = 300).await;
    Mock::given(path("/sns/jscode2session"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .mount(&app.wechat)
        .await;
    Mock::given(path("/sns/jscode2session"))
        .respond_with(code2session("o-late").set_delay(std::time::Duration::from_secs(3)))
        .mount(&app.wechat)
        .await;
    for _ in 0..2 {
        let res = app.post("/api/v1/auth/wechat", None, &json!({"code": "c"})).await;
        assert!(res.headers().get("retry-after").is_some());
        assert_error(res, 503, "wechat_unavailable").await;
    }
}

#[tokio::test]
async fn dev_codes_are_refused_without_development_mode_and_wechat_is_not_asked() {
    let app = spawn_app_with(|s| s.wechat.dev_mode = false).await;
    Mock::given(path("/sns/jscode2session"))
        .respond_with(code2session("x"))
        .expect(0)
        .mount(&app.wechat)
        .await;
    let res = app
        .post("/api/v1/auth/wechat", None, &json!({"code": "dev:demo-admin"}))
        .await;
    assert_error(res, 401, "wechat_code_invalid").await;
    app.get_error("/api/v1/dev/personas", None, 404, "not_found").await;
}

#[tokio::test]
async fn bootstrap_admins_become_admins_at_sign_in() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    assert_eq!(admin.user["roles"][0]["role"], "admin");
    // Signing in again does not grant it twice.
    let again = app.admin().await;
    assert_eq!(again.user["roles"].as_array().unwrap().len(), 1);
    let nobody = app.sign_in("someone").await;
    assert_eq!(nobody.user["roles"], json!([]));
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_whole_chain() {
    let app = spawn_app().await;
    let s = app.sign_in("o-rotate").await;

    let r1 = app
        .post("/api/v1/auth/refresh", None, &json!({"refreshToken": s.refresh}))
        .await;
    assert_eq!(r1.status(), 200);
    let s1 = session(r1).await;
    assert_ne!(s1.refresh, s.refresh);
    assert_eq!(s1.id(), s.id());
    assert_eq!(app.get("/api/v1/me", Some(&s1.access)).await.status(), 200);

    let r2 = app
        .post("/api/v1/auth/refresh", None, &json!({"refreshToken": s1.refresh}))
        .await;
    let s2 = session(r2).await;

    // The first token is spent: presenting it again is a theft signal.
    let reuse = app
        .post("/api/v1/auth/refresh", None, &json!({"refreshToken": s.refresh}))
        .await;
    assert_error(reuse, 401, "refresh_token_reused").await;
    // ... and the newest token of that chain stops working too.
    let after = app
        .post("/api/v1/auth/refresh", None, &json!({"refreshToken": s2.refresh}))
        .await;
    assert_error(after, 401, "refresh_token_reused").await;

    // Another sign-in's chain is untouched.
    let other = app.sign_in("o-rotate").await;
    assert_eq!(
        app.post("/api/v1/auth/refresh", None, &json!({"refreshToken": other.refresh}))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn two_concurrent_refreshes_with_one_token_cannot_both_win() {
    let app = spawn_app().await;
    let s = app.sign_in("o-double").await;
    let body = json!({"refreshToken": s.refresh});
    let (a, b) = tokio::join!(
        app.post("/api/v1/auth/refresh", None, &body),
        app.post("/api/v1/auth/refresh", None, &body)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 401]);
}

#[tokio::test]
async fn unknown_and_expired_refresh_tokens_are_refused() {
    let app = spawn_app().await;
    let res = app
        .post("/api/v1/auth/refresh", None, &json!({"refreshToken": "not-a-token"}))
        .await;
    assert_error(res, 401, "refresh_token_invalid").await;

    let s = app.sign_in("o-expired").await;
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("UPDATE refresh_tokens SET expires_at = '2000-01-01T00:00:00+00:00'")
        .await
        .unwrap();
    let res = app
        .post("/api/v1/auth/refresh", None, &json!({"refreshToken": s.refresh}))
        .await;
    assert_error(res, 401, "refresh_token_expired").await;
}

#[tokio::test]
async fn signing_out_ends_the_refresh_token_and_the_access_tokens_of_that_sign_in() {
    let app = spawn_app().await;
    let s = app.sign_in("o-logout").await;
    // Another sign-in of the same person (the console beside the phone) goes on.
    let other = app.sign_in("o-logout").await;
    assert_eq!(app.get("/api/v1/me", Some(&s.access)).await.status(), 200);
    let res = app
        .post("/api/v1/auth/logout", None, &json!({"refreshToken": s.refresh}))
        .await;
    assert_eq!(res.status(), 204);
    let res = app
        .post("/api/v1/auth/refresh", None, &json!({"refreshToken": s.refresh}))
        .await;
    assert_eq!(res.status(), 401);
    // The access token of that sign-in is refused at once, not for the rest of its 15 minutes
    // (other replicas follow within `copies::TTL`: the replicas check in CI).
    app.get_error("/api/v1/me", Some(&s.access), 401, "token_revoked").await;
    assert_eq!(app.get("/api/v1/me", Some(&other.access)).await.status(), 200);
}

fn token_with(app: &tests::TestApp, sub: &str, exp_offset: i64, secret: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "iss": app.settings.auth.issuer, "aud": app.settings.auth.audience,
        "sub": sub, "iat": now - 1000, "exp": now + exp_offset
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn expired_tampered_foreign_and_missing_tokens_are_401() {
    let app = spawn_app().await;
    let s = app.sign_in("o-tokens").await;
    let secret = api::settings::DEV_JWT_SECRET;

    let expired = token_with(&app, &s.id(), -60, secret);
    app.get_error("/api/v1/me", Some(&expired), 401, "token_expired").await;

    // Same claims, one character in the middle of the signature changed (the last
    // character of a base64url signature carries padding bits, so it is not used).
    let mut chars: Vec<char> = s.access.chars().collect();
    let at = chars.len() - 10;
    chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    app.get_error("/api/v1/me", Some(&tampered), 401, "token_invalid").await;

    // A payload edited to impersonate an admin, signature left alone.
    let admin = app.admin().await;
    let parts: Vec<&str> = s.access.split('.').collect();
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut claims: Value = serde_json::from_slice(&engine.decode(parts[1]).unwrap()).unwrap();
    claims["sub"] = json!(admin.id());
    let forged = format!("{}.{}.{}", parts[0], engine.encode(claims.to_string()), parts[2]);
    app.get_error("/api/v1/me", Some(&forged), 401, "token_invalid").await;

    let foreign = token_with(&app, &s.id(), 600, "some-other-secret-some-other-secret");
    app.get_error("/api/v1/me", Some(&foreign), 401, "token_invalid").await;

    let ghost = token_with(&app, "999999", 600, secret);
    app.get_error("/api/v1/me", Some(&ghost), 401, "token_invalid").await;

    app.get_error("/api/v1/me", None, 401, "unauthenticated").await;
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "token_invalid").await;

    // The genuine token still works.
    assert_eq!(app.get("/api/v1/me", Some(&s.access)).await.status(), 200);
}

#[tokio::test]
async fn phone_binding_goes_through_wechat_and_refreshes_a_stale_token_once() {
    let app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .and(body_json(
            json!({"grant_type": "client_credential", "appid": APP_ID, "secret": APP_SECRET, "force_refresh": false}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "token-old", "expires_in": 7200})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&app.wechat)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "token-new", "expires_in": 7200})),
        )
        .expect(1)
        .mount(&app.wechat)
        .await;
    // WeChat says the first token is no longer valid.
    Mock::given(path("/wxa/business/getuserphonenumber"))
        .and(query_param("access_token", "token-old"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 40001, "errmsg": "invalid credential"})),
        )
        .expect(1)
        .mount(&app.wechat)
        .await;
    Mock::given(path("/wxa/business/getuserphonenumber"))
        .and(query_param("access_token", "token-new"))
        .and(body_json(json!({"code": "phone-code"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 0, "errmsg": "ok",
            "phone_info": {"phoneNumber": "13812345678", "purePhoneNumber": "13812345678", "countryCode": "86",
                           "watermark": {"timestamp": 1637744274, "appid": APP_ID}}
        })))
        .expect(2)
        .mount(&app.wechat)
        .await;

    let s = app.sign_in("o-phone").await;
    let res = app
        .post("/api/v1/me/phone", Some(&s.access), &json!({"code": "phone-code"}))
        .await;
    assert_eq!(res.status(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["phone"], "13812345678", "the owner sees the whole number");

    // The refreshed token is cached: a second binding fetches no new token.
    let res = app
        .post("/api/v1/me/phone", Some(&s.access), &json!({"code": "phone-code"}))
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn an_invalid_phone_code_is_401() {
    let app = spawn_app().await;
    Mock::given(path("/cgi-bin/stable_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "t", "expires_in": 7200})))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/wxa/business/getuserphonenumber"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 40029, "errmsg": "invalid code"})))
        .mount(&app.wechat)
        .await;
    let s = app.sign_in("o-phone-bad").await;
    let res = app
        .post("/api/v1/me/phone", Some(&s.access), &json!({"code": "used"}))
        .await;
    assert_error(res, 401, "wechat_code_invalid").await;
}

//! Rate limits: per person and per address, per action bucket; 429 with `Retry-After`;
//! shared by replicas through Redis.
use serde_json::{Value, json};
use tests::{TestApp, spawn_app_with};

async fn file(app: &TestApp, token: &str, base: Option<&str>) -> reqwest::Response {
    let body = json!({"kind": "demand", "environment": "service", "title": "出口退税办理慢", "content": "申请出口退税两周没有进展。"});
    match base {
        None => app.post("/api/v1/demands", Some(token), &body).await,
        Some(base) => app
            .client
            .post(format!("{base}/api/v1/demands"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    }
}

async fn assert_limited(res: reqwest::Response) {
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");
    assert_eq!(body["message"], "操作过于频繁，请稍后再试");
}

#[tokio::test]
async fn writes_are_limited_per_person_and_address_and_sign_ins_per_address() {
    let app = spawn_app_with(|s| {
        s.rate_limit.writes = 4;
        s.rate_limit.sign_in = 3;
        s.rate_limit.ip_factor = 4;
    })
    .await;
    let admin = app.admin().await;
    let e = app.create_enterprise(&admin, 1, None).await;
    let member = app.member_of(&admin, "rl-member", e["id"].as_str().unwrap()).await;
    let colleague = app.member_of(&admin, "rl-colleague", e["id"].as_str().unwrap()).await;

    for _ in 0..4 {
        assert_eq!(file(&app, &member.access, None).await.status(), 201);
    }
    assert_limited(file(&app, &member.access, None).await).await;
    // Reads are not limited.
    for _ in 0..10 {
        assert_eq!(app.get("/api/v1/demands", Some(&member.access)).await.status(), 200);
    }
    // Another person on the same address still writes: the address allows 16 in the window
    // (the admin's set-up writes and the member's five are counted there).
    assert_eq!(file(&app, &colleague.access, None).await.status(), 201);

    // A second replica on the same database and cache: with Redis the count is shared and the
    // member is still over the limit there; with the in-process cache each replica counts its own.
    let replica = app.replica().await;
    let there = file(&app, &member.access, Some(&replica.address)).await;
    if app.settings.redis.url.is_some() {
        assert_limited(there).await;
    } else {
        assert_eq!(there.status(), 201);
    }

    // Sign-ins are anonymous: counted by address, 12 in the window (3 × 4). The admin and the
    // two members have taken three.
    let mut refused = None;
    for n in 0..12 {
        let res = app
            .post(
                "/api/v1/auth/wechat",
                None,
                &json!({"code": format!("dev:rl-someone-{n}")}),
            )
            .await;
        if res.status() == 429 {
            refused = Some((n, res));
            break;
        }
        assert_eq!(res.status(), 200);
    }
    let (n, res) = refused.expect("the address is limited within 12 sign-ins");
    assert_eq!(n, 9, "refused after {n} more sign-ins");
    assert_limited(res).await;
}

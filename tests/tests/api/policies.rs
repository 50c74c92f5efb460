//! Policies: writing and publishing, matching with reasons, Chinese search.
use chrono::Utc;
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_error, spawn_app, spawn_app_with, urlencode};
use wiremock::matchers::{body_partial_json, path};
use wiremock::{Mock, ResponseTemplate};

pub(crate) fn explainer(for_whom: &str, benefits: &str) -> Value {
    json!({
        "forWhom": for_whom,
        "benefits": benefits,
        "howToApply": "登录亲清小程序在线申报，或到政务服务中心2号窗口办理。",
        "contact": "0532-86888888",
    })
}

/// Writes a draft and returns its id.
async fn draft(app: &TestApp, admin: &Session, body: Value) -> String {
    let res = app.post("/api/v1/policies", Some(&admin.access), &body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["status"], "draft");
    p["id"].as_str().unwrap().to_owned()
}

async fn publish(app: &TestApp, admin: &Session, id: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/policies/{id}/publish"),
        Some(&admin.access),
        &json!({}),
    )
    .await
}

/// Writes and publishes a policy; returns its id.
pub(crate) async fn policy(app: &TestApp, admin: &Session, body: Value) -> String {
    let id = draft(app, admin, body).await;
    let res = publish(app, admin, &id).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    id
}

async fn enterprise(app: &TestApp, admin: &Session, n: u32, fields: Value) -> String {
    let e = app.create_enterprise_with(admin, n, fields).await;
    e["id"].as_str().unwrap().to_owned()
}

/// Three policies: one for software firms with 高新技术企业, one for manufacturers, one for all.
async fn world() -> (TestApp, Session, [String; 3]) {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let hitech = policy(
        &app,
        &admin,
        json!({
            "title": "高新技术企业认定奖励办法",
            "issuer": "科技创新局",
            "docNumber": "青自贸科〔2026〕3号",
            "explainer": explainer("区内首次通过高新技术企业认定的软件企业", "一次性奖励20万元"),
            "fullText": "鼓励企业加大研发投入，对首次认定的高新技术企业给予奖励。",
            "tags": ["高新技术企业", "软件"],
            "conditions": {"industries": ["I65"], "qualifications": ["高新技术企业"], "minYears": 1},
        }),
    )
    .await;
    let factory = policy(
        &app,
        &admin,
        json!({
            "title": "制造业技术改造补贴",
            "issuer": "经济发展局",
            "explainer": explainer("区内规模以上制造业企业", "按设备投资额的10%给予补贴"),
            "conditions": {"industries": ["C"], "scales": ["medium", "large"]},
        }),
    )
    .await;
    let talent = policy(
        &app,
        &admin,
        json!({
            "title": "高层次人才引进补贴实施细则",
            "issuer": "人力资源局",
            "explainer": explainer("区内各类企业新引进的高层次人才", "给予人才引进补贴每人最高50万元"),
            "fullText": "对新引进的博士给予住房补贴和生活补贴。",
            "tags": ["人才"],
        }),
    )
    .await;
    (app, admin, [hitech, factory, talent])
}

#[tokio::test]
async fn an_enterprise_sees_the_policies_that_fit_it_and_why() {
    let (app, admin, [hitech, factory, talent]) = world().await;
    let soft = enterprise(
        &app,
        &admin,
        1,
        json!({"qualifications": ["高新技术企业"], "tags": ["软件"]}),
    )
    .await;
    let member = app.member_of(&admin, "soft-member", &soft).await;
    let res = app.get("/api/v1/policies/matched", Some(&member.access)).await;
    assert_eq!(res.status(), 200);
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["nextCursor"], Value::Null);
    let feed: Vec<Value> = page["items"].as_array().unwrap().clone();
    let ids: Vec<&str> = feed.iter().map(|p| p["id"].as_str().unwrap()).collect();
    // The tag-sharing, more specific policy ranks first; the manufacturing one is absent.
    assert_eq!(ids, vec![hitech.as_str(), talent.as_str()]);
    assert!(!ids.contains(&factory.as_str()));
    let reasons: Vec<&str> = feed[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("所属行业属于") && r.ends_with("（I65）")),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"具备高新技术企业资质"), "{reasons:?}");
    assert_eq!(feed[0]["sharedTags"], json!(["高新技术企业", "软件"]));
    assert_eq!(feed[1]["reasons"][0]["kind"], "everyone");

    // The same enterprise without the qualification loses the hi-tech policy.
    let plain = enterprise(&app, &admin, 2, json!({})).await;
    let other = app.member_of(&admin, "plain-member", &plain).await;
    let feed: Value = app
        .get("/api/v1/policies/matched", Some(&other.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(feed["items"].as_array().unwrap().len(), 1);
    assert_eq!(feed["items"][0]["id"], talent.as_str());

    // A page at a time: two pages of one, in the same order, then the end.
    let first: Value = app
        .get("/api/v1/policies/matched?limit=1", Some(&member.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["items"][0]["id"], hitech.as_str());
    let cursor = first["nextCursor"].as_str().unwrap();
    let second: Value = app
        .get(
            &format!("/api/v1/policies/matched?limit=1&cursor={cursor}"),
            Some(&member.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"][0]["id"], talent.as_str());
    assert_eq!(second["nextCursor"], Value::Null);
    let res = app
        .get("/api/v1/policies/matched?cursor=bm90LWEtY3Vyc29y", Some(&member.access))
        .await;
    assert_error(res, 422, "validation_failed").await;
    let res = app.get("/api/v1/policies/matched?limit=0", Some(&member.access)).await;
    assert_error(res, 422, "validation_failed").await;

    // Another enterprise's feed is not mine to read; a person with no enterprise gets a clear 403.
    let res = app
        .get(
            &format!("/api/v1/policies/matched?enterpriseId={soft}"),
            Some(&other.access),
        )
        .await;
    assert_error(res, 403, "forbidden").await;
    let stranger = app.sign_in("stranger").await;
    let res = app.get("/api/v1/policies/matched", Some(&stranger.access)).await;
    assert_error(res, 403, "not_an_enterprise_member").await;
}

/// Publishing reads the policy, then writes it and its deliveries. On SQLite such transactions,
/// run together with other writes, all go through: each takes the write lock when it begins
/// and waits for the others, where one that read first would fail at its first write.
#[tokio::test]
async fn policies_published_together_with_other_writes_all_go_through() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let body = |i: usize| {
        json!({"title": format!("并发政策{i}"), "issuer": "经济发展局",
               "explainer": explainer("区内各类企业", "给予补贴"), "conditions": {}})
    };
    let mut drafts = Vec::new();
    for i in 0..8 {
        drafts.push(draft(&app, &admin, body(i)).await);
    }
    let publishing = futures_util::future::join_all(drafts.iter().map(|id| publish(&app, &admin, id)));
    let bodies: Vec<Value> = (8..16).map(body).collect();
    let writing = futures_util::future::join_all(
        bodies
            .iter()
            .map(|b| app.post("/api/v1/policies", Some(&admin.access), b)),
    );
    let (published, written) = tokio::join!(publishing, writing);
    let statuses: Vec<u16> = published.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses, [200; 8]);
    let statuses: Vec<u16> = written.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses, [201; 8]);
}

#[tokio::test]
async fn staff_see_the_matched_enterprises_with_count() {
    let (app, admin, [hitech, factory, _]) = world().await;
    let butler = app.butler(&admin, "butler-a").await;
    enterprise(
        &app,
        &admin,
        1,
        json!({"qualifications": ["高新技术企业"], "butlerId": butler.id()}),
    )
    .await;
    enterprise(&app, &admin, 2, json!({"qualifications": ["高新技术企业"]})).await;
    enterprise(&app, &admin, 3, json!({})).await;
    enterprise(&app, &admin, 4, json!({"industryCode": "C3311", "scale": "large"})).await;
    // Registered this year: too young for the hi-tech policy.
    enterprise(
        &app,
        &admin,
        5,
        json!({"qualifications": ["高新技术企业"], "registeredAt": api::types::today().to_string()}),
    )
    .await;

    let m: Value = app
        .get(&format!("/api/v1/policies/{hitech}/matches"), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m["count"], 2, "{m}");
    assert_eq!(m["items"][0]["name"], "测试企业1有限公司");
    let m: Value = app
        .get(&format!("/api/v1/policies/{factory}/matches"), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m["count"], 1);
    assert_eq!(m["items"][0]["industryCode"], "C3311");
    // A butler sees only the enterprises they serve.
    let m: Value = app
        .get(&format!("/api/v1/policies/{hitech}/matches"), Some(&butler.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m["count"], 1);
    // An enterprise member is not staff.
    let e = enterprise(&app, &admin, 6, json!({})).await;
    let member = app.member_of(&admin, "member", &e).await;
    let res = app
        .get(&format!("/api/v1/policies/{hitech}/matches"), Some(&member.access))
        .await;
    assert_error(res, 403, "forbidden").await;
}

#[tokio::test]
async fn search_finds_segmented_words_and_synonyms_and_ranks_the_closer_match_first() {
    let (app, admin, [hitech, _, talent]) = world().await;
    let user = app.sign_in("reader").await;
    let search = |q: &str| {
        let url = format!("/api/v1/policies/search?q={}", urlencode(q));
        let app = &app;
        let token = user.access.clone();
        async move {
            let res = app.get(&url, Some(&token)).await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            res.json::<Vec<Value>>().await.unwrap()
        }
    };
    // 「人才补贴」 is written nowhere; the policy says 「人才引进补贴」.
    let hits = search("人才补贴").await;
    assert_eq!(hits[0]["id"], talent.as_str(), "{hits:?}");
    let marked: String = hits[0]["title"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["hit"] == true)
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(
        marked.contains("人才") && marked.contains("补贴"),
        "{:?}",
        hits[0]["title"]
    );
    // 「高企」 is the shipped synonym of 「高新技术企业」.
    let hits = search("高企").await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], hitech.as_str());
    // Filters: issuer.
    let res = app
        .get(
            &format!(
                "/api/v1/policies/search?q={}&issuer={}",
                urlencode("补贴"),
                urlencode("人力资源局")
            ),
            Some(&user.access),
        )
        .await;
    let hits: Vec<Value> = res.json().await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], talent.as_str());

    // A draft is invisible to others and found by admins once asked for.
    let res = app
        .post(
            "/api/v1/policies",
            Some(&admin.access),
            &json!({"title": "人才补贴申报指南（草稿）", "issuer": "人力资源局", "explainer": explainer("人才", "补贴")}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let draft: Value = res.json().await.unwrap();
    assert!(search("人才补贴").await.iter().all(|h| h["id"] != draft["id"]));
    let res = app
        .get(
            &format!("/api/v1/policies/{}", draft["id"].as_str().unwrap()),
            Some(&user.access),
        )
        .await;
    assert_error(res, 404, "policy_not_found").await;
    let res = app
        .get(
            &format!("/api/v1/policies/search?q={}&status=draft", urlencode("人才补贴")),
            Some(&admin.access),
        )
        .await;
    let hits: Vec<Value> = res.json().await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], draft["id"]);
    let res = app
        .get(
            &format!("/api/v1/policies/search?q={}&status=draft", urlencode("人才")),
            Some(&user.access),
        )
        .await;
    assert_error(res, 403, "forbidden").await;
    // Bad input.
    let res = app.get("/api/v1/policies/search?q=%20", Some(&user.access)).await;
    assert_error(res, 422, "validation_failed").await;
    let res = app
        .get("/api/v1/policies/search?q=a&limit=500", Some(&user.access))
        .await;
    assert_error(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn writing_and_publishing_are_for_admins_and_checked() {
    let (app, admin, [hitech, ..]) = world().await;
    let butler = app.butler(&admin, "butler-b").await;
    let body = json!({"title": "某政策", "issuer": "管委", "explainer": explainer("企业", "支持")});
    let res = app.post("/api/v1/policies", Some(&butler.access), &body).await;
    assert_error(res, 403, "forbidden").await;
    assert_error(publish(&app, &admin, &hitech).await, 409, "policy_not_draft").await;
    let res = app
        .post(
            "/api/v1/policies",
            Some(&admin.access),
            &json!({
                "title": " ",
                "issuer": "管委",
                "explainer": explainer("企业", "支持"),
                "conditions": {"industries": ["I65", "Q9"], "minYears": 5, "maxYears": 2},
            }),
        )
        .await;
    let err = assert_error(res, 422, "validation_failed").await;
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["title", "conditions.industries[1]", "conditions.maxYears"]);
    let res = app
        .post(
            "/api/v1/policies",
            Some(&admin.access),
            &json!({"title": "x", "issuer": "y", "explainer": explainer("a", "b"), "conditions": {"industry": ["I"]}}),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    let res = app.get("/api/v1/policies/999999", Some(&admin.access)).await;
    assert_error(res, 404, "policy_not_found").await;
}

fn policy_template() -> api::settings::SubscribeTemplate {
    api::settings::SubscribeTemplate {
        template_id: "tmpl-policy".into(),
        title_key: "thing1".into(),
        status_key: "phrase2".into(),
        time_key: "time3".into(),
        note_key: "thing4".into(),
    }
}

async fn reach(app: &TestApp, admin: &Session, id: &str) -> Value {
    app.get(&format!("/api/v1/policies/{id}/reach"), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn publishing_reaches_each_matched_member_once_and_the_digest_only_what_is_new() {
    let app = spawn_app_with(|s| s.wechat.policy_template = Some(policy_template())).await;
    // Exactly one subscribe message: to the one matched member who subscribed.
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .and(body_partial_json(
            json!({"touser": "p-sub", "template_id": "tmpl-policy"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})))
        .expect(1)
        .mount(&app.wechat)
        .await;
    let admin = app.admin().await;
    let fit = enterprise(&app, &admin, 1, json!({"qualifications": ["高新技术企业"]})).await;
    let unfit = enterprise(&app, &admin, 2, json!({})).await;
    let subscribed = app.member_of(&admin, "p-sub", &fit).await;
    let quiet = app.member_of(&admin, "p-quiet", &fit).await;
    let outsider = app.member_of(&admin, "p-out", &unfit).await;
    for s in [&subscribed, &outsider] {
        let res = app
            .post(
                "/api/v1/me/subscriptions",
                Some(&s.access),
                &json!({"accepted": ["tmpl-policy"]}),
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["policyCredits"], 1);
    }
    let id = draft(
        &app,
        &admin,
        json!({
            "title": "高新技术企业认定奖励办法",
            "issuer": "科技创新局",
            "explainer": explainer("高新技术企业", "奖励20万元"),
            "conditions": {"qualifications": ["高新技术企业"]},
        }),
    )
    .await;
    let res = publish(&app, &admin, &id).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["reached"], 2);
    let sent = api::jobs::deliver::run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!((sent.sent, sent.skipped), (1, 1), "{sent:?}");
    // In-app notices go to both matched members, none to the outsider.
    for (s, expected) in [(&subscribed, 1), (&quiet, 1), (&outsider, 0)] {
        let n: Value = app
            .get("/api/v1/notifications", Some(&s.access))
            .await
            .json()
            .await
            .unwrap();
        let policy_notices = n["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["title"].as_str().unwrap().contains("高新技术企业认定奖励办法"))
            .count();
        assert_eq!(policy_notices, expected);
    }
    // A second publish is refused; the digest finds nothing new; nothing else is sent.
    assert_error(publish(&app, &admin, &id).await, 409, "policy_not_draft").await;
    let template = policy_template();
    let today = api::types::today();
    assert_eq!(
        api::service::policies::digest(&app.db, Some(&template), today)
            .await
            .unwrap(),
        (0, 0)
    );
    // A member who joins later gets it in the next digest, once.
    let late = app.member_of(&admin, "p-late", &fit).await;
    assert_eq!(
        api::service::policies::digest(&app.db, Some(&template), today)
            .await
            .unwrap(),
        (1, 1)
    );
    assert_eq!(
        api::service::policies::digest(&app.db, Some(&template), today)
            .await
            .unwrap(),
        (0, 0)
    );
    let n: Value = app
        .get("/api/v1/notifications", Some(&late.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(n["items"][0]["title"], "1条新政策与贵企业相符");
    let again = api::jobs::deliver::run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!(again.sent, 0, "{again:?}");

    // Read and understood, per person.
    assert_eq!(
        reach(&app, &admin, &id).await,
        json!({"reached": 3, "read": 0, "understood": 0})
    );
    let res = app.get(&format!("/api/v1/policies/{id}"), Some(&quiet.access)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        reach(&app, &admin, &id).await,
        json!({"reached": 3, "read": 1, "understood": 0})
    );
    for _ in 0..2 {
        let res = app
            .post(
                &format!("/api/v1/policies/{id}/ack"),
                Some(&subscribed.access),
                &json!({}),
            )
            .await;
        assert_eq!(res.status(), 204);
    }
    assert_eq!(
        reach(&app, &admin, &id).await,
        json!({"reached": 3, "read": 2, "understood": 1})
    );
    // Someone the policy never reached may still say they know it: counted, once.
    let res = app
        .post(
            &format!("/api/v1/policies/{id}/ack"),
            Some(&outsider.access),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        reach(&app, &admin, &id).await,
        json!({"reached": 4, "read": 3, "understood": 2})
    );
    // Figures are for admins.
    let res = app
        .get(&format!("/api/v1/policies/{id}/reach"), Some(&quiet.access))
        .await;
    assert_error(res, 403, "forbidden").await;
}

#[tokio::test]
async fn a_policy_past_its_expiry_date_leaves_the_feed_and_expires() {
    let (app, admin, [_, _, talent]) = world().await;
    let e = enterprise(&app, &admin, 1, json!({})).await;
    let member = app.member_of(&admin, "expiring", &e).await;
    assert_eq!(feed_ids(&app, &member).await, vec![talent.clone()]);
    let today = api::types::today();
    let expires = today - chrono::Days::new(1);
    let old = draft(
        &app,
        &admin,
        json!({"title": "即将失效的政策", "issuer": "管委", "explainer": explainer("全部企业", "支持"),
                "expiresOn": expires.to_string()}),
    )
    .await;
    // Publishing a policy already past its date is refused.
    assert_error(publish(&app, &admin, &old).await, 409, "policy_expired").await;
    // One published while still valid, then its date passes: the feed drops it at once, the job
    // marks it expired, and it stays readable and searchable as expired.
    let soon = policy(
        &app,
        &admin,
        json!({"title": "人才安居补贴", "issuer": "管委", "explainer": explainer("全部企业", "补贴"),
                "expiresOn": today.to_string()}),
    )
    .await;
    assert_eq!(feed_ids(&app, &member).await, vec![soon.clone(), talent.clone()]);
    let index = &app.state.policies;
    assert_eq!(
        api::service::policies::expire_due(&app.db, index, today).await.unwrap(),
        0
    );
    let tomorrow = today + chrono::Days::new(1);
    assert_eq!(
        api::service::policies::expire_due(&app.db, index, tomorrow)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        api::service::policies::expire_due(&app.db, index, tomorrow)
            .await
            .unwrap(),
        0
    );
    assert_eq!(feed_ids(&app, &member).await, vec![talent.clone()]);
    let p: Value = app
        .get(&format!("/api/v1/policies/{soon}"), Some(&member.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["status"], "expired");
    let hits: Vec<Value> = app
        .get(
            &format!("/api/v1/policies/search?q={}&status=expired", urlencode("人才安居")),
            Some(&member.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["status"], "expired");
}

async fn feed_ids(app: &TestApp, member: &Session) -> Vec<String> {
    let v: Value = app
        .get("/api/v1/policies/matched?limit=100", Some(&member.access))
        .await
        .json()
        .await
        .unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn corrections_reindex_and_attachments_follow_the_policy() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let pdf = b"%PDF-1.7\n1 0 obj\n".to_vec();
    let file: Value = app
        .upload("/api/v1/files", &admin.access, pdf.clone(), "申报指南.pdf")
        .await
        .json()
        .await
        .unwrap();
    let fid = file["id"].as_str().unwrap().to_owned();
    let mut body = json!({
        "title": "跨境电商物流补贴",
        "issuer": "商务局",
        "explainer": explainer("区内跨境电商企业", "按物流费用的5%补贴"),
        "conditions": {"industries": ["F"]},
        "attachments": [fid],
    });
    let id = draft(&app, &admin, body.clone()).await;
    let url = format!("/api/v1/policies/{id}");
    let got: Value = app.get(&url, Some(&admin.access)).await.json().await.unwrap();
    assert_eq!(got["attachments"][0]["id"], fid.as_str());
    assert_eq!(got["attachments"][0]["name"], "申报指南.pdf");
    assert_eq!(got["attachments"][0]["contentType"], "application/pdf");

    // Someone else's upload cannot be attached.
    let member = app.sign_in("o-reader").await;
    let theirs: Value = app
        .upload("/api/v1/files", &member.access, pdf.clone(), "x.pdf")
        .await
        .json()
        .await
        .unwrap();
    let mut stolen = body.clone();
    stolen["attachments"] = json!([fid, theirs["id"]]);
    let err = assert_error(
        app.put(&url, Some(&admin.access), &stolen).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"][0]["field"], "attachments[1]");
    assert_eq!(err["fields"][0]["code"], "not_owned");

    // While a draft, the file is not for others; once published it is for everyone signed in.
    let file_url = format!("/api/v1/files/{fid}");
    app.get_error(&file_url, Some(&member.access), 403, "forbidden").await;
    assert_eq!(publish(&app, &admin, &id).await.status(), 200);
    let res = app.get(&file_url, Some(&member.access)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);

    // A correction of the text is found by search at once; the conditions are fixed.
    body["title"] = json!("跨境电商海外仓物流补贴");
    let res = app.put(&url, Some(&admin.access), &body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["status"], "published");
    assert!(updated["publishedOn"].is_string(), "the publication date stays");
    let hits: Value = app
        .get(
            &format!("/api/v1/policies/search?q={}", urlencode("海外仓")),
            Some(&member.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hits[0]["id"], id.as_str());
    let mut widened = body.clone();
    widened["conditions"] = json!({});
    assert_error(
        app.put(&url, Some(&admin.access), &widened).await,
        409,
        "policy_conditions_locked",
    )
    .await;
    // Removing the attachment: the file is no longer readable through the policy.
    body["attachments"] = json!([]);
    assert_eq!(app.put(&url, Some(&admin.access), &body).await.status(), 200);
    app.get_error(&file_url, Some(&member.access), 403, "forbidden").await;
    // Only admins correct policies; bad input is refused field by field.
    assert_error(app.put(&url, Some(&member.access), &body).await, 403, "forbidden").await;
    body["title"] = json!(" ");
    assert_error(
        app.put(&url, Some(&admin.access), &body).await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.put("/api/v1/policies/999999", Some(&admin.access), &body).await,
        404,
        "policy_not_found",
    )
    .await;
}

#[tokio::test]
async fn a_policy_written_on_one_replica_is_found_on_another() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let other = app.replica().await;
    let search = |q: &'static str| {
        let url = other.url(&format!("/api/v1/policies/search?q={}", urlencode(q)));
        let (client, token) = (app.client.clone(), admin.access.clone());
        async move {
            let res = client.get(url).bearer_auth(token).send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.json::<Value>().await.unwrap()
        }
    };
    assert_eq!(search("海洋经济").await, json!([]));
    let mut body = json!({
        "title": "海洋经济专项扶持办法",
        "issuer": "海洋发展局",
        "explainer": explainer("区内海洋经济企业", "项目投资的10%"),
    });
    let id = policy(&app, &admin, body.clone()).await;
    // Written and published through the first replica; the second finds it at its next search.
    let hits = search("海洋经济").await;
    assert_eq!(hits[0]["id"], id.as_str());
    assert_eq!(hits[0]["status"], "published");
    body["title"] = json!("海洋牧场专项扶持办法");
    let res = app
        .put(&format!("/api/v1/policies/{id}"), Some(&admin.access), &body)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(search("海洋牧场").await[0]["id"], id.as_str());
}

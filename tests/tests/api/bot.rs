//! The WeCom bot: verified callbacks from a self-built app (XML) and the intelligent robot
//! (JSON), wrapped here exactly as WeCom wraps them, with the development keys (sample set A).
use bot::crypto::Crypto;
use bot::envelope;
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_error, spawn_app};

const TOKEN: &str = "QDG6eK";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const CORP_ID: &str = "wx5823bf96d3bd56c7";

fn robot() -> Crypto {
    Crypto::new(TOKEN, KEY, "").unwrap()
}

fn app_crypto() -> Crypto {
    Crypto::new(TOKEN, KEY, CORP_ID).unwrap()
}

fn now() -> String {
    chrono::Utc::now().timestamp().to_string()
}

fn nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn query(sig: &str, ts: &str, nonce: &str) -> String {
    format!("msg_signature={sig}&timestamp={ts}&nonce={nonce}")
}

/// What the robot receives when `user` writes `text` in group `chat`.
fn robot_message(msgid: &str, user: &str, chat: Option<&str>, text: &str) -> String {
    json!({
        "msgid": msgid,
        "aibotid": "bot-1",
        "chatid": chat,
        "chattype": if chat.is_some() { "group" } else { "single" },
        "from": {"userid": user},
        "response_url": "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=x",
        "msgtype": "text",
        "text": {"content": format!("@亲清助手 {text}")},
    })
    .to_string()
}

/// Posts an encrypted robot callback; returns the response.
async fn post_robot_with(app: &TestApp, plain: &str, ts: &str, nonce: &str) -> reqwest::Response {
    let c = robot();
    let encrypt = c.encrypt(plain.as_bytes());
    let sig = c.signature(ts, nonce, &encrypt);
    app.client
        .post(app.url(&format!("/api/v1/bot/wecom/aibot?{}", query(&sig, ts, nonce))))
        .body(json!({ "encrypt": encrypt }).to_string())
        .send()
        .await
        .unwrap()
}

/// Says `text` to the robot and returns its decrypted answer.
async fn say(app: &TestApp, msgid: &str, user: &str, text: &str) -> String {
    let (ts, n) = (now(), nonce());
    let res = post_robot_with(app, &robot_message(msgid, user, Some("group-1"), text), &ts, &n).await;
    assert_eq!(res.status(), 200);
    let reply: Value = res.json().await.unwrap();
    assert_eq!(reply["nonce"], n.as_str());
    let plain = robot()
        .open(
            reply["msgsignature"].as_str().unwrap(),
            &reply["timestamp"].to_string(),
            &n,
            reply["encrypt"].as_str().unwrap(),
        )
        .unwrap()
        .message;
    let inner: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(inner["msgtype"], "stream");
    assert_eq!(inner["stream"]["finish"], true);
    inner["stream"]["content"].as_str().unwrap().to_owned()
}

/// Writes and publishes a policy for `industries`; returns the publish response.
async fn publish_policy(app: &TestApp, admin: &Session, title: &str, for_whom: &str, industries: &[&str]) -> Value {
    let res = app
        .post(
            "/api/v1/policies",
            Some(&admin.access),
            &json!({"title": title, "issuer": "科技局", "explainer": {"forWhom": for_whom, "benefits": "按规定给予补贴", "howToApply": "小程序申报", "contact": "0532-1"}, "conditions": {"industries": industries}}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let res = app
        .post(
            &format!("/api/v1/policies/{id}/publish"),
            Some(&admin.access),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn demands_count(app: &TestApp, admin: &Session) -> usize {
    let page: Value = app
        .get("/api/v1/demands?limit=100", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn url_verification_answers_the_bare_echo_string() {
    let app = spawn_app().await;
    // Tencent's own verification request for sample set A (the self-built app's receive id).
    let url = "/api/v1/bot/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";
    let res = app.get(url, None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "1616140317555161061");
    // The robot's receive id is empty.
    let c = robot();
    let echo = c.encrypt(b"4375120948345356249");
    let (ts, n) = (now(), nonce());
    let sig = c.signature(&ts, &n, &echo);
    let encoded: String = echo
        .bytes()
        .map(|b| match b {
            b'+' => "%2B".to_owned(),
            b'/' => "%2F".to_owned(),
            b'=' => "%3D".to_owned(),
            _ => char::from(b).to_string(),
        })
        .collect();
    let res = app
        .get(
            &format!("/api/v1/bot/wecom/aibot?{}&echostr={encoded}", query(&sig, &ts, &n)),
            None,
        )
        .await;
    assert_eq!(res.text().await.unwrap(), "4375120948345356249");
    let bad = url.replace("5c45ff", "000000");
    app.get_error(&bad, None, 401, "bot_signature_invalid").await;
}

#[tokio::test]
async fn a_policy_question_gets_the_matching_policies() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for (title, for_whom) in [
        ("人才引进补贴实施办法", "区内企业新引进的高层次人才"),
        ("首贷贴息政策", "首次获得银行贷款的中小微企业"),
    ] {
        publish_policy(&app, &admin, title, for_whom, &[]).await;
    }
    let reply = say(&app, "m-q1", "zhangsan", "人才补贴怎么申请").await;
    assert!(reply.starts_with("为您找到以下政策"), "{reply}");
    assert!(reply.contains("人才引进补贴实施办法"), "{reply}");
    assert!(!reply.contains("首贷贴息"), "{reply}");
    assert!(reply.contains("subpackages/policy/detail/index?id="), "{reply}");
    let help = say(&app, "m-q2", "zhangsan", "帮助").await;
    assert!(help.contains("反馈"));
    let nothing = say(&app, "m-q3", "zhangsan", "火星移民怎么办理").await;
    assert!(nothing.contains("暂未找到"), "{nothing}");
}

#[tokio::test]
async fn feedback_files_one_demand_per_message_id_and_binding_attributes_it() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let e = app.create_enterprise(&admin, 1, None).await;
    let eid = e["id"].as_str().unwrap();

    // An unknown speaker: the demand is the group's, and the reply says how to bind.
    let reply = say(&app, "m-1", "lisi", "反馈 开户时银行要求的材料不清楚").await;
    assert!(reply.contains("发送「绑定」"), "{reply}");
    let number = reply
        .split_whitespace()
        .find_map(|w| w.find("SQ").map(|i| w[i..].trim_end_matches(['，', '。']).to_owned()))
        .unwrap();
    let number: String = number
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let found: Value = app
        .get(&format!("/api/v1/demands?q={number}"), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"][0]["channel"], "bot");
    assert!(found["items"][0]["enterprise"].is_null());
    assert_eq!(demands_count(&app, &admin).await, 1);
    // WeCom retries the same message (a new nonce): the same answer, no second demand.
    let again = say(&app, "m-1", "lisi", "反馈 开户时银行要求的材料不清楚").await;
    assert_eq!(again, reply);
    assert_eq!(demands_count(&app, &admin).await, 1);

    // Binding: the bot gives a code, the member enters it in the mini-program.
    let bind = say(&app, "m-2", "lisi", "绑定").await;
    let code = bind_code(&bind);
    let member = app.member_of(&admin, "o-lisi", eid).await;
    assert_error(
        app.post(
            "/api/v1/me/wecom-binding",
            Some(&member.access),
            &json!({"code": "000000x"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let res = app
        .post("/api/v1/me/wecom-binding", Some(&member.access), &json!({"code": code}))
        .await;
    assert_eq!(res.status(), 200);
    // The code works once.
    assert_error(
        app.post("/api/v1/me/wecom-binding", Some(&member.access), &json!({"code": code}))
            .await,
        422,
        "validation_failed",
    )
    .await;

    let reply = say(&app, "m-3", "lisi", "投诉 窗口排队两个小时").await;
    assert!(!reply.contains("绑定"), "{reply}");
    let mine: Value = app
        .get("/api/v1/demands?limit=10", Some(&member.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["enterprise"]["id"], eid);
    assert_eq!(mine["items"][0]["kind"], "problem");
    let own_number = mine["items"][0]["number"].as_str().unwrap().to_owned();
    let progress = say(&app, "m-4", "lisi", &format!("进度 {own_number}")).await;
    assert!(progress.contains("当前状态：已提交"), "{progress}");
    // Another speaker learns nothing about it.
    let other = say(&app, "m-5", "wangwu", &format!("进度 {own_number}")).await;
    assert!(other.contains("没有找到"), "{other}");
}

#[tokio::test]
async fn replays_stale_timestamps_bad_signatures_and_garbage_are_refused_and_file_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let plain = robot_message("m-x", "lisi", Some("g"), "反馈 测试");
    let (ts, n) = (now(), nonce());
    assert_eq!(post_robot_with(&app, &plain, &ts, &n).await.status(), 200);
    assert_eq!(demands_count(&app, &admin).await, 1);
    // The same nonce again, even with another message: refused.
    let other = robot_message("m-y", "lisi", Some("g"), "反馈 另一条");
    assert_error(post_robot_with(&app, &other, &ts, &n).await, 409, "bot_nonce_replayed").await;
    // Ten minutes old.
    let old = (chrono::Utc::now().timestamp() - 600).to_string();
    assert_error(
        post_robot_with(&app, &other, &old, &nonce()).await,
        401,
        "bot_timestamp_stale",
    )
    .await;
    // Signed with another token.
    let forged = Crypto::new("another", KEY, "").unwrap();
    let encrypt = forged.encrypt(other.as_bytes());
    let (ts2, n2) = (now(), nonce());
    let sig = forged.signature(&ts2, &n2, &encrypt);
    let res = app
        .client
        .post(app.url(&format!("/api/v1/bot/wecom/aibot?{}", query(&sig, &ts2, &n2))))
        .body(json!({ "encrypt": encrypt }).to_string())
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "bot_signature_invalid").await;
    assert_eq!(demands_count(&app, &admin).await, 1);

    // Garbage: 4xx, never 5xx.
    let c = robot();
    let bodies: Vec<(String, &str)> = vec![
        ("not json".into(), "aibot"),
        ("{}".into(), "aibot"),
        (json!({"encrypt": "!!!"}).to_string(), "aibot"),
        (json!({"encrypt": c.encrypt(b"not json")}).to_string(), "aibot"),
        (json!({"encrypt": c.encrypt(br#"{"msgid":"1"}"#)}).to_string(), "aibot"),
        ("<xml><Encrypt>".into(), "callback"),
        ("\u{0}\u{1}".into(), "callback"),
    ];
    for (body, path) in bodies {
        let (ts, n) = (now(), nonce());
        let encrypt = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v["encrypt"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let sig = c.signature(&ts, &n, &encrypt);
        let res = app
            .client
            .post(app.url(&format!("/api/v1/bot/wecom/{path}?{}", query(&sig, &ts, &n))))
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{body}: {}", res.status());
    }
    let res = app
        .client
        .post(app.url("/api/v1/bot/wecom/aibot"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error());
    assert_eq!(demands_count(&app, &admin).await, 1);
}

#[tokio::test]
async fn the_self_built_app_speaks_xml() {
    let app = spawn_app().await;
    let c = app_crypto();
    let msg = format!(
        "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[zhaoliu]]></FromUserName><CreateTime>{}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>7001</MsgId><AgentID>1000002</AgentID></xml>",
        now()
    );
    let encrypt = c.encrypt(msg.as_bytes());
    let (ts, n) = (now(), nonce());
    let sig = c.signature(&ts, &n, &encrypt);
    let body = format!(
        "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
    );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/bot/wecom/callback?{}", query(&sig, &ts, &n))))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let xml = res.text().await.unwrap();
    let reply_encrypt = envelope::xml_ciphertext(&xml).unwrap();
    let sig_at = xml.find("<MsgSignature><![CDATA[").unwrap() + 23;
    let plain = c
        .open(&xml[sig_at..sig_at + 40], &ts, &n, &reply_encrypt)
        .unwrap()
        .message;
    let reply = envelope::AppMessage::parse(std::str::from_utf8(&plain).unwrap()).unwrap();
    assert_eq!(reply.to_user, "zhaoliu");
    assert!(reply.content.unwrap().contains("亲清企业服务助手"));

    // Tencent's sample message is signed correctly but from 2014: refused as stale.
    let v: Value = serde_json::from_str(include_str!("../../../bot/tests/vectors.json")).unwrap();
    let m = &v["setA"]["message"];
    let res = app
        .client
        .post(app.url(&format!(
            "/api/v1/bot/wecom/callback?{}",
            query(
                m["msgSignature"].as_str().unwrap(),
                m["timestamp"].as_str().unwrap(),
                m["nonce"].as_str().unwrap()
            )
        )))
        .body(m["body"].as_str().unwrap().to_owned())
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "bot_timestamp_stale").await;
}

async fn group(app: &TestApp, admin: &Session, name: &str, key: &str, enterprise: &str) -> Value {
    let res = app
        .post(
            "/api/v1/bot/groups",
            Some(&admin.access),
            &json!({"name": name, "webhookKey": key, "tags": ["湖里片区"], "enterpriseIds": [enterprise]}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn webhook_calls(app: &TestApp, key: &str) -> Vec<Value> {
    app.wechat
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == "/cgi-bin/webhook/send" && r.url.query().is_some_and(|q| q.contains(key)))
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn a_policy_reaches_each_matched_group_once_through_a_shared_webhook_despite_45009() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};
    let app = tests::spawn_app_with(|s| s.wecom.webhook_window_secs = 1).await;
    let admin = app.admin().await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/webhook/send"))
        .and(query_param("key", "shared-key"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 45009, "errmsg": "api freq out of limit"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.wechat)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/webhook/send"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})))
        .with_priority(2)
        .mount(&app.wechat)
        .await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        let e = app.create_enterprise(&admin, n, None).await;
        let g = group(
            &app,
            &admin,
            &format!("软件企业群{n}"),
            "shared-key",
            e["id"].as_str().unwrap(),
        )
        .await;
        assert_eq!(g["webhookKeyHint"], "…-key");
        assert!(!g.to_string().contains("shared-key"), "the key is never returned");
        ids.push(g["id"].as_str().unwrap().to_owned());
    }
    // A manufacturer's group: the policy is not for it.
    let factory = app
        .create_enterprise_with(&admin, 9, json!({"industryCode": "C3491"}))
        .await;
    group(
        &app,
        &admin,
        "制造企业群",
        "factory-key",
        factory["id"].as_str().unwrap(),
    )
    .await;

    let published = publish_policy(&app, &admin, "软件企业研发补助", "区内软件企业", &["I65"]).await;
    assert_eq!(published["groups"], 3);
    let id = published["policy"]["id"].as_str().unwrap();

    let first = api::jobs::webhooks::run_once(&app.state, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!((first.sent, first.retried), (2, 1), "{first:?}");
    // The one refused with 45009 waits a window, then goes (the slots free by the job's clock).
    let later = chrono::Utc::now() + chrono::Duration::seconds(2);
    let second = api::jobs::webhooks::run_once(&app.state, later).await.unwrap();
    assert_eq!(second.sent, 1, "{second:?}");
    // Nothing more, ever: each group got it once.
    let third = api::jobs::webhooks::run_once(&app.state, later + chrono::Duration::minutes(10))
        .await
        .unwrap();
    assert_eq!(third, api::service::outbox::Report::default());
    let calls = webhook_calls(&app, "shared-key").await;
    assert_eq!(calls.len(), 4, "three deliveries and the one refused");
    assert!(calls.iter().all(|c| c["msgtype"] == "markdown"));
    assert!(
        calls[0]["markdown"]["content"]
            .as_str()
            .unwrap()
            .contains("软件企业研发补助")
    );
    assert!(webhook_calls(&app, "factory-key").await.is_empty());
    // Publishing again is refused; the outbox holds one row per group.
    assert_eq!(
        app.post(
            &format!("/api/v1/policies/{id}/publish"),
            Some(&admin.access),
            &json!({})
        )
        .await
        .status(),
        409
    );
}

#[tokio::test]
async fn a_webhook_never_takes_more_than_its_limit_and_a_bad_key_flags_the_group() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};
    let app = spawn_app().await;
    let admin = app.admin().await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/webhook/send"))
        .and(query_param("key", "dead-key"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 93000, "errmsg": "invalid webhook url"})),
        )
        .with_priority(1)
        .mount(&app.wechat)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/webhook/send"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})))
        .with_priority(2)
        .mount(&app.wechat)
        .await;
    let e = app.create_enterprise(&admin, 1, None).await;
    let busy = group(&app, &admin, "活跃群", "busy-key", e["id"].as_str().unwrap()).await;
    let busy_id: i64 = busy["id"].as_str().unwrap().parse().unwrap();
    // 25 messages for one robot: 20 leave in this minute, 5 wait (none dropped).
    for n in 0..25 {
        api::service::groups::enqueue(
            &app.db,
            busy_id,
            "event",
            &format!("event:{n}"),
            &format!("活动通知 {n}"),
        )
        .await
        .unwrap();
    }
    // A long report is split on UTF-8 boundaries under 4,096 bytes.
    let long = "企业之声周报：本周共收到诉求。\n".repeat(400);
    let pieces = api::service::groups::enqueue(&app.db, busy_id, "report", "report:1", &long)
        .await
        .unwrap();
    assert!(pieces >= 3, "{pieces}");
    let now = chrono::Utc::now();
    let report = api::jobs::webhooks::run_once(&app.state, now).await.unwrap();
    assert_eq!(report.sent, 20, "{report:?}");
    assert_eq!(report.waiting, 5 + pieces, "{report:?}");
    let again = api::jobs::webhooks::run_once(&app.state, now + chrono::Duration::seconds(10))
        .await
        .unwrap();
    assert_eq!(again.sent, 0, "the window is full: {again:?}");
    assert_eq!(webhook_calls(&app, "busy-key").await.len(), 20);

    let dead = group(&app, &admin, "失效群", "dead-key", e["id"].as_str().unwrap()).await;
    let dead_id: i64 = dead["id"].as_str().unwrap().parse().unwrap();
    api::service::groups::enqueue(&app.db, dead_id, "event", "event:dead", "通知")
        .await
        .unwrap();
    let r = api::jobs::webhooks::run_once(&app.state, now + chrono::Duration::seconds(20))
        .await
        .unwrap();
    assert_eq!(r.failed, 1, "{r:?}");
    let all: Value = app
        .get("/api/v1/bot/groups", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    let flagged = all.as_array().unwrap().iter().find(|g| g["id"] == dead["id"]).unwrap();
    assert_eq!(flagged["status"], "bad_key");
    // A new key clears the flag; only admins manage groups.
    let url = format!("/api/v1/bot/groups/{dead_id}");
    let fixed: Value = app
        .patch(
            &url,
            Some(&admin.access),
            &json!({"webhookKey": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=new-key-1"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fixed["status"], "active");
    assert_eq!(fixed["webhookKeyHint"], "…ey-1");
    let member = app.member_of(&admin, "o-m", e["id"].as_str().unwrap()).await;
    app.get_error("/api/v1/bot/groups", Some(&member.access), 403, "forbidden")
        .await;
    assert_error(
        app.patch(&url, Some(&admin.access), &json!({"webhookKey": "bad key!"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn in_a_registered_group_answers_fit_its_enterprises_and_feedback_is_theirs() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let factory = app
        .create_enterprise_with(&admin, 3, json!({"industryCode": "C3491"}))
        .await;
    let fid = factory["id"].as_str().unwrap();
    let res = app
        .post(
            "/api/v1/bot/groups",
            Some(&admin.access),
            &json!({"name": "制造企业群", "webhookKey": "k1", "chatId": "group-1", "enterpriseIds": [fid]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    // The software policy is newer and ranks as well by text; the group's manufacturer comes first.
    for (title, industry) in [("制造业研发补贴", "C"), ("软件业研发补贴", "I")] {
        publish_policy(&app, &admin, title, "区内企业", &[industry]).await;
    }
    let reply = say(&app, "m-g1", "zhou", "研发补贴怎么申请").await;
    let factory_at = reply.find("制造业研发补贴").unwrap();
    let software_at = reply.find("软件业研发补贴").unwrap();
    assert!(factory_at < software_at, "{reply}");
    // An unbound speaker in this one-enterprise group files for that enterprise.
    say(&app, "m-g2", "zhou", "反馈 厂区门口道路破损").await;
    let all: Value = app
        .get("/api/v1/demands?limit=10", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"][0]["enterprise"]["id"], fid);
    assert_eq!(all["items"][0]["channel"], "bot");
}

#[tokio::test]
async fn the_daily_digest_brings_a_new_group_the_policies_it_missed_once() {
    use wiremock::matchers::path;
    use wiremock::{Mock, ResponseTemplate};
    let app = spawn_app().await;
    let admin = app.admin().await;
    Mock::given(path("/cgi-bin/webhook/send"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0})))
        .mount(&app.wechat)
        .await;
    let early = app.create_enterprise(&admin, 1, None).await;
    group(&app, &admin, "老群", "old-key", early["id"].as_str().unwrap()).await;
    let published = publish_policy(&app, &admin, "软件企业上云补贴", "区内软件企业", &["I65"]).await;
    assert_eq!(published["groups"], 1);
    // A group registered afterwards hears of it in the day's digest, once; the old group not again.
    let late = app.create_enterprise(&admin, 2, None).await;
    group(&app, &admin, "新群", "new-key", late["id"].as_str().unwrap()).await;
    let today = api::types::today();
    assert_eq!(api::service::groups::digest(&app.db, today).await.unwrap(), (1, 1));
    assert_eq!(api::service::groups::digest(&app.db, today).await.unwrap(), (0, 0));
    let sent = api::jobs::webhooks::run_once(&app.state, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(sent.sent, 2, "{sent:?}");
    let new_calls = webhook_calls(&app, "new-key").await;
    assert_eq!(new_calls.len(), 1);
    let text = new_calls[0]["markdown"]["content"].as_str().unwrap();
    assert!(
        text.contains("1条政策与本群企业相符") && text.contains("软件企业上云补贴"),
        "{text}"
    );
    assert_eq!(webhook_calls(&app, "old-key").await.len(), 1);
}

/// The code in the bot's reply to 「绑定」: `TTT-SSSSSS`.
fn bind_code(reply: &str) -> String {
    let code: String = reply.chars().skip_while(|c| !c.is_ascii_digit()).take(10).collect();
    assert!(
        code.len() == 10 && code.as_bytes()[3] == b'-' && code.chars().filter(char::is_ascii_digit).count() == 9,
        "{reply}"
    );
    code
}

#[tokio::test]
async fn a_bind_code_dies_after_five_wrong_guesses_and_a_person_gets_five_wrong_tries() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let e = app.create_enterprise(&admin, 1, None).await;
    let eid = e["id"].as_str().unwrap();
    let guesser = app.member_of(&admin, "o-guesser", eid).await;
    let bind = |who: &tests::Session, code: String| {
        let app = &app;
        let token = who.access.clone();
        async move {
            app.post("/api/v1/me/wecom-binding", Some(&token), &json!({"code": code}))
                .await
        }
    };
    let code = bind_code(&say(&app, "b-1", "wangwu", "绑定").await);
    let (ticket, secret) = code.split_at(4);
    // Five wrong secrets at this code: it is void, even for the right secret.
    for i in 0..5 {
        let wrong = format!("{ticket}{:06}", (secret.parse::<u32>().unwrap() + 1 + i) % 1_000_000);
        let err = assert_error(bind(&guesser, wrong).await, 422, "validation_failed").await;
        assert_eq!(err["fields"][0]["code"], "invalid_code");
        if i == 4 {
            assert!(err["fields"][0]["message"].as_str().unwrap().contains("失效"), "{err}");
        }
    }
    let owner = app.member_of(&admin, "o-wangwu", eid).await;
    assert_error(bind(&owner, code.clone()).await, 422, "validation_failed").await;
    // The person who guessed five times is stopped for a while, even with a good code.
    let fresh = bind_code(&say(&app, "b-2", "wangwu", "绑定").await);
    assert_ne!(fresh, code);
    assert_error(bind(&guesser, fresh.clone()).await, 429, "rate_limited").await;
    // The owner, who made one wrong try, binds with the new code.
    let res = bind(&owner, fresh).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(res.json::<Value>().await.unwrap()["wecomUserId"], "wangwu");
}

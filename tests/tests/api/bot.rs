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
    assert_error(app.get(&bad, None).await, 401, "bot_signature_invalid").await;
}

#[tokio::test]
async fn a_policy_question_gets_the_matching_policies() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for (title, for_whom) in [
        ("人才引进补贴实施办法", "区内企业新引进的高层次人才"),
        ("首贷贴息政策", "首次获得银行贷款的中小微企业"),
    ] {
        let p: Value = app
            .post(
                "/api/v1/policies",
                Some(&admin.access),
                &json!({"title": title, "issuer": "管委会", "explainer": {"forWhom": for_whom, "benefits": "按规定给予补贴", "howToApply": "小程序申报", "contact": "0532-1"}}),
            )
            .await
            .json()
            .await
            .unwrap();
        let id = p["id"].as_str().unwrap();
        let res = app
            .post(
                &format!("/api/v1/policies/{id}/publish"),
                Some(&admin.access),
                &json!({}),
            )
            .await;
        assert_eq!(res.status(), 200);
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
    let code: String = bind.chars().filter(char::is_ascii_digit).take(6).collect();
    assert_eq!(code.len(), 6, "{bind}");
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

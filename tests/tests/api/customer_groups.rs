//! Reaching enterprises in WeCom customer groups: groups synced from WeCom, policies pushed as
//! confirmed mass-sends within the monthly quota, visits from a group card attributed to the
//! group, and the dialogue through 微信客服. WeCom is a local mock.
use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeEncrypt, KeyIvInit};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bot::crypto::Crypto;
use chrono::{DateTime, TimeZone, Utc};
use secrecy::SecretString;
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_error};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

const OWNER: &str = "butler-w1";

fn ok(body: Value) -> ResponseTemplate {
    let mut b = body;
    b["errcode"] = json!(0);
    b["errmsg"] = json!("ok");
    ResponseTemplate::new(200).set_body_json(b)
}

async fn spawn(tweak: impl FnOnce(&mut api::settings::Settings)) -> TestApp {
    let app = tests::spawn_app_with(|s| {
        s.wecom.app_secret = Some(SecretString::from("corp-app-secret"));
        s.wecom.agent_id = Some("1000002".into());
        s.wecom.kf_open_kfid = Some("wk-kf-1".into());
        tweak(s);
    })
    .await;
    Mock::given(path("/cgi-bin/gettoken"))
        .respond_with(ok(json!({"access_token": "corp-token", "expires_in": 7200})))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/media/upload"))
        .respond_with(ok(json!({"type": "image", "media_id": "cover-media"})))
        .mount(&app.wechat)
        .await;
    app
}

/// WeCom knows these groups of `OWNER`: (chat id, name, external members' unionids).
async fn wecom_groups(app: &TestApp, groups: &[(&str, &str, &[&str])]) {
    let list: Vec<Value> = groups
        .iter()
        .map(|(c, _, _)| json!({"chat_id": c, "status": 0}))
        .collect();
    Mock::given(path("/cgi-bin/externalcontact/groupchat/list"))
        .and(body_partial_json(json!({"owner_filter": {"userid_list": [OWNER]}})))
        .respond_with(ok(json!({"group_chat_list": list, "next_cursor": ""})))
        .mount(&app.wechat)
        .await;
    for (chat, name, unionids) in groups {
        let mut members = vec![json!({"userid": OWNER, "type": 1, "join_time": 1_700_000_000, "join_scene": 1})];
        for (i, u) in unionids.iter().enumerate() {
            members.push(json!({"userid": format!("wm-{chat}-{i}"), "type": 2, "unionid": u, "join_time": 1_700_000_100, "join_scene": 3}));
        }
        Mock::given(path("/cgi-bin/externalcontact/groupchat/get"))
            .and(body_partial_json(json!({"chat_id": chat})))
            .respond_with(ok(json!({"group_chat": {
                "chat_id": chat, "name": name, "owner": OWNER, "create_time": 1_700_000_000,
                "member_list": members, "admin_list": []
            }})))
            .mount(&app.wechat)
            .await;
    }
}

/// A butler whose WeCom id is `OWNER` (bound the way the bot binds: a code, then the API).
async fn owner_butler(app: &TestApp, admin: &Session) -> Session {
    let butler = app.butler(admin, "butler-openid").await;
    let code = api::service::wecom::issue_bind_code(&app.state.cache, OWNER)
        .await
        .unwrap();
    let res = app
        .post("/api/v1/me/wecom-binding", Some(&butler.access), &json!({"code": code}))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    butler
}

async fn sync(app: &TestApp, admin: &Session) -> Vec<Value> {
    let res = app
        .post("/api/v1/customer-groups/sync", Some(&admin.access), &json!({}))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    app.get_json("/api/v1/customer-groups", Some(&admin.access)).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// A server with WeCom configured, the owner butler, a software enterprise, and one customer
/// group `chat` of the owner's, synced and linked to the enterprise.
struct OneGroup {
    app: TestApp,
    admin: Session,
    soft: Value,
    group: Value,
}

async fn one_group(tweak: impl FnOnce(&mut api::settings::Settings), chat: &str) -> OneGroup {
    let app = spawn(tweak).await;
    let admin = app.admin().await;
    owner_butler(&app, &admin).await;
    let soft = app.create_enterprise(&admin, 1, None).await;
    wecom_groups(&app, &[(chat, "软件园客户群", &[])]).await;
    let groups = sync(&app, &admin).await;
    let group = link(&app, &admin, &groups[0], &[&soft]).await;
    OneGroup {
        app,
        admin,
        soft,
        group,
    }
}

fn by_chat<'a>(groups: &'a [Value], chat: &str) -> &'a Value {
    groups.iter().find(|g| g["chatId"] == chat).unwrap()
}

async fn link(app: &TestApp, admin: &Session, group: &Value, enterprises: &[&Value]) -> Value {
    let ids: Vec<&Value> = enterprises.iter().map(|e| &e["id"]).collect();
    let res = app
        .put(
            &format!("/api/v1/customer-groups/{}/enterprises", group["id"].as_str().unwrap()),
            Some(&admin.access),
            &json!({"enterpriseIds": ids}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn publish(app: &TestApp, admin: &Session, title: &str, industries: &[&str], apply_by: Option<&str>) -> Value {
    let res = app
        .post(
            "/api/v1/policies",
            Some(&admin.access),
            &json!({"title": title, "issuer": "科技局", "applyBy": apply_by,
                "explainer": {"forWhom": "区内软件企业", "benefits": "按规定给予补贴", "howToApply": "小程序申报", "contact": "0532-1"},
                "conditions": {"industries": industries}}),
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

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    // 10:00 in Shanghai.
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

async fn requests_to(app: &TestApp, p: &str) -> Vec<Value> {
    app.wechat
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == p)
        .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
        .collect()
}

#[tokio::test]
async fn a_published_policy_reaches_each_matched_group_owner_as_one_confirmed_send_a_day() {
    let app = spawn(|_| {}).await;
    let admin = app.admin().await;
    let butler = owner_butler(&app, &admin).await;
    let soft1 = app.create_enterprise(&admin, 1, None).await;
    let soft2 = app.create_enterprise(&admin, 2, None).await;
    let factory = app
        .create_enterprise_with(&admin, 9, json!({"industryCode": "C3491"}))
        .await;
    wecom_groups(
        &app,
        &[
            ("wrA", "软件园一群", &[]),
            ("wrB", "软件园二群", &[]),
            ("wrC", "制造企业群", &[]),
        ],
    )
    .await;
    let groups = sync(&app, &admin).await;
    assert_eq!(groups.len(), 3);
    assert_eq!(by_chat(&groups, "wrA")["memberCount"], 1);
    link(&app, &admin, by_chat(&groups, "wrA"), &[&soft1]).await;
    link(&app, &admin, by_chat(&groups, "wrB"), &[&soft2]).await;
    link(&app, &admin, by_chat(&groups, "wrC"), &[&factory]).await;
    // The butler sees their own groups; another butler sees none.
    assert_eq!(
        app.get_json("/api/v1/customer-groups", Some(&butler.access)).await["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let other = app.butler(&admin, "other-butler").await;
    assert!(
        app.get_json("/api/v1/customer-groups", Some(&other.access)).await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    Mock::given(method("POST"))
        .and(path("/cgi-bin/externalcontact/add_msg_template"))
        .respond_with(ok(json!({"fail_list": [], "msgid": "msg-day1"})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.wechat)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/externalcontact/add_msg_template"))
        .respond_with(ok(json!({"fail_list": [], "msgid": "msg-day2"})))
        .with_priority(2)
        .mount(&app.wechat)
        .await;
    let p1 = publish(&app, &admin, "软件企业研发补助", &["I65"], Some("2026-12-30")).await;
    assert_eq!(p1["customerGroups"], 2, "the software groups, not the factory's");
    let p1_id = p1["policy"]["id"].as_str().unwrap().to_owned();

    let day1 = at(2026, 12, 10);
    let digest = api::jobs::customer_groups::digest(&app.state, day1).await.unwrap();
    assert_eq!(
        (digest.tasks, digest.groups, digest.waiting),
        (1, 2, 0),
        "one task for the owner's two groups"
    );
    let sent = api::jobs::customer_groups::deliver_mass_sends(&app.state, day1)
        .await
        .unwrap();
    assert_eq!(sent.sent, 1, "{sent:?}");
    let calls = requests_to(&app, "/cgi-bin/externalcontact/add_msg_template").await;
    assert_eq!(calls.len(), 1);
    let task = &calls[0];
    assert_eq!(task["chat_type"], "group");
    assert_eq!(task["sender"], OWNER);
    let mut chats: Vec<&str> = task["chat_id_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    chats.sort_unstable();
    assert_eq!(chats, ["wrA", "wrB"]);
    assert!(task["text"]["content"].as_str().unwrap().contains("软件企业研发补助"));
    let card = &task["attachments"][0];
    assert_eq!(card["msgtype"], "miniprogram");
    assert_eq!(card["miniprogram"]["appid"], tests::APP_ID);
    assert_eq!(card["miniprogram"]["pic_media_id"], "cover-media");
    assert_eq!(
        card["miniprogram"]["page"],
        format!("subpackages/policy/detail/index.html?id={p1_id}")
    );

    // A second run the same day, and a policy published that afternoon: nothing more today.
    publish(&app, &admin, "软件人才公寓", &["I65"], None).await;
    let again = api::jobs::customer_groups::digest(&app.state, day1 + chrono::Duration::hours(6))
        .await
        .unwrap();
    assert_eq!((again.tasks, again.waiting), (0, 2), "{again:?}");
    let listed = app.get_json("/api/v1/mass-sends", Some(&admin.access)).await;
    assert_eq!(listed["waiting"].as_array().unwrap().len(), 2);
    assert_eq!(listed["waiting"][0]["reason"], "今天已推送过一次，明天继续");
    let unconfirmed = app
        .get_json("/api/v1/mass-sends?state=unconfirmed", Some(&butler.access))
        .await;
    assert_eq!(unconfirmed["items"].as_array().unwrap().len(), 1);
    assert_eq!(unconfirmed["items"][0]["state"], "awaiting");
    assert!(
        app.get_json("/api/v1/mass-sends", Some(&other.access)).await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The butler confirms only in WeCom: one group sent, one not yet. Reminded once, after 4 h.
    Mock::given(path("/cgi-bin/externalcontact/get_groupmsg_send_result"))
        .and(body_partial_json(json!({"msgid": "msg-day1"})))
        .respond_with(ok(json!({"send_list": [
            {"chat_id": "wrA", "userid": OWNER, "status": 1, "send_time": 1},
            {"chat_id": "wrB", "userid": OWNER, "status": 0}
        ], "next_cursor": ""})))
        .up_to_n_times(3)
        .with_priority(1)
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/externalcontact/remind_groupmsg_send"))
        .respond_with(ok(json!({})))
        .mount(&app.wechat)
        .await;
    let early = api::jobs::customer_groups::track(&app.state, Utc::now() + chrono::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!((early.confirmed, early.reminded), (0, 0));
    let late = api::jobs::customer_groups::track(&app.state, Utc::now() + chrono::Duration::hours(5))
        .await
        .unwrap();
    assert_eq!((late.confirmed, late.reminded), (0, 1));
    let later = api::jobs::customer_groups::track(&app.state, Utc::now() + chrono::Duration::hours(6))
        .await
        .unwrap();
    assert_eq!(later.reminded, 0, "reminded once only");
    assert_eq!(
        requests_to(&app, "/cgi-bin/externalcontact/remind_groupmsg_send")
            .await
            .len(),
        1
    );
    Mock::given(path("/cgi-bin/externalcontact/get_groupmsg_send_result"))
        .respond_with(ok(json!({"send_list": [
            {"chat_id": "wrA", "userid": OWNER, "status": 1},
            {"chat_id": "wrB", "userid": OWNER, "status": 1}
        ], "next_cursor": ""})))
        .with_priority(2)
        .mount(&app.wechat)
        .await;
    let done = api::jobs::customer_groups::track(&app.state, Utc::now() + chrono::Duration::hours(7))
        .await
        .unwrap();
    assert_eq!(done.confirmed, 1);
    assert!(
        app.get_json("/api/v1/mass-sends?state=unconfirmed", Some(&admin.access))
            .await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The next day the afternoon's policy goes, in one task, to the same two groups.
    let day2 = at(2026, 12, 11);
    let next = api::jobs::customer_groups::digest(&app.state, day2).await.unwrap();
    assert_eq!((next.tasks, next.groups, next.waiting), (1, 2, 0), "{next:?}");
    api::jobs::customer_groups::deliver_mass_sends(&app.state, day2)
        .await
        .unwrap();
    let calls = requests_to(&app, "/cgi-bin/externalcontact/add_msg_template").await;
    assert_eq!(calls.len(), 2);
    assert!(calls[1]["text"]["content"].as_str().unwrap().contains("软件人才公寓"));
    assert!(
        !calls[1]["text"]["content"].as_str().unwrap().contains("研发补助"),
        "what was sent is not sent again"
    );
    // Nothing ever went to the factory's group.
    assert!(calls.iter().all(|c| !c["chat_id_list"].to_string().contains("wrC")));
}

#[tokio::test]
async fn a_group_over_its_monthly_quota_waits_and_shows_why() {
    let OneGroup { app, admin, .. } = one_group(|s| s.wecom.group_monthly_quota = Some(1), "wrQ").await;
    Mock::given(path("/cgi-bin/externalcontact/add_msg_template"))
        .respond_with(ok(json!({"fail_list": [], "msgid": "m"})))
        .mount(&app.wechat)
        .await;
    publish(&app, &admin, "第一条政策", &["I65"], None).await;
    let first = api::jobs::customer_groups::digest(&app.state, at(2026, 12, 10))
        .await
        .unwrap();
    assert_eq!(first.tasks, 1);
    publish(&app, &admin, "第二条政策", &["I65"], None).await;
    let held = api::jobs::customer_groups::digest(&app.state, at(2026, 12, 11))
        .await
        .unwrap();
    assert_eq!(
        (held.tasks, held.waiting),
        (0, 1),
        "over the quota: it waits, it is not dropped"
    );
    let group = &app.get_json("/api/v1/customer-groups", Some(&admin.access)).await["items"][0];
    assert_eq!(group["waiting"], 1);
    assert_eq!(group["waitReason"], "本月群发次数已用完（1/1），下月继续");
    let waiting = &app.get_json("/api/v1/mass-sends", Some(&admin.access)).await["waiting"];
    assert_eq!(waiting[0]["policyTitle"], "第二条政策");
    assert_eq!(waiting[0]["reason"], "本月群发次数已用完（1/1），下月继续");
    // A new month: it goes.
    let january = api::jobs::customer_groups::digest(&app.state, at(2027, 1, 2))
        .await
        .unwrap();
    assert_eq!((january.tasks, january.waiting), (1, 0));
    api::jobs::customer_groups::deliver_mass_sends(&app.state, at(2027, 1, 2))
        .await
        .unwrap();
    let calls = requests_to(&app, "/cgi-bin/externalcontact/add_msg_template").await;
    assert_eq!(calls.len(), 2, "December's task and January's");
    assert!(calls[1]["text"]["content"].as_str().unwrap().contains("第二条政策"));
    assert!(
        app.get_json("/api/v1/mass-sends", Some(&admin.access)).await["waiting"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// What `wx.getGroupEnterInfo` gives: the group's opengid sealed with the session key.
fn group_ticket(session_key: &[u8; 16], opengid: &str) -> (String, String) {
    let iv = [3u8; 16];
    let plain = json!({"opengid": opengid, "watermark": {"appid": tests::APP_ID, "timestamp": 1}}).to_string();
    let mut buf = plain.as_bytes().to_vec();
    let len = buf.len();
    buf.resize(len + 16, 0);
    let sealed = cbc::Encryptor::<aes::Aes128>::new(&(*session_key).into(), &iv.into())
        .encrypt_padded::<Pkcs7>(&mut buf, len)
        .unwrap();
    (STANDARD.encode(sealed), STANDARD.encode(iv))
}

#[tokio::test]
async fn a_visit_from_a_group_card_files_a_demand_attributed_to_the_group() {
    let OneGroup { app, admin, soft, .. } = one_group(|_| {}, "wrV").await;
    let policy = publish(&app, &admin, "软件企业研发补助", &["I65"], None).await;
    let policy_id = policy["policy"]["id"].as_str().unwrap().to_owned();

    let key = [5u8; 16];
    Mock::given(path("/sns/jscode2session"))
        .respond_with(ok(
            json!({"openid": "visitor-openid", "session_key": STANDARD.encode(key)}),
        ))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/externalcontact/opengid_to_chatid"))
        .and(body_partial_json(json!({"opengid": "tG-visit"})))
        .respond_with(ok(json!({"chat_id": "wrV"})))
        .mount(&app.wechat)
        .await;
    // A WeChat user from the group, bound to no enterprise, signs in with a real code.
    let res = app
        .post("/api/v1/auth/wechat", None, &json!({"code": "wx-login-code"}))
        .await;
    let visitor = tests::session(res).await;
    assert!(!visitor.access.is_empty());
    let (data, iv) = group_ticket(&key, "tG-visit");
    let res = app
        .post(
            "/api/v1/me/group-entries",
            Some(&visitor.access),
            &json!({"encryptedData": data, "iv": iv}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let entry: Value = res.json().await.unwrap();
    assert_eq!(entry["group"]["name"], "软件园客户群");
    let visit = entry["visitId"].as_str().unwrap().to_owned();

    // A ticket sealed with another key, and one for another mini-program, open nothing.
    let (forged, iv2) = group_ticket(&[6u8; 16], "tG-visit");
    let res = app
        .post(
            "/api/v1/me/group-entries",
            Some(&visitor.access),
            &json!({"encryptedData": forged, "iv": iv2}),
        )
        .await;
    assert_error(res, 422, "group_entry_invalid").await;
    // Someone who signed in without WeChat (no session key) cannot enter either.
    let stranger = app.sign_in("stranger").await;
    let res = app
        .post(
            "/api/v1/me/group-entries",
            Some(&stranger.access),
            &json!({"encryptedData": data, "iv": iv}),
        )
        .await;
    assert_error(res, 422, "group_entry_invalid").await;

    let read = app
        .get(
            &format!("/api/v1/policies/{policy_id}?groupVisit={visit}"),
            Some(&visitor.access),
        )
        .await;
    assert_eq!(read.status(), 200);
    let res = app
        .post(
            "/api/v1/demands",
            Some(&visitor.access),
            &json!({"kind": "demand", "environment": "service", "title": "园区停车难", "content": "园区停车位不够，希望增加",
                "groupVisitId": visit}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let d: Value = res.json().await.unwrap();
    assert_eq!(d["enterprise"]["id"], soft["id"], "the group's one enterprise");
    assert_eq!(d["origin"]["type"], "customer_group");
    // Another person cannot use the visit.
    let res = app
        .post(
            "/api/v1/demands",
            Some(&stranger.access),
            &json!({"kind": "demand", "environment": "service", "title": "借用", "content": "借用别人的群访问", "groupVisitId": visit}),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    // Without a group visit, someone bound to no enterprise still cannot file.
    let res = app
        .post(
            "/api/v1/demands",
            Some(&visitor.access),
            &json!({"kind": "demand", "environment": "service", "title": "无群", "content": "没有群访问"}),
        )
        .await;
    assert_error(res, 403, "no_enterprise").await;

    let group = &app.get_json("/api/v1/customer-groups", Some(&admin.access)).await["items"][0];
    assert_eq!(group["figures"], json!({"visits": 1, "reads": 1, "demands": 1}));
    // The sidebar shows the group's open demand.
    let sidebar = app
        .get_json("/api/v1/customer-groups/by-chat/wrV", Some(&admin.access))
        .await;
    assert_eq!(sidebar["demands"][0]["title"], "园区停车难");
}

fn kf_callback(token: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><CreateTime>{}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[{token}]]></Token><OpenKfId><![CDATA[wk-kf-1]]></OpenKfId></xml>",
        Utc::now().timestamp()
    )
}

async fn post_app_event(app: &TestApp, plain: &str) -> reqwest::Response {
    let c = Crypto::new(
        "QDG6eK",
        "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        "wx5823bf96d3bd56c7",
    )
    .unwrap();
    let encrypt = c.encrypt(plain.as_bytes());
    let ts = Utc::now().timestamp().to_string();
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let sig = c.signature(&ts, &nonce, &encrypt);
    app.client
        .post(app.url(&format!(
            "/api/v1/bot/wecom/callback?msg_signature={sig}&timestamp={ts}&nonce={nonce}"
        )))
        .body(format!(
            "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        ))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_kf_feedback_files_one_demand_though_delivered_twice_and_the_reply_goes_in_the_window() {
    let OneGroup {
        app,
        admin,
        soft,
        group,
    } = one_group(|_| {}, "wrK").await;
    let group_id = group["id"].as_str().unwrap();
    let now = Utc::now().timestamp();
    // WeCom gives the same page on every pull (the callback came twice, and the cursor moved
    // on only after the first): the user entered by the group's link, then wrote; someone
    // else's message is two days old.
    Mock::given(path("/cgi-bin/kf/sync_msg"))
        .and(body_partial_json(json!({"token": "kf-token-1", "open_kfid": "wk-kf-1"})))
        .respond_with(ok(json!({"next_cursor": "c1", "has_more": 0, "msg_list": [
            {"msgid": "ev-1", "open_kfid": "wk-kf-1", "send_time": now, "origin": 4, "msgtype": "event",
             "event": {"event_type": "enter_session", "open_kfid": "wk-kf-1", "external_userid": "wm-ext-1", "scene": "s", "scene_param": format!("g{group_id}")}},
            {"msgid": "m-1", "open_kfid": "wk-kf-1", "external_userid": "wm-ext-1", "send_time": now, "origin": 3,
             "msgtype": "text", "text": {"content": "反馈 园区停车位不够"}},
            {"msgid": "m-old", "open_kfid": "wk-kf-1", "external_userid": "wm-ext-old", "send_time": now - 49 * 3600, "origin": 3,
             "msgtype": "text", "text": {"content": "帮助"}}
        ]})))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/kf/send_msg"))
        .respond_with(ok(json!({"msgid": "sent"})))
        .mount(&app.wechat)
        .await;
    for _ in 0..2 {
        let res = post_app_event(&app, &kf_callback("kf-token-1")).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let list = app.get_json("/api/v1/demands?channel=bot", Some(&admin.access)).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "one demand for one message: {list}");
    assert_eq!(items[0]["title"], "园区停车位不够");
    assert_eq!(
        items[0]["enterprise"]["id"], soft["id"],
        "filed for the group the user came from"
    );
    let report = api::jobs::customer_groups::deliver_kf(&app.state, Utc::now())
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (1, 1), "{report:?}");
    let sent = requests_to(&app, "/cgi-bin/kf/send_msg").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["touser"], "wm-ext-1");
    assert_eq!(sent[0]["open_kfid"], "wk-kf-1");
    let number = items[0]["number"].as_str().unwrap();
    assert!(
        sent[0]["text"]["content"].as_str().unwrap().contains(number),
        "{}",
        sent[0]
    );
    // The cursor moved on: the next pull asks from there.
    let pulls = requests_to(&app, "/cgi-bin/kf/sync_msg").await;
    assert_eq!(pulls[0]["cursor"], "");
    assert_eq!(pulls[1]["cursor"], "c1");

    // 「人工」: the conversation goes to the butler who owns the group the user came from.
    Mock::given(path("/cgi-bin/kf/sync_msg"))
        .and(body_partial_json(json!({"token": "kf-token-2"})))
        .respond_with(ok(json!({"next_cursor": "c2", "has_more": 0, "msg_list": [
            {"msgid": "m-2", "open_kfid": "wk-kf-1", "external_userid": "wm-ext-1", "send_time": now + 5, "origin": 3,
             "msgtype": "text", "text": {"content": "人工"}}
        ]})))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/kf/service_state/trans"))
        .respond_with(ok(json!({"msg_code": "x"})))
        .mount(&app.wechat)
        .await;
    assert_eq!(post_app_event(&app, &kf_callback("kf-token-2")).await.status(), 200);
    let trans = requests_to(&app, "/cgi-bin/kf/service_state/trans").await;
    assert_eq!(
        trans,
        [json!({"open_kfid": "wk-kf-1", "external_userid": "wm-ext-1", "service_state": 3, "servicer_userid": OWNER})]
    );
    api::jobs::customer_groups::deliver_kf(&app.state, Utc::now())
        .await
        .unwrap();
    let sent = requests_to(&app, "/cgi-bin/kf/send_msg").await;
    assert!(
        sent[1]["text"]["content"]
            .as_str()
            .unwrap()
            .contains("已为您转接企业服务管家")
    );
}

#[tokio::test]
async fn the_simulator_speaks_through_kf_in_development_and_nothing_leaves_for_wecom() {
    // Development mode: no app secret, nothing is sent to WeCom, what would be is logged.
    let app = tests::spawn_app().await;
    let admin = app.admin().await;
    let soft = app.create_enterprise(&admin, 1, None).await;
    let chat = api::clients::wecom::GroupChat {
        chat_id: "wr-dev".into(),
        name: "开发群".into(),
        owner: OWNER.into(),
        member_list: Vec::new(),
    };
    let group = api::service::customer_groups::upsert(&app.db, &chat).await.unwrap();
    api::service::customer_groups::link(&app.db, group.id, &[soft["id"].as_str().unwrap().parse().unwrap()])
        .await
        .unwrap();
    let res = app
        .post(
            "/api/v1/dev/kf-messages",
            None,
            &json!({"externalUserid": "wm-sim", "content": "反馈 园区路灯坏了", "scene": format!("g{}", group.id)}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let reply: Value = res.json().await.unwrap();
    assert!(reply["reply"].as_str().unwrap().contains("诉求编号"), "{reply}");
    let hand_off: Value = app
        .post(
            "/api/v1/dev/kf-messages",
            None,
            &json!({"externalUserid": "wm-sim", "content": "人工"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        hand_off["reply"], "已为您转接企业服务管家，请稍候，管家会在这里回复您。",
        "the group's owner takes it"
    );
    let list = app.get_json("/api/v1/demands?channel=bot", Some(&admin.access)).await;
    assert_eq!(list["items"][0]["enterprise"]["id"], soft["id"]);
    let report = api::jobs::customer_groups::deliver_kf(&app.state, Utc::now())
        .await
        .unwrap();
    assert_eq!((report.sent, report.skipped), (0, 2), "{report:?}");
    assert!(requests_to(&app, "/cgi-bin/kf/send_msg").await.is_empty());
    assert!(requests_to(&app, "/cgi-bin/kf/service_state/trans").await.is_empty());
    // Outside development mode there is no such door.
    let prod_like = tests::spawn_app_with(|s| s.wechat.dev_mode = false).await;
    let res = prod_like
        .post(
            "/api/v1/dev/kf-messages",
            None,
            &json!({"externalUserid": "wm-sim", "content": "帮助"}),
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_sidebar_signs_in_with_wecom_signs_its_page_and_records_a_card_the_butler_sent() {
    let OneGroup { app, admin, group, .. } = one_group(|_| {}, "wrS").await;
    let group_id = group["id"].as_str().unwrap().to_owned();
    let policy = publish(&app, &admin, "软件企业研发补助", &["I65"], Some("2026-12-30")).await;
    let policy_id = policy["policy"]["id"].as_str().unwrap().to_owned();

    // WeCom's web sign-in: the owner's code signs in; an unbound member's is not staff's; a
    // spent code is refused.
    Mock::given(path("/cgi-bin/auth/getuserinfo"))
        .and(wiremock::matchers::query_param("code", "code-owner"))
        .respond_with(ok(json!({"userid": OWNER, "user_ticket": "t", "expires_in": 1800})))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/auth/getuserinfo"))
        .and(wiremock::matchers::query_param("code", "code-stranger"))
        .respond_with(ok(json!({"userid": "someone-else"})))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/auth/getuserinfo"))
        .and(wiremock::matchers::query_param("code", "code-spent"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 40029, "errmsg": "invalid code"})))
        .mount(&app.wechat)
        .await;
    let res = app
        .post("/api/v1/auth/wecom", None, &json!({"code": "code-stranger"}))
        .await;
    assert_error(res, 403, "not_staff").await;
    let res = app
        .post("/api/v1/auth/wecom", None, &json!({"code": "code-spent"}))
        .await;
    assert_error(res, 401, "wecom_code_invalid").await;
    let res = app
        .post("/api/v1/auth/wecom", None, &json!({"code": "code-owner"}))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert!(
        res.headers().get("set-cookie").is_some(),
        "the console's refresh cookie"
    );
    let signed_in: Value = res.json().await.unwrap();
    let token = signed_in["accessToken"].as_str().unwrap().to_owned();
    // The authorize redirect goes only back to the console.
    let res = app
        .get(
            "/api/v1/auth/wecom/authorize?redirect=https%3A%2F%2Fzone.example%2Fconsole%2Fsidebar",
            None,
        )
        .await;
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx5823bf96d3bd56c7"));
    assert!(
        location.contains("agentid=1000002") && location.ends_with("#wechat_redirect"),
        "{location}"
    );
    let res = app
        .get(
            "/api/v1/auth/wecom/authorize?redirect=https%3A%2F%2Fevil.example%2Fsteal",
            None,
        )
        .await;
    assert_error(res, 422, "validation_failed").await;

    // The page's signature: WeCom's agent ticket, the page without its fragment.
    Mock::given(path("/cgi-bin/ticket/get"))
        .and(wiremock::matchers::query_param("type", "agent_config"))
        .respond_with(ok(json!({"ticket": "agent-ticket-1", "expires_in": 7200})))
        .mount(&app.wechat)
        .await;
    let page = "https://zone.example/console/sidebar?x=1";
    let sig = app
        .get_json(
            &format!(
                "/api/v1/wecom/js-signature?kind=agent&url={}",
                tests::urlencode(&format!("{page}#top"))
            ),
            Some(&token),
        )
        .await;
    assert_eq!(sig["corpId"], "wx5823bf96d3bd56c7");
    assert_eq!(sig["agentId"], "1000002");
    let expected = api::domain::customer_group::js_signature(
        "agent-ticket-1",
        sig["nonceStr"].as_str().unwrap(),
        sig["timestamp"].as_i64().unwrap(),
        page,
    );
    assert_eq!(sig["signature"], expected);

    // The group of the chat: its matched policy and (none yet) demands; another butler's 404.
    let side = app.get_json("/api/v1/customer-groups/by-chat/wrS", Some(&token)).await;
    assert_eq!(side["appId"], tests::APP_ID);
    assert_eq!(side["group"]["name"], "软件园客户群");
    assert_eq!(side["policies"][0]["id"], policy_id.as_str());
    assert_eq!(
        side["policies"][0]["page"],
        format!("subpackages/policy/detail/index.html?id={policy_id}")
    );
    let other = app.butler(&admin, "other-butler").await;
    let res = app
        .get("/api/v1/customer-groups/by-chat/wrS", Some(&other.access))
        .await;
    assert_eq!(res.status(), 404);
    let res = app
        .post(
            &format!("/api/v1/customer-groups/{group_id}/sidebar-sends"),
            Some(&other.access),
            &json!({"policyId": policy_id}),
        )
        .await;
    assert_eq!(res.status(), 404);
    // The butler sent the card: recorded once; it leaves the sidebar and the digest.
    let send = |t: String| {
        let app = &app;
        let path = format!("/api/v1/customer-groups/{group_id}/sidebar-sends");
        let policy_id = policy_id.clone();
        async move { app.post(&path, Some(&t), &json!({"policyId": policy_id})).await }
    };
    assert_eq!(send(token.clone()).await.status(), 200);
    assert_error(send(token.clone()).await, 409, "already_sent").await;
    let side = app.get_json("/api/v1/customer-groups/by-chat/wrS", Some(&token)).await;
    assert!(side["policies"].as_array().unwrap().is_empty());
    let digest = api::jobs::customer_groups::digest(&app.state, Utc::now())
        .await
        .unwrap();
    assert_eq!(digest.tasks, 0, "sent from the sidebar: not mass-sent again");
}

#[tokio::test]
async fn wecom_tells_of_a_changed_or_dismissed_group_and_it_is_kept_in_step() {
    let app = spawn(|_| {}).await;
    let admin = app.admin().await;
    owner_butler(&app, &admin).await;
    wecom_groups(&app, &[("wrE", "软件园客户群", &["union-1"])]).await;
    let groups = sync(&app, &admin).await;
    assert_eq!(groups[0]["memberCount"], 2);
    assert_eq!(groups[0]["externalCount"], 1);
    // A member of an enterprise whose unionid is in the group: the enterprise is suggested.
    let soft = app.create_enterprise(&admin, 1, None).await;
    Mock::given(path("/sns/jscode2session"))
        .respond_with(ok(
            json!({"openid": "member-openid", "unionid": "union-1", "session_key": STANDARD.encode([1u8; 16])}),
        ))
        .mount(&app.wechat)
        .await;
    let member = tests::session(app.post("/api/v1/auth/wechat", None, &json!({"code": "c1"})).await).await;
    app.grant(
        &admin,
        &member.id(),
        json!({"role": "enterprise", "enterpriseId": soft["id"]}),
    )
    .await;
    let listed = app.get_json("/api/v1/customer-groups", Some(&admin.access)).await;
    assert_eq!(listed["items"][0]["suggested"][0]["id"], soft["id"]);

    // Renamed, a member added: WeCom calls back; the group is read again.
    Mock::given(path("/cgi-bin/externalcontact/groupchat/get"))
        .and(body_partial_json(json!({"chat_id": "wrE"})))
        .respond_with(ok(json!({"group_chat": {"chat_id": "wrE", "name": "软件园客户群（二期）", "owner": OWNER,
            "member_list": [{"userid": OWNER, "type": 1}, {"userid": "wm-1", "type": 2}, {"userid": "wm-2", "type": 2}]}})))
        .with_priority(1)
        .mount(&app.wechat)
        .await;
    let event = |change: &str| {
        format!(
            "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>{}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrE]]></ChatId><ChangeType><![CDATA[{change}]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail></xml>",
            Utc::now().timestamp()
        )
    };
    assert_eq!(post_app_event(&app, &event("update")).await.status(), 200);
    let g = &app.get_json("/api/v1/customer-groups", Some(&admin.access)).await["items"][0];
    assert_eq!(g["name"], "软件园客户群（二期）");
    assert_eq!(g["externalCount"], 2);
    assert_eq!(post_app_event(&app, &event("dismiss")).await.status(), 200);
    let g = &app.get_json("/api/v1/customer-groups", Some(&admin.access)).await["items"][0];
    assert_eq!(g["status"], "dismissed");
}

#[tokio::test]
async fn kf_replies_stop_at_five_in_a_window_and_the_rest_fail_with_the_reason() {
    let app = spawn(|_| {}).await;
    let now = Utc::now().timestamp();
    let messages: Vec<Value> = (0..6)
        .map(|i| {
            json!({"msgid": format!("q-{i}"), "open_kfid": "wk-kf-1", "external_userid": "wm-chatty", "send_time": now,
                "origin": 3, "msgtype": "text", "text": {"content": "帮助"}})
        })
        .collect();
    Mock::given(path("/cgi-bin/kf/sync_msg"))
        .respond_with(ok(json!({"next_cursor": "c1", "has_more": 0, "msg_list": messages})))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/kf/send_msg"))
        .respond_with(ok(json!({"msgid": "sent"})))
        .mount(&app.wechat)
        .await;
    assert_eq!(post_app_event(&app, &kf_callback("kf-token-1")).await.status(), 200);
    let report = api::jobs::customer_groups::deliver_kf(&app.state, Utc::now())
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (5, 1), "{report:?}");
    let sent = requests_to(&app, "/cgi-bin/kf/send_msg").await;
    assert_eq!(sent.len(), 5);
    let ids: std::collections::HashSet<&str> = sent.iter().map(|m| m["msgid"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 5, "each message its own id, so WeCom drops a repeat");
}

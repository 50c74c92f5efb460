//! Text messages (短信) through the outbox: a hotline caller known only by number and a person
//! without a subscribe credit hear of acceptance and reply by SMS, signed as Tencent Cloud asks;
//! one with a credit hears by WeChat only; a number's daily cap holds; a message whose worker
//! died mid-send, or that went without an answer, is never sent twice; numbers stay out of the
//! error column.
use chrono::{Duration, Utc};
use entity::codes::OutboxStatus;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use tests::world::{file_hotline_demand, ok, world};
use tests::{TestApp, spawn_app_with};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, Request, ResponseTemplate};

const SECRET_ID: &str = "AKIDqinqingtest";
const SECRET_KEY: &str = "qinqing-test-secret-key";

async fn app_with_sms(tweak: impl FnOnce(&mut api::settings::Settings) + Send + 'static) -> TestApp {
    spawn_app_with(move |s| {
        s.sms.secret_id = Some(SECRET_ID.into());
        s.sms.secret_key = Some(SECRET_KEY.into());
        s.sms.sdk_app_id = Some("1400000001".into());
        s.sms.sign_name = Some("亲清服务".into());
        s.sms.templates.demand_accepted = Some("2001".into());
        s.sms.templates.demand_replied = Some("2002".into());
        s.sms.timeout_ms = 1000;
        tweak(s);
    })
    .await
}

fn sent_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"Response": {"SendStatusSet": [
        {"SerialNo": "5000:1", "PhoneNumber": "+86", "Fee": 1, "Code": "Ok", "Message": "send success", "IsoCode": "CN"}
    ], "RequestId": "r-1"}}))
}

async fn mount_ok(app: &TestApp) {
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("X-TC-Action", "SendSms"))
        .respond_with(sent_ok())
        .mount(&app.wechat)
        .await;
}

/// The SMS requests the mock received, with their bodies.
async fn texts(app: &TestApp) -> Vec<(Request, Value)> {
    app.wechat
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.headers.get("X-TC-Action").is_some())
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            (r, body)
        })
        .collect()
}

async fn deliver(app: &TestApp) -> api::service::outbox::Report {
    api::jobs::sms::run_once(&app.state, Utc::now()).await.unwrap()
}

#[tokio::test]
async fn a_hotline_caller_hears_of_acceptance_and_reply_by_a_signed_text_once_each() {
    let app = app_with_sms(|_| {}).await;
    mount_ok(&app).await;
    let w = world(&app).await;
    let d = file_hotline_demand(&app, &w.butler, &w.enterprise).await;
    let id = d["id"].as_str().unwrap().to_owned();
    let number = d["number"].as_str().unwrap().to_owned();
    ok(&app, &w.butler, &id, "accept", json!({})).await;
    let report = deliver(&app).await;
    assert_eq!(report.sent, 1, "{report:?}");

    let sent = texts(&app).await;
    assert_eq!(sent.len(), 1);
    let (request, body) = &sent[0];
    assert_eq!(body["PhoneNumberSet"], json!(["+8613912345678"]));
    assert_eq!(body["TemplateId"], "2001");
    assert_eq!(body["SmsSdkAppId"], "1400000001");
    assert_eq!(body["SignName"], "亲清服务");
    assert_eq!(body["TemplateParamSet"], json!([number, "用电报装"]));
    let h = |name: &str| request.headers.get(name).unwrap().to_str().unwrap().to_owned();
    assert_eq!(h("X-TC-Version"), "2021-01-11");
    assert_eq!(h("X-TC-Region"), "ap-guangzhou");
    // The signature covers this very body at this very time.
    let timestamp: i64 = h("X-TC-Timestamp").parse().unwrap();
    let expected = api::clients::sms::tc3_authorization(
        SECRET_ID,
        SECRET_KEY,
        "sms",
        &h("Host"),
        timestamp,
        std::str::from_utf8(&request.body).unwrap(),
    );
    assert_eq!(h("Authorization"), expected);

    // Nothing goes twice; the reply is the second text.
    assert_eq!(deliver(&app).await.sent, 0);
    ok(&app, &w.butler, &id, "assign", json!({"unitId": w.unit_a})).await;
    ok(&app, &w.handler_a, &id, "sign", json!({})).await;
    ok(
        &app,
        &w.handler_a,
        &id,
        "reply",
        json!({"content": "已协调供电公司，下周一上门报装。"}),
    )
    .await;
    assert_eq!(deliver(&app).await.sent, 1);
    let sent = texts(&app).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].1["TemplateId"], "2002");
}

#[tokio::test]
async fn a_person_without_a_subscribe_credit_gets_a_text_and_one_with_a_credit_gets_wechat_only() {
    let template = api::settings::SubscribeTemplate {
        template_id: "tmpl-accepted".into(),
        title_key: "thing1".into(),
        status_key: "phrase2".into(),
        time_key: "time3".into(),
        note_key: "thing4".into(),
    };
    let app = app_with_sms(move |s| s.wechat.templates.demand_accepted = Some(template)).await;
    mount_ok(&app).await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})))
        .mount(&app.wechat)
        .await;
    let w = world(&app).await;
    for (who, phone) in [(&w.member, "13900000001"), (&w.other_member, "13900000002")] {
        let res = app
            .post(
                "/api/v1/me/phone",
                Some(&who.access),
                &json!({"code": format!("dev:{phone}")}),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    // The other enterprise's member subscribed to 受理; the member did not.
    let res = app
        .post(
            "/api/v1/me/subscriptions",
            Some(&w.other_member.access),
            &json!({"accepted": ["tmpl-accepted"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let mine = tests::world::file_demand(&app, &w.member, false).await;
    let theirs = tests::world::file_demand(&app, &w.other_member, false).await;
    for d in [&mine, &theirs] {
        let id = d["id"].as_str().unwrap();
        ok(&app, &w.admin, id, "accept", json!({})).await;
    }
    assert_eq!(deliver(&app).await.sent, 1);
    let sent = texts(&app).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].1["PhoneNumberSet"], json!(["+8613900000001"]));
    let wechat = api::jobs::deliver::run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!(wechat.sent, 1, "the subscriber hears by WeChat: {wechat:?}");
}

/// Queues a text to `phone` straight into the outbox.
async fn queue(app: &TestApp, key: &str, phone: &str) {
    let m = api::service::outbox::sms::message("demand_accepted", key, phone, None, "2001", &["SQ1".into()]);
    assert!(api::service::outbox::enqueue(&app.db, m).await.unwrap());
}

async fn row(app: &TestApp, key: &str) -> entity::outbox::Model {
    entity::outbox::Entity::find()
        .filter(entity::outbox::Column::DedupKey.eq(format!("sms:{key}")))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_number_s_daily_cap_holds_and_the_rest_waits_for_the_next_day() {
    let app = app_with_sms(|s| s.sms.daily_cap = 3).await;
    mount_ok(&app).await;
    for i in 0..5 {
        queue(&app, &format!("cap-{i}"), "13911110000").await;
    }
    queue(&app, "cap-other", "13911119999").await;
    let report = deliver(&app).await;
    assert_eq!((report.sent, report.waiting), (4, 2), "{report:?}");
    let waiting = row(&app, "cap-4").await;
    assert_eq!(waiting.status, OutboxStatus::Pending);
    assert!(waiting.next_attempt_at > Utc::now(), "it waits for tomorrow");
    assert_eq!(texts(&app).await.len(), 4);
    // Tomorrow they go.
    let tomorrow = api::jobs::sms::run_once(&app.state, Utc::now() + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(tomorrow.sent, 2);
}

#[tokio::test]
async fn a_text_is_never_sent_twice_after_a_worker_died_mid_send_or_no_answer_came() {
    let app = app_with_sms(|_| {}).await;
    // One number's provider answer comes too late; another's fails once, passing.
    Mock::given(method("POST"))
        .and(path("/"))
        .and(wiremock::matchers::body_string_contains("13922220000"))
        .respond_with(sent_ok().set_delay(std::time::Duration::from_secs(3)))
        .mount(&app.wechat)
        .await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(wiremock::matchers::body_string_contains("13933330000"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Response": {"Error": {"Code": "InternalError.Timeout", "Message": "timeout sending to +8613933330000"}, "RequestId": "r"}})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.wechat)
        .await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(wiremock::matchers::body_string_contains("13944440000"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"Response": {"SendStatusSet": [
            {"Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "+8613944440000 is not a valid number"}
        ], "RequestId": "r"}})),
        )
        .mount(&app.wechat)
        .await;
    mount_ok(&app).await;

    // A worker claimed this one and died: no answer is known, so it is not sent again.
    queue(&app, "died", "13911112222").await;
    let died = row(&app, "died").await;
    entity::outbox::Entity::update_many()
        .col_expr(
            entity::outbox::Column::Status,
            sea_orm::sea_query::Expr::value(OutboxStatus::Sending),
        )
        .col_expr(
            entity::outbox::Column::ClaimedAt,
            sea_orm::sea_query::Expr::value(Utc::now() - Duration::minutes(10)),
        )
        .filter(entity::outbox::Column::Id.eq(died.id))
        .exec(&app.db)
        .await
        .unwrap();
    queue(&app, "late", "13922220000").await;
    queue(&app, "passing", "13933330000").await;
    queue(&app, "refused", "13944440000").await;

    let first = deliver(&app).await;
    assert_eq!(first.recovered, 1, "{first:?}");
    assert_eq!(first.uncertain, 1, "{first:?}");
    assert_eq!(first.retried, 1, "{first:?}");
    assert_eq!(first.failed, 1, "{first:?}");
    assert_eq!(row(&app, "died").await.status, OutboxStatus::Uncertain);
    let late = row(&app, "late").await;
    assert_eq!(late.status, OutboxStatus::Uncertain);
    // The retry is due after its back-off: a run then sends it, and nothing else goes again.
    let later = api::jobs::sms::run_once(&app.state, Utc::now() + Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(later.sent, 1, "{later:?}");
    assert_eq!(row(&app, "passing").await.status, OutboxStatus::Sent);
    assert_eq!(deliver(&app).await, api::service::outbox::Report::default());

    let all = texts(&app).await;
    let to = |n: &str| {
        all.iter()
            .filter(|(_, b)| b["PhoneNumberSet"][0].as_str().unwrap().contains(n))
            .count()
    };
    assert_eq!(to("13911112222"), 0, "the dead worker's message is not guessed at");
    assert_eq!(to("13922220000"), 1, "sent once, never again");
    assert_eq!(to("13933330000"), 2, "a passing failure, then sent");
    // No number in what the outbox keeps of an error.
    let errors: Vec<String> = entity::outbox::Entity::find()
        .order_by_asc(entity::outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.last_error)
        .collect();
    assert!(errors.iter().any(|e| e.contains("IncorrectPhoneNumber")), "{errors:?}");
    for e in &errors {
        assert!(!e.contains("1394444") && !e.contains("1393333"), "{e}");
    }
}

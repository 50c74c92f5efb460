//! Bot bench: 10,000 robot callbacks through the real server, each a policy question: verify
//! the signature, check timestamp and nonce, decrypt, deduplicate, search, answer, encrypt.
//! Prints the median and p99 of the round trip. SQLite by default; PostgreSQL + Redis when
//! TEST_DATABASE_URL / TEST_REDIS_URL are set. Exits 1 when the p99 is 20 ms or more.
//!
//!   cargo run --release -p tests --example bot_bench
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use bot::crypto::Crypto;
use serde_json::{Value, json};
use tests::spawn_app_with;

const MESSAGES: usize = 10_000;

const QUESTIONS: &[&str] = &[
    "人才补贴怎么申请",
    "高企认定有什么奖励",
    "首贷贴息",
    "跨境电商有哪些政策",
    "研发费用加计扣除",
    "厂房租金补助",
    "专精特新怎么申报",
    "出口信用保险",
];

const TOPICS: &[&str] = &[
    "高层次人才引进补贴",
    "高新技术企业认定奖励",
    "首次贷款贴息",
    "跨境电子商务发展扶持",
    "研发费用加计扣除辅导",
    "厂房租金补助",
    "专精特新企业培育",
    "出口信用保险补助",
];

#[tokio::main]
async fn main() {
    // One client sends everything: the per-address limits would measure themselves.
    let app = spawn_app_with(|s| {
        s.jobs.enabled = false;
        s.rate_limit.enabled = false;
    })
    .await;
    let admin = app.admin().await;
    for i in 0..200 {
        let topic = TOPICS[i % TOPICS.len()];
        let p: Value = app
            .post(
                "/api/v1/policies",
                Some(&admin.access),
                &json!({
                    "title": format!("关于{topic}的若干措施（第{i}号）"),
                    "issuer": "自贸片区管委会",
                    "explainer": {"forWhom": "片区内符合条件的企业", "benefits": format!("{topic}，最高一百万元"), "howToApply": "小程序申报", "contact": "0592-0000000"},
                    "fullText": format!("{topic}。为优化营商环境，制定本措施。符合条件的企业可按规定申请。"),
                }),
            )
            .await
            .json()
            .await
            .unwrap();
        let id = p["id"].as_str().unwrap();
        app.post(
            &format!("/api/v1/policies/{id}/publish"),
            Some(&admin.access),
            &json!({}),
        )
        .await;
    }
    let crypto = Crypto::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "").unwrap();
    let mut times: Vec<Duration> = Vec::with_capacity(MESSAGES);
    for n in 0..MESSAGES {
        let ts = chrono::Utc::now().timestamp().to_string();
        let nonce = format!("bench{n}");
        let msg = json!({
            "msgid": format!("bench-{n}"),
            "chatid": "bench-group",
            "chattype": "group",
            "from": {"userid": format!("u{}", n % 50)},
            "msgtype": "text",
            "text": {"content": format!("@亲清助手 {}", QUESTIONS[n % QUESTIONS.len()])},
        })
        .to_string();
        let started = Instant::now();
        let encrypt = crypto.encrypt(msg.as_bytes());
        let sig = crypto.signature(&ts, &nonce, &encrypt);
        let res = app
            .client
            .post(app.url(&format!(
                "/api/v1/bot/wecom/aibot?msg_signature={sig}&timestamp={ts}&nonce={nonce}"
            )))
            .body(json!({ "encrypt": encrypt }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let reply: Value = res.json().await.unwrap();
        let opened = crypto
            .open(
                reply["msgsignature"].as_str().unwrap(),
                &reply["timestamp"].to_string(),
                &nonce,
                reply["encrypt"].as_str().unwrap(),
            )
            .unwrap();
        times.push(started.elapsed());
        if n == 0 {
            let inner: Value = serde_json::from_slice(&opened.message).unwrap();
            println!("first answer:\n{}\n", inner["stream"]["content"].as_str().unwrap());
        }
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    println!(
        "{MESSAGES} robot callbacks (client encrypt + HTTP + verify/decrypt/dedup/search/answer/encrypt + client decrypt): p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        at(0.5),
        at(0.99),
        at(1.0)
    );
    let mut targets = tests::bench::Targets::new();
    targets.check(format!("callback p99 < 20 ms ({:.2} ms)", at(0.99)), at(0.99) < 20.0);
    targets.finish();
}

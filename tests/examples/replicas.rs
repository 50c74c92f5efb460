//! Two (then three) `api` processes on one PostgreSQL database and one Redis, as production runs
//! them. `.ci/run` runs this and fails on any finding:
//!
//!   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 \
//!     cargo run -p tests --example replicas
//!
//! It shows: a token issued by one replica works on the other; a policy published through one
//! is found by a search on the other; a demand filed, and one accepted, through one shows so at
//! once in the answers the other keeps (`answers`); a WeCom callback replayed to the other replica is refused
//! (nonces shared); rate limits are counted across replicas; a scheduled job (firing every
//! second on both) runs on one replica per lease; a replica killed with SIGKILL loses its lease
//! when it expires and another takes over; a replica stopped with SIGTERM gives its lease back
//! at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::print_stderr)]

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tests::procs::{self, Proc, ScratchDb};

/// The deliver job's lease (jobs::start).
const LEASE: Duration = Duration::from_secs(10);

/// When this replica ran the deliver job, from its JSON log.
fn job_runs(r: &Proc) -> Vec<DateTime<Utc>> {
    let text = std::fs::read_to_string(&r.log).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["job"] == "deliver" && v["message"] == "job ran")
        .filter_map(|v| v["timestamp"].as_str()?.parse().ok())
        .collect()
}

fn waited(r: &Proc) -> usize {
    let text = std::fs::read_to_string(&r.log).unwrap_or_default();
    text.lines()
        .filter(|l| l.contains("another replica holds the lease"))
        .count()
}

fn check(ok: bool, what: &str, failures: &mut Vec<String>) {
    println!("{} {what}", if ok { "ok  " } else { "FAIL" });
    if !ok {
        failures.push(what.to_owned());
    }
}

/// A signed, encrypted robot callback with a given nonce (WeCom's sample keys, as development
/// servers use).
fn robot_callback(r: &Proc, nonce: &str) -> (String, String) {
    // The default development keys (settings::WECOM_SAMPLE_AES_KEY and its token).
    let crypto = bot::crypto::Crypto::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "").unwrap();
    let ts = Utc::now().timestamp().to_string();
    let msg = json!({"msgid": format!("replica-{nonce}"), "aibotid": "b", "chattype": "single",
                     "from": {"userid": "replica-user"}, "msgtype": "text", "text": {"content": "帮助"}});
    let encrypt = crypto.encrypt(msg.to_string().as_bytes());
    let sig = crypto.signature(&ts, nonce, &encrypt);
    (
        r.url(&format!(
            "/api/v1/bot/wecom/aibot?msg_signature={sig}&timestamp={ts}&nonce={nonce}"
        )),
        json!({ "encrypt": encrypt }).to_string(),
    )
}

async fn get_json(http: &reqwest::Client, url: &str, token: &str) -> Value {
    http.get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::main]
async fn main() {
    let base = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL (PostgreSQL)");
    let redis = std::env::var("TEST_REDIS_URL").expect("TEST_REDIS_URL");
    let id = uuid::Uuid::new_v4().simple().to_string();
    let db = ScratchDb::create(&base, "qinqing_test_replicas").await;
    let url = db.url.clone();
    let bin = procs::binary("debug");
    let dir = tempfile::tempdir().unwrap();
    let env: Vec<(String, String)> = [
        ("QINQING_DATABASE__URL", url.as_str()),
        ("QINQING_REDIS__URL", redis.as_str()),
        ("QINQING_REDIS__KEY_PREFIX", &format!("replicas:{id}:")),
        ("QINQING_DEMO_DATA", "true"),
        ("QINQING_LOG__FORMAT", "json"),
        ("QINQING_LOG__FILTER", "info,api::jobs=debug,sqlx=warn,sea_orm=warn"),
        ("QINQING_JOBS__DELIVERY_CRON", "* * * * * *"),
        ("QINQING_RATE_LIMIT__WRITES", "5"),
        ("QINQING_RATE_LIMIT__IP_FACTOR", "100"),
        ("QINQING_SERVER__WORKERS", "2"),
        (
            "QINQING_UPLOADS__DIR",
            &dir.path().join("uploads").display().to_string(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let mut failures = Vec::new();
    // One at a time: the first loads the demo data and runs the migrations.
    let mut a = procs::start(&bin, "a", &env, dir.path()).await;
    let mut b = procs::start(&bin, "b", &env, dir.path()).await;
    let http = reqwest::Client::new();

    // A token issued by one works on the other.
    let admin = procs::sign_in(&http, &a.url(""), "demo-admin").await.0;
    let me = http.get(b.url("/api/v1/me")).bearer_auth(&admin).send().await.unwrap();
    check(
        me.status() == 200,
        "a token issued by replica a works on replica b",
        &mut failures,
    );

    // Signing out on a ends the access token on b too, within a copy's life.
    let signed_in = procs::post_ok(
        &http,
        a.url("/api/v1/auth/wechat"),
        None,
        json!({"code": "dev:replica-sign-out"}),
    )
    .await;
    let access = signed_in["accessToken"].as_str().unwrap().to_owned();
    procs::post_ok(
        &http,
        a.url("/api/v1/auth/logout"),
        None,
        json!({"refreshToken": signed_in["refreshToken"]}),
    )
    .await;
    let started = Instant::now();
    let mut refused = false;
    while started.elapsed() < api::copies::TTL * 3 {
        let status = http
            .get(b.url("/api/v1/me"))
            .bearer_auth(&access)
            .send()
            .await
            .unwrap()
            .status();
        if status == 401 {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check(
        refused,
        &format!(
            "an access token signed out on a is refused on b ({} ms after)",
            started.elapsed().as_millis()
        ),
        &mut failures,
    );

    // A policy published through a is found by a search on b.
    let (pid, _) =
        procs::publish_policy_for_all(&http, &a.url(""), &admin, "跨副本同步测试补贴政策", "经济发展局").await;
    let found: Value = http
        .get(b.url("/api/v1/policies/search?q=跨副本同步"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hit = found.as_array().is_some_and(|i| i.iter().any(|p| p["id"] == pid));
    check(
        hit,
        &format!("a policy published through a ({pid}) is found by a search on b"),
        &mut failures,
    );

    // A WeCom callback accepted by a is a replay on b: the very same request.
    let nonce = format!("n{}", &id[..10]);
    let (url_a, body) = robot_callback(&a, &nonce);
    let first = http.post(&url_a).body(body.clone()).send().await.unwrap().status();
    let replay = url_a.replace(&format!(":{}/", a.port), &format!(":{}/", b.port));
    let second = http.post(replay).body(body).send().await.unwrap().status();
    check(
        first.is_success() && second.is_client_error(),
        &format!("a WeCom callback accepted by a ({first}) is refused as a replay by b ({second})"),
        &mut failures,
    );

    // Rate limits are counted across replicas: 5 writes per person, alternating.
    let member = procs::sign_in(&http, &a.url(""), "demo-enterprise").await.0;
    let mut statuses = Vec::new();
    for n in 0..6 {
        let r = if n % 2 == 0 { &a } else { &b };
        let res = http
            .post(r.url("/api/v1/demands"))
            .bearer_auth(&member)
            .json(&json!({"kind": "demand", "environment": "service", "title": "副本限流测试", "content": "两个副本共同计数。"}))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    check(
        statuses == [201, 201, 201, 201, 201, 429],
        &format!("the sixth write, on either replica, is limited: {statuses:?}"),
        &mut failures,
    );

    // A read b answers from its copy shows a write made on a at once: a publishes every write
    // to the replicas (one count in Redis) before its answer leaves.
    let colleague = procs::sign_in(&http, &a.url(""), "demo-enterprise-2").await.0;
    let list_on_b = b.url("/api/v1/demands?limit=50");
    let before = tests::page_ids(&get_json(&http, &list_on_b, &colleague).await);
    let filed = procs::post_ok(
        &http,
        a.url("/api/v1/demands"),
        Some(&colleague),
        json!({"kind": "demand", "environment": "service", "title": "副本一致性测试", "content": "在一个副本提交，另一个副本立即可见。"}),
    )
    .await;
    let new_id = filed["id"].as_str().unwrap().to_owned();
    let after = tests::page_ids(&get_json(&http, &list_on_b, &colleague).await);
    check(
        !before.contains(&new_id) && after.contains(&new_id),
        &format!("a demand filed on a ({new_id}) is in the list b answered from its copy just before"),
        &mut failures,
    );
    let detail_on_b = b.url(&format!("/api/v1/demands/{new_id}"));
    let seen_before = get_json(&http, &detail_on_b, &admin).await["status"].clone();
    procs::post_ok(
        &http,
        a.url(&format!("/api/v1/demands/{new_id}/accept")),
        Some(&admin),
        json!({}),
    )
    .await;
    let seen_after = get_json(&http, &detail_on_b, &admin).await["status"].clone();
    check(
        seen_before == "submitted" && seen_after == "accepted",
        &format!("a demand accepted on a shows accepted on b at once ({seen_before} → {seen_after})"),
        &mut failures,
    );

    // The deliver job fires every second on both: one run per lease, never two at once.
    tokio::time::sleep(LEASE + Duration::from_secs(3)).await;
    let mut runs: Vec<(DateTime<Utc>, String)> = job_runs(&a).into_iter().map(|t| (t, a.name.clone())).collect();
    runs.extend(job_runs(&b).into_iter().map(|t| (t, b.name.clone())));
    runs.sort();
    let gaps_ok = runs
        .windows(2)
        .all(|w| (w[1].0 - w[0].0).num_milliseconds() >= LEASE.as_millis() as i64 - 500);
    check(
        runs.len() >= 2 && gaps_ok && waited(&a) + waited(&b) > 5,
        &format!(
            "the job ran {} times over {}s on two replicas firing every second, at least {}s apart ({} firings found the lease taken)",
            runs.len(),
            LEASE.as_secs() + 3,
            LEASE.as_secs(),
            waited(&a) + waited(&b)
        ),
        &mut failures,
    );

    // SIGKILL the last holder: the other takes over once the lease expires.
    let (last, holder) = runs.last().cloned().unwrap();
    let (dead, alive) = if holder == a.name { (&mut a, &b) } else { (&mut b, &a) };
    dead.child.kill().unwrap();
    let killed_at = Utc::now();
    let deadline = last + chrono::Duration::from_std(LEASE + Duration::from_secs(4)).unwrap();
    let mut taken = None;
    while Utc::now() < deadline && taken.is_none() {
        tokio::time::sleep(Duration::from_millis(250)).await;
        taken = job_runs(alive).into_iter().find(|t| *t > killed_at);
    }
    check(
        taken.is_some(),
        &format!(
            "after {} was killed holding the lease, {} took over {:.1}s later",
            dead.name,
            alive.name,
            taken.map_or(f64::NAN, |t| (t - killed_at).num_milliseconds() as f64 / 1000.0)
        ),
        &mut failures,
    );
    let (survivor_name, survivor_port) = (alive.name.clone(), alive.port);

    // A third replica beside the survivor; whichever of the two runs the job next is stopped
    // with SIGTERM right after: it gives the lease back, so the other runs the job at the next
    // firing instead of after the lease's TTL.
    let mut c = procs::start(&bin, "c", &env, dir.path()).await;
    let joined = Utc::now();
    let survivor = if survivor_name == a.name { &mut a } else { &mut b };
    let mut holder = None;
    let until = Instant::now() + LEASE + Duration::from_secs(5);
    while Instant::now() < until && holder.is_none() {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if let Some(t) = job_runs(&c).into_iter().find(|t| *t > joined) {
            holder = Some(("c".to_owned(), t));
        } else if let Some(t) = job_runs(survivor).into_iter().find(|t| *t > joined) {
            holder = Some((survivor.name.clone(), t));
        }
    }
    match holder {
        None => check(false, "nobody ran the job after replica c joined", &mut failures),
        Some((name, _)) => {
            let (stopping, other) = if name == "c" {
                (&mut c, &*survivor)
            } else {
                (&mut *survivor, &c)
            };
            let stopped_at = Utc::now();
            Command::new("kill")
                .arg("-TERM")
                .arg(stopping.child.id().to_string())
                .status()
                .unwrap();
            stopping.child.wait().unwrap();
            let mut next = None;
            let until = Instant::now() + LEASE + Duration::from_secs(3);
            while Instant::now() < until && next.is_none() {
                tokio::time::sleep(Duration::from_millis(100)).await;
                next = job_runs(other).into_iter().find(|t| *t > stopped_at);
            }
            let after = next.map(|t| (t - stopped_at).num_milliseconds() as f64 / 1000.0);
            check(
                after.is_some_and(|s| s < 4.0),
                &format!(
                    "{name} stopped with SIGTERM gave its lease back: {} ran the job {:.1}s later (the lease is {}s)",
                    other.name,
                    after.unwrap_or(f64::NAN),
                    LEASE.as_secs()
                ),
                &mut failures,
            );
        }
    }
    let _ = survivor_port;

    for r in [&mut a, &mut b, &mut c] {
        let _ = r.child.kill();
        let _ = r.child.wait();
    }
    db.drop_it().await;
    if failures.is_empty() {
        println!("replicas: all checks passed");
    } else {
        eprintln!(
            "replicas: {} check(s) failed; logs in {}",
            failures.len(),
            dir.keep().display()
        );
        std::process::exit(1);
    }
}

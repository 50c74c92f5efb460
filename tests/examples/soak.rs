//! Soak with faults: two `api` replicas on PostgreSQL + Redis under a mixed load (the feed,
//! demand lists and details, submissions with `Idempotency-Key` retried until answered) while
//!
//!   1. Redis is stopped, then started again (the API keeps answering, on in-process limits);
//!   2. PostgreSQL is stopped for a few seconds, then started (requests fail fast with 503,
//!      then succeed again without restarting the API);
//!   3. the replica running the jobs is killed with SIGKILL during a policy push to the WeCom
//!      groups (a mock webhook server), then started again.
//!
//! It prints requests, answers by status, demands submitted / stored / lost / duplicated and
//! deliveries expected / sent / duplicated, and exits 1 on a lost or duplicated demand, a
//! duplicated or missing delivery, or any 5xx other than 503. It stops and starts the machine's
//! Redis and PostgreSQL (as root, with the commands below), so run it on a test machine:
//!
//!   cargo build -p api
//!   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 \
//!     SOAK_SECS=600 cargo run -p tests --example soak
//!
//! `SOAK_SECS` (default 600; CI runs 90), `SOAK_PROFILE` (`debug` or `release`), and the fault
//! commands `SOAK_REDIS_STOP`, `SOAK_REDIS_START`, `SOAK_PG_STOP`, `SOAK_PG_START` (shell).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use tests::procs::{self, Proc, ScratchDb};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENTS: usize = 12;
const GROUPS: usize = 30;

/// A fault window, in seconds since the start of the load.
#[derive(Default, Clone, Copy)]
struct Window {
    from: f64,
    to: f64,
}

impl Window {
    fn holds(&self, t: f64) -> bool {
        self.from <= t && t <= self.to
    }
}

#[derive(Default)]
struct Tally {
    started: Option<Instant>,
    /// Answers by status ("200", "503", "connect", "timeout").
    statuses: BTreeMap<String, u64>,
    /// During each fault: answers by status.
    during: BTreeMap<&'static str, BTreeMap<String, u64>>,
    /// The slowest 503.
    slowest_503_ms: f64,
    /// (idempotency key, demand id) of each submission answered 201.
    confirmed: Vec<(String, i64)>,
    /// Submissions never answered 201 in their retry budget.
    unconfirmed: Vec<String>,
    windows: Vec<(&'static str, Window)>,
}

struct Shared {
    tally: Mutex<Tally>,
    stop: AtomicBool,
    requests: AtomicU64,
    replicas: Mutex<Vec<String>>,
}

impl Shared {
    fn record(&self, status: &str, elapsed: Duration) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut t = self.tally.lock().unwrap();
        let at = t.started.map_or(0.0, |s| s.elapsed().as_secs_f64());
        *t.statuses.entry(status.to_owned()).or_default() += 1;
        let windows = t.windows.clone();
        for (name, w) in windows {
            if w.holds(at) {
                *t.during.entry(name).or_default().entry(status.to_owned()).or_default() += 1;
            }
        }
        if status == "503" {
            t.slowest_503_ms = t.slowest_503_ms.max(elapsed.as_secs_f64() * 1000.0);
        }
    }

    fn base(&self, n: usize) -> String {
        let r = self.replicas.lock().unwrap();
        r[n % r.len()].clone()
    }
}

fn outcome(res: &Result<reqwest::Response, reqwest::Error>) -> String {
    match res {
        Ok(r) => r.status().as_u16().to_string(),
        Err(e) if e.is_timeout() => "timeout".into(),
        Err(e) if e.is_connect() => "connect".into(),
        Err(_) => "transport".into(),
    }
}

async fn get(shared: &Shared, http: &reqwest::Client, n: usize, path: &str, token: &str) -> Option<Value> {
    let t = Instant::now();
    let res = http
        .get(format!("{}{path}", shared.base(n)))
        .bearer_auth(token)
        .send()
        .await;
    shared.record(&outcome(&res), t.elapsed());
    match res {
        Ok(r) if r.status().is_success() => r.json().await.ok(),
        _ => None,
    }
}

/// Submits one demand, retrying with the same key until it is answered 201 (at most 3 min).
async fn submit(shared: &Shared, http: &reqwest::Client, n: usize, client: usize, token: &str) -> Option<i64> {
    let key = uuid::Uuid::new_v4().to_string();
    let body = json!({"kind": "demand", "environment": "service",
                      "title": format!("浸泡{}", &key[..18]), "content": "浸泡测试：企业反映办事窗口排队时间长。"});
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut attempt = n;
    while Instant::now() < deadline {
        let t = Instant::now();
        let res = http
            .post(format!("{}/api/v1/demands", shared.base(attempt)))
            .bearer_auth(token)
            .header("Idempotency-Key", &key)
            .json(&body)
            .send()
            .await;
        shared.record(&outcome(&res), t.elapsed());
        if let Ok(r) = res {
            let status = r.status().as_u16();
            if status == 201 {
                let v: Value = r.json().await.unwrap_or_default();
                let id = v["id"].as_str().and_then(|s| s.parse().ok());
                if let Some(id) = id {
                    shared.tally.lock().unwrap().confirmed.push((key, id));
                }
                return id;
            }
            if (400..500).contains(&status) && status != 409 && status != 429 {
                eprintln!(
                    "client {client}: submission refused with {status}: {}",
                    r.text().await.unwrap_or_default()
                );
                break;
            }
        }
        attempt += 1;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    shared.tally.lock().unwrap().unconfirmed.push(key);
    None
}

async fn client(shared: Arc<Shared>, n: usize, token: String) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap();
    let mut mine: Vec<i64> = Vec::new();
    let mut i = n;
    while !shared.stop.load(Ordering::Relaxed) {
        i += 1;
        match i % 10 {
            0..=3 => {
                get(&shared, &http, i, "/api/v1/policies/matched", &token).await;
            }
            4..=6 => {
                get(&shared, &http, i, "/api/v1/demands?limit=20", &token).await;
            }
            7 if !mine.is_empty() => {
                let id = mine[i % mine.len()];
                get(&shared, &http, i, &format!("/api/v1/demands/{id}"), &token).await;
            }
            _ => {
                if let Some(id) = submit(&shared, &http, i, n, &token).await {
                    mine.push(id);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn shell(what: &str, command: &str) {
    let t = Instant::now();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    println!("  {what}: `{command}` → {status} in {:.1} s", t.elapsed().as_secs_f64());
}

fn command(var: &str, default: String) -> String {
    std::env::var(var).ok().filter(|s| !s.is_empty()).unwrap_or(default)
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

#[tokio::main]
async fn main() {
    let base = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL (PostgreSQL)");
    let redis = std::env::var("TEST_REDIS_URL").expect("TEST_REDIS_URL");
    let secs: f64 = std::env::var("SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600.0);
    let profile = std::env::var("SOAK_PROFILE").unwrap_or_else(|_| "debug".into());
    let pg_version = std::fs::read_dir("/etc/postgresql")
        .ok()
        .and_then(|mut d| d.next())
        .and_then(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .unwrap_or_else(|| "15".into());
    let redis_stop = command(
        "SOAK_REDIS_STOP",
        "redis-cli -h 127.0.0.1 -p 6379 shutdown nosave".into(),
    );
    let redis_start = command(
        "SOAK_REDIS_START",
        "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log".into(),
    );
    let pg_stop = command(
        "SOAK_PG_STOP",
        format!("pg_ctlcluster --skip-systemctl-redirect {pg_version} main stop -m fast"),
    );
    let pg_start = command(
        "SOAK_PG_START",
        format!("pg_ctlcluster --skip-systemctl-redirect {pg_version} main start"),
    );

    // The WeCom group robots: every message is recorded; each answer takes 100 ms.
    let wecom = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/webhook/send"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 0, "errmsg": "ok"}))
                .set_delay(Duration::from_millis(100)),
        )
        .mount(&wecom)
        .await;

    let scratch = ScratchDb::create(&base, "qinqing_test_soak").await;
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("soak:{}:", scratch.name);
    let uploads = dir.path().join("uploads").display().to_string();
    let common = [
        ("QINQING_DATABASE__URL", scratch.url.as_str()),
        ("QINQING_REDIS__URL", redis.as_str()),
        ("QINQING_REDIS__KEY_PREFIX", prefix.as_str()),
        ("QINQING_DEMO_DATA", "false"),
        ("QINQING_BOOTSTRAP_ADMINS", "soak-admin"),
        ("QINQING_LOG__FORMAT", "json"),
        ("QINQING_LOG__FILTER", "warn,api::jobs=info"),
        ("QINQING_AUTH__ACCESS_TTL_SECS", "7200"),
        ("QINQING_RATE_LIMIT__WRITES", "100000"),
        ("QINQING_RATE_LIMIT__SIGN_IN", "100000"),
        ("QINQING_DATABASE__ACQUIRE_TIMEOUT_SECS", "2"),
        ("QINQING_WECOM__WEBHOOK_BASE_URL", &wecom.uri()),
        ("QINQING_JOBS__WEBHOOK_CRON", "* * * * * *"),
        ("QINQING_JOBS__STALE_CLAIM_SECS", "15"),
        ("QINQING_UPLOADS__DIR", uploads.as_str()),
    ];
    let bin = procs::binary(&profile);
    // Replica a runs the jobs; b only serves.
    let env_a = procs::env_of(&common);
    let mut env_b = procs::env_of(&common);
    env_b.push(("QINQING_JOBS__ENABLED".into(), "false".into()));
    let mut a: Proc = procs::start(&bin, "a", &env_a, dir.path()).await;
    let b: Proc = procs::start(&bin, "b", &env_b, dir.path()).await;
    let http = reqwest::Client::new();

    // 30 enterprises, each with a member and a group chat.
    let (admin, _) = procs::sign_in(&http, &a.url(""), "soak-admin").await;
    let mut tokens = Vec::new();
    for n in 0..GROUPS {
        let e = procs::post_ok(
            &http,
            a.url("/api/v1/enterprises"),
            Some(&admin),
            json!({"name": format!("浸泡测试企业{n}有限公司"), "uscc": tests::uscc(500_000 + n as u32),
                   "industryCode": "I6513", "scale": "small", "registeredAt": "2020-05-01"}),
        )
        .await;
        let eid = e["id"].as_str().unwrap().to_owned();
        let (_, uid) = procs::sign_in(&http, &a.url(""), &format!("soak-member-{n}")).await;
        procs::post_ok(
            &http,
            a.url(&format!("/api/v1/users/{uid}/roles")),
            Some(&admin),
            json!({"role": "enterprise", "enterpriseId": eid}),
        )
        .await;
        // Signed in again: the token now carries the new grant's session.
        let (token, _) = procs::sign_in(&http, &a.url(""), &format!("soak-member-{n}")).await;
        tokens.push(token);
        procs::post_ok(
            &http,
            a.url("/api/v1/bot/groups"),
            Some(&admin),
            json!({"name": format!("浸泡企业群{n}"), "webhookKey": format!("soak-key-{n}"), "enterpriseIds": [eid]}),
        )
        .await;
    }
    let db = Database::connect(&scratch.url).await.unwrap();

    let shared = Arc::new(Shared {
        tally: Mutex::new(Tally::default()),
        stop: AtomicBool::new(false),
        requests: AtomicU64::new(0),
        replicas: Mutex::new(vec![a.url(""), b.url("")]),
    });
    let started = Instant::now();
    shared.tally.lock().unwrap().started = Some(started);
    println!("soak: {secs:.0} s, replicas a (jobs) and b, {CLIENTS} clients, {profile} build");
    let mut clients = Vec::new();
    for n in 0..CLIENTS {
        clients.push(tokio::spawn(client(
            shared.clone(),
            n,
            tokens[n % tokens.len()].clone(),
        )));
    }
    let at = |f: f64| started + Duration::from_secs_f64(secs * f);
    let since = || started.elapsed().as_secs_f64();
    let mark = |name: &'static str, from: f64| {
        shared
            .tally
            .lock()
            .unwrap()
            .windows
            .push((name, Window { from, to: f64::MAX }));
    };
    let close = |name: &'static str| {
        let now = started.elapsed().as_secs_f64();
        for (n, w) in &mut shared.tally.lock().unwrap().windows {
            if *n == name {
                w.to = now;
            }
        }
    };

    // 1. Redis away for a while.
    tokio::time::sleep_until(at(0.15).into()).await;
    println!("[{:>5.1} s] fault 1: Redis stopped", since());
    mark("redis down", since());
    shell("stop Redis", &redis_stop);
    tokio::time::sleep_until(at(0.3).into()).await;
    shell("start Redis", &redis_start);
    close("redis down");
    println!("[{:>5.1} s] Redis started", since());

    // 2. PostgreSQL stopped for 5 s, then started; the API is not restarted.
    tokio::time::sleep_until(at(0.4).into()).await;
    println!("[{:>5.1} s] fault 2: PostgreSQL stopped", since());
    mark("postgres down", since());
    shell("stop PostgreSQL", &pg_stop);
    tokio::time::sleep(Duration::from_secs(5)).await;
    shell("start PostgreSQL", &pg_start);
    close("postgres down");
    println!("[{:>5.1} s] PostgreSQL started", since());
    mark("after postgres", since());
    tokio::time::sleep(Duration::from_secs(5)).await;
    close("after postgres");

    // 3. A policy for every enterprise, pushed to the 30 groups by replica a; a is killed with
    //    SIGKILL once a third of the messages went out, and started again 3 s later.
    tokio::time::sleep_until(at(0.55).into()).await;
    let (pid, published) = procs::publish_policy_for_all(
        &http,
        &b.url(""),
        &admin,
        "浸泡测试：全体企业适用的惠企政策",
        "自贸片区管委会",
    )
    .await;
    let expected = usize::try_from(published["groups"].as_u64().unwrap_or(0)).unwrap();
    println!(
        "[{:>5.1} s] fault 3: policy {pid} published through b, queued for {expected} groups",
        since()
    );
    let received = |requests: &[wiremock::Request]| {
        requests
            .iter()
            .filter(|r| String::from_utf8_lossy(&r.body).contains("浸泡测试：全体企业适用"))
            .count()
    };
    let wait_from = Instant::now();
    loop {
        let n = received(&wecom.received_requests().await.unwrap_or_default());
        if n >= expected / 3 || wait_from.elapsed() > Duration::from_secs(60) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    a.kill();
    let at_kill = received(&wecom.received_requests().await.unwrap_or_default());
    println!(
        "[{:>5.1} s] replica a killed with SIGKILL after {at_kill} of {expected} messages",
        since()
    );
    shared.replicas.lock().unwrap().retain(|u| *u != a.url(""));
    tokio::time::sleep(Duration::from_secs(3)).await;
    a = procs::start_on(&bin, "a", a.port, &env_a, dir.path()).await;
    shared.replicas.lock().unwrap().push(a.url(""));
    println!("[{:>5.1} s] replica a started again", since());

    tokio::time::sleep_until(at(1.0).into()).await;
    shared.stop.store(true, Ordering::Relaxed);
    for c in clients {
        let _ = c.await;
    }
    let load_secs = since();

    // Let the outbox finish: every push of the policy sent, failed or uncertain.
    let policy_pushes = format!("SELECT COUNT(*) AS n FROM outbox WHERE dedup_key LIKE 'webhook:policy:{pid}:%'");
    let settled = format!("{policy_pushes} AND status IN ('sent', 'failed', 'uncertain')");
    let until = Instant::now() + Duration::from_secs(120);
    while Instant::now() < until && count(&db, &settled).await < count(&db, &policy_pushes).await {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let requests = wecom.received_requests().await.unwrap_or_default();
    let mut per_group: HashMap<String, usize> = HashMap::new();
    for r in requests
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains("浸泡测试：全体企业适用"))
    {
        *per_group
            .entry(r.url.query().unwrap_or_default().to_owned())
            .or_default() += 1;
    }
    let sent = per_group.len();
    let duplicated: usize = per_group.values().map(|n| n - 1).sum();
    let uncertain = count(&db, &format!("{policy_pushes} AND status = 'uncertain'")).await;

    // Demands: every confirmed one stored once; nothing stored twice.
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id, title FROM demands WHERE title LIKE '浸泡%'",
        ))
        .await
        .unwrap();
    let mut by_title: HashMap<String, Vec<i64>> = HashMap::new();
    for r in &rows {
        by_title
            .entry(r.try_get::<String>("", "title").unwrap())
            .or_default()
            .push(r.try_get::<i64>("", "id").unwrap());
    }
    // The clients are done: the tally is ours.
    let t = std::mem::take(&mut *shared.tally.lock().unwrap());
    let stored_ids: HashSet<i64> = by_title.values().flatten().copied().collect();
    let lost = t.confirmed.iter().filter(|(_, id)| !stored_ids.contains(id)).count();
    let dup_demands: usize = by_title.values().map(|v| v.len() - 1).sum();
    let confirmed_titles: HashSet<String> = t.confirmed.iter().map(|(k, _)| format!("浸泡{}", &k[..18])).collect();
    let stored_unconfirmed = by_title.keys().filter(|k| !confirmed_titles.contains(*k)).count();

    println!("\n== soak summary ({load_secs:.0} s of load)");
    println!("requests: {}", shared.requests.load(Ordering::Relaxed));
    println!("answers by status: {:?}", t.statuses);
    for (name, w) in &t.windows {
        println!(
            "  {name} ({:.1}–{:.1} s): {:?}",
            w.from,
            w.to,
            t.during.get(name).cloned().unwrap_or_default()
        );
    }
    println!("slowest 503: {:.0} ms", t.slowest_503_ms);
    println!(
        "demands: submitted (answered 201) {}, stored {}, lost {lost}, duplicated {dup_demands}, stored but never answered {stored_unconfirmed}, given up {}",
        t.confirmed.len(),
        rows.len(),
        t.unconfirmed.len()
    );
    println!(
        "deliveries: expected {expected}, sent {sent}, duplicated {duplicated}, marked uncertain {uncertain} (replica a killed after {at_kill})"
    );
    let server_errors: u64 = t
        .statuses
        .iter()
        .filter(|(s, _)| s.starts_with('5') && s.as_str() != "503")
        .map(|(_, n)| n)
        .sum();
    let mut failures = Vec::new();
    if lost > 0 {
        failures.push(format!("{lost} confirmed demands lost"));
    }
    if dup_demands > 0 {
        failures.push(format!("{dup_demands} demands stored twice"));
    }
    if duplicated > 0 {
        failures.push(format!("{duplicated} deliveries sent twice"));
    }
    if sent != expected || expected == 0 {
        failures.push(format!("{sent} of {expected} deliveries sent"));
    }
    if server_errors > 0 {
        failures.push(format!("{server_errors} answers 5xx other than 503"));
    }
    if !t.unconfirmed.is_empty() {
        failures.push(format!("{} submissions never answered 201", t.unconfirmed.len()));
    }
    a.terminate();
    let mut b = b;
    b.terminate();
    drop(db);
    if failures.is_empty() {
        scratch.drop_it().await;
        println!("soak: ok");
    } else {
        println!(
            "soak: FAILED: {}; logs in {}",
            failures.join("; "),
            dir.keep().display()
        );
        std::process::exit(1);
    }
}

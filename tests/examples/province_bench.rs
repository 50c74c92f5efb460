//! Province bench: a province's data (`tests::province`: 1,000,000 demands over three years,
//! 300,000 enterprises with a member each, 40 units) written straight into a fresh PostgreSQL
//! database, 1,000 published policies, then the release server as its own process on it and
//! Redis. It times, one request at a time over HTTP and each as the first after a write (the
//! server's kept answers dropped before it), what grows with history in a naive design:
//! the year's figures, every dashboard panel and the league table, the weekly report, the list
//! pages and queue counts, one policy's matched set, and the feed; then the feed under `wrk` at 64
//! connections; and the server's peak resident memory. Prints one table and exits 1 when a target
//! is missed.
//!
//!   cargo build --release -p api -p tests --examples
//!   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 \
//!     target/release/examples/province_bench
//!
//! `PROVINCE_DEMANDS`, `PROVINCE_ENTERPRISES` and `PROVINCE_DAYS` change the size (the growth
//! table of docs/benchmarks.md runs it at 100,000 demands over a year too); `BENCH_RUNS` (200) the
//! samples per figure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::print_stderr)]

use std::process::Command;
use std::time::Instant;

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use tests::bench::{Targets, quantile_ms};
use tests::fixtures::policy_input;
use tests::procs::{self, ScratchDb};
use tests::province::{self, Size};

const POLICIES: usize = 1_000;

/// p50, p99 and max of `runs` requests, one at a time.
struct Timing {
    p50: f64,
    p99: f64,
    max: f64,
}

/// Each request as the first after a write (`fresh`, the server's Redis): the server's kept
/// answers (`api::answers`) are dropped before it, so it reads the database.
async fn time(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    runs: usize,
    method: &str,
    body: Option<&Value>,
    fresh: Option<&api::cache::Cache>,
) -> Timing {
    let mut samples = Vec::with_capacity(runs);
    // One request first, unmeasured: the first of a kind plans its statements and fills copies.
    for n in 0..=runs {
        if let Some(cache) = fresh {
            api::answers::publish(cache).await;
        }
        let t = Instant::now();
        let req = match method {
            "POST" => http.post(url).json(body.unwrap_or(&Value::Null)),
            _ => http.get(url),
        };
        let res = req.bearer_auth(token).send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{url}: {status} {text}");
        if n > 0 {
            samples.push(t.elapsed());
        }
    }
    samples.sort();
    Timing {
        p50: quantile_ms(&samples, 0.5),
        p99: quantile_ms(&samples, 0.99),
        max: samples.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    }
}

/// `wrk` over the feed as the members in turn: (requests/s, p99 ms).
fn feed_under_load(dir: &std::path::Path, url: &str, tokens: &[String]) -> Option<(f64, f64)> {
    let mut script = String::from("local tokens = {}\n");
    for t in tokens {
        script.push_str(&format!("tokens[#tokens + 1] = \"{t}\"\n"));
    }
    script.push_str(
        r#"local i = 0
function init(args) i = math.random(#tokens) end
function request()
  i = i % #tokens + 1
  return wrk.format("GET", "/api/v1/policies/matched", {["Authorization"] = "Bearer " .. tokens[i]})
end
"#,
    );
    let path = dir.join("feed.lua");
    std::fs::write(&path, script).unwrap();
    let run = |secs: u32| {
        Command::new("wrk")
            .args(["-t2", "-c64", &format!("-d{secs}s"), "--latency", "-s"])
            .arg(&path)
            .arg(url)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    run(3)?;
    let out = run(10)?;
    let mut rps = None;
    let mut p99 = None;
    for line in out.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", n] => rps = n.parse().ok(),
            ["99%", t] => {
                let (n, unit) = t.split_at(t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len()));
                let n: f64 = n.parse().ok()?;
                p99 = Some(match unit {
                    "us" => n / 1000.0,
                    "s" => n * 1000.0,
                    _ => n,
                });
            }
            _ => {}
        }
    }
    Some((rps?, p99?))
}

#[tokio::main]
async fn main() {
    let base = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL (PostgreSQL)");
    let redis = std::env::var("TEST_REDIS_URL").expect("TEST_REDIS_URL");
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let size = Size::from_env();
    let dir = tempfile::tempdir().unwrap();
    let scratch = ScratchDb::create(&base, "qinqing_province").await;
    let db = Database::connect(&scratch.url).await.unwrap();
    {
        use migration::MigratorTrait;
        migration::Migrator::up(&db, None).await.unwrap();
        api::service::tallies::install(&db).await.unwrap();
    }
    let written = province::generate(&db, size).await;

    let env = procs::bench_env(&scratch, &redis, dir.path());
    // The server's Redis, to drop its kept answers before each timed read: what is timed here is
    // the database's cost as history grows, not a copy.
    let answers = api::cache::Cache::redis(&redis, &procs::bench_key_prefix(&scratch))
        .await
        .unwrap();
    let started = Instant::now();
    let mut api = procs::start(&procs::binary("release"), "api", &env, dir.path()).await;
    println!("server ready in {:.1} s", started.elapsed().as_secs_f64());
    let http = reqwest::Client::new();
    let url = |p: &str| api.url(p);
    let (admin, admin_id) = procs::sign_in(&http, &url(""), "bench-admin").await;
    let started = Instant::now();
    let today = api::types::today();
    let mut policy_ids = Vec::new();
    for n in 0..POLICIES {
        let published = today - chrono::Duration::days((n % 300) as i64);
        let p = api::service::policies::insert(&db, policy_input(n), admin_id, Some(published))
            .await
            .unwrap();
        policy_ids.push(p.id);
    }
    db.execute_unprepared("ANALYZE policies").await.unwrap();
    println!("{POLICIES} policies in {:.1} s", started.elapsed().as_secs_f64());
    let (handler, handler_id) = procs::sign_in(&http, &url(""), "bench-handler").await;
    procs::post_ok(
        &http,
        url(&format!("/api/v1/users/{handler_id}/roles")),
        Some(&admin),
        json!({"role": "handler", "unitId": written.first_unit.to_string()}),
    )
    .await;
    let mut members = Vec::new();
    for k in 0..64 {
        let n = 1 + k * (size.enterprises as usize / 64);
        members.push(procs::sign_in(&http, &url(""), &format!("prov-member-{n}")).await.0);
    }

    let year_ago = today - chrono::Duration::days(365);
    let week = api::domain::report::Period::last_complete(api::domain::report::ReportKind::Weekly, today);
    let span = format!("from={year_ago}&to={today}");
    let mut rows: Vec<(String, Timing, Option<f64>)> = Vec::new();
    let mut targets = Targets::new();
    // (label, path, token, target p99 ms)
    let reads: Vec<(&str, String, &str, Option<f64>)> = vec![
        (
            "figures, one year",
            format!("/api/v1/stats/demands?{span}"),
            &admin,
            Some(50.0),
        ),
        (
            "figures, one year, by unit",
            format!("/api/v1/stats/demands?{span}&groupBy=unit"),
            &admin,
            Some(50.0),
        ),
        (
            "figures, one year, by channel",
            format!("/api/v1/stats/demands?{span}&groupBy=channel"),
            &admin,
            Some(50.0),
        ),
        (
            "dashboard: demands",
            format!("/api/v1/dashboard/demands?{span}"),
            &admin,
            Some(50.0),
        ),
        (
            "dashboard: league table",
            format!("/api/v1/dashboard/units?{span}"),
            &admin,
            Some(50.0),
        ),
        (
            "dashboard: programs",
            format!("/api/v1/dashboard/programs?{span}"),
            &admin,
            Some(50.0),
        ),
        (
            "dashboard: policy reach",
            format!("/api/v1/dashboard/policies?{span}"),
            &admin,
            Some(50.0),
        ),
        (
            "dashboard: call-backs",
            format!("/api/v1/dashboard/callbacks?{span}"),
            &admin,
            Some(50.0),
        ),
        (
            "dashboard: plans",
            "/api/v1/dashboard/plans".to_owned(),
            &admin,
            Some(50.0),
        ),
        (
            "dashboard: publicity",
            format!("/api/v1/dashboard/publicity?{span}"),
            &admin,
            Some(50.0),
        ),
        (
            "list page 1, admin, status + environment",
            "/api/v1/demands?status=in_progress&environment=service&limit=20".to_owned(),
            &admin,
            Some(10.0),
        ),
        (
            "list page 1, admin, overdue",
            "/api/v1/demands?overdue=true&limit=20".to_owned(),
            &admin,
            Some(10.0),
        ),
        (
            "list page 1, unit handler",
            "/api/v1/demands?limit=20".to_owned(),
            &handler,
            Some(10.0),
        ),
        (
            "list page 1, enterprise member",
            "/api/v1/demands?limit=20".to_owned(),
            &members[0],
            Some(10.0),
        ),
        (
            "queue counts, admin",
            "/api/v1/demands/queue-counts".to_owned(),
            &admin,
            Some(10.0),
        ),
        (
            "queue counts, unit handler",
            "/api/v1/demands/queue-counts".to_owned(),
            &handler,
            Some(10.0),
        ),
        (
            "the feed, one member",
            "/api/v1/policies/matched".to_owned(),
            &members[0],
            Some(20.0),
        ),
    ];
    for (label, path, token, target) in reads {
        let t = time(&http, &url(&path), token, runs, "GET", None, Some(&answers)).await;
        if let Some(ms) = target {
            targets.check(format!("{label}: p99 {:.1} ms < {ms} ms", t.p99), t.p99 < ms);
        }
        rows.push((label.to_owned(), t, target));
    }
    let mut memory = vec![("the reads", procs::memory_mb(api.pid()))];
    // One policy's matched set: count and first page, for the first 20 policies (each kind of
    // condition four times, from a class in one district to none, which admits every enterprise).
    let mut samples = Vec::new();
    for id in policy_ids.iter().take(20) {
        let t = Instant::now();
        let res = http
            .get(url(&format!("/api/v1/policies/{id}/matches")))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
        let _ = res.bytes().await;
        samples.push(t.elapsed());
    }
    samples.sort();
    let matched = Timing {
        p50: quantile_ms(&samples, 0.5),
        p99: quantile_ms(&samples, 0.99),
        max: quantile_ms(&samples, 1.0),
    };
    targets.check(
        format!("one policy's matched set: max {:.1} ms < 100 ms", matched.max),
        matched.max < 100.0,
    );
    rows.push((
        "one policy's matched set (20 policies)".to_owned(),
        matched,
        Some(100.0),
    ));
    memory.push(("the matched sets", procs::memory_mb(api.pid())));
    let report = time(
        &http,
        &url("/api/v1/reports"),
        &admin,
        5,
        "POST",
        Some(&json!({"kind": "weekly", "periodFrom": week.from})),
        None,
    )
    .await;
    targets.check(
        format!("write the weekly report: max {:.0} ms < 2,000 ms", report.max),
        report.max < 2000.0,
    );
    rows.push(("write the weekly report (5 runs)".to_owned(), report, Some(2000.0)));
    memory.push(("the weekly reports", procs::memory_mb(api.pid())));

    println!(
        "\n{} demands, {} enterprises, one request at a time ({runs} runs):\n",
        size.demands, size.enterprises
    );
    println!("| figure | p50 ms | p99 ms | max ms | target |");
    println!("|---|---:|---:|---:|---|");
    for (label, t, target) in &rows {
        println!(
            "| {label} | {:.1} | {:.1} | {:.1} | {} |",
            t.p50,
            t.p99,
            t.max,
            target.map_or(String::new(), |ms| format!("< {ms} ms"))
        );
    }
    match feed_under_load(dir.path(), &url(""), &members) {
        Some((rps, p99)) => {
            println!("\nthe feed under wrk -t2 -c64, 10 s: {rps:.0} requests/s, p99 {p99:.2} ms");
            targets.check(format!("the feed under load: p99 {p99:.2} ms ≤ 20 ms"), p99 <= 20.0);
        }
        None => targets.check("the feed under load (wrk not found: apt-get install wrk)", false),
    }
    memory.push(("the feed under load", procs::memory_mb(api.pid())));
    // Where the peak is reached: the resident memory after each part, and the peak so far.
    for (part, (peak, now)) in &memory {
        println!("after {part}: RSS {now:.0} MB, peak so far {peak:.0} MB");
    }
    let (peak, _) = procs::memory_mb(api.pid());
    println!("api peak RSS (VmHWM) {peak:.0} MB");
    targets.check(format!("peak RSS {peak:.0} MB < 300 MB"), peak < 300.0);
    api.terminate();
    drop(db);
    if std::env::var("BENCH_KEEP").is_err() {
        scratch.drop_it().await;
    } else {
        println!("kept the database {}", scratch.url);
    }
    targets.finish();
}

//! Policy bench: imports 30,000 enterprises from a registry CSV through the real server, adds
//! 1,000 published policies with varied conditions and Chinese text, then times
//!   - one policy's matched set (`matched_ids`, what publishing and `/matches` compute),
//!   - one enterprise's matches (`matches_for`, the "policies for me" feed),
//!   - search over 1,000 queries (the index of each replica),
//!   - a draft's reach as its editor changes the conditions (`POST /policies/reach-preview`),
//!
//! each also through HTTP. SQLite by default; PostgreSQL when TEST_DATABASE_URL is set:
//!
//!   cargo run --release -p tests --example policy_bench
//!   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo run --release -p tests --example policy_bench
//!
//! Targets: matched set p99 < 100 ms, a draft's reach p99 < 100 ms, one enterprise's matches
//! p99 < 10 ms, search p99 < 20 ms, the import under a minute. Exits 1 when one is missed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use api::search::SearchFilter;
use api::service::policies;
use sea_orm::EntityTrait;
use serde_json::Value;
use tests::fixtures::{policy_input, registry_csv};
use tests::spawn_app_with;

const ENTERPRISES: u32 = 30_000;
const POLICIES: usize = 1_000;
const QUERIES: usize = 1_000;

const QUERY_WORDS: &[&str] = &[
    "人才补贴",
    "高企",
    "首贷",
    "跨境电商",
    "研发费用",
    "专精特新",
    "租金",
    "出口信用保险",
    "软件企业",
    "运费补贴",
    "知识产权质押",
    "技术改造",
    "安家补贴",
    "贴息",
    "增值税",
    "人才 租房",
    "申报材料",
    "高新技术企业认定",
    "信用贷款",
    "设备投资",
];

struct Figures(Vec<Duration>);

impl Figures {
    /// Prints the figures; returns the p99 in milliseconds.
    fn print(mut self, label: &str, extra: &str) -> f64 {
        self.0.sort();
        let at = |q: f64| tests::bench::quantile_ms(&self.0, q);
        println!(
            "{label:<46} p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms   (n={}) {extra}",
            at(0.5),
            at(0.99),
            at(1.0),
            self.0.len()
        );
        at(0.99)
    }
}

#[tokio::main]
async fn main() {
    // One client sends everything: the per-address limits would measure themselves.
    let app = spawn_app_with(|s| {
        s.jobs.enabled = false;
        s.rate_limit.enabled = false;
    })
    .await;
    let backend = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("policy bench on {backend}: {ENTERPRISES} enterprises, {POLICIES} policies, {QUERIES} queries");
    let admin = app.admin().await;
    let csv = registry_csv(ENTERPRISES);

    let started = Instant::now();
    let res = app
        .upload(
            "/api/v1/enterprises/import?dryRun=true",
            &admin.access,
            csv.clone(),
            "bench.csv",
        )
        .await;
    assert_eq!(res.status(), 200);
    let dry = started.elapsed();
    let started = Instant::now();
    let res = app
        .upload("/api/v1/enterprises/import", &admin.access, csv, "bench.csv")
        .await;
    let report: Value = res.json().await.unwrap();
    assert_eq!(
        report["created"],
        ENTERPRISES,
        "{}",
        &report.to_string()[..500.min(report.to_string().len())]
    );
    let import = started.elapsed();
    println!(
        "import of {ENTERPRISES} rows over HTTP: dry run {:.2} s, real run {:.2} s (one transaction)",
        dry.as_secs_f64(),
        import.as_secs_f64()
    );
    let mut targets = tests::bench::Targets::new();
    targets.check(
        format!(
            "import of {ENTERPRISES} rows under a minute ({:.1} s)",
            import.as_secs_f64()
        ),
        import.as_secs() < 60,
    );

    let today = api::types::today();
    let started = Instant::now();
    let mut ids = Vec::with_capacity(POLICIES);
    for n in 0..POLICIES {
        let published = today - chrono::Duration::days((n % 300) as i64);
        let p = policies::insert(&app.db, policy_input(n), 1, Some(published))
            .await
            .unwrap();
        ids.push(p.id);
    }
    println!(
        "inserted {POLICIES} published policies in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let indexed = policies::rebuild_index(&app.db, &app.state.policies).await.unwrap();
    println!("indexed {indexed} policies in {:.2} s", started.elapsed().as_secs_f64());

    // One policy's matched set, over 100 policies of every kind of condition.
    let mut set = Vec::new();
    let mut sizes = Vec::new();
    for &id in ids.iter().step_by(7).take(100) {
        let p = policies::get(&app.db, id).await.unwrap();
        let t = Instant::now();
        let matched = policies::matched_ids(&app.db, &p, None, today).await.unwrap();
        set.push(t.elapsed());
        sizes.push(matched.len());
    }
    sizes.sort_unstable();
    let p99 = Figures(set).print(
        "one policy's matched set (service)",
        &format!(
            "sets of {}..{} enterprises, median {}",
            sizes[0],
            sizes[sizes.len() - 1],
            sizes[sizes.len() / 2]
        ),
    );
    let mut http = Vec::new();
    for &id in ids.iter().step_by(47).take(20) {
        let t = Instant::now();
        let res = app
            .get(&format!("/api/v1/policies/{id}/matches"), Some(&admin.access))
            .await;
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        http.push(t.elapsed());
    }
    targets.check(
        format!("one policy's matched set p99 < 100 ms ({p99:.1} ms)"),
        p99 < 100.0,
    );
    Figures(http).print("GET /policies/{id}/matches (count + first 200)", "");

    // A draft's reach as its editor changes the conditions: each kind of condition, over HTTP
    // as the console asks it (count, the first 20 with reasons), nothing saved.
    let mut preview = Vec::new();
    let mut reached = Vec::new();
    for n in 0..100 {
        let body = serde_json::json!({"conditions": policy_input(n).conditions});
        let t = Instant::now();
        let res = app
            .post("/api/v1/policies/reach-preview", Some(&admin.access), &body)
            .await;
        assert_eq!(res.status(), 200);
        let found: Value = res.json().await.unwrap();
        preview.push(t.elapsed());
        reached.push(found["count"].as_u64().unwrap());
    }
    reached.sort_unstable();
    let preview_p99 = Figures(preview).print(
        "POST /policies/reach-preview (count + first 20)",
        &format!("{}..{} enterprises", reached[0], reached[reached.len() - 1]),
    );
    targets.check(
        format!("a draft's reach p99 < 100 ms ({preview_p99:.1} ms)"),
        preview_p99 < 100.0,
    );

    // One enterprise's matches, over 200 enterprises.
    let all = entity::enterprise::Entity::find().all(&app.db).await.unwrap();
    let mut one = Vec::new();
    let mut counts = Vec::new();
    for e in all.iter().step_by(all.len() / 200) {
        let t = Instant::now();
        let found = policies::matches_for(&app.db, &app.state.policy_rules, e, today)
            .await
            .unwrap();
        one.push(t.elapsed());
        counts.push(found.len());
    }
    counts.sort_unstable();
    let one_p99 = Figures(one).print(
        "one enterprise's matches (service)",
        &format!(
            "{}..{} policies, median {}",
            counts[0],
            counts[counts.len() - 1],
            counts[counts.len() / 2]
        ),
    );
    let member = app.member_of(&admin, "bench-member", &all[0].id.to_string()).await;
    let mut feed = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let res = app.get("/api/v1/policies/matched", Some(&member.access)).await;
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        feed.push(t.elapsed());
    }
    targets.check(
        format!("one enterprise's matches p99 < 10 ms ({one_p99:.2} ms)"),
        one_p99 < 10.0,
    );
    Figures(feed).print("GET /policies/matched", "");

    // Search: 1,000 queries against the index, then 200 through HTTP.
    let filter = SearchFilter {
        statuses: vec!["published".to_owned()],
        ..SearchFilter::default()
    };
    let mut search = Vec::new();
    let mut empty = 0;
    for n in 0..QUERIES {
        let q = QUERY_WORDS[n % QUERY_WORDS.len()];
        let t = Instant::now();
        let hits = app.state.policies.search(q, &filter, 10).unwrap();
        search.push(t.elapsed());
        if hits.is_empty() {
            empty += 1;
        }
    }
    let search_p99 = Figures(search).print(
        "search, 10 hits with snippets (index)",
        &format!("{empty} queries found nothing"),
    );
    let mut http = Vec::new();
    for n in 0..200 {
        let q = QUERY_WORDS[n % QUERY_WORDS.len()];
        let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
        let t = Instant::now();
        let res = app
            .get(&format!("/api/v1/policies/search?q={encoded}"), Some(&member.access))
            .await;
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        http.push(t.elapsed());
    }
    targets.check(format!("search p99 < 20 ms ({search_p99:.2} ms)"), search_p99 < 20.0);
    Figures(http).print("GET /policies/search", "");
    targets.finish();
}

//! Load bench: the release `api` as its own process on PostgreSQL + Redis, with 30,000
//! enterprises (imported through the API), 1,000 published policies and 100,000 demands, under
//! `wrk` on this machine. For each endpoint it prints requests per second and p50 / p99 latency
//! at 64 connections, beside the machine's ceiling measured in the same run:
//!
//!   - an actix-web route returning a fixed JSON body (this example, run with `--ceiling`);
//!   - `pgbench` running the SQL that the feed sends for one request, and the SQL that one
//!     submission writes.
//!
//! It ends with the server's peak resident memory (VmHWM). Needs `wrk` and `pgbench` (Debian's
//! `wrk` and `postgresql-client`) and a release build:
//!
//!   cargo build --release -p api
//!   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 \
//!     cargo run --release -p tests --example load_bench
//!
//! `BENCH_SECS` (default 10) is the length of each run; `BENCH_CONNECTIONS` (default 64).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{Value, json};
use tests::fixtures::{self, policy_input, registry_csv};
use tests::procs::{self, Proc, ScratchDb};

const ENTERPRISES: u32 = 30_000;
const POLICIES: usize = 1_000;
const DEMANDS: usize = 100_000;
/// Distinct enterprise members whose tokens the load rotates through.
const MEMBERS: usize = 64;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--ceiling") {
        let port: u16 = args[2].parse().unwrap();
        actix_web::rt::System::new().block_on(ceiling(port)).unwrap();
        return;
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}

/// The ceiling: actix-web with the server's worker count, one route, a fixed JSON body.
async fn ceiling(port: u16) -> std::io::Result<()> {
    use actix_web::{App, HttpResponse, HttpServer, web};
    HttpServer::new(|| {
        App::new().route(
            "/fixed",
            web::get().to(|| async { HttpResponse::Ok().json(json!({"ok": true, "message": "你好，亲清"})) }),
        )
    })
    .workers(std::thread::available_parallelism().map_or(2, usize::from))
    .bind(("127.0.0.1", port))?
    .run()
    .await
}

/// What one wrk run printed.
#[derive(Clone, Copy, Default)]
struct Load {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    requests: u64,
    non_2xx: u64,
    socket_errors: u64,
}

fn millis(text: &str) -> f64 {
    let (number, unit) = text.split_at(text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len()));
    let n: f64 = number.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => f64::NAN,
    }
}

fn parse_wrk(out: &str) -> Load {
    let mut load = Load::default();
    for line in out.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", n] => load.rps = n.parse().unwrap_or(f64::NAN),
            ["50%", t] => load.p50_ms = millis(t),
            ["99%", t] => load.p99_ms = millis(t),
            [n, "requests", "in", ..] => load.requests = n.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", n] => load.non_2xx = n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                load.socket_errors = rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum();
            }
            _ => {}
        }
    }
    load
}

struct Bench {
    secs: u64,
    connections: u64,
    dir: tempfile::TempDir,
}

impl Bench {
    /// `wrk` against `url` with a Lua script; three seconds of warm-up first.
    fn wrk(&self, name: &str, url: &str, script: &str) -> Load {
        let path = self.dir.path().join(format!("{name}.lua"));
        std::fs::write(&path, script).unwrap();
        let run = |secs: u64| {
            let out = Command::new("wrk")
                .args([
                    "-t2",
                    &format!("-c{}", self.connections),
                    &format!("-d{secs}s"),
                    "--latency",
                    "-s",
                ])
                .arg(&path)
                .arg(url)
                .output()
                .expect("wrk (apt-get install wrk)");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        run(3);
        let out = run(self.secs);
        let load = parse_wrk(&out);
        if load.non_2xx > 0 || load.socket_errors > 0 {
            eprintln!("{name}: wrk reported errors:\n{out}");
        }
        load
    }

    /// `pgbench` with a custom script; returns transactions per second.
    fn pgbench(&self, name: &str, db_url: &str, script: &str, vars: &[(&str, String)]) -> f64 {
        let path = self.dir.path().join(format!("{name}.sql"));
        std::fs::write(&path, script).unwrap();
        let mut cmd = Command::new("pgbench");
        cmd.args([
            "-n",
            "-M",
            "prepared",
            "-j",
            "2",
            &format!("-c{}", self.connections),
            &format!("-T{}", self.secs),
            "-f",
        ])
        .arg(&path);
        for (k, v) in vars {
            cmd.arg("-D").arg(format!("{k}={v}"));
        }
        let out = cmd
            .arg(db_url)
            .output()
            .expect("pgbench (apt-get install postgresql-client)");
        let text = String::from_utf8_lossy(&out.stdout);
        let tps = text
            .lines()
            .find_map(|l| l.strip_prefix("tps = "))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.parse().ok());
        match tps {
            Some(t) => t,
            None => panic!(
                "pgbench {name} failed:\n{text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
}

/// A Lua script for wrk that sends `requests` in turn (each thread from its own start). The
/// requests are built in `init`, once wrk has set the Host header.
fn rotating(requests: &[(String, String)]) -> String {
    let mut s = String::from("local paths = {}\nlocal tokens = {}\n");
    for (path, token) in requests {
        writeln!(s, "paths[#paths + 1] = \"{path}\"\ntokens[#tokens + 1] = \"{token}\"").unwrap();
    }
    s.push_str(
        r#"local reqs = {}
local i = 0
function init(args)
  for k = 1, #paths do
    reqs[k] = wrk.format("GET", paths[k], {["Authorization"] = "Bearer " .. tokens[k]})
  end
  i = math.random(#reqs)
end
function request()
  i = i % #reqs + 1
  return reqs[i]
end
"#,
    );
    s
}

/// `rotating` over one path, as each of these people.
fn each(path: &str, tokens: &[String]) -> String {
    rotating(&tokens.iter().map(|t| (path.to_owned(), t.clone())).collect::<Vec<_>>())
}

/// A Lua script for wrk that submits a demand per request, as the members in turn.
fn submitting(tokens: &[String]) -> String {
    let mut s = String::from("local tokens = {}\n");
    for t in tokens {
        writeln!(s, "tokens[#tokens + 1] = \"{t}\"").unwrap();
    }
    s.push_str(
        r#"local i = 0
local n = 0
function init(args)
  i = math.random(#tokens)
end
function request()
  i = i % #tokens + 1
  n = n + 1
  local body = '{"kind":"demand","environment":"service","title":"压测诉求' .. n .. '","content":"企业希望了解出口退税办理进度，请相关部门协助。"}'
  return wrk.format("POST", "/api/v1/demands", {["Authorization"] = "Bearer " .. tokens[i], ["Content-Type"] = "application/json"}, body)
end
"#,
    );
    s
}

/// Peak and current resident memory of a process, in MB.
fn memory_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (kb("VmHWM:") / 1024.0, kb("VmRSS:") / 1024.0)
}

async fn grant(http: &reqwest::Client, api: &Proc, admin: &str, user: i64, body: Value) {
    procs::post_ok(http, api.url(&format!("/api/v1/users/{user}/roles")), Some(admin), body).await;
}

/// What `load` made: the members' tokens with one readable demand each, the handlers' tokens,
/// and every enterprise id.
struct Loaded {
    members: Vec<(String, i64)>,
    member_ids: Vec<i64>,
    handlers: Vec<String>,
    enterprise_ids: Vec<i64>,
}

/// Loads the data set: enterprises through the API's import, policies and demands straight
/// into the database. Returns the members' tokens and the id of one demand of each member.
async fn load(http: &reqwest::Client, api: &Proc, db: &DatabaseConnection) -> Loaded {
    let (admin, admin_id) = procs::sign_in(http, &api.url(""), "bench-admin").await;
    let mut unit_ids = Vec::new();
    for &(code, name) in fixtures::UNITS {
        let res = procs::post_ok(
            http,
            api.url("/api/v1/units"),
            Some(&admin),
            json!({"code": code, "name": name}),
        )
        .await;
        unit_ids.push(res["id"].as_str().unwrap().parse::<i64>().unwrap());
    }
    let started = Instant::now();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(registry_csv(ENTERPRISES)).file_name("registry.csv"),
    );
    let res = http
        .post(api.url("/api/v1/enterprises/import"))
        .bearer_auth(&admin)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["created"], ENTERPRISES, "import: {report}");
    println!(
        "imported {ENTERPRISES} enterprises through the API in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let today = api::types::today();
    for n in 0..POLICIES {
        let published = today - chrono::Duration::days((n % 300) as i64);
        api::service::policies::insert(db, policy_input(n), admin_id, Some(published))
            .await
            .unwrap();
    }
    let enterprise_ids: Vec<i64> = entity::enterprise::Entity::find()
        .select_only()
        .column(entity::enterprise::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    fixtures::insert_demands(db, DEMANDS, &enterprise_ids, &unit_ids, admin_id).await;
    println!(
        "inserted {POLICIES} published policies and {DEMANDS} demands in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Member k belongs to the enterprise of demand n(k), so that demand is theirs to read
    // (every 13th demand is anonymous, shown only to its submitter: those are skipped).
    let (mut members, mut member_ids) = (Vec::new(), Vec::new());
    for k in (0..).filter(|n: &usize| !n.is_multiple_of(13)).take(MEMBERS) {
        let number = format!("BENCH-{k:06}");
        let d = entity::demand::Entity::find()
            .filter(sea_orm::ColumnTrait::eq(&entity::demand::Column::Number, number))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let (token, id) = procs::sign_in(http, &api.url(""), &format!("bench-member-{k}")).await;
        grant(
            http,
            api,
            &admin,
            id,
            json!({"role": "enterprise", "enterpriseId": d.enterprise_id.unwrap().to_string()}),
        )
        .await;
        members.push((token, d.id));
        member_ids.push(id);
    }
    let mut handlers = Vec::new();
    for (k, unit) in unit_ids.iter().enumerate() {
        let (token, id) = procs::sign_in(http, &api.url(""), &format!("bench-handler-{k}")).await;
        grant(
            http,
            api,
            &admin,
            id,
            json!({"role": "handler", "unitId": unit.to_string()}),
        )
        .await;
        handlers.push(token);
    }
    Loaded {
        members,
        member_ids,
        handlers,
        enterprise_ids,
    }
}

/// The database query behind the feed (`GET /policies/matched`, read from PostgreSQL's
/// statement log): the person and their grants (the AuthUser extractor) and the enterprise.
/// A request sends them when the replica holds no copy of these rows; under load the copies
/// (a second old at most) are read again in the background, and the rules' stamp (`COUNT(*)`,
/// `SUM(revision)` of `policies`) is checked once a second per replica.
const FEED_SQL: &str = r"\set uid random(:first_member, :last_member)
\set eid random(:first_enterprise, :last_enterprise)
SELECT * FROM users WHERE id = :uid LIMIT 1;
SELECT * FROM role_grants WHERE user_id = :uid AND revoked_at IS NULL;
SELECT * FROM enterprises WHERE id = :eid LIMIT 1;
";

/// The statements one submission sends (`POST /demands`, read from PostgreSQL's statement
/// log): the person and grants, the enterprise, the holiday calendar; the day's number in a
/// short transaction with an asynchronous commit; the demand and its first event in one
/// transaction; then the detail it answers with.
const SUBMIT_SQL: &str = r"\set uid random(:first_member, :last_member)
\set eid random(:first_enterprise, :last_enterprise)
SELECT * FROM users WHERE id = :uid LIMIT 1;
SELECT * FROM role_grants WHERE user_id = :uid AND revoked_at IS NULL;
SELECT * FROM enterprises WHERE id = :eid LIMIT 1;
SELECT * FROM holidays ORDER BY day;
BEGIN;
SET LOCAL synchronous_commit TO off;
INSERT INTO demand_counters (day, last) VALUES ('pgbench', 1) ON CONFLICT (day) DO UPDATE SET last = demand_counters.last + 1 RETURNING last \gset
COMMIT;
BEGIN;
INSERT INTO demands (number, kind, environment, channel, title, content, enterprise_id, submitter_id, anonymous, status, accept_due_at, unreasonable, overdue, extensions, returns, bounced_secs, reopen_count, content_check, version, created_at, updated_at)
  VALUES ('PGB-' || :last, 'demand', 'service', 'miniprogram', '压测诉求', '企业希望了解出口退税办理进度，请相关部门协助。', :eid, :uid, false, 'submitted', now() + interval '1 day', false, false, 0, 0, 0, 0, 'unchecked', 0, now(), now())
  RETURNING id \gset
INSERT INTO demand_events (demand_id, action, to_status, actor_id, actor_role, created_at) VALUES (:id, 'submit', 'submitted', :uid, 'enterprise', now()) RETURNING id;
COMMIT;
SELECT * FROM demand_events WHERE demand_id = :id ORDER BY id;
SELECT * FROM demand_attachments WHERE demand_id = :id ORDER BY id;
SELECT * FROM enterprises WHERE id IN (:eid);
SELECT * FROM users WHERE id IN (:uid, :uid);
";

async fn run() {
    let base = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL (PostgreSQL)");
    let redis = std::env::var("TEST_REDIS_URL").expect("TEST_REDIS_URL");
    let bench = Bench {
        secs: std::env::var("BENCH_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10),
        connections: std::env::var("BENCH_CONNECTIONS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(64),
        dir: tempfile::tempdir().unwrap(),
    };
    let scratch = ScratchDb::create(&base, "qinqing_bench").await;
    let prefix = format!("bench:{}:", scratch.name);
    let env = procs::env_of(&[
        ("QINQING_DATABASE__URL", &scratch.url),
        ("QINQING_REDIS__URL", &redis),
        ("QINQING_REDIS__KEY_PREFIX", &prefix),
        ("QINQING_DEMO_DATA", "false"),
        ("QINQING_BOOTSTRAP_ADMINS", "bench-admin"),
        ("QINQING_LOG__FORMAT", "json"),
        ("QINQING_LOG__FILTER", "warn"),
        // One client machine sends everything: the per-address limits would measure themselves.
        ("QINQING_RATE_LIMIT__ENABLED", "false"),
        ("QINQING_AUTH__ACCESS_TTL_SECS", "3600"),
        (
            "QINQING_UPLOADS__DIR",
            &bench.dir.path().join("uploads").display().to_string(),
        ),
    ]);
    let bin = procs::binary("release");
    let mut api = procs::start(&bin, "api", &env, bench.dir.path()).await;
    let db = Database::connect(&scratch.url).await.unwrap();
    let http = reqwest::Client::new();
    let Loaded {
        members,
        member_ids,
        handlers,
        enterprise_ids,
    } = load(&http, &api, &db).await;
    // A running deployment's database, not one just bulk-loaded: statistics gathered, the
    // loaded pages written out (else autovacuum and the checkpoint run during the first loads).
    for statement in ["VACUUM ANALYZE", "CHECKPOINT"] {
        db.execute_unprepared(statement).await.unwrap();
    }
    let vars = [
        ("first_member", member_ids.iter().min().unwrap().to_string()),
        ("last_member", member_ids.iter().max().unwrap().to_string()),
        ("first_enterprise", enterprise_ids.iter().min().unwrap().to_string()),
        ("last_enterprise", enterprise_ids.iter().max().unwrap().to_string()),
    ];
    if let Ok(secs) = std::env::var("BENCH_HOLD") {
        // Leaves the loaded server up for a profiler: its address, pid and one member's token.
        println!(
            "holding for {secs} s: {} pid {} token {}",
            api.url(""),
            api.pid(),
            members[0].0
        );
        tokio::time::sleep(std::time::Duration::from_secs(secs.parse().unwrap_or(600))).await;
    }
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "\nload: wrk -t2 -c{} -d{}s on this machine ({cores} cores), the server with {cores} workers\n",
        bench.connections, bench.secs
    );

    // The ceiling: fixed JSON from actix-web, in a process of its own.
    let port = procs::free_port();
    let mut fixed = Command::new(std::env::current_exe().unwrap())
        .args(["--ceiling", &port.to_string()])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let ceiling = bench.wrk(
        "ceiling",
        &format!("http://127.0.0.1:{port}"),
        &rotating(&[("/fixed".to_owned(), "-".to_owned())]),
    );
    let plain = {
        let out = Command::new("wrk")
            .args([
                "-t2",
                &format!("-c{}", bench.connections),
                &format!("-d{}s", bench.secs),
                "--latency",
            ])
            .arg(format!("http://127.0.0.1:{port}/fixed"))
            .output()
            .expect("wrk");
        parse_wrk(&String::from_utf8_lossy(&out.stdout))
    };
    let _ = fixed.kill();
    let _ = fixed.wait();

    let tokens: Vec<String> = members.iter().map(|(t, _)| t.clone()).collect();
    let url = api.url("");
    let feed = bench.wrk("feed", &url, &each("/api/v1/policies/matched", &tokens));
    let feed_body: Value = http
        .get(api.url("/api/v1/policies/matched"))
        .bearer_auth(&tokens[0])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let feed_items = feed_body["items"].as_array().map_or(0, Vec::len);
    let feed_sql = bench.pgbench("feed", &scratch.url, FEED_SQL, &vars);
    let list_member = bench.wrk("list-member", &url, &each("/api/v1/demands?limit=20", &tokens));
    let list_handler = bench.wrk("list-handler", &url, &each("/api/v1/demands?limit=20", &handlers));
    let detail = bench.wrk(
        "detail",
        &url,
        &rotating(
            &members
                .iter()
                .map(|(t, id)| (format!("/api/v1/demands/{id}"), t.clone()))
                .collect::<Vec<_>>(),
        ),
    );
    let count = |db: &DatabaseConnection| {
        let db = db.clone();
        async move {
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM demands WHERE number NOT LIKE 'PGB-%'",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
        }
    };
    let before = count(&db).await;
    let submit = bench.wrk("submit", &url, &submitting(&tokens));
    let stored = count(&db).await - before;
    let submit_sql = bench.pgbench("submit", &scratch.url, SUBMIT_SQL, &vars);
    let (peak, now) = memory_mb(api.pid());

    println!("| endpoint (64 connections) | requests/s | p50 ms | p99 ms | errors | ÷ fixed JSON | ÷ pgbench |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let row = |label: &str, l: Load, sql: Option<f64>| {
        println!(
            "| {label} | {:.0} | {:.2} | {:.2} | {} | {:.3} | {} |",
            l.rps,
            l.p50_ms,
            l.p99_ms,
            l.non_2xx + l.socket_errors,
            l.rps / ceiling.rps,
            sql.map_or("".to_owned(), |s| format!("{:.2}", l.rps / s)),
        );
    };
    row("fixed JSON, plain wrk without a script", plain, None);
    row(
        "fixed JSON (actix-web, the ceiling; the same Lua rotation as below)",
        ceiling,
        None,
    );
    row(
        &format!("GET /policies/matched (the feed, a page of {feed_items})"),
        feed,
        Some(feed_sql),
    );
    row("GET /demands?limit=20 (a member's list)", list_member, None);
    row("GET /demands?limit=20 (a unit handler's list)", list_handler, None);
    row("GET /demands/{id} (detail)", detail, None);
    row("POST /demands (submit)", submit, Some(submit_sql));
    println!("\npgbench, the same SQL, -M prepared -c{}:", bench.connections);
    println!("  feed statements:       {feed_sql:.0} transactions/s");
    println!("  submission statements: {submit_sql:.0} transactions/s");
    println!(
        "\nsubmitted: {} answered 201 in the measured run by wrk's count; {stored} stored over the warm-up and the run",
        submit.requests - submit.non_2xx
    );
    println!("api peak RSS (VmHWM) {peak:.0} MB, RSS at the end {now:.0} MB");
    let mut targets = tests::bench::Targets::new();
    targets.check("feed ≥ 5,000 requests/s", feed.rps >= 5000.0);
    targets.check("feed p99 ≤ 20 ms", feed.p99_ms <= 20.0);
    targets.check("feed ≥ half of pgbench", feed.rps >= feed_sql / 2.0);
    targets.check(
        "submit ≥ 1,000/s or ≥ half of pgbench",
        submit.rps >= 1000.0 || submit.rps >= submit_sql / 2.0,
    );
    targets.check("peak RSS < 200 MB", peak < 200.0);
    api.terminate();
    drop(db);
    scratch.drop_it().await;
    targets.finish();
}

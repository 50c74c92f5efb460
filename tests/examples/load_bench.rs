//! Load bench: the release `api` as its own process on PostgreSQL + Redis, with 30,000
//! enterprises (imported through the API), 1,000 published policies and 100,000 demands, under
//! `wrk` on this machine (64 connections). It measures every endpoint people and the console hit
//! often: the feed; a member's, a unit handler's and an admin's filtered list; the queue's counts;
//! a detail; the year's figures, the dashboard's demand panel and the league table; policy search;
//! submitting; and the moves accept, assign and reply (each demand moved once). Beside each:
//!
//!   - the ceiling: an actix-web route returning a fixed JSON body (this example, run with
//!     `--ceiling`);
//!   - `pgbench` running exactly the endpoint's SQL: a second server on the same database signs in
//!     to PostgreSQL as a role whose statements are logged, answers one such request once its
//!     one-second copies are warm (as under load; a read whose answer it keeps while nothing is
//!     written sends none then, or only the audit of the identities it shows, and has no
//!     database ceiling but its audit's), and its statements are read back from the
//!     log (`tests::capture`), each parameter bound by pgbench as the server binds it; a move's
//!     demand id becomes that of a copy of the demands the server moved, taken before it moved
//!     them, each copy moved once (`copies_to_move`). Submitting runs the statements in
//!     `SUBMIT_SQL`, read from the log by hand (a new demand's number must be new each time).
//!
//! Each write is measured in rounds (`BENCH_ROUNDS`, default 3): the server's run and then
//! pgbench's, back to back, each on a settled database; the round whose ratio is the median
//! counts.
//!
//! Prints one table and the targets, and exits 1 when one is missed: every read at least half
//! of pgbench on its own SQL with p99 ≤ 20 ms, the lists and the detail ≥ 5,000 requests/s,
//! every write at least 0.8 of pgbench, no error, peak RSS under 200 MB. The bot's callback is
//! measured by `bot_bench` (each request needs its own signed, encrypted envelope). Needs `wrk`
//! and `pgbench` (Debian's `wrk` and `postgresql-client`), read access to PostgreSQL's log
//! (`BENCH_PG_LOG`, else the newest file of `/var/log/postgresql`), and a release build:
//!
//!   cargo build --release -p api -p tests --bins --examples
//!   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 \
//!     target/release/examples/load_bench
//!
//! `BENCH_SECS` (default 10) is the length of each run; `BENCH_CONNECTIONS` (default 64);
//! `BENCH_ROUNDS` (default 3) the rounds of each write.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{Value, json};
use tests::capture;
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
    /// How many times each write is measured, the server's run and pgbench's back to back.
    rounds: usize,
    dir: tempfile::TempDir,
}

impl Bench {
    /// `wrk` against `url` with a Lua script; three seconds of warm-up first (the script's
    /// `init` is told which run it is: `warm` or `measure`).
    fn wrk(&self, name: &str, url: &str, script: &str) -> Load {
        let path = self.dir.path().join(format!("{name}.lua"));
        std::fs::write(&path, script).unwrap();
        let run = |secs: u64, which: &str| {
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
                .args(["--", which])
                .output()
                .expect("wrk (apt-get install wrk)");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        run(3, "warm");
        let out = run(self.secs, "measure");
        let load = parse_wrk(&out);
        if load.non_2xx > 0 || load.socket_errors > 0 {
            eprintln!("{name}: wrk reported errors:\n{out}");
        }
        load
    }

    /// `pgbench` with a custom script; returns transactions per second (NaN when it failed).
    fn pgbench(&self, name: &str, db_url: &str, script: &str, vars: &[(String, String)]) -> f64 {
        self.pgbench_for(name, db_url, script, vars, Run::Secs(self.secs))
    }

    /// `pgbench` for a length of time or a number of transactions per client.
    fn pgbench_for(&self, name: &str, db_url: &str, script: &str, vars: &[(String, String)], run: Run) -> f64 {
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
            &match run {
                Run::Secs(s) => format!("-T{s}"),
                Run::Transactions(t) => format!("-t{t}"),
            },
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
        tps.unwrap_or_else(|| {
            // Shown as a missed target, not a crash: the rest of the table is still measured.
            let stderr = String::from_utf8_lossy(&out.stderr);
            eprintln!(
                "pgbench {name} failed:\n{text}\n{}",
                stderr.lines().take(5).collect::<Vec<_>>().join("\n")
            );
            f64::NAN
        })
    }
}

/// A running deployment's database, not one just written in bulk: what the triggers recorded
/// folded into the tallies (the job would within 10 s), statistics gathered, the written pages
/// flushed (else autovacuum and the checkpoint of one run's writes fall into the next run).
/// Before the data set is measured, and before each write run (the server's and pgbench's).
async fn settle(db: &DatabaseConnection) {
    api::service::tallies::fold(db).await.unwrap();
    for statement in ["VACUUM ANALYZE", "CHECKPOINT"] {
        db.execute_unprepared(statement).await.unwrap();
    }
}

/// How long pgbench runs: seconds, or transactions per client.
#[derive(Clone, Copy)]
enum Run {
    Secs(u64),
    Transactions(u64),
}

/// Copies of the demands `ids` (as they stand, in id order) under new ids and numbers (each
/// with `tag` appended), for moving: each copy in the state its move needs. Returns the first
/// new id and how many; the new ids are consecutive (one statement, nothing else filing
/// meanwhile).
async fn copies_to_move(db: &DatabaseConnection, ids: &[i64], tag: &str) -> (i64, usize) {
    let backend = db.get_database_backend();
    let columns = db
        .query_one_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS c \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'demands' AND column_name NOT IN ('id', 'number')",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "c")
        .unwrap();
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let new: Vec<i64> = db
        .query_all_raw(sea_orm::Statement::from_string(
            backend,
            format!(
                "INSERT INTO demands (number, {columns}) SELECT number || '{tag}', {columns} FROM demands \
                 WHERE id IN ({list}) ORDER BY id RETURNING id"
            ),
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<i64>("", "id").unwrap())
        .collect();
    let (first, last) = (*new.iter().min().unwrap(), *new.iter().max().unwrap());
    assert_eq!(
        usize::try_from(last - first + 1).unwrap(),
        new.len(),
        "the copies' ids are not consecutive"
    );
    (first, new.len())
}

/// One request of a rotation: method, path, bearer token, JSON body.
type Req = (&'static str, String, String, Option<Value>);

/// `requests` as a Lua table `specs` of {method, path, token, body}.
fn specs(requests: &[Req]) -> String {
    let mut s = String::from("local specs = {}\n");
    for (method, path, token, body) in requests {
        let body = body
            .as_ref()
            .map_or("nil".to_owned(), |b| format!("{:?}", b.to_string()));
        writeln!(
            s,
            "specs[#specs + 1] = {{\"{method}\", \"{path}\", \"{token}\", {body}}}"
        )
        .unwrap();
    }
    s
}

/// A Lua script for wrk that sends `requests` in turn, each thread from its own start.
fn sending(requests: &[Req]) -> String {
    let mut s = specs(requests);
    s.push_str(
        r#"local reqs = {}
local i = 0
function init(args)
  for k = 1, #specs do
    local m, p, t, b = specs[k][1], specs[k][2], specs[k][3], specs[k][4]
    reqs[k] = wrk.format(m, p, {["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json"}, b)
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

/// A Lua script for wrk that makes each move of `requests` once: each of wrk's two threads
/// takes every other one, the warm-up the first fifth of its share and the measured run the
/// rest, and a thread stops at the end of its share (a move made twice is refused, and a
/// refusal is cheaper than a move). Requests already on their way when a thread's share ends
/// ask for `/healthz` (at most one per connection).
fn moving(requests: &[Req]) -> String {
    let mut s = specs(requests);
    s.push_str(
        r#"local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("part", threads)
end
local reqs = {}
local i = 0
function init(args)
  local mine = {}
  for k = 1, #specs do
    if (k - 1) % 2 + 1 == part then mine[#mine + 1] = specs[k] end
  end
  local cut = math.floor(#mine / 5)
  local from, to = cut + 1, #mine
  if args[1] == "warm" then from, to = 1, cut end
  for k = from, to do
    local m, p, t, b = mine[k][1], mine[k][2], mine[k][3], mine[k][4]
    reqs[#reqs + 1] = wrk.format(m, p, {["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json"}, b)
  end
end
function request()
  i = i + 1
  if i > #reqs then return wrk.format("GET", "/healthz") end
  return reqs[i]
end
local shown = 0
function response(status, headers, body)
  -- The first refusals of each thread, with their codes (printed when wrk reports errors).
  if status >= 400 and shown < 8 then
    shown = shown + 1
    io.write("REFUSED " .. status .. " " .. string.sub(body, 1, 200) .. "\n")
  end
  if i >= #reqs then wrk.thread:stop() end
end
"#,
    );
    s
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

async fn grant(http: &reqwest::Client, api: &Proc, admin: &str, user: i64, body: Value) {
    procs::post_ok(http, api.url(&format!("/api/v1/users/{user}/roles")), Some(admin), body).await;
}

/// What `load` made: the members' tokens with one readable demand each, the handlers' tokens,
/// and every enterprise id.
struct Loaded {
    admin: String,
    unit_ids: Vec<i64>,
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
    fixtures::insert_timelines(db, admin_id).await;
    println!(
        "inserted {POLICIES} published policies and {DEMANDS} demands with their timelines in {:.1} s",
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
        admin,
        unit_ids,
        members,
        member_ids,
        handlers,
        enterprise_ids,
    }
}

/// The statements one submission sends when warm (`POST /demands`, read from PostgreSQL's
/// statement log): the enterprise; the day's number, one statement committed asynchronously;
/// the demand and its first event in one transaction; then the detail it answers with (one
/// statement: `service::demands::reading`).
const SUBMIT_SQL: &str = r#"\set uid random(:first_member, :last_member)
\set eid random(:first_enterprise, :last_enterprise)
SELECT * FROM enterprises WHERE id = :eid LIMIT 1;
WITH async AS (SELECT set_config('synchronous_commit', 'off', true)) INSERT INTO demand_counters (day, last) SELECT 'pgbench', 1 FROM async ON CONFLICT (day) DO UPDATE SET last = demand_counters.last + 1 RETURNING last \gset
BEGIN;
INSERT INTO demands (number, kind, environment, channel, title, content, enterprise_id, submitter_id, anonymous, status, accept_due_at, unreasonable, overdue, extensions, returns, bounced_secs, reopen_count, content_check, version, created_at, updated_at)
  VALUES ('PGB-' || :last, 'demand', 'service', 'miniprogram', '压测诉求', '企业希望了解出口退税办理进度，请相关部门协助。', :eid, :uid, false, 'submitted', now() + interval '1 day', false, false, 0, 0, 0, 0, 'unchecked', 0, now(), now())
  RETURNING id \gset
INSERT INTO demand_events (demand_id, action, to_status, actor_id, actor_role, created_at) VALUES (:id, 'submit', 'submitted', :uid, 'enterprise', now()) RETURNING id;
COMMIT;
SELECT 'event' AS "what", "id" AS "id", CAST(NULL AS TEXT) AS "name", CAST(NULL AS BOOLEAN) AS "gone", "id" AS "seq", "action", "from_status", "to_status", "actor_id", "actor_role", "actor_unit_id", "note", "data", "created_at" FROM "demand_events" WHERE "demand_id" = :id
  UNION ALL (SELECT 'file' AS "what", "file_id" AS "id", NULL AS "name", NULL AS "gone", "id" AS "seq", NULL AS "action", NULL AS "from_status", NULL AS "to_status", NULL AS "actor_id", NULL AS "actor_role", NULL AS "actor_unit_id", NULL AS "note", NULL AS "data", NULL AS "created_at" FROM "demand_attachments" WHERE "demand_id" = :id)
  UNION ALL (SELECT 'unit' AS "what", "id" AS "id", "name" AS "name", FALSE AS "gone", 0 AS "seq", NULL AS "action", NULL AS "from_status", NULL AS "to_status", NULL AS "actor_id", NULL AS "actor_role", NULL AS "actor_unit_id", NULL AS "note", NULL AS "data", NULL AS "created_at" FROM "units" WHERE "id" IN (SELECT "actor_unit_id" FROM "demand_events" WHERE "demand_id" = :id))
  UNION ALL (SELECT 'enterprise' AS "what", "id" AS "id", "name" AS "name", FALSE AS "gone", 0 AS "seq", NULL AS "action", NULL AS "from_status", NULL AS "to_status", NULL AS "actor_id", NULL AS "actor_role", NULL AS "actor_unit_id", NULL AS "note", NULL AS "data", NULL AS "created_at" FROM "enterprises" WHERE "id" = :eid)
  UNION ALL (SELECT 'user' AS "what", "id" AS "id", "nickname" AS "name", "deleted_at" IS NOT NULL AS "gone", 0 AS "seq", NULL AS "action", NULL AS "from_status", NULL AS "to_status", NULL AS "actor_id", NULL AS "actor_role", NULL AS "actor_unit_id", NULL AS "note", NULL AS "data", NULL AS "created_at" FROM "users" WHERE "id" = :uid OR "id" IN (SELECT "actor_id" FROM "demand_events" WHERE "demand_id" = :id));
"#;

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
        rounds: std::env::var("BENCH_ROUNDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(3)
            .max(1),
        dir: tempfile::tempdir().unwrap(),
    };
    let scratch = ScratchDb::create(&base, "qinqing_bench").await;
    let env = procs::bench_env(&scratch, &redis, bench.dir.path());
    let bin = procs::binary("release");
    let mut api = procs::start(&bin, "api", &env, bench.dir.path()).await;
    // Two connections: the servers' pools and pgbench's 64 must fit under PostgreSQL's 100.
    let db = Database::connect(
        sea_orm::ConnectOptions::new(scratch.url.clone())
            .max_connections(2)
            .to_owned(),
    )
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let Loaded {
        admin,
        unit_ids,
        members,
        member_ids,
        handlers,
        enterprise_ids,
    } = load(&http, &api, &db).await;
    settle(&db).await;
    let vars = [
        ("first_member", member_ids.iter().min().unwrap().to_string()),
        ("last_member", member_ids.iter().max().unwrap().to_string()),
        ("first_enterprise", enterprise_ids.iter().min().unwrap().to_string()),
        ("last_enterprise", enterprise_ids.iter().max().unwrap().to_string()),
    ]
    .map(|(k, v)| (k.to_owned(), v));
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
        &sending(&[("GET", "/fixed".to_owned(), "-".to_owned(), None)]),
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

    // The SQL behind each request: a second server whose statements PostgreSQL logs.
    capture::ensure_role(&db).await;
    let mut capture_env = env.clone();
    for (k, v) in &mut capture_env {
        if k == "QINQING_DATABASE__URL" {
            *v = capture::as_role(&scratch.url);
        }
    }
    capture_env.push(("QINQING_JOBS__ENABLED".to_owned(), "false".to_owned()));
    // Few connections: pgbench's 64 and the measured server's must fit under PostgreSQL's limit.
    capture_env.push(("QINQING_DATABASE__MAX_CONNECTIONS".to_owned(), "2".to_owned()));
    let mut logged = procs::start(&bin, "logged", &capture_env, bench.dir.path()).await;
    let log = capture::log_file();
    let sql_of = |method: &'static str, path: String, token: String, body: Option<Value>| {
        let (http, base, log, db_name) = (http.clone(), logged.url(""), log.clone(), scratch.name.clone());
        async move {
            // Warm first, as the server under load is: the person's standing and the calendar
            // are read through the replica's one-second copies, not on each request, and a read
            // asked again is answered from the replica's copy of its answer (`answers`).
            let warm = match method {
                "GET" => path.clone(),
                _ => "/api/v1/demands?limit=1".to_owned(),
            };
            let cold = capture::mark(&log);
            let res = http
                .get(format!("{base}{warm}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert!(res.status().is_success(), "GET {warm}: {}", res.status());
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            // The first request read the database: the capture works.
            assert!(
                !capture::statements(&capture::since(&log, cold), &db_name).is_empty(),
                "GET {warm}: no statement captured"
            );
            let from = capture::mark(&log);
            let req = match method {
                "POST" => http.post(format!("{base}{path}")).json(&body.unwrap_or(Value::Null)),
                _ => http.get(format!("{base}{path}")),
            };
            let res = req.bearer_auth(token).send().await.unwrap();
            assert!(res.status().is_success(), "{method} {path}: {}", res.status());
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            capture::statements(&capture::since(&log, from), &db_name)
        }
    };

    // Ids for the moves: each demand in the state its move needs, made once.
    let ids_in = |status: &'static str, unit: Option<i64>| {
        let db = db.clone();
        async move {
            let unit = unit.map_or(String::new(), |u| format!(" AND unit_id = {u}"));
            db.query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                format!("SELECT id FROM demands WHERE status = '{status}'{unit} ORDER BY id"),
            ))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<i64>("", "id").unwrap())
            .collect::<Vec<i64>>()
        }
    };
    let to_accept = ids_in("submitted", None).await;
    let to_assign = ids_in("accepted", None).await;
    let mut to_reply: Vec<(i64, String)> = Vec::new();
    for (unit, token) in unit_ids.iter().zip(&handlers) {
        to_reply.extend(
            ids_in("in_progress", Some(*unit))
                .await
                .into_iter()
                .map(|id| (id, token.clone())),
        );
    }

    /// One endpoint of the table.
    struct Endpoint {
        label: String,
        /// What people do most: at least 5,000 requests/s.
        list: bool,
        write: bool,
        load: Load,
        /// pgbench on the request's statements; None when it sent none (answered from copies).
        pgbench: Option<f64>,
        /// A write's rounds, each the server's run and pgbench's (`load` and `pgbench` are the
        /// median round's).
        rounds: Vec<(Load, f64)>,
    }
    let mut rows: Vec<Endpoint> = Vec::new();
    // A write's row: its rounds, the one whose ratio is the median shown.
    let written = |label: String, rounds: Vec<(Load, f64)>| {
        let ratio = |(l, tps): &(Load, f64)| l.rps / tps;
        let mut order: Vec<&(Load, f64)> = rounds.iter().collect();
        order.sort_by(|a, b| ratio(a).total_cmp(&ratio(b)));
        let (load, tps) = *order[(order.len() - 1) / 2];
        Endpoint {
            label,
            list: false,
            write: true,
            load,
            pgbench: Some(tps),
            rounds,
        }
    };
    let year_ago = api::types::today() - chrono::Duration::days(365);
    let today = api::types::today();
    let admin_list = "/api/v1/demands?status=in_progress&environment=service&limit=20".to_owned();
    let reads: Vec<(&str, bool, Vec<Req>)> = vec![
        (
            "GET /policies/matched (the feed, a page of 20)",
            false,
            tokens
                .iter()
                .map(|t| ("GET", "/api/v1/policies/matched".to_owned(), t.clone(), None))
                .collect(),
        ),
        (
            "GET /demands?limit=20, an enterprise member",
            true,
            tokens
                .iter()
                .map(|t| ("GET", "/api/v1/demands?limit=20".to_owned(), t.clone(), None))
                .collect(),
        ),
        (
            "GET /demands?limit=20, a unit handler",
            true,
            handlers
                .iter()
                .map(|t| ("GET", "/api/v1/demands?limit=20".to_owned(), t.clone(), None))
                .collect(),
        ),
        (
            "GET /demands?status&environment, an admin",
            true,
            vec![("GET", admin_list.clone(), admin.clone(), None)],
        ),
        (
            "GET /demands/{id}, its member",
            true,
            members
                .iter()
                .map(|(t, id)| ("GET", format!("/api/v1/demands/{id}"), t.clone(), None))
                .collect(),
        ),
        (
            "GET /stats/demands, the year",
            false,
            vec![(
                "GET",
                format!("/api/v1/stats/demands?from={year_ago}&to={today}"),
                admin.clone(),
                None,
            )],
        ),
        (
            "GET /dashboard/demands, the year",
            false,
            vec![(
                "GET",
                format!("/api/v1/dashboard/demands?from={year_ago}&to={today}"),
                admin.clone(),
                None,
            )],
        ),
        (
            "GET /dashboard/units (league table), the year",
            false,
            vec![(
                "GET",
                format!("/api/v1/dashboard/units?from={year_ago}&to={today}"),
                admin.clone(),
                None,
            )],
        ),
        (
            "GET /policies/search?q=人才补贴",
            false,
            tokens
                .iter()
                .map(|t| {
                    (
                        "GET",
                        "/api/v1/policies/search?q=%E4%BA%BA%E6%89%8D%E8%A1%A5%E8%B4%B4".to_owned(),
                        t.clone(),
                        None,
                    )
                })
                .collect(),
        ),
    ];
    for (label, list, requests) in reads {
        let (method, path, token, body) = requests[0].clone();
        let sql = sql_of(method, path, token, body).await;
        let name = format!("read{}", rows.len());
        let load = bench.wrk(&name, &url, &sending(&requests));
        // A request answered from the replica's copies sends no statement when warm (the feed,
        // an answer kept while nothing is written): there is no database ceiling to compare it
        // with.
        let tps = (!sql.is_empty()).then(|| {
            let script = capture::script(&sql, &[]);
            bench.pgbench(&name, &scratch.url, &script.text, &script.values)
        });
        rows.push(Endpoint {
            label: label.to_owned(),
            list,
            write: false,
            load,
            pgbench: tps,
            rounds: Vec::new(),
        });
    }

    // The writes, each demand moved once; pgbench then runs the same statements on random ones
    // (run after: it moves demands the reads above would see).
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
    // Each write is measured in rounds: the server's run, then pgbench's on the same statements,
    // back to back, each on a settled database. The table shows the round whose ratio is the
    // median: on this kind of machine the same pgbench script ran at 486 and at 932 per second an
    // hour apart, so a ratio of two rates taken minutes apart moved by ±0.2.
    let before = count(&db).await;
    let mut submits = Vec::new();
    for round in 0..bench.rounds {
        settle(&db).await;
        let load = bench.wrk(&format!("submit{round}"), &url, &submitting(&tokens));
        settle(&db).await;
        let tps = bench.pgbench(&format!("submit{round}"), &scratch.url, SUBMIT_SQL, &vars);
        submits.push((load, tps));
    }
    let stored = count(&db).await - before;
    let answered: u64 = submits.iter().map(|(l, _)| l.requests - l.non_2xx).sum();
    rows.push(written("POST /demands (submit)".to_owned(), submits));
    let unit = unit_ids[0].to_string();
    let moves: Vec<(&str, Vec<Req>)> = vec![
        (
            "accept",
            to_accept
                .iter()
                .map(|id| {
                    (
                        "POST",
                        format!("/api/v1/demands/{id}/accept"),
                        admin.clone(),
                        Some(json!({})),
                    )
                })
                .collect(),
        ),
        (
            "assign",
            to_assign
                .iter()
                .map(|id| {
                    (
                        "POST",
                        format!("/api/v1/demands/{id}/assign"),
                        admin.clone(),
                        Some(json!({"unitId": unit})),
                    )
                })
                .collect(),
        ),
        (
            "reply",
            to_reply
                .iter()
                .map(|(id, t)| {
                    (
                        "POST",
                        format!("/api/v1/demands/{id}/reply"),
                        t.clone(),
                        Some(json!({"content": "经核实，已协调相关部门办理完毕，请企业查收。"})),
                    )
                })
                .collect(),
        ),
    ];
    // pgbench makes each move the server made, on copies of the same demands taken before
    // (each in the state the move needs, with the version the captured statements guard on),
    // each copy once: client c's n-th transaction moves copy `first + (n - 1) × clients + c`.
    // (Moving demands already moved would write nothing: a guarded UPDATE of no row, no
    // tally, a ceiling far above the real move's.)
    for (action, mut requests) in moves {
        // The first demand is the logged server's; the rest are moved under load.
        let (method, path, token, body) = requests.remove(0);
        let moved_id = path.split('/').nth(4).unwrap().to_owned();
        let id_of = |r: &Req| -> i64 { r.1.split('/').nth(4).unwrap().parse().unwrap() };
        requests.sort_by_key(id_of);
        let ids: Vec<i64> = requests.iter().map(id_of).collect();
        let on_copies = |first: i64| -> Vec<Req> {
            requests
                .iter()
                .zip(first..)
                .map(|((m, _, t, b), id)| (*m, format!("/api/v1/demands/{id}/{action}"), t.clone(), b.clone()))
                .collect()
        };
        // Every round's demands are copied now, before any is moved. The server's: enough work
        // for its whole run (a run that ran out would be divided by its full length), three
        // copies (the first round's first are the demands themselves); pgbench's: one copy.
        let mut work = Vec::new();
        for round in 0..bench.rounds {
            let mut pool = Vec::new();
            for copy in 0..3 {
                if round == 0 && copy == 0 {
                    pool.extend(requests.iter().cloned());
                } else {
                    let (first, _) = copies_to_move(&db, &ids, &format!("-{round}-{copy}")).await;
                    pool.extend(on_copies(first));
                }
            }
            let (first, copies) = copies_to_move(&db, &ids, &format!("-pgbench-{round}")).await;
            work.push((pool, first, copies));
        }
        let sql = sql_of(method, path, token, body).await;
        let next = ":first + (:n - 1) * :clients + :client_id".to_owned();
        let mut script = capture::script(&sql, &[("id", moved_id, next)]);
        script.text = format!("\\set n :n + 1\n{}", script.text);
        let mut rounds = Vec::new();
        for (round, (pool, first, copies)) in work.into_iter().enumerate() {
            settle(&db).await;
            let load = bench.wrk(&format!("{action}{round}"), &url, &moving(&pool));
            settle(&db).await;
            let mut values = script.values.clone();
            values.extend([
                ("n".to_owned(), "0".to_owned()),
                ("first".to_owned(), first.to_string()),
                ("clients".to_owned(), bench.connections.to_string()),
            ]);
            let tps = bench.pgbench_for(
                &format!("{action}{round}"),
                &scratch.url,
                &script.text,
                &values,
                Run::Transactions(u64::try_from(copies).unwrap() / bench.connections),
            );
            rounds.push((load, tps));
        }
        rows.push(written(format!("POST /demands/{{id}}/{action}"), rounds));
    }
    // Last: on this data set (six demands in ten open) it saturates the server (see
    // docs/benchmarks.md), and the runs after it would measure the recovery. On a settled
    // database, as the reads above: the writes' last run leaves ten seconds of deltas unfolded.
    settle(&db).await;
    {
        let (label, path) = ("GET /demands/queue-counts, an admin", "/api/v1/demands/queue-counts");
        let sql = sql_of("GET", path.to_owned(), admin.clone(), None).await;
        let load = bench.wrk(
            "queue-counts",
            &url,
            &sending(&[("GET", path.to_owned(), admin.clone(), None)]),
        );
        let tps = (!sql.is_empty()).then(|| {
            let script = capture::script(&sql, &[]);
            bench.pgbench("queue-counts", &scratch.url, &script.text, &script.values)
        });
        rows.push(Endpoint {
            label: label.to_owned(),
            list: false,
            write: false,
            load,
            pgbench: tps,
            rounds: Vec::new(),
        });
    }
    logged.terminate();
    let (peak, now) = procs::memory_mb(api.pid());

    println!(
        "| endpoint (64 connections) | requests/s | p50 ms | p99 ms | errors | ÷ fixed JSON | pgbench tps, same SQL | ÷ pgbench |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    // The last two cells: pgbench's rate and the ratio to it.
    let line = |label: &str, l: &Load, (tps, ratio): (String, String)| {
        println!(
            "| {label} | {:.0} | {:.2} | {:.2} | {} | {:.3} | {tps} | {ratio} |",
            l.rps,
            l.p50_ms,
            l.p99_ms,
            l.non_2xx + l.socket_errors,
            l.rps / ceiling.rps,
        );
    };
    line("fixed JSON, plain wrk without a script", &plain, Default::default());
    line(
        "fixed JSON (actix-web, the ceiling; the same Lua rotation as below)",
        &ceiling,
        Default::default(),
    );
    for r in &rows {
        let cells = match r.pgbench {
            Some(tps) => (format!("{tps:.0}"), format!("{:.2}", r.load.rps / tps)),
            None => ("no statement when warm".to_owned(), String::new()),
        };
        line(&r.label, &r.load, cells);
    }
    println!(
        "\nsubmitted: {answered} answered 201 in the measured runs by wrk's count; {stored} stored over the warm-ups and the runs"
    );
    println!("\nthe writes' rounds, each the server's run and then pgbench's (the table shows the median):");
    for r in rows.iter().filter(|r| r.write) {
        let each: Vec<String> = r
            .rounds
            .iter()
            .map(|(l, tps)| format!("{:.0} ÷ {tps:.0} = {:.2}", l.rps, l.rps / tps))
            .collect();
        println!("- {}: {}", r.label, each.join(", "));
    }
    println!("api peak RSS (VmHWM) {peak:.0} MB, RSS at the end {now:.0} MB");
    let mut targets = tests::bench::Targets::new();
    for r in &rows {
        let (l, tps) = (&r.load, r.pgbench.unwrap_or(f64::NAN));
        // A run with errors measured refusals too (a breaker's 503 answers in microseconds):
        // none of its figures meets a target.
        // A write counts every round's.
        let errors: u64 = if r.write {
            r.rounds.iter().map(|(l, _)| l.non_2xx + l.socket_errors).sum()
        } else {
            r.load.non_2xx + r.load.socket_errors
        };
        let clean = errors == 0;
        if !clean {
            targets.check(format!("{}: no error ({errors} errors)", r.label), false);
        }
        if r.write {
            // The median round's ratio; a round whose pgbench failed fails the write.
            let measured = r.rounds.iter().all(|(_, tps)| tps.is_finite());
            targets.check(
                format!(
                    "{}: ≥ 0.8 of pgbench, the median of {} rounds ({:.0} ÷ {tps:.0} = {:.2})",
                    r.label,
                    r.rounds.len(),
                    l.rps,
                    l.rps / tps
                ),
                clean && measured && l.rps >= 0.8 * tps,
            );
        } else {
            // Without a statement there is no database ceiling; its p99 still counts.
            if r.pgbench.is_some() {
                targets.check(
                    format!(
                        "{}: ≥ half of pgbench ({:.0} ÷ {tps:.0} = {:.2})",
                        r.label,
                        l.rps,
                        l.rps / tps
                    ),
                    clean && l.rps >= 0.5 * tps,
                );
            }
            targets.check(
                format!("{}: p99 {:.2} ms ≤ 20 ms", r.label, l.p99_ms),
                clean && l.p99_ms <= 20.0,
            );
        }
        if r.list {
            targets.check(
                format!("{}: {:.0} ≥ 5,000 requests/s", r.label, l.rps),
                clean && l.rps >= 5000.0,
            );
        }
    }
    targets.check(format!("peak RSS {peak:.0} MB < 200 MB"), peak < 200.0);
    api.terminate();
    drop(db);
    scratch.drop_it().await;
    if std::env::var("BENCH_KEEP_LOGS").is_ok() {
        println!("the servers' logs are in {}", bench.dir.keep().display());
    }
    targets.finish();
}

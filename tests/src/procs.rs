//! `api` as separate processes, as production runs it: the replica check, the load bench and
//! the soak run start the built binary against a fresh PostgreSQL database and a Redis prefix.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

/// One running `api` process; its stdout (the JSON log) goes to `log`.
pub struct Proc {
    pub name: String,
    pub port: u16,
    pub log: PathBuf,
    pub child: Child,
}

impl Proc {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops it with SIGTERM (graceful) and waits.
    pub fn terminate(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.pid().to_string()).status();
        let _ = self.child.wait();
    }

    /// SIGKILL: no shutdown at all.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A process left behind by a failing check would hold its database's connections.
impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `api` binary of a profile (`debug` or `release`) in the workspace's target directory.
pub fn binary(profile: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join(profile).join("api");
    let flag = if profile == "release" { " --release" } else { "" };
    assert!(
        bin.exists(),
        "build the server first: cargo build{flag} -p api ({})",
        bin.display()
    );
    bin
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `bin` on `port` with `env` in `dir` and waits until `/readyz` answers 200.
pub async fn start_on(bin: &Path, name: &str, port: u16, env: &[(String, String)], dir: &Path) -> Proc {
    let log = dir.join(format!("{name}.log"));
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    let child = Command::new(bin)
        .envs(env.iter().cloned())
        .env("QINQING_SERVER__PORT", port.to_string())
        .current_dir(dir)
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let p = Proc {
        name: name.to_owned(),
        port,
        log,
        child,
    };
    wait_ready(&p).await;
    p
}

pub async fn start(bin: &Path, name: &str, env: &[(String, String)], dir: &Path) -> Proc {
    start_on(bin, name, free_port(), env, dir).await
}

pub async fn wait_ready(p: &Proc) {
    let http = reqwest::Client::new();
    let started = Instant::now();
    while http
        .get(p.url("/readyz"))
        .send()
        .await
        .map(|r| r.status().is_success())
        .ok()
        != Some(true)
    {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{} did not start; see {}",
            p.name,
            p.log.display()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A fresh PostgreSQL database beside the one `base` names.
pub struct ScratchDb {
    pub name: String,
    pub url: String,
    admin: DatabaseConnection,
}

impl ScratchDb {
    pub async fn create(base: &str, prefix: &str) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("{prefix}_{}", &id[..12]);
        let admin = Database::connect(base).await.unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let url = match base.rfind('/') {
            Some(i) => format!("{}/{name}", &base[..i]),
            None => panic!("TEST_DATABASE_URL has no database part"),
        };
        Self { name, url, admin }
    }

    pub async fn drop_it(self) {
        let _ = self
            .admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
            .await;
    }
}

/// The Redis key prefix of a bench's server (`bench_env`).
pub fn bench_key_prefix(scratch: &ScratchDb) -> String {
    format!("bench:{}:", scratch.name)
}

/// The environment of a bench's release server: its database and Redis prefix, no demo data,
/// `bench-admin` as the first admin, warnings only, and no rate limits (one client address sends
/// everything: the limits would measure themselves).
pub fn bench_env(scratch: &ScratchDb, redis: &str, dir: &Path) -> Vec<(String, String)> {
    env_of(&[
        ("QINQING_DATABASE__URL", &scratch.url),
        ("QINQING_REDIS__URL", redis),
        ("QINQING_REDIS__KEY_PREFIX", &bench_key_prefix(scratch)),
        ("QINQING_DEMO_DATA", "false"),
        ("QINQING_BOOTSTRAP_ADMINS", "bench-admin"),
        ("QINQING_LOG__FORMAT", "json"),
        ("QINQING_LOG__FILTER", "warn"),
        ("QINQING_RATE_LIMIT__ENABLED", "false"),
        ("QINQING_AUTH__ACCESS_TTL_SECS", "3600"),
        ("QINQING_UPLOADS__DIR", &dir.join("uploads").display().to_string()),
    ])
}

/// Peak (VmHWM) and current (VmRSS) resident memory of a process, in MB.
pub fn memory_mb(pid: u32) -> (f64, f64) {
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

/// `(key, value)` pairs as owned strings, for `start`.
pub fn env_of(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// Signs in with a development code at `base` (a server's address): (access token, user id).
pub async fn sign_in(http: &reqwest::Client, base: &str, who: &str) -> (String, i64) {
    let v = post_ok(
        http,
        format!("{base}/api/v1/auth/wechat"),
        None,
        serde_json::json!({"code": format!("dev:{who}")}),
    )
    .await;
    (
        v["accessToken"].as_str().unwrap().to_owned(),
        v["user"]["id"].as_str().unwrap().parse().unwrap(),
    )
}

/// POSTs JSON and asserts a 2xx; the answer's body.
pub async fn post_ok(
    http: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: serde_json::Value,
) -> serde_json::Value {
    let mut req = http.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let v: serde_json::Value = res.json().await.unwrap_or_default();
    assert!(status.is_success(), "{status}: {v}");
    v
}

/// Writes a policy for every enterprise through the server at `base` and publishes it; the
/// policy's id and the publication's answer (how many members and groups it reached).
pub async fn publish_policy_for_all(
    http: &reqwest::Client,
    base: &str,
    admin: &str,
    title: &str,
    issuer: &str,
) -> (String, serde_json::Value) {
    let draft = post_ok(
        http,
        format!("{base}/api/v1/policies"),
        Some(admin),
        serde_json::json!({"title": title, "issuer": issuer,
            "explainer": {"forWhom": "区内全体企业", "benefits": "补贴", "howToApply": "线上申报", "contact": "0532-1"},
            "conditions": {}}),
    )
    .await;
    let id = draft["id"].as_str().unwrap_or_default().to_owned();
    let published = post_ok(
        http,
        format!("{base}/api/v1/policies/{id}/publish"),
        Some(admin),
        serde_json::json!({}),
    )
    .await;
    (id, published)
}

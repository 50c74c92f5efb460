//! Every setting, documented, with defaults that run on a fresh machine.
//!
//! Layers, later wins: built-in defaults → a TOML file (`qinqing.toml` in the working
//! directory, or the path in `QINQING_CONFIG`) → `QINQING_*` environment variables, nested
//! with `__` (e.g. `QINQING_DATABASE__URL`, `QINQING_AUTH__JWT_SECRET`).
//! Secrets are `SecretString`: their `Debug` prints `[REDACTED]`. One file past 500 lines on
//! purpose: every setting in one place, each with its documentation and default
//! (`docs/configuration.md` is checked against it).
use std::fmt;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::demand::Environment as Six;

/// The JWT secret used when none is configured. Production refuses to start with it.
pub const DEV_JWT_SECRET: &str = "qinqing-development-only-jwt-secret-do-not-use";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `development` (default) or `production` (`QINQING_ENV`).
    pub env: Environment,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub redis: RedisSettings,
    pub auth: AuthSettings,
    pub wechat: WechatSettings,
    pub wecom: WecomSettings,
    /// Openids made admins when they sign in (`QINQING_BOOTSTRAP_ADMINS=oid1,oid2`), so a new
    /// deployment can be administered.
    #[serde(deserialize_with = "comma_list")]
    pub bootstrap_admins: Vec<String>,
    /// Load the Chinese demo data set once at start. Unset: on in development, off in
    /// production (where setting it on is refused).
    pub demo_data: Option<bool>,
    pub log: LogSettings,
    pub demands: DemandSettings,
    pub uploads: UploadSettings,
    pub callbacks: CallbackSettings,
    pub inspections: InspectionSettings,
    pub jobs: JobSettings,
    pub rate_limit: RateLimitSettings,
    pub console: ConsoleSettings,
    pub telephony: TelephonySettings,
    pub sms: SmsSettings,
}

/// Text messages (短信) through Tencent Cloud SMS (`SendSms`, API version 2021-01-11, requests
/// signed with TC3-HMAC-SHA256). Without `secret_id` no message goes out: each stays in the
/// outbox as skipped, and the in-app notice is all the person gets.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsSettings {
    /// The API's address (tests point it at a mock).
    pub endpoint: String,
    /// The API's region, e.g. `ap-guangzhou`.
    pub region: String,
    /// The API key's SecretId.
    pub secret_id: Option<String>,
    /// The API key's SecretKey.
    pub secret_key: Option<SecretString>,
    /// The SMS application's SdkAppId.
    pub sdk_app_id: Option<String>,
    /// The approved signature (签名) the messages carry, e.g. `亲清服务`.
    pub sign_name: Option<String>,
    /// Timeout of one call, in milliseconds.
    pub timeout_ms: u64,
    /// Messages one number receives a day at most; more wait for the next day.
    pub daily_cap: u32,
    pub templates: SmsTemplates,
}

/// The approved SMS templates, by purpose (unset: that purpose sends no text message).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsTemplates {
    /// 诉求已受理: `{1}` the demand's number, `{2}` its title.
    pub demand_accepted: Option<String>,
    /// 诉求已答复: `{1}` the demand's number, `{2}` its title.
    pub demand_replied: Option<String>,
}

/// The staff console's built files, served under `/console/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleSettings {
    /// The folder `npm run build` writes in `console/` (`scripts/run` builds it).
    pub dir: String,
}

/// The phone system's token of development (`console/scripts/simulate-calls.mjs` sends it);
/// production refuses it.
pub const DEV_TELEPHONY_TOKEN: &str = "dev-telephony-token";

/// The phone system (PBX) that tells the server about calls (`POST /api/v1/telephony/events`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelephonySettings {
    /// The token the phone system sends in `X-Telephony-Token`; empty: the endpoint refuses
    /// every event.
    pub token: Option<SecretString>,
}

/// Working days to call a new enterprise back, unless configured otherwise.
pub const DEFAULT_CALLBACK_DAYS: u32 = 5;

/// The new-enterprise call-back programme (docs/design.md section 7).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackSettings {
    /// A new enterprise is called back within this many working days.
    pub due_working_days: u32,
    /// Calls without an answer before the task ends as unreachable.
    pub max_attempts: i32,
}

/// On-site inspections of enterprises (docs/design.md section 10).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionSettings {
    /// An enterprise inspected more times than this in a quarter is flagged (无事不扰).
    pub quarter_limit: u32,
}

/// Tencent's published sample key (vector set A). Development uses it so any WeCom client
/// library set up with the sample keys talks to a fresh server; production refuses it.
pub const WECOM_SAMPLE_AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

/// The WeCom callbacks: a self-built app (XML, receive id = the corp id) and the intelligent
/// robot (JSON, receive id empty).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WecomSettings {
    /// The app's callback Token.
    pub app_token: SecretString,
    /// The app's EncodingAESKey (43 characters).
    pub app_aes_key: SecretString,
    /// The corp id: the app's receive id.
    pub corp_id: String,
    /// The robot's callback Token.
    pub robot_token: SecretString,
    /// The robot's EncodingAESKey.
    pub robot_aes_key: SecretString,
    /// Callbacks whose timestamp is further off than this are refused, and nonces are
    /// remembered for twice as long.
    pub max_clock_skew_secs: u64,
    /// Where group-robot webhooks are posted (`/cgi-bin/webhook/send?key=`).
    pub webhook_base_url: String,
    /// At most this many messages per webhook in any window (WeCom allows 20 a minute).
    pub webhook_per_window: u32,
    /// The length of that window, in seconds.
    pub webhook_window_secs: u64,
    /// WeCom's server API (`gettoken`, customer contact, 微信客服); tests point it at a mock.
    pub api_base_url: String,
    /// The self-built app's Secret. The app must be among 客户联系「可调用接口的应用」 and
    /// 微信客服's; unset means development mode: what would be sent to WeCom is logged instead.
    pub app_secret: Option<SecretString>,
    /// The self-built app's AgentId (the sidebar's `agentConfig` and web sign-in).
    pub agent_id: Option<String>,
    /// The 微信客服 account (`open_kfid`) the dialogue answers for and the groups' links open.
    pub kf_open_kfid: Option<String>,
    /// Timeout of one call to WeCom's server API, in milliseconds.
    pub timeout_ms: u64,
    /// Mass-sends a customer group may receive in a month; unset means WeCom's rule (as many
    /// as the month has days). Set lower when the corp's 群发规则 is stricter or butlers also
    /// mass-send by hand.
    pub group_monthly_quota: Option<u32>,
    /// Policies in one group digest (WeCom allows 9 attachments: one card each).
    pub digest_max_policies: u32,
    /// An unconfirmed mass-send is reminded once, this many hours after it was created.
    pub remind_after_hours: u32,
}

/// Deadlines in working days (docs/design.md section 3), overridable per environment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandSettings {
    /// Accept (or reject) within this many working days of submission.
    pub accept_days: u32,
    /// A unit signs within this many working days of dispatch.
    pub sign_days: u32,
    /// A unit replies within this many working days of dispatch.
    pub reply_days: u32,
    /// A unit may return a misrouted demand within this many working days of dispatch.
    pub return_days: u32,
    /// Longest extension a unit may ask for, in working days.
    pub max_extension_days: u32,
    /// A reply not rated within this many days is closed unrated.
    pub auto_close_days: u32,
    /// Per-environment overrides, e.g. `legal = { reply_days = 10 }`.
    pub environments: std::collections::HashMap<String, DeadlineOverride>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineOverride {
    /// `accept_days` for demands of this environment (`service`, `policy`, `legal`, ...).
    pub accept_days: Option<u32>,
    /// `sign_days` for this environment.
    pub sign_days: Option<u32>,
    /// `reply_days` for this environment.
    pub reply_days: Option<u32>,
}

impl DemandSettings {
    fn pick(&self, environment: Six, f: impl Fn(&DeadlineOverride) -> Option<u32>, default: u32) -> u32 {
        self.environments.get(environment.code()).and_then(f).unwrap_or(default)
    }
    pub fn accept_days(&self, environment: Six) -> u32 {
        self.pick(environment, |o| o.accept_days, self.accept_days)
    }
    pub fn sign_days(&self, environment: Six) -> u32 {
        self.pick(environment, |o| o.sign_days, self.sign_days)
    }
    pub fn reply_days(&self, environment: Six) -> u32 {
        self.pick(environment, |o| o.reply_days, self.reply_days)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadSettings {
    /// Where uploaded files are kept (local disk storage).
    pub dir: String,
    /// Largest upload, in bytes.
    pub max_bytes: usize,
    /// Largest enterprise import file (CSV or Excel), in bytes.
    pub import_max_bytes: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSettings {
    /// Run the scheduled jobs in this process (they fire once across replicas).
    pub enabled: bool,
    /// Cron (with seconds, Asia/Shanghai) of the overdue supervision job.
    pub overdue_cron: String,
    /// Cron of the subscribe-message delivery worker.
    pub delivery_cron: String,
    /// Cron of the job that closes replies nobody rated.
    pub auto_close_cron: String,
    /// Cron of the job that opens and closes events at their window's times.
    pub events_cron: String,
    /// The daily digest of new policy matches (Asia/Shanghai).
    pub policy_digest_cron: String,
    /// Sends the group pushes waiting in the outbox.
    pub webhook_cron: String,
    /// The weekly 「企业之声」 report of the week just ended (Monday 09:00, Asia/Shanghai).
    pub weekly_report_cron: String,
    /// The monthly report of the month just ended (the 1st, 09:00).
    pub monthly_report_cron: String,
    /// Flags the action-plan items past their deadline and tells their units (weekly).
    pub plan_overdue_cron: String,
    /// Folds the demand changes into the kept figures (a read adds those not yet folded).
    pub tally_cron: String,
    /// Reports go to the active WeCom groups carrying this tag (the administration's own group).
    pub report_group_tag: String,
    /// A group push claimed longer ago than this belongs to a worker that died mid-send; it
    /// is marked `uncertain` (never resent on its own). Longer than any one send can take.
    pub stale_claim_secs: u64,
}

/// Subscribe-message templates by purpose.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeTemplates {
    /// 诉求已受理: a demand accepted.
    pub demand_accepted: Option<SubscribeTemplate>,
    /// 诉求已答复: a reply to rate.
    pub demand_replied: Option<SubscribeTemplate>,
    /// 评价提醒: a reply still not rated, two days before it closes unrated.
    pub rate_reminder: Option<SubscribeTemplate>,
    /// 新工单待处理 (staff): a new demand to accept, or one dispatched to the unit.
    pub work_new: Option<SubscribeTemplate>,
    /// 工单超期 (staff): a deadline passed, or supervision.
    pub work_overdue: Option<SubscribeTemplate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscribeTemplate {
    /// The template id from the mini-program console.
    pub template_id: String,
    /// The data key of the title field, e.g. `thing1`.
    pub title_key: String,
    /// The data key of the status field, e.g. `phrase2`.
    pub status_key: String,
    /// The data key of the time field, e.g. `time3`.
    pub time_key: String,
    /// The data key of the note field, e.g. `thing4`.
    pub note_key: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to bind; `127.0.0.1` by default, `0.0.0.0` behind a load balancer.
    pub host: String,
    /// Port to bind; 0 picks a free one (tests).
    pub port: u16,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Largest request body accepted, in bytes (JSON bodies; uploads have their own limit).
    pub max_body_bytes: usize,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
}

impl ServerSettings {
    /// The request workers this server runs: `workers`, or one per core when 0.
    pub fn worker_threads(&self) -> usize {
        match self.workers {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
    }
}

/// Requests per window per person in each action bucket; an address gets `ip_factor` times
/// as many. Counted in Redis when configured, in process otherwise.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSettings {
    /// Count requests and refuse those over a limit (429).
    pub enabled: bool,
    /// The window the limits count in, in seconds.
    pub window_secs: u64,
    /// `POST /auth/...`
    pub sign_in: u32,
    /// Every other write.
    pub writes: u32,
    /// `POST /files` and imports.
    pub uploads: u32,
    /// The WeCom callbacks (counted by address: WeCom's servers).
    pub bot_callbacks: u32,
    /// A client address gets this many times a person's limit.
    pub ip_factor: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://data/qinqing.db?mode=rwc` (embedded default) or `postgres://user:pass@host/db`.
    pub url: SecretString,
    /// Connections in this process's pool.
    pub max_connections: u32,
    /// Seconds to wait for a pooled connection before answering 503.
    pub acquire_timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisSettings {
    /// `redis://127.0.0.1:6379`; unset means the in-process cache (one replica only).
    pub url: Option<SecretString>,
    /// Prefix of every key, so deployments (and tests) can share one Redis.
    pub key_prefix: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// HS256 key for access tokens; at least 32 characters in production.
    pub jwt_secret: SecretString,
    /// The tokens' `iss` claim.
    pub issuer: String,
    /// The tokens' `aud` claim.
    pub audience: String,
    /// Access token lifetime (seconds); 15 minutes by default.
    pub access_ttl_secs: u64,
    /// Refresh token lifetime (days); rotated on every use.
    pub refresh_ttl_days: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WechatSettings {
    /// Development mode: sign-in accepts `dev:<name>` codes without calling WeChat, and phone
    /// binding accepts `dev:<phone>`. Refused in production.
    pub dev_mode: bool,
    /// Mini-program AppID (required in production).
    pub app_id: Option<String>,
    /// Mini-program AppSecret (required in production).
    pub app_secret: Option<SecretString>,
    /// WeChat API base URL; tests point it at a local mock.
    pub api_base_url: String,
    /// Timeout of one call to WeChat, in milliseconds.
    pub timeout_ms: u64,
    /// The subscribe-message template for demand progress; unset means in-app notices only.
    pub demand_template: Option<SubscribeTemplate>,
    /// The subscribe-message template for new policies; unset means in-app notices only.
    pub policy_template: Option<SubscribeTemplate>,
    /// Templates by purpose, asked for together where it fits (at most three in one prompt):
    /// each unset one falls back to `demand_template` for people who file, and to nothing for
    /// staff.
    pub templates: PurposeTemplates,
    /// `developer`, `trial` or `formal`: which version of the mini-program a message opens.
    pub miniprogram_state: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `pretty` for people, `json` for log collectors.
    pub format: LogFormat,
    /// A tracing filter, e.g. `info` or `api=debug,sqlx=warn`.
    pub filter: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The built-in defaults: everything a fresh clone needs to run with no configuration
/// (`docs/configuration.md` lists them; a test holds the two together).
pub fn default_values() -> serde_json::Value {
    serde_json::json!({
        "env": "development",
        "rate_limit": {
            "enabled": true,
            "window_secs": 60,
            "sign_in": 20,
            "writes": 120,
            "uploads": 30,
            "bot_callbacks": 1200,
            "ip_factor": 20
        },
        "server": {
            "trust_forwarded_for": false,
            "host": "127.0.0.1",
            "port": 8080,
            "workers": 0,
            "max_body_bytes": 256 * 1024,
            "shutdown_timeout_secs": 30
        },
        "database": {
            "url": "sqlite://data/qinqing.db?mode=rwc",
            "max_connections": 10,
            "acquire_timeout_secs": 5
        },
        "redis": { "key_prefix": "qinqing:" },
        "auth": {
            "jwt_secret": DEV_JWT_SECRET,
            "issuer": "qinqing",
            "audience": "qinqing-miniprogram",
            "access_ttl_secs": 15 * 60,
            "refresh_ttl_days": 30
        },
        "wechat": {
            "dev_mode": true,
            "api_base_url": "https://api.weixin.qq.com",
            "timeout_ms": 5000,
            "miniprogram_state": "formal",
            "templates": {}
        },
        "wecom": {
            "app_token": "QDG6eK",
            "app_aes_key": WECOM_SAMPLE_AES_KEY,
            "corp_id": "wx5823bf96d3bd56c7",
            "robot_token": "QDG6eK",
            "robot_aes_key": WECOM_SAMPLE_AES_KEY,
            "max_clock_skew_secs": 300,
            "webhook_base_url": "https://qyapi.weixin.qq.com",
            "webhook_per_window": 20,
            "webhook_window_secs": 60,
            "api_base_url": "https://qyapi.weixin.qq.com",
            "timeout_ms": 3000,
            "digest_max_policies": 9,
            "remind_after_hours": 4
        },
        "demands": {
            "accept_days": 1,
            "sign_days": 1,
            "reply_days": 5,
            "return_days": 2,
            "max_extension_days": 10,
            "auto_close_days": 7,
            "environments": {}
        },
        "callbacks": { "due_working_days": DEFAULT_CALLBACK_DAYS, "max_attempts": 3 },
        "inspections": { "quarter_limit": 3 },
        "uploads": { "dir": "data/uploads", "max_bytes": 10 * 1024 * 1024, "import_max_bytes": 32 * 1024 * 1024 },
        "jobs": {
            "enabled": true,
            "overdue_cron": "0 5 * * * *",
            "delivery_cron": "*/15 * * * * *",
            "auto_close_cron": "0 30 2 * * *",
            "events_cron": "0 * * * * *",
            "policy_digest_cron": "0 0 18 * * *",
            "webhook_cron": "*/10 * * * * *",
            "weekly_report_cron": "0 0 9 * * Mon",
            "monthly_report_cron": "0 0 9 1 * *",
            "plan_overdue_cron": "0 30 8 * * Mon",
            "tally_cron": "*/10 * * * * *",
            "stale_claim_secs": 120,
            "report_group_tag": "管理群"
        },
        "console": { "dir": "console/dist" },
        "telephony": { "token": DEV_TELEPHONY_TOKEN },
        "sms": {
            "endpoint": "https://sms.tencentcloudapi.com",
            "region": "ap-guangzhou",
            "timeout_ms": 5000,
            "daily_cap": 5,
            "templates": {}
        },
        "bootstrap_admins": [],
        "log": { "format": "pretty", "filter": "info,sqlx=warn,sea_orm=warn" }
    })
}

/// Why the settings cannot be used; names the setting to fix.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("invalid configuration: {0}")]
    Parse(#[from] Box<figment::Error>),
    #[error("refusing to start in production: {}", .0.join("; "))]
    UnsafeForProduction(Vec<String>),
}

impl Settings {
    /// Reads the layers from the real process environment.
    pub fn load() -> Result<Self, SettingsError> {
        let file = std::env::var("QINQING_CONFIG").unwrap_or_else(|_| "qinqing.toml".to_owned());
        let settings: Settings = Figment::from(Serialized::defaults(default_values()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("QINQING_").split("__").ignore(&["config"]))
            .extract()
            .map_err(Box::new)?;
        settings.check()?;
        Ok(settings)
    }

    /// The defaults alone (tests start from these).
    pub fn defaults() -> Result<Self, SettingsError> {
        Ok(Figment::from(Serialized::defaults(default_values()))
            .extract()
            .map_err(Box::new)?)
    }

    pub fn is_production(&self) -> bool {
        self.env == Environment::Production
    }

    /// Whether the demo data set is loaded at start.
    pub fn demo_data_enabled(&self) -> bool {
        self.demo_data.unwrap_or(!self.is_production())
    }

    /// Production refuses unsafe settings, each named by the variable that fixes it.
    pub fn check(&self) -> Result<(), SettingsError> {
        if !self.is_production() {
            return Ok(());
        }
        let mut problems = Vec::new();
        if self.wechat.dev_mode {
            problems.push("WeChat development mode is on (set QINQING_WECHAT__DEV_MODE=false)".to_owned());
        }
        let secret = self.auth.jwt_secret.expose_secret();
        if secret == DEV_JWT_SECRET {
            problems.push("the JWT secret is the development default (set QINQING_AUTH__JWT_SECRET)".to_owned());
        } else if secret.chars().count() < 32 {
            problems.push("the JWT secret is shorter than 32 characters (QINQING_AUTH__JWT_SECRET)".to_owned());
        }
        if self.wechat.app_id.as_deref().is_none_or(str::is_empty) {
            problems.push("the WeChat app id is missing (set QINQING_WECHAT__APP_ID)".to_owned());
        }
        if self
            .wechat
            .app_secret
            .as_ref()
            .is_none_or(|s| s.expose_secret().is_empty())
        {
            problems.push("the WeChat app secret is missing (set QINQING_WECHAT__APP_SECRET)".to_owned());
        }
        if !self.database.url.expose_secret().starts_with("postgres") {
            problems.push("the database is not PostgreSQL (set QINQING_DATABASE__URL=postgres://…)".to_owned());
        }
        if self.redis.url.is_none() {
            problems.push("Redis is not configured (set QINQING_REDIS__URL=redis://…)".to_owned());
        }
        if self
            .telephony
            .token
            .as_ref()
            .is_some_and(|t| t.expose_secret() == DEV_TELEPHONY_TOKEN)
        {
            problems.push(
                "the phone system's token is the development default (set QINQING_TELEPHONY__TOKEN, or to empty to refuse every event)"
                    .to_owned(),
            );
        }
        let sms = &self.sms;
        if sms.secret_id.is_some() && (sms.secret_key.is_none() || sms.sdk_app_id.is_none() || sms.sign_name.is_none())
        {
            problems.push(
                "SMS is half configured (set QINQING_SMS__SECRET_KEY, QINQING_SMS__SDK_APP_ID and QINQING_SMS__SIGN_NAME, or unset QINQING_SMS__SECRET_ID)"
                    .to_owned(),
            );
        }
        if self.demo_data == Some(true) {
            problems.push("demo data is switched on (unset QINQING_DEMO_DATA)".to_owned());
        }
        for (key, name) in [
            (&self.wecom.app_aes_key, "QINQING_WECOM__APP_AES_KEY"),
            (&self.wecom.robot_aes_key, "QINQING_WECOM__ROBOT_AES_KEY"),
        ] {
            if key.expose_secret() == WECOM_SAMPLE_AES_KEY {
                problems.push(format!("the WeCom key is Tencent's published sample (set {name})"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(SettingsError::UnsafeForProduction(problems))
        }
    }

    /// A one-line description for the start-up log, without secrets.
    pub fn summary(&self) -> String {
        format!(
            "env={:?} bind={}:{} database={} redis={} wechat_dev_mode={}",
            self.env,
            self.server.host,
            self.server.port,
            redact_url(self.database.url.expose_secret()),
            self.redis
                .url
                .as_ref()
                .map_or_else(|| "in-process".to_owned(), |u| redact_url(u.expose_secret())),
            self.wechat.dev_mode
        )
    }
}

/// Drops the password from a connection URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}://{}:***@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// Accepts `"a,b"`, a single scalar, or a list (environment variables give strings).
fn comma_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        List(Vec<Scalar>),
        One(Scalar),
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        Str(String),
        Int(i64),
    }
    impl fmt::Display for Scalar {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Scalar::Str(s) => f.write_str(s),
                Scalar::Int(i) => write!(f, "{i}"),
            }
        }
    }
    let items = match Raw::deserialize(deserializer)? {
        Raw::List(items) => items.iter().map(ToString::to_string).collect::<Vec<_>>(),
        Raw::One(one) => one.to_string().split(',').map(str::to_owned).collect(),
    };
    Ok(items
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn production() -> Settings {
        let mut s = Settings::defaults().unwrap();
        s.env = Environment::Production;
        s.wechat.dev_mode = false;
        s.auth.jwt_secret = SecretString::from("x".repeat(40));
        s.wechat.app_id = Some("wx123".into());
        s.wechat.app_secret = Some(SecretString::from("secret"));
        s.database.url = SecretString::from("postgres://u:p@localhost/q");
        s.redis.url = Some(SecretString::from("redis://127.0.0.1:6379"));
        s.wecom.app_aes_key = SecretString::from("a".repeat(43));
        s.wecom.robot_aes_key = SecretString::from("b".repeat(43));
        s.telephony.token = Some(SecretString::from("the-pbx-token"));
        s
    }

    #[test]
    fn defaults_run_in_development() {
        let s = Settings::defaults().unwrap();
        assert!(s.check().is_ok());
        assert!(s.demo_data_enabled());
        assert_eq!(s.server.port, 8080);
    }

    #[test]
    fn a_safe_production_configuration_passes() {
        let s = production();
        assert!(s.check().is_ok());
        assert!(!s.demo_data_enabled());
    }

    #[test]
    fn production_names_each_unsafe_setting() {
        type Breaker = fn(&mut Settings);
        let cases: [(Breaker, &str); 10] = [
            (|s| s.wechat.dev_mode = true, "QINQING_WECHAT__DEV_MODE"),
            (
                |s| s.auth.jwt_secret = SecretString::from(DEV_JWT_SECRET),
                "QINQING_AUTH__JWT_SECRET",
            ),
            (|s| s.auth.jwt_secret = SecretString::from("short"), "shorter than 32"),
            (|s| s.wechat.app_id = None, "QINQING_WECHAT__APP_ID"),
            (|s| s.wechat.app_secret = None, "QINQING_WECHAT__APP_SECRET"),
            (|s| s.redis.url = None, "QINQING_REDIS__URL"),
            (|s| s.demo_data = Some(true), "QINQING_DEMO_DATA"),
            (
                |s| s.wecom.app_aes_key = SecretString::from(WECOM_SAMPLE_AES_KEY),
                "QINQING_WECOM__APP_AES_KEY",
            ),
            (
                |s| s.wecom.robot_aes_key = SecretString::from(WECOM_SAMPLE_AES_KEY),
                "QINQING_WECOM__ROBOT_AES_KEY",
            ),
            (
                |s| s.telephony.token = Some(SecretString::from(DEV_TELEPHONY_TOKEN)),
                "QINQING_TELEPHONY__TOKEN",
            ),
        ];
        for (break_it, expected) in cases {
            let mut s = production();
            break_it(&mut s);
            let err = s.check().unwrap_err().to_string();
            assert!(err.contains(expected), "{err} should mention {expected}");
        }
    }

    #[test]
    fn debug_output_never_contains_secrets() {
        let s = production();
        let printed = format!("{s:?} {}", s.summary());
        assert!(!printed.contains(&"x".repeat(40)));
        assert!(!printed.contains("u:p@"));
    }

    #[test]
    fn redact_url_hides_the_password() {
        assert_eq!(
            redact_url("postgres://app:hunter2@db:5432/q"),
            "postgres://app:***@db:5432/q"
        );
        assert_eq!(redact_url("sqlite://data/q.db"), "sqlite://data/q.db");
    }

    #[test]
    fn bootstrap_admins_accept_a_comma_separated_string() {
        let s: Settings = Figment::from(Serialized::defaults(default_values()))
            .merge(Serialized::default("bootstrap_admins", " oid-a, oid-b ,,"))
            .extract()
            .unwrap();
        assert_eq!(s.bootstrap_admins, vec!["oid-a", "oid-b"]);
    }
}

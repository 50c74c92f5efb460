//! The application: database and migrations, cache, clients, the route map and middleware.
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers, Next, from_fn};
use actix_web::{App, HttpMessage, HttpResponse, HttpServer, ResponseError, web};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use anyhow::Context;
use migration::MigratorTrait;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use secrecy::ExposeSecret;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa::OpenApi as _;
use utoipa_actix_web::AppExt;

use crate::auth::jwt::JwtKeys;
use crate::cache::Cache;
use crate::clients::wechat::WechatClient;
use crate::error::ApiError;
use crate::jobs;
use crate::method_table::MethodTable;
use crate::routes;
use crate::service::files::LocalDisk;
use crate::service::{calendar, demo};
use crate::settings::Settings;
use crate::state::AppState;

pub struct Application {
    port: u16,
    state: web::Data<AppState>,
    server: Server,
    /// Kept alive while the server runs.
    _scheduler: Option<tokio_cron_scheduler::JobScheduler>,
}

/// Connects and migrates, then makes the demand tallies if their definition changed
/// (`service::tallies`). On PostgreSQL both run under an advisory lock, so replicas starting
/// together do not race.
pub async fn connect_database(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.database.url.expose_secret().to_owned();
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or_default();
        if let Some(dir) = std::path::Path::new(file)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    let mut options = pool_options(settings, settings.database.max_connections);
    options.min_connections(1);
    let db = Database::connect(options).await.context("connecting to the database")?;
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    const LOCK: &str = "SELECT pg_advisory_lock(7202611280)";
    const UNLOCK: &str = "SELECT pg_advisory_unlock(7202611280)";
    if postgres {
        // One connection holds the lock for the whole migration: a pool of one, so the lock,
        // every migration and the unlock are one session's (a session's advisory lock is not
        // another's to release).
        let mut one = ConnectOptions::new(settings.database.url.expose_secret().to_owned());
        one.max_connections(1)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(settings.database.acquire_timeout_secs))
            .sqlx_logging(false);
        let conn = Database::connect(one).await?;
        conn.execute_unprepared(LOCK).await?;
        let result = match migration::Migrator::up(&conn, None).await {
            Ok(()) => crate::service::tallies::install(&conn)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}").context("making the demand tallies")),
            Err(e) => Err(anyhow::Error::from(e).context("running migrations")),
        };
        conn.execute_unprepared(UNLOCK).await?;
        conn.close().await?;
        result?;
    } else {
        migration::Migrator::up(&db, None).await.context("running migrations")?;
        crate::service::tallies::install(&db)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}").context("making the demand tallies"))?;
    }
    Ok(db)
}

/// The pool's settings: at most `max_connections`, opened as needed.
fn pool_options(settings: &Settings, max_connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(settings.database.url.expose_secret().to_owned());
    options
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(settings.database.acquire_timeout_secs))
        .connect_timeout(Duration::from_secs(settings.database.acquire_timeout_secs))
        .sqlx_logging(false)
        // A connection is pinged before use only after 30 s idle (one a server, proxy or
        // firewall may have dropped), not on every acquire: that ping is a round trip of its
        // own, a second one for a list that is one statement.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        // PostgreSQL: no JIT. It compiles a plan whose estimate passes `jit_above_cost` (the
        // figures' reads over the tallies do) for tens of milliseconds, paid by a request
        // otherwise answered in ten: the league table's p99 at a million demands went from
        // 93.5 ms to 15.6 ms without it (docs/benchmarks.md).
        .map_sqlx_postgres_opts(|o| o.options([("jit", "off")]))
        // SQLite: sorts for grouped figures stay in memory, and a writer waits for another
        // instead of failing at once.
        .map_sqlx_sqlite_opts(|o| {
            o.pragma("temp_store", "memory")
                .pragma("cache_size", "-32000")
                .busy_timeout(Duration::from_secs(5))
        });
    options
}

/// A request worker's own pool (PostgreSQL), opened lazily on the worker's runtime. A
/// connection's socket answers to the runtime that opened it: with one pool for all the
/// workers, a worker using a connection another opened is woken through that one's thread on
/// every statement. The workers split `max_connections` between them (at least one each); the
/// shared pool serves the start-up and the jobs.
async fn worker_pool(settings: &Settings) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let workers = u32::try_from(settings.server.worker_threads()).unwrap_or(u32::MAX);
    let share = (settings.database.max_connections / workers.max(1)).max(1);
    let mut options = pool_options(settings, share);
    options.connect_lazy(true);
    Database::connect(options).await
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        settings.check()?;
        let settings = Arc::new(settings);
        tracing::info!(settings = %settings.summary(), "starting");
        if settings.wechat.dev_mode {
            tracing::warn!(
                "⚠ WECHAT DEVELOPMENT MODE: sign-in accepts `dev:<name>` codes WITHOUT WeChat. \
                 Never expose this server to real users; production refuses to start this way."
            );
        }
        let db = connect_database(&settings).await?;
        if settings.demo_data_enabled() && demo::load_once(&db).await.map_err(|e| anyhow::anyhow!("{e:?}"))? {
            tracing::info!("demo data loaded (sign in with dev:demo-admin, dev:demo-butler, dev:demo-enterprise, ...)");
        }
        if calendar::ensure_defaults(&db)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?
        {
            tracing::info!("loaded the official 2026 holiday calendar");
        }
        let cal = calendar::load(&db).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        if let Some(warning) = cal.coverage_warning(crate::types::today()) {
            tracing::warn!("calendar: {warning}");
        }
        let cache = match &settings.redis.url {
            Some(url) => Cache::redis(url.expose_secret(), &settings.redis.key_prefix)
                .await
                .context("connecting to Redis")?,
            None => Cache::memory(&settings.redis.key_prefix),
        };
        let policies = Arc::new(crate::search::PolicyIndex::new().context("creating the policy search index")?);
        let indexed = crate::service::policies::rebuild_index(&db, &policies)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        tracing::info!(policies = indexed, "policy search index built");
        let wechat = WechatClient::new(&settings.wechat, cache.clone()).context("building the WeChat client")?;
        let sms = crate::clients::sms::SmsClient::new(&settings.sms).context("building the SMS client")?;
        let wecom = crate::clients::wecom::WecomClient::new(&settings.wecom, cache.clone())
            .context("building the WeCom client")?;
        if !wecom.is_configured() {
            tracing::warn!(
                "WeCom app secret not set: customer groups, mass-sends and 微信客服 run in DEVELOPMENT MODE (logged, not sent)"
            );
        }
        let state = web::Data::new(AppState {
            db,
            jwt: JwtKeys::new(&settings.auth),
            settings: settings.clone(),
            cache: cache.clone(),
            wechat,
            wecom,
            sms,
            files: Arc::new(LocalDisk::new(&settings.uploads.dir)),
            policy_rules: Arc::default(),
            policies,
            limiter: Arc::new(crate::ratelimit::Limiter::new(
                cache.clone(),
                settings.rate_limit.clone(),
            )),
            roles: Arc::new(crate::auth::roles::cache()),
            enterprises: Arc::new(crate::service::enterprises::copies()),
            calendar: Arc::new(calendar::copy()),
            breaker: Arc::default(),
            answers: Arc::default(),
            leases: Arc::default(),
        });
        let scheduler = if settings.jobs.enabled {
            Some(jobs::start(state.clone()).await?)
        } else {
            None
        };

        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))
            .with_context(|| format!("binding {}:{}", settings.server.host, settings.server.port))?;
        let port = listener.local_addr()?.port();
        let metrics = PrometheusMetricsBuilder::new("qinqing")
            .endpoint("/metrics")
            .mask_unmatched_patterns("UNMATCHED")
            // The console's files are not the API: counting each asset would only add noise.
            .exclude_regex("^/console")
            .build()
            .map_err(|e| anyhow::anyhow!("building metrics: {e}"))?;
        let app_state = state.clone();
        // As many workers as `worker_pool` splits the connections between.
        let server = HttpServer::new(move || app(state.clone(), metrics.clone()))
            .workers(settings.server.worker_threads())
            .listen(listener)?
            .shutdown_timeout(settings.server.shutdown_timeout_secs);
        let host = if settings.server.host == "0.0.0.0" {
            "127.0.0.1"
        } else {
            settings.server.host.as_str()
        };
        tracing::info!(
            "listening on http://{host}:{port} — API docs at /api-docs; point the mini-program's config.ts apiBaseUrl at http://{host}:{port}/api/v1"
        );
        Ok(Self {
            port,
            state: app_state,
            server: server.run(),
            _scheduler: scheduler,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state, for running jobs' `run_once` from tests and tools.
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Runs until SIGTERM/SIGINT, then lets in-flight requests finish.
    /// Serves until stopped (SIGTERM or Ctrl-C: in-flight requests finish), then stops the
    /// jobs and gives back their leases.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        if let Some(mut scheduler) = self._scheduler
            && let Err(err) = scheduler.shutdown().await
        {
            tracing::warn!(error = %err, "stopping the job scheduler");
        }
        crate::jobs::release_leases(&self.state).await;
        result
    }
}

/// The OpenAPI document, built from the same route map the server runs.
pub fn openapi() -> utoipa::openapi::OpenApi {
    App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(routes::health::healthz)
        .service(routes::health::readyz)
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::api_v1))
        .split_for_parts()
        .1
        .with_idempotent_writes()
}

/// Documents `Idempotency-Key` on every write under `/api/v1` (see `idempotent`).
trait IdempotentWrites {
    fn with_idempotent_writes(self) -> Self;
}

impl IdempotentWrites for utoipa::openapi::OpenApi {
    fn with_idempotent_writes(mut self) -> Self {
        use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
        let header = || -> Parameter {
            ParameterBuilder::new()
                .name(crate::idempotent::HEADER)
                .parameter_in(ParameterIn::Header)
                .required(utoipa::openapi::Required::False)
                .description(Some(
                    "写操作可带：24 小时内以同一键重复请求，返回第一次的结果且不再执行（1–128 个可见 ASCII 字符，如 UUID）",
                ))
                .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String)))
                .build()
        };
        for (path, item) in self.paths.paths.iter_mut() {
            if !path.starts_with("/api/v1/") || crate::idempotent::CHANGES_NOTHING.contains(&path.as_str()) {
                continue;
            }
            for op in [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete]
                .into_iter()
                .flatten()
            {
                let params = op.parameters.get_or_insert_with(Vec::new);
                let named = |p: &utoipa::openapi::RefOr<Parameter>| matches!(p, utoipa::openapi::RefOr::T(p) if p.name == crate::idempotent::HEADER);
                if !params.iter().any(named) {
                    params.push(utoipa::openapi::RefOr::T(header()));
                }
            }
        }
        self
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "亲清 Qinqing API",
        description = "政企互动平台接口。JSON 字段为 camelCase，ID 为字符串，时间为带时区的 RFC 3339，列表用游标分页（`?cursor=&limit=` → `{items, nextCursor}`）。\n\n错误统一为 `{\"error\": \"<code>\", \"message\": \"<中文说明>\", \"fields\": [...]}`。\n\n认证：`Authorization: Bearer <accessToken>`（15 分钟），用 `/api/v1/auth/refresh` 轮换。"
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        openapi.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
    }
}

fn app(
    state: web::Data<AppState>,
    metrics: PrometheusMetrics,
) -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let max_body = state.settings.server.max_body_bytes;
    let mode = if state.settings.wechat.dev_mode {
        "development"
    } else {
        "production"
    };
    let app = App::new().into_utoipa_app().openapi(ApiDoc::openapi());
    let app = if state.db.get_database_backend() == DbBackend::Postgres {
        // This worker's own pool (`worker_pool`); everything else is shared.
        app.data_factory(move || {
            let shared = state.clone();
            async move {
                worker_pool(&shared.settings).await.map(|db| AppState {
                    db,
                    ..AppState::clone(&shared)
                })
            }
        })
    } else {
        // SQLite: one pool, whose connections take turns writing the file.
        app.app_data(state)
    };
    let (app, api) = app
        .app_data(web::PayloadConfig::new(max_body))
        .app_data(
            web::PathConfig::default().error_handler(|_, _| ApiError::not_found("not_found", "资源不存在").into()),
        )
        .service(routes::health::healthz)
        .service(routes::health::readyz)
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::api_v1))
        .split_for_parts();
    let api = api.with_idempotent_writes();
    let methods = web::Data::new(MethodTable::from_openapi(&api));
    let api_json = web::Data::new(api.clone());
    app.app_data(api_json)
        .app_data(methods)
        .route("/api-docs/openapi.json", web::get().to(openapi_json))
        .route("/api-docs", web::get().to(routes::docs::page))
        .route("/api-docs/rapidoc-min.js", web::get().to(routes::docs::script))
        .route("/console", web::get().to(routes::console::redirect))
        .route("/console/{tail:.*}", web::get().to(routes::console::serve))
        .default_service(web::to(fallback))
        // Outermost last: metrics and the request id see every response, including errors.
        .wrap(from_fn(crate::answers::published_writes))
        .wrap(from_fn(crate::idempotent::writes))
        .wrap(from_fn(crate::breaker::guard))
        .wrap(from_fn(crate::audit::admin_writes))
        .wrap(from_fn(crate::ratelimit::limit))
        .wrap(ErrorHandlers::new().default_handler(json_error_body))
        // Set on every response that has not set its own: no response is a page that runs
        // anything (the HTML ones bring their own policy).
        .wrap(
            DefaultHeaders::new()
                .add((HeaderName::from_static("x-qinqing-mode"), mode))
                .add((header::CONTENT_SECURITY_POLICY, DEFAULT_CSP))
                .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .add((header::REFERRER_POLICY, "no-referrer")),
        )
        .wrap(from_fn(echo_request_id))
        .wrap(from_fn(method_override))
        .wrap(TracingLogger::<crate::telemetry::PrivateSpans>::new())
        .wrap(metrics)
}

/// The content-security policy of responses that are not pages (JSON, files).
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// No route matched: 405 with `Allow` when the path exists under other methods, else 404.
async fn fallback(req: actix_web::HttpRequest, methods: web::Data<MethodTable>) -> HttpResponse {
    match methods.allowed(req.path()) {
        Some(allowed) => {
            let mut response = ApiError::MethodNotAllowed.error_response();
            if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        None => ApiError::not_found("not_found", "接口不存在").error_response(),
    }
}

async fn openapi_json(api: web::Data<utoipa::openapi::OpenApi>) -> HttpResponse {
    HttpResponse::Ok().json(api.get_ref())
}

/// `wx.request` cannot send PATCH: a POST with `X-HTTP-Method-Override: PATCH` is routed as
/// PATCH. Only that one rewrite is allowed, so the header cannot turn a read into a write.
async fn method_override(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let wants_patch = req
        .headers()
        .get("x-http-method-override")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("PATCH"));
    if wants_patch && req.method() == actix_web::http::Method::POST {
        req.head_mut().method = actix_web::http::Method::PATCH;
    }
    next.call(req).await
}

/// Sends the request id of the log line back as `X-Request-Id`.
async fn echo_request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id: String| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// Any error response not already in the API's JSON shape (actix's own 404/405/413 and
/// extractor errors) is rewritten into it.
fn json_error_body<B: MessageBody + 'static>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    // Our own error pages (JSON, or an HTML page that says what to do) pass as they are.
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let error = match status.as_u16() {
        404 => ApiError::not_found("not_found", "接口不存在"),
        405 => ApiError::MethodNotAllowed,
        413 => ApiError::PayloadTooLarge,
        415 => ApiError::UnsupportedMediaType,
        429 => ApiError::TooManyRequests { retry_after_secs: 1 },
        400..=499 => ApiError::bad_request("bad_request", "请求有误"),
        _ => ApiError::internal(anyhow::anyhow!("unshaped {status} response")),
    };
    let (req, _) = res.into_parts();
    let mut response = error.error_response();
    // Keep the original status (e.g. 401 from an extractor that is not ours).
    *response.status_mut() = status;
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

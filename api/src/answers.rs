//! This replica's copies of whole answers to the reads asked most: a person's demand list, a
//! demand's detail, the queue's counts, the figures, the dashboard's demand panels and policy
//! search (what `copies` does for rows, for answers). An answer is kept by who asked (the person and their
//! roles) and what (path and query), and used only while nothing was written since it was
//! read, on any replica, and for at most `LIFE` (5 s):
//!
//! - **Writes, on every replica.** A request that changes something (`idempotent::is_change`)
//!   and was not refused, and a job run that wrote demands, bump this process's count and, when
//!   the cache is Redis, the replicas' shared count, before the answer leaves (`publish`): the
//!   next read on any replica reads the database again. The writers of demands in
//!   `service::demands`, and the policy index as it takes a change, also bump this process's
//!   count as they write (`WRITES`), so a job run by hand or a test sees its change at once. A read takes both counts before reading (one
//!   Redis `GET`), so an answer read while a write was under way is never kept as current.
//! - **Identities audited on every use.** An answer that shows who is behind an anonymous demand
//!   keeps the ids it revealed, and each use of it writes the audit entries a read of the
//!   database writes (`demands::reading::audit`).
//! - **Time.** A deadline's remaining time, what is due soon, and anything written on another
//!   replica outside a request or a job, are at most `LIFE` old; an answer past half its life is
//!   read again in the background while it still serves (`copies`).
//! - Redis unreachable (or failed within the last 5 s, `REST`): reads go to the database, and a
//!   write's bump is skipped.
//!
//! Any write invalidates every answer: simple, and never wrong; at a zone's rate of writes (a
//! few a minute) nearly every read is a copy, and under a province's the reads fall back to the
//! database's rate (docs/benchmarks.md).
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use crate::cache::{Cache, Rest};
use crate::copies::Copies;
use crate::domain::access::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Writes of what the answers show, made by this process.
pub use crate::copies::ANSWERED_WRITES as WRITES;
/// The replicas' shared count of writes (in the cache, when it is Redis).
const SHARED: &str = "answers:writes";
/// Answers kept at most (a list or a detail is a few kilobytes).
const CAPACITY: usize = 1_024;
/// How long an answer serves while nothing is written: what changes without a write (a
/// deadline's remaining time, what is due soon) is at most this old. Longer than `copies::TTL`:
/// the heaviest reads (the queue's counts) take a good part of a second under load, and a copy
/// is read again in the background only past half its life.
pub const LIFE: Duration = Duration::from_secs(5);

/// One answer as kept: the JSON body, and the anonymous demands whose submitter it shows.
#[derive(Clone)]
pub struct Answer {
    body: web::Bytes,
    revealed: Arc<[i64]>,
}

impl Answer {
    pub fn json(value: &impl Serialize) -> ApiResult<Self> {
        let body = serde_json::to_vec(value).map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?;
        Ok(Self {
            body: body.into(),
            revealed: Arc::new([]),
        })
    }

    /// The answer shows who filed the anonymous demands `ids`: each use is audited.
    pub fn revealing(self, ids: Vec<i64>) -> Self {
        Self {
            revealed: ids.into(),
            ..self
        }
    }
}

/// The copies, by who asked and what.
pub struct Answers(Arc<Copies<Answer, String>>);

impl Default for Answers {
    fn default() -> Self {
        Self(Arc::new(Copies::with_life(&WRITES, CAPACITY, LIFE)))
    }
}

/// The answer to `req` for `auth`: the replica's copy (`AppState::answers`) when one is current,
/// else what `read` returns.
pub async fn answer<F, Fut>(state: &AppState, auth: &Principal, req: &HttpRequest, read: F) -> ApiResult<HttpResponse>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ApiResult<Answer>> + Send + 'static,
{
    let copies = &state.answers.0;
    let answer = match shared(&state.cache).await {
        Some(shared) => {
            let key = format!("{}\u{1f}{:?}\u{1f}{}", auth.id, auth.roles, req.uri());
            copies.get_or_read_at(key, copies.stamp(shared), read).await?
        }
        None => read().await?,
    };
    crate::service::demands::reading::audit(&state.db, auth, &answer.revealed).await?;
    Ok(HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(answer.body))
}

/// After Redis failed, the answers leave it alone this long (`cache::Rest`): meanwhile reads go
/// to the database and a write's bump is skipped (the other replicas' copies end within `LIFE`).
static REST: Rest = Rest::new(Duration::from_secs(5));

/// The replicas' count of writes: 0 with the in-process cache (one process), None when Redis
/// does not answer or failed within `REST` (then nothing is kept or used).
async fn shared(cache: &Cache) -> Option<u64> {
    match cache {
        Cache::Memory { .. } => Some(0),
        Cache::Redis { .. } if REST.resting() => None,
        Cache::Redis { .. } => match cache.get(SHARED).await {
            Ok(count) => {
                REST.answered();
                Some(count.and_then(|c| c.parse().ok()).unwrap_or(0))
            }
            Err(err) => {
                REST.failed();
                tracing::warn!(error = %err, "answers: the shared count of writes is unreadable; reading the database");
                None
            }
        },
    }
}

/// Something the answers show was written (and committed): no copy read before serves again,
/// here or on another replica.
pub async fn publish(cache: &Cache) {
    WRITES.bump();
    if let Cache::Redis { .. } = cache
        && !REST.resting()
        && let Err(err) = cache.incr(SHARED).await
    {
        REST.failed();
        // The other replicas' copies still end within `LIFE`.
        tracing::warn!(error = %err, "answers: the shared count of writes was not bumped");
    }
}

/// Publishes every change a request made (a write not refused) before its answer leaves.
pub async fn published_writes<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let change = crate::idempotent::is_change(&req);
    let res = next.call(req).await?;
    if change
        && !res.status().is_client_error()
        && let Some(state) = res.request().app_data::<web::Data<AppState>>()
    {
        publish(&state.cache).await;
    }
    Ok(res)
}

//! Clients of outside HTTP services; each takes its base URL from settings so tests can
//! point it at a local mock.
pub mod sms;
pub mod wechat;
pub mod wecom;

use std::future::Future;
use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::cache::Cache;

/// The HTTP client of an outside service: the whole call within `timeout_ms`, the connection
/// within at most three seconds of it.
pub(crate) fn http(timeout_ms: u64) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .timeout(Duration::from_millis(timeout_ms))
        .connect_timeout(Duration::from_millis(timeout_ms.min(3000)))
        .build()
}

/// What went wrong with an answer of one of Tencent's JSON APIs (WeChat's, WeCom's), before
/// each client sorts it into its own error.
pub(crate) enum Fault {
    /// No answer, a 5xx or 429, or a body that is not what was asked for.
    Transport(String),
    /// A non-zero `errcode`.
    Code { errcode: i64, errmsg: String },
}

#[derive(Deserialize)]
struct ErrorFields {
    #[serde(default)]
    errcode: Option<i64>,
    #[serde(default)]
    errmsg: Option<String>,
}

/// Tencent answers business errors with HTTP 200 and `{errcode, errmsg}`: the body decides.
pub(crate) async fn read_json<T: DeserializeOwned>(
    service: &str,
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, Fault> {
    let response = response.map_err(|e| Fault::Transport(e.to_string()))?;
    let status = response.status();
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(Fault::Transport(format!("HTTP {status}")));
    }
    let bytes = response.bytes().await.map_err(|e| Fault::Transport(e.to_string()))?;
    let fields: ErrorFields = serde_json::from_slice(&bytes)
        .map_err(|e| Fault::Transport(format!("unreadable answer (HTTP {status}): {e}")))?;
    if let Some(errcode) = fields.errcode.filter(|c| *c != 0) {
        let errmsg = fields.errmsg.unwrap_or_default();
        tracing::warn!(errcode, errmsg = %errmsg, service, "the API returned an error");
        return Err(Fault::Code { errcode, errmsg });
    }
    serde_json::from_slice(&bytes).map_err(|e| Fault::Transport(format!("unexpected answer: {e}")))
}

/// A credential (an access token, a ticket) kept in the cache until five minutes before it
/// expires. `stale` is one a call just found invalid: it is dropped (only if still cached) and
/// a fresh one fetched. `fetch` gives the credential and its lifetime in seconds.
pub(crate) async fn cached_credential<E, F: Future<Output = Result<(String, Option<u64>), E>>>(
    cache: &Cache,
    key: &str,
    stale: Option<&str>,
    fetch: impl FnOnce() -> F,
) -> Result<String, E> {
    let cached = cache.get(key).await.unwrap_or_else(|err| {
        tracing::warn!(error = %err, key, "cache unavailable; fetching the credential directly");
        None
    });
    match (cached, stale) {
        (Some(token), Some(bad)) if token == bad => {
            let _ = cache.delete(key).await;
        }
        (Some(token), _) => return Ok(token),
        (None, _) => {}
    }
    let (token, expires_in) = fetch().await?;
    let ttl = expires_in.unwrap_or(7200).saturating_sub(300).max(60);
    if let Err(err) = cache.set(key, &token, Duration::from_secs(ttl)).await {
        tracing::warn!(error = %err, key, "could not cache the credential");
    }
    Ok(token)
}

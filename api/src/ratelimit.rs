//! Rate limits per action bucket (sign-in, writes, uploads, bot callbacks), per person and per
//! client address, in fixed windows counted in the cache: Redis when configured (shared by the
//! replicas), in process otherwise. When Redis cannot be reached the count falls back to this
//! process, so limits degrade instead of failing requests. Over the limit: 429 with
//! `Retry-After`.
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, ResponseError, web};

use crate::auth::extractor::VerifiedToken;
use crate::cache::{Cache, Rest};
use crate::error::ApiError;
use crate::settings::RateLimitSettings;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    SignIn,
    Write,
    Upload,
    BotCallback,
}

impl Bucket {
    pub fn code(self) -> &'static str {
        match self {
            Bucket::SignIn => "sign_in",
            Bucket::Write => "write",
            Bucket::Upload => "upload",
            Bucket::BotCallback => "bot",
        }
    }
}

/// Which bucket a request counts in; reads count in none.
pub fn classify(method: &Method, path: &str) -> Option<Bucket> {
    let api = path.strip_prefix("/api/v1/")?;
    if api.starts_with("bot/wecom/") {
        return Some(Bucket::BotCallback);
    }
    if !matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE) {
        return None;
    }
    if api.starts_with("auth/") {
        Some(Bucket::SignIn)
    } else if api == "files" || api.ends_with("/import") {
        Some(Bucket::Upload)
    } else {
        Some(Bucket::Write)
    }
}

/// After the shared cache fails, this process counts on its own for this long before it asks
/// the shared cache again: a request does not wait for Redis's timeouts while Redis is away.
const SHARED_RETRY: Duration = Duration::from_secs(5);

/// The counters: the shared cache, and this process's own for when the shared one fails.
pub struct Limiter {
    shared: Cache,
    local: Cache,
    settings: RateLimitSettings,
    rest: Rest,
}

impl Limiter {
    pub fn new(shared: Cache, settings: RateLimitSettings) -> Self {
        Limiter {
            shared,
            local: Cache::memory("local:"),
            settings,
            rest: Rest::new(SHARED_RETRY),
        }
    }

    fn limit(&self, bucket: Bucket) -> u32 {
        let s = &self.settings;
        match bucket {
            Bucket::SignIn => s.sign_in,
            Bucket::Write => s.writes,
            Bucket::Upload => s.uploads,
            Bucket::BotCallback => s.bot_callbacks,
        }
    }

    async fn hit(&self, keys: &[&str], window: Duration) -> Vec<(u64, u64)> {
        if self.rest.resting() {
            return self.local_hit(keys, window).await;
        }
        match self.shared.hits(keys, window).await {
            Ok(r) => {
                if self.rest.answered() {
                    tracing::info!("rate limits counted in the shared cache again");
                }
                r
            }
            Err(err) => {
                if self.rest.failed() {
                    tracing::warn!(error = %err, "shared cache unavailable: rate limits counted in this process");
                }
                self.local_hit(keys, window).await
            }
        }
    }

    async fn local_hit(&self, keys: &[&str], window: Duration) -> Vec<(u64, u64)> {
        // The local map cannot fail short of a poisoned lock; then nothing is limited.
        self.local.hits(keys, window).await.unwrap_or_default()
    }

    /// Counts a request; Err(429) when the person or the address is over the bucket's limit.
    /// Anonymous requests count by address only; an address gets `ip_factor` times a
    /// person's limit (several people behind one office gateway).
    pub async fn check(&self, bucket: Bucket, person: Option<i64>, ip: &str) -> Result<(), ApiError> {
        if !self.settings.enabled {
            return Ok(());
        }
        let window = Duration::from_secs(self.settings.window_secs.max(1));
        let limit = u64::from(self.limit(bucket));
        let mut keys = vec![(
            format!("rl:{}:ip:{ip}", bucket.code()),
            limit.saturating_mul(u64::from(self.settings.ip_factor.max(1))),
        )];
        if let Some(id) = person {
            keys.push((format!("rl:{}:u:{id}", bucket.code()), limit));
        }
        // Both counts in one round trip.
        let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        let counts = self.hit(&names, window).await;
        for ((_, max), (count, left_ms)) in keys.iter().zip(counts) {
            if count > *max {
                return Err(ApiError::TooManyRequests {
                    retry_after_secs: left_ms.div_ceil(1000).max(1),
                });
            }
        }
        Ok(())
    }
}

/// The client's address: the peer, or the first `X-Forwarded-For` hop when the server sits
/// behind a trusted proxy (`server.trust_forwarded_for`).
fn client_ip(req: &ServiceRequest, trust_forwarded: bool) -> String {
    let info = req.connection_info();
    let addr = if trust_forwarded {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    addr.unwrap_or("unknown").to_owned()
}

/// The middleware.
pub async fn limit<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let bucket = classify(req.method(), req.path());
    if let (Some(bucket), Some(state)) = (bucket, req.app_data::<web::Data<AppState>>().cloned()) {
        let verified = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(crate::auth::jwt::bearer)
            .and_then(|token| state.jwt.verify(token).ok());
        let person = verified.as_ref().map(|v| v.user_id);
        if let Some(v) = verified {
            req.extensions_mut().insert(VerifiedToken(v));
        }
        let ip = client_ip(&req, state.settings.server.trust_forwarded_for);
        if let Err(err) = state.limiter.check(bucket, person, &ip).await {
            tracing::info!(bucket = bucket.code(), person, "rate limited");
            let response = ResponseError::error_response(&err);
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_fall_in_their_buckets() {
        assert_eq!(classify(&Method::POST, "/api/v1/auth/wechat"), Some(Bucket::SignIn));
        assert_eq!(classify(&Method::POST, "/api/v1/demands"), Some(Bucket::Write));
        assert_eq!(classify(&Method::PATCH, "/api/v1/plan-items/3"), Some(Bucket::Write));
        assert_eq!(classify(&Method::POST, "/api/v1/files"), Some(Bucket::Upload));
        assert_eq!(
            classify(&Method::POST, "/api/v1/enterprises/import"),
            Some(Bucket::Upload)
        );
        assert_eq!(
            classify(&Method::GET, "/api/v1/bot/wecom/aibot"),
            Some(Bucket::BotCallback)
        );
        assert_eq!(classify(&Method::GET, "/api/v1/demands"), None);
        assert_eq!(classify(&Method::POST, "/healthz"), None);
    }

    fn settings(writes: u32) -> RateLimitSettings {
        RateLimitSettings {
            enabled: true,
            window_secs: 60,
            sign_in: 2,
            writes,
            uploads: 2,
            bot_callbacks: 2,
            ip_factor: 2,
        }
    }

    #[tokio::test]
    async fn a_person_and_an_address_are_limited_apart_with_a_retry_after() {
        let limiter = Limiter::new(Cache::memory("t:"), settings(2));
        for _ in 0..2 {
            limiter.check(Bucket::Write, Some(1), "10.0.0.1").await.unwrap();
        }
        let Err(ApiError::TooManyRequests { retry_after_secs }) =
            limiter.check(Bucket::Write, Some(1), "10.0.0.1").await
        else {
            panic!("the third write is refused");
        };
        assert!((1..=60).contains(&retry_after_secs));
        // Another bucket, and another person behind the same address (4 per address), still pass.
        limiter.check(Bucket::Upload, Some(1), "10.0.0.1").await.unwrap();
        limiter.check(Bucket::Write, Some(2), "10.0.0.1").await.unwrap();
        // The address has had 4 writes counted (3 of person 1, 1 of person 2): the next is over.
        assert!(limiter.check(Bucket::Write, Some(3), "10.0.0.1").await.is_err());
        assert!(limiter.check(Bucket::Write, None, "10.0.0.2").await.is_ok());
    }

    #[tokio::test]
    async fn switched_off_nothing_is_counted() {
        let mut s = settings(0);
        s.enabled = false;
        let limiter = Limiter::new(Cache::memory("t:"), s);
        for _ in 0..10 {
            limiter.check(Bucket::Write, Some(1), "10.0.0.1").await.unwrap();
        }
    }
}

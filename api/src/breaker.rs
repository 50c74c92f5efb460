//! A circuit breaker in front of the database. When a request fails because the database
//! cannot be reached (`database_unavailable`), the breaker opens: further API requests are
//! answered 503 at once instead of each waiting for the pool's acquire timeout, while one
//! request at a time goes through as a probe. The first probe that does not fail that way
//! closes it again, so the API recovers by itself when the database is back.
use std::sync::atomic::{AtomicBool, Ordering};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{ResponseError, web};

use crate::error::{ApiError, DATABASE_UNAVAILABLE};
use crate::state::AppState;

#[derive(Default)]
pub struct Breaker {
    open: AtomicBool,
    probing: AtomicBool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Admit {
    /// The database is believed up.
    Pass,
    /// Open, and this request is the one probe in flight.
    Probe,
    /// Open, and a probe is already in flight: refuse at once.
    Refuse,
}

impl Breaker {
    pub fn admit(&self) -> Admit {
        if !self.open.load(Ordering::Acquire) {
            Admit::Pass
        } else if self
            .probing
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            Admit::Probe
        } else {
            Admit::Refuse
        }
    }

    /// What a request admitted by `admit` found.
    pub fn record(&self, admitted: &Admit, database_unavailable: bool) {
        if database_unavailable {
            if !self.open.swap(true, Ordering::AcqRel) {
                tracing::warn!("database unreachable: answering 503 at once until a probe succeeds");
            }
        } else if *admitted == Admit::Probe && self.open.swap(false, Ordering::AcqRel) {
            tracing::info!("database reachable again");
        }
        if *admitted == Admit::Probe {
            self.probing.store(false, Ordering::Release);
        }
    }

    pub fn is_open(&self) -> bool {
        self.open.load(Ordering::Acquire)
    }
}

pub async fn guard<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let Some(state) = state.filter(|_| req.path().starts_with("/api/")) else {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    };
    let admitted = state.breaker.admit();
    if admitted == Admit::Refuse {
        let response = ApiError::database_unavailable().error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    let res = next.call(req).await;
    let failed = match &res {
        Ok(r) => r
            .response()
            .error()
            .and_then(|e| e.as_error::<ApiError>())
            .is_some_and(|e| e.code() == DATABASE_UNAVAILABLE),
        Err(e) => e
            .as_error::<ApiError>()
            .is_some_and(|e| e.code() == DATABASE_UNAVAILABLE),
    };
    state.breaker.record(&admitted, failed);
    res.map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_on_a_failure_probes_one_at_a_time_and_closes_on_a_success() {
        let b = Breaker::default();
        assert_eq!(b.admit(), Admit::Pass);
        b.record(&Admit::Pass, true);
        assert!(b.is_open());
        let probe = b.admit();
        assert_eq!(probe, Admit::Probe);
        assert_eq!(b.admit(), Admit::Refuse, "one probe at a time");
        b.record(&probe, true);
        assert!(b.is_open(), "a failed probe keeps it open");
        let probe = b.admit();
        assert_eq!(probe, Admit::Probe, "the next request probes again");
        b.record(&probe, false);
        assert!(!b.is_open());
        assert_eq!(b.admit(), Admit::Pass);
    }

    #[test]
    fn only_a_probe_closes_it() {
        let b = Breaker::default();
        b.record(&Admit::Pass, true);
        // A request admitted before it opened succeeds: that says nothing about now.
        b.record(&Admit::Pass, false);
        assert!(b.is_open());
    }
}

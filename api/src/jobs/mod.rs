//! Scheduled jobs. Each is a `run_once(&state, now)` that tests call directly; the cron wiring
//! is here, and each firing takes a lease in the cache so that one replica runs it.
pub mod auto_close;
pub mod deliver;
pub mod overdue;
pub mod reports;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use chrono::Utc;
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::state::AppState;

/// Runs `f` only if this replica takes the job's lease. The lease outlives the run (until
/// its TTL), so a replica whose clock fires a moment later does not run the same firing again;
/// a replica that dies holding it loses it when the TTL ends, and one that stops gracefully
/// gives it back (`release_leases`).
async fn exclusively<F, Fut>(state: &AppState, name: &str, lease: Duration, f: F)
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = anyhow::Result<String>>,
{
    let key = format!("lock:job:{name}");
    let token = uuid::Uuid::new_v4().to_string();
    match state.cache.set_nx(&key, &token, lease).await {
        Ok(true) => {
            if let Ok(mut held) = state.leases.lock() {
                held.insert(key.clone(), token);
            }
            match f().await {
                Ok(summary) => tracing::info!(job = name, %summary, "job ran"),
                Err(err) => tracing::error!(job = name, error = %format!("{err:#}"), "job failed"),
            }
        }
        Ok(false) => tracing::debug!(job = name, "another replica holds the lease"),
        Err(err) => tracing::warn!(job = name, error = %err, "lease unavailable; skipping this firing"),
    }
}

fn job<F, Fut>(cron: &str, state: web::Data<AppState>, name: &'static str, lease: Duration, f: F) -> anyhow::Result<Job>
where
    F: Fn(web::Data<AppState>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<String>> + Send + 'static,
{
    let f = Arc::new(f);
    Ok(Job::new_async_tz(cron, chrono_tz::Asia::Shanghai, move |_, _| {
        let state = state.clone();
        let f = f.clone();
        Box::pin(async move {
            let run = f(state.clone());
            exclusively(&state, name, lease, || run).await;
        })
    })?)
}

/// Gives back the job leases this replica holds (on a graceful stop), so another replica takes
/// the next firing at once instead of after the lease's TTL. A lease another replica has taken
/// since is left alone.
pub async fn release_leases(state: &AppState) -> usize {
    let held: Vec<(String, String)> = match state.leases.lock() {
        Ok(mut held) => held.drain().collect(),
        Err(_) => return 0,
    };
    let mut released = 0;
    for (key, token) in held {
        match state.cache.delete_if(&key, &token).await {
            Ok(true) => released += 1,
            Ok(false) => {}
            Err(err) => tracing::warn!(error = %err, key, "could not release a job lease"),
        }
    }
    if released > 0 {
        tracing::info!(released, "job leases released");
    }
    released
}

/// Starts the scheduler; a failing job never stops the others.
pub async fn start(state: web::Data<AppState>) -> anyhow::Result<JobScheduler> {
    let cfg = state.settings.jobs.clone();
    let scheduler = JobScheduler::new().await?;
    scheduler
        .add(job(
            &cfg.overdue_cron,
            state.clone(),
            "overdue",
            Duration::from_secs(50),
            |s| async move {
                overdue::run_once(&s, Utc::now())
                    .await
                    .map(|n| format!("{n} demands flagged"))
                    .map_err(|e| anyhow::anyhow!("{e:?}"))
            },
        )?)
        .await?;
    scheduler
        .add(job(
            &cfg.auto_close_cron,
            state.clone(),
            "auto_close",
            Duration::from_secs(50),
            |s| async move {
                auto_close::run_once(&s, Utc::now())
                    .await
                    .map(|n| format!("{n} demands closed"))
                    .map_err(|e| anyhow::anyhow!("{e:?}"))
            },
        )?)
        .await?;
    scheduler
        .add(job(
            &cfg.delivery_cron,
            state.clone(),
            "deliver",
            Duration::from_secs(10),
            |s| async move {
                deliver::run_once(&s, Utc::now())
                    .await
                    .map(|r| format!("{r:?}"))
                    .map_err(|e| anyhow::anyhow!("{e:?}"))
            },
        )?)
        .await?;
    scheduler
        .add(job(
            &cfg.events_cron,
            state.clone(),
            "events",
            Duration::from_secs(50),
            |s| async move {
                crate::service::events::run_schedule(&s.db, Utc::now())
                    .await
                    .map(|(o, c)| format!("{o} opened, {c} closed"))
                    .map_err(|e| anyhow::anyhow!("{e:?}"))
            },
        )?)
        .await?;
    scheduler
        .add(job(
            &cfg.policy_digest_cron,
            state.clone(),
            "policy_digest",
            Duration::from_secs(600),
            |s| async move {
                let template = s.settings.wechat.policy_template.as_ref();
                let today = crate::types::today();
                // Expired policies first, so the digest never offers one.
                let expired = crate::service::policies::expire_due(&s.db, &s.policies, today)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                let (people, delivered) = crate::service::policies::digest(&s.db, template, today)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                let (groups, listed) = crate::service::groups::digest(&s.db, today)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                Ok(format!(
                    "{expired} policies expired; {people} people told of {delivered} policies; {groups} groups of {listed}"
                ))
            },
        )?)
        .await?;
    scheduler
        .add(job(
            &cfg.webhook_cron,
            state.clone(),
            "webhook",
            Duration::from_secs(30),
            |s| async move {
                crate::service::groups::run_once(&s, Utc::now())
                    .await
                    .map(|r| format!("{r:?}"))
                    .map_err(|e| anyhow::anyhow!("{e:?}"))
            },
        )?)
        .await?;
    for (cron, name, kind) in [
        (
            &cfg.weekly_report_cron,
            "weekly_report",
            crate::domain::report::ReportKind::Weekly,
        ),
        (
            &cfg.monthly_report_cron,
            "monthly_report",
            crate::domain::report::ReportKind::Monthly,
        ),
    ] {
        scheduler
            .add(job(
                cron,
                state.clone(),
                name,
                Duration::from_secs(600),
                move |s| async move {
                    reports::run_once(&s, kind, Utc::now())
                        .await
                        .map(|(r, g)| format!("report {} no. {} written, queued for {g} groups", r.id, r.number))
                        .map_err(|e| anyhow::anyhow!("{e:?}"))
                },
            )?)
            .await?;
    }
    scheduler
        .add(job(
            &cfg.plan_overdue_cron,
            state.clone(),
            "plan_overdue",
            Duration::from_secs(600),
            |s| async move {
                let now = Utc::now();
                crate::service::plans::flag_overdue(&s.db, crate::types::local_time(now).date_naive(), now)
                    .await
                    .map(|n| format!("{n} plan items flagged overdue"))
                    .map_err(|e| anyhow::anyhow!("{e:?}"))
            },
        )?)
        .await?;
    scheduler.start().await?;
    Ok(scheduler)
}

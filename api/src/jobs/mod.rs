//! Scheduled jobs. Each is a `run_once(&state, now)` over the services (tests call them
//! directly); `JOBS` is the one table of what runs when; each firing takes a lease in the cache
//! so that one replica runs it, and a job that fails is logged with its whole cause chain and
//! never stops the others.
pub mod auto_close;
pub mod customer_groups;
pub mod deliver;
pub mod overdue;
pub mod reports;
pub mod sms;
pub mod webhooks;

use std::time::Duration;

use actix_web::web;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::settings::JobSettings;
use crate::state::AppState;

/// One scheduled job.
pub struct Spec {
    pub name: &'static str,
    /// Its cron (with seconds, Asia/Shanghai) among the settings.
    pub cron: fn(&JobSettings) -> &str,
    /// How long a firing holds the lease: longer than the job takes, shorter than its period.
    pub lease: Duration,
    /// One run; the summary it logs.
    pub run: fn(web::Data<AppState>, DateTime<Utc>) -> BoxFuture<'static, anyhow::Result<String>>,
}

/// What runs when.
pub const JOBS: &[Spec] = &[
    Spec {
        name: "overdue",
        cron: |j| &j.overdue_cron,
        lease: Duration::from_secs(50),
        run: |s, now| {
            Box::pin(async move {
                let n = overdue::run_once(&s, now).await?;
                Ok(format!("{n} demands flagged"))
            })
        },
    },
    Spec {
        name: "auto_close",
        cron: |j| &j.auto_close_cron,
        lease: Duration::from_secs(50),
        run: |s, now| {
            Box::pin(async move {
                let (reminded, closed) = auto_close::run_once(&s, now).await?;
                Ok(format!(
                    "{reminded} replies awaiting a rating reminded, {closed} demands closed"
                ))
            })
        },
    },
    Spec {
        name: "deliver",
        cron: |j| &j.delivery_cron,
        lease: Duration::from_secs(10),
        run: |s, now| Box::pin(async move { Ok(format!("{:?}", deliver::run_once(&s, now).await?)) }),
    },
    Spec {
        name: "sms",
        cron: |j| &j.delivery_cron,
        lease: Duration::from_secs(10),
        run: |s, now| Box::pin(async move { Ok(format!("{:?}", sms::run_once(&s, now).await?)) }),
    },
    Spec {
        name: "wecom_outbox",
        cron: |j| &j.delivery_cron,
        lease: Duration::from_secs(10),
        run: |s, now| {
            Box::pin(async move {
                let mass = customer_groups::deliver_mass_sends(&s, now).await?;
                let kf = customer_groups::deliver_kf(&s, now).await?;
                Ok(format!("mass-sends {mass:?}; 微信客服 {kf:?}"))
            })
        },
    },
    Spec {
        name: "mass_send_track",
        cron: |j| &j.overdue_cron,
        lease: Duration::from_secs(50),
        run: |s, now| Box::pin(async move { Ok(format!("{:?}", customer_groups::track(&s, now).await?)) }),
    },
    Spec {
        name: "webhook",
        cron: |j| &j.webhook_cron,
        lease: Duration::from_secs(30),
        run: |s, now| Box::pin(async move { Ok(format!("{:?}", webhooks::run_once(&s, now).await?)) }),
    },
    Spec {
        name: "events",
        cron: |j| &j.events_cron,
        lease: Duration::from_secs(50),
        run: |s, now| {
            Box::pin(async move {
                let (opened, closed) = crate::service::events::run_schedule(&s.db, now).await?;
                Ok(format!("{opened} opened, {closed} closed"))
            })
        },
    },
    Spec {
        name: "policy_digest",
        cron: |j| &j.policy_digest_cron,
        lease: Duration::from_secs(600),
        run: |s, now| {
            Box::pin(async move {
                let today = crate::types::local_time(now).date_naive();
                let template = s.settings.wechat.policy_template.as_ref();
                // Expired policies first, so the digest never offers one.
                let expired = crate::service::policies::expire_due(&s.db, &s.policies, today).await?;
                let (people, delivered) = crate::service::policies::digest(&s.db, template, today).await?;
                let (groups, listed) = crate::service::groups::digest(&s.db, today).await?;
                let customer = customer_groups::digest(&s, now).await?;
                Ok(format!(
                    "{expired} policies expired; {people} people told of {delivered} policies; {groups} groups of {listed}; customer groups {customer:?}"
                ))
            })
        },
    },
    Spec {
        name: "weekly_report",
        cron: |j| &j.weekly_report_cron,
        lease: Duration::from_secs(600),
        run: |s, now| Box::pin(reports::summary(s, crate::domain::report::ReportKind::Weekly, now)),
    },
    Spec {
        name: "monthly_report",
        cron: |j| &j.monthly_report_cron,
        lease: Duration::from_secs(600),
        run: |s, now| Box::pin(reports::summary(s, crate::domain::report::ReportKind::Monthly, now)),
    },
    Spec {
        name: "plan_overdue",
        cron: |j| &j.plan_overdue_cron,
        lease: Duration::from_secs(600),
        run: |s, now| {
            Box::pin(async move {
                let today = crate::types::local_time(now).date_naive();
                let n = crate::service::plans::flag_overdue(&s.db, today, now).await?;
                Ok(format!("{n} plan items flagged overdue"))
            })
        },
    },
    Spec {
        name: "tally",
        cron: |j| &j.tally_cron,
        lease: Duration::from_secs(9),
        run: |s, _| {
            Box::pin(async move {
                let n = crate::service::tallies::fold(&s.db).await?;
                Ok(format!("{n} demand changes folded into the figures"))
            })
        },
    },
];

/// Runs `spec` only if this replica takes its lease. The lease outlives the run (until its
/// TTL), so a replica whose clock fires a moment later does not run the same firing again; a
/// replica that dies holding it loses it when the TTL ends, and one that stops gracefully gives
/// it back (`release_leases`).
async fn exclusively(state: web::Data<AppState>, spec: &Spec) {
    let key = format!("lock:job:{}", spec.name);
    let token = uuid::Uuid::new_v4().to_string();
    match state.cache.set_nx(&key, &token, spec.lease).await {
        Ok(true) => {
            if let Ok(mut held) = state.leases.lock() {
                held.insert(key.clone(), token);
            }
            let writes = crate::answers::WRITES.count();
            match (spec.run)(state.clone(), Utc::now()).await {
                Ok(summary) => tracing::info!(job = spec.name, %summary, "job ran"),
                Err(err) => tracing::error!(job = spec.name, error = %format!("{err:#}"), "job failed"),
            }
            // What it wrote (or a request meanwhile: published once more) on every replica.
            if crate::answers::WRITES.count() != writes {
                crate::answers::publish(&state.cache).await;
            }
        }
        Ok(false) => tracing::debug!(job = spec.name, "another replica holds the lease"),
        Err(err) => tracing::warn!(job = spec.name, error = %err, "lease unavailable; skipping this firing"),
    }
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

/// Starts the scheduler with every job of `JOBS`.
pub async fn start(state: web::Data<AppState>) -> anyhow::Result<JobScheduler> {
    let scheduler = JobScheduler::new().await?;
    for spec in JOBS {
        let state = state.clone();
        let cron = (spec.cron)(&state.settings.jobs).to_owned();
        let job = Job::new_async_tz(cron.as_str(), chrono_tz::Asia::Shanghai, move |_, _| {
            let state = state.clone();
            Box::pin(exclusively(state, spec))
        })?;
        scheduler.add(job).await?;
    }
    scheduler.start().await?;
    Ok(scheduler)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_has_a_valid_cron_and_a_distinct_name() {
        let settings = crate::settings::Settings::defaults().unwrap();
        let mut names: Vec<&str> = JOBS.iter().map(|j| j.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), JOBS.len());
        for spec in JOBS {
            let cron = (spec.cron)(&settings.jobs);
            assert!(
                Job::new_tz(cron, chrono_tz::Asia::Shanghai, |_, _| {}).is_ok(),
                "{}: {cron}",
                spec.name
            );
        }
    }
}

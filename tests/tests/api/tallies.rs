//! The kept demand tallies (`service::tallies`) against a full recount: random filings, changes
//! of any counted column (the moves' and more: a demand moved to another day, unit, environment
//! or channel), deletions and folds at random moments; after each batch every figure of random
//! periods, at midnights and across parts of days, in every grouping, equals the recount, and so
//! do the weekly counts and the figures the API answers; and the staff queue's counts, kept by
//! their own tally (`demands::queue_tally`), equal the counts read from the demands for staff of
//! every kind at random moments. On SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.
//! `TALLY_SEED` replays one seed.
use api::domain::access::{ActiveRole, Principal};
use api::domain::queue::Tab;
use api::domain::role::Role;
use api::service::demands::{Horizon, ListFilter, tab_counts, tab_counts_scanned};
use api::service::stats::{self, Counts, GroupBy};
use api::service::tallies;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use entity::codes::{Channel, ContentCheck, Environment, Kind, Status};
use entity::demand;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use tests::spawn_app;

const STATUSES: [Status; 9] = [
    Status::Submitted,
    Status::Accepted,
    Status::Rejected,
    Status::Assigned,
    Status::InProgress,
    Status::Replied,
    Status::Reopened,
    Status::Closed,
    Status::Merged,
];
const ENVIRONMENTS: [Environment; 3] = [Environment::Policy, Environment::Service, Environment::Legal];
const CHANNELS: [Channel; 3] = [Channel::Miniprogram, Channel::Hotline, Channel::Bot];
const GROUPINGS: [Option<GroupBy>; 5] = [
    None,
    Some(GroupBy::Unit),
    Some(GroupBy::Environment),
    Some(GroupBy::Channel),
    Some(GroupBy::ChannelEnvironment),
];

/// The 120 days the demands are filed on start here (a Thursday, mid-month).
fn origin() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 8, 20, 16, 0, 0).unwrap()
}

fn pick<T: Copy>(rng: &mut StdRng, xs: &[T]) -> T {
    xs[rng.random_range(0..xs.len())]
}

/// A value, or none (two times in five).
fn maybe<T>(rng: &mut StdRng, value: impl FnOnce(&mut StdRng) -> T) -> Option<T> {
    rng.random_bool(0.6).then(|| value(rng))
}

/// An instant within the 120 days, often a few seconds either side of a local midnight.
fn instant(rng: &mut StdRng) -> DateTime<Utc> {
    let day = origin() + Duration::days(rng.random_range(0..120));
    if rng.random_bool(0.3) {
        day + Duration::seconds(rng.random_range(-3..3))
    } else {
        day + Duration::seconds(rng.random_range(0..86_400))
    }
}

/// Changes some counted columns of a demand at random.
fn stir(rng: &mut StdRng, d: &mut demand::ActiveModel, units: &[i64], butlers: &[i64]) {
    for _ in 0..rng.random_range(1..5) {
        match rng.random_range(0..16) {
            0 => d.status = Set(pick(rng, &STATUSES)),
            1 => d.unit_id = Set(maybe(rng, |r| pick(r, units))),
            2 => d.environment = Set(pick(rng, &ENVIRONMENTS)),
            3 => d.channel = Set(pick(rng, &CHANNELS)),
            4 => d.accepted_at = Set(maybe(rng, instant)),
            5 => d.assigned_at = Set(maybe(rng, instant)),
            6 => {
                d.sign_late = Set(maybe(rng, |r| r.random()));
                d.reply_late = Set(maybe(rng, |r| r.random()));
            }
            7 => d.rating_satisfied = Set(maybe(rng, |r| r.random())),
            8 => d.unreasonable = Set(rng.random_bool(0.2)),
            9 => {
                d.returns = Set(rng.random_range(0..3));
                d.bounced_secs = Set(rng.random_range(0..100_000));
                d.extensions = Set(rng.random_range(0..2));
            }
            10 => d.overdue = Set(rng.random_bool(0.3)),
            11 => {
                d.accept_secs = Set(maybe(rng, |r| r.random_range(0..200_000)));
                d.sign_secs = Set(maybe(rng, |r| r.random_range(0..200_000)));
                d.reply_secs = Set(maybe(rng, |r| r.random_range(0..900_000)));
            }
            // Never done by a move, but the tallies must follow it all the same.
            12 => d.created_at = Set(instant(rng)),
            13 => d.butler_id = Set(maybe(rng, |r| pick(r, butlers))),
            14 => {
                d.accept_due_at = Set(maybe(rng, instant));
                d.sign_due_at = Set(maybe(rng, instant));
                d.reply_due_at = Set(maybe(rng, instant));
            }
            _ => d.updated_at = Set(instant(rng)),
        }
    }
}

fn filed(n: usize, at: DateTime<Utc>) -> demand::ActiveModel {
    demand::ActiveModel {
        number: Set(format!("SQ-TALLY-{n}")),
        kind: Set(Kind::Demand),
        environment: Set(Environment::Service),
        channel: Set(Channel::Miniprogram),
        title: Set("随机诉求".to_owned()),
        content: Set("用于核对统计".to_owned()),
        anonymous: Set(false),
        status: Set(Status::Submitted),
        unreasonable: Set(false),
        overdue: Set(false),
        extensions: Set(0),
        returns: Set(0),
        bounced_secs: Set(0),
        reopen_count: Set(0),
        content_check: Set(ContentCheck::Pass),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
}

fn sorted(mut rows: Vec<Counts>) -> Vec<Counts> {
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    rows
}

/// Every figure of random periods, and the weekly counts, equal the recount.
async fn check(app: &tests::TestApp, rng: &mut StdRng, seed: u64, step: usize) {
    let mut periods = vec![
        (origin() - Duration::days(3), origin() + Duration::days(130)),
        (origin() + Duration::days(12), origin() + Duration::days(19)),
    ];
    for _ in 0..6 {
        let a = instant(rng);
        let b = if rng.random_bool(0.5) {
            a + Duration::days(rng.random_range(0..80))
        } else {
            instant(rng)
        };
        periods.push((a.min(b), a.max(b)));
    }
    for (from, to) in periods {
        for g in GROUPINGS {
            let kept = sorted(stats::demand_counts(&app.db, from, to, g).await.unwrap());
            let counted = sorted(stats::recount(&app.db, from, to, g).await.unwrap());
            assert_eq!(kept, counted, "seed {seed}, step {step}: {from}..{to} grouped by {g:?}");
        }
    }
    let monday = NaiveDate::from_ymd_opt(2026, 8, 17).unwrap();
    let weeks = tallies::received_by_week(&app.db, monday, monday + Duration::weeks(18))
        .await
        .unwrap();
    for w in 0..18 {
        let start = monday + Duration::weeks(w);
        let counted = stats::recount(
            &app.db,
            tallies::midnight(start),
            tallies::midnight(start + Duration::weeks(1)),
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            weeks.get(&start).copied().unwrap_or(0),
            Counts::sum(&counted).received,
            "seed {seed}, step {step}: the week of {start}"
        );
    }
}

/// Staff of every kind, and a member, as the queue sees them.
fn people(admin: i64, units: &[i64], butlers: &[i64]) -> Vec<Principal> {
    let role = |role: Role, unit_id: Option<i64>| ActiveRole {
        role,
        enterprise_id: None,
        unit_id,
    };
    vec![
        Principal {
            id: admin,
            roles: vec![role(Role::Admin, None)],
        },
        Principal {
            id: butlers[0],
            roles: vec![role(Role::Butler, None)],
        },
        Principal {
            id: butlers[1],
            roles: vec![role(Role::Butler, None), role(Role::Handler, Some(units[1]))],
        },
        Principal {
            id: butlers[2],
            roles: vec![role(Role::Handler, Some(units[0])), role(Role::Handler, Some(units[2]))],
        },
        Principal {
            id: butlers[2],
            roles: vec![role(Role::Enterprise, None)],
        },
    ]
}

/// The queue's counts from the tally equal those read from the demands, for everyone, at random
/// moments with horizons from an hour to a month. Returns how many were due soon, in all.
async fn check_queue(app: &tests::TestApp, rng: &mut StdRng, seed: u64, step: usize, people: &[Principal]) -> u64 {
    let mut due_soon = 0;
    for _ in 0..4 {
        let now = instant(rng);
        let h = Horizon {
            now,
            soon: now + Duration::hours(rng.random_range(1..720)),
        };
        for p in people {
            let kept = tab_counts(&app.db, p, &ListFilter::default(), h).await.unwrap();
            let counted = tab_counts_scanned(&app.db, p, &ListFilter::default(), h).await.unwrap();
            assert_eq!(kept, counted, "seed {seed}, step {step}: the queue of {p:?} at {now}");
            due_soon += kept
                .iter()
                .filter(|(t, _)| *t == Tab::DueSoon)
                .map(|(_, n)| n)
                .sum::<u64>();
        }
    }
    due_soon
}

async fn run(seed: u64) {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut units = Vec::new();
    for i in 0..3 {
        let unit = app.create_unit(&admin, &format!("tally{i}"), &format!("单位{i}")).await;
        units.push(unit["id"].as_str().unwrap().parse::<i64>().unwrap());
    }
    let mut butlers = Vec::new();
    for i in 0..3 {
        butlers.push(
            app.sign_in(&format!("tally-butler-{i}"))
                .await
                .id()
                .parse::<i64>()
                .unwrap(),
        );
    }
    let people = people(admin.id().parse().unwrap(), &units, &butlers);
    let mut due_soon = 0;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut ids: Vec<i64> = Vec::new();
    for step in 0..240 {
        match rng.random_range(0..10) {
            0..=3 => {
                let mut d = filed(step, instant(&mut rng));
                stir(&mut rng, &mut d, &units, &butlers);
                ids.push(d.insert(&app.db).await.unwrap().id);
            }
            4..=7 if !ids.is_empty() => {
                let id = pick(&mut rng, &ids);
                let mut d = demand::Entity::find_by_id(id)
                    .one(&app.db)
                    .await
                    .unwrap()
                    .unwrap()
                    .into_active_model();
                stir(&mut rng, &mut d, &units, &butlers);
                d.update(&app.db).await.unwrap();
            }
            8 if !ids.is_empty() => {
                let id = ids.swap_remove(rng.random_range(0..ids.len()));
                demand::Entity::delete_by_id(id).exec(&app.db).await.unwrap();
            }
            _ => {
                tallies::fold(&app.db).await.unwrap();
            }
        }
        if step % 40 == 39 {
            check(&app, &mut rng, seed, step).await;
            due_soon += check_queue(&app, &mut rng, seed, step, &people).await;
        }
    }
    assert!(due_soon > 0, "seed {seed}: some demands fall due soon");
    // What the API answers is the kept figures too.
    let (from, to) = ("2026-08-21", "2026-12-31");
    let body = app
        .get_json(
            &format!("/api/v1/stats/demands?from={from}&to={to}&groupBy=unit"),
            Some(&admin.access),
        )
        .await;
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let counted = stats::recount(
        &app.db,
        tallies::midnight(day(from)),
        tallies::midnight(day(to) + Duration::days(1)),
        Some(GroupBy::Unit),
    )
    .await
    .unwrap();
    let total = Counts::sum(&counted);
    assert!(total.received > 20, "seed {seed}: a run files demands");
    assert_eq!(body["total"]["received"], total.received, "seed {seed}: {body}");
    assert_eq!(body["total"]["closed"], total.closed, "seed {seed}: {body}");
    assert_eq!(
        body["groups"].as_array().unwrap().len(),
        counted.len(),
        "seed {seed}: {body}"
    );
}

#[tokio::test]
async fn every_figure_equals_a_full_recount_after_random_changes() {
    for seed in tests::seeds("TALLY_SEED") {
        run(seed).await;
    }
}

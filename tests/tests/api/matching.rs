//! A policy's matched set, decided in the database (`service::policies::admitted_ids`), against
//! the matcher's own verdict (`domain::policy::admits`) on every enterprise: random profiles
//! (registrations a day either side of each anniversary, 29 February among them; labels with
//! quotes, commas, wildcards, backslashes and spaces; lists that are not lists) and random
//! conditions, some of them qualifications and an age alone (which PostgreSQL reads from their
//! own table, kept by triggers); between draws some enterprises change their qualifications or
//! registration day. Each set is checked whole, and as its count and first page. On SQLite, and
//! on PostgreSQL when `TEST_DATABASE_URL` is set. `MATCH_SEED` replays one seed.
use api::domain::enterprise::Scale;
use api::domain::policy::{Conditions, Profile, admits};
use api::service::enterprises::labels;
use api::service::policies::{admitted_enterprises, admitted_ids};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use entity::codes::ServiceTier;
use entity::enterprise;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::{Value, json};
use tests::spawn_app;

const LABELS: [&str; 9] = [
    "高新技术企业",
    "专精特新",
    "高新技术企业 ",
    "a\",\"高新技术企业",
    "100%",
    "x_y",
    "back\\slash",
    "换行\n企业",
    ", ",
];
const CLASSES: [&str; 4] = ["I6513", "I6520", "C3311", "F5211"];
const INDUSTRIES: [&str; 6] = ["I", "I65", "I651", "C", "C3311", "F52"];
const DISTRICTS: [&str; 2] = ["湖里区", "思明区"];
const SCALES: [Scale; 4] = [Scale::Micro, Scale::Small, Scale::Medium, Scale::Large];

fn some<T: Copy>(rng: &mut StdRng, xs: &[T], p: f64) -> Vec<T> {
    xs.iter().copied().filter(|_| rng.random_bool(p)).collect()
}

/// A registration day near an anniversary of `today` (or of a 29 February).
fn registered(rng: &mut StdRng, today: NaiveDate) -> NaiveDate {
    let anniversary = if rng.random_bool(0.2) {
        NaiveDate::from_ymd_opt(2016 + 4 * rng.random_range(0..3), 2, 29).unwrap()
    } else {
        today
            .with_year(today.year() - rng.random_range(0..8))
            .unwrap_or(today - Duration::days(365))
    };
    anniversary + Duration::days(rng.random_range(-2..3))
}

/// An enterprise's qualifications as stored: mostly a list of labels, now and then not a list.
fn qualifications(rng: &mut StdRng) -> Value {
    match rng.random_range(0..20) {
        0 => json!({"高新技术企业": true}),
        1 => json!("高新技术企业"),
        2 => json!([1, ["高新技术企业"]]),
        _ => json!(some(rng, &LABELS, 0.3)),
    }
}

async fn run(seed: u64) {
    let app = spawn_app().await;
    let mut rng = StdRng::seed_from_u64(seed);
    let today = api::types::today();
    let now = Utc::now();
    let butler = app.admin().await.id().parse::<i64>().unwrap();
    for n in 0..160 {
        enterprise::ActiveModel {
            name: Set(format!("匹配测试企业{n}")),
            uscc: Set(tests::uscc(9000 + n)),
            industry_code: Set(CLASSES[rng.random_range(0..CLASSES.len())].to_owned()),
            scale: Set(SCALES[rng.random_range(0..SCALES.len())]),
            registered_at: Set(registered(&mut rng, today)),
            qualifications: Set(qualifications(&mut rng)),
            tags: Set(json!([])),
            district: Set(rng
                .random_bool(0.8)
                .then(|| DISTRICTS[rng.random_range(0..DISTRICTS.len())].to_owned())),
            service_tier: Set(ServiceTier::General),
            butler_user_id: Set(rng.random_bool(0.3).then_some(butler)),
            needs_callback: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let mut all = enterprise::Entity::find().all(&app.db).await.unwrap();
    for draw in 0..150 {
        if draw % 10 == 9 {
            // A few enterprises change their qualifications, their registration day, both, or
            // neither (only `updated_at`, which must leave their qualifications' rows alone).
            for _ in 0..8 {
                let i = rng.random_range(0..all.len());
                let mut e = all[i].clone().into_active_model();
                if rng.random_bool(0.7) {
                    e.qualifications = Set(qualifications(&mut rng));
                }
                if rng.random_bool(0.5) {
                    e.registered_at = Set(registered(&mut rng, today));
                }
                e.updated_at = Set(Utc::now());
                all[i] = e.update(&app.db).await.unwrap();
            }
        }
        let bound = |rng: &mut StdRng| rng.random_bool(0.4).then(|| rng.random_range(0..6));
        let c = if rng.random_bool(0.25) {
            // Qualifications and an age alone.
            Conditions {
                qualifications: some(&mut rng, &LABELS[..3], 0.4)
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
                min_years: bound(&mut rng),
                max_years: bound(&mut rng),
                ..Default::default()
            }
        } else {
            Conditions {
                industries: some(&mut rng, &INDUSTRIES, 0.15)
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
                scales: some(&mut rng, &SCALES, 0.3),
                min_years: bound(&mut rng),
                max_years: bound(&mut rng),
                qualifications: some(&mut rng, &LABELS, 0.12).iter().map(|s| (*s).to_owned()).collect(),
                districts: some(&mut rng, &DISTRICTS, 0.2)
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            }
        };
        let served_by = rng.random_bool(0.2).then_some(butler);
        let decided = admitted_ids(&app.db, &c, served_by, today).await.unwrap();
        let mut verdict: Vec<i64> = all
            .iter()
            .filter(|e| served_by.is_none_or(|b| e.butler_user_id == Some(b)))
            .filter(|e| {
                let qualifications = labels(&e.qualifications);
                let profile = Profile {
                    industry_code: &e.industry_code,
                    scale: e.scale,
                    registered_at: e.registered_at,
                    qualifications: &qualifications,
                    district: e.district.as_deref(),
                    tags: &[],
                };
                admits(&c, &profile, today)
            })
            .map(|e| e.id)
            .collect();
        verdict.sort_unstable();
        assert_eq!(
            decided, verdict,
            "seed {seed}, draw {draw}: {c:?}, served by {served_by:?}"
        );
        let limit = rng.random_range(0..12);
        let (count, first) = admitted_enterprises(&app.db, &c, &[], served_by, today, limit)
            .await
            .unwrap();
        let first: Vec<i64> = first.iter().map(|(e, _)| e.id).collect();
        assert_eq!(
            (count, first.as_slice()),
            (verdict.len(), &verdict[..limit.min(verdict.len())]),
            "seed {seed}, draw {draw}, count and first {limit}: {c:?}, served by {served_by:?}"
        );
    }
}

#[tokio::test]
async fn every_matched_set_is_the_matchers_verdict() {
    for seed in tests::seeds("MATCH_SEED") {
        run(seed).await;
    }
}

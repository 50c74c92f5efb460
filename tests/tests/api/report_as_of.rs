//! The reports' "as it stood at the period's end" rule (`service::reports::facts`) against what
//! was stored at that moment: random moves through the API (filing, accepting, rejecting,
//! flagging, assigning, signing, returning, replying, extending and approving, rating either
//! way in the mini-program or on the call-back, which reopens), an instant taken between rounds, and the demands as stored then; after every later
//! round the demands replayed to each earlier instant equal what was stored at it. On SQLite,
//! and on PostgreSQL when `TEST_DATABASE_URL` is set. `AS_OF_SEED` replays one seed.
use api::domain::report::DemandFact;
use api::service::reports;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tests::world::{World, act, file_demand, file_hotline_demand, world};
use tests::{Session, TestApp, spawn_app};

/// One random move on demand `id` as it stands, by whoever may make it; whether it was made.
async fn stir(app: &TestApp, w: &World, rng: &mut StdRng, id: &str) -> bool {
    let d: Value = app
        .get_json(&format!("/api/v1/demands/{id}"), Some(&w.admin.access))
        .await;
    let handler = |d: &Value| -> &Session {
        if d["unit"]["id"] == w.unit_a.as_str() {
            &w.handler_a
        } else {
            &w.handler_b
        }
    };
    let unit = if rng.random_bool(0.5) { &w.unit_a } else { &w.unit_b };
    let (who, action, body) = match d["status"].as_str().unwrap() {
        "submitted" => match rng.random_range(0..10) {
            0 => (&w.butler, "reject", json!({"reason": "不属于受理范围"})),
            1 => (&w.butler, "flag-unreasonable", json!({"reason": "诉求不合理"})),
            _ => (&w.butler, "accept", json!({})),
        },
        "accepted" | "reopened" => (&w.butler, "assign", json!({"unitId": unit})),
        "assigned" => match rng.random_range(0..4) {
            0 => (handler(&d), "return", json!({"reason": "不属于本单位职责"})),
            _ => (handler(&d), "sign", json!({})),
        },
        "in_progress" if !d["extensionPending"].is_null() => (&w.butler, "approve-extension", json!({})),
        "in_progress" => match rng.random_range(0..4) {
            0 => (
                handler(&d),
                "extend",
                json!({"workingDays": rng.random_range(1..4), "reason": "需现场核查"}),
            ),
            _ => (handler(&d), "reply", json!({"content": "已协调办理完毕，请查收。"})),
        },
        // A hotline demand's rating is taken on the call-back.
        "replied" if d["channel"] == "hotline" => {
            (&w.butler, "callback-rating", json!({"satisfied": rng.random_bool(0.6)}))
        }
        "replied" => (
            &w.member,
            "rate",
            json!({"satisfied": rng.random_bool(0.6), "comment": "评价"}),
        ),
        _ => return false,
    };
    let res = act(app, who, id, action, body).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    // Only a refusal the rules give (a flag on a demand already flagged, say) is passed over.
    assert!(
        status.is_success() || status == 409,
        "{action} on {id}: {status} {text}"
    );
    status.is_success()
}

/// The demands replayed to `end`, in id order.
async fn as_of(app: &TestApp, since: DateTime<Utc>, end: DateTime<Utc>) -> Vec<DemandFact> {
    reports::facts(&app.db, since, end).await.unwrap()
}

async fn run(seed: u64) {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut rng = StdRng::seed_from_u64(seed);
    let since = Utc::now() - Duration::days(1);
    let mut ids: Vec<String> = Vec::new();
    // Each instant taken between rounds, with the demands as stored at it.
    let mut stood: Vec<(DateTime<Utc>, Vec<DemandFact>)> = Vec::new();
    let mut made = 0;
    for round in 0..8 {
        for _ in 0..rng.random_range(1..4) {
            let d = if rng.random_bool(0.3) {
                file_hotline_demand(&app, &w.butler, &w.enterprise).await
            } else {
                file_demand(&app, &w.member, false).await
            };
            ids.push(d["id"].as_str().unwrap().to_owned());
        }
        for _ in 0..12 {
            let id = ids[rng.random_range(0..ids.len())].clone();
            made += usize::from(stir(&app, &w, &mut rng, &id).await);
        }
        // An instant no move shares: nothing has moved after it yet, so the replay to it is
        // the demands as stored.
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        let end = Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        stood.push((end, as_of(&app, since, end).await));
        for (end, stored) in &stood {
            assert_eq!(
                &as_of(&app, since, *end).await,
                stored,
                "seed {seed}, round {round}: the demands as they stood at {end}"
            );
        }
    }
    assert!(made > 40, "seed {seed}: a run makes moves ({made})");
    // The run reached the ends of the cycle (a check that cannot pass on demands that stood
    // still).
    let last = as_of(&app, since, Utc::now()).await;
    assert!(last.iter().any(|d| d.closed_at.is_some()), "seed {seed}: some closed");
    assert!(last.iter().any(|d| d.replied_at.is_some()), "seed {seed}: some replied");
}

#[tokio::test]
async fn a_report_sees_each_demand_as_it_stood_at_the_periods_end() {
    for seed in tests::seeds("AS_OF_SEED") {
        run(seed).await;
    }
}

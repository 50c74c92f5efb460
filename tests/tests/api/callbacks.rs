//! The new-enterprise call-back programme: tasks for new enterprises, spread over butlers; calls
//! recorded; a stated need becomes a demand; the figures.
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_error, spawn_app, uscc};

async fn queue(app: &TestApp, who: &Session, query: &str) -> Vec<Value> {
    let res = app.get(&format!("/api/v1/callbacks{query}"), Some(&who.access)).await;
    assert_eq!(res.status(), 200);
    res.json::<Vec<Value>>().await.unwrap()
}

async fn call(app: &TestApp, who: &Session, id: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/callbacks/{id}/calls"), Some(&who.access), &body)
        .await
}

#[tokio::test]
async fn imported_enterprises_get_call_backs_spread_over_the_butlers_and_a_need_becomes_a_demand() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let a = app.butler(&admin, "o-butler-a").await;
    let b = app.butler(&admin, "o-butler-b").await;
    // An enterprise registered with its butler is that butler's to call.
    let own = app.create_enterprise(&admin, 1, Some(&a.id())).await;
    let mut csv = String::from("企业名称,统一社会信用代码,行业代码,企业规模,成立日期\n");
    for n in 10..15 {
        csv.push_str(&format!("新设企业{n},{},6513,小型,2026-11-01\n", uscc(n)));
    }
    let res = app
        .upload("/api/v1/enterprises/import", &admin.access, csv.into_bytes(), "new.csv")
        .await;
    assert_eq!(res.status(), 200);

    let all = queue(&app, &admin, "").await;
    assert_eq!(all.len(), 6);
    let mine_a = queue(&app, &a, "").await;
    let mine_b = queue(&app, &b, "").await;
    // 6 tasks: a had one already, so the five new ones go 2 to a and 3 to b.
    assert_eq!((mine_a.len(), mine_b.len()), (3, 3));
    assert!(mine_a.iter().any(|t| t["enterpriseId"] == own["id"]));
    assert!(all.iter().all(|t| t["status"] == "open" && t["dueOn"].is_string()));
    assert!(mine_a.iter().all(|t| t["butlerId"] == a.id().as_str()));

    // The butler reaches one; its need becomes a demand for the enterprise.
    let task = &mine_b[0];
    let tid = task["id"].as_str().unwrap();
    assert_error(
        call(&app, &a, tid, json!({"outcome": "reached"})).await,
        403,
        "forbidden",
    )
    .await;
    let res = call(
        &app,
        &b,
        tid,
        json!({"outcome": "reached", "answers": {"bankAccount": true, "taxSetup": true, "invoices": false, "knownPolicyIds": ["1"], "matchedPolicies": 4, "needs": "开具发票的流程不清楚，希望有人指导"}}),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["status"], "reached");
    let demand_id = done["demandId"].as_str().unwrap();
    let d: Value = app
        .get(&format!("/api/v1/demands/{demand_id}"), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d["channel"], "callback");
    assert_eq!(d["enterprise"]["id"], task["enterpriseId"]);
    assert_error(
        call(&app, &b, tid, json!({"outcome": "refused"})).await,
        409,
        "callback_closed",
    )
    .await;

    // Not reached three times: unreachable.
    let other = mine_b[1]["id"].as_str().unwrap();
    for n in 1..=3 {
        let t: Value = call(&app, &b, other, json!({"outcome": "not_reached"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(t["attempts"], n);
        assert_eq!(t["status"], if n < 3 { "open" } else { "unreachable" });
    }
    assert_error(
        call(
            &app,
            &b,
            mine_b[2]["id"].as_str().unwrap(),
            json!({"outcome": "refused", "answers": {}}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(queue(&app, &b, "").await.len(), 1);
    assert_eq!(queue(&app, &b, "?status=all").await.len(), 3);

    // Figures: 6 new, 1 called back in time, 1 problem found, awareness 1 of 4.
    let f: Value = app
        .get("/api/v1/stats/callbacks", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(f["new"], 6);
    assert_eq!(f["calledBackInTime"], 1);
    assert_eq!(f["reached"], 1);
    assert_eq!(f["unreachable"], 1);
    assert_eq!(f["open"], 4);
    assert_eq!(f["problemsFound"], 1);
    assert!((f["coverage"].as_f64().unwrap() - 1.0 / 6.0).abs() < 1e-9);
    assert!((f["awareness"].as_f64().unwrap() - 0.25).abs() < 1e-9);
    assert_error(
        app.get("/api/v1/stats/callbacks", Some(&b.access)).await,
        403,
        "forbidden",
    )
    .await;
}

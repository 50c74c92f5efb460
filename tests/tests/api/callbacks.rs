//! The new-enterprise call-back programme: tasks for new enterprises, spread over butlers; calls
//! recorded; a stated need becomes a demand; the figures.
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_error, spawn_app, uscc};

/// The whole queue, read a page of two at a time (so the paging is read too).
async fn queue(app: &TestApp, who: &Session, query: &str) -> Vec<Value> {
    let sep = if query.is_empty() { "?" } else { "&" };
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let res = app
            .get(
                &format!("/api/v1/callbacks{query}{sep}limit=2{cursor}"),
                Some(&who.access),
            )
            .await;
        assert_eq!(res.status(), 200);
        let page: Value = res.json().await.unwrap();
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["nextCursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return out,
        }
    }
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
    // Two published policies: one fits the new software firms, one does not.
    let fits = crate::policies::policy(
        &app,
        &admin,
        json!({
            "title": "软件企业人才补贴",
            "issuer": "人才服务局",
            "explainer": crate::policies::explainer("区内软件企业", "每人每年补贴1万元"),
            "conditions": {"industries": ["I65"]},
        }),
    )
    .await;
    crate::policies::policy(
        &app,
        &admin,
        json!({
            "title": "制造业技术改造补贴",
            "issuer": "经济发展局",
            "explainer": crate::policies::explainer("区内制造业企业", "按设备投资额的10%给予补贴"),
            "conditions": {"industries": ["C"]},
        }),
    )
    .await;
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
    app.get_error(
        &format!("/api/v1/callbacks/{tid}/form"),
        Some(&a.access),
        403,
        "forbidden",
    )
    .await;
    let form: Value = app
        .get(&format!("/api/v1/callbacks/{tid}/form"), Some(&b.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(form["task"]["id"], tid);
    let questions: Vec<&Value> = form["template"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap())
        .collect();
    let ids: Vec<&str> = questions.iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["bank_account", "tax_setup", "invoices", "known_policies", "needs"]
    );
    // Only the matched policy is offered.
    assert_eq!(
        questions[3]["options"],
        json!([{"value": fits, "label": "软件企业人才补贴", "score": null}])
    );
    assert_error(
        call(&app, &a, tid, json!({"outcome": "reached"})).await,
        403,
        "forbidden",
    )
    .await;
    // The form engine checks the answers: a required basic left out, an unknown policy.
    let bad = assert_error(
        call(
            &app,
            &b,
            tid,
            json!({"outcome": "reached", "answers": {"bank_account": true, "invoices": true, "known_policies": ["999"]}}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = bad["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["answers.tax_setup", "answers.known_policies"]);
    let res = call(
        &app,
        &b,
        tid,
        json!({"outcome": "reached", "answers": {"bank_account": true, "tax_setup": true, "invoices": false, "known_policies": [fits], "needs": "开具发票的流程不清楚，希望有人指导"}}),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["status"], "reached");
    assert_eq!(done["answers"]["invoices"], false);
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
    assert_eq!(queue(&app, &b, "?status=reached").await.len(), 1);
    assert_eq!(queue(&app, &b, "?status=all").await.len(), 3);

    // A call reached with every basic done and no need: no problem, no demand; it knew
    // nothing of the one matched policy.
    let fine: Value = call(
        &app,
        &a,
        mine_a[1]["id"].as_str().unwrap(),
        json!({"outcome": "reached", "answers": {"bank_account": true, "tax_setup": true, "invoices": true}}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        (fine["status"].as_str(), fine["demandId"].as_str()),
        (Some("reached"), None)
    );

    // Figures: 6 new, 2 called back in time, 1 problem found (1 demand), awareness 1 of 2.
    let f: Value = app
        .get("/api/v1/dashboard/callbacks", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(f["new"], 6);
    assert_eq!(f["calledBackInTime"], 2);
    assert_eq!(f["reached"], 2);
    assert_eq!(f["unreachable"], 1);
    assert_eq!(f["open"], 3);
    assert_eq!(f["problemsFound"], 1);
    assert_eq!(f["demandsCreated"], 1);
    assert_eq!(f["coverage"], 0.3333);
    assert_eq!(f["awareness"], 0.5);
    app.get_error("/api/v1/dashboard/callbacks", Some(&b.access), 403, "forbidden")
        .await;
}

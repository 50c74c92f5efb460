//! Conduct clues (问题线索): only discipline staff read them; an anonymous reporter is in
//! nothing they read until the audited reveal; 受理 → 初核 → 处置 with the reporter told in
//! general terms; a demand referred without its unit learning of it; a problem fed back to a
//! unit; typical cases; the figures and the bulletin. (Every clue route refusing admins,
//! butlers and handlers is proven by the authorization matrix.)
use serde_json::{Value, json};
use tests::{APP_ID, Session, TestApp, assert_error, spawn_app};
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

use tests::world::{World, ok, world};

async fn discipline(app: &TestApp, w: &World, openid: &str) -> Session {
    let s = app.sign_in(openid).await;
    app.grant(&w.admin, &s.id(), json!({"role": "discipline"})).await;
    s
}

async fn report(app: &TestApp, who: &Session, body: Value) -> Value {
    let res = app.post("/api/v1/clues", Some(&who.access), &body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn clue_move(app: &TestApp, who: &Session, id: &str, action: &str, body: Value) -> Value {
    let res = app
        .post(&format!("/api/v1/clues/{id}/{action}"), Some(&who.access), &body)
        .await;
    assert_eq!(res.status(), 200, "{action}: {}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// Takes a clue through 受理 and 初核 to 处置 with `outcome`.
async fn close(app: &TestApp, who: &Session, id: &str, outcome: Value) -> Value {
    clue_move(app, who, id, "accept", json!({})).await;
    clue_move(app, who, id, "check", json!({})).await;
    clue_move(app, who, id, "dispose", outcome).await
}

async fn text(app: &TestApp, who: &Session, path: &str) -> String {
    let res = app.get(path, Some(&who.access)).await;
    assert_eq!(res.status(), 200, "{path}");
    let headers = format!("{:?}", res.headers());
    format!("{headers}{}", res.text().await.unwrap())
}

/// The paths of the fields that hold `person` (any id field but the objects' own).
fn people_in(v: &Value, person: &str, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let objects = ["id", "unitId", "demandId", "objectId", "fileIds"];
                if child.as_str() == Some(person) && !objects.contains(&k.as_str()) {
                    out.push(format!("{at}.{k}"));
                }
                people_in(child, person, &format!("{at}.{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                people_in(child, person, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

async fn bind_phone(app: &TestApp, who: &Session, phone: &str) {
    Mock::given(path("/wxa/business/getuserphonenumber"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 0, "errmsg": "ok",
            "phone_info": {"phoneNumber": phone, "purePhoneNumber": phone, "countryCode": "86",
                           "watermark": {"timestamp": 1637744274, "appid": APP_ID}}
        })))
        .up_to_n_times(1)
        .mount(&app.wechat)
        .await;
    let res = app
        .post("/api/v1/me/phone", Some(&who.access), &json!({"code": "phone-code"}))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn an_anonymous_reporter_is_in_nothing_discipline_staff_read_until_the_audited_reveal() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let staff = discipline(&app, &w, "c-discipline").await;
    bind_phone(&app, &w.member, "13812345678").await;
    let file = tests::world::id_of(
        app.upload("/api/v1/files", &w.member.access, tests::PNG.to_vec(), "a.png")
            .await,
    )
    .await;
    let hidden = report(
        &app,
        &w.member,
        json!({"category": "extortion", "unitId": w.unit_a, "official": "3号窗口工作人员",
               "content": "办理退税时被暗示需要请客吃饭才能加快。", "happenedOn": "2026-11-20",
               "anonymous": true, "fileIds": [file]}),
    )
    .await;
    let id = hidden["id"].as_str().unwrap().to_owned();
    assert_eq!(hidden["stage"], "已收到，等待受理");

    // Everything discipline staff read of it: the queue, the clue, its moves, its file, the
    // figures, the bulletin and the audit log of their reads.
    let mut seen: Vec<Value> = Vec::new();
    let mut pages = String::new();
    seen.push(app.get_json("/api/v1/clues", Some(&staff.access)).await);
    seen.push(app.get_json(&format!("/api/v1/clues/{id}"), Some(&staff.access)).await);
    for (action, body) in [
        ("accept", json!({"fastTrack": true})),
        ("check", json!({"note": "调取窗口监控"})),
        (
            "dispose",
            json!({"outcome": "sanction", "persons": 1, "note": "给予政务警告处分"}),
        ),
    ] {
        seen.push(clue_move(&app, &staff, &id, action, body).await);
    }
    pages.push_str(&text(&app, &staff, &format!("/api/v1/files/{file}")).await);
    seen.push(app.get_json("/api/v1/clues/figures", Some(&staff.access)).await);
    let today = api::types::today().to_string();
    let bulletin = app
        .post(
            "/api/v1/clue-bulletins",
            Some(&staff.access),
            &json!({"from": today, "to": today}),
        )
        .await;
    assert_eq!(bulletin.status(), 201);
    let bulletin: Value = bulletin.json().await.unwrap();
    let page = format!("/api/v1/clue-bulletins/{}/html", bulletin["id"].as_str().unwrap());
    seen.push(bulletin);
    pages.push_str(&text(&app, &staff, &page).await);
    seen.push(app.get_json("/api/v1/clues/audit-log", Some(&staff.access)).await);
    let detail = &seen[1];
    assert!(detail["reporter"].is_null(), "{detail}");
    assert_eq!(detail["anonymous"], true);
    assert_eq!(detail["fileIds"][0], file.as_str());
    // No field that names a person holds the reporter; neither their phone nor their openid
    // is anywhere, nor the file's name (it could be theirs).
    let member_id = w.member.id();
    let mut leaks = Vec::new();
    for v in &seen {
        people_in(v, &member_id, "", &mut leaks);
    }
    assert!(leaks.is_empty(), "the anonymous reporter shows at {leaks:?}");
    let everything = format!("{}{pages}", Value::Array(seen.clone()));
    for needle in ["13812345678", "w-member"] {
        assert!(
            !everything.contains(needle),
            "{needle} shows in what discipline staff read"
        );
    }

    // The reveal: a reason is required; the identity comes with an audit entry and a line on
    // the clue's history.
    let res = app
        .post(
            &format!("/api/v1/clues/{id}/reveal"),
            Some(&staff.access),
            &json!({"reason": "查"}),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    let res = app
        .post(
            &format!("/api/v1/clues/{id}/reveal"),
            Some(&staff.access),
            &json!({"reason": "需向反映人核实补充证据"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let who: Value = res.json().await.unwrap();
    assert_eq!(who["userId"], w.member.id().as_str());
    assert_eq!(who["phone"], "13812345678");
    let log = app.get_json("/api/v1/clues/audit-log", Some(&staff.access)).await;
    let reveal = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "reveal_reporter")
        .expect("the reveal is audited");
    assert_eq!(reveal["objectId"], id.as_str());
    assert_eq!(reveal["actorId"], staff.id().as_str());
    assert_eq!(reveal["detail"]["reason"], "需向反映人核实补充证据");
    let reads = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "read_clue")
        .count();
    assert!(reads >= 3, "every read is audited: {log}");
    let history: Value = app.get_json(&format!("/api/v1/clues/{id}"), Some(&staff.access)).await;
    let actions: Vec<&str> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["report", "accept", "check", "dispose", "reveal"]);

    // Admins see no clue entries in their audit log, and no route edits the log.
    let admin_log = app.get_json("/api/v1/audit-log?limit=100", Some(&w.admin.access)).await;
    assert!(
        admin_log["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["objectType"] != "clue"),
        "{admin_log}"
    );
    for method in [reqwest::Method::DELETE, reqwest::Method::PATCH, reqwest::Method::PUT] {
        let res = app
            .request(method, "/api/v1/clues/audit-log", Some(&staff.access), None)
            .await;
        assert!([404, 405].contains(&res.status().as_u16()));
    }

    // The reporter hears the outcome in general terms: not the outcome's name, not the note.
    let mine = app.get_json("/api/v1/me/clues", Some(&w.member.access)).await;
    assert_eq!(mine[0]["stage"], "已办结");
    let told = mine[0]["outcomeText"].as_str().unwrap();
    assert!(told.contains("已核查处理完毕"), "{told}");
    assert!(!mine.to_string().contains("政务警告") && !mine.to_string().contains("党纪政务处分"));
    let notes = app.get_json("/api/v1/notifications", Some(&w.member.access)).await;
    assert!(notes.to_string().contains("您反映的问题线索已办结"), "{notes}");
    assert!(notes.to_string().contains("\"subpackages/clue/mine/index\""), "{notes}");
    // Another person's clues are not theirs.
    let theirs = app.get_json("/api/v1/me/clues", Some(&w.colleague.access)).await;
    assert_eq!(theirs, json!([]));
}

#[tokio::test]
async fn a_named_clue_shows_its_reporter_and_the_stages_run_in_order_on_the_working_day_calendar() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let staff = discipline(&app, &w, "c-discipline").await;
    bind_phone(&app, &w.colleague, "13900001111").await;
    let named = report(
        &app,
        &w.colleague,
        json!({"category": "buck_passing", "content": "窗口以材料不全为由多次推诿，未一次性告知。"}),
    )
    .await;
    let id = named["id"].as_str().unwrap().to_owned();
    let detail = app.get_json(&format!("/api/v1/clues/{id}"), Some(&staff.access)).await;
    assert_eq!(detail["reporter"]["userId"], w.colleague.id().as_str());
    assert_eq!(detail["reporter"]["phone"], "13900001111");
    // The check the anonymous clue passes finds a named reporter.
    let mut named_at = Vec::new();
    people_in(&detail, &w.colleague.id(), "", &mut named_at);
    assert_eq!(named_at, [".reporter.userId"]);
    assert_eq!(detail["status"], "received");
    let accept_due = detail["dueAt"].as_str().unwrap().to_owned();

    // Out of order: refused.
    let res = app
        .post(
            &format!("/api/v1/clues/{id}/dispose"),
            Some(&staff.access),
            &json!({"outcome": "talk"}),
        )
        .await;
    assert_error(res, 409, "invalid_transition").await;
    let res = app
        .post(&format!("/api/v1/clues/{id}/check"), Some(&staff.access), &json!({}))
        .await;
    assert_error(res, 409, "invalid_transition").await;
    // The ordinary track: disposal due thirty working days on, after the acceptance's.
    let accepted = clue_move(&app, &staff, &id, "accept", json!({})).await;
    assert_eq!(accepted["fastTrack"], false);
    assert!(accepted["dueAt"].as_str().unwrap() > accept_due.as_str());
    let again = app
        .post(&format!("/api/v1/clues/{id}/accept"), Some(&staff.access), &json!({}))
        .await;
    assert_error(again, 409, "invalid_transition").await;
    clue_move(&app, &staff, &id, "check", json!({})).await;
    // A sanction names its persons; an unfounded clue none.
    let res = app
        .post(
            &format!("/api/v1/clues/{id}/dispose"),
            Some(&staff.access),
            &json!({"outcome": "sanction"}),
        )
        .await;
    let body = assert_error(res, 422, "validation_failed").await;
    assert_eq!(body["fields"][0]["field"], "persons");
    let res = app
        .post(
            &format!("/api/v1/clues/{id}/dispose"),
            Some(&staff.access),
            &json!({"outcome": "dismissed", "persons": 2}),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    let closed = clue_move(&app, &staff, &id, "dispose", json!({"outcome": "dismissed"})).await;
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["outcomeLabel"], "予以了结");
    let mine = app.get_json("/api/v1/me/clues", Some(&w.colleague.access)).await;
    assert!(mine[0]["outcomeText"].as_str().unwrap().contains("予以了结"));

    // The fast track is due sooner than the ordinary one.
    let fast = report(
        &app,
        &w.colleague,
        json!({"category": "illegal_fees", "content": "办理证照时被要求缴纳没有依据的费用。"}),
    )
    .await;
    let fast_id = fast["id"].as_str().unwrap();
    let fast = clue_move(&app, &staff, fast_id, "accept", json!({"fastTrack": true})).await;
    assert_eq!(fast["fastTrack"], true);
    assert!(fast["dueAt"].as_str().unwrap() < accepted["dueAt"].as_str().unwrap());
    assert!(fast["history"][1]["note"].as_str().unwrap().starts_with("问题速处"));

    // Bad input.
    for (body, field) in [
        (json!({"category": "extortion", "content": "太短"}), "content"),
        (
            json!({"category": "extortion", "content": "一二三四五六七八九十", "happenedOn": "2999-01-01"}),
            "happenedOn",
        ),
        (
            json!({"category": "extortion", "content": "一二三四五六七八九十", "unitId": "999999"}),
            "unitId",
        ),
    ] {
        let res = app.post("/api/v1/clues", Some(&w.member.access), &body).await;
        let err = assert_error(res, 422, "validation_failed").await;
        assert_eq!(err["fields"][0]["field"], field, "{err}");
    }
    let res = app
        .post(
            "/api/v1/clues",
            Some(&w.member.access),
            &json!({"category": "bribery", "content": "一二三四五六七八九十"}),
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app.get("/api/v1/clues/999999", Some(&staff.access)).await;
    assert_error(res, 404, "clue_not_found").await;
}

#[tokio::test]
async fn the_figures_and_the_bulletin_read_as_the_seed_writes_them() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let staff = discipline(&app, &w, "c-discipline").await;
    let mut ids = Vec::new();
    for (i, category) in ["extortion", "extortion", "buck_passing", "cold_hard", "illegal_fees"]
        .iter()
        .enumerate()
    {
        let c = report(
            &app,
            &w.member,
            json!({"category": category, "content": format!("第{i}条线索：窗口工作人员作风问题。")}),
        )
        .await;
        ids.push(c["id"].as_str().unwrap().to_owned());
    }
    close(&app, &staff, &ids[0], json!({"outcome": "sanction", "persons": 2})).await;
    close(&app, &staff, &ids[1], json!({"outcome": "sanction", "persons": 2})).await;
    close(&app, &staff, &ids[2], json!({"outcome": "first_form", "persons": 1})).await;
    close(&app, &staff, &ids[3], json!({"outcome": "talk", "persons": 1})).await;
    clue_move(&app, &staff, &ids[4], "accept", json!({})).await;

    let f = app.get_json("/api/v1/clues/figures", Some(&staff.access)).await;
    assert_eq!(f["sentence"], "线索 5 件，办结 4 件，正在办理 1 件；处分 4 人", "{f}");
    assert_eq!(f["personsDealtWith"], 6);
    let count = |list: &Value, code: &str| {
        list.as_array().unwrap().iter().find(|c| c["code"] == code).unwrap()["count"].clone()
    };
    assert_eq!(count(&f["byOutcome"], "sanction"), 2);
    assert_eq!(count(&f["byCategory"], "extortion"), 2);
    let filtered = app
        .get_json("/api/v1/clues?status=closed&category=extortion", Some(&staff.access))
        .await;
    assert_eq!(filtered["items"].as_array().unwrap().len(), 2);

    let today = api::types::today().to_string();
    let res = app
        .post(
            "/api/v1/clue-bulletins",
            Some(&staff.access),
            &json!({"from": today, "to": "2020-01-01"}),
        )
        .await;
    assert_error(res, 422, "validation_failed").await;
    let first: Value = app
        .post(
            "/api/v1/clue-bulletins",
            Some(&staff.access),
            &json!({"from": today, "to": today}),
        )
        .await
        .json()
        .await
        .unwrap();
    let second: Value = app
        .post(
            "/api/v1/clue-bulletins",
            Some(&staff.access),
            &json!({"from": today, "to": today}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (first["number"].as_i64(), second["number"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(first["sentence"], f["sentence"]);
    let res = app
        .get(
            &format!("/api/v1/clue-bulletins/{}/html", first["id"].as_str().unwrap()),
            Some(&staff.access),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    let page = res.text().await.unwrap();
    assert!(page.contains("线索 5 件，办结 4 件，正在办理 1 件；处分 4 人"));
    assert!(page.contains("<svg"));
    // Figures only: no clue's text.
    assert!(!page.contains("作风问题"));
    let list = app.get_json("/api/v1/clue-bulletins", Some(&staff.access)).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_referred_demand_becomes_a_clue_and_its_unit_learns_nothing_of_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let staff = discipline(&app, &w, "c-discipline").await;
    let file = tests::world::id_of(
        app.upload("/api/v1/files", &w.member.access, tests::PNG.to_vec(), "a.png")
            .await,
    )
    .await;
    let res = app
        .post(
            "/api/v1/demands",
            Some(&w.member.access),
            &json!({"kind": "demand", "environment": "service", "title": "窗口索要好处", "content": "办事时窗口人员暗示要好处费才给办。", "anonymous": true, "attachments": [file]}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let demand: Value = res.json().await.unwrap();
    let d = demand["id"].as_str().unwrap().to_owned();
    ok(&app, &w.butler, &d, "accept", json!({})).await;
    ok(&app, &w.butler, &d, "assign", json!({"unitId": w.unit_a})).await;
    let path = format!("/api/v1/demands/{d}");
    let before = app.get_json(&path, Some(&w.handler_a.access)).await;
    let notes_before = app.get_json("/api/v1/notifications", Some(&w.handler_a.access)).await;

    // The unit's handler, another butler and another enterprise's member may not refer it;
    // its butler does, once.
    let refer = |who: &Session| {
        let who = who.access.clone();
        let app = &app;
        let d = d.clone();
        async move {
            app.post(
                &format!("/api/v1/demands/{d}/clue"),
                Some(&who),
                &json!({"category": "extortion", "note": "涉及工作人员索要好处"}),
            )
            .await
        }
    };
    assert_eq!(refer(&w.handler_a).await.status(), 403);
    let other_butler = app.butler(&w.admin, "c-other-butler").await;
    assert_eq!(refer(&other_butler).await.status(), 403);
    assert_eq!(refer(&w.other_member).await.status(), 403);
    let res = refer(&w.butler).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let clue: Value = res.json().await.unwrap();
    let clue_id = clue["clueId"].as_str().unwrap().to_owned();
    assert_error(refer(&w.butler).await, 409, "already_referred").await;
    // The referrer cannot read the clue either.
    let res = app
        .get(&format!("/api/v1/clues/{clue_id}"), Some(&w.butler.access))
        .await;
    assert_eq!(res.status(), 403);

    // The unit sees the demand exactly as before.
    let after = app.get_json(&path, Some(&w.handler_a.access)).await;
    assert_eq!(before, after);
    let notes_after = app.get_json("/api/v1/notifications", Some(&w.handler_a.access)).await;
    assert_eq!(notes_before, notes_after);

    // Discipline staff read the clue with the demand's text and its file, without the filer
    // (the demand was anonymous).
    let c = app
        .get_json(&format!("/api/v1/clues/{clue_id}"), Some(&staff.access))
        .await;
    assert_eq!(c["source"], "referral");
    assert_eq!(c["demandId"], d.as_str());
    assert_eq!(c["unitId"], w.unit_a.as_str());
    assert_eq!(c["anonymous"], true);
    assert!(c["reporter"].is_null());
    assert!(c["content"].as_str().unwrap().contains("暗示要好处费"));
    assert!(!c.to_string().contains(&format!("\"{}\"", w.member.id())));
    let res = app.get(&format!("/api/v1/files/{file}"), Some(&staff.access)).await;
    assert_eq!(res.status(), 200);
    // The filer follows it in general terms.
    let mine = app.get_json("/api/v1/me/clues", Some(&w.member.access)).await;
    assert_eq!(mine[0]["id"], clue_id.as_str());
}

#[tokio::test]
async fn a_problem_goes_to_a_unit_without_the_reporter_and_a_typical_case_reaches_enterprises() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let staff = discipline(&app, &w, "c-discipline").await;
    let c = report(
        &app,
        &w.member,
        json!({"category": "cold_hard", "unitId": w.unit_b, "content": "报关窗口态度生硬，多次被要求重复提交同一材料。"}),
    )
    .await;
    let id = c["id"].as_str().unwrap().to_owned();

    // 突出问题反馈: a demand assigned to the unit at once, under the discipline channel.
    let body = json!({"unitId": w.unit_b, "environment": "service", "title": "报关材料重复提交",
                      "content": "请梳理报关材料清单，实行一次性告知。"});
    let res = app
        .post(&format!("/api/v1/clues/{id}/feedback"), Some(&staff.access), &body)
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let fed: Value = res.json().await.unwrap();
    let demand = app
        .get_json(
            &format!("/api/v1/demands/{}", fed["demandId"].as_str().unwrap()),
            Some(&w.handler_b.access),
        )
        .await;
    assert_eq!(demand["status"], "assigned");
    assert_eq!(demand["channel"], "discipline");
    assert_eq!(demand["unit"]["id"], w.unit_b.as_str());
    let mut leaks = Vec::new();
    people_in(&demand, &w.member.id(), "", &mut leaks);
    assert!(leaks.is_empty(), "the reporter shows at {leaks:?}: {demand}");
    assert!(!demand.to_string().contains("态度生硬"), "{demand}");
    let bad = json!({"unitId": "999999", "environment": "service", "title": "t", "content": "c"});
    let res = app
        .post(&format!("/api/v1/clues/{id}/feedback"), Some(&staff.access), &bad)
        .await;
    assert_error(res, 422, "validation_failed").await;

    // 典型案例通报: only once the clue is closed; then every signed-in person reads it.
    let case =
        json!({"title": "某窗口冷硬横推问题", "body": "经核查，某单位窗口工作人员存在冷硬横推问题，已予以批评教育。"});
    let res = app
        .post(&format!("/api/v1/clues/{id}/cases"), Some(&staff.access), &case)
        .await;
    assert_error(res, 409, "clue_open").await;
    close(&app, &staff, &id, json!({"outcome": "first_form", "persons": 1})).await;
    let res = app
        .post(&format!("/api/v1/clues/{id}/cases"), Some(&staff.access), &case)
        .await;
    assert_eq!(res.status(), 201);
    let published: Value = res.json().await.unwrap();
    let cases = app.get_json("/api/v1/cases", Some(&w.other_member.access)).await;
    assert_eq!(cases["items"][0]["title"], "某窗口冷硬横推问题");
    assert!(cases["items"][0].get("clueId").is_none());
    let one = app
        .get_json(
            &format!("/api/v1/cases/{}", published["id"].as_str().unwrap()),
            Some(&w.other_member.access),
        )
        .await;
    assert_eq!(one["body"], case["body"]);
    assert_eq!(app.get("/api/v1/cases", None).await.status(), 401);
}

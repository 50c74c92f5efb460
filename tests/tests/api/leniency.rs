//! The 轻微违法免罚 / 首违不罚 lists: admins import a sheet (all or nothing, with a dry run) and
//! publish it; everyone signed in searches the published entries word by word.
use serde_json::Value;
use tests::{TestApp, assert_error, spawn_app, urlencode};

use tests::world::world;

const SHEET: &str = "黄岛区轻微违法行为免罚清单（2026年版）\n\
序号,清单类型,违法行为,法律依据,适用条件,实施单位\n\
1,首违不罚,未按规定公示营业执照,《市场主体登记管理条例》第四十八条,首次被发现且在责令期限内改正,税务局\n\
2,轻微违法免罚,未按期办理纳税申报,《税收征收管理法》第六十二条,逾期不超过五日且未造成税款损失,税务局\n\
3,,货物申报信息轻微差错,《海关行政处罚实施条例》第十五条,未影响国家税款征收及监管,customs\n";

async fn import(app: &TestApp, token: &str, query: &str, body: &str) -> reqwest::Response {
    app.upload(
        &format!("/api/v1/leniency-items/import{query}"),
        token,
        body.as_bytes().to_vec(),
        "清单.csv",
    )
    .await
}

async fn search(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let page = app
        .get_json(&format!("/api/v1/leniency-items{query}"), Some(token))
        .await;
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn admins_import_and_publish_the_lists_and_enterprises_find_an_entry_by_its_words() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let admin = &w.admin.access;
    let member = &w.member.access;

    // A row naming a unit that does not exist: the dry run lists it, the import refuses all.
    let bad = SHEET.replace(",customs\n", ",港务局\n");
    let res = import(&app, admin, "?dryRun=true", &bad).await;
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.unwrap();
    assert_eq!((report["rows"].as_u64(), report["valid"].as_u64()), (Some(3), Some(2)));
    assert_eq!(report["errors"][0]["row"], 5);
    assert_eq!(report["errors"][0]["code"], "unknown_unit");
    let res = import(&app, admin, "", &bad).await;
    let err = assert_error(res, 422, "import_rejected").await;
    assert_eq!(err["fields"][0]["field"], "rows[5].unit");
    assert!(
        search(&app, admin, "").await.is_empty(),
        "nothing of a refused file is kept"
    );
    let res = import(&app, admin, "", "违法行为,法律依据\n未公示,条例\n").await;
    assert_error(res, 422, "invalid_import_file").await;

    let res = import(&app, admin, "", SHEET).await;
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["created"], 3);
    // Drafts: admins see them, enterprises do not.
    assert!(search(&app, member, "").await.is_empty());
    let drafts = search(&app, admin, "").await;
    assert_eq!(drafts.len(), 3);
    assert_eq!(drafts[0]["published"], false);
    assert_eq!(drafts[0]["listLabel"], "首违不罚");
    assert_eq!(drafts[2]["listLabel"], "轻微违法免罚");
    assert_eq!(drafts[2]["unitName"], "海关");

    let res = app
        .post("/api/v1/leniency-items/publish", Some(admin), &serde_json::json!({}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["published"], 3);

    // Word by word, as the policy search cuts Chinese; each word must appear.
    let found = search(&app, member, &format!("?q={}", urlencode("营业执照公示"))).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["item"], "未按规定公示营业执照");
    let found = search(&app, member, &format!("?q={}", urlencode("纳税 申报"))).await;
    assert_eq!(found[0]["legalBasis"], "《税收征收管理法》第六十二条");
    assert!(
        search(&app, member, &format!("?q={}", urlencode("营业执照 海关")))
            .await
            .is_empty()
    );
    assert!(
        search(&app, member, &format!("?q={}", urlencode("%"))).await.is_empty(),
        "a typed % is no wildcard"
    );
    assert_eq!(search(&app, member, "?list=first").await.len(), 1);
    assert_eq!(search(&app, member, &format!("?unitId={}", w.unit_b)).await.len(), 1);
    // Paged in list order.
    let first = app.get_json("/api/v1/leniency-items?limit=2", Some(member)).await;
    let cursor = first["nextCursor"].as_str().unwrap();
    let rest = search(&app, member, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["item"], "货物申报信息轻微差错");
    app.get_error(
        "/api/v1/leniency-items?list=all",
        Some(member),
        422,
        "validation_failed",
    )
    .await;

    // Only admins import and publish.
    assert_eq!(import(&app, member, "", SHEET).await.status(), 403);
    let res = app
        .post(
            "/api/v1/leniency-items/publish",
            Some(&w.butler.access),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(res.status(), 403);
}

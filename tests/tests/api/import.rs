//! Bulk import of enterprises from a registry export, and the industry picker.
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_error, spawn_app, uscc};

const HEADING: &str = "序号,企业名称,统一社会信用代码,国民经济行业代码,企业规模,成立日期,所属区域,资质,标签";

/// A registry export: a title line, the heading, then `rows`.
fn csv(rows: &[String]) -> Vec<u8> {
    let mut text = String::from("\u{feff}自贸片区新设企业名录（2026年11月）\n");
    text.push_str(HEADING);
    text.push('\n');
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    text.into_bytes()
}

fn bad_check_digit(n: u32) -> String {
    let mut code = uscc(n);
    let last = code.pop().unwrap();
    code.push(if last == '0' { '1' } else { '0' });
    code
}

async fn import(app: &TestApp, who: &Session, query: &str, bytes: Vec<u8>, name: &str) -> reqwest::Response {
    app.upload(&format!("/api/v1/enterprises/import{query}"), &who.access, bytes, name)
        .await
}

async fn enterprise_count(app: &TestApp, admin: &Session) -> usize {
    let page: Value = app
        .get("/api/v1/enterprises?limit=100", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().len()
}

fn codes(report: &Value, key: &str) -> Vec<(u64, String, String)> {
    report[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap_or("").to_owned(),
                e["code"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_dry_run_reports_each_bad_row_and_the_real_run_imports_all_or_none() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let existing = app.create_enterprise(&admin, 1, None).await;
    let file = csv(&[
        // Row 3: good, the industry as the registry writes it (digits and name).
        format!(
            "1,星河软件有限公司,{},6513 应用软件开发,小型,2019/3/5,湖里片区,高新技术企业；专精特新,软件",
            uscc(100)
        ),
        // Row 4: good, a full code and a Chinese date.
        format!(
            "2,海丝跨境贸易有限公司,{},F5181,微型企业,2024年7月1日,,,跨境电商",
            uscc(101)
        ),
        // Row 5: a wrong check digit.
        format!("3,错码公司,{},I6513,小型,2020-01-01,,,", bad_check_digit(102)),
        // Row 6: an industry code that does not exist, and an unknown scale.
        format!("4,未知行业公司,{},9999,巨型,2020-01-01,,,", uscc(103)),
        // Row 7: row 3 again.
        format!("5,星河软件（重复）,{},I6513,小型,2019-03-05,,,", uscc(100)),
        // Row 8: already registered: skipped, not an error.
        format!("6,已登记公司,{},I6513,小型,2020-05-01,,,", uscc(1)),
        // Row 9 is blank and ignored.
        ",,,,,,,,".to_owned(),
    ]);
    assert_eq!(enterprise_count(&app, &admin).await, 1);

    // Only admins import.
    let member = app
        .member_of(&admin, "o-importer", existing["id"].as_str().unwrap())
        .await;
    assert_error(
        import(&app, &member, "?dryRun=true", file.clone(), "名录.csv").await,
        403,
        "forbidden",
    )
    .await;

    // The dry run: every problem with its row number, nothing written.
    let res = import(&app, &admin, "?dryRun=true", file.clone(), "名录.csv").await;
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["dryRun"], true);
    assert_eq!(report["rows"], 6);
    assert_eq!(report["valid"], 2);
    assert_eq!(report["created"], 0);
    assert_eq!(
        codes(&report, "errors"),
        vec![
            (5, "uscc".into(), "invalid_check_digit".into()),
            (6, "industryCode".into(), "unknown_industry".into()),
            (6, "scale".into(), "invalid_scale".into()),
            (7, "uscc".into(), "duplicate".into()),
        ]
    );
    assert!(report["errors"][3]["message"].as_str().unwrap().contains("第 3 行"));
    assert_eq!(report["skipped"][0]["row"], 8);
    assert_eq!(report["skipped"][0]["enterpriseId"], existing["id"]);
    assert_eq!(enterprise_count(&app, &admin).await, 1);

    // The real run with bad rows imports none of them, by default.
    let err = assert_error(
        import(&app, &admin, "", file.clone(), "名录.csv").await,
        422,
        "import_rejected",
    )
    .await;
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["rows[5].uscc", "rows[6].industryCode", "rows[6].scale", "rows[7].uscc"]
    );
    assert!(err["message"].as_str().unwrap().contains("3 行"));
    assert_eq!(enterprise_count(&app, &admin).await, 1);

    // Asked to skip the bad rows, it imports the good ones, marked for the call-back programme.
    let res = import(&app, &admin, "?onError=skip", file.clone(), "名录.csv").await;
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["created"], 2);
    assert_eq!(report["errors"].as_array().unwrap().len(), 4);
    let page: Value = app
        .get(&format!("/api/v1/enterprises?q={}", uscc(100)), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    let star = &page["items"][0];
    assert_eq!(star["name"], "星河软件有限公司");
    assert_eq!(star["industryCode"], "I6513");
    assert_eq!(star["scale"], "small");
    assert_eq!(star["registeredAt"], "2019-03-05");
    assert_eq!(star["district"], "湖里片区");
    assert_eq!(star["qualifications"], json!(["高新技术企业", "专精特新"]));
    assert_eq!(star["tags"], json!(["软件"]));
    assert_eq!(star["needsCallback"], true);
    assert_eq!(enterprise_count(&app, &admin).await, 3);

    // Importing the same export again creates nothing: the registered ones are skipped.
    let report: Value = import(&app, &admin, "?onError=skip", file, "名录.csv")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["created"], 0);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 3);
    assert_eq!(enterprise_count(&app, &admin).await, 3);
}

#[tokio::test]
async fn an_excel_export_in_one_transaction() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let heading = ["企业名称", "统一社会信用代码", "行业代码", "企业规模", "成立日期"];
    for (j, h) in heading.iter().enumerate() {
        sheet.write_string(0, j as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2021, 6, 18).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
    for i in 0..30u32 {
        let r = i + 1;
        sheet.write_string(r, 0, format!("表格企业{i}有限公司")).unwrap();
        sheet.write_string(r, 1, uscc(500 + i)).unwrap();
        // The industry class typed as a number, as spreadsheets keep it.
        sheet.write_number(r, 2, 6513.0).unwrap();
        sheet.write_string(r, 3, "中型").unwrap();
        sheet.write_datetime_with_format(r, 4, &date, &format).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let res = import(&app, &admin, "", bytes, "名录.xlsx").await;
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.unwrap();
    assert_eq!(
        (report["rows"].as_u64(), report["created"].as_u64()),
        (Some(30), Some(30))
    );
    let page: Value = app
        .get(&format!("/api/v1/enterprises?q={}", uscc(529)), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["registeredAt"], "2021-06-18");
    assert_eq!(page["items"][0]["industryCode"], "I6513");
    assert_eq!(page["items"][0]["scale"], "medium");
}

#[tokio::test]
async fn files_that_are_not_a_registry_export_are_refused_clearly() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let err = assert_error(
        import(&app, &admin, "", "企业名称,统一社会信用代码\n甲,x\n".into(), "a.csv").await,
        422,
        "invalid_import_file",
    )
    .await;
    assert!(err["fields"][0]["message"].as_str().unwrap().contains("行业代码"));
    assert_error(
        import(&app, &admin, "", "a,b\n1,2\n".into(), "a.csv").await,
        422,
        "invalid_import_file",
    )
    .await;
    let err = assert_error(
        import(&app, &admin, "", b"PK\x03\x04broken".to_vec(), "a.xlsx").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"][0]["code"], "unreadable");
    let err = assert_error(
        import(&app, &admin, "", csv(&[]), "a.csv").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(err["fields"][0]["code"], "empty");
}

#[tokio::test]
async fn the_industry_picker_finds_classes_by_code_or_name() {
    let app = spawn_app().await;
    let s = app.sign_in("o-picker").await;
    let found: Value = app
        .get("/api/v1/industries?q=6513", Some(&s.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found[0]["code"], "I6513");
    assert_eq!(found[0]["level"], 4);
    assert!(found[0]["path"].as_str().unwrap().starts_with("信息传输"));
    let found: Value = app
        .get("/api/v1/industries?q=%E8%BD%AF%E4%BB%B6&limit=3", Some(&s.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found.as_array().unwrap().len(), 3);
    let none: Value = app
        .get("/api/v1/industries?q=", Some(&s.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none, json!([]));
    app.get_error("/api/v1/industries?q=6513", None, 401, "unauthenticated")
        .await;
}

//! 「企业之声」 reports: a known set of demands over two weeks, the weekly job for the second
//! week, every figure checked against values worked out by hand, regeneration, the HTML in a
//! real browser and the Excel.
use std::path::{Path, PathBuf};

use api::domain::report::{Period, ReportKind};
use chrono::{DateTime, Duration, Utc};
use entity::{demand, demand_event};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_error, spawn_app};

struct Seed {
    title: &'static str,
    content: &'static str,
    channel: &'static str,
    environment: &'static str,
    unit: Option<i64>,
    status: &'static str,
    created: DateTime<Utc>,
    accepted: Option<DateTime<Utc>>,
    sign_due: Option<DateTime<Utc>>,
    signed: Option<DateTime<Utc>>,
    reply_due: Option<DateTime<Utc>>,
    replied: Option<(DateTime<Utc>, bool)>,
    rated: Option<(DateTime<Utc>, bool)>,
    closed: Option<DateTime<Utc>>,
}

/// A demand as filed at `created` and left untouched since.
fn filed(
    title: &'static str,
    content: &'static str,
    channel: &'static str,
    environment: &'static str,
    created: DateTime<Utc>,
) -> Seed {
    Seed {
        title,
        content,
        channel,
        environment,
        unit: None,
        status: "submitted",
        created,
        accepted: None,
        sign_due: None,
        signed: None,
        reply_due: None,
        replied: None,
        rated: None,
        closed: None,
    }
}

/// Files a demand through the API, then sets its history to `s`: its columns and its timeline.
/// Returns its number.
async fn seed(app: &TestApp, member: &Session, s: Seed) -> String {
    let res = app
        .post(
            "/api/v1/demands",
            Some(&member.access),
            &json!({"kind": "demand", "environment": s.environment, "title": s.title, "content": s.content}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let id: i64 = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let d = demand::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    let number = d.number.clone();
    let mut a: demand::ActiveModel = d.into();
    a.channel = Set(entity::codes::Channel::parse(s.channel).unwrap());
    a.unit_id = Set(s.unit);
    a.status = Set(entity::codes::Status::parse(s.status).unwrap());
    a.created_at = Set(s.created);
    a.accept_due_at = Set(Some(s.created + Duration::hours(24)));
    a.accepted_at = Set(s.accepted);
    a.sign_due_at = Set(s.sign_due);
    a.signed_at = Set(s.signed);
    a.reply_due_at = Set(s.reply_due);
    a.replied_at = Set(s.replied.map(|r| r.0));
    a.reply_late = Set(s.replied.map(|r| r.1));
    a.rated_at = Set(s.rated.map(|r| r.0));
    a.rating_satisfied = Set(s.rated.map(|r| r.1));
    a.closed_at = Set(s.closed);
    a.update(&app.db).await.unwrap();
    // Its timeline, as those moves would have written it.
    use sea_orm::{ColumnTrait, QueryFilter};
    demand_event::Entity::delete_many()
        .filter(demand_event::Column::DemandId.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    let mut events = vec![("submit", "submitted", s.created, None)];
    if let Some(at) = s.accepted {
        events.push(("accept", "accepted", at, None));
    }
    if let (Some(unit), Some(at)) = (s.unit, s.accepted) {
        let due = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339());
        let data = json!({"unitId": unit.to_string(), "signDueAt": due(s.sign_due), "replyDueAt": due(s.reply_due)});
        events.push(("assign", "assigned", at + Duration::seconds(1), Some(data)));
    }
    if let Some(at) = s.signed {
        events.push(("sign", "in_progress", at, None));
    }
    if let Some((at, _)) = s.replied {
        events.push(("reply", "replied", at, None));
    }
    if let Some((at, satisfied)) = s.rated {
        let to = if satisfied { "closed" } else { s.status };
        events.push(("rate", to, at, Some(json!({"satisfied": satisfied}))));
    }
    let mut from: Option<&str> = None;
    for (action, to, at, data) in events {
        demand_event::ActiveModel {
            demand_id: Set(id),
            action: Set(entity::codes::Action::parse(action).unwrap()),
            from_status: Set(from.and_then(entity::codes::Status::parse)),
            to_status: Set(entity::codes::Status::parse(to).unwrap()),
            actor_id: Set(None),
            actor_role: Set(None),
            actor_unit_id: Set(None),
            note: Set(None),
            data: Set(data),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        from = Some(to);
    }
    // Written behind the server's back: tell its kept answers, as the server's own writes do.
    api::answers::publish(&app.state.cache).await;
    number
}

fn rows(v: &Value) -> Vec<(String, u64, u64, i64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["label"].as_str().unwrap().to_owned(),
                r["current"]["received"].as_u64().unwrap(),
                r["previous"]["received"].as_u64().unwrap(),
                r["change"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn artifacts() -> PathBuf {
    // `target/` of the workspace (or CARGO_TARGET_DIR), kept by CI as an artifact.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("report-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Pixels of the screenshot close to a colour.
fn pixels_like(png_path: &Path, rgb: (u8, u8, u8)) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png_path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| {
            let near = |a: u8, b: u8| a.abs_diff(b) <= 12;
            near(p[0], rgb.0) && near(p[1], rgb.1) && near(p[2], rgb.2)
        })
        .count()
}

/// Two weeks of demands (P1, P2 in the first; C1–C5 in the second, C5 closed after it) and the
/// weekly job run on the Monday after: the report on the second week.
struct Weeks {
    app: TestApp,
    admin: Session,
    member: Session,
    market: i64,
    w1: Period,
    w2: Period,
    today: chrono::NaiveDate,
    monday_nine: DateTime<Utc>,
    report: api::service::reports::Report,
    id: String,
    got: Value,
    p2: String,
    c2: String,
    c3: String,
    c4: String,
    c5: String,
}

async fn two_weeks() -> Weeks {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let tax: i64 = app.create_unit(&admin, "tax", "税务局").await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let market: i64 = app.create_unit(&admin, "market", "市场监管局").await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let e = app.create_enterprise(&admin, 1, None).await;
    let member = app.member_of(&admin, "r-member", e["id"].as_str().unwrap()).await;
    // The administration's own group, where reports go; another group that must not get them.
    for (name, key, tags) in [
        ("管委会工作群", "key-admin", json!(["管理群"])),
        ("湖里企业群", "key-huli", json!(["湖里片区"])),
    ] {
        let res = app
            .post(
                "/api/v1/bot/groups",
                Some(&admin.access),
                &json!({"name": name, "webhookKey": key, "tags": tags, "enterpriseIds": []}),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }

    let today = api::types::today();
    let w2 = Period::last_complete(ReportKind::Weekly, today);
    let w1 = w2.previous();
    let (s1, s2, e2) = (w1.start(), w2.start(), w2.end());
    let h = Duration::hours;

    // Week 1: one closed and satisfied, one never accepted.
    let _p1 = seed(
        &app,
        &member,
        Seed {
            unit: Some(tax),
            status: "closed",
            accepted: Some(s1 + h(11)),
            reply_due: Some(s1 + h(60)),
            replied: Some((s1 + h(20), false)),
            rated: Some((s1 + h(30), true)),
            closed: Some(s1 + h(30)),
            ..filed(
                "报关单据审核慢",
                "报关单据审核时间长",
                "miniprogram",
                "service",
                s1 + h(10),
            )
        },
    )
    .await;
    let p2 = seed(
        &app,
        &member,
        filed(
            "人才补贴申请咨询",
            "人才补贴申请材料清单",
            "hotline",
            "policy",
            s1 + h(12),
        ),
    )
    .await;
    // Week 2.
    let _c1 = seed(
        &app,
        &member,
        Seed {
            unit: Some(tax),
            status: "closed",
            accepted: Some(s2 + h(11)),
            reply_due: Some(s2 + h(80)),
            replied: Some((s2 + h(30), false)),
            rated: Some((s2 + h(40), true)),
            closed: Some(s2 + h(40)),
            ..filed("出口退税办理慢", "出口退税进度慢", "miniprogram", "service", s2 + h(10))
        },
    )
    .await;
    let c2 = seed(
        &app,
        &member,
        Seed {
            unit: Some(tax),
            status: "closed",
            accepted: Some(s2 + h(13)),
            reply_due: Some(s2 + h(40)),
            replied: Some((s2 + h(50), true)),
            rated: Some((s2 + h(60), false)),
            closed: Some(s2 + h(60)),
            ..filed(
                "出口退税材料反复提交",
                "出口退税材料要求反复提交",
                "miniprogram",
                "factor",
                s2 + h(12),
            )
        },
    )
    .await;
    let c3 = seed(
        &app,
        &member,
        Seed {
            unit: Some(market),
            status: "in_progress",
            accepted: Some(s2 + h(15)),
            sign_due: Some(s2 + h(20)),
            signed: Some(s2 + h(18)),
            reply_due: Some(s2 + h(100)),
            ..filed(
                "食品经营许可证办理",
                "食品经营许可证窗口排队",
                "hotline",
                "service",
                s2 + h(14),
            )
        },
    )
    .await;
    let c4 = seed(
        &app,
        &member,
        filed("首贷贴息政策咨询", "首贷贴息申报条件", "bot", "policy", s2 + h(16)),
    )
    .await;
    // Closed and rated after the week ended: open and unrated in this report.
    let c5 = seed(
        &app,
        &member,
        Seed {
            unit: Some(tax),
            status: "closed",
            accepted: Some(s2 + h(21)),
            reply_due: Some(s2 + h(120)),
            replied: Some((s2 + h(100), false)),
            rated: Some((e2 + h(2), true)),
            closed: Some(e2 + h(2)),
            ..filed(
                "出口退税进度查询",
                "出口退税进度无法查询",
                "miniprogram",
                "service",
                s2 + h(20),
            )
        },
    )
    .await;

    // Monday 09:00 after week 2: the weekly job.
    let monday_nine = e2 + h(9);
    let (report, groups) = api::jobs::reports::run_once(&app.state, ReportKind::Weekly, monday_nine)
        .await
        .unwrap();
    assert_eq!(groups, 1, "only the group tagged 管理群");
    assert_eq!(report.head.number, 1);
    let id = report.head.id.to_string();
    let got: Value = app
        .get(&format!("/api/v1/reports/{id}"), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    Weeks {
        app,
        admin,
        member,
        market,
        w1,
        w2,
        today,
        monday_nine,
        report,
        id,
        got,
        p2,
        c2,
        c3,
        c4,
        c5,
    }
}

#[tokio::test]
async fn the_weekly_job_states_every_figure_as_worked_out_by_hand() {
    let Weeks {
        w1,
        w2,
        got,
        p2,
        c2,
        c3,
        c4,
        c5,
        ..
    } = two_weeks().await;
    let d = &got["data"];
    assert_eq!(d["title"], "「企业之声」周报 第1期");
    assert_eq!(d["periodFrom"], w2.from.to_string());
    assert_eq!(d["periodTo"], w2.to.to_string());
    assert_eq!(d["previousFrom"], w1.from.to_string());

    // Totals, worked out by hand. This week: 5 received; accepted C1 C2 C3 C5; replied C1 C2 C5
    // (C2 late); closed C1 C2 (C5 closed after the week); rated C1 (satisfied) and C2.
    let t = &d["total"];
    assert_eq!(
        t["current"],
        json!({"received": 5, "accepted": 4, "replied": 3, "repliedInTime": 2, "closed": 2, "merged": 0,
               "rated": 2, "satisfied": 1, "completionRate": 0.4, "satisfactionRate": 0.5, "onTimeRate": 0.6667})
    );
    // Last week, as it stood at its end: 2 received, P1 through to a satisfied close.
    assert_eq!(
        t["previous"],
        json!({"received": 2, "accepted": 1, "replied": 1, "repliedInTime": 1, "closed": 1, "merged": 0,
               "rated": 1, "satisfied": 1, "completionRate": 0.5, "satisfactionRate": 1.0, "onTimeRate": 1.0})
    );
    assert_eq!((t["change"].as_i64(), t["changeRate"].as_f64()), (Some(3), Some(1.5)));

    assert_eq!(
        rows(&d["byChannel"]),
        [
            ("小程序".to_owned(), 3, 1, 2),
            ("自贸一拨通热线".to_owned(), 1, 1, 0),
            ("企业群机器人".to_owned(), 1, 0, 1),
        ]
    );
    assert_eq!(d["byChannel"][2]["changeRate"], Value::Null, "nothing before: no rate");
    assert_eq!(
        rows(&d["byEnvironment"]),
        [
            ("服务环境".to_owned(), 3, 1, 2),
            ("政策环境".to_owned(), 1, 1, 0),
            ("要素环境".to_owned(), 1, 0, 1),
        ]
    );
    assert_eq!(
        rows(&d["byUnit"]),
        [
            ("税务局".to_owned(), 3, 1, 2),
            ("未派单".to_owned(), 1, 1, 0),
            ("市场监管局".to_owned(), 1, 0, 1),
        ]
    );
    // 税务局 this week: C1 C2 C5 received, C1 C2 closed, one of two rated satisfied.
    let tax_row = &d["byUnit"][0]["current"];
    assert_eq!(
        (
            tax_row["closed"].as_u64(),
            tax_row["completionRate"].as_f64(),
            tax_row["satisfactionRate"].as_f64()
        ),
        (Some(2), Some(0.6667), Some(0.5))
    );

    // Overdue at the end of the week, longest overdue first: P2 and C4 never accepted, C3's
    // reply past its deadline.
    let overdue: Vec<(&str, &str)> = d["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["number"].as_str().unwrap(), c["missed"].as_str().unwrap()))
        .collect();
    assert_eq!(
        overdue,
        [(p2.as_str(), "受理"), (c4.as_str(), "受理"), (c3.as_str(), "答复")]
    );

    // Hot topics, the ten most frequent words of this week's titles and texts: 出口 and 退税
    // (jieba cuts 出口退税 in two) in C1, C2 and C5, twice each: 6; 进度 in C1's text and
    // C5's title and text: 3; then the words seen twice, in the order first seen: 办理 (C1,
    // C3), 材料 反复 提交 (C2), 食品 经营 许可证 (C3); 查询 (C5, twice) comes eleventh. One
    // character words (慢) never count, nor last week's words (报关, 人才).
    let topics: Vec<(&str, u64)> = d["hotTopics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["word"].as_str().unwrap(), w["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        topics,
        [
            ("出口", 6),
            ("退税", 6),
            ("进度", 3),
            ("办理", 2),
            ("材料", 2),
            ("反复", 2),
            ("提交", 2),
            ("食品", 2),
            ("经营", 2),
            ("许可证", 2)
        ]
    );

    // Notable: open longest (P2 first, 13 whole days), the unsatisfied C2.
    let longest: Vec<(&str, i64)> = d["notable"]["longestOpen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["number"].as_str().unwrap(), c["daysOpen"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        longest,
        [(p2.as_str(), 13), (c3.as_str(), 6), (c4.as_str(), 6), (c5.as_str(), 6)]
    );
    // Each as it stood at the end of the week: C5, closed since, was waiting for its rating.
    let statuses: Vec<&str> = d["notable"]["longestOpen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["已提交", "办理中", "已提交", "已答复"]);
    let unsatisfied: Vec<&str> = d["notable"]["unsatisfied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap())
        .collect();
    assert_eq!(unsatisfied, [c2.as_str()]);
    assert_eq!(
        d["programs"],
        json!({"events": 0, "submissions": 0, "complaints": 0, "metoos": 0})
    );
    assert_eq!(
        d["callbacks"]["new"], 0,
        "the enterprise was registered today, not in the week"
    );
    let trend = d["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 8);
    assert_eq!(
        (trend[6]["received"].as_u64(), trend[7]["received"].as_u64()),
        (Some(2), Some(5))
    );
    assert_eq!(
        got["headline"],
        json!({"received": 5, "completionRate": 0.4, "satisfactionRate": 0.5, "overdue": 3})
    );
}

#[tokio::test]
async fn a_report_regenerated_after_later_moves_is_the_same_and_pushed_once() {
    let Weeks {
        app,
        admin,
        market,
        w1,
        w2,
        monday_nine,
        report,
        id,
        got,
        c3,
        ..
    } = two_weeks().await;
    let h = Duration::hours;

    // The unit answers C3 now, after the week: the week's report does not change.
    let handler = app.sign_in("r-market-handler").await;
    app.grant(
        &admin,
        &handler.id(),
        json!({"role": "handler", "unitId": market.to_string()}),
    )
    .await;
    let found: Value = app
        .get_json(&format!("/api/v1/demands?q={c3}"), Some(&admin.access))
        .await;
    let c3_id = found["items"][0]["id"].as_str().unwrap();
    let res = app
        .post(
            &format!("/api/v1/demands/{c3_id}/reply"),
            Some(&handler.access),
            &json!({"content": "已开设绿色通道"}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // Regenerating (by hand, later) gives the same report under the same number; running the
    // job again pushes nothing new.
    let again: Value = app
        .post(
            "/api/v1/reports",
            Some(&admin.access),
            &json!({"kind": "weekly", "periodFrom": w2.from}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["id"], id.as_str());
    assert_eq!(again["number"], 1);
    assert_eq!(again["data"], got["data"]);
    let (same, _) = api::jobs::reports::run_once(&app.state, ReportKind::Weekly, monday_nine + h(1))
        .await
        .unwrap();
    assert_eq!(same.head.id, report.head.id);
    let pushes: Vec<(String, String)> = {
        use sea_orm::{ColumnTrait, QueryFilter};
        entity::outbox::Entity::find()
            .filter(entity::outbox::Column::Kind.eq("report"))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|p| {
                (
                    p.dedup_key,
                    p.payload["markdown"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(pushes.len(), 1, "{pushes:?}");
    assert!(
        pushes[0].1.contains("「企业之声」周报 第1期")
            && pushes[0]
                .1
                .contains("收到诉求：<font color=\"info\">5</font> 件（周环比 +3）"),
        "{}",
        pushes[0].1
    );

    // The week before gets the next number; the list is newest period first.
    let earlier: Value = app
        .post(
            "/api/v1/reports",
            Some(&admin.access),
            &json!({"kind": "weekly", "periodFrom": w1.from}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (earlier["number"].as_i64(), earlier["headline"]["received"].as_u64()),
        (Some(2), Some(2))
    );
    let list: Value = app
        .get("/api/v1/reports?kind=weekly", Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    let numbers: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2]);
}

#[tokio::test]
async fn a_report_is_refused_for_a_period_not_ended_and_to_anyone_but_admins() {
    let Weeks {
        app,
        admin,
        member,
        w2,
        today,
        id,
        ..
    } = two_weeks().await;

    // Unhappy paths: a period not ended, a day that starts no week, a member, an unknown id.
    let this_week = Period::containing(ReportKind::Weekly, today);
    assert_error(
        app.post(
            "/api/v1/reports",
            Some(&admin.access),
            &json!({"kind": "weekly", "periodFrom": this_week.from}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/reports",
            Some(&admin.access),
            &json!({"kind": "weekly", "periodFrom": w2.from + Duration::days(1)}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/reports",
            Some(&admin.access),
            &json!({"kind": "daily", "periodFrom": w2.from}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    app.get_error("/api/v1/reports", Some(&member.access), 403, "forbidden")
        .await;
    app.get_error(
        &format!("/api/v1/reports/{id}/html"),
        Some(&member.access),
        403,
        "forbidden",
    )
    .await;
    app.get_error("/api/v1/reports/99999", Some(&admin.access), 404, "report_not_found")
        .await;
}

#[tokio::test]
async fn the_report_reads_as_excel_and_opens_in_a_browser_with_its_charts() {
    let Weeks {
        app, admin, id, p2, c3, ..
    } = two_weeks().await;

    // The Excel: every sheet, the figures as numbers.
    let res = app
        .get(&format!("/api/v1/reports/{id}/xlsx"), Some(&admin.access))
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    {
        use calamine::{Data, Reader, Xlsx};
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        for sheet in [
            "概览",
            "按渠道",
            "按营商环境",
            "按承办单位",
            "超期清单",
            "热点话题",
            "走势",
        ] {
            assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
        }
        let channels = book.worksheet_range("按渠道").unwrap();
        assert_eq!(channels.get((1, 0)), Some(&Data::String("小程序".into())));
        assert_eq!(channels.get((1, 1)), Some(&Data::Float(3.0)));
        assert_eq!(channels.get((1, 3)), Some(&Data::Float(2.0)));
        let overdue = book.worksheet_range("超期清单").unwrap();
        assert_eq!(overdue.get((1, 0)), Some(&Data::String(p2.clone())));
    }

    // The HTML opens in headless Chromium and the screenshot shows the charts.
    let res = app
        .get(&format!("/api/v1/reports/{id}/html"), Some(&admin.access))
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert_eq!(html.matches("<svg").count(), 3, "three charts inline");
    for text in [
        "「企业之声」周报 第1期",
        "按周诉求量",
        "按营商环境分类",
        "办结率与满意率走势",
        "超期清单",
        c3.as_str(),
    ] {
        assert!(html.contains(text), "{text}");
    }
    let dir = artifacts();
    let page = dir.join("weekly-report.html");
    std::fs::write(&page, &html).unwrap();
    let shot = dir.join("weekly-report.png");
    let _ = std::fs::remove_file(&shot);
    let out = std::process::Command::new(tests::browser())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1000,2000",
            &format!("--screenshot={}", shot.display()),
            &format!("file://{}", page.display()),
        ])
        .output()
        .unwrap();
    assert!(shot.exists(), "no screenshot: {}", String::from_utf8_lossy(&out.stderr));
    // The bars are drawn in the theme blue (#0052d9), the page itself has little of it: the
    // charts are on the screenshot.
    let blue = pixels_like(&shot, (0, 82, 217));
    assert!(blue > 2_000, "only {blue} chart-blue pixels in {}", shot.display());
}

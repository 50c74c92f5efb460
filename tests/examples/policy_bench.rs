//! Policy bench: imports 30,000 enterprises from a registry CSV through the real server, adds
//! 1,000 published policies with varied conditions and Chinese text, then times
//!   - one policy's matched set (`matched_ids`, what publishing and `/matches` compute),
//!   - one enterprise's matches (`matches_for`, the "policies for me" feed),
//!   - search over 1,000 queries (the index of each replica),
//!
//! each also through HTTP. SQLite by default; PostgreSQL when TEST_DATABASE_URL is set:
//!
//!   cargo run --release -p tests --example policy_bench
//!   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo run --release -p tests --example policy_bench
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use api::domain::enterprise::Scale;
use api::domain::policy::Conditions;
use api::search::SearchFilter;
use api::service::policies::{self, PolicyInput};
use sea_orm::EntityTrait;
use serde_json::Value;
use tests::{spawn_app_with, uscc};

const ENTERPRISES: u32 = 30_000;
const POLICIES: usize = 1_000;
const QUERIES: usize = 1_000;

/// A deterministic spread: each call site salts the index so the fields are independent.
fn pick<T: Copy>(items: &[T], n: usize) -> T {
    let h = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
    items[usize::try_from(h % items.len() as u64).unwrap()]
}

const CLASSES: &[&str] = &[
    "I6513", "I6511", "I6531", "I6421", "C3491", "C3971", "C3562", "C2710", "F5181", "F5191", "F5292", "G5821",
    "M7320", "M7520", "L7212", "J6621", "E4790", "C1762", "H6110", "R8730",
];
const DISTRICTS: &[&str] = &["湖里片区", "海沧片区", "象屿片区", "翔安片区"];
const QUALIFICATIONS: &[&str] = &[
    "",
    "",
    "",
    "高新技术企业",
    "专精特新",
    "科技型中小企业",
    "高新技术企业；专精特新",
];
const TAGS: &[&str] = &["", "软件", "出海", "跨境电商", "制造", "研发", "外贸", "物流"];
const SCALES: &[&str] = &["微型", "小型", "小型", "中型", "大型"];

fn registry_csv() -> Vec<u8> {
    let mut text = String::from("企业名称,统一社会信用代码,行业代码,企业规模,成立日期,所属区域,资质,标签\n");
    for i in 0..ENTERPRISES {
        let n = i as usize;
        let year = 2000 + (n * 7 % 26);
        let month = 1 + n % 12;
        text.push_str(&format!(
            "基准测试企业{i}有限公司,{},{},{},{year}-{month:02}-15,{},{},{}\n",
            uscc(100_000 + i),
            pick(CLASSES, n),
            pick(SCALES, n + 11),
            pick(DISTRICTS, n + 23),
            pick(QUALIFICATIONS, n + 37),
            pick(TAGS, n + 41),
        ));
    }
    text.into_bytes()
}

const TOPICS: &[(&str, &str)] = &[
    ("人才引进补贴", "人才"),
    ("高新技术企业认定奖励", "高新技术企业"),
    ("跨境电子商务发展扶持", "跨境电商"),
    ("首次贷款贴息", "金融"),
    ("研发费用加计扣除辅导", "研发"),
    ("专精特新企业培育", "专精特新"),
    ("厂房租金补助", "制造"),
    ("外贸企业出口信用保险补助", "外贸"),
    ("软件企业增值税即征即退", "软件"),
    ("物流企业运费补贴", "物流"),
    ("知识产权质押融资贴息", "金融"),
    ("技术改造设备投资补助", "制造"),
];
const SENTENCES: &[&str] = &[
    "为进一步优化营商环境，激发市场主体活力，结合自贸片区实际，制定本措施。",
    "符合条件的企业可按规定申请相应补助，同一项目不重复享受。",
    "申报单位应当在申报截止日前通过平台提交申请材料，逾期不予受理。",
    "对经认定的企业，按照实际发生费用的百分之五十给予补贴，最高不超过一百万元。",
    "本措施由片区管委会负责解释，自发布之日起施行，有效期三年。",
    "企业应当对申报材料的真实性负责，弄虚作假的，追回已拨付资金并纳入失信名单。",
    "鼓励金融机构为中小微企业提供首贷、续贷和信用贷款服务。",
    "支持企业引进高层次人才和紧缺急需人才，给予安家补贴和租房补贴。",
];

fn policy_input(n: usize) -> PolicyInput {
    let (topic, tag) = pick(TOPICS, n);
    let mut conditions = Conditions::default();
    // A spread from broad (no condition: all 30,000) to narrow (a class, a scale, a district).
    match n % 5 {
        0 => {}
        1 => conditions.industries = vec![pick(CLASSES, n)[..1].to_owned()],
        2 => {
            conditions.industries = vec![pick(CLASSES, n)[..3].to_owned()];
            conditions.scales = vec![Scale::Micro, Scale::Small];
        }
        3 => {
            conditions.qualifications = vec![pick(&["高新技术企业", "专精特新"], n).to_owned()];
            conditions.min_years = Some(2);
        }
        _ => {
            conditions.industries = vec![pick(CLASSES, n).to_owned()];
            conditions.districts = vec![pick(DISTRICTS, n).to_owned()];
            conditions.max_years = Some(10);
        }
    }
    let body: String = (0..12).map(|i| pick(SENTENCES, n * 13 + i)).collect();
    PolicyInput {
        title: format!("关于{topic}的若干措施（第{n}号）"),
        issuer: pick(&["自贸片区管委会", "市科技局", "市商务局", "市人社局"], n).to_owned(),
        doc_number: Some(format!("厦自贸〔2026〕{n}号")),
        published_on: None,
        effective_on: None,
        expires_on: None,
        apply_by: None,
        for_whom: format!("片区内符合条件的{tag}相关企业"),
        benefits: format!("{topic}，最高一百万元"),
        how_to_apply: "登录平台在线申报，提交营业执照和相关证明材料。".to_owned(),
        contact: "片区企业服务中心 0592-0000000".to_owned(),
        full_text: format!("{topic}。{body}"),
        attachments: Vec::new(),
        tags: vec![tag.to_owned()],
        conditions: conditions.validated("conditions").unwrap(),
    }
}

const QUERY_WORDS: &[&str] = &[
    "人才补贴",
    "高企",
    "首贷",
    "跨境电商",
    "研发费用",
    "专精特新",
    "租金",
    "出口信用保险",
    "软件企业",
    "运费补贴",
    "知识产权质押",
    "技术改造",
    "安家补贴",
    "贴息",
    "增值税",
    "人才 租房",
    "申报材料",
    "高新技术企业认定",
    "信用贷款",
    "设备投资",
];

struct Figures(Vec<Duration>);

impl Figures {
    fn print(mut self, label: &str, extra: &str) {
        self.0.sort();
        let at = |q: f64| self.0[((self.0.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
        println!(
            "{label:<46} p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms   (n={}) {extra}",
            at(0.5),
            at(0.99),
            at(1.0),
            self.0.len()
        );
    }
}

#[tokio::main]
async fn main() {
    // One client sends everything: the per-address limits would measure themselves.
    let app = spawn_app_with(|s| {
        s.jobs.enabled = false;
        s.rate_limit.enabled = false;
    })
    .await;
    let backend = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("policy bench on {backend}: {ENTERPRISES} enterprises, {POLICIES} policies, {QUERIES} queries");
    let admin = app.admin().await;
    let csv = registry_csv();

    let started = Instant::now();
    let res = app
        .upload(
            "/api/v1/enterprises/import?dryRun=true",
            &admin.access,
            csv.clone(),
            "bench.csv",
        )
        .await;
    assert_eq!(res.status(), 200);
    let dry = started.elapsed();
    let started = Instant::now();
    let res = app
        .upload("/api/v1/enterprises/import", &admin.access, csv, "bench.csv")
        .await;
    let report: Value = res.json().await.unwrap();
    assert_eq!(
        report["created"],
        ENTERPRISES,
        "{}",
        &report.to_string()[..500.min(report.to_string().len())]
    );
    println!(
        "import of {ENTERPRISES} rows over HTTP: dry run {:.2} s, real run {:.2} s (one transaction)",
        dry.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );

    let today = api::types::today();
    let started = Instant::now();
    let mut ids = Vec::with_capacity(POLICIES);
    for n in 0..POLICIES {
        let published = today - chrono::Duration::days((n % 300) as i64);
        let p = policies::insert(&app.db, policy_input(n), 1, Some(published))
            .await
            .unwrap();
        ids.push(p.id);
    }
    println!(
        "inserted {POLICIES} published policies in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let indexed = policies::rebuild_index(&app.db, &app.state.policies).await.unwrap();
    println!("indexed {indexed} policies in {:.2} s", started.elapsed().as_secs_f64());

    // One policy's matched set, over 100 policies of every kind of condition.
    let mut set = Vec::new();
    let mut sizes = Vec::new();
    for &id in ids.iter().step_by(7).take(100) {
        let p = policies::get(&app.db, id).await.unwrap();
        let t = Instant::now();
        let matched = policies::matched_ids(&app.db, &p, None, today).await.unwrap();
        set.push(t.elapsed());
        sizes.push(matched.len());
    }
    sizes.sort_unstable();
    Figures(set).print(
        "one policy's matched set (service)",
        &format!(
            "sets of {}..{} enterprises, median {}",
            sizes[0],
            sizes[sizes.len() - 1],
            sizes[sizes.len() / 2]
        ),
    );
    let mut http = Vec::new();
    for &id in ids.iter().step_by(47).take(20) {
        let t = Instant::now();
        let res = app
            .get(&format!("/api/v1/policies/{id}/matches"), Some(&admin.access))
            .await;
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        http.push(t.elapsed());
    }
    Figures(http).print("GET /policies/{id}/matches (count + first 200)", "");

    // One enterprise's matches, over 200 enterprises.
    let all = entity::enterprise::Entity::find().all(&app.db).await.unwrap();
    let mut one = Vec::new();
    let mut counts = Vec::new();
    for e in all.iter().step_by(all.len() / 200) {
        let t = Instant::now();
        let found = policies::matches_for(&app.db, &app.state.policy_rules, e, today)
            .await
            .unwrap();
        one.push(t.elapsed());
        counts.push(found.len());
    }
    counts.sort_unstable();
    Figures(one).print(
        "one enterprise's matches (service)",
        &format!(
            "{}..{} policies, median {}",
            counts[0],
            counts[counts.len() - 1],
            counts[counts.len() / 2]
        ),
    );
    let member = app.member_of(&admin, "bench-member", &all[0].id.to_string()).await;
    let mut feed = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let res = app.get("/api/v1/policies/matched", Some(&member.access)).await;
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        feed.push(t.elapsed());
    }
    Figures(feed).print("GET /policies/matched", "");

    // Search: 1,000 queries against the index, then 200 through HTTP.
    let filter = SearchFilter {
        statuses: vec!["published".to_owned()],
        ..SearchFilter::default()
    };
    let mut search = Vec::new();
    let mut empty = 0;
    for n in 0..QUERIES {
        let q = QUERY_WORDS[n % QUERY_WORDS.len()];
        let t = Instant::now();
        let hits = app.state.policies.search(q, &filter, 10).unwrap();
        search.push(t.elapsed());
        if hits.is_empty() {
            empty += 1;
        }
    }
    Figures(search).print(
        "search, 10 hits with snippets (index)",
        &format!("{empty} queries found nothing"),
    );
    let mut http = Vec::new();
    for n in 0..200 {
        let q = QUERY_WORDS[n % QUERY_WORDS.len()];
        let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
        let t = Instant::now();
        let res = app
            .get(&format!("/api/v1/policies/search?q={encoded}"), Some(&member.access))
            .await;
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        http.push(t.elapsed());
    }
    Figures(http).print("GET /policies/search", "");
}

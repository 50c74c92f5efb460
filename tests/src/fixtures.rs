//! Deterministic data for the benches and the soak run: a registry sheet of enterprises,
//! policies with varied conditions and Chinese text, and a year of demands.
#![allow(clippy::unwrap_used)]

use api::domain::enterprise::Scale;
use api::domain::policy::Conditions;
use api::service::policies::PolicyInput;
use chrono::{DateTime, Duration, Utc};
use sea_orm::Set;

use crate::uscc;

/// A deterministic spread: each call site salts the index so the fields are independent.
pub fn pick<T: Copy>(items: &[T], n: usize) -> T {
    let h = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
    items[usize::try_from(h % items.len() as u64).unwrap()]
}

pub const CLASSES: &[&str] = &[
    "I6513", "I6511", "I6531", "I6421", "C3491", "C3971", "C3562", "C2710", "F5181", "F5191", "F5292", "G5821",
    "M7320", "M7520", "L7212", "J6621", "E4790", "C1762", "H6110", "R8730",
];
pub const DISTRICTS: &[&str] = &["湖里片区", "海沧片区", "象屿片区", "翔安片区"];
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

pub fn registry_csv(count: u32) -> Vec<u8> {
    let mut text = String::from("企业名称,统一社会信用代码,行业代码,企业规模,成立日期,所属区域,资质,标签\n");
    for i in 0..count {
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

pub fn policy_input(n: usize) -> PolicyInput {
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
        attachments: Default::default(),
        tags: vec![tag.to_owned()],
        conditions: conditions.validated("conditions").unwrap(),
    }
}

/// Demand `n` of a year's load, created `n × 5` minutes before `now` (wrapping at a year), in
/// a spread of statuses, environments and channels with the timings each status implies.
pub fn demand_row(
    n: usize,
    enterprise_ids: &[i64],
    unit_ids: &[i64],
    submitter: i64,
    now: DateTime<Utc>,
) -> entity::demand::ActiveModel {
    use entity::codes::{Channel as C, Environment, Kind, Status as S};
    const STATUSES: &[S] = &[
        S::Closed,
        S::Closed,
        S::Closed,
        S::Closed,
        S::Replied,
        S::InProgress,
        S::Assigned,
        S::Accepted,
        S::Submitted,
        S::Rejected,
    ];
    const CHANNELS: &[C] = &[
        C::Miniprogram,
        C::Miniprogram,
        C::Hotline,
        C::Bot,
        C::Callback,
        C::ComplaintDay,
    ];
    let created = now - Duration::minutes(i64::try_from(n).unwrap() * 5 % (365 * 24 * 60));
    let status = pick(STATUSES, n);
    let dispatched = !matches!(status, S::Submitted | S::Accepted | S::Rejected);
    let replied = matches!(status, S::Replied | S::Closed);
    entity::demand::ActiveModel {
        number: Set(format!("BENCH-{n:06}")),
        kind: Set(pick(Kind::ALL, n + 4_000_037)),
        environment: Set(pick(Environment::ALL, n + 1_000_003)),
        channel: Set(pick(CHANNELS, n + 2_000_029)),
        title: Set(format!("企业反映第{n}号问题：办事窗口排队时间长")),
        content: Set("企业在办理业务时遇到困难，希望相关部门尽快协调解决。".to_owned()),
        enterprise_id: Set(Some(pick(enterprise_ids, n))),
        submitter_id: Set(Some(submitter)),
        anonymous: Set(n.is_multiple_of(13)),
        unit_id: Set(dispatched.then(|| pick(unit_ids, n + 3_000_017))),
        status: Set(status),
        accept_due_at: Set(Some(created + Duration::days(1))),
        reply_due_at: Set(dispatched.then(|| created + Duration::days(7))),
        accepted_at: Set((status != S::Submitted).then(|| created + Duration::hours(3))),
        accept_secs: Set((status != S::Submitted).then_some(3 * 3600)),
        assigned_at: Set(dispatched.then(|| created + Duration::hours(4))),
        signed_at: Set(dispatched.then(|| created + Duration::hours(6))),
        sign_secs: Set(dispatched.then_some(2 * 3600)),
        sign_late: Set(dispatched.then_some(n.is_multiple_of(17))),
        replied_at: Set(replied.then(|| created + Duration::days(3))),
        reply_secs: Set(replied.then_some(3 * 86400 - 4 * 3600)),
        reply_late: Set(replied.then_some(n.is_multiple_of(19))),
        closed_at: Set((status == S::Closed).then(|| created + Duration::days(4))),
        rating_satisfied: Set((status == S::Closed && !n.is_multiple_of(3)).then_some(!n.is_multiple_of(97))),
        unreasonable: Set(n.is_multiple_of(211)),
        overdue: Set(status == S::InProgress && n.is_multiple_of(5)),
        extensions: Set(i32::from(n.is_multiple_of(23))),
        returns: Set(i32::from(n.is_multiple_of(29))),
        bounced_secs: Set(if n.is_multiple_of(29) { 7200 } else { 0 }),
        reopen_count: Set(0),
        content_check: Set(entity::codes::ContentCheck::System),
        version: Set(0),
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    }
}

/// Inserts demands 0..count of `demand_row`, 500 to a statement.
pub async fn insert_demands(
    db: &impl sea_orm::ConnectionTrait,
    count: usize,
    enterprise_ids: &[i64],
    unit_ids: &[i64],
    submitter: i64,
) {
    use sea_orm::EntityTrait;
    let now = Utc::now();
    for chunk in (0..count).step_by(500) {
        let rows = (chunk..(chunk + 500).min(count)).map(|n| demand_row(n, enterprise_ids, unit_ids, submitter, now));
        entity::demand::Entity::insert_many(rows).exec(db).await.unwrap();
    }
}

/// Each demand of `demand_row` (numbers `BENCH-…`) gets the timeline its status implies, one
/// statement per step in the order of the steps (so a demand's events are in id order): filed by
/// its submitter, accepted or rejected and dispatched by `admin`, signed and answered by its
/// unit, rated by its submitter or closed by the system. A deployment's events are several per
/// demand; without them the planner, whose statistics then see an empty timeline table, reads
/// a demand's timeline by scanning the table that fills under the bench.
pub async fn insert_timelines(db: &impl sea_orm::ConnectionTrait, admin: i64) {
    // (action; its from and to statuses, time, actor, actor's role and unit; which demands)
    let steps = [
        (
            "submit",
            "NULL, 'submitted', created_at, submitter_id, 'enterprise', NULL",
            "1 = 1",
        ),
        (
            "accept",
            "'submitted', 'accepted', accepted_at, {admin}, 'admin', NULL",
            "accepted_at IS NOT NULL AND status <> 'rejected'",
        ),
        (
            "reject",
            "'submitted', 'rejected', accepted_at, {admin}, 'admin', NULL",
            "status = 'rejected'",
        ),
        (
            "assign",
            "'accepted', 'assigned', assigned_at, {admin}, 'admin', NULL",
            "assigned_at IS NOT NULL",
        ),
        (
            "sign",
            "'assigned', 'in_progress', signed_at, NULL, 'handler', unit_id",
            "signed_at IS NOT NULL AND status <> 'assigned'",
        ),
        (
            "reply",
            "'in_progress', 'replied', replied_at, NULL, 'handler', unit_id",
            "replied_at IS NOT NULL",
        ),
        (
            "rate",
            "'replied', 'closed', closed_at, submitter_id, 'enterprise', NULL",
            "status = 'closed' AND rating_satisfied IS NOT NULL",
        ),
        (
            "auto_close",
            "'replied', 'closed', closed_at, NULL, NULL, NULL",
            "status = 'closed' AND rating_satisfied IS NULL",
        ),
    ];
    for (action, columns, when) in steps {
        let sql = format!(
            "INSERT INTO demand_events (demand_id, action, from_status, to_status, created_at, actor_id, actor_role, \
             actor_unit_id) SELECT id, '{action}', {} FROM demands WHERE number LIKE 'BENCH-%' AND {when} ORDER BY id",
            columns.replace("{admin}", &admin.to_string())
        );
        db.execute_unprepared(&sql).await.unwrap();
    }
}

/// The units of the benches: (code, name).
pub const UNITS: &[(&str, &str)] = &[
    ("tax", "税务局"),
    ("market", "市场监管局"),
    ("customs", "海关"),
    ("fire", "消防"),
    ("police", "公安"),
    ("hrss", "人社局"),
    ("commerce", "商务局"),
];

/// An Excel workbook of one sheet holding `rows` as text, as a person would upload it.
pub fn sheet(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            s.write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), *v)
                .unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

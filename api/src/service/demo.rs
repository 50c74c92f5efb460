//! The Chinese demo data set of the embedded default: a few units, a dozen enterprises with
//! valid USCCs, and a demo person for each role (sign in with `dev:<openid>`). Loaded once:
//! a marker in `app_meta` remembers it. Past 500 lines because it is data: the rows are the
//! length.
use chrono::{NaiveDate, Utc};
use entity::app_meta;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionSession, TransactionTrait};

use crate::domain::enterprise::{Scale, ServiceTier};
use crate::domain::policy::Conditions;
use crate::domain::role::{Role, RoleRules};
use crate::domain::uscc::Uscc;
use crate::error::{ApiError, ApiResult};
use crate::service::{callbacks, enterprises, media, people, plans, policies, units};

const MARKER: &str = "demo_data_version";
const VERSION: &str = "1";

/// (code, name, phone)
const UNITS: [(&str, &str, &str); 7] = [
    ("tax", "税务局", "0532-86991234"),
    ("market", "市场监管局", "0532-86992345"),
    ("customs", "海关", "0532-86993456"),
    ("fire", "消防救援大队", "0532-86994567"),
    ("police", "公安分局", "0532-86995678"),
    ("hrss", "人力资源和社会保障局", "0532-86996789"),
    ("commerce", "商务局", "0532-86997890"),
];

/// (name, uscc, industry class, scale, registered, qualifications, tags, tier)
type DemoEnterprise = (
    &'static str,
    &'static str,
    &'static str,
    Scale,
    (i32, u32, u32),
    &'static [&'static str],
    &'static [&'static str],
    ServiceTier,
);
const ENTERPRISES: [DemoEnterprise; 12] = [
    (
        "青岛海纳智能装备有限公司",
        "91370211AY4CL12T2J",
        "C3491",
        Scale::Medium,
        (2016, 5, 12),
        &["高新技术企业", "专精特新"],
        &["智能制造"],
        ServiceTier::Key,
    ),
    (
        "青岛蓝海云数科技有限公司",
        "91370211H3BJ1XG69W",
        "I6513",
        Scale::Small,
        (2021, 3, 8),
        &["科技型中小企业"],
        &["软件", "数字经济"],
        ServiceTier::Growth,
    ),
    (
        "青岛前湾国际物流有限公司",
        "9137021112DD272H2K",
        "G5821",
        Scale::Large,
        (2009, 9, 1),
        &[],
        &["物流", "跨境贸易"],
        ServiceTier::Key,
    ),
    (
        "青岛自贸航运服务有限公司",
        "91370211D1TJ3Y7L4T",
        "G5532",
        Scale::Medium,
        (2018, 11, 20),
        &[],
        &["航运"],
        ServiceTier::Key,
    ),
    (
        "青岛海洋生物医药研究院有限公司",
        "91370211LJY1JJC15K",
        "M7340",
        Scale::Small,
        (2019, 6, 18),
        &["高新技术企业"],
        &["生物医药", "研发"],
        ServiceTier::Growth,
    ),
    (
        "青岛跨境优选贸易有限公司",
        "9137021171HU49D45T",
        "F5179",
        Scale::Micro,
        (2024, 2, 26),
        &[],
        &["跨境电商"],
        ServiceTier::General,
    ),
    (
        "青岛港湾新能源科技有限公司",
        "91370211H3J9HTM50N",
        "D4415",
        Scale::Medium,
        (2020, 8, 3),
        &["专精特新"],
        &["新能源"],
        ServiceTier::Growth,
    ),
    (
        "青岛西海岸精密机械有限公司",
        "913702113JJL6B3H6A",
        "C3421",
        Scale::Small,
        (2012, 4, 9),
        &[],
        &["制造"],
        ServiceTier::General,
    ),
    (
        "青岛保税冷链仓储有限公司",
        "91370211N2J1K6FM19",
        "G5930",
        Scale::Small,
        (2017, 10, 30),
        &[],
        &["冷链", "仓储"],
        ServiceTier::General,
    ),
    (
        "青岛融通供应链管理有限公司",
        "91370211HDQAEJXE0Q",
        "L7224",
        Scale::Micro,
        (2025, 7, 15),
        &[],
        &["供应链"],
        ServiceTier::General,
    ),
    (
        "青岛海创检验检测有限公司",
        "91370211B97R5NQ73N",
        "M7452",
        Scale::Small,
        (2015, 1, 22),
        &["高新技术企业"],
        &["检测认证"],
        ServiceTier::Growth,
    ),
    (
        "青岛丝路跨境电子商务有限公司",
        "913702112J9GFWAP2Y",
        "F5292",
        Scale::Micro,
        (2026, 9, 1),
        &[],
        &["跨境电商", "新设企业"],
        ServiceTier::General,
    ),
];

/// A demo person: openid, nickname, phone, role, unit code (handlers), enterprise index.
pub struct Persona {
    pub openid: &'static str,
    pub name: &'static str,
    pub phone: &'static str,
    pub role: Role,
    pub unit: Option<&'static str>,
    pub enterprise: Option<usize>,
    /// The hotline extension the phone system knows them by (`console/scripts/simulate-calls.mjs
    /// --agent 8001`).
    pub extension: Option<&'static str>,
}

pub const PERSONAS: [Persona; 10] = [
    Persona {
        openid: "demo-admin",
        name: "演示管理员",
        phone: "13800000001",
        role: Role::Admin,
        unit: None,
        enterprise: None,
        extension: None,
    },
    Persona {
        openid: "demo-butler",
        name: "演示服务管家",
        phone: "13800000002",
        role: Role::Butler,
        unit: None,
        enterprise: None,
        extension: Some("8001"),
    },
    Persona {
        openid: "demo-handler-tax",
        name: "税务局经办人",
        phone: "13800000003",
        role: Role::Handler,
        unit: Some("tax"),
        enterprise: None,
        extension: None,
    },
    Persona {
        openid: "demo-handler-market",
        name: "市场监管局经办人",
        phone: "13800000004",
        role: Role::Handler,
        unit: Some("market"),
        enterprise: None,
        extension: None,
    },
    Persona {
        openid: "demo-enterprise",
        name: "海纳智能 企业联系人",
        phone: "13800000005",
        role: Role::Enterprise,
        unit: None,
        enterprise: Some(0),
        extension: None,
    },
    Persona {
        openid: "demo-enterprise-2",
        name: "蓝海云数 企业联系人",
        phone: "13800000006",
        role: Role::Enterprise,
        unit: None,
        enterprise: Some(1),
        extension: None,
    },
    Persona {
        openid: "demo-officer",
        name: "营商环境体验官",
        phone: "13800000007",
        role: Role::Officer,
        unit: None,
        enterprise: None,
        extension: None,
    },
    Persona {
        openid: "demo-media",
        name: "媒体观察员",
        phone: "13800000008",
        role: Role::Media,
        unit: None,
        enterprise: None,
        extension: None,
    },
    Persona {
        openid: "demo-supervisor",
        name: "督导委员会委员",
        phone: "13800000009",
        role: Role::Supervisor,
        unit: None,
        enterprise: None,
        extension: None,
    },
    Persona {
        openid: "demo-discipline",
        name: "纪检监察室",
        phone: "13800000010",
        role: Role::Discipline,
        unit: None,
        enterprise: None,
        extension: None,
    },
];

/// Loads the demo data unless it was loaded before. Returns whether it loaded now.
pub async fn load_once<C: ConnectionTrait + TransactionTrait>(db: &C) -> ApiResult<bool> {
    if app_meta::Entity::find_by_id(MARKER.to_owned()).one(db).await?.is_some() {
        return Ok(false);
    }
    let txn = crate::service::begin_write(db).await?;
    let mut unit_ids = std::collections::HashMap::new();
    for (code, name, phone) in UNITS {
        let unit = units::create(
            &txn,
            units::UnitInput {
                code: code.to_owned(),
                name: name.to_owned(),
                contact_phone: Some(phone.to_owned()),
                description: None,
            },
        )
        .await?;
        unit_ids.insert(code, unit.id);
    }
    let mut people_ids = std::collections::HashMap::new();
    for p in &PERSONAS {
        let user = people::sign_in(&txn, p.openid, None).await?;
        let mut active: entity::user::ActiveModel = user.clone().into();
        active.nickname = Set(Some(p.name.to_owned()));
        active.phone = Set(Some(p.phone.to_owned()));
        active.extension = Set(p.extension.map(str::to_owned));
        active.update(&txn).await?;
        people_ids.insert(p.openid, user.id);
    }
    let admin = people_ids.get("demo-admin").copied();
    let butler = people_ids.get("demo-butler").copied();
    for p in PERSONAS.iter().filter(|p| p.role != Role::Enterprise) {
        let Some(&user_id) = people_ids.get(p.openid) else {
            continue;
        };
        let term_ends = p
            .role
            .is_appointment()
            .then(|| NaiveDate::from_ymd_opt(2028, 12, 31))
            .flatten();
        people::grant_role(
            &txn,
            admin.unwrap_or(user_id),
            user_id,
            people::NewGrant {
                role: p.role,
                enterprise_id: None,
                unit_id: p.unit.and_then(|u| unit_ids.get(u).copied()),
                term_ends,
            },
        )
        .await?;
    }
    let mut enterprise_ids = Vec::new();
    let mut new_enterprises = Vec::new();
    for (i, (name, uscc, industry, scale, (y, m, d), quals, tags, tier)) in ENTERPRISES.into_iter().enumerate() {
        let uscc = Uscc::parse(uscc).map_err(|e| ApiError::internal(anyhow::anyhow!("demo USCC {uscc}: {e}")))?;
        let registered_at = NaiveDate::from_ymd_opt(y, m, d)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("demo date {y}-{m}-{d}")))?;
        let e = enterprises::create(
            &txn,
            enterprises::EnterpriseInput {
                name: name.to_owned(),
                uscc,
                industry_code: industry.to_owned(),
                scale,
                registered_at,
                qualifications: quals.iter().map(|s| (*s).to_owned()).collect(),
                tags: tags.iter().map(|s| (*s).to_owned()).collect(),
                district: Some("黄岛区".to_owned()),
                service_tier: tier,
                // The demo butler serves the first half of the enterprises.
                butler_user_id: if i < 6 { butler } else { None },
            },
        )
        .await?;
        enterprise_ids.push(e.id);
        new_enterprises.push((e.id, e.butler_user_id));
    }
    // Every demo enterprise is new: the demo butler has a call-back queue.
    let calendar = crate::service::calendar::load(&txn).await?;
    callbacks::create_for(
        &txn,
        &new_enterprises,
        &callbacks::Plan {
            calendar: &calendar,
            due_working_days: crate::settings::DEFAULT_CALLBACK_DAYS,
            today: crate::types::today(),
        },
    )
    .await?;
    for p in PERSONAS.iter().filter(|p| p.role == Role::Enterprise) {
        let (Some(&user_id), Some(&enterprise_id)) = (
            people_ids.get(p.openid),
            p.enterprise.and_then(|i| enterprise_ids.get(i)),
        ) else {
            continue;
        };
        people::grant_role(
            &txn,
            admin.unwrap_or(user_id),
            user_id,
            people::NewGrant {
                role: Role::Enterprise,
                enterprise_id: Some(enterprise_id),
                unit_id: None,
                term_ends: None,
            },
        )
        .await?;
    }
    for input in demo_policies() {
        policies::insert(&txn, input, admin.unwrap_or_default(), Some(crate::types::today())).await?;
    }
    demo_oversight(
        &txn,
        admin.unwrap_or_default(),
        people_ids.get("demo-media").copied(),
        &unit_ids,
    )
    .await?;
    if let (Some(discipline), Some(reporter)) = (
        people_ids.get("demo-discipline").copied(),
        people_ids.get("demo-enterprise").copied(),
    ) {
        demo_clues(&txn, discipline, reporter, &unit_ids).await?;
    }
    if let Some(butler) = butler {
        demo_customer_groups(&txn, butler, &enterprise_ids).await?;
    }
    app_meta::ActiveModel {
        key: Set(MARKER.to_owned()),
        value: Set(format!("{VERSION} loaded {}", Utc::now().to_rfc3339())),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Two customer groups of the demo butler (their WeCom id `demo-butler`, as if bound with
/// 「绑定」; the sidebar signs in with `dev:demo-butler`), each linked to enterprises they serve.
async fn demo_customer_groups<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    butler: i64,
    enterprise_ids: &[i64],
) -> ApiResult<()> {
    use crate::clients::wecom::{GroupChat, GroupMember};
    crate::service::wecom::bind(db, butler, "demo-butler").await?;
    for (i, (chat_id, name, linked)) in [
        ("wr-demo-software", "自贸区软件企业服务群", 0..2),
        ("wr-demo-trade", "自贸区外贸企业服务群", 2..4),
    ]
    .into_iter()
    .enumerate()
    {
        let mut members = vec![GroupMember {
            userid: "demo-butler".into(),
            member_type: 1,
            unionid: None,
            join_time: Some(1_764_000_000),
        }];
        members.extend((0..3).map(|n| GroupMember {
            userid: format!("wm-demo-{i}-{n}"),
            member_type: 2,
            unionid: None,
            join_time: Some(1_764_000_000 + n),
        }));
        let chat = GroupChat {
            chat_id: chat_id.to_owned(),
            name: name.to_owned(),
            owner: "demo-butler".to_owned(),
            member_list: members,
        };
        let group = crate::service::customer_groups::upsert(db, &chat).await?;
        let ids: Vec<i64> = enterprise_ids.get(linked).unwrap_or_default().to_vec();
        crate::service::customer_groups::link(db, group.id, &ids).await?;
    }
    Ok(())
}

/// The seed's clues (线索 5 件，办结 4 件，正在办理 1 件；处分 4 人): reported by the demo member,
/// four taken to an outcome by the demo discipline staff, one under its preliminary check.
async fn demo_clues<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    discipline: i64,
    reporter: i64,
    unit_ids: &std::collections::HashMap<&str, i64>,
) -> ApiResult<()> {
    use crate::domain::clue::{ClueCategory, ClueOutcome, Disposal, Stage};
    use crate::service::clues::{self, NewClue, StageInput};
    let clues_seed = [
        (
            ClueCategory::Extortion,
            "tax",
            "办理退税时，窗口工作人员暗示需“意思意思”才能加快。",
            true,
            Some((ClueOutcome::Sanction, Some(2))),
        ),
        (
            ClueCategory::IllegalFees,
            "market",
            "办理食品经营许可时被要求缴纳无依据的“加急费”。",
            false,
            Some((ClueOutcome::Sanction, Some(2))),
        ),
        (
            ClueCategory::BuckPassing,
            "tax",
            "同一事项在两个科室间来回推诿，三次往返未办成。",
            false,
            Some((ClueOutcome::Talk, Some(1))),
        ),
        (
            ClueCategory::ColdHard,
            "market",
            "窗口工作人员态度生硬，不一次性告知所需材料。",
            true,
            Some((ClueOutcome::Dismissed, None)),
        ),
        (
            ClueCategory::BuckPassing,
            "tax",
            "企业申请的专项补贴材料提交后两个月无人对接。",
            false,
            None,
        ),
    ];
    for (category, unit, content, anonymous, outcome) in clues_seed {
        let c = clues::report(
            db,
            reporter,
            NewClue {
                category,
                unit_id: unit_ids.get(unit).copied(),
                official: None,
                content: content.to_owned(),
                happened_on: None,
                anonymous,
                files: Default::default(),
            },
        )
        .await?;
        clues::advance(db, discipline, c.id, Stage::Accept, StageInput::default()).await?;
        clues::advance(db, discipline, c.id, Stage::Check, StageInput::default()).await?;
        if let Some((outcome, persons)) = outcome {
            let input = StageInput {
                disposal: Some(Disposal { outcome, persons }),
                ..Default::default()
            };
            clues::advance(db, discipline, c.id, Stage::Dispose, input).await?;
        }
    }
    Ok(())
}

/// An action plan with items for the units, a media observation and a publicity record, so the
/// dashboard and the media pages show something on a fresh server.
async fn demo_oversight<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    admin: i64,
    media_person: Option<i64>,
    unit_ids: &std::collections::HashMap<&str, i64>,
) -> ApiResult<()> {
    use crate::domain::media::{Level, ObservationKind};
    use crate::domain::plan::{ItemKind, ItemStatus};
    let today = crate::types::today();
    let plan = plans::create(
        db,
        "2026年优化营商环境行动方案".to_owned(),
        Some("围绕政务服务、跨境贸易、要素保障等方面的重点任务和问题清单。".to_owned()),
        admin,
    )
    .await?;
    // (kind, title, aspect, unit, deadline in days from today, status, progress)
    type DemoItem = (
        ItemKind,
        &'static str,
        Option<&'static str>,
        &'static str,
        i64,
        ItemStatus,
        i32,
    );
    let items: [DemoItem; 4] = [
        (
            ItemKind::Task,
            "推行企业开办一日办结",
            None,
            "market",
            30,
            ItemStatus::InProgress,
            60,
        ),
        (
            ItemKind::Task,
            "压缩进口整体通关时间",
            None,
            "customs",
            -3,
            ItemStatus::InProgress,
            40,
        ),
        (
            ItemKind::Problem,
            "办税服务厅高峰期排队时间长",
            Some("政务服务"),
            "tax",
            14,
            ItemStatus::NotStarted,
            0,
        ),
        (
            ItemKind::Task,
            "推广“一件事一次办”人社服务",
            None,
            "hrss",
            -10,
            ItemStatus::Done,
            100,
        ),
    ];
    for (kind, title, aspect, unit, days, status, progress) in items {
        let Some(&unit_id) = unit_ids.get(unit) else { continue };
        plans::add_item(
            db,
            plan.id,
            plans::NewItem {
                kind,
                title: title.to_owned(),
                aspect: aspect.map(str::to_owned),
                unit_id,
                lead: None,
                deadline: today + chrono::Duration::days(days),
                milestones: Vec::new(),
                status,
                progress,
            },
        )
        .await?;
    }
    if let Some(author) = media_person {
        media::observe(
            db,
            author,
            media::NewObservation {
                kind: ObservationKind::Finding,
                title: "政务大厅自助机打印故障".to_owned(),
                content: "周二上午政务大厅两台自助打印机故障，未见引导人员，企业办事人排队较长。".to_owned(),
                event_id: None,
                files: Default::default(),
            },
        )
        .await?;
        media::record_publicity(
            db,
            author,
            media::NewPublicity {
                outlet: "青岛日报".to_owned(),
                level: Level::Municipal,
                title: "自贸片区“亲清”服务让企业诉求件件有回音".to_owned(),
                link: Some("https://www.dailyqd.com/".to_owned()),
                published_on: today,
                event_id: None,
            },
        )
        .await?;
    }
    Ok(())
}

fn demo_policy(
    title: &str,
    issuer: &str,
    doc_number: &str,
    explainer: [&str; 4],
    full_text: &str,
    tags: &[&str],
    conditions: Conditions,
) -> policies::PolicyInput {
    let [for_whom, benefits, how_to_apply, contact] = explainer;
    policies::PolicyInput {
        title: title.to_owned(),
        issuer: issuer.to_owned(),
        doc_number: Some(doc_number.to_owned()),
        published_on: None,
        effective_on: NaiveDate::from_ymd_opt(2026, 1, 1),
        expires_on: NaiveDate::from_ymd_opt(2027, 12, 31),
        apply_by: NaiveDate::from_ymd_opt(2027, 6, 30),
        for_whom: for_whom.to_owned(),
        benefits: benefits.to_owned(),
        how_to_apply: how_to_apply.to_owned(),
        contact: contact.to_owned(),
        full_text: full_text.to_owned(),
        attachments: Default::default(),
        tags: tags.iter().map(|s| (*s).to_owned()).collect(),
        conditions,
    }
}

/// Realistic policies of a free-trade zone, published with the demo data.
fn demo_policies() -> Vec<policies::PolicyInput> {
    let labels = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        demo_policy(
            "高层次人才引进补贴实施细则",
            "自贸片区人力资源局",
            "青自贸人〔2026〕5号",
            [
                "区内企业新引进的博士、高级职称等高层次人才",
                "按层次给予人才引进补贴每人10万至50万元，分三年发放",
                "企业在亲清小程序「政策」中在线申报，附劳动合同和社保缴纳证明",
                "人力资源局人才服务科 0532-86880001",
            ],
            "为加快集聚高层次人才，对区内企业新引进的高层次人才给予引进补贴、住房补贴和生活补贴。",
            &["人才", "补贴"],
            Conditions::default(),
        ),
        demo_policy(
            "高新技术企业认定奖励办法",
            "自贸片区科技创新局",
            "青自贸科〔2026〕3号",
            [
                "首次通过高新技术企业认定、成立满一年的区内企业",
                "一次性奖励20万元；重新认定的奖励10万元",
                "取得高新技术企业证书后三个月内提交申请",
                "科技创新局 0532-86880002",
            ],
            "鼓励企业加大研发投入，对首次通过认定的高新技术企业给予奖励。",
            &["高新技术企业", "研发"],
            Conditions {
                qualifications: labels(&["高新技术企业"]),
                min_years: Some(1),
                ..Conditions::default()
            },
        ),
        demo_policy(
            "跨境电子商务通关便利化措施",
            "青岛海关驻片区办事处",
            "青关自贸〔2026〕12号",
            [
                "从事跨境电商零售进出口的区内企业",
                "7×24小时通关，汇总征税，退货中心仓模式",
                "在国际贸易单一窗口备案后即可适用",
                "海关综合业务科 0532-86880003",
            ],
            "优化跨境电子商务零售进出口商品通关流程，推行汇总征税和退货中心仓模式。",
            &["跨境电商", "外贸"],
            Conditions {
                industries: vec!["F".into(), "I".into()],
                ..Conditions::default()
            },
        ),
        demo_policy(
            "小微企业首贷贴息政策",
            "自贸片区金融服务局",
            "青自贸金〔2026〕8号",
            [
                "首次获得银行贷款的区内小微企业",
                "按贷款实际利息的50%给予贴息，每家每年最高30万元",
                "贷款发放后六个月内在线申报，附借款合同和付息凭证",
                "金融服务局 0532-86880004",
            ],
            "支持金融机构扩大首贷投放，对区内小微企业首次贷款给予贴息。",
            &["融资", "小微企业"],
            Conditions {
                scales: vec![Scale::Micro, Scale::Small],
                ..Conditions::default()
            },
        ),
        demo_policy(
            "制造业企业技术改造补贴",
            "自贸片区经济发展局",
            "青自贸经〔2026〕15号",
            [
                "区内成立满两年的制造业企业",
                "按设备投资额的10%给予补贴，最高500万元",
                "项目竣工验收后提交申请，附设备发票和验收报告",
                "经济发展局 0532-86880005",
            ],
            "引导制造业企业实施智能化、绿色化技术改造。",
            &["制造业", "技术改造"],
            Conditions {
                industries: vec!["C".into()],
                min_years: Some(2),
                ..Conditions::default()
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::industry;

    #[test]
    fn every_demo_enterprise_is_valid() {
        for (name, uscc, industry_code, ..) in ENTERPRISES {
            assert!(Uscc::parse(uscc).is_ok(), "{name}: {uscc}");
            assert!(industry::class(industry_code).is_some(), "{name}: {industry_code}");
        }
    }

    #[test]
    fn every_demo_policy_has_valid_conditions() {
        for p in demo_policies() {
            assert_eq!(
                p.conditions.clone().validated("conditions").unwrap(),
                p.conditions,
                "{}",
                p.title
            );
        }
    }
}

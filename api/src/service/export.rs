//! An event's submissions and results as an Excel workbook (rust_xlsxwriter).
use entity::{complaint, event};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use crate::domain::event::EventKind;
use crate::domain::form::FormTemplate;
use crate::error::{ApiError, ApiResult};
use crate::service::{enterprises, events, forms, mystery, people, submissions};
use crate::types::local_time;

pub(crate) fn xlsx(err: XlsxError) -> ApiError {
    ApiError::internal(anyhow::anyhow!("excel: {err}"))
}

pub(crate) fn header(sheet: &mut Worksheet, names: &[&str]) -> Result<(), XlsxError> {
    header_at(sheet, 0, names)
}

/// A bold heading row at row `r`.
pub(crate) fn header_at(sheet: &mut Worksheet, r: u32, names: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, name) in names.iter().enumerate() {
        sheet.write_string_with_format(r, col(c), *name, &bold)?;
    }
    Ok(())
}

pub(crate) fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

pub(crate) fn row(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

/// An answer as a cell.
fn answer_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::Bool(true)) => "是".into(),
        Some(Value::Bool(false)) => "否".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => s.clone(),
                Value::Object(o) => o
                    .get("fileId")
                    .and_then(Value::as_str)
                    .map(|f| format!("照片#{f}"))
                    .unwrap_or_default(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("、"),
        Some(other) => other.to_string(),
    }
}

pub async fn event_workbook(db: &impl ConnectionTrait, e: &event::Model) -> ApiResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let kind = e.kind;
    {
        let sheet = wb.add_worksheet().set_name("活动").map_err(xlsx)?;
        let facts = [
            ("活动", e.title.clone()),
            ("类型", kind.label().to_owned()),
            ("主题", e.theme.clone().unwrap_or_default()),
            ("开始", local_time(e.opens_at).format("%Y-%m-%d %H:%M").to_string()),
            ("结束", local_time(e.closes_at).format("%Y-%m-%d %H:%M").to_string()),
            ("状态", events::status(e).label().to_owned()),
        ];
        for (r, (k, v)) in facts.iter().enumerate() {
            sheet.write_string(row(r), 0, *k).map_err(xlsx)?;
            sheet.write_string(row(r), 1, v).map_err(xlsx)?;
        }
    }
    match kind {
        EventKind::ComplaintDay => complaints_sheet(db, &mut wb, e).await?,
        EventKind::ScorecardRound | EventKind::MysteryShopperWeek => {
            let template_id = e
                .form_template_id
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("event without a form")))?;
            let template = forms::parse(&forms::get(db, template_id).await?)?;
            if kind == EventKind::ScorecardRound {
                scorecard_sheets(db, &mut wb, e, &template).await?;
            } else {
                mystery_sheet(db, &mut wb, e, &template).await?;
            }
        }
        EventKind::SupervisionActivity => {}
    }
    wb.save_to_buffer().map_err(xlsx)
}

async fn complaints_sheet(db: &impl ConnectionTrait, wb: &mut Workbook, e: &event::Model) -> ApiResult<()> {
    let rows = complaint::Entity::find()
        .filter(complaint::Column::EventId.eq(e.id))
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().filter_map(|c| c.enterprise_id).collect();
    let names = enterprises::names(db, &ids).await?;
    let sheet = wb.add_worksheet().set_name("吐槽").map_err(xlsx)?;
    header(
        sheet,
        &[
            "编号",
            "时间",
            "环境",
            "企业",
            "匿名",
            "内容",
            "同感",
            "已隐藏",
            "隐藏原因",
            "诉求编号",
            "诉求状态",
            "官方答复",
        ],
    )
    .map_err(xlsx)?;
    for (r, c) in rows.iter().enumerate() {
        let r = row(r + 1);
        let d = match c.demand_id {
            Some(id) => entity::demand::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        let cells = [
            c.id.to_string(),
            local_time(c.created_at).format("%Y-%m-%d %H:%M").to_string(),
            c.environment.code().to_owned(),
            c.enterprise_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            if c.anonymous { "是" } else { "否" }.to_owned(),
            c.content.clone(),
            c.metoo_count.to_string(),
            if c.hidden { "是" } else { "否" }.to_owned(),
            c.hidden_reason.clone().unwrap_or_default(),
            d.as_ref().map(|d| d.number.clone()).unwrap_or_default(),
            d.as_ref().map(|d| d.status.code().to_owned()).unwrap_or_default(),
            d.as_ref().and_then(|d| d.reply_content.clone()).unwrap_or_default(),
        ];
        for (ci, v) in cells.iter().enumerate() {
            sheet.write_string(r, col(ci), v).map_err(xlsx)?;
        }
    }
    Ok(())
}

async fn scorecard_sheets(
    db: &impl ConnectionTrait,
    wb: &mut Workbook,
    e: &event::Model,
    template: &FormTemplate,
) -> ApiResult<()> {
    let subs = entity::form_submission::Entity::find()
        .filter(entity::form_submission::Column::EventId.eq(e.id))
        .order_by_asc(entity::form_submission::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = subs.iter().filter_map(|s| s.enterprise_id).collect();
    let names = enterprises::names(db, &ids).await?;
    let questions: Vec<_> = template.questions().collect();
    {
        let sheet = wb.add_worksheet().set_name("答卷").map_err(xlsx)?;
        let mut head = vec!["编号", "企业", "提交时间"];
        head.extend(questions.iter().map(|q| q.title.as_str()));
        head.push("发现问题");
        header(sheet, &head).map_err(xlsx)?;
        for (r, s) in subs.iter().enumerate() {
            let r = row(r + 1);
            sheet.write_string(r, 0, s.id.to_string()).map_err(xlsx)?;
            sheet
                .write_string(
                    r,
                    1,
                    s.enterprise_id
                        .and_then(|id| names.get(&id).cloned())
                        .unwrap_or_default(),
                )
                .map_err(xlsx)?;
            sheet
                .write_string(r, 2, local_time(s.created_at).format("%Y-%m-%d %H:%M").to_string())
                .map_err(xlsx)?;
            for (qi, q) in questions.iter().enumerate() {
                sheet
                    .write_string(r, col(qi + 3), answer_text(s.answers.get(&q.id)))
                    .map_err(xlsx)?;
            }
            sheet
                .write_string(r, col(questions.len() + 3), answer_text(Some(&s.findings)))
                .map_err(xlsx)?;
        }
    }
    let results = submissions::results(db, e, template).await?;
    let sheet = wb.add_worksheet().set_name("结果").map_err(xlsx)?;
    header(sheet, &["维度", "名称", "得分(0-100)", "份数"]).map_err(xlsx)?;
    let mut r = 1;
    sheet.write_string(row(r), 0, "回收率").map_err(xlsx)?;
    sheet
        .write_string(row(r), 1, format!("{} / {}", results.submissions, results.invited))
        .map_err(xlsx)?;
    r += 1;
    for (env, score, n) in &results.environments {
        sheet.write_string(row(r), 0, "营商环境").map_err(xlsx)?;
        sheet.write_string(row(r), 1, env.label()).map_err(xlsx)?;
        sheet.write_number(row(r), 2, *score).map_err(xlsx)?;
        sheet
            .write_number(row(r), 3, f64::from(u32::try_from(*n).unwrap_or(u32::MAX)))
            .map_err(xlsx)?;
        r += 1;
    }
    for (_, name, score) in &results.units {
        sheet.write_string(row(r), 0, "单位").map_err(xlsx)?;
        sheet.write_string(row(r), 1, name).map_err(xlsx)?;
        sheet.write_number(row(r), 2, *score).map_err(xlsx)?;
        r += 1;
    }
    for q in &results.questions {
        sheet.write_string(row(r), 0, "问题").map_err(xlsx)?;
        sheet.write_string(row(r), 1, &q.title).map_err(xlsx)?;
        if let Some(mean) = q.mean {
            sheet.write_number(row(r), 2, mean).map_err(xlsx)?;
        }
        sheet
            .write_number(row(r), 3, f64::from(u32::try_from(q.answered).unwrap_or(u32::MAX)))
            .map_err(xlsx)?;
        r += 1;
    }
    Ok(())
}

async fn mystery_sheet(
    db: &impl ConnectionTrait,
    wb: &mut Workbook,
    e: &event::Model,
    template: &FormTemplate,
) -> ApiResult<()> {
    let questions: Vec<_> = template.questions().collect();
    let sheet = wb.add_worksheet().set_name("暗访报告").map_err(xlsx)?;
    // Exported for admins only: the officer is named here and nowhere the unit can reach.
    let mut head = vec!["报告编号", "暗访对象", "单位", "到场时间", "体验官"];
    head.extend(questions.iter().map(|q| q.title.as_str()));
    head.push("发现问题");
    header(sheet, &head).map_err(xlsx)?;
    for (r, (s, a, t)) in mystery::reports(db, e.id).await?.into_iter().enumerate() {
        let r = row(r + 1);
        let unit = crate::service::units::get(db, t.unit_id).await?.name;
        let officer = people::get(db, a.officer_id)
            .await?
            .nickname
            .unwrap_or_else(|| format!("#{}", a.officer_id));
        let visited = a
            .checked_in_at
            .map(|t| local_time(t).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        for (ci, v) in [s.id.to_string(), t.name, unit, visited, officer].iter().enumerate() {
            sheet.write_string(r, col(ci), v).map_err(xlsx)?;
        }
        for (qi, q) in questions.iter().enumerate() {
            sheet
                .write_string(r, col(qi + 5), answer_text(s.answers.get(&q.id)))
                .map_err(xlsx)?;
        }
        sheet
            .write_string(r, col(questions.len() + 5), answer_text(Some(&s.findings)))
            .map_err(xlsx)?;
    }
    Ok(())
}

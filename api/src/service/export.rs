//! Exports as workbooks: an event's submissions and results. This module gathers the rows;
//! `render::xlsx` writes them.
use entity::{complaint, event};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use crate::domain::event::EventKind;
use crate::domain::form::FormTemplate;
use crate::error::{ApiError, ApiResult};
use crate::render::xlsx::{Cell, Table};
use crate::service::{enterprises, events, forms, mystery, people, submissions};
use crate::types::local_time;

fn xlsx(err: rust_xlsxwriter::XlsxError) -> ApiError {
    ApiError::internal(anyhow::anyhow!("excel: {err}"))
}

/// A workbook of `tables`, as an export answers it.
pub fn workbook(tables: &[Table]) -> ApiResult<Vec<u8>> {
    crate::render::xlsx::workbook(tables).map_err(xlsx)
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

#[allow(clippy::cast_precision_loss)]
fn count(n: usize) -> Cell {
    Cell::Number(n as f64)
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

/// An event's facts, its submissions (or complaints, or reports) and its results.
pub async fn event_workbook(db: &impl ConnectionTrait, e: &event::Model) -> ApiResult<Vec<u8>> {
    let kind = e.kind;
    let mut facts = Table::new("活动", &[]);
    for (k, v) in [
        ("活动", e.title.clone()),
        ("类型", kind.label().to_owned()),
        ("主题", e.theme.clone().unwrap_or_default()),
        ("开始", local_time(e.opens_at).format("%Y-%m-%d %H:%M").to_string()),
        ("结束", local_time(e.closes_at).format("%Y-%m-%d %H:%M").to_string()),
        ("状态", events::status(e).label().to_owned()),
    ] {
        facts.push([text(k), text(v)]);
    }
    let mut tables = vec![facts];
    match kind {
        EventKind::ComplaintDay => tables.push(complaints_table(db, e).await?),
        EventKind::ScorecardRound => {
            let (_, template) = forms::of_event(db, e).await?;
            tables.extend(scorecard_tables(db, e, &template).await?);
        }
        EventKind::MysteryShopperWeek => {
            let (_, template) = forms::of_event(db, e).await?;
            tables.push(mystery_table(db, e, &template).await?);
        }
        EventKind::SupervisionActivity => {}
    }
    workbook(&tables)
}

async fn complaints_table(db: &impl ConnectionTrait, e: &event::Model) -> ApiResult<Table> {
    let rows = complaint::Entity::find()
        .filter(complaint::Column::EventId.eq(e.id))
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().filter_map(|c| c.enterprise_id).collect();
    let names = enterprises::names(db, &ids).await?;
    let mut t = Table::new(
        "吐槽",
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
    );
    let yes = |b: bool| text(if b { "是" } else { "否" });
    for c in &rows {
        let d = match c.demand_id {
            Some(id) => entity::demand::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        t.push([
            text(c.id.to_string()),
            text(local_time(c.created_at).format("%Y-%m-%d %H:%M").to_string()),
            text(c.environment.code()),
            text(
                c.enterprise_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_default(),
            ),
            yes(c.anonymous),
            text(c.content.clone()),
            text(c.metoo_count.to_string()),
            yes(c.hidden),
            text(c.hidden_reason.clone().unwrap_or_default()),
            text(d.as_ref().map(|d| d.number.clone()).unwrap_or_default()),
            text(d.as_ref().map(|d| d.status.code().to_owned()).unwrap_or_default()),
            text(d.as_ref().and_then(|d| d.reply_content.clone()).unwrap_or_default()),
        ]);
    }
    Ok(t)
}

async fn scorecard_tables(
    db: &impl ConnectionTrait,
    e: &event::Model,
    template: &FormTemplate,
) -> ApiResult<[Table; 2]> {
    let subs = entity::form_submission::Entity::find()
        .filter(entity::form_submission::Column::EventId.eq(e.id))
        .order_by_asc(entity::form_submission::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = subs.iter().filter_map(|s| s.enterprise_id).collect();
    let names = enterprises::names(db, &ids).await?;
    let questions: Vec<_> = template.questions().collect();
    let mut head = vec!["编号", "企业", "提交时间"];
    head.extend(questions.iter().map(|q| q.title.as_str()));
    head.push("发现问题");
    let mut answers = Table::new("答卷", &head);
    for s in &subs {
        let mut cells = vec![
            text(s.id.to_string()),
            text(
                s.enterprise_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_default(),
            ),
            text(local_time(s.created_at).format("%Y-%m-%d %H:%M").to_string()),
        ];
        cells.extend(questions.iter().map(|q| text(answer_text(s.answers.get(&q.id)))));
        cells.push(text(answer_text(Some(&s.findings))));
        answers.push(cells);
    }
    let results = submissions::results(db, e, template).await?;
    let mut t = Table::new("结果", &["维度", "名称", "得分(0-100)", "份数"]);
    t.push([
        text("回收率"),
        text(format!("{} / {}", results.submissions, results.invited)),
    ]);
    for (env, score, n) in &results.environments {
        t.push([text("营商环境"), text(env.label()), Cell::Number(*score), count(*n)]);
    }
    for (_, name, score) in &results.units {
        t.push([text("单位"), text(name.clone()), Cell::Number(*score)]);
    }
    for q in &results.questions {
        let mean = q.mean.map_or(Cell::Empty, Cell::Number);
        t.push([text("问题"), text(q.title.clone()), mean, count(q.answered)]);
    }
    Ok([answers, t])
}

async fn mystery_table(db: &impl ConnectionTrait, e: &event::Model, template: &FormTemplate) -> ApiResult<Table> {
    let questions: Vec<_> = template.questions().collect();
    // Exported for admins only: the officer is named here and nowhere the unit can reach.
    let mut head = vec!["报告编号", "暗访对象", "单位", "到场时间", "体验官"];
    head.extend(questions.iter().map(|q| q.title.as_str()));
    head.push("发现问题");
    let mut t = Table::new("暗访报告", &head);
    for (s, a, target) in mystery::reports(db, e.id).await? {
        let unit = crate::service::units::get(db, target.unit_id).await?.name;
        let officer = people::get(db, a.officer_id)
            .await?
            .nickname
            .unwrap_or_else(|| format!("#{}", a.officer_id));
        let visited = a
            .checked_in_at
            .map(|t| local_time(t).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let mut cells: Vec<Cell> = [s.id.to_string(), target.name, unit, visited, officer]
            .into_iter()
            .map(text)
            .collect();
        cells.extend(questions.iter().map(|q| text(answer_text(s.answers.get(&q.id)))));
        cells.push(text(answer_text(Some(&s.findings))));
        t.push(cells);
    }
    Ok(t)
}

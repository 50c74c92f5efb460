//! Action-plan supervision (docs/design.md section 7): items (tasks and problem-list items) with an
//! owner unit, a deadline, milestones and a status; what overdue means; and the rows of a plan
//! kept in a spreadsheet, checked field by field. Pure.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::FieldError;
use crate::domain::registry::parse_date;
use crate::domain::sheet::{self, RowError, SheetColumn};

pub use entity::codes::{ItemKind, ItemStatus};

/// An item kind as a sheet writes it: its code, or its name in Chinese.
pub fn kind_from_cell(text: &str) -> Option<ItemKind> {
    match text {
        "task" | "任务" | "重点任务" => Some(ItemKind::Task),
        "problem" | "问题" | "问题清单" => Some(ItemKind::Problem),
        _ => None,
    }
}

/// An item status as a sheet writes it: its code, or its name in Chinese.
pub fn status_from_cell(text: &str) -> Option<ItemStatus> {
    match text {
        "not_started" | "未开始" => Some(ItemStatus::NotStarted),
        "in_progress" | "推进中" | "进行中" => Some(ItemStatus::InProgress),
        "done" | "已完成" | "完成" => Some(ItemStatus::Done),
        _ => None,
    }
}

/// Overdue: past its deadline (the deadline day itself still counts as in time) and not done.
pub fn is_overdue(status: ItemStatus, deadline: NaiveDate, today: NaiveDate) -> bool {
    status != ItemStatus::Done && deadline < today
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Milestone {
    pub title: String,
    pub due_on: NaiveDate,
    #[serde(default)]
    pub done: bool,
}

/// Milestones as a sheet cell writes them: `2026-12-01 完成方案；2027-01-15 上线`.
pub fn parse_milestones(raw: &str) -> Result<Vec<Milestone>, String> {
    raw.split(['；', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|part| {
            let (date, title) = part.split_once([' ', '\u{3000}']).unwrap_or((part, ""));
            match (parse_date(date), title.trim()) {
                (Some(due_on), title) if !title.is_empty() && title.chars().count() <= 60 => Ok(Milestone {
                    title: title.to_owned(),
                    due_on,
                    done: false,
                }),
                _ => Err(format!("里程碑「{part}」应写成“2026-12-01 完成方案”，多个用分号隔开")),
            }
        })
        .collect()
}

/// Milestones written back as a cell.
pub fn milestones_cell(m: &[Milestone]) -> String {
    m.iter()
        .map(|m| format!("{} {}", m.due_on, m.title))
        .collect::<Vec<_>>()
        .join("；")
}

/// A column of a plan sheet, with the headings people give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Kind,
    Title,
    Aspect,
    Unit,
    Lead,
    Deadline,
    Milestones,
    Status,
    Progress,
}

impl Column {
    pub fn field(self) -> &'static str {
        match self {
            Column::Kind => "kind",
            Column::Title => "title",
            Column::Aspect => "aspect",
            Column::Unit => "unit",
            Column::Lead => "lead",
            Column::Deadline => "deadline",
            Column::Milestones => "milestones",
            Column::Status => "status",
            Column::Progress => "progress",
        }
    }
}

impl SheetColumn for Column {
    const ALL: &'static [Self] = &[
        Column::Kind,
        Column::Title,
        Column::Aspect,
        Column::Unit,
        Column::Lead,
        Column::Deadline,
        Column::Milestones,
        Column::Status,
        Column::Progress,
    ];

    fn headings(self) -> &'static [&'static str] {
        match self {
            Column::Kind => &["类型", "kind"],
            Column::Title => &["事项", "任务", "任务名称", "问题", "标题", "title"],
            Column::Aspect => &["方面", "问题方面", "领域", "aspect"],
            Column::Unit => &["责任单位", "牵头单位", "责任部门", "unit"],
            Column::Lead => &["牵头人", "负责人", "责任人", "lead"],
            Column::Deadline => &["完成时限", "截止日期", "完成时间", "deadline"],
            Column::Milestones => &["里程碑", "节点", "milestones"],
            Column::Status => &["状态", "status"],
            Column::Progress => &["进度", "完成进度", "progress"],
        }
    }
}

/// The columns of an export, in order (so an export imports again).
pub const EXPORT_COLUMNS: &[Column] = Column::ALL;

pub type Layout = sheet::Layout<Column>;

/// The heading row: the first naming the item and its deadline. Without a unit column every
/// row would fail, so a missing one is named at once.
pub fn layout(rows: &[Vec<String>]) -> Result<Layout, Vec<FieldError>> {
    let Some(layout) = sheet::locate(rows, |l: &Layout| l.has(Column::Title) && l.has(Column::Deadline)) else {
        return Err(vec![FieldError::new(
            "file",
            "no_heading_row",
            "未找到表头：前 10 行中应有一行同时包含「事项」和「完成时限」",
        )]);
    };
    if !layout.has(Column::Unit) {
        return Err(vec![FieldError::new(
            "file",
            "missing_column",
            format!("缺少「责任单位」列（第 {} 行为表头）", layout.heading_row + 1),
        )]);
    }
    Ok(layout)
}

/// One item as its row gives it; the unit still by name (the service knows the units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub kind: ItemKind,
    pub title: String,
    pub aspect: Option<String>,
    pub unit: String,
    pub lead: Option<String>,
    pub deadline: NaiveDate,
    pub milestones: Vec<Milestone>,
    pub status: ItemStatus,
    pub progress: i32,
}

fn err(row: usize, c: Column, code: &'static str, message: impl Into<String>) -> RowError {
    RowError {
        row,
        field: c.field(),
        code,
        message: message.into(),
        value: None,
    }
}

/// Checks one data row; `row` is its 1-based number in the sheet.
pub fn parse_row(layout: &Layout, cells: &[String], row: usize) -> Result<Row, Vec<RowError>> {
    let cell = |c: Column| layout.cell(cells, c);
    let optional = |c: Column| Some(cell(c)).filter(|v| !v.is_empty()).map(str::to_owned);
    let mut errors = Vec::new();
    let kind = match cell(Column::Kind) {
        "" => Some(ItemKind::Task),
        raw => kind_from_cell(raw).or_else(|| {
            errors.push(err(
                row,
                Column::Kind,
                "invalid_choice",
                format!("类型「{raw}」应为 任务 或 问题"),
            ));
            None
        }),
    };
    let title = cell(Column::Title).to_owned();
    if title.is_empty() {
        errors.push(err(row, Column::Title, "required", "「事项」为空"));
    } else if title.chars().count() > 200 {
        errors.push(err(row, Column::Title, "too_long", "事项不能超过 200 个字"));
    }
    let unit = cell(Column::Unit).to_owned();
    if unit.is_empty() {
        errors.push(err(
            row,
            Column::Unit,
            "required",
            "「责任单位」为空：每项任务都要有责任单位",
        ));
    }
    let deadline = match cell(Column::Deadline) {
        "" => {
            errors.push(err(row, Column::Deadline, "required", "「完成时限」为空"));
            None
        }
        raw => parse_date(raw).or_else(|| {
            errors.push(err(
                row,
                Column::Deadline,
                "invalid_date",
                format!("完成时限「{raw}」无法识别，请写成 2026-12-31"),
            ));
            None
        }),
    };
    let milestones = parse_milestones(cell(Column::Milestones)).unwrap_or_else(|m| {
        errors.push(err(row, Column::Milestones, "invalid_milestones", m));
        Vec::new()
    });
    let status = match cell(Column::Status) {
        "" => Some(ItemStatus::NotStarted),
        raw => status_from_cell(raw).or_else(|| {
            errors.push(err(
                row,
                Column::Status,
                "invalid_choice",
                format!("状态「{raw}」应为 未开始、推进中 或 已完成"),
            ));
            None
        }),
    };
    let progress = match cell(Column::Progress).trim_end_matches('%') {
        "" => Some(0),
        raw => raw
            .parse::<f64>()
            .ok()
            .filter(|p| (0.0..=100.0).contains(p))
            .map_or_else(
                || {
                    errors.push(err(row, Column::Progress, "out_of_range", "进度应为 0 到 100 之间的数"));
                    None
                },
                // Whole percent.
                #[allow(clippy::cast_possible_truncation)]
                |p| Some(p.round() as i32),
            ),
    };
    for (c, max) in [(Column::Aspect, 50), (Column::Lead, 30)] {
        if cell(c).chars().count() > max {
            errors.push(err(row, c, "too_long", format!("不能超过 {max} 个字")));
        }
    }
    match (kind, deadline, status, progress) {
        (Some(kind), Some(deadline), Some(status), Some(progress)) if errors.is_empty() => Ok(Row {
            kind,
            title,
            aspect: optional(Column::Aspect),
            unit,
            lead: optional(Column::Lead),
            deadline,
            milestones,
            status,
            progress: if status == ItemStatus::Done { 100 } else { progress },
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet_of(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn reads_rows_and_names_each_bad_field_with_its_row() {
        let t = sheet_of(&[
            &["2026年优化营商环境行动方案"],
            &["类型", "事项", "责任单位", "牵头人", "完成时限", "里程碑", "进度"],
            &[
                "任务",
                "推行企业开办一日办结",
                "市场监管局",
                "王伟",
                "2026-12-31",
                "2026-11-30 出台方案；2026-12-20 试运行",
                "40%",
            ],
            &["问题", "窗口排队时间长", "", "", "2026/12/15", "", ""],
            &["任务", "", "税务局", "", "明年", "下月 上线", "120"],
        ]);
        let l = layout(&t).unwrap();
        assert_eq!(l.heading_row, 1);
        let ok = parse_row(&l, &t[2], 3).unwrap();
        assert_eq!(
            (ok.kind, ok.unit.as_str(), ok.progress),
            (ItemKind::Task, "市场监管局", 40)
        );
        assert_eq!(ok.milestones.len(), 2);
        assert_eq!(ok.milestones[1].title, "试运行");
        let no_unit = parse_row(&l, &t[3], 4).unwrap_err();
        assert_eq!(
            no_unit.iter().map(|e| (e.row, e.field)).collect::<Vec<_>>(),
            [(4, "unit")]
        );
        let bad = parse_row(&l, &t[4], 5).unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "deadline", "milestones", "progress"]);
        assert_eq!(sheet::row_fields(&no_unit)[0].field, "rows[4].unit");
    }

    #[test]
    fn a_sheet_without_a_unit_column_is_refused_at_once() {
        let t = sheet_of(&[&["事项", "完成时限"], &["a", "2026-12-01"]]);
        assert_eq!(layout(&t).unwrap_err()[0].code, "missing_column");
    }

    #[test]
    fn overdue_is_after_the_deadline_day_and_never_when_done() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert!(!is_overdue(ItemStatus::InProgress, d, d));
        assert!(is_overdue(ItemStatus::InProgress, d, d.succ_opt().unwrap()));
        assert!(!is_overdue(ItemStatus::Done, d, d.succ_opt().unwrap()));
        assert_eq!(
            milestones_cell(&parse_milestones("2026-11-30 出台方案；2026-12-20 试运行").unwrap()),
            "2026-11-30 出台方案；2026-12-20 试运行"
        );
    }
}

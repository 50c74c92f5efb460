//! The zone's 轻微违法免罚 / 首违不罚 lists (docs/design.md section 10): the sheet they are
//! imported from, and the words a search is cut into (jieba, as the policy search). Pure.
use crate::domain::FieldError;
use crate::domain::sheet::{self, RowError, SheetColumn};
use crate::domain::topics::JIEBA;
pub use entity::codes::LeniencyList;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    List,
    Item,
    LegalBasis,
    Conditions,
    Unit,
}

impl Column {
    fn field(self) -> &'static str {
        match self {
            Column::List => "list",
            Column::Item => "item",
            Column::LegalBasis => "legalBasis",
            Column::Conditions => "conditions",
            Column::Unit => "unit",
        }
    }
}

impl SheetColumn for Column {
    const ALL: &'static [Self] = &[
        Column::List,
        Column::Item,
        Column::LegalBasis,
        Column::Conditions,
        Column::Unit,
    ];

    fn headings(self) -> &'static [&'static str] {
        match self {
            Column::List => &["清单类型", "清单", "类型", "list"],
            Column::Item => &["违法行为", "事项", "违法事项", "item"],
            Column::LegalBasis => &["法律依据", "依据", "处罚依据", "legalbasis"],
            Column::Conditions => &["适用条件", "免罚条件", "条件", "conditions"],
            Column::Unit => &["实施单位", "执法单位", "责任单位", "unit"],
        }
    }
}

pub type Layout = sheet::Layout<Column>;

/// The heading row: the first naming the offence and its basis; the unit and conditions are
/// required too.
pub fn layout(rows: &[Vec<String>]) -> Result<Layout, Vec<FieldError>> {
    let Some(layout) = sheet::locate(rows, |l: &Layout| l.has(Column::Item) && l.has(Column::LegalBasis)) else {
        return Err(vec![FieldError::new(
            "file",
            "no_heading_row",
            "未找到表头：前 10 行中应有一行同时包含「违法行为」和「法律依据」",
        )]);
    };
    for c in [Column::Conditions, Column::Unit] {
        if !layout.has(c) {
            return Err(vec![FieldError::new(
                "file",
                "missing_column",
                format!("缺少「{}」列（第 {} 行为表头）", c.heading(), layout.heading_row + 1),
            )]);
        }
    }
    Ok(layout)
}

/// One entry as its row gives it; the unit still by name or code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub list: LeniencyList,
    pub item: String,
    pub legal_basis: String,
    pub conditions: String,
    pub unit: String,
}

const MAX_CHARS: usize = 2000;

/// Checks one data row (`row`: its 1-based number in the sheet). An empty list type is 轻微违法免罚.
pub fn parse_row(layout: &Layout, cells: &[String], row: usize) -> Result<Row, Vec<RowError>> {
    let mut errors = Vec::new();
    let err = |c: Column, code: &'static str, message: String| RowError {
        row,
        field: c.field(),
        code,
        message,
        value: None,
    };
    let list = match layout.cell(cells, Column::List) {
        "" => Some(LeniencyList::Minor),
        raw => LeniencyList::ALL
            .iter()
            .copied()
            .find(|l| l.label() == raw || l.code() == raw || (raw.contains("首违") && *l == LeniencyList::First))
            .or_else(|| {
                errors.push(err(
                    Column::List,
                    "invalid_choice",
                    format!("清单类型「{raw}」应为 轻微违法免罚 或 首违不罚"),
                ));
                None
            }),
    };
    let mut text = |c: Column| {
        let v = layout.cell(cells, c).to_owned();
        if v.is_empty() {
            errors.push(err(c, "required", format!("「{}」为空", c.heading())));
        } else if v.chars().count() > MAX_CHARS {
            errors.push(err(c, "too_long", format!("「{}」超过 2000 字", c.heading())));
        }
        v
    };
    let item = text(Column::Item);
    let legal_basis = text(Column::LegalBasis);
    let conditions = text(Column::Conditions);
    let unit = text(Column::Unit);
    match list {
        Some(list) if errors.is_empty() => Ok(Row {
            list,
            item,
            legal_basis,
            conditions,
            unit,
        }),
        _ => Err(errors),
    }
}

/// The words a search is made of (jieba, as the policy index cuts its texts): each must appear
/// in an entry; punctuation and spaces drop out, but a query of nothing else is looked for as
/// typed (a `%` finds a `%`, not everything).
pub fn query_words(q: &str) -> Vec<String> {
    let mut words: Vec<String> = JIEBA
        .cut(q, false)
        .into_iter()
        .map(|w| w.word.trim().to_owned())
        .filter(|w| !w.is_empty() && w.chars().any(char::is_alphanumeric))
        .collect();
    words.dedup();
    words.truncate(8);
    if words.is_empty() && !q.trim().is_empty() {
        words.push(q.trim().to_owned());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_sheet_with_a_title_line_is_read_by_its_headings() {
        let rows = vec![
            cells(&["黄岛区轻微违法行为免罚清单（2026年版）"]),
            cells(&["序号", "清单类型", "违法行为", "法律依据", "适用条件", "实施单位"]),
            cells(&[
                "1",
                "首违不罚",
                "未按规定公示营业执照",
                "《市场主体登记管理条例》第四十八条",
                "首次被发现且及时改正",
                "市场监管局",
            ]),
            cells(&["2", "", "  ", "《税收征收管理法》第六十条", "及时改正", "税务局"]),
        ];
        let layout = layout(&rows).unwrap();
        assert_eq!(layout.heading_row, 1);
        let row = parse_row(&layout, &rows[2], 3).unwrap();
        assert_eq!(row.list, LeniencyList::First);
        assert_eq!(row.unit, "市场监管局");
        let bad = parse_row(&layout, &rows[3], 4).unwrap_err();
        assert_eq!(bad[0].field, "item");
        assert!(layout_of(&[cells(&["违法行为", "法律依据"])]).is_err());
    }

    fn layout_of(rows: &[Vec<String>]) -> Result<Layout, Vec<FieldError>> {
        layout(rows)
    }

    #[test]
    fn a_query_is_cut_into_words() {
        assert_eq!(query_words("营业执照 公示"), ["营业执照", "公示"]);
        assert_eq!(query_words(" % "), ["%"]);
        assert!(query_words("  ").is_empty());
    }
}

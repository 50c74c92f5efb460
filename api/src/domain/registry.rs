//! Rows of an enterprise registry export (CSV or Excel from the market-regulation registry, or
//! a sheet kept by hand): which column is which, and what each row says, checked field by field.
//! Pure: reading files and the database checks (already registered) live in the service.
use chrono::NaiveDate;

use crate::domain::FieldError;
use crate::domain::enterprise::{Scale, ServiceTier, clean_labels};
use crate::domain::industry;
use crate::domain::sheet::{self, SheetColumn};
use crate::domain::uscc::Uscc;

/// A column the import understands, with the headings registries and people give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    Uscc,
    Industry,
    Scale,
    RegisteredAt,
    District,
    Qualifications,
    Tags,
    /// The service tier (重点, 成长, 一般), which sets how often the butler visits.
    ServiceTier,
}

impl Column {
    /// The field name used in errors (as in the enterprise API).
    pub fn field(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Uscc => "uscc",
            Column::Industry => "industryCode",
            Column::Scale => "scale",
            Column::RegisteredAt => "registeredAt",
            Column::District => "district",
            Column::Qualifications => "qualifications",
            Column::Tags => "tags",
            Column::ServiceTier => "serviceTier",
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            Column::Name | Column::Uscc | Column::Industry | Column::Scale | Column::RegisteredAt
        )
    }
}

impl SheetColumn for Column {
    const ALL: &'static [Self] = &[
        Column::Name,
        Column::Uscc,
        Column::Industry,
        Column::Scale,
        Column::RegisteredAt,
        Column::District,
        Column::Qualifications,
        Column::Tags,
        Column::ServiceTier,
    ];

    fn headings(self) -> &'static [&'static str] {
        match self {
            Column::Name => &["企业名称", "名称", "市场主体名称", "单位名称", "name"],
            Column::Uscc => &["统一社会信用代码", "社会信用代码", "信用代码", "uscc"],
            Column::Industry => &[
                "行业代码",
                "国民经济行业代码",
                "国民经济行业",
                "所属行业",
                "行业",
                "industrycode",
            ],
            Column::Scale => &["企业规模", "规模", "scale"],
            Column::RegisteredAt => &["成立日期", "登记日期", "注册日期", "成立时间", "registeredat"],
            Column::District => &["所属区域", "所属片区", "片区", "区域", "district"],
            Column::Qualifications => &["资质", "企业资质", "资质认定", "qualifications"],
            Column::Tags => &["标签", "企业标签", "tags"],
            Column::ServiceTier => &["服务等级", "企业分类", "服务类别", "分类", "servicetier"],
        }
    }
}

/// Where each column is in the sheet.
pub type Layout = sheet::Layout<Column>;

/// Finds the heading row among the first rows (exports often carry a title line above it):
/// the first row naming both the enterprise name and the USCC. Every required column must be
/// there; otherwise the errors name the missing ones.
pub fn layout(rows: &[Vec<String>]) -> Result<Layout, Vec<FieldError>> {
    let Some(layout) = sheet::locate(rows, |l: &Layout| l.has(Column::Name) && l.has(Column::Uscc)) else {
        return Err(vec![FieldError::new(
            "file",
            "no_heading_row",
            "未找到表头：前 10 行中应有一行同时包含「企业名称」和「统一社会信用代码」",
        )]);
    };
    let missing: Vec<FieldError> = Column::ALL
        .iter()
        .copied()
        .filter(|c| c.required() && !layout.has(*c))
        .map(|c| {
            FieldError::new(
                "file",
                "missing_column",
                format!("缺少「{}」列（第 {} 行为表头）", c.heading(), layout.heading_row + 1),
            )
        })
        .collect();
    if missing.is_empty() { Ok(layout) } else { Err(missing) }
}

/// An enterprise as one row gives it, every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub uscc: Uscc,
    pub industry_code: String,
    pub scale: Scale,
    pub registered_at: NaiveDate,
    pub district: Option<String>,
    pub qualifications: Vec<String>,
    pub tags: Vec<String>,
    /// 一般 when the sheet says nothing.
    pub service_tier: ServiceTier,
}

pub use crate::domain::sheet::RowError;

fn row_error(row: usize, column: Column, code: &'static str, message: impl Into<String>) -> RowError {
    RowError {
        row,
        field: column.field(),
        code,
        message: message.into(),
        value: None,
    }
}

pub use crate::domain::sheet::is_blank;

/// Checks one data row. `row` is its 1-based number in the sheet (for the messages).
pub fn parse_row(layout: &Layout, cells: &[String], row: usize, today: NaiveDate) -> Result<Row, Vec<RowError>> {
    let cell = |c: Column| layout.cell(cells, c);
    let mut errors = Vec::new();
    let required = |c: Column, errors: &mut Vec<RowError>| -> Option<String> {
        let v = cell(c);
        if v.is_empty() {
            errors.push(row_error(row, c, "required", format!("「{}」为空", c.heading())));
            None
        } else {
            Some(v.to_owned())
        }
    };

    let name = required(Column::Name, &mut errors);
    if let Some(n) = &name
        && n.chars().count() > 100
    {
        errors.push(row_error(row, Column::Name, "too_long", "企业名称不能超过 100 个字"));
    }
    let uscc = required(Column::Uscc, &mut errors).and_then(|raw| match Uscc::parse(&raw) {
        Ok(u) => Some(u),
        Err(e) => {
            errors.push(row_error(
                row,
                Column::Uscc,
                e.code(),
                format!("{}：{raw}", e.message()),
            ));
            None
        }
    });
    let industry_code = required(Column::Industry, &mut errors).and_then(|raw| match industry_class(&raw) {
        Some(code) => Some(code),
        None => {
            errors.push(row_error(
                row,
                Column::Industry,
                "unknown_industry",
                format!("「{raw}」不是 GB/T 4754-2017 的小类代码（如 I6513 或 6513）"),
            ));
            None
        }
    });
    let scale = required(Column::Scale, &mut errors).and_then(|raw| match parse_scale(&raw) {
        Some(s) => Some(s),
        None => {
            errors.push(row_error(
                row,
                Column::Scale,
                "invalid_scale",
                format!("企业规模「{raw}」应为 微型、小型、中型 或 大型"),
            ));
            None
        }
    });
    let registered_at = required(Column::RegisteredAt, &mut errors).and_then(|raw| match parse_date(&raw) {
        Some(d) if d > today => {
            errors.push(row_error(
                row,
                Column::RegisteredAt,
                "in_the_future",
                format!("成立日期 {d} 晚于今天"),
            ));
            None
        }
        Some(d) => Some(d),
        None => {
            errors.push(row_error(
                row,
                Column::RegisteredAt,
                "invalid_date",
                format!("成立日期「{raw}」无法识别，请写成 2020-03-15"),
            ));
            None
        }
    });
    let district = Some(cell(Column::District))
        .filter(|d| !d.is_empty())
        .map(str::to_owned);
    if district.as_ref().is_some_and(|d| d.chars().count() > 50) {
        errors.push(row_error(row, Column::District, "too_long", "所属区域不能超过 50 个字"));
    }
    let label_list = |c: Column, errors: &mut Vec<RowError>| -> Vec<String> {
        let labels = split_labels(cell(c));
        if labels.len() > 20 || labels.iter().any(|l| l.chars().count() > 30) {
            errors.push(row_error(row, c, "too_many", "最多 20 项，每项不超过 30 个字"));
        }
        labels
    };
    let qualifications = label_list(Column::Qualifications, &mut errors);
    let tags = label_list(Column::Tags, &mut errors);
    let service_tier = match cell(Column::ServiceTier) {
        "" => ServiceTier::General,
        raw => parse_tier(raw).unwrap_or_else(|| {
            errors.push(row_error(
                row,
                Column::ServiceTier,
                "invalid_tier",
                format!("服务等级「{raw}」应为 重点、成长 或 一般"),
            ));
            ServiceTier::General
        }),
    };

    match (name, uscc, industry_code, scale, registered_at) {
        (Some(name), Some(uscc), Some(industry_code), Some(scale), Some(registered_at)) if errors.is_empty() => {
            Ok(Row {
                name,
                uscc,
                industry_code,
                scale,
                registered_at,
                district,
                qualifications,
                tags,
                service_tier,
            })
        }
        _ => {
            // Each problem names the cell's text, so a preview can show it in place.
            for e in &mut errors {
                e.value = Column::ALL
                    .iter()
                    .find(|c| c.field() == e.field)
                    .map(|c| cell(*c).to_owned());
            }
            Err(errors)
        }
    }
}

/// The class code in a cell such as `I6513`, `6513` or `6513 应用软件开发` / `[I6513]应用软件开发`.
fn industry_class(raw: &str) -> Option<String> {
    let code: String = raw
        .trim_start_matches(['[', '【', '('])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect();
    industry::normalise_class(&code).map(|i| i.code.clone())
}

fn parse_tier(raw: &str) -> Option<ServiceTier> {
    let t = raw
        .trim()
        .trim_end_matches("企业")
        .trim_end_matches("类")
        .to_lowercase();
    ServiceTier::ALL
        .iter()
        .copied()
        .find(|s| s.label() == t || s.code() == t)
}

fn parse_scale(raw: &str) -> Option<Scale> {
    let s = raw.trim().trim_end_matches("企业").to_lowercase();
    match s.as_str() {
        "微型" | "微" | "micro" => Some(Scale::Micro),
        "小型" | "小" | "small" => Some(Scale::Small),
        "中型" | "中" | "medium" => Some(Scale::Medium),
        "大型" | "大" | "large" => Some(Scale::Large),
        _ => None,
    }
}

/// Dates as registries and spreadsheets write them: `2020-03-15`, `2020/3/15`, `20200315`,
/// `2020年3月15日`, `2020.03.15`, with or without a time after them.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    }
    let parts: Vec<&str> = s
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        _ => None,
    }
}

fn split_labels(raw: &str) -> Vec<String> {
    let parts: Vec<String> = raw
        .split([';', '；', ',', '，', '、', '|', '/'])
        .map(str::to_owned)
        .collect();
    clean_labels(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn sheet() -> Layout {
        layout(&[
            row(&["某某自贸片区企业名录（2026年11月）"]),
            row(&[
                "序号",
                "企业名称",
                "统一社会信用代码",
                "国民经济行业代码",
                "企业规模",
                "成立日期",
                "片区",
                "资质",
                "标签",
            ]),
        ])
        .unwrap()
    }

    #[test]
    fn finds_the_heading_row_below_a_title_and_names_missing_columns() {
        assert_eq!(sheet().heading_row, 1);
        let errors = layout(&[row(&["企业名称", "统一社会信用代码", "成立日期"])]).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("行业代码"));
        assert!(messages[1].contains("企业规模"));
        let none = layout(&[row(&["a", "b"])]).unwrap_err();
        assert_eq!(none[0].code, "no_heading_row");
        // English headings (the API's field names) work too.
        assert!(layout(&[row(&["name", "uscc", "industryCode", "scale", "registeredAt"])]).is_ok());
    }

    #[test]
    fn a_good_row_gives_an_enterprise() {
        let r = parse_row(
            &sheet(),
            &row(&[
                "1",
                " 星河软件有限公司 ",
                "91350200MA2Y8G0N22",
                "6513 应用软件开发",
                "小型企业",
                "2019/3/5",
                "湖里片区",
                "高新技术企业；专精特新",
                "软件, 出海",
            ]),
            3,
            today(),
        )
        .unwrap();
        assert_eq!(r.name, "星河软件有限公司");
        assert_eq!(r.uscc.as_str(), "91350200MA2Y8G0N22");
        assert_eq!(r.industry_code, "I6513");
        assert_eq!(r.scale, Scale::Small);
        assert_eq!(r.registered_at, NaiveDate::from_ymd_opt(2019, 3, 5).unwrap());
        assert_eq!(r.district.as_deref(), Some("湖里片区"));
        assert_eq!(r.qualifications, vec!["高新技术企业", "专精特新"]);
        assert_eq!(r.tags, vec!["软件", "出海"]);
        // Without a tier column, 一般.
        assert_eq!(r.service_tier, ServiceTier::General);
    }

    #[test]
    fn a_service_tier_column_sets_the_class_and_a_wrong_one_is_named() {
        let heading = row(&[
            "企业名称",
            "统一社会信用代码",
            "行业代码",
            "企业规模",
            "成立日期",
            "服务等级",
        ]);
        let l = layout(std::slice::from_ref(&heading)).unwrap();
        let at = |tier: &str| {
            parse_row(
                &l,
                &row(&[
                    "星河软件有限公司",
                    "91350200MA2Y8G0N22",
                    "I6513",
                    "小型",
                    "2019-03-05",
                    tier,
                ]),
                2,
                today(),
            )
        };
        assert_eq!(at("重点企业").unwrap().service_tier, ServiceTier::Key);
        assert_eq!(at("成长类").unwrap().service_tier, ServiceTier::Growth);
        assert_eq!(at("").unwrap().service_tier, ServiceTier::General);
        let bad = at("金牌").unwrap_err();
        assert_eq!((bad[0].field, bad[0].code), ("serviceTier", "invalid_tier"));
    }

    #[test]
    fn every_bad_field_of_a_row_is_reported_with_its_row_number() {
        let errors = parse_row(
            &sheet(),
            &row(&["2", "", "91350200MA2Y8G0N2Y", "Z9999", "巨型", "2030-01-01", "", "", ""]),
            7,
            today(),
        )
        .unwrap_err();
        let got: Vec<(usize, &str, &str)> = errors.iter().map(|e| (e.row, e.field, e.code)).collect();
        assert_eq!(
            got,
            vec![
                (7, "name", "required"),
                (7, "uscc", "invalid_check_digit"),
                (7, "industryCode", "unknown_industry"),
                (7, "scale", "invalid_scale"),
                (7, "registeredAt", "in_the_future"),
            ]
        );
        let bad_date = parse_row(
            &sheet(),
            &row(&["3", "甲", "91350200MA2Y8G0N22", "I6513", "微型", "去年", "", "", ""]),
            8,
            today(),
        )
        .unwrap_err();
        assert_eq!(bad_date[0].code, "invalid_date");
        assert!(bad_date[0].message.contains("去年"));
    }

    #[test]
    fn dates_in_the_forms_registries_use() {
        let d = NaiveDate::from_ymd_opt(2020, 3, 15).unwrap();
        for raw in [
            "2020-03-15",
            "2020/3/15",
            "20200315",
            "2020年3月15日",
            "2020.03.15",
            "2020-03-15 00:00:00",
        ] {
            assert_eq!(parse_date(raw), Some(d), "{raw}");
        }
        for raw in ["", "15/03/2020", "2020-02-30", "2020-03"] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }

    #[test]
    fn blank_rows_are_recognised() {
        assert!(is_blank(&row(&["", "  ", ""])));
        assert!(!is_blank(&row(&["", "x"])));
    }
}

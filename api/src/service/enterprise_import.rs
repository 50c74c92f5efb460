//! Bulk import of enterprises from a registry export (CSV or Excel): read the sheet, check
//! every row, and write the new enterprises in one transaction. Enterprises already
//! registered (same USCC) are skipped and listed, so the monthly export can be imported again.
use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader};
use chrono::Utc;
use entity::enterprise;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionSession,
    TransactionTrait,
};

use crate::domain::registry::{self, Row, RowError};
use crate::domain::sheet;
use crate::error::{ApiError, ApiResult};
use crate::service::{callbacks, is_unique_violation};

/// What to do when some rows are bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Import nothing (the default): fix the file and import it again.
    Reject,
    /// Import the good rows; the report lists the bad ones.
    Skip,
}

/// A row whose enterprise is already registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub row: usize,
    pub uscc: String,
    pub enterprise_id: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Data rows read (blank rows not counted).
    pub rows: usize,
    /// Rows that would create an enterprise.
    pub valid: usize,
    /// Enterprises created (0 on a dry run).
    pub created: usize,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<RowError>,
}

/// Rows per INSERT statement (13 columns: well inside SQLite's and PostgreSQL's bind limits).
const CHUNK: usize = 500;

/// Reads, checks and (unless `dry_run`) imports a file.
pub async fn import<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    bytes: &[u8],
    dry_run: bool,
    on_error: OnError,
    plan: &callbacks::Plan<'_>,
) -> ApiResult<Report> {
    let today = plan.today;
    let table = read_table(bytes)?;
    let layout = registry::layout(&table).map_err(|fields| ApiError::Validation {
        code: "invalid_import_file",
        message: "导入文件的表头不完整".into(),
        fields,
    })?;
    let mut report = Report::default();
    let mut good: Vec<(usize, Row)> = Vec::new();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for (i, cells) in table.iter().enumerate().skip(layout.heading_row + 1) {
        if registry::is_blank(cells) {
            continue;
        }
        let n = i + 1;
        report.rows += 1;
        match registry::parse_row(&layout, cells, n, today) {
            Ok(row) => match first_row.get(row.uscc.as_str()) {
                Some(&first) => report.errors.push(RowError {
                    row: n,
                    field: "uscc",
                    code: "duplicate",
                    message: format!("统一社会信用代码 {} 与第 {first} 行重复", row.uscc),
                    value: Some(row.uscc.as_str().to_owned()),
                }),
                None => {
                    first_row.insert(row.uscc.as_str().to_owned(), n);
                    good.push((n, row));
                }
            },
            Err(errors) => report.errors.extend(errors),
        }
    }
    if report.rows == 0 {
        return Err(ApiError::invalid_field("file", "empty", "导入文件中没有企业数据"));
    }

    let registered = registered(db, good.iter().map(|(_, r)| r.uscc.as_str().to_owned()).collect()).await?;
    good.retain(|(n, row)| match registered.get(row.uscc.as_str()) {
        Some(&id) => {
            report.skipped.push(Skipped {
                row: *n,
                uscc: row.uscc.as_str().to_owned(),
                enterprise_id: id,
            });
            false
        }
        None => true,
    });
    report.valid = good.len();
    if dry_run {
        return Ok(report);
    }
    if !report.errors.is_empty() && on_error == OnError::Reject {
        return Err(rejected(&report.errors));
    }

    let txn = crate::service::begin_write(db).await?;
    let now = Utc::now();
    for chunk in good.chunks(CHUNK) {
        let models = chunk.iter().map(|(_, r)| enterprise::ActiveModel {
            name: Set(r.name.clone()),
            uscc: Set(r.uscc.as_str().to_owned()),
            industry_code: Set(r.industry_code.clone()),
            scale: Set(r.scale),
            registered_at: Set(r.registered_at),
            qualifications: Set(serde_json::json!(r.qualifications)),
            tags: Set(serde_json::json!(r.tags)),
            district: Set(r.district.clone()),
            service_tier: Set(r.service_tier),
            butler_user_id: Set(None),
            invite_code: Set(None),
            // New to the zone: the call-back programme calls every one of them.
            needs_callback: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        enterprise::Entity::insert_many(models).exec(&txn).await.map_err(|e| {
            if is_unique_violation(&e) {
                ApiError::conflict(
                    "import_conflict",
                    "导入期间有相同统一社会信用代码的企业被登记，请重新导入",
                )
            } else {
                e.into()
            }
        })?;
    }
    // Every new enterprise is called back: its task in the same transaction.
    let codes: Vec<String> = good.iter().map(|(_, r)| r.uscc.as_str().to_owned()).collect();
    let mut new_ids: Vec<(i64, Option<i64>)> = Vec::with_capacity(codes.len());
    for chunk in codes.chunks(CHUNK) {
        let ids: Vec<i64> = enterprise::Entity::find()
            .select_only()
            .column(enterprise::Column::Id)
            .filter(enterprise::Column::Uscc.is_in(chunk.to_vec()))
            .order_by_asc(enterprise::Column::Id)
            .into_tuple()
            .all(&txn)
            .await?;
        new_ids.extend(ids.into_iter().map(|id| (id, None)));
    }
    callbacks::create_for(&txn, &new_ids, plan).await?;
    txn.commit().await?;
    report.created = good.len();
    Ok(report)
}

/// The 422 of an import refused for its bad rows: each problem as `rows[N].field`.
fn rejected(errors: &[RowError]) -> ApiError {
    ApiError::Validation {
        code: "import_rejected",
        message: format!(
            "导入文件有 {} 行存在问题，未导入任何企业；请修正后重新导入，或选择跳过问题行",
            sheet::bad_rows(errors)
        )
        .into(),
        fields: sheet::row_fields(errors),
    }
}

/// The enterprises already registered among these codes, by USCC.
async fn registered(db: &impl ConnectionTrait, codes: Vec<String>) -> ApiResult<HashMap<String, i64>> {
    let mut found = HashMap::new();
    for chunk in codes.chunks(CHUNK) {
        let rows: Vec<(i64, String)> = enterprise::Entity::find()
            .select_only()
            .column(enterprise::Column::Id)
            .column(enterprise::Column::Uscc)
            .filter(enterprise::Column::Uscc.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows.into_iter().map(|(id, uscc)| (uscc, id)));
    }
    Ok(found)
}

/// The cells of the file's first sheet as text. Excel (xlsx, xls, ods) is recognised by its
/// content; anything else is read as CSV in UTF-8 (with or without a byte-order mark) or, as
/// Excel on Chinese Windows saves it, GB18030.
pub fn read_table(bytes: &[u8]) -> ApiResult<Vec<Vec<String>>> {
    let unreadable =
        || ApiError::invalid_field("file", "unreadable", "无法读取该文件，请上传 CSV 或 Excel（.xlsx）文件");
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(unreadable)?
            .map_err(|_| unreadable())?;
        return Ok(range.rows().map(|r| r.iter().map(cell_text).collect()).collect());
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t.trim_start_matches('\u{feff}')),
        Err(_) => {
            let (decoded, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(unreadable());
            }
            decoded
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(str::to_owned).collect())
                .map_err(|_| unreadable())
        })
        .collect()
}

/// A spreadsheet cell as the registry meant it: whole numbers without `.0` (industry codes
/// typed as numbers), dates as `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|dt| dt.date().to_string())
            .unwrap_or_else(|| d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_csv_in_utf8_with_a_bom_and_in_gb18030() {
        let text = "企业名称,统一社会信用代码\n星河软件,91350200MA2Y8G0N22\n";
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        for bytes in [with_bom.as_slice(), gbk.as_ref()] {
            let table = read_table(bytes).unwrap();
            assert_eq!(table[0], vec!["企业名称", "统一社会信用代码"]);
            assert_eq!(table[1][0], "星河软件");
        }
    }

    #[test]
    fn reads_an_xlsx_sheet_with_numbers_and_dates() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "企业名称").unwrap();
        sheet.write_string(0, 1, "行业代码").unwrap();
        sheet.write_string(0, 2, "成立日期").unwrap();
        sheet.write_string(1, 0, "星河软件").unwrap();
        sheet.write_number(1, 1, 6513.0).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2019, 3, 5).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_datetime_with_format(1, 2, &date, &format).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let table = read_table(&bytes).unwrap();
        assert_eq!(table[1], vec!["星河软件", "6513", "2019-03-05"]);
    }

    #[test]
    fn refuses_what_is_neither_csv_nor_excel() {
        let err = read_table(b"PK\x03\x04not really a zip").unwrap_err();
        assert!(matches!(err, ApiError::Validation { .. }));
        assert!(read_table(&[0xFF, 0xFE, 0x00, 0xD8, 0x00]).is_err());
    }
}

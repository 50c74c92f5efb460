//! Importing a sheet of rows all or nothing, the same way for every kind of sheet (plan items,
//! the leniency lists): each data row is checked; a dry run lists every problem and writes
//! nothing; a real import with any problem is refused with 422 `import_rejected`, naming each
//! `rows[N].field`.
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::sheet::{self, RowError};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PlanImportReport)]
pub struct ImportReport {
    /// Checked only: nothing was written.
    pub dry_run: bool,
    pub rows: usize,
    /// Rows that create an item.
    pub valid: usize,
    pub created: usize,
    /// Each problem (a dry run lists them; a real import with one is refused with 422).
    pub errors: Vec<ImportRowProblem>,
}

/// A problem in a row of an imported sheet.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PlanImportRowProblem)]
pub struct ImportRowProblem {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    pub field: String,
    pub code: String,
    pub message: String,
    /// The bad cell's text as read.
    pub value: Option<String>,
}

/// What to do with the rows that passed.
pub enum Verdict<T> {
    /// Write these.
    Write(Vec<T>),
    /// A dry run: answer this report.
    Report(ImportReport),
}

impl ImportReport {
    /// The report of a real import that wrote `created` rows.
    pub fn written(created: usize) -> ImportReport {
        ImportReport {
            dry_run: false,
            rows: created,
            valid: created,
            created,
            errors: Vec::new(),
        }
    }
}

/// A sheet whose heading lacks columns: 422 `invalid_import_file`, naming them.
pub fn incomplete_heading(fields: Vec<crate::error::FieldError>) -> ApiError {
    ApiError::Validation {
        code: "invalid_import_file",
        message: "导入文件的表头不完整".into(),
        fields,
    }
}

/// The unit a row names by its name or code (`units`: `units::by_name_or_code`), or the row's
/// `unknown_unit` problem; `role` is what the sheet calls the unit (「实施单位」, 「责任单位」).
pub fn unit_of(
    units: &std::collections::HashMap<String, i64>,
    name: &str,
    row: usize,
    role: &str,
) -> Result<i64, Vec<RowError>> {
    units.get(name).copied().ok_or_else(|| {
        vec![RowError {
            row,
            field: "unit",
            code: "unknown_unit",
            message: format!("{role}「{name}」不存在，请先在系统中添加该单位"),
            value: Some(name.to_owned()),
        }]
    })
}

/// Checks the data rows below `heading_row` (blank ones skipped) with `check`, which turns a
/// row (cells, 1-based number) into what to write or its problems. `what` names the rows in
/// messages (「任务」, 「清单事项」).
pub fn check_rows<T>(
    table: &[Vec<String>],
    heading_row: usize,
    dry_run: bool,
    what: &str,
    mut check: impl FnMut(&[String], usize) -> Result<T, Vec<RowError>>,
) -> ApiResult<Verdict<T>> {
    let mut errors: Vec<RowError> = Vec::new();
    let mut good = Vec::new();
    let mut rows = 0;
    for (i, cells) in table.iter().enumerate().skip(heading_row + 1) {
        if sheet::is_blank(cells) {
            continue;
        }
        rows += 1;
        match check(cells, i + 1) {
            Ok(t) => good.push(t),
            Err(e) => errors.extend(e),
        }
    }
    if rows == 0 {
        return Err(ApiError::invalid_field(
            "file",
            "empty",
            &format!("导入文件中没有{what}"),
        ));
    }
    if dry_run {
        return Ok(Verdict::Report(ImportReport {
            dry_run,
            rows,
            valid: good.len(),
            created: 0,
            errors: errors
                .into_iter()
                .map(|e| ImportRowProblem {
                    row: e.row,
                    field: e.field.to_owned(),
                    code: e.code.to_owned(),
                    message: e.message,
                    value: e.value,
                })
                .collect(),
        }));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation {
            code: "import_rejected",
            message: format!(
                "导入文件有 {} 行存在问题，未导入任何{what}；请修正后重新导入",
                sheet::bad_rows(&errors)
            )
            .into(),
            fields: sheet::row_fields(&errors),
        });
    }
    Ok(Verdict::Write(good))
}

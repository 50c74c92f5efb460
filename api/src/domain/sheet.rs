//! Spreadsheets people keep by hand: finding the heading row below any title lines, and which
//! column is which, whatever the exact wording of a heading. Pure.
use std::collections::HashMap;
use std::hash::Hash;

/// A heading as compared: no spaces, no `*` (required marks), no BOM, lower case.
pub fn normalise(heading: &str) -> String {
    heading
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '_' | '\u{feff}'))
        .collect::<String>()
        .to_lowercase()
}

/// The first of the first ten rows whose recognised columns satisfy `is_heading`, with the
/// column index of each recognised heading (the first one wins).
pub fn locate<C: Copy + Eq + Hash>(
    rows: &[Vec<String>],
    recognise: impl Fn(&str) -> Option<C>,
    is_heading: impl Fn(&HashMap<C, usize>) -> bool,
) -> Option<(usize, HashMap<C, usize>)> {
    rows.iter().take(10).enumerate().find_map(|(i, row)| {
        let mut columns = HashMap::new();
        for (j, cell) in row.iter().enumerate() {
            if let Some(c) = recognise(&normalise(cell)) {
                columns.entry(c).or_insert(j);
            }
        }
        is_heading(&columns).then_some((i, columns))
    })
}

/// One problem with one row; `row` is the row number as a spreadsheet shows it (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

/// Row problems as field errors named `rows[N].field`.
pub fn row_fields(errors: &[RowError]) -> Vec<crate::error::FieldError> {
    errors
        .iter()
        .map(|e| crate::error::FieldError::new(format!("rows[{}].{}", e.row, e.field), e.code, e.message.clone()))
        .collect()
}

/// How many distinct rows have problems.
pub fn bad_rows(errors: &[RowError]) -> usize {
    let mut rows: Vec<usize> = errors.iter().map(|e| e.row).collect();
    rows.sort_unstable();
    rows.dedup();
    rows.len()
}

/// Whether a sheet row is blank (skipped, not an error).
pub fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_heading_row_below_a_title() {
        let rows: Vec<Vec<String>> = vec![
            vec!["2026年行动方案".into()],
            vec!["序号".into(), "任务 *".into(), "责任单位".into()],
            vec!["1".into(), "优化窗口".into(), "税务局".into()],
        ];
        let found = locate(
            &rows,
            |h| match h {
                "任务" => Some(0),
                "责任单位" => Some(1),
                _ => None,
            },
            |c| c.len() == 2,
        );
        assert_eq!(found, Some((1, HashMap::from([(0, 1), (1, 2)]))));
        assert!(is_blank(&[" ".into(), String::new()]));
    }
}

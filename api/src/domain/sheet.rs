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

/// The columns a kind of sheet understands, with the headings people give each (the first is
/// the one shown in messages and written by exports).
pub trait SheetColumn: Copy + Eq + Hash + 'static {
    const ALL: &'static [Self];
    fn headings(self) -> &'static [&'static str];

    fn heading(self) -> &'static str {
        self.headings()[0]
    }

    /// The column a (normalised) heading names.
    fn recognise(normalised: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.headings().contains(&normalised))
    }
}

/// Where each column is in a sheet.
#[derive(Debug, Clone)]
pub struct Layout<C> {
    /// Index (0-based) of the heading row in the sheet.
    pub heading_row: usize,
    columns: HashMap<C, usize>,
}

impl<C: SheetColumn> Layout<C> {
    pub fn has(&self, c: C) -> bool {
        self.columns.contains_key(&c)
    }

    /// A data row's cell in column `c`, trimmed; empty when the sheet has no such column.
    pub fn cell<'a>(&self, cells: &'a [String], c: C) -> &'a str {
        self.columns
            .get(&c)
            .and_then(|&i| cells.get(i))
            .map_or("", |s| s.trim())
    }
}

/// The first of the first ten rows whose recognised columns satisfy `is_heading` (the first
/// cell naming a column wins).
pub fn locate<C: SheetColumn>(rows: &[Vec<String>], is_heading: impl Fn(&Layout<C>) -> bool) -> Option<Layout<C>> {
    rows.iter().take(10).enumerate().find_map(|(i, row)| {
        let mut columns = HashMap::new();
        for (j, cell) in row.iter().enumerate() {
            if let Some(c) = C::recognise(&normalise(cell)) {
                columns.entry(c).or_insert(j);
            }
        }
        let layout = Layout {
            heading_row: i,
            columns,
        };
        is_heading(&layout).then_some(layout)
    })
}

/// One problem with one row; `row` is the row number as a spreadsheet shows it (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
    /// The cell's text as read, where the problem is in one cell.
    pub value: Option<String>,
}

/// Row problems as field errors named `rows[N].field`.
pub fn row_fields(errors: &[RowError]) -> Vec<crate::domain::FieldError> {
    errors
        .iter()
        .map(|e| crate::domain::FieldError::new(format!("rows[{}].{}", e.row, e.field), e.code, e.message.clone()))
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

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    enum Col {
        Task,
        Unit,
    }

    impl SheetColumn for Col {
        const ALL: &'static [Self] = &[Col::Task, Col::Unit];
        fn headings(self) -> &'static [&'static str] {
            match self {
                Col::Task => &["任务"],
                Col::Unit => &["责任单位"],
            }
        }
    }

    #[test]
    fn finds_the_heading_row_below_a_title() {
        let rows: Vec<Vec<String>> = vec![
            vec!["2026年行动方案".into()],
            vec!["序号".into(), "任务 *".into(), "责任单位".into()],
            vec!["1".into(), " 优化窗口 ".into(), "税务局".into()],
        ];
        let found = locate(&rows, |l: &Layout<Col>| l.has(Col::Task) && l.has(Col::Unit)).unwrap();
        assert_eq!(found.heading_row, 1);
        assert_eq!(found.cell(&rows[2], Col::Task), "优化窗口");
        assert_eq!(found.cell(&rows[0], Col::Unit), "");
        assert!(is_blank(&[" ".into(), String::new()]));
    }
}

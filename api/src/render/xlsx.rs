//! Excel workbooks (rust_xlsxwriter): the cell helpers every workbook uses, and a workbook of
//! plain tables for exports whose layout is rows of text and numbers.
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// A bold heading row at row 0.
pub fn header(sheet: &mut Worksheet, names: &[&str]) -> Result<(), XlsxError> {
    header_at(sheet, 0, names)
}

/// A bold heading row at row `r`.
pub fn header_at(sheet: &mut Worksheet, r: u32, names: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, name) in names.iter().enumerate() {
        sheet.write_string_with_format(r, col(c), *name, &bold)?;
    }
    Ok(())
}

/// A column index as Excel takes it (saturating: Excel has 16,384 columns).
pub fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A row index as Excel takes it.
pub fn row(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Self {
        Cell::Number(n)
    }
}

/// A sheet of rows under a bold heading (none when `columns` is empty).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Column widths that differ from Excel's default, by column index.
    pub widths: Vec<(u16, f64)>,
}

impl Table {
    pub fn new(name: &str, columns: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            ..Self::default()
        }
    }

    pub fn push(&mut self, cells: impl IntoIterator<Item = Cell>) {
        self.rows.push(cells.into_iter().collect());
    }
}

/// A workbook with one sheet per table.
pub fn workbook(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for t in tables {
        let sheet = wb.add_worksheet().set_name(&t.name)?;
        let heading: Vec<&str> = t.columns.iter().map(String::as_str).collect();
        let first = if heading.is_empty() {
            0
        } else {
            header(sheet, &heading)?;
            1
        };
        for (i, cells) in t.rows.iter().enumerate() {
            let r = row(i + first);
            for (c, cell) in cells.iter().enumerate() {
                match cell {
                    Cell::Text(s) => sheet.write_string(r, col(c), s).map(|_| ())?,
                    Cell::Number(n) => sheet.write_number(r, col(c), *n).map(|_| ())?,
                    Cell::Empty => {}
                }
            }
        }
        for &(c, width) in &t.widths {
            sheet.set_column_width(c, width)?;
        }
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_as_written() {
        use calamine::{Data, Reader};
        let mut t = Table::new("表", &["名称", "数"]);
        t.push([Cell::from("甲"), Cell::from(2.5)]);
        t.push([Cell::Empty, Cell::from("乙")]);
        let mut facts = Table::new("活动", &[]);
        facts.push([Cell::from("活动"), Cell::from("吐槽日")]);
        let bytes = workbook(&[t, facts]).unwrap();
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("表").unwrap();
        let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(rows[0], vec![Data::String("名称".into()), Data::String("数".into())]);
        assert_eq!(rows[1], vec![Data::String("甲".into()), Data::Float(2.5)]);
        assert_eq!(rows[2], vec![Data::Empty, Data::String("乙".into())]);
        let facts = book.worksheet_range("活动").unwrap();
        assert_eq!(facts.get((0, 1)), Some(&Data::String("吐槽日".into())));
    }
}

//! Documents drawn from data: the 「企业之声」 report as HTML with inline SVG charts, as an Excel
//! workbook and as a group message; exports as workbooks of tables. Pure: the same data gives
//! the same bytes; it uses nothing of the crate but `domain`.
pub mod charts;
pub mod clue_bulletin;
pub mod report_html;
pub mod report_markdown;
pub mod report_xlsx;
pub mod xlsx;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `75.0%`, or a dash when there is nothing to divide.
pub fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// `+3`, `0`, `-2`.
pub fn signed(n: i64) -> String {
    if n > 0 { format!("+{n}") } else { n.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_formats_figures() {
        assert_eq!(
            esc("<b>\"税\"&'x'</b>"),
            "&lt;b&gt;&quot;税&quot;&amp;&#39;x&#39;&lt;/b&gt;"
        );
        assert_eq!(percent(Some(0.75)), "75.0%");
        assert_eq!(percent(None), "—");
        assert_eq!(
            (signed(3), signed(0), signed(-2)),
            ("+3".into(), "0".into(), "-2".into())
        );
    }
}

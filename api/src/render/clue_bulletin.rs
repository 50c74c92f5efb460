//! The periodic bulletin of conduct clues (定期通报) as one HTML page, in the 「企业之声」
//! report's style: the seed's sentence, the headline figures, the outcomes and categories
//! as charts and tables. Figures only: no clue, no person.
use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::domain::clue::{ClueFigures, Count};
use crate::render::charts::{self, BLUE, ORANGE, Series};
use crate::render::esc;
use crate::render::report_html::{STYLE, card};

/// The bulletin's title.
pub fn title(number: i32) -> String {
    format!("企政监联动监督问题线索定期通报（第{number}期）")
}

fn counts_table(out: &mut String, first: &str, rows: &[Count]) {
    let _ = write!(out, "<table><tr><th>{first}</th><th>件数</th></tr>");
    for r in rows {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(&r.label),
            r.count
        );
    }
    out.push_str("</table>");
}

fn chart(name: &str, color: plotters::style::RGBColor, rows: &[Count]) -> anyhow::Result<String> {
    let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    charts::bars(
        name,
        &labels,
        &[Series {
            name: "件数",
            color,
            values: rows.iter().map(|r| r.count).collect(),
        }],
    )
}

pub fn render(number: i32, from: NaiveDate, to: NaiveDate, f: &ClueFigures) -> anyhow::Result<String> {
    let title = title(number);
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title><style>{STYLE}</style></head><body><main><h1>{t}</h1><div class=\"period\">统计周期：{from} 至 {to}</div>",
        t = esc(&title)
    );
    let _ = write!(out, "<p><strong>{}。</strong></p>", esc(&f.sentence()));
    out.push_str("<div class=\"cards\">");
    card(&mut out, "收到线索", &f.received.to_string(), "件");
    card(&mut out, "已办结", &f.closed.to_string(), "件");
    card(&mut out, "正在办理", &f.in_progress.to_string(), "件");
    card(&mut out, "本期办结（含往期）", &f.closed_in_period.to_string(), "件");
    card(&mut out, "党纪政务处分", &f.persons_sanctioned.to_string(), "人");
    out.push_str("</div><h2>处置结果</h2><div class=\"charts\">");
    out.push_str(&chart("处置结果", BLUE, &f.by_outcome)?);
    out.push_str("</div>");
    counts_table(&mut out, "处置结果", &f.by_outcome);
    out.push_str("<h2>问题类型</h2><div class=\"charts\">");
    out.push_str(&chart("问题类型", ORANGE, &f.by_category)?);
    out.push_str("</div>");
    counts_table(&mut out, "问题类型", &f.by_category);
    out.push_str("<footer>本通报仅含统计数字，不含线索内容及反映人信息。</footer></main></body></html>");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bulletin_carries_the_seeds_sentence_and_no_script() {
        let f = ClueFigures::of(&[], chrono::Utc::now(), chrono::Utc::now());
        let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let page = render(3, day, day, &f).unwrap();
        assert!(page.contains("线索 0 件，办结 0 件，正在办理 0 件；处分 0 人"));
        assert!(page.contains("第3期"));
        assert!(!page.contains("<script"));
    }
}

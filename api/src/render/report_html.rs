//! The report as one self-contained HTML page: the headline figures, three charts (inline
//! SVG), the tables by channel, environment and unit with the change against the previous
//! period, the overdue list, hot topics, notable cases, programs and call-backs.
use std::fmt::Write as _;

use crate::domain::report::{Case, ReportData, Row};
use crate::render::charts::{self, BLUE, GREEN, GREY, ORANGE, Series};
use crate::render::{esc, percent, signed};

/// The documents' stylesheet (the clue bulletin uses it too).
pub(crate) const STYLE: &str = r#"
body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2329; margin: 0; background: #f3f5f8; }
main { max-width: 960px; margin: 0 auto; background: #fff; padding: 32px 40px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; color: #0052d9; }
h2 { font-size: 18px; border-left: 4px solid #0052d9; padding-left: 10px; margin: 32px 0 12px; }
.period { color: #646a73; margin-bottom: 20px; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; }
.card { background: #f5f8ff; border-radius: 8px; padding: 12px 14px; }
.card .v { font-size: 24px; font-weight: 600; }
.card .k { color: #646a73; font-size: 13px; }
.card .c { font-size: 12px; color: #646a73; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #e5e6eb; padding: 6px 8px; text-align: left; }
th { background: #f2f3f5; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.up { color: #d54941; } .down { color: #2ba471; }
.charts svg { display: block; margin: 8px auto; max-width: 100%; height: auto; }
.topics span { display: inline-block; background: #f0f5ff; color: #0052d9; border-radius: 12px; padding: 3px 10px; margin: 3px; }
.empty { color: #8f959e; }
footer { margin-top: 36px; color: #8f959e; font-size: 12px; }
"#;

fn change_cell(n: i64) -> String {
    let class = match n {
        n if n > 0 => "up",
        n if n < 0 => "down",
        _ => "",
    };
    format!("<td class=\"n {class}\">{}</td>", signed(n))
}

fn rows_table(out: &mut String, first: &str, rows: &[Row], change_label: &str) {
    if rows.is_empty() {
        out.push_str("<p class=\"empty\">本期无数据</p>");
        return;
    }
    let _ = write!(
        out,
        "<table><tr><th>{first}</th><th>本期收到</th><th>上期收到</th><th>{change_label}</th><th>已受理</th><th>已答复</th><th>已办结</th><th>办结率</th><th>满意率</th><th>按时答复率</th></tr>"
    );
    for r in rows {
        let c = &r.current;
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{}<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&r.label),
            c.received,
            r.previous.received,
            change_cell(r.change),
            c.accepted,
            c.replied,
            c.closed,
            percent(c.completion_rate),
            percent(c.satisfaction_rate),
            percent(c.on_time_rate),
        );
    }
    out.push_str("</table>");
}

fn cases_table(out: &mut String, cases: &[Case], overdue: bool) {
    if cases.is_empty() {
        out.push_str("<p class=\"empty\">无</p>");
        return;
    }
    out.push_str("<table><tr><th>编号</th><th>标题</th><th>承办单位</th><th>状态</th><th>已历时（天）</th>");
    if overdue {
        out.push_str("<th>超期环节</th><th>时限</th>");
    }
    out.push_str("</tr>");
    for c in cases {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>",
            esc(&c.number),
            esc(&c.title),
            esc(c.unit.as_deref().unwrap_or("未派单")),
            esc(&c.status),
            c.days_open
        );
        if overdue {
            let _ = write!(
                out,
                "<td>{}</td><td>{}</td>",
                esc(c.missed.as_deref().unwrap_or("")),
                esc(c.due_at.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

/// One headline figure.
pub(crate) fn card(out: &mut String, key: &str, value: &str, note: &str) {
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"k\">{key}</div><div class=\"v\">{}</div><div class=\"c\">{}</div></div>",
        esc(value),
        esc(note)
    );
}

/// The whole page.
pub fn render(d: &ReportData) -> anyhow::Result<String> {
    let trend_labels: Vec<String> = d.trend.iter().map(|p| p.label.clone()).collect();
    let unit_word = match d.kind {
        crate::domain::report::ReportKind::Weekly => "按周",
        crate::domain::report::ReportKind::Monthly => "按月",
    };
    let by_period = charts::bars(
        &format!("{unit_word}诉求量"),
        &trend_labels,
        &[Series {
            name: "收到诉求",
            color: BLUE,
            values: d.trend.iter().map(|p| p.received).collect(),
        }],
    )?;
    let env_labels: Vec<String> = d.by_environment.iter().map(|r| r.label.clone()).collect();
    let by_env = charts::bars(
        "按营商环境分类",
        &env_labels,
        &[
            Series {
                name: "本期",
                color: BLUE,
                values: d.by_environment.iter().map(|r| r.current.received).collect(),
            },
            Series {
                name: "上期",
                color: GREY,
                values: d.by_environment.iter().map(|r| r.previous.received).collect(),
            },
        ],
    )?;
    let rates = charts::rate_lines(
        "办结率与满意率走势",
        &trend_labels,
        &[
            Series {
                name: "办结率",
                color: GREEN,
                values: d.trend.iter().map(|p| p.completion_rate).collect(),
            },
            Series {
                name: "满意率",
                color: ORANGE,
                values: d.trend.iter().map(|p| p.satisfaction_rate).collect(),
            },
        ],
    )?;

    let t = &d.total;
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><style>{STYLE}</style></head><body><main>",
        title = esc(&d.title)
    );
    let _ = write!(
        out,
        "<h1>{}</h1><div class=\"period\">统计周期：{}（{} 至 {}）；对比上期：{} 至 {}</div>",
        esc(&d.title),
        esc(&d.period_label),
        d.period_from,
        d.period_to,
        d.previous_from,
        d.previous_to
    );
    out.push_str("<div class=\"cards\">");
    let change = format!("{} {}", crate::domain::report::change_label(d.kind), signed(t.change));
    card(&mut out, "收到诉求", &t.current.received.to_string(), &change);
    card(
        &mut out,
        "办结率",
        &percent(t.current.completion_rate),
        &format!("上期 {}", percent(t.previous.completion_rate)),
    );
    card(
        &mut out,
        "满意率",
        &percent(t.current.satisfaction_rate),
        &format!("评价 {} 件", t.current.rated),
    );
    card(
        &mut out,
        "按时答复率",
        &percent(t.current.on_time_rate),
        &format!("答复 {} 件", t.current.replied),
    );
    card(&mut out, "期末超期", &d.overdue.len().to_string(), "件");
    out.push_str("</div>");

    let _ = write!(
        out,
        "<h2>图表</h2><div class=\"charts\">{by_period}{by_env}{rates}</div>"
    );
    out.push_str("<h2>按渠道</h2>");
    rows_table(
        &mut out,
        "渠道",
        &d.by_channel,
        crate::domain::report::change_label(d.kind),
    );
    out.push_str("<h2>按营商环境</h2>");
    rows_table(
        &mut out,
        "营商环境",
        &d.by_environment,
        crate::domain::report::change_label(d.kind),
    );
    out.push_str("<h2>按承办单位</h2>");
    rows_table(
        &mut out,
        "承办单位",
        &d.by_unit,
        crate::domain::report::change_label(d.kind),
    );

    out.push_str("<h2>超期清单</h2>");
    cases_table(&mut out, &d.overdue, true);

    out.push_str("<h2>热点话题</h2><div class=\"topics\">");
    if d.hot_topics.is_empty() {
        out.push_str("<span class=\"empty\">本期无</span>");
    }
    for w in &d.hot_topics {
        let _ = write!(out, "<span>{}（{}）</span>", esc(&w.word), w.count);
    }
    out.push_str("</div>");

    out.push_str("<h2>典型案例</h2><h3>同感最多的吐槽</h3>");
    if d.notable.most_metoo.is_empty() {
        out.push_str("<p class=\"empty\">无</p>");
    } else {
        out.push_str("<table><tr><th>内容</th><th>营商环境</th><th>同感</th></tr>");
        for v in &d.notable.most_metoo {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&v.content),
                esc(&v.environment),
                v.metoo
            );
        }
        out.push_str("</table>");
    }
    out.push_str("<h3>办理时间最长的诉求</h3>");
    cases_table(&mut out, &d.notable.longest_open, false);
    out.push_str("<h3>评价不满意的诉求</h3>");
    cases_table(&mut out, &d.notable.unsatisfied, false);

    let p = &d.programs;
    let c = &d.callbacks;
    let _ = write!(
        out,
        "<h2>活动与回访</h2><table><tr><th>开展中的活动</th><th>提交的问卷与评价</th><th>吐槽</th><th>同感</th></tr><tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr></table>",
        p.events, p.submissions, p.complaints, p.metoos
    );
    let _ = write!(
        out,
        "<p></p><table><tr><th>新设企业</th><th>按时回访</th><th>回访覆盖率</th><th>已接通</th><th>拒访</th><th>无法接通</th><th>待回访</th><th>发现问题</th><th>政策知晓率</th></tr><tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr></table>",
        c.new,
        c.called_back_in_time,
        percent(c.coverage),
        c.reached,
        c.refused,
        c.unreachable,
        c.open,
        c.problems_found,
        percent(c.awareness)
    );
    out.push_str(
        "<footer>口径：收到＝本期提交的诉求；受理、答复、办结、评价均按统计期末的状态计；办结率＝办结 ÷（收到 − 合并）；满意率＝满意 ÷ 已评价（不合理诉求不计）；按时答复率＝按时答复 ÷ 已答复。</footer></main></body></html>",
    );
    Ok(out)
}

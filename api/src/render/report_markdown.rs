//! The report's summary as a group message: the figures that matter, and where to read on.
use crate::domain::report::ReportData;
use crate::render::{percent, signed};

/// The report's summary as a group message (WeCom markdown).
pub fn render(d: &ReportData) -> String {
    let t = &d.total;
    let words: Vec<&str> = d.hot_topics.iter().take(5).map(|w| w.word.as_str()).collect();
    format!(
        "**{}**（{}）\n> 收到诉求：<font color=\"info\">{}</font> 件（{} {}）\n> 办结率：{}　满意率：{}　按时答复率：{}\n> 期末超期：<font color=\"warning\">{}</font> 件\n> 热点：{}\n> 新企业回访覆盖率：{}\n完整报告请在亲清管理端「企业之声」中查看或下载。",
        d.title,
        d.period_label,
        t.current.received,
        crate::domain::report::change_label(d.kind),
        signed(t.change),
        percent(t.current.completion_rate),
        percent(t.current.satisfaction_rate),
        percent(t.current.on_time_rate),
        d.overdue.len(),
        if words.is_empty() {
            "—".to_owned()
        } else {
            words.join("、")
        },
        percent(d.callbacks.coverage),
    )
}

//! The report as an Excel workbook: one sheet per part, figures as numbers (rates as
//! percentages) so they can be worked with.
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::domain::report::{Case, ReportData, Row};
use crate::render::xlsx::{col, header, header_at, row};

fn rate_cell(sheet: &mut Worksheet, r: u32, c: u16, v: Option<f64>, pct: &Format) -> Result<(), XlsxError> {
    match v {
        Some(v) => sheet.write_number_with_format(r, c, v, pct).map(|_| ()),
        None => sheet.write_string(r, c, "—").map(|_| ()),
    }
}

#[allow(clippy::cast_precision_loss)]
fn num(n: u64) -> f64 {
    n as f64
}

fn rows_sheet(wb: &mut Workbook, name: &str, first: &str, rows: &[Row], change: &str) -> Result<(), XlsxError> {
    let pct = Format::new().set_num_format("0.0%");
    let sheet = wb.add_worksheet().set_name(name)?;
    header(
        sheet,
        &[
            first,
            "本期收到",
            "上期收到",
            change,
            "环比变化率",
            "已受理",
            "已答复",
            "按时答复",
            "已办结",
            "已评价",
            "满意",
            "办结率",
            "满意率",
            "按时答复率",
        ],
    )?;
    for (i, x) in rows.iter().enumerate() {
        let r = row(i + 1);
        let c = &x.current;
        sheet.write_string(r, 0, &x.label)?;
        for (k, v) in [c.received, x.previous.received].into_iter().enumerate() {
            sheet.write_number(r, col(1 + k), num(v))?;
        }
        #[allow(clippy::cast_precision_loss)]
        sheet.write_number(r, 3, x.change as f64)?;
        rate_cell(sheet, r, 4, x.change_rate, &pct)?;
        for (k, v) in [c.accepted, c.replied, c.replied_in_time, c.closed, c.rated, c.satisfied]
            .into_iter()
            .enumerate()
        {
            sheet.write_number(r, col(5 + k), num(v))?;
        }
        rate_cell(sheet, r, 11, c.completion_rate, &pct)?;
        rate_cell(sheet, r, 12, c.satisfaction_rate, &pct)?;
        rate_cell(sheet, r, 13, c.on_time_rate, &pct)?;
    }
    sheet.set_column_width(0, 18)?;
    Ok(())
}

fn cases_sheet(wb: &mut Workbook, name: &str, cases: &[Case]) -> Result<(), XlsxError> {
    let sheet = wb.add_worksheet().set_name(name)?;
    header(
        sheet,
        &["编号", "标题", "承办单位", "状态", "已历时（天）", "超期环节", "时限"],
    )?;
    for (i, c) in cases.iter().enumerate() {
        let r = row(i + 1);
        sheet.write_string(r, 0, &c.number)?;
        sheet.write_string(r, 1, &c.title)?;
        sheet.write_string(r, 2, c.unit.as_deref().unwrap_or("未派单"))?;
        sheet.write_string(r, 3, &c.status)?;
        #[allow(clippy::cast_precision_loss)]
        sheet.write_number(r, 4, c.days_open as f64)?;
        sheet.write_string(r, 5, c.missed.as_deref().unwrap_or(""))?;
        sheet.write_string(r, 6, c.due_at.as_deref().unwrap_or(""))?;
    }
    sheet.set_column_width(1, 40)?;
    Ok(())
}

fn build(d: &ReportData) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let pct = Format::new().set_num_format("0.0%");
    let bold = Format::new().set_bold();
    {
        let sheet = wb.add_worksheet().set_name("概览")?;
        sheet.write_string_with_format(0, 0, &d.title, &bold)?;
        sheet.write_string(1, 0, format!("统计周期：{} 至 {}", d.period_from, d.period_to))?;
        sheet.write_string(2, 0, format!("对比上期：{} 至 {}", d.previous_from, d.previous_to))?;
        let t = &d.total;
        let counts = [
            ("收到诉求", t.current.received, t.previous.received),
            ("已受理", t.current.accepted, t.previous.accepted),
            ("已答复", t.current.replied, t.previous.replied),
            ("已办结", t.current.closed, t.previous.closed),
            ("已评价", t.current.rated, t.previous.rated),
            ("满意", t.current.satisfied, t.previous.satisfied),
        ];
        header_at(sheet, 4, &["指标", "本期", "上期"])?;
        let mut r = 5u32;
        for (name, now, before) in counts {
            sheet.write_string(r, 0, name)?;
            sheet.write_number(r, 1, num(now))?;
            sheet.write_number(r, 2, num(before))?;
            r += 1;
        }
        for (name, now, before) in [
            ("办结率", t.current.completion_rate, t.previous.completion_rate),
            ("满意率", t.current.satisfaction_rate, t.previous.satisfaction_rate),
            ("按时答复率", t.current.on_time_rate, t.previous.on_time_rate),
        ] {
            sheet.write_string(r, 0, name)?;
            rate_cell(sheet, r, 1, now, &pct)?;
            rate_cell(sheet, r, 2, before, &pct)?;
            r += 1;
        }
        sheet.write_string(r, 0, "期末超期")?;
        sheet.write_number(r, 1, num(d.overdue.len() as u64))?;
        let c = &d.callbacks;
        r += 2;
        header_at(sheet, r, &["新企业回访", "数值"])?;
        r += 1;
        for (name, v) in [
            ("新设企业", c.new),
            ("按时回访", c.called_back_in_time),
            ("已接通", c.reached),
            ("拒访", c.refused),
            ("无法接通", c.unreachable),
            ("待回访", c.open),
            ("发现问题", c.problems_found),
            ("转为诉求", c.demands_created),
        ] {
            sheet.write_string(r, 0, name)?;
            sheet.write_number(r, 1, num(v))?;
            r += 1;
        }
        for (name, v) in [("回访覆盖率", c.coverage), ("政策知晓率", c.awareness)] {
            sheet.write_string(r, 0, name)?;
            rate_cell(sheet, r, 1, v, &pct)?;
            r += 1;
        }
        r += 1;
        header_at(sheet, r, &["活动", "数值"])?;
        r += 1;
        let p = &d.programs;
        for (name, v) in [
            ("开展中的活动", p.events),
            ("提交的问卷与评价", p.submissions),
            ("吐槽", p.complaints),
            ("同感", p.metoos),
        ] {
            sheet.write_string(r, 0, name)?;
            sheet.write_number(r, 1, num(v))?;
            r += 1;
        }
        sheet.set_column_width(0, 22)?;
    }
    let change = crate::domain::report::change_label(d.kind);
    rows_sheet(&mut wb, "按渠道", "渠道", &d.by_channel, change)?;
    rows_sheet(&mut wb, "按营商环境", "营商环境", &d.by_environment, change)?;
    rows_sheet(&mut wb, "按承办单位", "承办单位", &d.by_unit, change)?;
    cases_sheet(&mut wb, "超期清单", &d.overdue)?;
    {
        let sheet = wb.add_worksheet().set_name("热点话题")?;
        header(sheet, &["词", "次数"])?;
        for (i, w) in d.hot_topics.iter().enumerate() {
            sheet.write_string(row(i + 1), 0, &w.word)?;
            sheet.write_number(row(i + 1), 1, num(w.count))?;
        }
    }
    {
        let sheet = wb.add_worksheet().set_name("同感最多")?;
        header(sheet, &["内容", "营商环境", "同感"])?;
        for (i, v) in d.notable.most_metoo.iter().enumerate() {
            sheet.write_string(row(i + 1), 0, &v.content)?;
            sheet.write_string(row(i + 1), 1, &v.environment)?;
            sheet.write_number(row(i + 1), 2, num(v.metoo))?;
        }
    }
    cases_sheet(&mut wb, "办理最久", &d.notable.longest_open)?;
    cases_sheet(&mut wb, "不满意", &d.notable.unsatisfied)?;
    {
        let sheet = wb.add_worksheet().set_name("走势")?;
        header(sheet, &["周期", "开始", "结束", "收到诉求", "办结率", "满意率"])?;
        for (i, p) in d.trend.iter().enumerate() {
            let r = row(i + 1);
            sheet.write_string(r, 0, &p.label)?;
            sheet.write_string(r, 1, p.from.to_string())?;
            sheet.write_string(r, 2, p.to.to_string())?;
            sheet.write_number(r, 3, num(p.received))?;
            rate_cell(sheet, r, 4, p.completion_rate, &pct)?;
            rate_cell(sheet, r, 5, p.satisfaction_rate, &pct)?;
        }
    }
    wb.save_to_buffer()
}

pub fn render(d: &ReportData) -> anyhow::Result<Vec<u8>> {
    build(d).map_err(|e| anyhow::anyhow!("excel: {e}"))
}

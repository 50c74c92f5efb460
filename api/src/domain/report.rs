//! 「企业之声」 reports (docs/design.md section 7): the periods they cover and the figures, computed
//! from the demands as they stood at the end of the period (a move made later is not counted),
//! so that a report regenerated for a past period gives the same numbers. Pure: the service
//! loads the facts, the renderers draw the data. One file past 500 lines on purpose: a period,
//! the facts replayed to its end and the composed figures are one rule read together, and a
//! third of it is the plain data the renderers draw.
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::callback::Figures as CallbackFigures;
use crate::domain::demand::{Action, Channel, Environment, Status, StatusRules};
use crate::domain::figures::rate;
use crate::domain::time::shanghai;

pub use entity::codes::ReportKind;

/// What the change against the previous period is called.
pub fn change_label(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Weekly => "周环比",
        ReportKind::Monthly => "月环比",
    }
}

/// A report's period: a week from Monday to Sunday, or a calendar month (Asia/Shanghai days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: ReportKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Midnight at the start of a day in Asia/Shanghai.
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::MIN);
    shanghai()
        .from_local_datetime(&local)
        .single()
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

impl Period {
    /// The period a day falls in.
    pub fn containing(kind: ReportKind, day: NaiveDate) -> Period {
        match kind {
            ReportKind::Weekly => {
                let from = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                Period {
                    kind,
                    from,
                    to: from + Duration::days(6),
                }
            }
            ReportKind::Monthly => {
                let from = day.with_day(1).unwrap_or(day);
                let to = from
                    .checked_add_months(Months::new(1))
                    .map_or(from, |next| next - Duration::days(1));
                Period { kind, from, to }
            }
        }
    }

    /// The period starting on `from`, when a period of that kind starts there.
    pub fn starting(kind: ReportKind, from: NaiveDate) -> Option<Period> {
        let p = Period::containing(kind, from);
        (p.from == from).then_some(p)
    }

    /// The last period that has ended by `today`.
    pub fn last_complete(kind: ReportKind, today: NaiveDate) -> Period {
        Period::containing(kind, today).previous()
    }

    pub fn previous(self) -> Period {
        Period::containing(self.kind, self.from - Duration::days(1))
    }

    pub fn start(self) -> DateTime<Utc> {
        start_of_day(self.from)
    }

    /// The first instant after the period.
    pub fn end(self) -> DateTime<Utc> {
        start_of_day(self.to + Duration::days(1))
    }

    pub fn contains(self, t: DateTime<Utc>) -> bool {
        self.start() <= t && t < self.end()
    }

    /// `11月16日—11月22日` or `2026年11月`.
    pub fn label(self) -> String {
        match self.kind {
            ReportKind::Weekly => format!(
                "{}月{}日—{}月{}日",
                self.from.month(),
                self.from.day(),
                self.to.month(),
                self.to.day()
            ),
            ReportKind::Monthly => format!("{}年{}月", self.from.year(), self.from.month()),
        }
    }

    /// This period and the `n - 1` before it, oldest first.
    pub fn trailing(self, n: usize) -> Vec<Period> {
        let mut out = vec![self];
        while out.len() < n {
            let before = out[out.len() - 1].previous();
            out.push(before);
        }
        out.reverse();
        out
    }
}

/// The columns of a demand the figures read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandFact {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub channel: Channel,
    pub environment: Environment,
    pub unit_id: Option<i64>,
    pub status: Status,
    pub created_at: DateTime<Utc>,
    pub accept_due_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub sign_due_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
    pub reply_due_at: Option<DateTime<Utc>>,
    pub replied_at: Option<DateTime<Utc>>,
    pub reply_late: Option<bool>,
    pub closed_at: Option<DateTime<Utc>>,
    pub rated_at: Option<DateTime<Utc>>,
    pub rating_satisfied: Option<bool>,
    pub unreasonable: bool,
}

/// One event of a demand's timeline, as the replay reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFact {
    pub action: Action,
    pub to_status: Status,
    pub at: DateTime<Utc>,
    pub data: Option<serde_json::Value>,
}

impl DemandFact {
    /// The demand as it stood at `end`, replayed from its timeline: what later moves changed
    /// (a reply reopened, a rating given again, a unit returned) is as it was then. `events` are
    /// the demand's events before `end`, oldest first; the fields no event carries (its number,
    /// text, channel, creation) are the stored ones. A deadline an event of before this replay
    /// existed does not carry is kept as stored.
    pub fn as_of(&self, events: &[EventFact]) -> DemandFact {
        let time = |d: &Option<serde_json::Value>, key: &str| {
            d.as_ref()?
                .get(key)?
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        let mut f = DemandFact {
            status: Status::Submitted,
            unit_id: None,
            accepted_at: None,
            sign_due_at: None,
            signed_at: None,
            reply_due_at: None,
            replied_at: None,
            reply_late: None,
            closed_at: None,
            rated_at: None,
            rating_satisfied: None,
            unreasonable: false,
            ..self.clone()
        };
        for e in events {
            match e.action {
                Action::Accept => f.accepted_at = Some(e.at),
                Action::Reject | Action::AutoClose | Action::Merge => f.closed_at = Some(e.at),
                Action::Assign => {
                    f.unit_id = e.data.as_ref().and_then(|d| d.get("unitId")?.as_str()?.parse().ok());
                    f.sign_due_at = time(&e.data, "signDueAt").or(self.sign_due_at);
                    f.reply_due_at = time(&e.data, "replyDueAt").or(self.reply_due_at);
                    f.signed_at = None;
                    f.replied_at = None;
                    f.reply_late = None;
                }
                Action::Sign => f.signed_at = Some(e.at),
                Action::Return => {
                    f.unit_id = None;
                    f.sign_due_at = None;
                    f.reply_due_at = None;
                    f.signed_at = None;
                }
                Action::Reply => {
                    f.replied_at = Some(e.at);
                    f.reply_late = Some(f.reply_due_at.is_some_and(|due| e.at > due));
                }
                Action::Rate => {
                    let satisfied = e.data.as_ref().and_then(|d| d.get("satisfied")?.as_bool());
                    f.rated_at = Some(e.at);
                    f.rating_satisfied = satisfied;
                    if satisfied == Some(true) {
                        f.closed_at = Some(e.at);
                    }
                }
                Action::ApproveExtension => {
                    f.reply_due_at = time(&e.data, "replyDueAt").or(f.reply_due_at);
                }
                Action::FlagUnreasonable => f.unreasonable = true,
                Action::Submit | Action::Extend | Action::Supervise | Action::Comment => {}
            }
            f.status = e.to_status;
        }
        f
    }
}

fn by(t: Option<DateTime<Utc>>, end: DateTime<Utc>) -> bool {
    t.is_some_and(|t| t < end)
}

impl DemandFact {
    /// Ended (closed, rejected or merged) before `end`.
    fn ended_by(&self, end: DateTime<Utc>) -> bool {
        by(self.closed_at, end) && self.status.is_final()
    }

    /// Still being handled at `end`.
    pub fn open_at(&self, end: DateTime<Utc>) -> bool {
        self.created_at < end && !self.ended_by(end)
    }

    /// Which deadline it had missed at `end`, if any: acceptance, signing or the reply.
    pub fn overdue_at(&self, end: DateTime<Utc>) -> Option<(&'static str, DateTime<Utc>)> {
        if !self.open_at(end) {
            return None;
        }
        let missed =
            |due: Option<DateTime<Utc>>, done: Option<DateTime<Utc>>| due.filter(|d| *d < end && !by(done, end));
        if let Some(d) = missed(self.accept_due_at, self.accepted_at) {
            return Some(("受理", d));
        }
        if by(self.accepted_at, end) {
            if let Some(d) = missed(self.sign_due_at, self.signed_at) {
                return Some(("签收", d));
            }
            if let Some(d) = missed(self.reply_due_at, self.replied_at) {
                return Some(("答复", d));
            }
        }
        None
    }

    fn rated_by(&self, end: DateTime<Utc>) -> bool {
        by(self.rated_at, end) && self.rating_satisfied.is_some() && !self.unreasonable
    }
}

/// The figures of the demands received in a period, as they stood at its end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Slice {
    pub received: u64,
    pub accepted: u64,
    pub replied: u64,
    pub replied_in_time: u64,
    pub closed: u64,
    pub merged: u64,
    pub rated: u64,
    pub satisfied: u64,
    /// Closed ÷ (received − merged).
    pub completion_rate: Option<f64>,
    /// Satisfied ÷ rated (unreasonable ones left out).
    pub satisfaction_rate: Option<f64>,
    /// Replied by the deadline ÷ replied.
    pub on_time_rate: Option<f64>,
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Slice {
    pub fn of<'a>(facts: impl IntoIterator<Item = &'a DemandFact>, end: DateTime<Utc>) -> Slice {
        let facts: Vec<&DemandFact> = facts.into_iter().collect();
        let n = |f: &dyn Fn(&DemandFact) -> bool| count(facts.iter().filter(|d| f(d)).count());
        let mut s = Slice {
            received: count(facts.len()),
            accepted: n(&|d| by(d.accepted_at, end)),
            replied: n(&|d| by(d.replied_at, end)),
            replied_in_time: n(&|d| by(d.replied_at, end) && d.reply_late == Some(false)),
            closed: n(&|d| d.ended_by(end) && d.status == Status::Closed),
            merged: n(&|d| d.ended_by(end) && d.status == Status::Merged),
            rated: n(&|d| d.rated_by(end)),
            satisfied: n(&|d| d.rated_by(end) && d.rating_satisfied == Some(true)),
            ..Slice::default()
        };
        s.completion_rate = rate(signed(s.closed), signed(s.received) - signed(s.merged));
        s.satisfaction_rate = rate(signed(s.satisfied), signed(s.rated));
        s.on_time_rate = rate(signed(s.replied_in_time), signed(s.replied));
        s
    }
}

/// A slice of this period beside the same slice of the period before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub key: String,
    pub label: String,
    pub current: Slice,
    pub previous: Slice,
    /// Received now − received before.
    pub change: i64,
    /// `change` ÷ received before; None when nothing came before.
    pub change_rate: Option<f64>,
}

impl Row {
    fn new(key: String, label: String, current: Slice, previous: Slice) -> Row {
        let change = signed(current.received) - signed(previous.received);
        Row {
            change_rate: rate(change, signed(previous.received)),
            key,
            label,
            current,
            previous,
            change,
        }
    }
}

/// A demand named in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    pub id: String,
    pub number: String,
    pub title: String,
    pub unit: Option<String>,
    pub status: String,
    /// Whole days from filing to the end of the period.
    pub days_open: i64,
    /// For overdue cases: which deadline (受理, 签收, 答复) and when it was.
    pub missed: Option<String>,
    pub due_at: Option<String>,
}

/// A complaint-day post and its 同感 by the end of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Voice {
    pub id: String,
    pub content: String,
    pub environment: String,
    pub metoo: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Notable {
    /// Complaint-day posts of the period with the most 同感.
    pub most_metoo: Vec<Voice>,
    /// The demands open longest at the end of the period.
    pub longest_open: Vec<Case>,
    /// Rated unsatisfied in the period.
    pub unsatisfied: Vec<Case>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ReportTopic)]
pub struct Topic {
    pub word: String,
    pub count: u64,
}

/// The engagement programs in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Programs {
    /// Events open at some time in the period.
    pub events: u64,
    /// Checklists and scorecards submitted.
    pub submissions: u64,
    /// Complaint-day posts.
    pub complaints: u64,
    /// 同感 given.
    pub metoos: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrendPoint {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub label: String,
    pub received: u64,
    pub completion_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
}

/// Everything a report says. Stored as written; the HTML and the Excel are drawn from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportData {
    pub kind: ReportKind,
    pub number: i32,
    /// 「企业之声」周报 第N期
    pub title: String,
    pub period_label: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub previous_from: NaiveDate,
    pub previous_to: NaiveDate,
    pub total: Row,
    pub by_channel: Vec<Row>,
    pub by_environment: Vec<Row>,
    pub by_unit: Vec<Row>,
    /// Demands past a deadline at the end of the period, longest overdue first.
    pub overdue: Vec<Case>,
    pub hot_topics: Vec<Topic>,
    pub notable: Notable,
    pub programs: Programs,
    pub callbacks: CallbackFigures,
    /// This period and the ones before it, oldest first.
    pub trend: Vec<TrendPoint>,
}

pub fn title(kind: ReportKind, number: i32) -> String {
    format!("「企业之声」{} 第{number}期", kind.label())
}

/// How many periods the trend chart shows.
pub const TREND_PERIODS: usize = 8;
pub const CASES: usize = 5;
pub const TOPICS: usize = 10;

/// What the service has loaded for a period.
pub struct Inputs<'a> {
    pub period: Period,
    pub number: i32,
    /// Every demand filed from the start of the trend to the end of the period, and every one
    /// still open at the end (for the overdue and longest-open lists).
    pub demands: &'a [DemandFact],
    /// Unit names by id.
    pub units: &'a HashMap<i64, String>,
    /// The most frequent words of the period's demands.
    pub hot_topics: Vec<(String, usize)>,
    pub voices: Vec<Voice>,
    pub programs: Programs,
    pub callbacks: CallbackFigures,
}

fn grouped<'a>(
    current: &[&'a DemandFact],
    previous: &[&'a DemandFact],
    key: impl Fn(&DemandFact) -> String,
    label: impl Fn(&str) -> String,
    (end, previous_end): (DateTime<Utc>, DateTime<Utc>),
) -> Vec<Row> {
    let mut groups: BTreeMap<String, (Vec<&DemandFact>, Vec<&DemandFact>)> = BTreeMap::new();
    for d in current {
        groups.entry(key(d)).or_default().0.push(d);
    }
    for d in previous {
        groups.entry(key(d)).or_default().1.push(d);
    }
    let mut rows: Vec<Row> = groups
        .into_iter()
        .map(|(k, (c, p))| {
            let l = label(&k);
            Row::new(k, l, Slice::of(c, end), Slice::of(p, previous_end))
        })
        .collect();
    // Most received first; ties by the key, so the order never varies.
    rows.sort_by_key(|r| (Reverse(r.current.received), Reverse(r.previous.received), r.key.clone()));
    rows
}

fn case(d: &DemandFact, units: &HashMap<i64, String>, end: DateTime<Utc>) -> Case {
    Case {
        id: d.id.to_string(),
        number: d.number.clone(),
        title: d.title.clone(),
        unit: d.unit_id.and_then(|u| units.get(&u).cloned()),
        status: d.status.label().to_owned(),
        days_open: (end - d.created_at).num_days(),
        missed: None,
        due_at: None,
    }
}

/// Puts a report together.
pub fn compose(input: Inputs<'_>) -> ReportData {
    let period = input.period;
    let before = period.previous();
    let (end, previous_end) = (period.end(), before.end());
    let current: Vec<&DemandFact> = input.demands.iter().filter(|d| period.contains(d.created_at)).collect();
    let previous: Vec<&DemandFact> = input.demands.iter().filter(|d| before.contains(d.created_at)).collect();
    let no_unit = || "未派单".to_owned();
    let ends = (end, previous_end);
    let by_channel = grouped(
        &current,
        &previous,
        |d| d.channel.code().to_owned(),
        |k| Channel::parse(k).map_or_else(|| k.to_owned(), |c| c.label().to_owned()),
        ends,
    );
    let by_environment = grouped(
        &current,
        &previous,
        |d| d.environment.code().to_owned(),
        |k| Environment::parse(k).map_or_else(|| k.to_owned(), |e| e.label().to_owned()),
        ends,
    );
    let by_unit = grouped(
        &current,
        &previous,
        |d| d.unit_id.map_or_else(String::new, |u| u.to_string()),
        |k| {
            k.parse::<i64>()
                .ok()
                .and_then(|u| input.units.get(&u).cloned())
                .unwrap_or_else(no_unit)
        },
        ends,
    );
    let total = Row::new(
        "total".to_owned(),
        "合计".to_owned(),
        Slice::of(current.iter().copied(), end),
        Slice::of(previous.iter().copied(), previous_end),
    );

    let mut overdue: Vec<(DateTime<Utc>, Case)> = input
        .demands
        .iter()
        .filter_map(|d| {
            let (missed, due) = d.overdue_at(end)?;
            let mut c = case(d, input.units, end);
            c.missed = Some(missed.to_owned());
            c.due_at = Some(
                crate::domain::time::local_time(due)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            );
            Some((due, c))
        })
        .collect();
    overdue.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.number.cmp(&b.1.number)));

    let mut open: Vec<&DemandFact> = input.demands.iter().filter(|d| d.open_at(end)).collect();
    open.sort_by_key(|d| (d.created_at, d.id));
    let mut unsatisfied: Vec<&DemandFact> = input
        .demands
        .iter()
        .filter(|d| {
            d.rated_at.is_some_and(|t| period.contains(t)) && d.rating_satisfied == Some(false) && !d.unreasonable
        })
        .collect();
    unsatisfied.sort_by_key(|d| (d.rated_at, d.id));

    let trend = period
        .trailing(TREND_PERIODS)
        .into_iter()
        .map(|p| {
            let s = Slice::of(input.demands.iter().filter(|d| p.contains(d.created_at)), p.end());
            TrendPoint {
                from: p.from,
                to: p.to,
                label: match p.kind {
                    ReportKind::Weekly => format!("{}/{}", p.from.month(), p.from.day()),
                    ReportKind::Monthly => format!("{}月", p.from.month()),
                },
                received: s.received,
                completion_rate: s.completion_rate,
                satisfaction_rate: s.satisfaction_rate,
            }
        })
        .collect();

    ReportData {
        kind: period.kind,
        number: input.number,
        title: title(period.kind, input.number),
        period_label: period.label(),
        period_from: period.from,
        period_to: period.to,
        previous_from: before.from,
        previous_to: before.to,
        total,
        by_channel,
        by_environment,
        by_unit,
        overdue: overdue.into_iter().map(|(_, c)| c).collect(),
        hot_topics: input
            .hot_topics
            .into_iter()
            .map(|(word, n)| Topic { word, count: count(n) })
            .collect(),
        notable: Notable {
            most_metoo: input.voices,
            longest_open: open
                .into_iter()
                .take(CASES)
                .map(|d| case(d, input.units, end))
                .collect(),
            unsatisfied: unsatisfied
                .into_iter()
                .take(CASES)
                .map(|d| case(d, input.units, end))
                .collect(),
        },
        programs: input.programs,
        callbacks: input.callbacks,
        trend,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_months_by_the_calendar() {
        // 2026-11-30 is a Monday.
        let w = Period::last_complete(ReportKind::Weekly, d("2026-11-30"));
        assert_eq!((w.from, w.to), (d("2026-11-23"), d("2026-11-29")));
        assert_eq!(w.previous().from, d("2026-11-16"));
        assert_eq!(Period::starting(ReportKind::Weekly, d("2026-11-24")), None);
        let m = Period::last_complete(ReportKind::Monthly, d("2026-03-01"));
        assert_eq!((m.from, m.to), (d("2026-02-01"), d("2026-02-28")));
        assert_eq!(m.previous().to, d("2026-01-31"));
        assert_eq!(m.label(), "2026年2月");
        assert_eq!(w.label(), "11月23日—11月29日");
        // Midnight in Shanghai is 16:00 UTC the day before.
        assert_eq!(w.start().to_rfc3339(), "2026-11-22T16:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2026-11-29T16:00:00+00:00");
        let t = w.trailing(3);
        assert_eq!(
            t.iter().map(|p| p.from).collect::<Vec<_>>(),
            [d("2026-11-09"), d("2026-11-16"), d("2026-11-23")]
        );
    }

    #[test]
    fn a_demand_is_replayed_as_it_stood_at_the_end() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 2, 2, 0, 0).unwrap();
        let h = Duration::hours;
        let ev = |action: &str, to: &str, at: DateTime<Utc>, data: Option<serde_json::Value>| EventFact {
            action: Action::parse(action).unwrap(),
            to_status: Status::parse(to).unwrap(),
            at,
            data,
        };
        let due = (t0 + h(48)).to_rfc3339();
        // Replied late, rated unsatisfied, sent back to the unit, replied again in time.
        let timeline = vec![
            ev("submit", "submitted", t0, None),
            ev("accept", "accepted", t0 + h(1), None),
            ev(
                "assign",
                "assigned",
                t0 + h(2),
                Some(serde_json::json!({"unitId": "7", "replyDueAt": due})),
            ),
            ev("sign", "in_progress", t0 + h(3), None),
            ev("reply", "replied", t0 + h(50), None),
            ev(
                "rate",
                "reopened",
                t0 + h(51),
                Some(serde_json::json!({"satisfied": false})),
            ),
            ev(
                "assign",
                "assigned",
                t0 + h(51),
                Some(serde_json::json!({"unitId": "7", "replyDueAt": (t0 + h(100)).to_rfc3339()})),
            ),
        ];
        // Today it is closed, satisfied, by another unit.
        let mut now = fact(1, t0);
        now.status = Status::Closed;
        now.unit_id = Some(8);
        now.closed_at = Some(t0 + h(200));
        now.rated_at = Some(t0 + h(200));
        now.rating_satisfied = Some(true);
        let at_end = now.as_of(&timeline);
        assert_eq!(at_end.status, Status::Assigned);
        assert_eq!(at_end.unit_id, Some(7));
        assert_eq!(at_end.accepted_at, Some(t0 + h(1)));
        assert_eq!((at_end.replied_at, at_end.reply_late), (None, None));
        assert_eq!(
            (at_end.rated_at, at_end.rating_satisfied),
            (Some(t0 + h(51)), Some(false))
        );
        assert_eq!(at_end.closed_at, None);
        assert_eq!(at_end.reply_due_at, Some(t0 + h(100)));
        let end = t0 + h(60);
        assert!(at_end.open_at(end));
        // The first reply, as it stood right after it: late.
        let replied = now.as_of(&timeline[..5]);
        assert_eq!((replied.status, replied.reply_late), (Status::Replied, Some(true)));
    }

    fn fact(id: i64, created: DateTime<Utc>) -> DemandFact {
        DemandFact {
            id,
            number: format!("D{id}"),
            title: format!("诉求{id}"),
            channel: Channel::Miniprogram,
            environment: Environment::Service,
            unit_id: None,
            status: Status::Submitted,
            created_at: created,
            accept_due_at: None,
            accepted_at: None,
            sign_due_at: None,
            signed_at: None,
            reply_due_at: None,
            replied_at: None,
            reply_late: None,
            closed_at: None,
            rated_at: None,
            rating_satisfied: None,
            unreasonable: false,
        }
    }

    #[test]
    fn figures_stand_as_at_the_end_of_the_period() {
        let w = Period::starting(ReportKind::Weekly, d("2026-11-16")).unwrap();
        let start = w.start();
        let end = w.end();
        let hour = Duration::hours(1);
        let mut closed_in = fact(1, start + hour);
        closed_in.status = Status::Closed;
        closed_in.accepted_at = Some(start + hour * 2);
        closed_in.replied_at = Some(start + hour * 3);
        closed_in.reply_late = Some(false);
        closed_in.rated_at = Some(start + hour * 4);
        closed_in.rating_satisfied = Some(true);
        closed_in.closed_at = Some(start + hour * 4);
        // Closed after the period: still open in this report.
        let mut closed_later = closed_in.clone();
        closed_later.id = 2;
        closed_later.closed_at = Some(end + hour);
        closed_later.rated_at = Some(end + hour);
        // Not accepted by its deadline: overdue at the end.
        let mut late = fact(3, start + hour);
        late.accept_due_at = Some(start + hour * 10);
        let s = Slice::of([&closed_in, &closed_later, &late], end);
        assert_eq!(
            (s.received, s.accepted, s.replied, s.closed, s.rated, s.satisfied),
            (3, 2, 2, 1, 1, 1)
        );
        assert_eq!(s.completion_rate, Some(0.3333));
        assert_eq!(s.on_time_rate, Some(1.0));
        assert!(closed_later.open_at(end) && !closed_in.open_at(end));
        assert_eq!(late.overdue_at(end).map(|(k, _)| k), Some("受理"));
        assert_eq!(late.overdue_at(start + hour * 5), None);
    }

    #[test]
    fn rows_compare_with_the_previous_period_in_a_stable_order() {
        let w = Period::starting(ReportKind::Weekly, d("2026-11-16")).unwrap();
        let before = w.previous();
        let mut facts = vec![fact(1, w.start()), fact(2, w.start()), fact(3, before.start())];
        facts[1].channel = Channel::Hotline;
        facts.push(fact(4, before.start()));
        facts[3].channel = Channel::Hotline;
        facts.push(fact(5, before.start()));
        facts[4].channel = Channel::Hotline;
        let units = HashMap::new();
        let r = compose(Inputs {
            period: w,
            number: 3,
            demands: &facts,
            units: &units,
            hot_topics: vec![],
            voices: vec![],
            programs: Programs::default(),
            callbacks: CallbackFigures::default(),
        });
        assert_eq!(r.title, "「企业之声」周报 第3期");
        assert_eq!(
            (r.total.current.received, r.total.previous.received, r.total.change),
            (2, 3, -1)
        );
        assert_eq!(r.total.change_rate, Some(-0.3333));
        let channels: Vec<(&str, i64)> = r.by_channel.iter().map(|x| (x.label.as_str(), x.change)).collect();
        // Equal now (1 each): more before first.
        assert_eq!(channels, [("自贸一拨通热线", -1), ("小程序", 0)]);
        assert_eq!(r.by_unit[0].label, "未派单");
        assert_eq!(r.trend.len(), TREND_PERIODS);
        assert_eq!(r.trend[TREND_PERIODS - 1].received, 2);
        assert_eq!(r.trend[TREND_PERIODS - 2].received, 3);
    }
}

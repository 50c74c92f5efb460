//! The staff queue (工作台): its tabs, by what must be done next, and a demand's next deadline
//! with the working days left before it.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::calendar::WorkCalendar;
use crate::domain::demand::Status;
use crate::domain::time::shanghai;

/// A tab of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    /// 待受理: submitted.
    ToAccept,
    /// 待派单: accepted, or reopened by an unsatisfied rating.
    ToAssign,
    /// 待签收: dispatched to a unit.
    ToSign,
    /// 办理中: signed for.
    InProgress,
    /// 待评价: replied, waiting for the rating.
    ToRate,
    /// 即将超期: a deadline within one working day, not passed.
    DueSoon,
    /// 已超期.
    Overdue,
    /// 待回访: hotline demands replied and not rated (the agent calls back for the rating).
    ToCallBack,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::ToAccept,
        Tab::ToAssign,
        Tab::ToSign,
        Tab::InProgress,
        Tab::ToRate,
        Tab::DueSoon,
        Tab::Overdue,
        Tab::ToCallBack,
    ];

    pub fn parse(code: &str) -> Option<Tab> {
        serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
    }

    /// Whether a demand the caller works on is in this tab: one of its statuses, and for the
    /// deadline tabs a deadline within a working day and not yet missed (`due_soon`, which the
    /// database works out per status) or one missed; for the call-back tab, from the hotline.
    pub fn holds(self, status: Status, overdue: bool, hotline: bool, due_soon: bool) -> bool {
        self.statuses().contains(&status)
            && match self {
                Tab::DueSoon => !overdue && due_soon,
                Tab::Overdue => overdue,
                Tab::ToCallBack => hotline,
                _ => true,
            }
    }

    /// The statuses some tab holds: the open demands, the only ones the queue counts.
    pub fn open() -> Vec<Status> {
        let mut open: Vec<Status> = Tab::ALL.iter().flat_map(|t| t.statuses().iter().copied()).collect();
        open.sort_unstable_by_key(|s| s.code());
        open.dedup();
        open
    }

    /// The statuses a tab holds (the deadline tabs and the call-back tab add their own test).
    pub fn statuses(self) -> &'static [Status] {
        match self {
            Tab::ToAccept => &[Status::Submitted],
            Tab::ToAssign => &[Status::Accepted, Status::Reopened],
            Tab::ToSign => &[Status::Assigned],
            Tab::InProgress => &[Status::InProgress],
            Tab::ToRate | Tab::ToCallBack => &[Status::Replied],
            Tab::DueSoon | Tab::Overdue => &[
                Status::Submitted,
                Status::Accepted,
                Status::Reopened,
                Status::Assigned,
                Status::InProgress,
            ],
        }
    }
}

/// Which deadline comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    Accept,
    Sign,
    Reply,
}

impl DeadlineKind {
    pub const ALL: [DeadlineKind; 3] = [DeadlineKind::Accept, DeadlineKind::Sign, DeadlineKind::Reply];

    /// The statuses in which this deadline puts a demand in 即将超期 when it falls within a
    /// working day: accepting while submitted, signing while dispatched, replying while
    /// dispatched, handled or reopened. Each is open (held by `Tab::DueSoon`): the queue's
    /// counts read them without testing that again.
    pub fn statuses(self) -> &'static [Status] {
        match self {
            DeadlineKind::Accept => &[Status::Submitted],
            DeadlineKind::Sign => &[Status::Assigned],
            DeadlineKind::Reply => &[Status::Assigned, Status::InProgress, Status::Reopened],
        }
    }
}

/// A demand's deadlines as stored.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dues {
    pub accept: Option<DateTime<Utc>>,
    pub sign: Option<DateTime<Utc>>,
    pub reply: Option<DateTime<Utc>>,
}

/// The deadline the demand works towards in its status: accepting while submitted, signing
/// (else replying) while dispatched, replying while being handled; none otherwise.
pub fn next_deadline(status: Status, dues: Dues) -> Option<(DeadlineKind, DateTime<Utc>)> {
    match status {
        Status::Submitted => dues.accept.map(|at| (DeadlineKind::Accept, at)),
        Status::Assigned => dues
            .sign
            .map(|at| (DeadlineKind::Sign, at))
            .or(dues.reply.map(|at| (DeadlineKind::Reply, at))),
        Status::InProgress | Status::Reopened => dues.reply.map(|at| (DeadlineKind::Reply, at)),
        _ => None,
    }
}

fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&shanghai()).date_naive()
}

/// Working days left before a deadline (`due`, the end of its day): 0 when it falls today, 1
/// when on the next working day; negative once passed (the working days since, at least 1).
pub fn working_days_left(cal: &WorkCalendar, now: DateTime<Utc>, due: DateTime<Utc>) -> i64 {
    let (today, due_day) = (local_day(now), local_day(due));
    let count = |from: NaiveDate, to: NaiveDate| -> i64 {
        // Working days d with from < d <= to.
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = d.succ_opt().unwrap_or(to);
            if cal.is_working_day(d) {
                n += 1;
            }
        }
        n
    };
    if due >= now {
        count(today, due_day)
    } else {
        -count(due_day, today).max(1)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::calendar::{DayKind, end_of_day};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_deadline_counts_only_in_open_statuses_and_covers_every_next_deadline() {
        let due = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap();
        let dues = Dues {
            accept: Some(due),
            sign: Some(due),
            reply: Some(due),
        };
        for kind in DeadlineKind::ALL {
            for status in kind.statuses() {
                assert!(Tab::DueSoon.statuses().contains(status), "{kind:?} in {status:?}");
                assert!(Tab::open().contains(status));
            }
        }
        for status in Status::ALL {
            if let Some((kind, _)) = next_deadline(*status, dues) {
                assert!(kind.statuses().contains(status), "{status:?} works towards {kind:?}");
            }
        }
    }

    /// Monday 30 November 2026, 10:00 in Shanghai.
    fn monday_ten() -> DateTime<Utc> {
        shanghai()
            .with_ymd_and_hms(2026, 11, 30, 10, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_next_deadline_follows_the_status() {
        let t = monday_ten();
        let dues = Dues {
            accept: Some(t),
            sign: Some(t + chrono::Duration::days(1)),
            reply: Some(t + chrono::Duration::days(5)),
        };
        assert_eq!(next_deadline(Status::Submitted, dues), Some((DeadlineKind::Accept, t)));
        assert_eq!(
            next_deadline(Status::Assigned, dues).map(|d| d.0),
            Some(DeadlineKind::Sign)
        );
        let unsigned = Dues { sign: None, ..dues };
        assert_eq!(
            next_deadline(Status::Assigned, unsigned).map(|d| d.0),
            Some(DeadlineKind::Reply)
        );
        assert_eq!(
            next_deadline(Status::InProgress, dues).map(|d| d.0),
            Some(DeadlineKind::Reply)
        );
        assert_eq!(next_deadline(Status::Replied, dues), None);
        assert_eq!(next_deadline(Status::Accepted, dues), None);
    }

    #[test]
    fn working_days_left_skip_weekends_and_holidays_and_count_down_past_zero() {
        let cal = WorkCalendar::default();
        let now = monday_ten();
        assert_eq!(working_days_left(&cal, now, end_of_day(day(2026, 11, 30))), 0, "today");
        assert_eq!(working_days_left(&cal, now, end_of_day(day(2026, 12, 1))), 1);
        // Friday 4 December, then Monday 7 December: the weekend does not count.
        assert_eq!(working_days_left(&cal, now, end_of_day(day(2026, 12, 4))), 4);
        assert_eq!(working_days_left(&cal, now, end_of_day(day(2026, 12, 7))), 5);
        // Friday's deadline seen on Monday: one working day late.
        assert_eq!(working_days_left(&cal, now, end_of_day(day(2026, 11, 27))), -1);
        assert_eq!(working_days_left(&cal, now, end_of_day(day(2026, 11, 25))), -3);
        // A deadline passed earlier today is late by at least one.
        assert_eq!(working_days_left(&cal, now, now - chrono::Duration::hours(1)), -1);
        let holiday = WorkCalendar::new([(day(2026, 12, 1), DayKind::Off)]);
        assert_eq!(working_days_left(&holiday, now, end_of_day(day(2026, 12, 2))), 1);
    }

    #[test]
    fn tabs_read_their_codes() {
        assert_eq!(Tab::parse("to_call_back"), Some(Tab::ToCallBack));
        assert_eq!(Tab::parse("due_soon"), Some(Tab::DueSoon));
        assert_eq!(Tab::parse("later"), None);
        assert_eq!(Tab::ALL.len(), 8);
        let open: Vec<&str> = Tab::open().iter().map(|s| s.code()).collect();
        assert_eq!(
            open,
            [
                "accepted",
                "assigned",
                "in_progress",
                "reopened",
                "replied",
                "submitted"
            ]
        );
    }
}

//! The working-day calendar of mainland China: weekends are off, public holidays are off,
//! and some weekend days are worked instead (调休). Deadlines count working days.
use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use serde::Deserialize;

use crate::domain::time::shanghai;

/// `Off`: a public holiday (or a weekend day inside one); `Work`: a weekend day worked (调休).
pub use entity::codes::DayKind;

#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    overrides: HashMap<NaiveDate, DayKind>,
}

impl WorkCalendar {
    pub fn new(overrides: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        Self {
            overrides: overrides.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.overrides.get(&day) {
            Some(DayKind::Off) => false,
            Some(DayKind::Work) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`-th working day after `day` (n = 0 gives `day` itself when it is a working day,
    /// else the next one).
    pub fn nth_working_day_after(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut d = day;
        if n == 0 {
            while !self.is_working_day(d) {
                d = d.succ_opt().unwrap_or(d);
            }
            return d;
        }
        let mut left = n;
        // Bounded: there are never more than ~10 days off in a row.
        for _ in 0..(n as usize * 7 + 60) {
            d = d.succ_opt().unwrap_or(d);
            if self.is_working_day(d) {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
        d
    }

    /// A deadline `n` working days after the instant `from`: the end (23:59:59, Asia/Shanghai)
    /// of the `n`-th working day after the day of `from`.
    pub fn deadline(&self, from: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        let day = from.with_timezone(&shanghai()).date_naive();
        end_of_day(self.nth_working_day_after(day, n))
    }

    /// Moves a deadline on by `n` working days (extensions).
    pub fn extend(&self, due: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        self.deadline(due, n)
    }

    /// Whether the year of the day `days` after `from` has been entered (the next year's
    /// notice is published each November); without it only plain weekends count.
    pub fn covers(&self, from: NaiveDate, days: i64) -> bool {
        let horizon = from + Duration::days(days);
        self.overrides.keys().any(|d| d.year() >= horizon.year())
    }

    /// The warning admins see when the coming 60 days are not covered: it names the year to
    /// enter.
    pub fn coverage_warning(&self, today: NaiveDate) -> Option<String> {
        (!self.covers(today, 60)).then(|| {
            format!(
                "尚未录入 {} 年的节假日安排，期间仅按周末计算工作日；请在国务院办公厅发布通知后及时录入",
                (today + Duration::days(60)).year()
            )
        })
    }
}

/// 23:59:59 of `day` in Asia/Shanghai, as UTC.
pub fn end_of_day(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
    shanghai()
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// The shipped calendar file (`api/data/holidays-cn-YYYY.json`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarFile {
    pub year: i32,
    pub days_off: Vec<CalendarDay>,
    pub workdays: Vec<CalendarDay>,
}

#[derive(Debug, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    #[serde(default)]
    pub holiday: Option<String>,
}

/// The official 2026 calendar, shipped as default data.
pub fn official_2026() -> Option<CalendarFile> {
    serde_json::from_str(include_str!("../../data/holidays-cn-2026.json")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal_2026() -> WorkCalendar {
        let f = official_2026().unwrap();
        WorkCalendar::new(
            f.days_off
                .iter()
                .map(|x| (x.date, DayKind::Off))
                .chain(f.workdays.iter().map(|x| (x.date, DayKind::Work))),
        )
    }

    #[test]
    fn the_shipped_calendar_reads() {
        let f = official_2026().unwrap();
        assert_eq!(f.year, 2026);
        assert!(f.days_off.len() > 20);
        assert!(!f.workdays.is_empty());
    }

    #[test]
    fn national_day_week_is_off_and_its_saturday_is_worked() {
        let cal = cal_2026();
        for day in 1..=7 {
            assert!(!cal.is_working_day(d(2026, 10, day)), "Oct {day}");
        }
        // 2026-10-10 is a Saturday worked instead (调休).
        assert_eq!(d(2026, 10, 10).weekday(), Weekday::Sat);
        assert!(cal.is_working_day(d(2026, 10, 10)));
        // From the last working day before the holiday, one working day on is Oct 8.
        assert_eq!(cal.nth_working_day_after(d(2026, 9, 30), 1), d(2026, 10, 8));
        // Five working days from Oct 8 (Thu): Oct 9 (Fri), Oct 10 (Sat, worked), 12, 13, 14.
        assert_eq!(cal.nth_working_day_after(d(2026, 10, 8), 5), d(2026, 10, 14));
    }

    #[test]
    fn a_calendar_knows_whether_the_coming_days_are_entered() {
        let cal = cal_2026();
        assert!(cal.covers(d(2026, 6, 1), 60));
        // 60 days after 28 November reach 2027, whose notice is not entered yet.
        assert!(!cal.covers(d(2026, 11, 28), 60));
    }

    #[test]
    fn the_warning_names_the_year_to_enter_once_the_coming_days_reach_it() {
        let cal = cal_2026();
        assert_eq!(cal.coverage_warning(d(2026, 6, 1)), None);
        // 31 October + 60 days is still 2026; 2 November + 60 days is 2027.
        assert_eq!(cal.coverage_warning(d(2026, 10, 31)), None);
        let warning = cal.coverage_warning(d(2026, 11, 2)).unwrap();
        assert!(warning.contains("2027 年"), "{warning}");
        // Entering one day of 2027 is enough: the notice is published whole.
        let mut next = cal_2026();
        next.overrides.insert(d(2027, 1, 1), DayKind::Off);
        assert_eq!(next.coverage_warning(d(2026, 11, 2)), None);
        assert!(next.coverage_warning(d(2027, 11, 2)).unwrap().contains("2028 年"));
        // Nothing entered at all: always a warning.
        assert!(WorkCalendar::default().coverage_warning(d(2026, 1, 1)).is_some());
    }

    #[test]
    fn plain_weekends_are_skipped() {
        let cal = WorkCalendar::default();
        // Friday + 1 working day = Monday.
        assert_eq!(cal.nth_working_day_after(d(2026, 11, 27), 1), d(2026, 11, 30));
        // Saturday + 1 = Monday.
        assert_eq!(cal.nth_working_day_after(d(2026, 11, 28), 1), d(2026, 11, 30));
        assert_eq!(cal.nth_working_day_after(d(2026, 11, 28), 0), d(2026, 11, 30));
        assert_eq!(cal.nth_working_day_after(d(2026, 11, 30), 0), d(2026, 11, 30));
    }

    #[test]
    fn a_deadline_ends_the_day_in_shanghai() {
        let cal = WorkCalendar::default();
        // Friday 2026-11-27 10:00 +08:00.
        let from = DateTime::parse_from_rfc3339("2026-11-27T10:00:00+08:00")
            .unwrap()
            .with_timezone(&Utc);
        let due = cal.deadline(from, 1);
        assert_eq!(due.with_timezone(&shanghai()).to_rfc3339(), "2026-11-30T23:59:59+08:00");
        // Late on Friday night UTC is already Saturday in Shanghai.
        let late = DateTime::parse_from_rfc3339("2026-11-27T17:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            cal.deadline(late, 1).with_timezone(&shanghai()).to_rfc3339(),
            "2026-11-30T23:59:59+08:00"
        );
    }

    #[test]
    fn spring_festival_pushes_deadlines_past_the_holiday() {
        let cal = cal_2026();
        // Feb 13 2026 is a Friday before 春节 (Feb 15–23 off).
        let next = cal.nth_working_day_after(d(2026, 2, 13), 1);
        assert!(cal.is_working_day(next));
        assert!(next > d(2026, 2, 13));
        assert!(next == d(2026, 2, 14) || next >= d(2026, 2, 24), "{next}");
    }
}

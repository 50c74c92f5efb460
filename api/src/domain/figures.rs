//! Rates and means as the figures show them: rounded, and None rather than a division by zero;
//! and how a period is covered by the kept tallies (whole months, then whole weeks, then days).
use chrono::{Datelike, Duration, NaiveDate};

/// `a ÷ b`, or None when there is nothing to divide.
pub fn rate(a: i64, b: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (b > 0).then(|| (a as f64 / b as f64 * 10000.0).round() / 10000.0)
}

/// Mean hours, one decimal.
pub fn mean_hours(sum_secs: i64, n: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (n > 0).then(|| (sum_secs as f64 / n as f64 / 3600.0 * 10.0).round() / 10.0)
}

/// The grain of a kept tally: a day, a week (Monday to Sunday) or a calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    Day,
    Week,
    Month,
}

impl Grain {
    pub fn code(self) -> &'static str {
        match self {
            Self::Day => "d",
            Self::Week => "w",
            Self::Month => "m",
        }
    }
}

/// Buckets `lo..hi` of one grain. A day's bucket is its number since 1970-01-01; a week's is
/// `(day + 3) / 7` (1970-01-01 was a Thursday, so weeks start on Mondays); a month's is
/// `year * 12 + month - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub grain: Grain,
    pub lo: i64,
    pub hi: i64,
}

/// A day's number since 1970-01-01.
pub fn epoch_day(d: NaiveDate) -> i64 {
    (d - NaiveDate::default()).num_days()
}

/// The week bucket of a day number.
pub fn week_bucket(day: i64) -> i64 {
    (day + 3).div_euclid(7)
}

fn month_bucket(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MAX)
}

fn monday_on_or_after(d: NaiveDate) -> NaiveDate {
    let back = i64::from(d.weekday().num_days_from_monday());
    if back == 0 { d } else { d + Duration::days(7 - back) }
}

fn monday_on_or_before(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The days `from..to` (`to` excluded) as few tallies as possible: the whole months inside, then
/// the whole weeks inside what is left on either side, then single days. Read that way a year is
/// one span of twelve months and no period needs more than seven spans, whatever the number of
/// demands.
pub fn cover(from: NaiveDate, to: NaiveDate) -> Vec<Span> {
    let mut spans = Vec::new();
    let first_month = if from.day() == 1 { from } else { next_month(from) };
    let last_month = to.with_day(1).unwrap_or(to);
    if first_month < last_month {
        weeks(from, first_month, &mut spans);
        spans.push(Span {
            grain: Grain::Month,
            lo: month_bucket(first_month),
            hi: month_bucket(last_month),
        });
        weeks(last_month, to, &mut spans);
    } else {
        weeks(from, to, &mut spans);
    }
    spans
}

fn weeks(from: NaiveDate, to: NaiveDate, spans: &mut Vec<Span>) {
    let (first, last) = (monday_on_or_after(from), monday_on_or_before(to));
    if first < last {
        days(from, first, spans);
        spans.push(Span {
            grain: Grain::Week,
            lo: week_bucket(epoch_day(first)),
            hi: week_bucket(epoch_day(last)),
        });
        days(last, to, spans);
    } else {
        days(from, to, spans);
    }
}

fn days(from: NaiveDate, to: NaiveDate, spans: &mut Vec<Span>) {
    if from < to {
        spans.push(Span {
            grain: Grain::Day,
            lo: epoch_day(from),
            hi: epoch_day(to),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The days a span stands for.
    fn days_of(s: Span) -> Vec<i64> {
        (s.lo..s.hi)
            .flat_map(|b| match s.grain {
                Grain::Day => vec![b],
                Grain::Week => (0..7).map(|i| b * 7 - 3 + i).collect(),
                Grain::Month => {
                    let year = i32::try_from(b.div_euclid(12)).unwrap();
                    let month = u32::try_from(b.rem_euclid(12)).unwrap() + 1;
                    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap();
                    (epoch_day(first)..epoch_day(next_month(first))).collect()
                }
            })
            .collect()
    }

    #[test]
    fn a_year_is_twelve_months_and_a_week_one_week() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            cover(d(2026, 1, 1), d(2027, 1, 1)),
            [Span {
                grain: Grain::Month,
                lo: 2026 * 12,
                hi: 2027 * 12
            }]
        );
        // Monday 2026-11-30 to Sunday 2026-12-06.
        let week = week_bucket(epoch_day(d(2026, 11, 30)));
        assert_eq!(
            cover(d(2026, 11, 30), d(2026, 12, 7)),
            [Span {
                grain: Grain::Week,
                lo: week,
                hi: week + 1
            }]
        );
        assert_eq!(week_bucket(epoch_day(d(2026, 12, 6))), week);
        assert_eq!(week_bucket(epoch_day(d(2026, 12, 7))), week + 1);
        assert!(cover(d(2026, 3, 3), d(2026, 3, 3)).is_empty());
    }

    proptest::proptest! {
        /// Every day of the period is in exactly one span, and no day outside it.
        #[test]
        fn the_cover_is_exactly_the_period(start in 0i64..3000, len in 0i64..800) {
            let from = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Duration::days(start);
            let to = from + Duration::days(len);
            let spans = cover(from, to);
            let mut covered: Vec<i64> = spans.iter().copied().flat_map(days_of).collect();
            covered.sort_unstable();
            let expected: Vec<i64> = (epoch_day(from)..epoch_day(to)).collect();
            proptest::prop_assert_eq!(covered, expected);
            proptest::prop_assert!(spans.len() <= 7);
        }
    }

    #[test]
    fn rates_and_means_refuse_to_divide_by_nothing() {
        assert_eq!(rate(99, 100), Some(0.99));
        assert_eq!(rate(1, 3), Some(0.3333));
        assert_eq!(rate(0, 0), None);
        assert_eq!(mean_hours(7200, 2), Some(1.0));
        assert_eq!(mean_hours(0, 0), None);
    }
}

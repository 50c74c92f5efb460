//! Butler visits by enterprise class (三上门, docs/design.md section 10): the visit interval of
//! each service tier, when an enterprise is due, and coverage. Pure.
use chrono::NaiveDate;

pub use entity::codes::{ServiceTier, VisitKind};

/// Days between visits when admins have not set a tier's interval: 重点 monthly, 成长 every two
/// months, 一般 quarterly.
pub fn default_interval(tier: ServiceTier) -> i32 {
    match tier {
        ServiceTier::Key => 30,
        ServiceTier::Growth => 60,
        ServiceTier::General => 90,
    }
}

/// The longest interval an admin may set (a year).
pub const MAX_INTERVAL_DAYS: i32 = 366;

/// When an enterprise is next due: its last visit plus the interval; never visited, at once
/// (the day it was registered with the zone).
pub fn due_on(last_visit: Option<NaiveDate>, since: NaiveDate, interval_days: i32) -> NaiveDate {
    match last_visit {
        Some(day) => day + chrono::Duration::days(i64::from(interval_days)),
        None => since,
    }
}

/// Days past due on `today` (0 when due today; negative when not yet due).
pub fn days_overdue(due: NaiveDate, today: NaiveDate) -> i64 {
    (today - due).num_days()
}

/// Visited of all, as a share (None of none).
pub fn coverage(visited: u64, of: u64) -> Option<f64> {
    if of == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    Some(visited as f64 / of as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn key_enterprises_are_visited_most_often() {
        assert!(default_interval(ServiceTier::Key) < default_interval(ServiceTier::Growth));
        assert!(default_interval(ServiceTier::Growth) < default_interval(ServiceTier::General));
    }

    #[test]
    fn an_enterprise_is_due_an_interval_after_its_last_visit_and_at_once_when_never_visited() {
        assert_eq!(due_on(Some(day(11, 1)), day(1, 1), 30), day(12, 1));
        assert_eq!(due_on(None, day(3, 5), 30), day(3, 5));
        assert_eq!(days_overdue(day(12, 1), day(12, 5)), 4);
        assert_eq!(days_overdue(day(12, 10), day(12, 5)), -5);
    }

    #[test]
    fn coverage_is_a_share_of_a_nonempty_class() {
        assert_eq!(coverage(1, 4), Some(0.25));
        assert_eq!(coverage(0, 0), None);
    }
}

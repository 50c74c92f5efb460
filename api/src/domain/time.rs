//! The administration's clock: Asia/Shanghai, a fixed UTC+8 (no daylight saving).
use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

pub const SHANGHAI_OFFSET_SECS: i32 = 8 * 3600;

pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(SHANGHAI_OFFSET_SECS).unwrap_or(Utc.fix())
}

/// A UTC instant as shown to people: `2026-11-28T16:05:00+08:00`.
pub fn local_time(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&shanghai())
}

/// Today's date in Asia/Shanghai.
pub fn today() -> NaiveDate {
    local_time(Utc::now()).date_naive()
}

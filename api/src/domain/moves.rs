//! The rules of the demand moves beyond the state machine (`demand::next_status` says which
//! move may follow which state; these say whether this one may be made now, with what it
//! carries): the reply deadline a dispatch sets, the window for sending a demand back, the
//! limits of an extension, what a merge may join, the text a move needs.
use chrono::{DateTime, Utc};

use crate::domain::FieldError;
use crate::domain::calendar::WorkCalendar;

/// Why a rule refuses a move: a field of the request (422) or the demand as it stands (409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Field(FieldError),
    Conflict { code: &'static str, message: String },
}

fn field(name: &str, code: &str, message: &str) -> Refusal {
    Refusal::Field(FieldError::new(name, code, message))
}

fn conflict(code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal::Conflict {
        code,
        message: message.into(),
    }
}

/// The longest text a move carries (a reason, a reply, a note).
pub const MAX_TEXT: usize = 2000;

/// The text a move needs in `name`, trimmed: present and at most `MAX_TEXT` characters.
pub fn required_text(value: Option<&str>, name: &str, missing: &str) -> Result<String, Refusal> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() <= MAX_TEXT => Ok(v.to_owned()),
        Some(_) => Err(field(name, "too_long", "不能超过 2000 个字")),
        None => Err(field(name, "required", missing)),
    }
}

/// The reply deadline of a dispatch: the one asked for, if it lies ahead, or `default`.
pub fn reply_due(
    asked: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    default: DateTime<Utc>,
) -> Result<DateTime<Utc>, Refusal> {
    match asked {
        Some(due) if due <= now => Err(field("dueAt", "in_the_past", "办理期限应晚于现在")),
        Some(due) => Ok(due),
        None => Ok(default),
    }
}

/// A unit may send a misrouted demand back within `return_days` working days of its dispatch.
pub fn may_return(
    assigned: DateTime<Utc>,
    now: DateTime<Utc>,
    cal: &WorkCalendar,
    return_days: u32,
) -> Result<(), Refusal> {
    if now > cal.deadline(assigned, return_days) {
        return Err(conflict(
            "return_window_passed",
            format!("派单已超过 {return_days} 个工作日，不能退回"),
        ));
    }
    Ok(())
}

/// An extension as it is asked for, and the demand's standing.
#[derive(Debug, Clone, Copy)]
pub struct ExtensionAsked<'a> {
    pub working_days: u32,
    pub reason: Option<&'a str>,
    pub max_days: u32,
    pub reply_due: Option<DateTime<Utc>>,
    pub pending: bool,
    pub now: DateTime<Utc>,
}

/// An extension is 1 to `max_days` working days, with a reason, asked before the deadline, one
/// at a time. Returns the reason.
pub fn may_extend(e: ExtensionAsked<'_>) -> Result<String, Refusal> {
    if e.working_days == 0 || e.working_days > e.max_days {
        return Err(field(
            "workingDays",
            "out_of_range",
            &format!("延期天数应为 1 到 {} 个工作日", e.max_days),
        ));
    }
    let reason = required_text(e.reason, "reason", "请填写延期原因")?;
    if e.reply_due.is_some_and(|due| e.now > due) {
        return Err(conflict("deadline_passed", "已超过办理期限，不能再申请延期"));
    }
    if e.pending {
        return Err(conflict("extension_pending", "已有待审批的延期申请"));
    }
    Ok(reason)
}

/// The days of the extension waiting for approval.
pub fn pending_extension(pending: Option<i32>) -> Result<u32, Refusal> {
    let days = pending.ok_or_else(|| conflict("no_extension_pending", "没有待审批的延期申请"))?;
    Ok(u32::try_from(days).unwrap_or(0))
}

/// A demand flagged unreasonable stays so: a second flag is refused.
pub fn may_flag_unreasonable(already: bool) -> Result<(), Refusal> {
    if already {
        return Err(conflict("already_flagged", "该诉求已标记为不合理诉求"));
    }
    Ok(())
}

/// The demand a duplicate is merged into: another one, named.
pub fn merge_target(own_id: i64, into: Option<i64>) -> Result<i64, Refusal> {
    let into = into.ok_or_else(|| field("intoId", "required", "请选择要合并到的诉求"))?;
    if into == own_id {
        return Err(field("intoId", "same_demand", "不能合并到自身"));
    }
    Ok(into)
}

/// A duplicate joins a demand still being worked on.
pub fn may_merge_into(target_final: bool) -> Result<(), Refusal> {
    if target_final {
        return Err(conflict("merge_target_closed", "目标诉求已办结，不能合并"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate, TimeZone};

    use super::*;
    use crate::domain::calendar::DayKind;

    /// Monday 30 November 2026, 10:00 in Shanghai.
    fn monday() -> DateTime<Utc> {
        chrono::FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 11, 30, 10, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn code(r: Result<impl std::fmt::Debug, Refusal>) -> String {
        match r {
            Err(Refusal::Field(f)) => format!("{}:{}", f.field, f.code),
            Err(Refusal::Conflict { code, .. }) => code.to_owned(),
            Ok(v) => format!("ok {v:?}"),
        }
    }

    #[test]
    fn a_demand_goes_back_within_its_working_days_and_a_holiday_does_not_count() {
        let cal = WorkCalendar::new([]);
        let assigned = monday();
        assert!(may_return(assigned, assigned + Duration::days(2), &cal, 2).is_ok());
        assert_eq!(
            code(may_return(assigned, assigned + Duration::days(3), &cal, 2)),
            "return_window_passed"
        );
        // Tuesday off: the window reaches to Thursday.
        let holiday = WorkCalendar::new([(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), DayKind::Off)]);
        assert!(may_return(assigned, assigned + Duration::days(3), &holiday, 2).is_ok());
        // Friday evening to Monday: the weekend does not count.
        let friday = assigned + Duration::days(4);
        assert!(may_return(friday, friday + Duration::days(3), &cal, 1).is_ok());
    }

    #[test]
    fn an_extension_is_bounded_asked_in_time_and_one_at_a_time() {
        let now = monday();
        let asked = |working_days, reply_due, pending| ExtensionAsked {
            working_days,
            reason: Some("材料待补"),
            max_days: 10,
            reply_due,
            pending,
            now,
        };
        let due = Some(now + Duration::days(1));
        assert_eq!(may_extend(asked(10, due, false)), Ok("材料待补".to_owned()));
        let no_reason = ExtensionAsked {
            reason: None,
            ..asked(3, due, false)
        };
        assert_eq!(code(may_extend(no_reason)), "reason:required");
        assert_eq!(code(may_extend(asked(0, due, false))), "workingDays:out_of_range");
        assert_eq!(code(may_extend(asked(11, due, false))), "workingDays:out_of_range");
        assert_eq!(
            code(may_extend(asked(3, Some(now - Duration::minutes(1)), false))),
            "deadline_passed"
        );
        assert_eq!(code(may_extend(asked(3, due, true))), "extension_pending");
        assert_eq!(code(pending_extension(None)), "no_extension_pending");
        assert_eq!(pending_extension(Some(4)), Ok(4));
    }

    #[test]
    fn a_merge_joins_another_open_demand() {
        assert_eq!(merge_target(1, Some(2)), Ok(2));
        assert_eq!(code(merge_target(1, None)), "intoId:required");
        assert_eq!(code(merge_target(1, Some(1))), "intoId:same_demand");
        assert!(may_merge_into(false).is_ok());
        assert_eq!(code(may_merge_into(true)), "merge_target_closed");
        assert_eq!(code(may_flag_unreasonable(true)), "already_flagged");
    }

    #[test]
    fn a_dispatch_deadline_lies_ahead_and_texts_are_present_and_bounded() {
        let now = monday();
        let default = now + Duration::days(5);
        assert_eq!(reply_due(None, now, default), Ok(default));
        assert_eq!(
            reply_due(Some(now + Duration::hours(1)), now, default),
            Ok(now + Duration::hours(1))
        );
        assert_eq!(code(reply_due(Some(now), now, default)), "dueAt:in_the_past");
        assert_eq!(
            required_text(Some("  理由 "), "reason", "请填写"),
            Ok("理由".to_owned())
        );
        assert_eq!(code(required_text(Some("   "), "reason", "请填写")), "reason:required");
        assert_eq!(code(required_text(None, "reason", "请填写")), "reason:required");
        assert!(required_text(Some(&"字".repeat(MAX_TEXT)), "reason", "").is_ok());
        assert_eq!(
            code(required_text(Some(&"字".repeat(MAX_TEXT + 1)), "reason", "")),
            "reason:too_long"
        );
    }
}

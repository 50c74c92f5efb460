//! Conduct clues (问题线索, docs/design.md section 10): the handling's stages and deadlines, what
//! an outcome must carry, what the reporter is told, and the figures of a period. Pure.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::calendar::WorkCalendar;
pub use entity::codes::{ClueAction, ClueCategory, ClueOutcome, ClueSource, ClueStatus};

/// Working days to accept (受理) a clue once received.
pub const ACCEPT_DAYS: u32 = 3;
/// Working days from acceptance to disposal, on the ordinary track.
pub const DISPOSE_DAYS: u32 = 30;
/// Working days from acceptance to disposal on the fast track (问题速处).
pub const FAST_TRACK_DAYS: u32 = 5;

/// A stage of the handling a clue is asked to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Accept,
    Check,
    Dispose,
}

impl Stage {
    pub fn action(self) -> ClueAction {
        match self {
            Stage::Accept => ClueAction::Accept,
            Stage::Check => ClueAction::Check,
            Stage::Dispose => ClueAction::Dispose,
        }
    }
}

/// Refused: the clue is not where the stage starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrongStage {
    pub from: ClueStatus,
    pub stage: Stage,
}

/// 受理 → 初核 → 处置, in that order, each once.
pub fn next_status(from: ClueStatus, stage: Stage) -> Result<ClueStatus, WrongStage> {
    match (from, stage) {
        (ClueStatus::Received, Stage::Accept) => Ok(ClueStatus::Accepted),
        (ClueStatus::Accepted, Stage::Check) => Ok(ClueStatus::Checking),
        (ClueStatus::Checking, Stage::Dispose) => Ok(ClueStatus::Closed),
        _ => Err(WrongStage { from, stage }),
    }
}

/// When a clue received at `at` must be accepted.
pub fn accept_due(cal: &WorkCalendar, at: DateTime<Utc>) -> DateTime<Utc> {
    cal.deadline(at, ACCEPT_DAYS)
}

/// When a clue accepted at `at` must be disposed of.
pub fn dispose_due(cal: &WorkCalendar, at: DateTime<Utc>, fast_track: bool) -> DateTime<Utc> {
    cal.deadline(at, if fast_track { FAST_TRACK_DAYS } else { DISPOSE_DAYS })
}

/// An outcome and what it must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disposal {
    pub outcome: ClueOutcome,
    /// Persons dealt with: at least one for a sanction; none for a clue found unfounded.
    pub persons: Option<i32>,
}

/// Why a disposal is refused, as (field, code, message).
pub fn check_disposal(d: Disposal) -> Result<(), (&'static str, &'static str, &'static str)> {
    match (d.outcome, d.persons) {
        (_, Some(n)) if !(1..=999).contains(&n) => Err(("persons", "out_of_range", "人数须为 1 至 999")),
        (ClueOutcome::Sanction, None) => Err(("persons", "required", "党纪政务处分须填写处分人数")),
        (ClueOutcome::Dismissed, Some(_)) => Err(("persons", "not_allowed", "予以了结的线索不涉及人数")),
        _ => Ok(()),
    }
}

/// What the reporter is told of the outcome: general terms, never the note or the persons.
pub fn told_to_reporter(outcome: ClueOutcome) -> &'static str {
    match outcome {
        ClueOutcome::Dismissed => "经核查，您反映的问题暂未发现违纪违法事实，予以了结。感谢您的监督。",
        _ => "您反映的问题已核查处理完毕，相关单位和人员已依规依纪作出处理。感谢您的监督。",
    }
}

/// What the reporter is told of a clue's stage.
pub fn stage_for_reporter(status: ClueStatus) -> &'static str {
    match status {
        ClueStatus::Received => "已收到，等待受理",
        ClueStatus::Accepted | ClueStatus::Checking => "已受理，正在核查",
        ClueStatus::Closed => "已办结",
    }
}

/// One clue as the figures count it.
#[derive(Debug, Clone, Copy)]
pub struct ClueFact {
    pub category: ClueCategory,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<ClueOutcome>,
    pub persons: Option<i32>,
}

/// A count under a code, with its label.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Count {
    pub code: String,
    pub label: String,
    pub count: u64,
}

/// The figures of a period (as it stood at the period's end): clues received in it, those of
/// them closed by its end and still in progress; the outcomes and persons sanctioned of the
/// clues closed in it; the categories of those received.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ClueFigures {
    pub received: u64,
    pub closed: u64,
    pub in_progress: u64,
    /// Clues closed within the period (whenever received).
    pub closed_in_period: u64,
    /// Persons given 党纪政务处分 by clues closed within the period.
    pub persons_sanctioned: u64,
    /// Persons dealt with by any outcome of clues closed within the period.
    pub persons_dealt_with: u64,
    pub by_outcome: Vec<Count>,
    pub by_category: Vec<Count>,
}

impl ClueFigures {
    /// `facts` may hold clues of any time; only those the period concerns are counted.
    pub fn of(facts: &[ClueFact], start: DateTime<Utc>, end: DateTime<Utc>) -> ClueFigures {
        let in_period = |t: DateTime<Utc>| t >= start && t < end;
        let mut f = ClueFigures {
            received: 0,
            closed: 0,
            in_progress: 0,
            closed_in_period: 0,
            persons_sanctioned: 0,
            persons_dealt_with: 0,
            by_outcome: Vec::new(),
            by_category: Vec::new(),
        };
        let mut outcomes: BTreeMap<ClueOutcome, u64> = BTreeMap::new();
        let mut categories: BTreeMap<ClueCategory, u64> = BTreeMap::new();
        for c in facts {
            if in_period(c.created_at) {
                f.received += 1;
                *categories.entry(c.category).or_default() += 1;
                if c.closed_at.is_some_and(|t| t < end) {
                    f.closed += 1;
                } else {
                    f.in_progress += 1;
                }
            }
            if let (Some(t), Some(outcome)) = (c.closed_at, c.outcome)
                && in_period(t)
            {
                f.closed_in_period += 1;
                *outcomes.entry(outcome).or_default() += 1;
                let persons = u64::try_from(c.persons.unwrap_or(0)).unwrap_or(0);
                f.persons_dealt_with += persons;
                if outcome == ClueOutcome::Sanction {
                    f.persons_sanctioned += persons;
                }
            }
        }
        f.by_outcome = ClueOutcome::ALL
            .iter()
            .map(|o| Count {
                code: o.code().to_owned(),
                label: o.label().to_owned(),
                count: outcomes.get(o).copied().unwrap_or(0),
            })
            .collect();
        f.by_category = ClueCategory::ALL
            .iter()
            .map(|c| Count {
                code: c.code().to_owned(),
                label: c.label().to_owned(),
                count: categories.get(c).copied().unwrap_or(0),
            })
            .collect();
        f
    }

    /// The seed's sentence: 线索 N 件，办结 N 件，正在办理 N 件；处分 N 人.
    pub fn sentence(&self) -> String {
        format!(
            "线索 {} 件，办结 {} 件，正在办理 {} 件；处分 {} 人",
            self.received, self.closed, self.in_progress, self.persons_sanctioned
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 2, 0, 0).unwrap()
    }

    #[test]
    fn the_stages_run_in_order_once() {
        use ClueStatus::*;
        assert_eq!(next_status(Received, Stage::Accept), Ok(Accepted));
        assert_eq!(next_status(Accepted, Stage::Check), Ok(Checking));
        assert_eq!(next_status(Checking, Stage::Dispose), Ok(Closed));
        for (from, stage) in [
            (Received, Stage::Check),
            (Received, Stage::Dispose),
            (Accepted, Stage::Accept),
            (Accepted, Stage::Dispose),
            (Checking, Stage::Check),
            (Closed, Stage::Dispose),
            (Closed, Stage::Accept),
        ] {
            assert_eq!(next_status(from, stage), Err(WrongStage { from, stage }));
        }
    }

    #[test]
    fn the_fast_track_is_due_sooner_on_working_days() {
        let cal = WorkCalendar::new([]);
        // Friday 2026-11-27: five working days on is Friday 2026-12-04.
        let friday = at(27);
        let fast = dispose_due(&cal, friday, true);
        let slow = dispose_due(&cal, friday, false);
        assert_eq!(
            fast.with_timezone(&crate::domain::time::shanghai()).date_naive(),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        );
        assert!(fast < slow);
        assert!(accept_due(&cal, friday) < fast);
    }

    #[test]
    fn a_sanction_names_its_persons_and_an_unfounded_clue_none() {
        let d = |outcome, persons| check_disposal(Disposal { outcome, persons });
        assert!(d(ClueOutcome::Sanction, Some(2)).is_ok());
        assert_eq!(d(ClueOutcome::Sanction, None).unwrap_err().1, "required");
        assert_eq!(d(ClueOutcome::Dismissed, Some(1)).unwrap_err().1, "not_allowed");
        assert!(d(ClueOutcome::Dismissed, None).is_ok());
        assert!(d(ClueOutcome::Talk, None).is_ok());
        assert_eq!(d(ClueOutcome::FirstForm, Some(0)).unwrap_err().1, "out_of_range");
    }

    #[test]
    fn the_reporter_hears_general_terms_only() {
        for &o in ClueOutcome::ALL {
            let text = told_to_reporter(o);
            assert!(!text.contains(o.label()) || o == ClueOutcome::Dismissed, "{text}");
        }
    }

    #[test]
    fn figures_count_the_period_as_it_stood_at_its_end() {
        let fact = |created: u32, closed: Option<u32>, outcome, persons| ClueFact {
            category: ClueCategory::Extortion,
            created_at: at(created),
            closed_at: closed.map(at),
            outcome,
            persons,
        };
        let facts = [
            fact(2, Some(5), Some(ClueOutcome::Sanction), Some(2)),
            fact(3, Some(6), Some(ClueOutcome::Sanction), Some(2)),
            fact(4, Some(7), Some(ClueOutcome::Talk), Some(1)),
            fact(5, Some(8), Some(ClueOutcome::Dismissed), None),
            // Closed after the period: in progress at its end, its outcome not counted.
            fact(9, Some(25), Some(ClueOutcome::Sanction), Some(3)),
            // Received before the period, closed in it: counted among the outcomes only.
            fact(1, Some(10), Some(ClueOutcome::FirstForm), Some(1)),
        ];
        let f = ClueFigures::of(&facts, at(2), at(20));
        assert_eq!((f.received, f.closed, f.in_progress), (5, 4, 1));
        assert_eq!(f.closed_in_period, 5);
        assert_eq!(f.persons_sanctioned, 4);
        assert_eq!(f.persons_dealt_with, 6);
        assert_eq!(f.sentence(), "线索 5 件，办结 4 件，正在办理 1 件；处分 4 人");
        let sanction = f.by_outcome.iter().find(|c| c.code == "sanction").unwrap();
        assert_eq!(sanction.count, 2);
        assert_eq!(f.by_category.iter().map(|c| c.count).sum::<u64>(), 5);
    }
}

//! On-site inspections of enterprises (服务型执法, docs/design.md section 10): quarters, the
//! figures by unit and quarter, and the enterprises inspected too often (无事不扰). Pure.
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

/// A quarter of a year, e.g. `2026Q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    pub q: u32,
}

impl Quarter {
    pub fn of(day: NaiveDate) -> Quarter {
        Quarter {
            year: day.year(),
            q: (day.month() - 1) / 3 + 1,
        }
    }

    pub fn label(self) -> String {
        format!("{}Q{}", self.year, self.q)
    }
}

/// One inspection as the figures count it.
#[derive(Debug, Clone)]
pub struct InspectionFact {
    pub enterprise_id: i64,
    pub unit_ids: Vec<i64>,
    pub inspected_on: NaiveDate,
    pub proper: u64,
    pub improper: u64,
}

/// One unit's inspections in one quarter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitQuarter {
    pub inspections: u64,
    /// Of them, joint (several units).
    pub joint: u64,
    pub rated_proper: u64,
    pub rated_improper: u64,
}

/// An enterprise inspected more than the limit in a quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub enterprise_id: i64,
    pub quarter: Quarter,
    pub inspections: u64,
}

/// The figures by (unit, quarter), and the enterprises over `limit` in a quarter (a joint
/// inspection is one visit to the enterprise, counted once for it and once for each unit).
pub fn figures(facts: &[InspectionFact], limit: u32) -> (BTreeMap<(i64, Quarter), UnitQuarter>, Vec<Flag>) {
    let mut units: BTreeMap<(i64, Quarter), UnitQuarter> = BTreeMap::new();
    let mut per_enterprise: BTreeMap<(i64, Quarter), u64> = BTreeMap::new();
    for f in facts {
        let quarter = Quarter::of(f.inspected_on);
        *per_enterprise.entry((f.enterprise_id, quarter)).or_default() += 1;
        for unit in &f.unit_ids {
            let row = units.entry((*unit, quarter)).or_default();
            row.inspections += 1;
            row.joint += u64::from(f.unit_ids.len() > 1);
            row.rated_proper += f.proper;
            row.rated_improper += f.improper;
        }
    }
    let flags = per_enterprise
        .into_iter()
        .filter(|(_, n)| *n > u64::from(limit))
        .map(|((enterprise_id, quarter), inspections)| Flag {
            enterprise_id,
            quarter,
            inspections,
        })
        .collect();
    (units, flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn quarters_run_by_three_months() {
        assert_eq!(Quarter::of(day(1, 1)).label(), "2026Q1");
        assert_eq!(Quarter::of(day(3, 31)).label(), "2026Q1");
        assert_eq!(Quarter::of(day(4, 1)).label(), "2026Q2");
        assert_eq!(Quarter::of(day(12, 31)).label(), "2026Q4");
    }

    #[test]
    fn the_fourth_inspection_in_a_quarter_flags_an_enterprise_and_joint_ones_count_once_for_it() {
        let f = |e: i64, units: &[i64], m, d| InspectionFact {
            enterprise_id: e,
            unit_ids: units.to_vec(),
            inspected_on: day(m, d),
            proper: 1,
            improper: 0,
        };
        let facts = [
            f(1, &[10], 10, 1),
            f(1, &[10, 11], 10, 9),
            f(1, &[11], 11, 2),
            f(1, &[12], 12, 3),
            // Another quarter.
            f(1, &[10], 9, 30),
            f(2, &[10], 10, 5),
        ];
        let (units, flags) = figures(&facts, 3);
        assert_eq!(
            flags,
            [Flag {
                enterprise_id: 1,
                quarter: Quarter { year: 2026, q: 4 },
                inspections: 4
            }]
        );
        let tax = &units[&(10, Quarter { year: 2026, q: 4 })];
        assert_eq!((tax.inspections, tax.joint, tax.rated_proper), (3, 1, 3));
        assert!(figures(&facts[..3], 3).1.is_empty());
    }
}

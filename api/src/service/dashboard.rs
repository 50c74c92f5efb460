//! The admin dashboard's panels that no other service already answers: demands by week,
//! policy reach over a period, and the unit league table for the 「考核奖惩」 assessment (every
//! rate with its sample size, scorecard and mystery-shopper scores per unit).
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{event, form_submission, ms_assignment, ms_target, policy, policy_delivery, unit};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::event::EventKind;
use crate::domain::form::ValidAnswers;
use crate::domain::report::start_of_day;
use crate::error::ApiResult;
use crate::service::forms;

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WeekCount {
    /// The Monday the week starts on.
    pub week_start: NaiveDate,
    pub received: u64,
}

/// Demands received per week (Monday to Sunday), for the weeks touching `[from, to]`, from the
/// weekly tallies.
pub async fn demands_by_week(db: &impl ConnectionTrait, from: NaiveDate, to: NaiveDate) -> ApiResult<Vec<WeekCount>> {
    use crate::domain::report::{Period, ReportKind};
    let mut weeks = Vec::new();
    let mut week = Period::containing(ReportKind::Weekly, from);
    while week.from <= to {
        weeks.push(week);
        week = Period::containing(ReportKind::Weekly, week.to + Duration::days(1));
    }
    let (Some(first), Some(last)) = (weeks.first(), weeks.last()) else {
        return Ok(Vec::new());
    };
    let counts = crate::service::tallies::received_by_week(db, first.from, last.from + Duration::days(7)).await?;
    Ok(weeks
        .into_iter()
        .map(|w| WeekCount {
            week_start: w.from,
            received: counts.get(&w.from).map_or(0, |n| u64::try_from(*n).unwrap_or(0)),
        })
        .collect())
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PolicyReach {
    /// Policies published in the period.
    pub published: u64,
    /// Deliveries made in the period (a policy reaching a person).
    pub reached: u64,
    /// Of those, opened.
    pub read: u64,
    /// Of those, acknowledged 「已知晓」.
    pub understood: u64,
}

pub async fn policy_reach(
    db: &impl ConnectionTrait,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> ApiResult<PolicyReach> {
    let published = policy::Entity::find()
        .filter(policy::Column::PublishedAt.gte(start))
        .filter(policy::Column::PublishedAt.lt(end))
        .count(db)
        .await?;
    let base = || {
        policy_delivery::Entity::find()
            .filter(policy_delivery::Column::CreatedAt.gte(start))
            .filter(policy_delivery::Column::CreatedAt.lt(end))
    };
    Ok(PolicyReach {
        published,
        reached: base().count(db).await?,
        read: base()
            .filter(policy_delivery::Column::ReadAt.is_not_null())
            .count(db)
            .await?,
        understood: base()
            .filter(policy_delivery::Column::AckedAt.is_not_null())
            .count(db)
            .await?,
    })
}

/// A unit's mean score (0–100) in one kind of event, and how many submissions it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitScore {
    pub score: f64,
    pub samples: u64,
}

/// Per unit code: the weighted mean of the questions assessing it over the submissions of the
/// period to events of `kind`, and the number of submissions that assessed it. A mystery-shopper
/// report assesses its target's unit (and a question's own unit where one is set).
///
/// The period's submissions come with their event's form in one statement; the assessed units
/// are read only when a submission answers an assignment, and each form once. A period with no
/// submissions costs one statement, not one per event and three for the assignments.
pub async fn unit_scores(
    db: &impl ConnectionTrait,
    kind: EventKind,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> ApiResult<HashMap<String, UnitScore>> {
    use sea_orm::JoinType;
    let to_event = form_submission::Entity::belongs_to(event::Entity)
        .from(form_submission::Column::EventId)
        .to(event::Column::Id)
        .into();
    let subs: Vec<(serde_json::Value, Option<i64>, Option<i64>)> = form_submission::Entity::find()
        .select_only()
        .column(form_submission::Column::Answers)
        .column(form_submission::Column::AssignmentId)
        .column(event::Column::FormTemplateId)
        .join(JoinType::InnerJoin, to_event)
        .filter(event::Column::Kind.eq(kind))
        .filter(form_submission::Column::CreatedAt.gte(start))
        .filter(form_submission::Column::CreatedAt.lt(end))
        .into_tuple()
        .all(db)
        .await?;
    let assessed = if subs.iter().any(|(_, assignment, _)| assignment.is_some()) {
        assessed_units(db).await?
    } else {
        HashMap::new()
    };
    let mut templates = HashMap::new();
    let mut sums: HashMap<String, (f64, f64, u64)> = HashMap::new();
    for (answers, assignment, template_id) in subs {
        let Some(template_id) = template_id else { continue };
        let template = match templates.entry(template_id) {
            std::collections::hash_map::Entry::Occupied(t) => t.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(forms::parse(&forms::get(db, template_id).await?)?)
            }
        };
        let valid = ValidAnswers {
            answers: serde_json::from_value(answers).unwrap_or_default(),
        };
        let unit = assignment.and_then(|a| assessed.get(&a)).map(String::as_str);
        for (code, (s, w)) in valid.by_unit(template, unit) {
            let e = sums.entry(code).or_insert((0.0, 0.0, 0));
            e.0 += s;
            e.1 += w;
            e.2 += 1;
        }
    }
    Ok(sums
        .into_iter()
        .filter(|(_, (_, w, _))| *w > 0.0)
        .map(|(code, (s, w, n))| {
            (
                code,
                UnitScore {
                    score: (s / w * 1000.0).round() / 10.0,
                    samples: n,
                },
            )
        })
        .collect())
}

/// The code of the unit each mystery-shopper assignment assesses (its target's unit).
async fn assessed_units(db: &impl ConnectionTrait) -> ApiResult<HashMap<i64, String>> {
    let targets: HashMap<i64, i64> = ms_target::Entity::find()
        .select_only()
        .column(ms_target::Column::Id)
        .column(ms_target::Column::UnitId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let units: HashMap<i64, String> = unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    Ok(ms_assignment::Entity::find()
        .select_only()
        .column(ms_assignment::Column::Id)
        .column(ms_assignment::Column::TargetId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(a, t)| Some((a, units.get(targets.get(&t)?)?.clone())))
        .collect())
}

/// The first instant of `from` and the first after `to` (Asia/Shanghai days).
pub fn bounds(from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    (start_of_day(from), start_of_day(to + Duration::days(1)))
}

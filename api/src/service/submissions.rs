//! Form submissions. A scorecard round is answered once per enterprise; its findings become
//! demands (channel `scorecard`) in the same transaction; results aggregate per environment,
//! per unit and per question, and are published back to the participants.
use std::collections::HashMap;

use chrono::Utc;
use entity::{event, form_submission, unit};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use serde_json::Value;

use crate::domain::access::Principal;
use crate::domain::demand::{Action, Channel, ContentCheck, Environment, Kind, Origin};
use crate::domain::form::{FormTemplate, Question, QuestionType, ValidAnswers};
use crate::error::{ApiError, ApiResult};
use crate::service::demands::{self, Actor, Context, Move, NewDemand};
use crate::service::files::{self, AttachedTo, FileRefs, Uploader};
use crate::service::{enterprises, is_unique_violation};
use crate::settings::Settings;
use sea_orm::DatabaseConnection;

/// How an answer reads in a demand.
fn describe(q: &Question, v: &Value) -> String {
    let label = |value: &str| {
        q.options
            .as_deref()
            .unwrap_or_default()
            .iter()
            .find(|o| o.value == value)
            .map_or(value.to_owned(), |o| o.label.clone())
    };
    let answer = match (q.kind, v) {
        (QuestionType::YesNo, Value::Bool(b)) => {
            if *b {
                "是".to_owned()
            } else {
                "否".to_owned()
            }
        }
        (QuestionType::Rating, v) => format!("{} 分（满分 5 分）", v),
        (QuestionType::SingleChoice, Value::String(s)) => label(s),
        (QuestionType::MultipleChoice, Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(label)
            .collect::<Vec<_>>()
            .join("、"),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    };
    format!("问题：{}\n回答：{}", q.title, answer)
}

/// A submission as stored.
pub struct StoredSubmission<'a> {
    pub event_id: i64,
    pub template_id: i64,
    pub submitter_id: i64,
    pub enterprise_id: Option<i64>,
    pub assignment_id: Option<i64>,
    /// What may be answered only once (unique): a second store is 409 `already_submitted`.
    pub once_key: String,
    pub valid: &'a ValidAnswers,
    pub findings: &'a [String],
}

/// Stores a submission; `already` is the message of the 409 when it was answered before.
pub async fn store(
    txn: &impl ConnectionTrait,
    s: StoredSubmission<'_>,
    already: &'static str,
) -> ApiResult<form_submission::Model> {
    let inserted = form_submission::ActiveModel {
        event_id: Set(s.event_id),
        template_id: Set(s.template_id),
        submitter_id: Set(s.submitter_id),
        enterprise_id: Set(s.enterprise_id),
        assignment_id: Set(s.assignment_id),
        once_key: Set(s.once_key),
        answers: Set(serde_json::to_value(&s.valid.answers).map_err(ApiError::internal)?),
        findings: Set(serde_json::json!(s.findings)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await;
    match inserted {
        Ok(m) => Ok(m),
        Err(err) if is_unique_violation(&err) => Err(ApiError::conflict("already_submitted", already)),
        Err(err) => Err(err.into()),
    }
}

/// The system accepts a finding's demand and dispatches it to `unit_id`.
pub async fn dispatch_finding<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ctx: &Context<'_>,
    demand_id: i64,
    unit_id: i64,
    note: &str,
) -> ApiResult<()> {
    let accept = Move {
        note: Some(note.to_owned()),
        ..Move::default()
    };
    demands::act_in(db, ctx, None, demand_id, Action::Accept, accept).await?;
    demands::act_in(
        db,
        ctx,
        None,
        demand_id,
        Action::Assign,
        Move {
            unit_id: Some(unit_id),
            ..Move::default()
        },
    )
    .await?;
    Ok(())
}

/// Validates and stores a scorecard submission of the caller's enterprise, and files a demand
/// for each finding.
pub async fn submit_scorecard(
    db: &DatabaseConnection,
    settings: &Settings,
    auth: &Principal,
    e: &event::Model,
    answers: &HashMap<String, Value>,
) -> ApiResult<(form_submission::Model, Vec<i64>)> {
    let enterprise_id = auth.enterprise_ids().next().ok_or_else(|| ApiError::Forbidden {
        code: "no_enterprise",
        message: "出卷由受邀企业填写，请先绑定企业".into(),
    })?;
    let (template_id, template) = crate::service::forms::of_event(db, e).await?;
    let template = &template;
    let ctx = &Context::load(db, settings).await?;
    let valid = template.validate(answers).map_err(ApiError::invalid)?;
    let findings = valid.findings(template);
    let butler_id = enterprises::get(db, enterprise_id).await?.butler_user_id;
    let photos = files::check(
        db,
        Uploader::Person(auth.id),
        &FileRefs::of_answers(&valid.answers),
        usize::MAX,
        None,
    )
    .await?;
    let txn = crate::service::begin_write(db).await?;
    let stored = StoredSubmission {
        event_id: e.id,
        template_id,
        submitter_id: auth.id,
        enterprise_id: Some(enterprise_id),
        assignment_id: None,
        once_key: format!("scorecard:{}:{enterprise_id}", e.id),
        valid: &valid,
        findings: &findings,
    };
    let submission = store(&txn, stored, "贵企业已提交过本轮出卷").await?;
    photos.attach(&txn, AttachedTo::Submission(submission.id)).await?;
    let mut demand_ids = Vec::new();
    for qid in &findings {
        let Some(q) = template.questions().find(|q| &q.id == qid) else {
            continue;
        };
        let Some(v) = valid.answers.get(qid) else { continue };
        let title: String = format!("出卷发现：{}", q.title).chars().take(50).collect();
        let d = demands::create(
            &txn,
            ctx,
            Actor {
                id: Some(auth.id),
                role: auth.roles.first().map(|r| r.role),
                unit_id: None,
            },
            NewDemand {
                kind: Kind::Problem,
                environment: q.environment.unwrap_or(Environment::Service),
                channel: Channel::Scorecard,
                title,
                content: format!(
                    "{}（{}）\n{}",
                    e.title,
                    e.theme.clone().unwrap_or_default(),
                    describe(q, v)
                ),
                anonymous: false,
                enterprise_id: Some(enterprise_id),
                butler_id,
                submitter_id: Some(auth.id),
                caller_phone: None,
                origin: Some((Origin::Submission, format!("{}:{qid}", submission.id))),
                files: Default::default(),
                content_check: ContentCheck::System,
                request_key: None,
            },
        )
        .await?;
        // A question that assesses a unit sends its finding straight to that unit.
        if let Some(unit) = match q.unit_code.as_deref() {
            Some(code) => {
                unit::Entity::find()
                    .filter(unit::Column::Code.eq(code))
                    .one(&txn)
                    .await?
            }
            None => None,
        } {
            dispatch_finding(&txn, ctx, d.id, unit.id, "出卷发现，系统受理").await?;
        }
        demand_ids.push(d.id);
    }
    txn.commit().await?;
    Ok((submission, demand_ids))
}

/// A finding's demand as the results show it: what was found and how it was answered (no
/// enterprise: the results are shown to every participant).
#[derive(Debug, Clone)]
pub struct FindingOutcome {
    pub question: String,
    pub demand: entity::demand::Model,
    pub unit_name: Option<String>,
}

pub async fn finding_outcomes(
    db: &impl ConnectionTrait,
    e: &event::Model,
    template: &FormTemplate,
) -> ApiResult<Vec<FindingOutcome>> {
    let subs = form_submission::Entity::find()
        .filter(form_submission::Column::EventId.eq(e.id))
        .all(db)
        .await?;
    let keys: Vec<String> = subs
        .iter()
        .flat_map(|s| {
            let findings: Vec<String> = serde_json::from_value(s.findings.clone()).unwrap_or_default();
            findings.into_iter().map(move |q| format!("{}:{q}", s.id))
        })
        .collect();
    let demands = entity::demand::Entity::find()
        .filter(entity::demand::Column::OriginType.eq("submission"))
        .filter(entity::demand::Column::OriginId.is_in(keys))
        .all(db)
        .await?;
    let units = demands::unit_names(db, demands.iter().filter_map(|d| d.unit_id)).await?;
    Ok(demands
        .into_iter()
        .map(|d| {
            let qid = d
                .origin_id
                .as_deref()
                .and_then(|o| o.split_once(':'))
                .map(|(_, q)| q.to_owned())
                .unwrap_or_default();
            FindingOutcome {
                question: template
                    .questions()
                    .find(|q| q.id == qid)
                    .map(|q| q.title.clone())
                    .unwrap_or_default(),
                unit_name: d.unit_id.and_then(|u| units.get(&u).cloned()),
                demand: d,
            }
        })
        .collect())
}

/// One question's answers counted by value.
#[derive(Debug, Clone)]
pub struct QuestionResult {
    pub id: String,
    pub title: String,
    pub answered: usize,
    /// (label, count) in the order of the possible answers.
    pub distribution: Vec<(String, usize)>,
    /// Mean score on 0–100, for scored questions.
    pub mean: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Results {
    pub submissions: usize,
    pub invited: usize,
    pub environments: Vec<(Environment, f64, usize)>,
    /// (unit code, unit name, mean 0–100)
    pub units: Vec<(String, String, f64)>,
    pub questions: Vec<QuestionResult>,
}

fn to_100(sum: f64, weight: f64) -> f64 {
    (sum / weight * 1000.0).round() / 10.0
}

pub async fn results(db: &impl ConnectionTrait, e: &event::Model, template: &FormTemplate) -> ApiResult<Results> {
    let subs = form_submission::Entity::find()
        .filter(form_submission::Column::EventId.eq(e.id))
        .all(db)
        .await?;
    let valid: Vec<ValidAnswers> = subs
        .iter()
        .map(|s| ValidAnswers {
            answers: serde_json::from_value(s.answers.clone()).unwrap_or_default(),
        })
        .collect();
    let mut env_sums: HashMap<Environment, (f64, f64, usize)> = HashMap::new();
    let mut unit_sums: HashMap<String, (f64, f64)> = HashMap::new();
    for v in &valid {
        for (env, (s, w)) in v.weighted_by(template, |q| q.environment) {
            let entry = env_sums.entry(env).or_insert((0.0, 0.0, 0));
            entry.0 += s;
            entry.1 += w;
            entry.2 += 1;
        }
        for (code, (s, w)) in v.by_unit(template, None) {
            let entry = unit_sums.entry(code).or_insert((0.0, 0.0));
            entry.0 += s;
            entry.1 += w;
        }
    }
    let mut environments: Vec<(Environment, f64, usize)> = env_sums
        .into_iter()
        .map(|(env, (s, w, n))| (env, to_100(s, w), n))
        .collect();
    environments.sort_by_key(|(env, ..)| Environment::ALL.iter().position(|x| x == env));
    let names: HashMap<String, String> = unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let mut units: Vec<(String, String, f64)> = unit_sums
        .into_iter()
        .map(|(code, (s, w))| {
            let name = names.get(&code).cloned().unwrap_or_else(|| code.clone());
            (code, name, to_100(s, w))
        })
        .collect();
    units.sort_by(|a, b| a.0.cmp(&b.0));
    let questions = template
        .questions()
        .map(|q| {
            let answers: Vec<&Value> = valid.iter().filter_map(|v| v.answers.get(&q.id)).collect();
            let count = |pred: &dyn Fn(&Value) -> bool| answers.iter().filter(|a| pred(a)).count();
            let distribution: Vec<(String, usize)> = match q.kind {
                QuestionType::YesNo => {
                    vec![
                        ("是".into(), count(&|a| a == &Value::Bool(true))),
                        ("否".into(), count(&|a| a == &Value::Bool(false))),
                    ]
                }
                QuestionType::Rating => (1..=5u64)
                    .map(|r| (format!("{r} 分"), count(&|a| a.as_u64() == Some(r))))
                    .collect(),
                QuestionType::SingleChoice | QuestionType::MultipleChoice => q
                    .options
                    .as_deref()
                    .unwrap_or_default()
                    .iter()
                    .map(|o| {
                        let hit = |a: &Value| match a {
                            Value::Array(items) => items.iter().any(|i| i.as_str() == Some(o.value.as_str())),
                            other => other.as_str() == Some(o.value.as_str()),
                        };
                        (o.label.clone(), count(&hit))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let scores: Vec<f64> = valid.iter().filter_map(|v| v.score(q)).collect();
            #[allow(clippy::cast_precision_loss)]
            let mean = (!scores.is_empty())
                .then(|| (scores.iter().sum::<f64>() / scores.len() as f64 * 1000.0).round() / 10.0);
            QuestionResult {
                id: q.id.clone(),
                title: q.title.clone(),
                answered: answers.len(),
                distribution,
                mean,
            }
        })
        .collect();
    Ok(Results {
        submissions: subs.len(),
        invited: crate::service::events::invited(db, e.id).await?.len(),
        environments,
        units,
        questions,
    })
}

pub async fn publish_results(db: &impl ConnectionTrait, e: &event::Model) -> ApiResult<event::Model> {
    let mut active: event::ActiveModel = e.clone().into();
    active.results_published_at = Set(Some(Utc::now()));
    Ok(active.update(db).await?)
}

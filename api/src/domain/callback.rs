//! The new-enterprise call-back form (docs/design.md section 7), built on the form engine: the
//! start-up basics (bank account, tax set-up, invoices), which of the enterprise's matched
//! policies it knows, and its needs. A "no" to a basic or a stated need is a problem found; the
//! need becomes a demand. Pure: the caller supplies the matched policies.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::domain::FieldError;
use crate::domain::form::{ChoiceOption, FindingRule, FormTemplate, Question, QuestionType, Section, ValidAnswers};

pub use entity::codes::CallbackStatus;

/// What one call came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Reached,
    NotReached,
    Refused,
}

/// The task's status after a call: reached or refused ends it; a call not answered leaves it
/// open until the `max_attempts`-th, which ends it as unreachable.
pub fn status_after(outcome: Outcome, attempts: i32, max_attempts: i32) -> CallbackStatus {
    match outcome {
        Outcome::Reached => CallbackStatus::Reached,
        Outcome::Refused => CallbackStatus::Refused,
        Outcome::NotReached if attempts >= max_attempts => CallbackStatus::Unreachable,
        Outcome::NotReached => CallbackStatus::Open,
    }
}

pub const BANK_ACCOUNT: &str = "bank_account";
pub const TAX_SETUP: &str = "tax_setup";
pub const INVOICES: &str = "invoices";
pub const KNOWN_POLICIES: &str = "known_policies";
pub const NEEDS: &str = "needs";
pub const NEEDS_MAX_CHARS: usize = 2000;

fn question(id: &str, kind: QuestionType, title: &str) -> Question {
    Question {
        id: id.to_owned(),
        kind,
        title: title.to_owned(),
        help: None,
        required: false,
        environment: None,
        unit_code: None,
        weight: None,
        options: None,
        min_selected: None,
        max_selected: None,
        min: None,
        max: None,
        integer: None,
        unit: None,
        max_length: None,
        min_count: None,
        max_count: None,
        require_capture_time: None,
        show_if: None,
        finding: None,
    }
}

fn basic(id: &str, title: &str, help: &str) -> Question {
    Question {
        required: true,
        help: Some(help.to_owned()),
        finding: Some(FindingRule::No),
        ..question(id, QuestionType::YesNo, title)
    }
}

/// The form for one enterprise; `matched` are its matched policies (id, title), best first.
/// Without any, the awareness question is left out.
pub fn form(matched: &[(i64, String)]) -> FormTemplate {
    let mut sections = vec![Section {
        id: "basics".to_owned(),
        title: "开办情况".to_owned(),
        description: Some("了解企业开办后的基本事项是否已办妥".to_owned()),
        questions: vec![
            basic(BANK_ACCOUNT, "银行账户是否已开立？", "基本存款账户"),
            basic(TAX_SETUP, "税务登记与税种核定是否已完成？", "含财务会计制度备案"),
            basic(INVOICES, "是否已能正常开具发票？", "含税控设备或数电发票"),
        ],
    }];
    if !matched.is_empty() {
        sections.push(Section {
            id: "policies".to_owned(),
            title: "政策知晓".to_owned(),
            description: Some("以下政策与企业画像匹配，请勾选企业已经了解的".to_owned()),
            questions: vec![Question {
                options: Some(
                    matched
                        .iter()
                        .map(|(id, title)| ChoiceOption {
                            value: id.to_string(),
                            label: title.clone(),
                            score: None,
                        })
                        .collect(),
                ),
                ..question(KNOWN_POLICIES, QuestionType::MultipleChoice, "企业已了解的政策")
            }],
        });
    }
    sections.push(Section {
        id: "needs".to_owned(),
        title: "企业需求".to_owned(),
        description: Some("企业提出的困难或需求将转为诉求办理".to_owned()),
        questions: vec![Question {
            max_length: Some(NEEDS_MAX_CHARS),
            finding: Some(FindingRule::AnyText),
            ..question(NEEDS, QuestionType::Text, "企业有哪些困难或需求？")
        }],
    });
    FormTemplate { sections }
}

/// What a reached call recorded: the answers, and what the figures need of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallRecord {
    /// Answers by question id.
    pub answers: HashMap<String, Value>,
    /// Policies matched to the enterprise when it was asked.
    pub matched_policies: u32,
    /// Of those, the ones it knew.
    pub known_policies: u32,
    /// Question ids whose answers are problems (a "no" to a basic, a stated need).
    pub problems: Vec<String>,
}

impl CallRecord {
    /// The stated need, trimmed, when there is one.
    pub fn need(&self) -> Option<&str> {
        self.answers
            .get(NEEDS)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// Validates a reached call's answers against the enterprise's form.
pub fn record(template: &FormTemplate, answers: &HashMap<String, Value>) -> Result<CallRecord, Vec<FieldError>> {
    let valid: ValidAnswers = template.validate(answers)?;
    let matched = template
        .questions()
        .find(|q| q.id == KNOWN_POLICIES)
        .and_then(|q| q.options.as_ref())
        .map_or(0, Vec::len);
    let known = valid
        .answers
        .get(KNOWN_POLICIES)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    Ok(CallRecord {
        problems: valid.findings(template),
        matched_policies: u32::try_from(matched).unwrap_or(u32::MAX),
        known_policies: u32::try_from(known).unwrap_or(u32::MAX),
        answers: valid.answers,
    })
}

/// The programme's figures for a period.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
#[schema(as = CallbackFigures)]
pub struct Figures {
    /// New enterprises (tasks created).
    pub new: u64,
    /// Reached on or before their due date.
    pub called_back_in_time: u64,
    /// called back in time ÷ new.
    pub coverage: Option<f64>,
    pub reached: u64,
    pub refused: u64,
    pub unreachable: u64,
    pub open: u64,
    /// Reached calls that found a problem: a basic not done (bank account, tax set-up,
    /// invoices) or a stated need.
    pub problems_found: u64,
    /// Needs that became demands.
    pub demands_created: u64,
    /// Policies the enterprises knew ÷ policies matched to them, over reached calls that asked.
    pub awareness: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answers(v: Value) -> HashMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn the_form_is_a_valid_template_with_the_matched_policies_as_options() {
        let f = form(&[(7, "人才补贴".into()), (9, "首贷贴息".into())]);
        f.check().unwrap();
        let q = f.questions().find(|q| q.id == KNOWN_POLICIES).unwrap();
        let values: Vec<&str> = q.options.as_ref().unwrap().iter().map(|o| o.value.as_str()).collect();
        assert_eq!(values, ["7", "9"]);
        let bare = form(&[]);
        bare.check().unwrap();
        assert!(bare.questions().all(|q| q.id != KNOWN_POLICIES));
    }

    #[test]
    fn a_no_and_a_need_are_problems_and_awareness_counts_known_of_matched() {
        let f = form(&[(7, "人才补贴".into()), (9, "首贷贴息".into())]);
        let r = record(
            &f,
            &answers(json!({"bank_account": true, "tax_setup": true, "invoices": false, "known_policies": ["9"], "needs": " 不会开发票 "})),
        )
        .unwrap();
        assert_eq!(r.problems, [INVOICES, NEEDS]);
        assert_eq!((r.known_policies, r.matched_policies), (1, 2));
        assert_eq!(r.need(), Some("不会开发票"));

        let fine = record(
            &f,
            &answers(json!({"bank_account": true, "tax_setup": true, "invoices": true})),
        )
        .unwrap();
        assert!(fine.problems.is_empty());
        assert_eq!((fine.known_policies, fine.need()), (0, None));
    }

    #[test]
    fn bad_answers_name_the_question() {
        let f = form(&[(7, "人才补贴".into())]);
        let errors = record(
            &f,
            &answers(json!({"bank_account": true, "invoices": "yes", "known_policies": ["8"], "extra": 1})),
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "answers.tax_setup",
            "answers.invoices",
            "answers.known_policies",
            "answers.extra",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }
}

//! The form engine of the engagement programs (docs/design.md section 4): one template model for
//! checklists and scorecards, answer validation naming the question, skip logic, findings
//! (answers that become demands) and weighted scores per environment. Pure: no database.
//! The mini-program's `utils/form.ts` applies the same rules before sending.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::domain::FieldError;
use crate::domain::demand::Environment;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FormTemplate {
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    YesNo,
    SingleChoice,
    MultipleChoice,
    Rating,
    Number,
    Text,
    Photo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
    pub score: Option<f64>,
}

/// Show the question only when an earlier answer has a given value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ShowIf {
    pub question_id: String,
    pub equals: Option<Value>,
    #[serde(rename = "in")]
    pub any_of: Option<Vec<Value>>,
}

/// Which answers are findings (they become demands).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "when", rename_all = "snake_case", deny_unknown_fields)]
pub enum FindingRule {
    /// A yes/no answered "no".
    No,
    /// A rating at or below `value`.
    RatingAtMost { value: u8 },
    /// Any non-empty text.
    AnyText,
    /// A chosen option among `values`.
    OptionIn { values: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Question {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub title: String,
    pub help: Option<String>,
    #[serde(default)]
    pub required: bool,
    pub environment: Option<Environment>,
    /// The unit the question assesses (its code, e.g. `tax`), for per-unit results.
    pub unit_code: Option<String>,
    pub weight: Option<f64>,
    pub options: Option<Vec<ChoiceOption>>,
    pub min_selected: Option<usize>,
    pub max_selected: Option<usize>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub integer: Option<bool>,
    pub unit: Option<String>,
    pub max_length: Option<usize>,
    pub min_count: Option<usize>,
    pub max_count: Option<usize>,
    pub require_capture_time: Option<bool>,
    pub show_if: Option<ShowIf>,
    pub finding: Option<FindingRule>,
}

/// A photo answer: an uploaded file and when it was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PhotoAnswer {
    pub file_id: String,
    pub captured_at: Option<DateTime<FixedOffset>>,
}

const DEFAULT_TEXT_MAX: usize = 500;
const DEFAULT_PHOTO_MAX: usize = 9;

fn err(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

impl FormTemplate {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    /// Checks a template before it is saved: unique ids, options where needed, sane bounds,
    /// skip logic that points back to an earlier question, finding rules that fit their type.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        if self.questions().next().is_none() {
            errors.push(err("sections", "empty", "表单至少需要一个问题"));
        }
        for (si, section) in self.sections.iter().enumerate() {
            for (qi, q) in section.questions.iter().enumerate() {
                let at = format!("sections[{si}].questions[{qi}]");
                if q.id.trim().is_empty() || !seen.insert(q.id.as_str()) {
                    errors.push(err(&format!("{at}.id"), "duplicate_or_empty", "问题编号不能为空或重复"));
                }
                if q.title.trim().is_empty() {
                    errors.push(err(&format!("{at}.title"), "required", "问题标题不能为空"));
                }
                let choice = matches!(q.kind, QuestionType::SingleChoice | QuestionType::MultipleChoice);
                let options = q.options.as_deref().unwrap_or_default();
                if choice {
                    let values: HashSet<&str> = options.iter().map(|o| o.value.as_str()).collect();
                    if options.len() < 2 || values.len() != options.len() {
                        errors.push(err(
                            &format!("{at}.options"),
                            "invalid_options",
                            "选择题至少需要两个不重复的选项",
                        ));
                    }
                } else if !options.is_empty() {
                    errors.push(err(&format!("{at}.options"), "not_allowed", "只有选择题可以设置选项"));
                }
                if let (Some(min), Some(max)) = (q.min, q.max)
                    && min > max
                {
                    errors.push(err(&format!("{at}.min"), "invalid_range", "最小值不能大于最大值"));
                }
                if q.weight.is_some_and(|w| !(0.0..=100.0).contains(&w)) {
                    errors.push(err(&format!("{at}.weight"), "out_of_range", "权重应在 0 到 100 之间"));
                }
                if let Some(show) = &q.show_if
                    && !(seen.contains(show.question_id.as_str()) && show.question_id != q.id)
                {
                    errors.push(err(
                        &format!("{at}.showIf"),
                        "unknown_question",
                        "显示条件只能引用前面的问题",
                    ));
                }
                let fits = match (&q.finding, q.kind) {
                    (None, _) => true,
                    (Some(FindingRule::No), QuestionType::YesNo) => true,
                    (Some(FindingRule::RatingAtMost { value }), QuestionType::Rating) => (1..=5).contains(value),
                    (Some(FindingRule::AnyText), QuestionType::Text) => true,
                    (
                        Some(FindingRule::OptionIn { values }),
                        QuestionType::SingleChoice | QuestionType::MultipleChoice,
                    ) => values.iter().all(|v| options.iter().any(|o| &o.value == v)),
                    _ => false,
                };
                if !fits {
                    errors.push(err(
                        &format!("{at}.finding"),
                        "invalid_finding",
                        "发现问题的规则与题型不符",
                    ));
                }
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Whether `q` is shown, given the answers so far (a question hidden by a hidden
    /// question is hidden too).
    fn visible(&self, q: &Question, answers: &HashMap<String, Value>, by_id: &HashMap<&str, &Question>) -> bool {
        let Some(show) = &q.show_if else { return true };
        let Some(parent) = by_id.get(show.question_id.as_str()) else {
            return false;
        };
        if !self.visible(parent, answers, by_id) {
            return false;
        }
        let Some(answer) = answers.get(&show.question_id) else {
            return false;
        };
        let matches = |expected: &Value| match answer {
            Value::Array(items) => items.contains(expected),
            other => other == expected,
        };
        show.equals.as_ref().is_some_and(matches) || show.any_of.as_ref().is_some_and(|list| list.iter().any(matches))
    }

    /// Validates answers keyed by question id. Field errors name the question as
    /// `answers.<id>`. Answers to hidden questions are dropped; unknown ids are refused.
    pub fn validate(&self, answers: &HashMap<String, Value>) -> Result<ValidAnswers, Vec<FieldError>> {
        let by_id: HashMap<&str, &Question> = self.questions().map(|q| (q.id.as_str(), q)).collect();
        let mut errors: Vec<FieldError> = answers
            .keys()
            .filter(|k| !by_id.contains_key(k.as_str()))
            .map(|k| err(&format!("answers.{k}"), "unknown_question", "表单中没有这个问题"))
            .collect();
        let mut kept = HashMap::new();
        for q in self.questions() {
            let field = format!("answers.{}", q.id);
            if !self.visible(q, answers, &by_id) {
                continue;
            }
            let answer = answers.get(&q.id).filter(|v| !is_empty(v));
            match answer {
                None if q.required => errors.push(err(&field, "required", "此项为必填项")),
                None => {}
                Some(v) => match check_answer(q, v) {
                    Ok(()) => {
                        kept.insert(q.id.clone(), v.clone());
                    }
                    Err((code, message)) => errors.push(err(&field, code, message)),
                },
            }
        }
        if errors.is_empty() {
            Ok(ValidAnswers { answers: kept })
        } else {
            Err(errors)
        }
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn check_answer(q: &Question, v: &Value) -> Result<(), (&'static str, String)> {
    let options = q.options.as_deref().unwrap_or_default();
    let known = |s: &str| options.iter().any(|o| o.value == s);
    match q.kind {
        QuestionType::YesNo => v.as_bool().map(|_| ()).ok_or(("invalid_type", "请选择是或否".into())),
        QuestionType::SingleChoice => match v.as_str() {
            Some(s) if known(s) => Ok(()),
            _ => Err(("invalid_choice", "请选择一个有效选项".into())),
        },
        QuestionType::MultipleChoice => {
            let chosen: Vec<&str> = v
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let distinct: HashSet<&str> = chosen.iter().copied().collect();
            if chosen.is_empty()
                || chosen.len() != v.as_array().map_or(0, Vec::len)
                || distinct.len() != chosen.len()
                || !chosen.iter().all(|s| known(s))
            {
                return Err(("invalid_choice", "请选择有效且不重复的选项".into()));
            }
            if q.min_selected.is_some_and(|m| chosen.len() < m) || q.max_selected.is_some_and(|m| chosen.len() > m) {
                return Err((
                    "out_of_range",
                    format!(
                        "请选择 {} 到 {} 项",
                        q.min_selected.unwrap_or(1),
                        q.max_selected.unwrap_or(options.len())
                    ),
                ));
            }
            Ok(())
        }
        QuestionType::Rating => match v.as_u64() {
            Some(r) if (1..=5).contains(&r) => Ok(()),
            _ => Err(("out_of_range", "评分应为 1 到 5 的整数".into())),
        },
        QuestionType::Number => {
            let n = v.as_f64().ok_or(("invalid_type", "请填写数字".to_owned()))?;
            if q.integer == Some(true) && n.fract() != 0.0 {
                return Err(("invalid_type", "请填写整数".into()));
            }
            let unit = q.unit.clone().unwrap_or_default();
            if q.min.is_some_and(|m| n < m) || q.max.is_some_and(|m| n > m) {
                return Err((
                    "out_of_range",
                    format!(
                        "应在 {}{unit} 到 {}{unit} 之间",
                        q.min.map_or("-∞".into(), |m| m.to_string()),
                        q.max.map_or("∞".into(), |m| m.to_string())
                    ),
                ));
            }
            Ok(())
        }
        QuestionType::Text => {
            let s = v.as_str().ok_or(("invalid_type", "请填写文字".to_owned()))?;
            let max = q.max_length.unwrap_or(DEFAULT_TEXT_MAX);
            if s.trim().chars().count() > max {
                Err(("too_long", format!("不能超过 {max} 个字")))
            } else {
                Ok(())
            }
        }
        QuestionType::Photo => {
            let photos: Vec<PhotoAnswer> =
                serde_json::from_value(v.clone()).map_err(|_| ("invalid_type", "照片格式不正确".to_owned()))?;
            let (min, max) = (q.min_count.unwrap_or(0), q.max_count.unwrap_or(DEFAULT_PHOTO_MAX));
            if photos.len() < min || photos.len() > max {
                return Err(("out_of_range", format!("请上传 {min} 到 {max} 张照片")));
            }
            if photos.iter().any(|p| p.file_id.parse::<i64>().is_err()) {
                return Err(("invalid_type", "照片的文件编号不正确".into()));
            }
            if q.require_capture_time == Some(true) && photos.iter().any(|p| p.captured_at.is_none()) {
                return Err(("capture_time_required", "照片须带拍摄时间".into()));
            }
            Ok(())
        }
    }
}

/// Answers that passed validation (hidden questions dropped).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidAnswers {
    pub answers: HashMap<String, Value>,
}

impl ValidAnswers {
    /// Ids of the questions whose answer is a finding, in template order.
    pub fn findings(&self, template: &FormTemplate) -> Vec<String> {
        template
            .questions()
            .filter(|q| {
                let Some(v) = self.answers.get(&q.id) else { return false };
                match &q.finding {
                    Some(FindingRule::No) => v.as_bool() == Some(false),
                    Some(FindingRule::RatingAtMost { value }) => v.as_u64().is_some_and(|r| r <= u64::from(*value)),
                    Some(FindingRule::AnyText) => v.as_str().is_some_and(|s| !s.trim().is_empty()),
                    Some(FindingRule::OptionIn { values }) => match v {
                        Value::Array(a) => a
                            .iter()
                            .any(|x| x.as_str().is_some_and(|s| values.iter().any(|w| w == s))),
                        other => other.as_str().is_some_and(|s| values.iter().any(|w| w == s)),
                    },
                    None => false,
                }
            })
            .map(|q| q.id.clone())
            .collect()
    }

    /// A question's score on 0..=1: yes = 1 / no = 0; rating (r − 1) ÷ 4; a choice's score ÷ the
    /// best option's score. Unscored questions give None.
    pub fn score(&self, q: &Question) -> Option<f64> {
        let v = self.answers.get(&q.id)?;
        match q.kind {
            QuestionType::YesNo => v.as_bool().map(|b| if b { 1.0 } else { 0.0 }),
            #[allow(clippy::cast_precision_loss)]
            QuestionType::Rating => v.as_u64().map(|r| (r as f64 - 1.0) / 4.0),
            QuestionType::SingleChoice => {
                let options = q.options.as_deref()?;
                let best = options.iter().filter_map(|o| o.score).fold(f64::NAN, f64::max);
                let chosen = options.iter().find(|o| Some(o.value.as_str()) == v.as_str())?.score?;
                (best > 0.0).then(|| chosen / best)
            }
            _ => None,
        }
    }

    /// Weighted mean score (0..=1) per environment over the scored questions that carry one.
    pub fn environment_scores(&self, template: &FormTemplate) -> HashMap<Environment, f64> {
        self.weighted_by(template, |q| q.environment)
            .into_iter()
            .map(|(k, (s, w))| (k, s / w))
            .collect()
    }

    /// Weighted (score × weight, weight) sums per key, over the scored questions that have a key;
    /// sums add up across submissions.
    /// Weighted scores per assessed unit: a question's own unit where it names one, else the
    /// unit the whole form assesses (a mystery-shopper report's target's unit).
    pub fn by_unit(&self, template: &FormTemplate, assessed: Option<&str>) -> HashMap<String, (f64, f64)> {
        self.weighted_by(template, |q| {
            q.unit_code.clone().or_else(|| assessed.map(str::to_owned))
        })
    }

    pub fn weighted_by<K: std::hash::Hash + Eq>(
        &self,
        template: &FormTemplate,
        key: impl Fn(&Question) -> Option<K>,
    ) -> HashMap<K, (f64, f64)> {
        let mut sums: HashMap<K, (f64, f64)> = HashMap::new();
        for q in template.questions() {
            let (Some(k), Some(score)) = (key(q), self.score(q)) else {
                continue;
            };
            let w = q.weight.unwrap_or(1.0);
            if w <= 0.0 {
                continue;
            }
            let e = sums.entry(k).or_insert((0.0, 0.0));
            e.0 += score * w;
            e.1 += w;
        }
        sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A checklist with one question of every type, skip logic and findings.
    fn template() -> FormTemplate {
        serde_json::from_value(json!({
            "sections": [{
                "id": "s1", "title": "窗口服务",
                "questions": [
                    {"id": "queue", "type": "yes_no", "title": "是否有叫号系统", "required": true, "environment": "service", "weight": 2, "finding": {"when": "no"}},
                    {"id": "why", "type": "text", "title": "没有叫号系统时如何排队", "required": true, "showIf": {"questionId": "queue", "equals": false}, "maxLength": 10, "finding": {"when": "any_text"}},
                    {"id": "attitude", "type": "rating", "title": "工作人员态度", "required": true, "environment": "service", "finding": {"when": "rating_at_most", "value": 2}},
                    {"id": "guide", "type": "single_choice", "title": "办事指南是否清楚", "required": false, "environment": "policy",
                     "options": [{"value": "clear", "label": "清楚", "score": 5}, {"value": "vague", "label": "模糊", "score": 2}, {"value": "none", "label": "没有", "score": 0}],
                     "finding": {"when": "option_in", "values": ["none"]}},
                    {"id": "channels", "type": "multiple_choice", "title": "可用的办理渠道", "required": false, "maxSelected": 2,
                     "options": [{"value": "window", "label": "窗口"}, {"value": "online", "label": "网上"}, {"value": "app", "label": "小程序"}]},
                    {"id": "wait", "type": "number", "title": "等候时间", "required": true, "min": 0, "max": 600, "integer": true, "unit": "分钟"},
                    {"id": "photos", "type": "photo", "title": "现场照片", "required": true, "minCount": 1, "maxCount": 2, "requireCaptureTime": true}
                ]
            }]
        }))
        .unwrap()
    }

    fn answers(v: Value) -> HashMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    fn good() -> Value {
        json!({
            "queue": true, "attitude": 4, "guide": "clear", "channels": ["window", "online"], "wait": 15,
            "photos": [{"fileId": "9", "capturedAt": "2026-11-28T10:00:00+08:00"}]
        })
    }

    fn codes(result: Result<ValidAnswers, Vec<FieldError>>) -> Vec<(String, String)> {
        result.unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn with(key: &str, value: Value) -> HashMap<String, Value> {
        let mut a = answers(good());
        a.insert(key.to_owned(), value);
        a
    }

    #[test]
    fn the_template_is_sound_and_a_good_answer_passes() {
        let t = template();
        assert_eq!(t.check(), Ok(()));
        let valid = t.validate(&answers(good())).unwrap();
        assert!(valid.findings(&t).is_empty());
    }

    #[test]
    fn a_missing_required_answer_names_the_question() {
        let mut a = answers(good());
        a.remove("attitude");
        assert_eq!(
            codes(template().validate(&a)),
            [("answers.attitude".into(), "required".into())]
        );
        a.insert("attitude".into(), Value::Null);
        assert_eq!(
            codes(template().validate(&a)),
            [("answers.attitude".into(), "required".into())]
        );
    }

    #[test]
    fn every_type_refuses_what_does_not_fit() {
        let t = template();
        let cases = [
            ("queue", json!("yes"), "invalid_type"),
            ("attitude", json!(7), "out_of_range"),
            ("attitude", json!(0), "out_of_range"),
            ("attitude", json!(3.5), "out_of_range"),
            ("guide", json!("maybe"), "invalid_choice"),
            ("channels", json!(["window", "window"]), "invalid_choice"),
            ("channels", json!(["window", "online", "app"]), "out_of_range"),
            ("channels", json!(["fax"]), "invalid_choice"),
            ("wait", json!(601), "out_of_range"),
            ("wait", json!(-1), "out_of_range"),
            ("wait", json!(1.5), "invalid_type"),
            ("wait", json!("ten"), "invalid_type"),
            ("photos", json!([{"fileId": "9"}]), "capture_time_required"),
            (
                "photos",
                json!([{"fileId": "1", "capturedAt": "2026-11-28T10:00:00+08:00"}, {"fileId": "2", "capturedAt": "2026-11-28T10:00:00+08:00"}, {"fileId": "3", "capturedAt": "2026-11-28T10:00:00+08:00"}]),
                "out_of_range",
            ),
            ("photos", json!("a.jpg"), "invalid_type"),
        ];
        for (key, value, code) in cases {
            assert_eq!(
                codes(t.validate(&with(key, value.clone()))),
                [(format!("answers.{key}"), code.to_owned())],
                "{key} = {value}"
            );
        }
        assert_eq!(
            codes(t.validate(&with("bogus", json!(1)))),
            [("answers.bogus".into(), "unknown_question".into())]
        );
    }

    #[test]
    fn skip_logic_shows_a_question_only_when_its_condition_holds() {
        let t = template();
        // "why" is hidden while the queue exists: not required, and an answer to it is dropped.
        let valid = t.validate(&with("why", json!("随便排"))).unwrap();
        assert!(!valid.answers.contains_key("why"));
        // No queue: "why" is shown and required, and its length limit applies.
        assert_eq!(
            codes(t.validate(&with("queue", json!(false)))),
            [("answers.why".into(), "required".into())]
        );
        let mut a = with("queue", json!(false));
        a.insert("why".into(), json!("排队全靠自觉，经常有人插队，现场非常混乱"));
        assert_eq!(codes(t.validate(&a)), [("answers.why".into(), "too_long".into())]);
    }

    #[test]
    fn findings_follow_each_rule() {
        let t = template();
        let mut a = with("queue", json!(false));
        a.insert("why".into(), json!("靠自觉"));
        a.insert("attitude".into(), json!(2));
        a.insert("guide".into(), json!("none"));
        let valid = t.validate(&a).unwrap();
        assert_eq!(valid.findings(&t), ["queue", "why", "attitude", "guide"]);
        let fine = t.validate(&with("attitude", json!(3))).unwrap();
        assert!(fine.findings(&t).is_empty());
    }

    #[test]
    fn scores_are_weighted_per_environment() {
        let t = template();
        let mut a = with("attitude", json!(5));
        a.insert("guide".into(), json!("vague"));
        let valid = t.validate(&a).unwrap();
        let scores = valid.environment_scores(&t);
        // service: queue yes (1.0, weight 2) and attitude 5 (1.0, weight 1) → 1.0
        assert!((scores[&Environment::Service] - 1.0).abs() < 1e-9);
        // policy: vague = 2 of a best 5.
        assert!((scores[&Environment::Policy] - 0.4).abs() < 1e-9);
        let low = t
            .validate(
                &with("queue", json!(false))
                    .into_iter()
                    .chain([("why".to_owned(), json!("x")), ("attitude".to_owned(), json!(1))])
                    .collect(),
            )
            .unwrap();
        assert!((low.environment_scores(&t)[&Environment::Service] - 0.0).abs() < 1e-9);
    }

    #[test]
    fn unsound_templates_are_refused_with_the_place() {
        let bad: FormTemplate = serde_json::from_value(json!({"sections": [{"id": "s", "title": "t", "questions": [
            {"id": "a", "type": "single_choice", "title": "x", "options": [{"value": "1", "label": "一"}]},
            {"id": "a", "type": "rating", "title": "y", "finding": {"when": "no"}},
            {"id": "c", "type": "number", "title": "z", "min": 5, "max": 1, "showIf": {"questionId": "d", "equals": 1}},
            {"id": "d", "type": "text", "title": "w", "options": [{"value": "1", "label": "一"}, {"value": "2", "label": "二"}]}
        ]}]}))
        .unwrap();
        let fields: Vec<String> = bad
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| format!("{} {}", e.field, e.code))
            .collect();
        assert_eq!(
            fields,
            [
                "sections[0].questions[0].options invalid_options",
                "sections[0].questions[1].id duplicate_or_empty",
                "sections[0].questions[1].finding invalid_finding",
                "sections[0].questions[2].min invalid_range",
                "sections[0].questions[2].showIf unknown_question",
                "sections[0].questions[3].options not_allowed",
            ]
        );
        assert!(serde_json::from_value::<FormTemplate>(json!({"sections": [{"id": "s", "title": "t", "questions": [{"id": "a", "type": "slider", "title": "x"}]}]})).is_err());
    }
}

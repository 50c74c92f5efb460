//! The shared form cases (`form_cases.json`) run through the server's form engine. The
//! mini-program and the console run the same file through their own rules, so a rule changed
//! on one side only fails a test.
#![allow(clippy::unwrap_used)]
use std::collections::HashMap;

use api::domain::form::FormTemplate;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
struct Cases {
    form: FormTemplate,
    base: Map<String, Value>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    answers: Map<String, Value>,
    errors: Vec<Expected>,
    findings: Option<Vec<String>>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Expected {
    field: String,
    code: String,
}

fn cases() -> Cases {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/form_cases.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_form_of_the_cases_is_a_valid_template() {
    let checked = cases().form.check();
    assert!(checked.is_ok(), "{checked:?}");
}

#[test]
fn the_server_agrees_with_every_shared_case() {
    let all = cases();
    assert!(all.cases.len() >= 30, "the shared cases shrank to {}", all.cases.len());
    let mut failures = Vec::new();
    for case in &all.cases {
        // The case's answers over the base answers; the keys the case names come last, so
        // an unknown key's error (reported before the form's questions) keeps its place.
        let mut answers: HashMap<String, Value> = all.base.clone().into_iter().collect();
        answers.extend(case.answers.clone());
        let (errors, findings) = match all.form.validate(&answers) {
            Ok(valid) => (Vec::new(), Some(valid.findings(&all.form))),
            Err(errors) => (
                errors
                    .into_iter()
                    .map(|e| Expected {
                        field: e.field,
                        code: e.code,
                    })
                    .collect(),
                None,
            ),
        };
        if errors != case.errors {
            failures.push(format!("{}: errors {errors:?}, expected {:?}", case.name, case.errors));
        }
        if let (Some(expected), Some(found)) = (&case.findings, &findings)
            && expected != found
        {
            failures.push(format!("{}: findings {found:?}, expected {expected:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

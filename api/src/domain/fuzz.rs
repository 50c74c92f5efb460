//! Property-based fuzzing of the parsers that read what people and other systems send: USCCs,
//! phone numbers, dates and milestones from sheets, form answers. Each runs a bounded number of
//! cases on every `cargo test`; none may panic, and what parses must be what was meant.
#![cfg(test)]

use std::collections::HashMap;

use proptest::prelude::*;
use serde_json::Value;

use crate::domain::callback;
use crate::domain::form::FormTemplate;
use crate::domain::{phone, plan, registry, uscc};

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Any JSON value, a few levels deep, with Chinese, emoji, RTL and zero-width text.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[\\PC\u{200b}\u{202e}\u{1F600}税]{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::hash_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn template() -> FormTemplate {
    callback::form(&[(7, "人才补贴".to_owned()), (9, "首贷贴息".to_owned())])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn uscc_parsing_never_panics(input in "\\PC{0,30}") {
        let _ = uscc::Uscc::parse(&input);
    }

    #[test]
    fn a_uscc_with_its_check_digit_parses_and_a_wrong_one_does_not(body in proptest::collection::vec(0usize..31, 17), wrong in 1usize..31) {
        let first17: String = body.iter().map(|&i| ALPHABET.as_bytes()[i] as char).collect();
        let check = uscc::check_char(first17.as_bytes()).unwrap();
        let good = format!("{first17}{check}");
        prop_assert_eq!(uscc::Uscc::parse(&good).map(|u| u.as_str().to_owned()), Ok(good.clone()));
        let at = ALPHABET.find(check).unwrap();
        let other = ALPHABET.as_bytes()[(at + wrong) % 31] as char;
        let bad = format!("{first17}{other}");
        prop_assert!(uscc::Uscc::parse(&bad).is_err());
    }

    #[test]
    fn phone_parsing_never_panics_and_keeps_only_mobile_numbers(input in "\\PC{0,24}") {
        if let Some(p) = phone::parse(&input) {
            prop_assert_eq!(p.len(), 11);
            prop_assert!(p.starts_with('1') && p.bytes().all(|b| b.is_ascii_digit()));
        }
        let _ = phone::mask(&input);
    }

    #[test]
    fn sheet_dates_and_milestones_never_panic(input in "\\PC{0,40}") {
        let _ = registry::parse_date(&input);
        let _ = plan::parse_milestones(&input);
    }

    #[test]
    fn form_answers_never_panic_and_kept_answers_are_known_questions(answers in proptest::collection::hash_map(
        prop_oneof![Just("bank_account".to_owned()), Just("known_policies".to_owned()), Just("needs".to_owned()), "[a-z_]{1,10}"],
        json_value(),
        0..6,
    )) {
        let t = template();
        let answers: HashMap<String, Value> = answers;
        match callback::record(&t, &answers) {
            Ok(r) => {
                for id in r.answers.keys() {
                    prop_assert!(t.questions().any(|q| &q.id == id));
                }
                prop_assert!(r.known_policies <= r.matched_policies);
            }
            Err(errors) => prop_assert!(errors.iter().all(|e| e.field.starts_with("answers."))),
        }
    }
}

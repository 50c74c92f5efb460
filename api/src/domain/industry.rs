//! GB/T 4754-2017 国民经济行业分类, shipped as data (`api/data/gbt4754-2017.json`).
//! Codes carry their section letter: `I` (门类), `I65` (大类), `I651` (中类), `I6513` (小类).
use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Industry {
    pub code: String,
    pub level: u8,
    pub name: String,
}

#[derive(Deserialize)]
struct File {
    classes: Vec<Industry>,
}

static TABLE: LazyLock<HashMap<String, Industry>> = LazyLock::new(|| {
    let file: File =
        serde_json::from_str(include_str!("../../data/gbt4754-2017.json")).unwrap_or(File { classes: Vec::new() });
    file.classes.into_iter().map(|i| (i.code.clone(), i)).collect()
});

/// Any level of the classification.
pub fn lookup(code: &str) -> Option<&'static Industry> {
    TABLE.get(code)
}

/// An enterprise is filed under a class (小类, level 4), e.g. `I6513`.
pub fn class(code: &str) -> Option<&'static Industry> {
    lookup(code).filter(|i| i.level == 4)
}

pub fn count() -> usize {
    TABLE.len()
}

/// The classes, ordered by code (for search and for the digits-only lookup).
static CLASSES: LazyLock<Vec<&'static Industry>> = LazyLock::new(|| {
    let mut classes: Vec<&Industry> = TABLE.values().filter(|i| i.level == 4).collect();
    classes.sort_by(|a, b| a.code.cmp(&b.code));
    classes
});

/// Normalises a class code as registries and people write it: `i6513`, `I 6513` and the bare
/// four digits `6513` (registry exports often omit the section letter, which the digits imply)
/// all give `I6513`. `None` when it names no class.
pub fn normalise_class(input: &str) -> Option<&'static Industry> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) {
        return CLASSES.iter().copied().find(|i| i.code[1..] == code);
    }
    class(&code)
}

/// The names from the section down to this code, e.g. 「信息传输、软件和信息技术服务业 › … › 应用软件开发」.
pub fn path(code: &str) -> String {
    [1, 3, 4, 5]
        .iter()
        .filter(|&&n| n <= code.len())
        .filter_map(|&n| code.get(..n).and_then(lookup))
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join(" › ")
}

/// Classes whose code starts with `q` (the section letter may be left out) or whose name
/// contains it, by code, at most `limit`.
pub fn search(q: &str, limit: usize) -> Vec<&'static Industry> {
    let q = q.trim();
    if q.is_empty() {
        return Vec::new();
    }
    let upper = q.to_ascii_uppercase();
    let digits = upper.bytes().all(|b| b.is_ascii_digit());
    CLASSES
        .iter()
        .copied()
        .filter(|i| i.code.starts_with(&upper) || (digits && i.code[1..].starts_with(&upper)) || i.name.contains(q))
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_is_complete() {
        // 20 sections + 97 divisions + 473 groups + 1380 classes.
        assert_eq!(count(), 1970);
        assert_eq!(TABLE.values().filter(|i| i.level == 4).count(), 1380);
    }

    #[test]
    fn finds_classes_and_refuses_other_levels_as_classes() {
        assert_eq!(class("I6513").map(|i| i.name.as_str()), Some("应用软件开发"));
        assert!(class("I65").is_none());
        assert!(lookup("I65").is_some());
        assert!(class("Z9999").is_none());
    }

    #[test]
    fn normalises_codes_as_registries_write_them() {
        for raw in ["I6513", "i6513", " I 6513 ", "6513"] {
            assert_eq!(normalise_class(raw).map(|i| i.code.as_str()), Some("I6513"), "{raw}");
        }
        assert!(normalise_class("I65").is_none());
        assert!(normalise_class("9999").is_none());
        assert!(normalise_class("").is_none());
    }

    #[test]
    fn searches_by_code_digits_and_name() {
        let codes = |q: &str| search(q, 50).iter().map(|i| i.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes("i651"), vec!["I6511", "I6512", "I6513", "I6519"]);
        assert_eq!(codes("6513"), vec!["I6513"]);
        assert!(codes("应用软件").contains(&"I6513".to_owned()));
        assert!(codes("").is_empty());
        assert_eq!(search("制造", 5).len(), 5);
        assert_eq!(
            path("I6513"),
            "信息传输、软件和信息技术服务业 › 软件和信息技术服务业 › 软件开发 › 应用软件开发"
        );
    }
}

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
}

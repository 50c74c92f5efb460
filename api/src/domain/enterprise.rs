//! Enterprise classification: size (scale) and the butlers' service tier.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    Micro,
    Small,
    Medium,
    Large,
}

impl Scale {
    pub fn code(self) -> &'static str {
        match self {
            Scale::Micro => "micro",
            Scale::Small => "small",
            Scale::Medium => "medium",
            Scale::Large => "large",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Scale::Micro => "微型",
            Scale::Small => "小型",
            Scale::Medium => "中型",
            Scale::Large => "大型",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        [Scale::Micro, Scale::Small, Scale::Medium, Scale::Large]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// How closely a butler serves the enterprise: 重点 (key), 成长 (growth), 一般 (general).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ServiceTier {
    Key,
    Growth,
    General,
}

impl ServiceTier {
    pub fn code(self) -> &'static str {
        match self {
            ServiceTier::Key => "key",
            ServiceTier::Growth => "growth",
            ServiceTier::General => "general",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        [ServiceTier::Key, ServiceTier::Growth, ServiceTier::General]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Trims a list of labels (qualifications, tags), dropping blanks and duplicates.
pub fn clean_labels(labels: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        let label = label.trim();
        if !label.is_empty() && !out.iter().any(|l| l == label) {
            out.push(label.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in ["micro", "small", "medium", "large"] {
            assert_eq!(Scale::parse(s).unwrap().code(), s);
        }
        for t in ["key", "growth", "general"] {
            assert_eq!(ServiceTier::parse(t).unwrap().code(), t);
        }
        assert!(Scale::parse("huge").is_none());
    }

    #[test]
    fn labels_are_trimmed_and_deduplicated() {
        let raw = vec![
            " 高新技术企业".to_owned(),
            "".to_owned(),
            "高新技术企业".to_owned(),
            "专精特新".to_owned(),
        ];
        assert_eq!(clean_labels(&raw), vec!["高新技术企业", "专精特新"]);
    }
}

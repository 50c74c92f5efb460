//! Enterprise classification: size (scale) and the butlers' service tier.

pub use entity::codes::{Scale, ServiceTier};

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

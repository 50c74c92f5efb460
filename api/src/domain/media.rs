//! Media observers' records (DESIGN.md section 7): what an observation is, the publicity
//! levels, and the checks on a publicity link. Pure.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObservationKind {
    /// A problem seen (may become a demand).
    Finding,
    /// A lead for a story.
    Lead,
    /// A comment or suggestion.
    Comment,
}

impl ObservationKind {
    pub const ALL: [Self; 3] = [Self::Finding, Self::Lead, Self::Comment];
    pub fn code(self) -> &'static str {
        match self {
            Self::Finding => "finding",
            Self::Lead => "lead",
            Self::Comment => "comment",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Finding => "问题发现",
            Self::Lead => "报道线索",
            Self::Comment => "评论建议",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    National,
    Provincial,
    Municipal,
    Online,
    /// The administration's own channels.
    Own,
}

impl Level {
    pub const ALL: [Self; 5] = [
        Self::National,
        Self::Provincial,
        Self::Municipal,
        Self::Online,
        Self::Own,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Provincial => "provincial",
            Self::Municipal => "municipal",
            Self::Online => "online",
            Self::Own => "own",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::National => "国家级",
            Self::Provincial => "省级",
            Self::Municipal => "市级",
            Self::Online => "网络媒体",
            Self::Own => "自有渠道",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

pub const LINK_MAX_CHARS: usize = 500;

/// A link to a published piece: `http(s)://host/...`, no spaces or control characters.
pub fn valid_link(link: &str) -> bool {
    let Some(rest) = link.strip_prefix("https://").or_else(|| link.strip_prefix("http://")) else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    link.chars().count() <= LINK_MAX_CHARS
        && !host.is_empty()
        && host.contains('.')
        && !link.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_links_are_checked() {
        for k in ObservationKind::ALL {
            assert_eq!(ObservationKind::parse(k.code()), Some(k));
        }
        for l in Level::ALL {
            assert_eq!(Level::parse(l.code()), Some(l));
        }
        assert_eq!(Level::parse("county"), None);
        assert!(valid_link("https://www.xinhuanet.com/2026-11/28/c_1.htm"));
        assert!(valid_link("http://news.qq.com/a?b=1"));
        for bad in [
            "ftp://x.cn/a",
            "https://",
            "https://localhost/a",
            "https://a.cn/ b",
            "javascript:alert(1)",
            "新华网",
        ] {
            assert!(!valid_link(bad), "{bad}");
        }
    }
}

//! Media observers' records (docs/design.md section 7): what an observation is, the publicity
//! levels, and the checks on a publicity link. Pure.

pub use entity::codes::{Level, ObservationKind};

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
        for &k in ObservationKind::ALL {
            assert_eq!(ObservationKind::parse(k.code()), Some(k));
        }
        for &l in Level::ALL {
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

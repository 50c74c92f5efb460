//! The group robot's webhook (push only): markdown messages under 4,096 bytes, split on line
//! and UTF-8 boundaries, and what WeCom's answer means for the outbox.

/// The largest markdown message the webhook takes, in bytes.
pub const MAX_MARKDOWN_BYTES: usize = 4096;

/// Cuts `text` into pieces of at most `max` bytes, at line ends where it can and never inside
/// a character. Pieces keep their order; nothing is lost.
pub fn split(text: &str, max: usize) -> Vec<String> {
    let max = max.max(4);
    let mut pieces = Vec::new();
    let mut rest = text;
    while rest.len() > max {
        let mut cut = max;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        // Prefer the last line break inside the limit (kept with the first piece).
        if let Some(nl) = rest[..cut].rfind('\n').filter(|&i| i > 0) {
            cut = nl + 1;
        }
        pieces.push(rest[..cut].to_owned());
        rest = &rest[cut..];
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(rest.to_owned());
    }
    pieces
}

/// The request body of a markdown message.
pub fn markdown(content: &str) -> serde_json::Value {
    serde_json::json!({"msgtype": "markdown", "markdown": {"content": content}})
}

/// What an answer of the webhook means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// 45009: over 20 a minute; try again later.
    RateLimited,
    /// 93000: the key is not (or no longer) a robot's; never retry.
    BadKey,
    /// Anything else: retry with back-off, a few times.
    Other(i64),
}

pub fn outcome(errcode: i64) -> Outcome {
    match errcode {
        0 => Outcome::Sent,
        45009 => Outcome::RateLimited,
        93000 => Outcome::BadKey,
        other => Outcome::Other(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_text_is_one_piece_and_long_text_splits_at_lines() {
        assert_eq!(split("你好", 4096), vec!["你好"]);
        assert_eq!(split("", 4096), vec![""]);
        let text = "第一行\n第二行\n第三行";
        let pieces = split(text, 20);
        assert_eq!(pieces, vec!["第一行\n第二行\n", "第三行"]);
        assert_eq!(outcome(0), Outcome::Sent);
        assert_eq!(outcome(45009), Outcome::RateLimited);
        assert_eq!(outcome(93000), Outcome::BadKey);
        assert_eq!(outcome(-1), Outcome::Other(-1));
    }

    proptest! {
        #[test]
        fn pieces_fit_and_join_back(text in "[a-z你好😀\\n ]{0,3000}", max in 4usize..600) {
            let pieces = split(&text, max);
            prop_assert!(pieces.iter().all(|p| p.len() <= max));
            prop_assert_eq!(pieces.concat(), text);
        }
    }
}

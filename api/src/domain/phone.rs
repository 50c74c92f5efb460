//! Phone numbers as WeChat returns them, and their masked form (PIPL: only the owner and
//! admins see the whole number).

/// Masks the middle of a number: `13812345678` → `138****5678`; `+8613812345678` keeps its
/// country code. Short numbers keep only their last two digits.
pub fn mask(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n >= 11 {
        let head: String = chars[..n - 8].iter().collect();
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}****{tail}")
    } else if n > 2 {
        let tail: String = chars[n - 2..].iter().collect();
        format!("{}{tail}", "*".repeat(n - 2))
    } else {
        "*".repeat(n)
    }
}

/// Accepts a mainland mobile number (11 digits starting with 1) or an international one
/// (`+` and 6–15 digits). Returns it without spaces or dashes.
pub fn parse(input: &str) -> Option<String> {
    let cleaned: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let (plus, digits) = match cleaned.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let ok = if plus {
        (6..=15).contains(&digits.len())
    } else {
        digits.len() == 11 && digits.starts_with('1')
    };
    ok.then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_a_mainland_mobile() {
        assert_eq!(mask("13812345678"), "138****5678");
    }

    #[test]
    fn masks_with_country_code() {
        assert_eq!(mask("+8613812345678"), "+86138****5678");
    }

    #[test]
    fn masks_short_numbers_without_revealing_them() {
        assert_eq!(mask("12345"), "***45");
        assert_eq!(mask("1"), "*");
    }

    #[test]
    fn parses_mainland_and_international() {
        assert_eq!(parse("138 1234 5678").as_deref(), Some("13812345678"));
        assert_eq!(parse("+852-9123-4567").as_deref(), Some("+85291234567"));
        assert_eq!(parse("23812345678"), None);
        assert_eq!(parse("1381234567"), None);
        assert_eq!(parse("abc"), None);
        assert_eq!(parse(""), None);
    }
}

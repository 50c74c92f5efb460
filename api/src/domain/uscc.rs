//! The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a
//! 31-character alphabet, the last a check character over the first 17.
use std::fmt;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uscc(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("must be 18 characters")]
    Length,
    #[error("contains a character outside the GB 32100 alphabet")]
    Charset,
    #[error("check character does not match")]
    CheckDigit,
}

impl UsccError {
    pub fn code(self) -> &'static str {
        match self {
            Self::Length => "invalid_length",
            Self::Charset => "invalid_character",
            Self::CheckDigit => "invalid_check_digit",
        }
    }
    pub fn message(self) -> &'static str {
        match self {
            Self::Length => "统一社会信用代码应为18位",
            Self::Charset => "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）",
            Self::CheckDigit => "统一社会信用代码校验位不正确，请核对",
        }
    }
}

fn value_of(c: u8) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| a == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// The check character for the first 17 characters.
pub fn check_char(first17: &[u8]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    let index = (31 - sum % 31) % 31;
    ALPHABET.get(index as usize).map(|&b| char::from(b))
}

impl Uscc {
    /// Parses a code typed by a person: surrounding spaces are dropped and letters upper-cased.
    pub fn parse(input: &str) -> Result<Self, UsccError> {
        let code = input.trim().to_ascii_uppercase();
        let bytes = code.as_bytes();
        if code.chars().count() != 18 || bytes.len() != 18 {
            return Err(UsccError::Length);
        }
        if bytes.iter().any(|&b| value_of(b).is_none()) {
            return Err(UsccError::Charset);
        }
        match check_char(&bytes[..17]) {
            Some(c) if c == char::from(bytes[17]) => Ok(Self(code)),
            _ => Err(UsccError::CheckDigit),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_published_codes() {
        for code in ["91350100M000100Y43", "91110000600037341L", "91370211AY4CL12T2J"] {
            assert_eq!(Uscc::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn normalises_case_and_spaces() {
        assert_eq!(
            Uscc::parse(" 91350100m000100y43 ").unwrap().as_str(),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn rejects_a_wrong_check_character() {
        assert_eq!(Uscc::parse("91350100M000100Y44"), Err(UsccError::CheckDigit));
        assert_eq!(Uscc::parse("91110000600037341K"), Err(UsccError::CheckDigit));
    }

    #[test]
    fn rejects_wrong_length_and_letters_outside_the_alphabet() {
        assert_eq!(Uscc::parse("9135010"), Err(UsccError::Length));
        assert_eq!(Uscc::parse("91350100M000100Y433"), Err(UsccError::Length));
        assert_eq!(Uscc::parse("913501OOM000100Y43"), Err(UsccError::Charset));
        assert_eq!(Uscc::parse("9135010０M000100Y4"), Err(UsccError::Length));
        for forbidden in ['I', 'O', 'Z', 'S', 'V'] {
            let code = format!("9135010{forbidden}M000100Y43");
            assert_eq!(Uscc::parse(&code), Err(UsccError::Charset), "{code}");
        }
    }

    #[test]
    fn every_single_character_change_is_caught() {
        // The weights make every single substitution detectable.
        let good = b"91350100M000100Y43";
        for pos in 0..18 {
            for &c in ALPHABET {
                if c == good[pos] {
                    continue;
                }
                let mut bad = *good;
                bad[pos] = c;
                let s = std::str::from_utf8(&bad).unwrap();
                assert!(Uscc::parse(s).is_err(), "{s} should be rejected");
            }
        }
    }
}

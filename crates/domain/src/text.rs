//! Bounded free text. Everything a feed sends as prose has a length limit, so a runaway field
//! cannot fill the database or a victim's screen.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Text of 1 to `MAX` characters, trimmed, with no control characters except new lines.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim();
        if value.is_empty() {
            return Err("must not be empty".into());
        }
        let chars = value.chars().count();
        if chars > MAX {
            return Err(format!("must be at most {MAX} characters (it has {chars})"));
        }
        if value.chars().any(|c| c.is_control() && c != '\n') {
            return Err("must not contain control characters".into());
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> TryFrom<String> for Text<MAX> {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl<const MAX: usize> From<Text<MAX>> for String {
    fn from(value: Text<MAX>) -> Self {
        value.0
    }
}

impl<const MAX: usize> fmt::Display for Text<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Optional free text as people type it: blank is none, a form's `\r\n` line ends become
/// `\n`, and the rest is checked as a [`Text`].
pub fn optional<const MAX: usize>(raw: Option<&str>) -> Result<Option<Text<MAX>>, String> {
    match raw.map(|r| r.replace("\r\n", "\n")) {
        Some(v) if !v.trim().is_empty() => Text::parse(&v).map(Some),
        _ => Ok(None),
    }
}

/// Checks an identifier another system gave us: 1 to 64 characters, ASCII letters and digits
/// and the punctuation in `extra`. Returns it trimmed.
pub fn identifier<'a>(raw: &'a str, extra: &str) -> Result<&'a str, String> {
    let v = raw.trim();
    if v.is_empty() || v.len() > 64 {
        return Err("must be 1 to 64 characters".into());
    }
    if !v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || extra.as_bytes().contains(&b))
    {
        let listed: Vec<String> = extra.chars().map(String::from).collect();
        return Err(format!(
            "may only contain letters, digits and {}",
            listed.join(" ")
        ));
    }
    Ok(v)
}

/// A short label: a name, a court, a borough.
pub type ShortText = Text<200>;
/// A sentence or two: a reason, a bail condition, the wording of a charge.
pub type LongText = Text<2000>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_keeps_inner_text() {
        assert_eq!(ShortText::parse("  Camden  ").unwrap().as_str(), "Camden");
    }

    #[test]
    fn identifiers_name_what_they_may_hold() {
        assert_eq!(identifier(" P-1 ", "-_."), Ok("P-1"));
        assert_eq!(
            identifier("P 1", "-_."),
            Err("may only contain letters, digits and - _ .".to_owned())
        );
        assert!(identifier(&"x".repeat(65), "").is_err());
    }

    #[test]
    fn refuses_empty_long_and_control_characters() {
        assert_eq!(ShortText::parse("   ").unwrap_err(), "must not be empty");
        assert!(Text::<3>::parse("abcd").unwrap_err().contains("at most 3"));
        assert!(ShortText::parse("a\u{0}b").is_err());
        assert!(LongText::parse("line one\nline two").is_ok());
    }
}

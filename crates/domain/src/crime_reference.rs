use serde::{Deserialize, Serialize};
use std::fmt;

/// The force's identifier of a crime record, Met style: seven digits, a slash and the two-digit
/// year it was recorded (`1234567/26`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CrimeReference(String);
string_newtype!(CrimeReference);

impl CrimeReference {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim();
        let bytes = value.as_bytes();
        let well_formed = bytes.len() == 10
            && bytes[7] == b'/'
            && bytes[..7].iter().all(u8::is_ascii_digit)
            && bytes[8..].iter().all(u8::is_ascii_digit);
        if well_formed {
            Ok(Self(value.to_owned()))
        } else {
            Err("must be seven digits, a slash and a two-digit year, like 1234567/26".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CrimeReference;

    #[test]
    fn accepts_met_style_references() {
        assert_eq!(
            CrimeReference::parse(" 0012345/26 ").unwrap().as_str(),
            "0012345/26"
        );
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "",
            "123456/26",
            "12345678/26",
            "1234567-26",
            "1234567/2026",
            "abcdefg/26",
            "1234567/2a",
            "１２３４５６７/26",
        ] {
            assert!(CrimeReference::parse(bad).is_err(), "{bad} was accepted");
        }
    }
}

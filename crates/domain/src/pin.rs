//! The PIN a victim chooses to open their own case page instead of giving their date of birth.
//! It matters most to someone whose abuser knows their date of birth (a partner usually does),
//! so it may not be the date of birth itself, nor a PIN anyone would try first.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Fewest and most digits a PIN may have. Six digits with the portal's lockout (at most 30
/// wrong answers over a link's life, and it stops) leave a guesser one chance in about 33,000.
pub const MIN_DIGITS: usize = 6;
pub const MAX_DIGITS: usize = 8;

/// A PIN fit to be chosen. Deliberately not `Display`: it is a secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(..)")
    }
}

/// Why a chosen PIN was refused. Each has its own wording for the victim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("must be {MIN_DIGITS} to {MAX_DIGITS} digits, with nothing else")]
    NotDigits,
    #[error("must not be the same digit repeated or digits in a row, like 123456")]
    TooEasy,
    #[error("must not be a date of birth")]
    DateOfBirth,
}

impl PinError {
    /// The key of the message shown to the victim.
    pub fn text_key(self) -> &'static str {
        match self {
            Self::NotDigits => "portal-pin-not-digits",
            Self::TooEasy => "portal-pin-too-easy",
            Self::DateOfBirth => "portal-pin-birthday",
        }
    }
}

impl Pin {
    /// Checks a PIN the victim chose; `date_of_birth` is theirs, if we hold it.
    pub fn parse(raw: &str, date_of_birth: Option<NaiveDate>) -> Result<Self, PinError> {
        let value = raw.trim();
        let digits: Vec<u8> = value.bytes().collect();
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len())
            || !digits.iter().all(u8::is_ascii_digit)
        {
            return Err(PinError::NotDigits);
        }
        let same = digits.iter().all(|d| *d == digits[0]);
        let step = |up: bool| {
            digits.windows(2).all(|w| {
                if up {
                    w[1] == w[0] + 1
                } else {
                    w[0] == w[1] + 1
                }
            })
        };
        if same || step(true) || step(false) {
            return Err(PinError::TooEasy);
        }
        if let Some(born) = date_of_birth
            && birthday_forms(born).iter().any(|f| f == value)
        {
            return Err(PinError::DateOfBirth);
        }
        Ok(Self(value.to_owned()))
    }

    /// The digits, for hashing; never for showing or logging.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The ways people write a date of birth as digits.
fn birthday_forms(d: NaiveDate) -> Vec<String> {
    let (day, month, year) = (d.day(), d.month(), d.year());
    let short = year.rem_euclid(100);
    vec![
        format!("{day:02}{month:02}{year}"),
        format!("{day:02}{month:02}{short:02}"),
        format!("{month:02}{day:02}{year}"),
        format!("{month:02}{day:02}{short:02}"),
        format!("{year}{month:02}{day:02}"),
        format!("{short:02}{month:02}{day:02}"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn born() -> NaiveDate {
        NaiveDate::from_ymd_opt(1985, 3, 27).unwrap()
    }

    #[test]
    fn accepts_six_to_eight_digits() {
        for good in ["402917", " 4029175 ", "40291758"] {
            assert!(Pin::parse(good, Some(born())).is_ok(), "{good} was refused");
        }
    }

    #[test]
    fn refuses_wrong_lengths_and_anything_but_digits() {
        for bad in [
            "",
            "40291",
            "402917581",
            "40 29 17",
            "4029a7",
            "４０２９１７",
        ] {
            assert_eq!(Pin::parse(bad, None), Err(PinError::NotDigits), "{bad}");
        }
    }

    #[test]
    fn refuses_pins_a_guesser_tries_first() {
        for bad in ["000000", "111111", "123456", "12345678", "987654", "234567"] {
            assert_eq!(Pin::parse(bad, None), Err(PinError::TooEasy), "{bad}");
        }
    }

    #[test]
    fn refuses_the_date_of_birth_however_written() {
        for bad in [
            "27031985", "270385", "03271985", "032785", "19850327", "850327",
        ] {
            assert_eq!(
                Pin::parse(bad, Some(born())),
                Err(PinError::DateOfBirth),
                "{bad}"
            );
        }
        // Without a date of birth on file there is nothing to compare.
        assert!(Pin::parse("270385", None).is_ok());
    }

    #[test]
    fn never_shows_itself_in_debug_output() {
        let pin = Pin::parse("402917", None).unwrap();
        assert!(!format!("{pin:?}").contains("402917"));
    }
}

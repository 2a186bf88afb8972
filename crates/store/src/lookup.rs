//! Keyed digests for finding victims by phone number, email address or date of birth without
//! keeping those values searchable in the clear: HMAC-SHA-256 under a key that lives outside
//! the database (a file or the environment), so a copy of the database alone cannot be
//! searched for a known number.

use domain::victim::{DateOfBirth, Email, Phone, VictimRecord};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;

/// The key of the lookup digests, with a short public id naming it.
#[derive(Clone)]
pub struct LookupKey {
    key: [u8; 32],
    id: String,
}

impl fmt::Debug for LookupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the key itself: it would turn up in logs.
        f.debug_struct("LookupKey").field("id", &self.id).finish()
    }
}

/// A victim's three digests: phone, email, date of birth.
pub(crate) type Digests = (Option<i64>, Option<i64>, Option<i64>);

impl LookupKey {
    pub fn from_bytes(key: [u8; 32]) -> Self {
        let mut id = Sha256::new();
        id.update(b"victimcare lookup key id\0");
        id.update(key);
        let id = hex::encode(&id.finalize()[..8]);
        Self { key, id }
    }

    /// A key written as 64 hexadecimal characters.
    pub fn parse_hex(raw: &str) -> Result<Self, String> {
        let bytes = hex::decode(raw.trim()).map_err(|_| "must be hexadecimal".to_owned())?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "must be 32 bytes (64 hexadecimal characters)".to_owned())?;
        Ok(Self::from_bytes(key))
    }

    /// A new random key.
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self::from_bytes(key)
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.key)
    }

    /// Public: it names the key (to find rows made under an older one), and reveals nothing.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The first 64 bits of the MAC, as the integer the database indexes: compact keys keep
    /// ingest's index writes cheap, and a chance collision (one in 10^8 at London's scale) would
    /// only add a wrong name to a list staff pick from, never open a record unverified.
    fn digest(&self, kind: &str, value: &str) -> i64 {
        // `new_from_slice` accepts any length for HMAC; 32 bytes cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(kind.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        let bytes = mac.finalize().into_bytes();
        let mut first = [0u8; 8];
        first.copy_from_slice(&bytes[..8]);
        i64::from_be_bytes(first)
    }

    /// Phone numbers are compared in their international form (+447700900123).
    pub fn phone(&self, phone: &Phone) -> i64 {
        self.digest("phone", phone.as_str())
    }

    /// Email addresses are compared without regard to case.
    pub fn email(&self, email: &Email) -> i64 {
        self.digest("email", &email.as_str().to_lowercase())
    }

    pub fn date_of_birth(&self, dob: DateOfBirth) -> i64 {
        self.digest("dob", &dob.date().to_string())
    }

    pub(crate) fn digests(&self, record: &VictimRecord) -> Digests {
        (
            record.phone.as_ref().map(|p| self.phone(p)),
            record.email.as_ref().map(|e| self.email(e)),
            record.date_of_birth.map(|d| self.date_of_birth(d)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_number_written_two_ways_has_one_digest() {
        let key = LookupKey::generate();
        let a = key.phone(&Phone::parse("07700 900123").unwrap());
        let b = key.phone(&Phone::parse("+44 7700 900123").unwrap());
        assert_eq!(a, b);
        let other = LookupKey::generate();
        assert_ne!(a, other.phone(&Phone::parse("07700 900123").unwrap()));
    }

    #[test]
    fn emails_ignore_case_and_keys_round_trip() {
        let key = LookupKey::generate();
        assert_eq!(
            key.email(&Email::parse("Ada@Example.org").unwrap()),
            key.email(&Email::parse("ada@example.org").unwrap())
        );
        let again = LookupKey::parse_hex(&key.to_hex()).unwrap();
        assert_eq!(again.id(), key.id());
        assert!(LookupKey::parse_hex("abc").is_err());
        assert!(!format!("{key:?}").contains(&key.to_hex()));
    }
}

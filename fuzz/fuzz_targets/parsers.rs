//! Every parser of outside text: crime references, phone numbers, email addresses, dates of
//! birth, PINs, planning weeks. Each answers Ok or a problem, never panics, and what it
//! accepts it reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(r) = domain::CrimeReference::parse(text) {
        assert_eq!(domain::CrimeReference::parse(r.as_str()).ok(), Some(r));
    }
    if let Ok(p) = domain::victim::Phone::parse(text) {
        assert!(domain::victim::Phone::parse(p.as_str()).is_ok());
    }
    if let Ok(e) = domain::victim::Email::parse(text) {
        assert!(domain::victim::Email::parse(e.as_str()).is_ok());
    }
    let _ = domain::victim::DateOfBirth::parse(text);
    let _ = domain::pin::Pin::parse(text, None);
    if let Ok(w) = domain::capacity::week::Week::parse(text) {
        assert_eq!(domain::capacity::week::Week::parse(&w.label()).ok(), Some(w));
    }
});

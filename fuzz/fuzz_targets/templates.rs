//! The messages we send, with wording an administrator typed: whatever `check_wording`
//! accepts, in the language it is for, every kind of message without a panic, a discreet message
//! never names the crime, no `((placeholder))` is left in a text, and a text is never empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use web::i18n::Lang;
use web::messages::{EDITABLE, MessageFacts, Wordings, check_wording, sms_segments, write, write_sms};

const REFERENCE: &str = "7654321/26";
const KINDS: [&str; 7] = [
    "arrested",
    "charged",
    "released_no_further_action",
    "periodic_update",
    "hearing_listed",
    store::INVITATION_KIND,
    store::PANEL_INVITATION_KIND,
];

fuzz_target!(|data: &[u8]| {
    let [pick, lang, rest @ ..] = data else {
        return;
    };
    let lang = Lang::ALL[usize::from(*lang) % Lang::ALL.len()];
    let Ok(wording) = std::str::from_utf8(rest) else {
        return;
    };
    let (key, allowed) = EDITABLE[usize::from(*pick) % EDITABLE.len()];
    if check_wording(key, wording).is_err() {
        return;
    }
    let texts = [(lang.code().to_owned(), key.to_owned(), wording.to_owned())];
    let wordings = Wordings::new(texts, 1);
    // The wording itself may quote a reference or leave its own brackets: only what we add
    // is checked.
    let quotes_reference = wording.contains(REFERENCE);
    let own_brackets = wording.contains("((") || wording.contains("))");
    {
        for kind in KINDS {
            for (discreet, to_nominated) in [(false, false), (false, true), (true, false)] {
                let facts = MessageFacts {
                    kind,
                    crime_reference: REFERENCE,
                    helpline: "0800 555 0199",
                    leaflet_url: "https://victimcare.example/leaflet",
                    to_nominated,
                    discreet,
                };
                let email = write(lang, &facts, &wordings);
                let sms = write_sms(lang, &facts, &wordings);
                assert!(!email.subject.trim().is_empty());
                assert!(!email.body.trim().is_empty());
                assert!(!sms.body.trim().is_empty());
                assert!(sms_segments(&sms.body) >= 1);
                if discreet && !quotes_reference {
                    assert!(!email.body.contains(REFERENCE), "{key}: {}", email.body);
                    assert!(!sms.body.contains(REFERENCE), "{key}: {}", sms.body);
                }
                if !own_brackets {
                    for name in allowed {
                        let left = format!("(({name}))");
                        assert!(!email.body.contains(&left), "{key}: {}", email.body);
                        assert!(!sms.body.contains(&left), "{key}: {}", sms.body);
                    }
                }
            }
        }
    }
});

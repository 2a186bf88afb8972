//! The words of the messages we send to victims, in their language, from the same Fluent files
//! as the pages (`locales/*/messages.ftl`, with each event's plain-words line from
//! `portal.ftl`): a victim reads the same sentence in an email as on their case page.

use crate::i18n::{Lang, Texts};
use fluent_templates::fluent_bundle::FluentValue;
use std::collections::HashMap;
use store::{INVITATION_KIND as SURVEY, PANEL_INVITATION_KIND as PANEL};

/// The texts administrators may reword, each with the `((placeholders))` it may use.
pub const EDITABLE: &[(&str, &[&str])] = &[
    ("msg-subject", &[]),
    ("msg-greeting", &[]),
    ("msg-news", &["reference"]),
    ("msg-update", &["reference"]),
    ("msg-periodic", &[]),
    ("msg-review", &[]),
    ("msg-more", &["helpline"]),
    ("msg-support", &["leaflet"]),
    ("msg-emergency", &[]),
    ("msg-nominated", &[]),
    ("msg-sign-off", &[]),
    ("msg-discreet", &["helpline"]),
    ("msg-discreet-subject", &[]),
    ("msg-sms", &["reference", "news", "helpline"]),
    ("msg-sms-periodic", &["reference", "helpline"]),
    ("msg-survey", &[]),
    ("msg-survey-subject", &[]),
    ("msg-sms-survey", &[]),
    ("msg-panel", &[]),
    ("msg-panel-subject", &[]),
    ("msg-sms-panel", &["helpline"]),
];

/// Why an administrator's wording was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordingError {
    #[error("key: `{0}` is not a message text that can be changed")]
    Key(String),
    #[error("text: must not be empty or longer than 1,000 characters")]
    Length,
    #[error("text: `(({0}))` cannot be used here; this text may use: {1}")]
    Placeholder(String, String),
}

/// Checks a wording for `key`: known key, sensible length, only its own placeholders.
pub fn check_wording(key: &str, text: &str) -> Result<(), WordingError> {
    let Some((_, allowed)) = EDITABLE.iter().find(|(k, _)| *k == key) else {
        return Err(WordingError::Key(key.to_owned()));
    };
    let length = text.trim().chars().count();
    if length == 0 || length > 1000 {
        return Err(WordingError::Length);
    }
    let mut rest = text;
    while let Some(start) = rest.find("((") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("))") else { break };
        let name = &after[..end];
        if !allowed.contains(&name) {
            let may = if allowed.is_empty() {
                "none".to_owned()
            } else {
                allowed
                    .iter()
                    .map(|a| format!("(({a}))"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(WordingError::Placeholder(name.to_owned(), may));
        }
        rest = &after[end + 2..];
    }
    Ok(())
}

/// Administrators' wordings in force, by language code and key, and the id of the latest
/// change (part of each message's template version).
#[derive(Debug, Clone, Default)]
pub struct Wordings {
    texts: HashMap<(String, String), String>,
    pub version: i64,
}

impl Wordings {
    pub fn new(texts: impl IntoIterator<Item = (String, String, String)>, version: i64) -> Self {
        Self {
            texts: texts.into_iter().map(|(l, k, t)| ((l, k), t)).collect(),
            version,
        }
    }
}

/// Looks texts up as [`Texts`] does, an administrator's wording first.
struct Say<'a> {
    t: Texts,
    lang: Lang,
    wordings: &'a Wordings,
}

impl Say<'_> {
    fn get(&self, key: &str) -> String {
        self.with(key, &[])
    }

    fn with(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let Some(text) = self
            .wordings
            .texts
            .get(&(self.lang.code().to_owned(), key.to_owned()))
        else {
            return if args.is_empty() {
                self.t.get(key)
            } else {
                self.t.with(key, args)
            };
        };
        let mut out = text.clone();
        for (name, value) in args {
            if let FluentValue::String(value) = value {
                out = out.replace(&format!("(({name}))"), value);
            }
        }
        out
    }
}

/// What a message may say. Nothing here is personal but the crime reference, which the victim
/// already holds: an email can be read over a shoulder or forwarded.
pub struct MessageFacts<'a> {
    /// The event type the message tells of (`arrested`, `charged`, …).
    pub kind: &'a str,
    pub crime_reference: &'a str,
    pub helpline: &'a str,
    /// The online leaflet's address.
    pub leaflet_url: &'a str,
    /// It goes to the person the victim asked us to deal with, not to the victim.
    pub to_nominated: bool,
    /// By a way someone else may glimpse: say only that there is an update.
    pub discreet: bool,
}

/// A written message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub subject: String,
    pub body: String,
}

/// Decisions a victim may ask us to look at again (the Victims' Right to Review).
const REVIEWABLE: [&str; 4] = [
    "released_no_further_action",
    "police_no_charge",
    "cps_no_charge",
    "not_investigated",
];

/// Writes the message in `lang`.
pub fn write(lang: Lang, facts: &MessageFacts<'_>, wordings: &Wordings) -> Written {
    let t = Say {
        t: Texts::new(lang),
        lang,
        wordings,
    };
    if facts.discreet {
        // Nothing about the crime, the case or its reference: only where to look.
        let body = [
            t.get("msg-greeting"),
            String::new(),
            t.with(
                "msg-discreet",
                &[("helpline", facts.helpline.to_owned().into())],
            ),
            t.get("msg-emergency"),
            String::new(),
            t.get("msg-sign-off"),
        ]
        .join("\n");
        return Written {
            subject: t.get("msg-discreet-subject"),
            body,
        };
    }
    if facts.kind == SURVEY || facts.kind == PANEL {
        // Only where to look: the survey and the panel are on their own page, behind their
        // link; nothing about the crime.
        let (key, subject) = if facts.kind == PANEL {
            ("msg-panel", "msg-panel-subject")
        } else {
            ("msg-survey", "msg-survey-subject")
        };
        let mut lines = vec![
            t.get("msg-greeting"),
            String::new(),
            t.get(key),
            t.with(
                "msg-more",
                &[("helpline", facts.helpline.to_owned().into())],
            ),
            t.get("msg-emergency"),
        ];
        if facts.to_nominated {
            lines.push(String::new());
            lines.push(t.get("msg-nominated"));
        }
        lines.push(String::new());
        lines.push(t.get("msg-sign-off"));
        return Written {
            subject: t.get(subject),
            body: lines.join("\n"),
        };
    }
    let mut lines = vec![t.get("msg-greeting"), String::new()];
    // A periodic update says there is no news, so it does not open with "there is news".
    let periodic = facts.kind == "periodic_update";
    lines.push(t.with(
        if periodic { "msg-update" } else { "msg-news" },
        &[("reference", facts.crime_reference.to_owned().into())],
    ));
    lines.push(if periodic {
        t.get("msg-periodic")
    } else {
        t.get(&format!("event-{}", facts.kind))
    });
    if REVIEWABLE.contains(&facts.kind) {
        lines.push(t.get("msg-review"));
    }
    lines.push(String::new());
    lines.push(t.with(
        "msg-more",
        &[("helpline", facts.helpline.to_owned().into())],
    ));
    lines.push(t.with(
        "msg-support",
        &[("leaflet", facts.leaflet_url.to_owned().into())],
    ));
    lines.push(t.get("msg-emergency"));
    if facts.to_nominated {
        lines.push(String::new());
        lines.push(t.get("msg-nominated"));
    }
    lines.push(String::new());
    lines.push(t.get("msg-sign-off"));
    Written {
        subject: t.get("msg-subject"),
        body: lines.join("\n"),
    }
}

/// The same message as a text: short enough for two segments where the language allows
/// (160 characters a segment in the GSM alphabet, 70 in others such as Polish or Arabic).
pub fn write_sms(lang: Lang, facts: &MessageFacts<'_>, wordings: &Wordings) -> Written {
    let t = Say {
        t: Texts::new(lang),
        lang,
        wordings,
    };
    let full = write(lang, facts, wordings);
    if facts.discreet {
        // Already short, and says nothing.
        return Written {
            body: t.with(
                "msg-discreet",
                &[("helpline", facts.helpline.to_owned().into())],
            ),
            ..full
        };
    }
    let args = |news: Option<String>| {
        let mut args = vec![
            ("reference", facts.crime_reference.to_owned().into()),
            ("helpline", facts.helpline.to_owned().into()),
        ];
        if let Some(news) = news {
            args.push(("news", news.into()));
        }
        args
    };
    let body = if facts.kind == SURVEY {
        t.get("msg-sms-survey")
    } else if facts.kind == PANEL {
        t.with(
            "msg-sms-panel",
            &[("helpline", facts.helpline.to_owned().into())],
        )
    } else if facts.kind == "periodic_update" {
        t.with("msg-sms-periodic", &args(None))
    } else {
        t.with(
            "msg-sms",
            &args(Some(t.get(&format!("event-{}", facts.kind)))),
        )
    };
    Written { body, ..full }
}

/// How many segments a text takes: GSM-7 when every character is in its basic set (160 in
/// one, 153 each when split), else UCS-2 (70, 67).
pub fn sms_segments(text: &str) -> usize {
    const GSM: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    let gsm = text.chars().all(|c| GSM.contains(c));
    let length = text.chars().count();
    let (single, multi) = if gsm { (160, 153) } else { (70, 67) };
    if length <= single {
        1
    } else {
        length.div_ceil(multi)
    }
}

/// A short fingerprint of every message text in every language, recorded with each message
/// sent so that what a victim was told can be traced to the words of the day.
pub fn template_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for lang in Lang::ALL {
            let facts = MessageFacts {
                kind: "arrested",
                crime_reference: "",
                helpline: "",
                leaflet_url: "",
                to_nominated: true,
                discreet: false,
            };
            write(lang, &facts, &Wordings::default())
                .body
                .hash(&mut hasher);
        }
        format!("{:016x}", hasher.finish())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: &str) -> MessageFacts<'_> {
        MessageFacts {
            kind,
            crime_reference: "1234567/26",
            helpline: "101",
            leaflet_url: "https://victims.example/leaflet",
            to_nominated: false,
            discreet: false,
        }
    }

    #[test]
    fn says_what_happened_in_plain_words_with_the_reference_and_who_to_call() {
        let m = write(Lang::EnGb, &facts("arrested"), &Wordings::default());
        assert_eq!(m.subject, "A message about your case");
        assert!(m.body.contains("1234567/26"));
        assert!(m.body.contains("Someone was arrested."));
        assert!(m.body.contains("call 101"));
        assert!(!m.body.contains("review"));
    }

    #[test]
    fn a_periodic_update_says_there_is_no_big_news() {
        let m = write(Lang::EnGb, &facts("periodic_update"), &Wordings::default());
        assert!(m.body.contains("This is an update about your case."));
        assert!(m.body.contains("There is no big news."));
        assert!(!m.body.contains("There is news"));
    }

    #[test]
    fn texts_fit_two_segments_in_english_and_say_how_many_in_every_language() {
        let kinds: Vec<&str> = domain::EventType::ALL
            .iter()
            .map(|k| k.as_str())
            .chain(["periodic_update"])
            .collect();
        for lang in Lang::ALL {
            let worst = kinds
                .iter()
                .map(|kind| {
                    let f = MessageFacts {
                        crime_reference: "1234567/26",
                        helpline: "0300 123 4567",
                        ..facts(kind)
                    };
                    sms_segments(&write_sms(lang, &f, &Wordings::default()).body)
                })
                .max()
                .unwrap();
            println!("{}: at most {worst} segments", lang.code());
            if lang == Lang::EnGb {
                assert!(worst <= 2, "an English text takes {worst} segments");
            }
        }
        assert_eq!(sms_segments(&"a".repeat(160)), 1);
        assert_eq!(sms_segments(&"a".repeat(161)), 2);
        assert_eq!(sms_segments(&"ż".repeat(70)), 1);
        assert_eq!(sms_segments(&"ż".repeat(71)), 2);
    }

    #[test]
    fn an_administrators_wording_wins_and_fills_its_placeholders() {
        let wordings = Wordings::new(
            [(
                "en-GB".to_owned(),
                "msg-more".to_owned(),
                "Questions? Ring ((helpline)), 8am to 8pm.".to_owned(),
            )],
            7,
        );
        let m = write(Lang::EnGb, &facts("arrested"), &wordings);
        assert!(
            m.body.contains("Questions? Ring 101, 8am to 8pm."),
            "{}",
            m.body
        );
        // Other languages keep the file's wording.
        let welsh = write(Lang::Cy, &facts("arrested"), &wordings);
        assert!(!welsh.body.contains("Questions?"));
    }

    #[test]
    fn a_wording_may_use_only_its_own_placeholders() {
        assert!(check_wording("msg-more", "Call ((helpline)).").is_ok());
        assert_eq!(
            check_wording("msg-more", "Call ((helpline)) about ((reference))."),
            Err(WordingError::Placeholder(
                "reference".into(),
                "((helpline))".into()
            ))
        );
        assert!(matches!(
            check_wording("event-arrested", "x"),
            Err(WordingError::Key(_))
        ));
        assert_eq!(
            check_wording("msg-subject", "  "),
            Err(WordingError::Length)
        );
    }

    #[test]
    fn a_discreet_message_says_only_that_there_is_an_update() {
        let m = write(
            Lang::EnGb,
            &MessageFacts {
                discreet: true,
                ..facts("arrested")
            },
            &Wordings::default(),
        );
        assert!(m.body.contains("There is an update for you."));
        assert_eq!(m.subject, "An update for you");
        assert!(m.body.contains("101"));
        for secret in ["1234567/26", "arrested", "case", "crime"] {
            assert!(
                !m.body.to_lowercase().contains(secret),
                "{secret} in {}",
                m.body
            );
        }
    }

    #[test]
    fn a_decision_to_take_no_action_comes_with_the_right_to_ask_for_a_review() {
        let m = write(Lang::EnGb, &facts("police_no_charge"), &Wordings::default());
        assert!(m.body.contains("ask for a review"));
    }

    #[test]
    fn a_welsh_speaker_reads_it_in_welsh() {
        let welsh = write(Lang::Cy, &facts("arrested"), &Wordings::default());
        assert!(welsh.body.contains("Cafodd rhywun ei arestio."));
    }
}

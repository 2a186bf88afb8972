//! What victims' free-text feedback keeps coming back to: the words and two-word phrases used
//! by the most people, each with the quotes behind it. Personal data is taken out of every
//! quote first (email addresses, phone and other long numbers, postcodes, crime references,
//! and a name after a title such as "Mrs" or "PC"). Names without a title cannot be told
//! from ordinary words, so quotes are for supervisors and analysts only, never published.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Words too common to be a theme.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "don't",
    "even",
    "ever",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "he",
    "her",
    "him",
    "his",
    "how",
    "i",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "just",
    "me",
    "my",
    "no",
    "not",
    "of",
    "on",
    "one",
    "only",
    "or",
    "our",
    "out",
    "really",
    "she",
    "so",
    "some",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "they",
    "this",
    "to",
    "too",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "which",
    "who",
    "will",
    "with",
    "would",
    "you",
    "your",
    "[email]",
    "[number]",
    "[postcode]",
    "[reference]",
    "[name]",
];

/// Words after which the next capitalised word is a person's name.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "pc",
    "dc",
    "ds",
    "di",
    "sgt",
    "sergeant",
    "constable",
    "inspector",
    "officer",
];

/// One theme and the quotes behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Theme {
    pub phrase: String,
    /// How many comments use it.
    pub comments: usize,
    pub quotes: Vec<String>,
}

/// Takes personal data out of a comment.
pub fn redact(text: &str) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let bare = t.trim_matches(|c: char| !c.is_alphanumeric());
        let lower = bare.to_lowercase();
        let (lead, trail) = edges(t);
        // A postcode is two tokens: "SW1A 1AA".
        if let Some(next) = tokens.get(i + 1)
            && is_outward(bare)
            && is_inward(next.trim_matches(|c: char| !c.is_alphanumeric()))
        {
            out.push(format!("{lead}[postcode]{}", edges(next).1));
            i += 2;
            continue;
        }
        let replaced = if t.contains('@') && t.contains('.') {
            Some("[email]")
        } else if is_reference(bare) {
            Some("[reference]")
        } else if t.chars().filter(char::is_ascii_digit).count() >= 6 {
            Some("[number]")
        } else if is_outward(bare) && is_inward(&bare[bare.len().saturating_sub(3)..]) {
            Some("[postcode]")
        } else {
            None
        };
        match replaced {
            Some(r) => out.push(format!("{lead}{r}{trail}")),
            None => out.push(t.to_owned()),
        }
        // "PC Smith", "Mrs. Jones": the name that follows goes.
        if TITLES.contains(&lower.trim_end_matches('.'))
            && let Some(next) = tokens.get(i + 1)
            && next.chars().next().is_some_and(char::is_uppercase)
        {
            out.push(format!("[name]{}", edges(next).1));
            i += 2;
            continue;
        }
        i += 1;
    }
    out.join(" ")
}

/// Punctuation before and after a token's letters and digits.
fn edges(t: &str) -> (&str, &str) {
    let start = t.find(|c: char| c.is_alphanumeric()).unwrap_or(t.len());
    let end = t.rfind(|c: char| c.is_alphanumeric()).map_or(t.len(), |i| {
        i + t[i..].chars().next().map_or(1, char::len_utf8)
    });
    (&t[..start], &t[end.max(start)..])
}

/// "1234567/26": a Met-style crime reference.
fn is_reference(t: &str) -> bool {
    t.split_once('/').is_some_and(|(a, b)| {
        a.len() >= 5
            && a.bytes().all(|b| b.is_ascii_digit())
            && b.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The first half of a UK postcode: 1–2 letters, a digit, then a digit or letter at most.
fn is_outward(t: &str) -> bool {
    let b = t.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    (2..=4).contains(&b.len())
        && (1..=2).contains(&letters)
        && b.get(letters).is_some_and(u8::is_ascii_digit)
        && b[letters + 1..].iter().all(u8::is_ascii_alphanumeric)
        && t.chars().all(|c| !c.is_ascii_lowercase())
}

/// The second half: a digit and two letters.
fn is_inward(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 3 && b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '[' || c == ']'))
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| w.chars().count() > 2 && !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// The `limit` most used themes across `comments` (redacted first), two-word phrases before
/// single words when as many people use them; ties alphabetical. A theme needs at least two
/// comments: one person's words are a quote, not a theme. Up to `quotes` quotes each.
pub fn themes(comments: &[String], limit: usize, quotes: usize) -> Vec<Theme> {
    let redacted: Vec<String> = comments.iter().map(|c| redact(c)).collect();
    let mut used: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (i, c) in redacted.iter().enumerate() {
        let ws = words(c);
        let kept: Vec<&String> = ws
            .iter()
            .filter(|w| !STOPWORDS.contains(&w.as_str()))
            .collect();
        for w in &kept {
            used.entry((*w).clone()).or_default().insert(i);
        }
        for pair in ws.windows(2) {
            if pair.iter().all(|w| !STOPWORDS.contains(&w.as_str())) {
                used.entry(format!("{} {}", pair[0], pair[1]))
                    .or_default()
                    .insert(i);
            }
        }
    }
    let mut ranked: Vec<(String, BTreeSet<usize>)> =
        used.into_iter().filter(|(_, c)| c.len() >= 2).collect();
    ranked.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then_with(|| b.0.contains(' ').cmp(&a.0.contains(' ')))
            .then_with(|| a.0.cmp(&b.0))
    });
    // A word that only ever appears inside a phrase already shown adds nothing.
    let mut out: Vec<Theme> = Vec::new();
    for (phrase, ids) in ranked {
        if out.len() == limit {
            break;
        }
        let covered = out.iter().any(|t| {
            t.phrase.contains(' ')
                && t.phrase.split(' ').any(|w| w == phrase)
                && t.comments == ids.len()
        });
        if covered {
            continue;
        }
        out.push(Theme {
            comments: ids.len(),
            quotes: ids
                .iter()
                .take(quotes)
                .map(|i| shorten(&redacted[*i], 240))
                .collect(),
            phrase,
        });
    }
    out
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_taken_out_of_quotes() {
        let r = redact(
            "PC Smith never rang 07700 900123 or 07700900123; email me at jo@example.com. \
             I live at SW1A 1AA. Ref 1234567/26, Mrs. Jones helped.",
        );
        assert!(!r.contains("Smith") && !r.contains("Jones"), "{r}");
        assert!(
            !r.contains("07700900123") && !r.contains("jo@example.com"),
            "{r}"
        );
        assert!(!r.contains("SW1A") && !r.contains("1234567/26"), "{r}");
        assert!(r.contains("[name] never rang"), "{r}");
        assert!(r.contains("[email]") && r.contains("[postcode]") && r.contains("[reference]"));
        // Ordinary words and short numbers stay.
        assert_eq!(
            redact("Waited 3 weeks for a call"),
            "Waited 3 weeks for a call"
        );
    }

    #[test]
    fn themes_count_people_not_words_and_keep_their_quotes() {
        let comments: Vec<String> = [
            "Nobody called me back. Nobody called back at all.",
            "I was never called back after the burglary",
            "The officer was kind",
            "Officer was very kind and patient",
            "Called back twice, thank you",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let t = themes(&comments, 5, 2);
        assert_eq!(t[0].phrase, "called back");
        assert_eq!(t[0].comments, 3);
        assert_eq!(t[0].quotes.len(), 2);
        let kind = t
            .iter()
            .find(|t| t.phrase == "kind")
            .expect("kind is a theme");
        assert_eq!(kind.comments, 2);
        // One person's word is not a theme.
        assert!(t.iter().all(|t| t.phrase != "patient"));
        // "called" alone is inside "called back" for the same people: not shown again.
        assert!(t.iter().all(|t| t.phrase != "called"));
    }
}

//! Every text a victim reads comes from the Fluent files in `crates/web/locales`, one folder
//! per language. A page's language is the one asked for on the page (remembered in a cookie
//! that holds nothing else), then the browser's, then English.

use axum::http::{HeaderMap, HeaderValue, header};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en-GB",
        // Plain text around numbers and names: the pages set the direction themselves.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages the victim-facing pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    EnGb,
    Cy,
    Pl,
    Ro,
    Es,
    Pt,
    Tr,
    Ar,
    Ur,
}

/// The cookie that remembers the language chosen on a page.
const COOKIE: &str = "lang";

impl Lang {
    pub const ALL: [Self; 9] = [
        Self::EnGb,
        Self::Cy,
        Self::Pl,
        Self::Ro,
        Self::Es,
        Self::Pt,
        Self::Tr,
        Self::Ar,
        Self::Ur,
    ];

    /// The BCP 47 tag, as in `<html lang>` and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Self::EnGb => "en-GB",
            Self::Cy => "cy",
            Self::Pl => "pl",
            Self::Ro => "ro",
            Self::Es => "es",
            Self::Pt => "pt",
            Self::Tr => "tr",
            Self::Ar => "ar",
            Self::Ur => "ur",
        }
    }

    /// The language's name in itself, as the language switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::EnGb => "English",
            Self::Cy => "Cymraeg",
            Self::Pl => "Polski",
            Self::Ro => "Română",
            Self::Es => "Español",
            Self::Pt => "Português",
            Self::Tr => "Türkçe",
            Self::Ar => "العربية",
            Self::Ur => "اردو",
        }
    }

    /// Text direction, for `<html dir>`: Arabic and Urdu read right to left.
    pub fn dir(self) -> &'static str {
        match self {
            Self::Ar | Self::Ur => "rtl",
            _ => "ltr",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
            .or_else(|| {
                // A region we do not have still means the language: en-US reads en-GB.
                let primary = code.split(['-', '_']).next()?;
                Self::ALL.into_iter().find(|l| {
                    l.code()
                        .split('-')
                        .next()
                        .is_some_and(|p| p.eq_ignore_ascii_case(primary))
                })
            })
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Self::EnGb => langid!("en-GB"),
            Self::Cy => langid!("cy"),
            Self::Pl => langid!("pl"),
            Self::Ro => langid!("ro"),
            Self::Es => langid!("es"),
            Self::Pt => langid!("pt"),
            Self::Tr => langid!("tr"),
            Self::Ar => langid!("ar"),
            Self::Ur => langid!("ur"),
        }
    }

    /// The language for a request: `?lang=` (returned with the cookie that remembers it),
    /// then the cookie, then `Accept-Language`, then English.
    pub fn choose(asked: Option<&str>, headers: &HeaderMap) -> (Self, Option<HeaderValue>) {
        Self::choose_for(asked, headers, None)
    }

    /// As [`Lang::choose`], with the language a victim gave in their contact agreement taking
    /// the browser's place when they have not chosen one on the page.
    pub fn choose_for(
        asked: Option<&str>,
        headers: &HeaderMap,
        preferred: Option<&str>,
    ) -> (Self, Option<HeaderValue>) {
        if let Some(lang) = asked.and_then(Self::parse) {
            // Not personal and not secret: a year, readable by the pages' own script never.
            let cookie = format!(
                "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; Secure; HttpOnly",
                lang.code()
            );
            return (lang, HeaderValue::from_str(&cookie).ok());
        }
        let from_cookie = crate::cookie(headers, COOKIE).and_then(Self::parse);
        if let Some(lang) = from_cookie.or_else(|| preferred.and_then(Self::parse)) {
            return (lang, None);
        }
        let from_browser = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(',')
                    .filter_map(|part| part.split(';').next())
                    .find_map(Self::parse)
            });
        (from_browser.unwrap_or_default(), None)
    }
}

/// Looks texts up in one language, for templates: `{{ t.get("key") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Texts {
    pub lang: Lang,
}

impl Texts {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The text for `key`, in English if this language lacks it.
    pub fn get(&self, key: &str) -> String {
        LOCALES.lookup(&self.lang.id(), key)
    }

    /// The text for `key` with arguments.
    pub fn with(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
            .collect();
        LOCALES.lookup_with_args(&self.lang.id(), key, &args)
    }

    /// Whether this language has its own text for `key` (not the English fallback).
    pub fn has(&self, key: &str) -> bool {
        LOCALES.try_lookup(&self.lang.id(), key).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        h
    }

    #[test]
    fn the_page_choice_wins_then_the_cookie_then_the_browser() {
        let browser = headers(&[(header::ACCEPT_LANGUAGE, "cy-GB,cy;q=0.9,en;q=0.5")]);
        assert_eq!(Lang::choose(None, &browser).0, Lang::Cy);
        let (lang, cookie) = Lang::choose(Some("en-GB"), &browser);
        assert_eq!(lang, Lang::EnGb);
        assert!(cookie.unwrap().to_str().unwrap().starts_with("lang=en-GB;"));
        let remembered = headers(&[
            (header::COOKIE, "other=1; lang=cy"),
            (header::ACCEPT_LANGUAGE, "en"),
        ]);
        assert_eq!(Lang::choose(None, &remembered), (Lang::Cy, None));
        assert_eq!(Lang::choose(Some("xx"), &HeaderMap::new()).0, Lang::EnGb);
        // A victim's own language beats the browser's, but not a choice made on the page.
        assert_eq!(Lang::choose_for(None, &browser, Some("pl")).0, Lang::Pl);
        assert_eq!(
            Lang::choose_for(Some("es"), &browser, Some("pl")).0,
            Lang::Es
        );
        assert_eq!(Lang::choose_for(None, &remembered, Some("pl")).0, Lang::Cy);
        assert_eq!(Lang::parse("en-US"), Some(Lang::EnGb));
    }

    /// The message ids of a Fluent file.
    fn keys(ftl: &str) -> std::collections::BTreeSet<&str> {
        ftl.lines()
            .filter(|l| !l.starts_with(['#', ' ']))
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim()))
            .collect()
    }

    /// Every Fluent file of a language, as written.
    fn sources(lang: Lang) -> String {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
        ["leaflet.ftl", "portal.ftl", "messages.ftl", "access.ftl"]
            .iter()
            .map(|f| std::fs::read_to_string(format!("{dir}/{}/{f}", lang.code())).unwrap())
            .collect()
    }

    #[test]
    fn every_language_has_every_text_and_no_other() {
        let english_source = sources(Lang::EnGb);
        let english = keys(&english_source);
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::EnGb) {
            let source = sources(lang);
            let theirs = keys(&source);
            let missing: Vec<&&str> = english.difference(&theirs).collect();
            assert!(
                missing.is_empty(),
                "{}: no text for {missing:?}",
                lang.code()
            );
            let extra: Vec<&&str> = theirs.difference(&english).collect();
            assert!(
                extra.is_empty(),
                "{}: texts nobody uses: {extra:?}",
                lang.code()
            );
            // Every placeholder the English text fills is filled in theirs too.
            let t = Texts::new(lang);
            for key in [
                "step-label",
                "previous-step",
                "portal-next-by",
                "portal-updated",
            ] {
                let out = t.with(
                    key,
                    &[
                        ("number", 3.into()),
                        ("total", 7.into()),
                        ("title", "T1T".into()),
                        ("date", "D1D".into()),
                    ],
                );
                assert!(!out.contains('{'), "{} {key}: {out}", lang.code());
            }
            assert!(
                t.with("step-label", &[("number", 3.into()), ("total", 7.into())])
                    .contains('7'),
                "{}",
                lang.code()
            );
        }
        let welsh = Texts::new(Lang::Cy);
        assert_eq!(
            welsh.with("step-label", &[("number", 2.into()), ("total", 7.into())]),
            "Cam 2 o 7"
        );
    }
}

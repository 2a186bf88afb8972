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
}

/// The cookie that remembers the language chosen on a page.
const COOKIE: &str = "lang";

impl Lang {
    pub const ALL: [Self; 2] = [Self::EnGb, Self::Cy];

    /// The BCP 47 tag, as in `<html lang>` and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Self::EnGb => "en-GB",
            Self::Cy => "cy",
        }
    }

    /// The language's name in itself, as the language switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::EnGb => "English",
            Self::Cy => "Cymraeg",
        }
    }

    /// Text direction, for `<html dir>`.
    pub fn dir(self) -> &'static str {
        "ltr"
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
        }
    }

    /// The language for a request: `?lang=` (returned with the cookie that remembers it),
    /// then the cookie, then `Accept-Language`, then English.
    pub fn choose(asked: Option<&str>, headers: &HeaderMap) -> (Self, Option<HeaderValue>) {
        if let Some(lang) = asked.and_then(Self::parse) {
            // Not personal and not secret: a year, readable by the pages' own script never.
            let cookie = format!(
                "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; Secure; HttpOnly",
                lang.code()
            );
            return (lang, HeaderValue::from_str(&cookie).ok());
        }
        let from_cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE)
            .and_then(|(_, value)| Self::parse(value));
        if let Some(lang) = from_cookie {
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
        assert_eq!(Lang::parse("en-US"), Some(Lang::EnGb));
    }

    /// The message ids of a Fluent file.
    fn keys(ftl: &str) -> std::collections::BTreeSet<&str> {
        ftl.lines()
            .filter(|l| !l.starts_with(['#', ' ']))
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim()))
            .collect()
    }

    #[test]
    fn every_english_text_has_a_welsh_one() {
        let english = keys(concat!(
            include_str!("../locales/en-GB/leaflet.ftl"),
            include_str!("../locales/en-GB/portal.ftl")
        ));
        let welsh_keys = keys(concat!(
            include_str!("../locales/cy/leaflet.ftl"),
            include_str!("../locales/cy/portal.ftl")
        ));
        let missing: Vec<&&str> = english.difference(&welsh_keys).collect();
        assert!(missing.is_empty(), "no Welsh for {missing:?}");
        let extra: Vec<&&str> = welsh_keys.difference(&english).collect();
        assert!(extra.is_empty(), "Welsh texts nobody uses: {extra:?}");
        let welsh = Texts::new(Lang::Cy);
        assert_eq!(
            welsh.with("step-label", &[("number", 2.into()), ("total", 7.into())]),
            "Cam 2 o 7"
        );
    }
}

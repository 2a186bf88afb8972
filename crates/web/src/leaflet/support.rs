//! The support directory: agencies as data (a TOML file a force can replace without a
//! release), each with what it does, who it is for, how to reach it and when, in every
//! language the pages are written in.

use crate::i18n::Lang;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

/// What happened, as the directory's filter offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crime {
    All,
    Violence,
    Domestic,
    Sexual,
    Stalking,
    Hate,
    Fraud,
    Bereaved,
    Child,
}

impl Crime {
    pub const ALL: [Self; 9] = [
        Self::All,
        Self::Violence,
        Self::Domestic,
        Self::Sexual,
        Self::Stalking,
        Self::Hate,
        Self::Fraud,
        Self::Bereaved,
        Self::Child,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Violence => "violence",
            Self::Domestic => "domestic",
            Self::Sexual => "sexual",
            Self::Stalking => "stalking",
            Self::Hate => "hate",
            Self::Fraud => "fraud",
            Self::Bereaved => "bereaved",
            Self::Child => "child",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == raw)
    }
}

/// The help wanted, as the directory's filter offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Emotional,
    Practical,
    Court,
    Safety,
    Health,
    Money,
    Legal,
    Information,
}

impl Need {
    pub const ALL: [Self; 8] = [
        Self::Emotional,
        Self::Practical,
        Self::Court,
        Self::Safety,
        Self::Health,
        Self::Money,
        Self::Legal,
        Self::Information,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Emotional => "emotional",
            Self::Practical => "practical",
            Self::Court => "court",
            Self::Safety => "safety",
            Self::Health => "health",
            Self::Money => "money",
            Self::Legal => "legal",
            Self::Information => "information",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.slug() == raw)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDirectory {
    agency: Vec<RawAgency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgency {
    id: String,
    name: String,
    phone: Option<String>,
    web: Option<String>,
    crimes: Vec<String>,
    needs: Vec<String>,
    about: BTreeMap<String, String>,
    hours: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub phone: Option<String>,
    pub web: Option<String>,
    pub crimes: Vec<Crime>,
    pub needs: Vec<Need>,
    about: BTreeMap<String, String>,
    hours: BTreeMap<String, String>,
}

impl Agency {
    /// What the agency does, in `lang` or else in English.
    pub fn about(&self, lang: Lang) -> &str {
        Self::in_lang(&self.about, lang)
    }

    pub fn hours(&self, lang: Lang) -> &str {
        Self::in_lang(&self.hours, lang)
    }

    fn in_lang(texts: &BTreeMap<String, String>, lang: Lang) -> &str {
        texts
            .get(lang.code())
            .or_else(|| texts.get(Lang::EnGb.code()))
            .map_or("", String::as_str)
    }

    /// A `tel:` link target: digits and a leading plus only.
    pub fn tel(&self) -> Option<String> {
        self.phone.as_ref().map(|p| {
            p.chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect()
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportDirectory {
    agencies: Vec<Agency>,
}

impl SupportDirectory {
    /// The London directory that ships with victimcare.
    pub fn builtin() -> Self {
        Self::parse(include_str!("../../support/london.toml"))
            .expect("the built-in support directory is valid (tested)")
    }

    /// Reads and checks a directory, naming the agency and field of the first problem.
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: RawDirectory = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut seen = HashSet::new();
        let mut agencies = Vec::with_capacity(raw.agency.len());
        for a in raw.agency {
            let problem = |p: String| format!("agency `{}`: {p}", a.id);
            if !seen.insert(a.id.clone()) {
                return Err(problem("the id is used twice".into()));
            }
            if a.name.trim().is_empty() {
                return Err(problem("`name` is empty".into()));
            }
            if let Some(web) = &a.web
                && !web.starts_with("https://")
            {
                return Err(problem("`web` must be an https:// address".into()));
            }
            for (field, texts) in [("about", &a.about), ("hours", &a.hours)] {
                if texts
                    .get(Lang::EnGb.code())
                    .is_none_or(|t| t.trim().is_empty())
                {
                    return Err(problem(format!("`{field}` needs an en-GB text")));
                }
                if let Some(code) = texts.keys().find(|k| Lang::parse(k).is_none()) {
                    return Err(problem(format!(
                        "`{field}`: `{code}` is not a language we have"
                    )));
                }
            }
            let crimes = a
                .crimes
                .iter()
                .map(|c| {
                    Crime::parse(c)
                        .ok_or_else(|| problem(format!("`{c}` is not a crime the filter knows")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let needs = a
                .needs
                .iter()
                .map(|n| {
                    Need::parse(n)
                        .ok_or_else(|| problem(format!("`{n}` is not a need the filter knows")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if crimes.is_empty() || needs.is_empty() {
                return Err(problem(
                    "`crimes` and `needs` must each name at least one".into(),
                ));
            }
            agencies.push(Agency {
                id: a.id,
                name: a.name,
                phone: a.phone,
                web: a.web,
                crimes,
                needs,
                about: a.about,
                hours: a.hours,
            });
        }
        Ok(Self { agencies })
    }

    /// The agency with this id.
    pub fn get(&self, id: &str) -> Option<&Agency> {
        self.agencies.iter().find(|a| a.id == id)
    }

    /// The agency's name, or the id itself for one no longer in the directory (a referral
    /// made before the directory changed).
    pub fn name_of(&self, id: &str) -> String {
        self.get(id)
            .map_or_else(|| id.to_owned(), |a| a.name.clone())
    }

    /// The agencies for what happened and the help wanted (either may be "any").
    pub fn find(&self, crime: Option<Crime>, need: Option<Need>) -> Vec<&Agency> {
        self.agencies
            .iter()
            .filter(|a| {
                crime.is_none_or(|c| {
                    c == Crime::All || a.crimes.contains(&Crime::All) || a.crimes.contains(&c)
                })
            })
            .filter(|a| need.is_none_or(|n| a.needs.contains(&n)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_directory_reads_and_filters() {
        let d = SupportDirectory::builtin();
        assert!(d.find(None, None).len() >= 12);
        let sexual_health: Vec<&str> = d
            .find(Some(Crime::Sexual), Some(Need::Health))
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(sexual_health, ["the-havens"]);
        // An agency for any crime shows for every crime.
        assert!(
            d.find(Some(Crime::Fraud), Some(Need::Emotional))
                .iter()
                .any(|a| a.id == "samaritans")
        );
        let havens = d.find(Some(Crime::Sexual), Some(Need::Health))[0];
        assert_eq!(havens.tel().as_deref(), Some("02032996900"));
        assert!(havens.about(Lang::Cy).starts_with("Canolfannau"));
        // Every agency speaks every language the pages do.
        for a in d.find(None, None) {
            for lang in Lang::ALL {
                assert!(
                    a.about.contains_key(lang.code()) && a.hours.contains_key(lang.code()),
                    "{} has no {} text",
                    a.id,
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn a_broken_directory_says_where() {
        let e = SupportDirectory::parse(
            "[[agency]]\nid = \"x\"\nname = \"X\"\nweb = \"http://x\"\ncrimes = [\"all\"]\n\
             needs = [\"emotional\"]\nabout = { en-GB = \"a\" }\nhours = { en-GB = \"b\" }\n",
        )
        .unwrap_err();
        assert_eq!(e, "agency `x`: `web` must be an https:// address");
        let e = SupportDirectory::parse(
            "[[agency]]\nid = \"y\"\nname = \"Y\"\ncrimes = [\"burglary\"]\n\
             needs = [\"emotional\"]\nabout = { en-GB = \"a\" }\nhours = { en-GB = \"b\" }\n",
        )
        .unwrap_err();
        assert!(e.contains("`burglary` is not a crime"), "{e}");
    }
}

//! The online victim information leaflet, public and without sign-in: the journey through the
//! justice system step by step, the 12 rights, complaints, reviews and compensation, and the
//! support directory. The printed leaflet's QR code points at `/leaflet`.

pub mod support;

use crate::AppState;
use crate::i18n::{Lang, Texts};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use support::{Agency, Crime, Need};

/// Where "Exit this page" goes: a busy, harmless site that raises no questions on a screen.
pub const EXIT_URL: &str = "https://www.bbc.co.uk/weather";

/// One step of the journey: its texts are `{key}-title`, `{key}-summary`, `{key}-happens`
/// (and `-happens-2` when `second`), `{key}-told-1`…`{key}-told-{told}` and `{key}-help`.
struct Step {
    key: &'static str,
    told: u8,
    second: bool,
}

const STEPS: [Step; 7] = [
    Step {
        key: "report",
        told: 4,
        second: false,
    },
    Step {
        key: "investigation",
        told: 4,
        second: true,
    },
    Step {
        key: "charge",
        told: 3,
        second: false,
    },
    Step {
        key: "pretrial",
        told: 3,
        second: true,
    },
    Step {
        key: "trial",
        told: 2,
        second: true,
    },
    Step {
        key: "sentencing",
        told: 2,
        second: false,
    },
    Step {
        key: "after",
        told: 2,
        second: false,
    },
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/leaflet", get(index))
        .route("/leaflet/steps/{step}", get(step))
        .route("/leaflet/rights", get(rights))
        .route("/leaflet/complaints", get(complaints))
        .route("/leaflet/support", get(support_page))
        .route("/static/exit.js", get(exit_script))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// What every leaflet page shows around its content.
pub struct Chrome {
    pub t: Texts,
    /// This page's address without a query, for the language links.
    pub path: String,
    pub title: String,
    /// A page of the victim's own case: leaving it by "Exit this page" also signs out.
    pub private: bool,
}

pub struct LanguageLink {
    pub code: &'static str,
    pub name: &'static str,
    pub current: bool,
}

impl Chrome {
    pub(crate) fn new(t: Texts, path: impl Into<String>, title_key: &str) -> Self {
        Self {
            title: t.get(title_key),
            t,
            path: path.into(),
            private: false,
        }
    }

    pub fn lang(&self) -> &'static str {
        self.t.lang.code()
    }

    pub fn dir(&self) -> &'static str {
        self.t.lang.dir()
    }

    pub fn exit_url(&self) -> &'static str {
        EXIT_URL
    }

    pub fn languages(&self) -> Vec<LanguageLink> {
        Lang::ALL
            .into_iter()
            .map(|l| LanguageLink {
                code: l.code(),
                name: l.native_name(),
                current: l == self.t.lang,
            })
            .collect()
    }
}

/// A page, with the cookie that remembers a language chosen on it.
pub(crate) fn page(template: impl IntoResponse, remember: Option<HeaderValue>) -> Response {
    let mut response = template.into_response();
    if let Some(cookie) = remember {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

pub struct StepLink {
    pub number: usize,
    pub slug: &'static str,
    pub title: String,
    pub summary: String,
}

fn step_links(t: Texts) -> Vec<StepLink> {
    STEPS
        .iter()
        .enumerate()
        .map(|(i, s)| StepLink {
            number: i + 1,
            slug: s.key,
            title: t.get(&format!("{}-title", s.key)),
            summary: t.get(&format!("{}-summary", s.key)),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "leaflet/index.html")]
struct IndexPage {
    chrome: Chrome,
    steps: Vec<StepLink>,
}

async fn index(Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    let (lang, remember) = Lang::choose(q.lang.as_deref(), &headers);
    let t = Texts::new(lang);
    page(
        IndexPage {
            chrome: Chrome::new(t, "/leaflet", "leaflet-title"),
            steps: step_links(t),
        },
        remember,
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "leaflet/step.html")]
struct StepPage {
    chrome: Chrome,
    label: String,
    summary: String,
    happens: Vec<String>,
    told: Vec<String>,
    help: String,
    /// (address, "Back: …") and (address, "Next: …").
    previous: Option<(&'static str, String)>,
    next: Option<(&'static str, String)>,
}

async fn step(
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let (lang, remember) = Lang::choose(q.lang.as_deref(), &headers);
    let t = Texts::new(lang);
    let Some(i) = STEPS.iter().position(|s| s.key == slug) else {
        return crate::pages::not_found_page("There is no such page in the leaflet.");
    };
    let s = &STEPS[i];
    let key = |suffix: &str| format!("{}-{suffix}", s.key);
    let mut happens = vec![t.get(&key("happens"))];
    if s.second {
        happens.push(t.get(&key("happens-2")));
    }
    let links = step_links(t);
    let around = |j: usize, label: &str| {
        links
            .get(j)
            .map(|l| (l.slug, t.with(label, &[("title", l.title.clone().into())])))
    };
    let next = around(i + 1, "next-step");
    let previous = i.checked_sub(1).and_then(|j| around(j, "previous-step"));
    page(
        StepPage {
            chrome: Chrome::new(t, format!("/leaflet/steps/{}", s.key), &key("title")),
            label: t.with(
                "step-label",
                &[("number", (i + 1).into()), ("total", STEPS.len().into())],
            ),
            summary: t.get(&key("summary")),
            happens,
            told: (1..=s.told)
                .map(|n| t.get(&key(&format!("told-{n}"))))
                .collect(),
            help: t.get(&key("help")),
            previous,
            next,
        },
        remember,
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "leaflet/rights.html")]
struct RightsPage {
    chrome: Chrome,
    rights: Vec<(String, String)>,
}

async fn rights(Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    let (lang, remember) = Lang::choose(q.lang.as_deref(), &headers);
    let t = Texts::new(lang);
    page(
        RightsPage {
            chrome: Chrome::new(t, "/leaflet/rights", "rights-title"),
            rights: (1..=12)
                .map(|n| {
                    (
                        t.get(&format!("right-{n}-title")),
                        t.get(&format!("right-{n}-text")),
                    )
                })
                .collect(),
        },
        remember,
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "leaflet/complaints.html")]
struct ComplaintsPage {
    chrome: Chrome,
}

async fn complaints(Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    let (lang, remember) = Lang::choose(q.lang.as_deref(), &headers);
    let t = Texts::new(lang);
    page(
        ComplaintsPage {
            chrome: Chrome::new(t, "/leaflet/complaints", "help-title"),
        },
        remember,
    )
}

#[derive(Deserialize)]
struct SupportQuery {
    lang: Option<String>,
    crime: Option<String>,
    need: Option<String>,
}

pub struct Choice {
    pub slug: &'static str,
    pub label: String,
    pub selected: bool,
}

pub struct AgencyView {
    pub name: String,
    pub about: String,
    pub hours: String,
    pub phone: Option<String>,
    pub tel: Option<String>,
    pub web: Option<String>,
}

impl AgencyView {
    fn new(a: &Agency, lang: Lang) -> Self {
        Self {
            name: a.name.clone(),
            about: a.about(lang).to_owned(),
            hours: a.hours(lang).to_owned(),
            phone: a.phone.clone(),
            tel: a.tel(),
            web: a.web.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "leaflet/support.html")]
struct SupportPage {
    chrome: Chrome,
    crimes: Vec<Choice>,
    needs: Vec<Choice>,
    count: String,
    agencies: Vec<AgencyView>,
}

async fn support_page(
    State(state): State<AppState>,
    Query(q): Query<SupportQuery>,
    headers: HeaderMap,
) -> Response {
    let (lang, remember) = Lang::choose(q.lang.as_deref(), &headers);
    let t = Texts::new(lang);
    // An unknown choice (an old link, a typo) means "any", never an error page.
    let crime = q.crime.as_deref().and_then(Crime::parse);
    let need = q.need.as_deref().and_then(Need::parse);
    let found = state.config.support_directory.find(crime, need);
    page(
        SupportPage {
            chrome: Chrome::new(t, "/leaflet/support", "support-title"),
            crimes: Crime::ALL
                .into_iter()
                .filter(|c| *c != Crime::All)
                .map(|c| Choice {
                    slug: c.slug(),
                    label: t.get(&format!("crime-{}", c.slug())),
                    selected: crime == Some(c),
                })
                .collect(),
            needs: Need::ALL
                .into_iter()
                .map(|n| Choice {
                    slug: n.slug(),
                    label: t.get(&format!("need-{}", n.slug())),
                    selected: need == Some(n),
                })
                .collect(),
            count: t.with("filter-results", &[("count", found.len().into())]),
            agencies: found
                .into_iter()
                .map(|a| AgencyView::new(a, lang))
                .collect(),
        },
        remember,
    )
}

async fn exit_script() -> Response {
    crate::pages::static_asset(
        include_str!("../../static/exit.js"),
        "text/javascript; charset=utf-8",
    )
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, Texts};

    /// Every English text of the leaflet, as a reader meets it.
    /// Every English text a victim reads: the leaflet, their case pages and our messages.
    fn english_texts() -> Vec<String> {
        [
            include_str!("../../locales/en-GB/leaflet.ftl"),
            include_str!("../../locales/en-GB/portal.ftl"),
            include_str!("../../locales/en-GB/messages.ftl"),
        ]
        .concat()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = ").map(|(key, _)| key.trim().to_owned()))
        .map(|key| {
            Texts::new(Lang::EnGb).with(
                &key,
                &[
                    ("count", 2.into()),
                    ("number", 1.into()),
                    ("total", 7.into()),
                    ("title", "The trial".into()),
                    ("date", "3 March 2027".into()),
                    ("channels", "Email, Letter".into()),
                    ("from", "21:00".into()),
                    ("to", "08:00".into()),
                    ("reference", "1234567/26".into()),
                    ("helpline", "101".into()),
                    ("leaflet", "the leaflet".into()),
                ],
            )
        })
        .collect()
    }

    #[test]
    fn the_english_leaflet_is_easy_to_read() {
        // Sentences as a reader meets them: a label without a full stop is still one.
        let directory = super::support::SupportDirectory::builtin();
        let agencies = directory
            .find(None, None)
            .into_iter()
            .map(|a| a.about(Lang::EnGb).to_owned());
        let text: String = english_texts()
            .into_iter()
            .chain(agencies)
            .map(|t| {
                let t = t.trim();
                if t.ends_with(['.', '!', '?']) {
                    format!("{t} ")
                } else {
                    format!("{t}. ")
                }
            })
            .collect();
        let ease = textstat::flesch_reading_ease(&text);
        println!(
            "Flesch reading ease of the English leaflet, case pages, messages and directory: {ease:.1}"
        );
        assert!(ease >= 60.0, "reading ease {ease:.1} is below 60");
    }

    #[test]
    fn the_journey_has_every_text_it_names() {
        let t = Texts::new(Lang::EnGb);
        for s in &super::STEPS {
            let mut keys = vec![
                format!("{}-title", s.key),
                format!("{}-summary", s.key),
                format!("{}-happens", s.key),
                format!("{}-help", s.key),
            ];
            if s.second {
                keys.push(format!("{}-happens-2", s.key));
            }
            keys.extend((1..=s.told).map(|n| format!("{}-told-{n}", s.key)));
            for key in keys {
                assert!(t.has(&key), "no text for {key}");
            }
        }
    }
}

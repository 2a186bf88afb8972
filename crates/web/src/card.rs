//! The printed card a victim is handed: their crime reference, who to call, and the QR code of
//! their own link, with a short instruction in their language. Rendered as HTML for a
//! browser to print (`victimcare portal card` prints it to PDF with headless Chromium, which
//! shapes every script we support, Arabic and Urdu included, with the fonts it finds).

use crate::i18n::{Lang, Texts};
use askama::Template;

/// What goes on a card.
pub struct CardContent {
    pub lang: Lang,
    pub crime_reference: String,
    /// "DC Okoro, Lewisham CID", if an officer is named yet.
    pub officer: Option<String>,
    pub officer_phone: Option<String>,
    pub helpline: String,
    /// The victim's link, printed small for anyone who cannot scan.
    pub url: String,
    /// The link's QR code as SVG markup, made by us from `url`.
    pub qr_svg: String,
}

#[derive(Template)]
#[template(path = "card.html")]
struct CardPage<'a> {
    t: Texts,
    lang: &'static str,
    dir: &'static str,
    card: &'a CardContent,
}

/// The card as a complete HTML document, with its print styles inline.
pub fn render(card: &CardContent) -> Result<String, askama::Error> {
    CardPage {
        t: Texts::new(card.lang),
        lang: card.lang.code(),
        dir: card.lang.dir(),
        card,
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(lang: Lang) -> CardContent {
        CardContent {
            lang,
            crime_reference: "1234567/26".into(),
            officer: Some("DC Okoro, <Lewisham CID>".into()),
            officer_phone: None,
            helpline: "101".into(),
            url: "https://victims.example/p/ab12".into(),
            qr_svg: "<svg id=\"qr\"></svg>".into(),
        }
    }

    #[test]
    fn says_the_reference_helpline_and_instruction_in_the_victims_language() {
        let html = render(&card(Lang::Cy)).unwrap();
        assert!(html.contains("lang=\"cy\" dir=\"ltr\""));
        assert!(html.contains("1234567/26") && html.contains("101"));
        assert!(html.contains(&Texts::new(Lang::Cy).get("card-scan")));
        assert!(html.contains("<svg id=\"qr\">"), "the QR code is drawn");
        assert!(html.contains("&#60;Lewisham CID&#62;") || html.contains("&lt;Lewisham CID&gt;"));
    }

    #[test]
    fn runs_right_to_left_in_arabic_and_urdu() {
        for lang in [Lang::Ar, Lang::Ur] {
            assert!(render(&card(lang)).unwrap().contains("dir=\"rtl\""));
        }
    }
}

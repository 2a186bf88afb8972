//! The online leaflet through the real server: every page, both languages, the exit control
//! and the support directory's filters.

use crate::helpers::spawn_app;
use reqwest::StatusCode;

const PAGES: [&str; 11] = [
    "/leaflet",
    "/leaflet/steps/report",
    "/leaflet/steps/investigation",
    "/leaflet/steps/charge",
    "/leaflet/steps/pretrial",
    "/leaflet/steps/trial",
    "/leaflet/steps/sentencing",
    "/leaflet/steps/after",
    "/leaflet/rights",
    "/leaflet/complaints",
    "/leaflet/support",
];

#[tokio::test]
async fn every_leaflet_page_has_the_exit_first_in_english_and_welsh() {
    let app = spawn_app().await;
    for path in PAGES {
        for (lang, words) in [("en-GB", "Exit this page"), ("cy", "Gadael y dudalen hon")] {
            let response = app
                .client
                .get(app.url(&format!("{path}?lang={lang}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path} {lang}");
            assert_eq!(response.headers()["cache-control"], "no-store");
            let cookie = response.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(cookie.starts_with(&format!("lang={lang};")), "{cookie}");
            let html = response.text().await.unwrap();
            assert!(
                html.contains(&format!("<html lang=\"{lang}\" dir=\"ltr\">")),
                "{path}"
            );
            let exit = html.find("data-exit").expect("an exit control");
            let main = html.find("<main").unwrap();
            assert!(
                exit < main,
                "{path}: the exit control comes before the content"
            );
            assert!(html.contains("href=\"https://www.bbc.co.uk/weather\""));
            assert!(html.contains(words), "{path} in {lang}");
            assert!(!html.contains("{ $"), "{path}: an unfilled placeholder");
        }
    }
}

#[tokio::test]
async fn arabic_and_urdu_read_right_to_left() {
    let app = spawn_app().await;
    for lang in ["ar", "ur"] {
        let (status, html) = app.get_html(&format!("/leaflet?lang={lang}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains(&format!("<html lang=\"{lang}\" dir=\"rtl\">")),
            "{lang}"
        );
        assert!(
            !html.contains("What happens after you report a crime"),
            "{lang} is translated"
        );
    }
}

#[tokio::test]
async fn the_language_is_remembered_and_taken_from_the_browser() {
    let app = spawn_app().await;
    let (_, html) = app.get_html("/leaflet").await;
    assert!(html.contains("What happens after you report a crime"));
    let welsh = app
        .client
        .get(app.url("/leaflet/rights"))
        .header("accept-language", "cy,en;q=0.8")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(welsh.contains("Eich 12 hawl"));
    let remembered = app
        .client
        .get(app.url("/leaflet/steps/trial"))
        .header("cookie", "lang=cy")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(remembered.contains("Y treial"));
    assert!(remembered.contains("Cam 5 o 7"));
}

#[tokio::test]
async fn the_support_directory_filters_by_crime_and_need() {
    let app = spawn_app().await;
    let (status, html) = app
        .get_html("/leaflet/support?crime=sexual&need=health")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("The Havens"));
    assert!(!html.contains("Samaritans"), "not a health service");
    assert!(html.contains("href=\"tel:02032996900\""));
    assert!(html.contains("<option value=\"sexual\" selected>"));
    // Unknown choices mean "any": an old or mistyped link still helps.
    let (status, html) = app.get_html("/leaflet/support?crime=zzz&need=").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Samaritans") && html.contains("Rape Crisis"));
    // Nothing for fraud and health: said plainly.
    let (_, html) = app
        .get_html("/leaflet/support?crime=fraud&need=health")
        .await;
    assert!(html.contains("No service matches"));
}

#[tokio::test]
async fn an_unknown_step_is_not_found_and_the_script_is_served() {
    let app = spawn_app().await;
    assert_eq!(
        app.get_html("/leaflet/steps/nowhere").await.0,
        StatusCode::NOT_FOUND
    );
    let script = app
        .client
        .get(app.url("/static/exit.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
}

//! `victimcare portal link|qr|card|pin`: a victim's own link to their case, and their PIN.

use crate::cli::{PortalVictim, QrFormat};
use anyhow::Context as _;
use chrono::Utc;
use qrcode::QrCode;
use std::path::{Path, PathBuf};
use store::Db;

/// Issues a new link for the victim and returns its URL.
pub async fn issue(db: &Db, who: &PortalVictim, public_url: &str) -> anyhow::Result<String> {
    let reference = reference_of(who)?;
    let access = db
        .issue_portal_access(&reference, who.victim, &who.by, Utc::now())
        .await
        .map_err(refused_as_flags)?;
    Ok(format!(
        "{}/p/{}",
        public_url.trim_end_matches('/'),
        access.token
    ))
}

fn reference_of(who: &PortalVictim) -> anyhow::Result<domain::CrimeReference> {
    domain::CrimeReference::parse(&who.crime_reference)
        .map_err(|p| anyhow::anyhow!("--crime-reference: {p}"))
}

/// Sets the victim's PIN from standard input, or clears it; returns what was done.
pub async fn pin(db: &Db, who: &PortalVictim, clear: bool) -> anyhow::Result<String> {
    use std::io::IsTerminal as _;
    let reference = reference_of(who)?;
    let (case_id, victim_id) = db
        .portal_victim(&reference, who.victim)
        .await
        .map_err(refused_as_flags)?;
    if clear {
        return Ok(if db.clear_portal_pin(case_id, victim_id).await? {
            "The PIN is cleared: the victim's date of birth opens their page again.".into()
        } else {
            "The victim had no PIN.".into()
        });
    }
    if std::io::stdin().is_terminal() {
        eprintln!("Type the PIN the victim chose, then press Enter:");
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the PIN from standard input")?;
    let born = db
        .case_by_id(case_id)
        .await?
        .and_then(|c| c.victims.into_iter().find(|v| v.victim_id == victim_id))
        .and_then(|v| v.record.date_of_birth)
        .map(|d| d.date());
    let chosen = domain::pin::Pin::parse(&line, born).map_err(|e| anyhow::anyhow!("PIN: {e}"))?;
    db.set_portal_pin(case_id, victim_id, &chosen, &who.by, None, Utc::now())
        .await?;
    Ok("The PIN is set: from now on it, not the date of birth, opens the victim's page.".into())
}

/// Store refusals name fields; on the command line they are flags.
fn refused_as_flags(e: store::StoreError) -> anyhow::Error {
    match e {
        store::StoreError::Refused(problems) => anyhow::anyhow!(
            "{}",
            problems
                .iter()
                .map(|p| format!("--{}: {}", p.field.replace('_', "-"), p.problem))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        other => other.into(),
    }
}

/// The browser that prints cards: the one named, or the first of the usual names on the PATH.
pub fn find_chromium(named: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(path) = named {
        return Ok(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    anyhow::bail!(
        "printing a card needs Chromium (Debian: apt-get install chromium); \
         name it with --chromium or VICTIMCARE_CHROMIUM"
    )
}

/// Issues a new link for the victim and prints their card to `out` as PDF.
pub async fn card(
    db: &Db,
    who: &PortalVictim,
    web: &crate::config::WebSettings,
    chromium: &Path,
    out: &Path,
) -> anyhow::Result<()> {
    let reference = reference_of(who)?;
    let (_, victim_id) = db
        .portal_victim(&reference, who.victim)
        .await
        .map_err(refused_as_flags)?;
    let case = db
        .case_by_reference(&reference)
        .await?
        .context("the case has gone")?;
    let record = case
        .victims
        .iter()
        .find(|v| v.victim_id == victim_id)
        .map(|v| &v.record)
        .context("the victim has gone")?;
    let officer = case.state.officer.as_ref();
    let url = issue(db, who, &web.public_url).await?;
    let content = web::card::CardContent {
        lang: web::i18n::Lang::parse(record.language.as_str()).unwrap_or(web::i18n::Lang::EnGb),
        crime_reference: reference.to_string(),
        officer: officer.map(|o| match &o.team {
            Some(team) => format!("{}, {}", o.name, team),
            None => o.name.to_string(),
        }),
        officer_phone: officer
            .and_then(|o| o.phone.as_ref())
            .map(ToString::to_string),
        helpline: web.helpline.clone(),
        qr_svg: qr_svg(&url)?,
        url,
    };
    let html = web::card::render(&content).context("the card cannot be drawn")?;
    print_pdf(&html, chromium, out).await.context(
        "the new link was issued (the old one no longer works) but its card was not printed; \
         run the command again",
    )
}

/// Prints an HTML page to PDF with headless Chromium. The page holds the victim's link, so it
/// lives only in a private temporary folder, removed when this returns.
async fn print_pdf(html: &str, chromium: &Path, out: &Path) -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("cannot make a temporary folder")?;
    let page = dir.path().join("card.html");
    std::fs::write(&page, html).context("cannot write the card's page")?;
    // Printed inside the private folder and moved into place only when checked: a file left
    // at `out` from an earlier card (another victim's) can never pass for this one.
    let target = dir.path().join("card.pdf");
    let page_url = reqwest::Url::from_file_path(&page)
        .map_err(|()| anyhow::anyhow!("the temporary folder has no usable path"))?;
    // Chromium's sandbox guards against hostile web pages; this page is ours, read from a
    // file, with no scripts and nothing fetched, and the sandbox cannot start as root.
    let printing = tokio::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", target.display()))
        .arg(page_url.as_str())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .output();
    let done = tokio::time::timeout(std::time::Duration::from_secs(60), printing)
        .await
        .context("Chromium took more than a minute")?
        .with_context(|| format!("cannot run {}", chromium.display()))?;
    let written = std::fs::read(&target).unwrap_or_default();
    if !done.status.success() || !written.starts_with(b"%PDF") {
        let said = String::from_utf8_lossy(&done.stderr);
        let last = said.lines().last().unwrap_or("");
        anyhow::bail!("Chromium did not print the card ({}): {last}", done.status);
    }
    std::fs::write(out, written).with_context(|| format!("cannot write {}", out.display()))
}

fn qr_svg(url: &str) -> anyhow::Result<String> {
    let code = QrCode::new(url.as_bytes()).context("the link is too long for a QR code")?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .build())
}

/// Writes `url` as a QR code: SVG, or a PNG of 8 pixels a module with the quiet zone.
pub fn write_qr(url: &str, format: QrFormat, out: &Path) -> anyhow::Result<()> {
    let code = QrCode::new(url.as_bytes()).context("the link is too long for a QR code")?;
    match format {
        QrFormat::Svg => std::fs::write(out, qr_svg(url)?)
            .with_context(|| format!("cannot write {}", out.display())),
        QrFormat::Png => {
            const SCALE: usize = 8;
            const QUIET: usize = 4;
            let width = code.width();
            let side = (width + 2 * QUIET) * SCALE;
            let colors = code.to_colors();
            let mut pixels = vec![255_u8; side * side];
            for (i, color) in colors.iter().enumerate() {
                if *color == qrcode::Color::Dark {
                    let (x, y) = (i % width + QUIET, i / width + QUIET);
                    for dy in 0..SCALE {
                        let row = (y * SCALE + dy) * side;
                        pixels[row + x * SCALE..row + (x + 1) * SCALE].fill(0);
                    }
                }
            }
            let file = std::fs::File::create(out)
                .with_context(|| format!("cannot write {}", out.display()))?;
            let side = u32::try_from(side).context("QR code too large")?;
            let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), side, side);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header()?;
            writer.write_image_data(&pixels)?;
            writer.finish()?;
            Ok(())
        }
    }
}

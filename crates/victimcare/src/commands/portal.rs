//! `victimcare portal link|qr|pin`: a victim's own link to their case, and their PIN.

use crate::cli::{PortalVictim, QrFormat};
use anyhow::Context as _;
use chrono::Utc;
use qrcode::QrCode;
use std::path::Path;
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
    db.set_portal_pin(case_id, victim_id, &chosen, &who.by, Utc::now())
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

/// Writes `url` as a QR code: SVG, or a PNG of 8 pixels a module with the quiet zone.
pub fn write_qr(url: &str, format: QrFormat, out: &Path) -> anyhow::Result<()> {
    let code = QrCode::new(url.as_bytes()).context("the link is too long for a QR code")?;
    match format {
        QrFormat::Svg => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .build();
            std::fs::write(out, svg).with_context(|| format!("cannot write {}", out.display()))
        }
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

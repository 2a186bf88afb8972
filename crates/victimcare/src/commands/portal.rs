//! `victimcare portal link|qr`: a victim's own link to their case.

use crate::cli::{PortalVictim, QrFormat};
use anyhow::Context as _;
use chrono::Utc;
use qrcode::QrCode;
use std::path::Path;
use store::Db;

/// Issues a new link for the victim and returns its URL.
pub async fn issue(db: &Db, who: &PortalVictim, public_url: &str) -> anyhow::Result<String> {
    let reference = domain::CrimeReference::parse(&who.crime_reference)
        .map_err(|p| anyhow::anyhow!("--crime-reference: {p}"))?;
    let access = db
        .issue_portal_access(&reference, who.victim, &who.by, Utc::now())
        .await
        .map_err(|e| match e {
            store::StoreError::Refused(problems) => anyhow::anyhow!(
                "{}",
                problems
                    .iter()
                    .map(|p| format!("--{}: {}", p.field.replace('_', "-"), p.problem))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            other => other.into(),
        })?;
    Ok(format!(
        "{}/p/{}",
        public_url.trim_end_matches('/'),
        access.token
    ))
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

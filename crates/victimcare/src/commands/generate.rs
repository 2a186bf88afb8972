use anyhow::Context as _;
use chrono::{DateTime, Utc};
use std::io::{BufWriter, Write};
use std::path::Path;

pub fn generate(cases: u64, seed: u64, out: &Path, as_of: DateTime<Utc>) -> anyhow::Result<()> {
    let writer: Box<dyn Write> = if out.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(
            std::fs::File::create(out)
                .with_context(|| format!("cannot create {}", out.display()))?,
        )
    };
    let mut writer = BufWriter::with_capacity(1 << 20, writer);
    let mut events = 0_u64;
    for case in synth::Generator::new(seed, cases, as_of) {
        for event in case {
            serde_json::to_writer(&mut writer, &event)?;
            writer.write_all(b"\n")?;
            events += 1;
        }
    }
    writer.flush()?;
    if out.as_os_str() != "-" {
        println!(
            "Wrote {events} events of {cases} cases to {}.",
            out.display()
        );
    }
    Ok(())
}

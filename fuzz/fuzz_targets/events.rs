//! Anything the crime recording system might send as a batch: parsing and validation must
//! answer with problems or events, never panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::value::RawValue;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("a valid time");
    // One event on its own, as the JSONL import reads it.
    let _ = domain::Event::parse(text, now);
    // A batch, as the API reads it.
    if let Ok(events) = serde_json::from_str::<Vec<&RawValue>>(text) {
        if let Ok(parsed) = domain::ingest::parse_batch(&events, now, 100) {
            // What parses must serialise again and read back the same.
            for e in parsed {
                let again = domain::Event::parse(&serde_json::to_string(&e).expect("serialises"), now);
                assert!(again.is_ok(), "an accepted event did not read back: {again:?}");
            }
        }
    }
});

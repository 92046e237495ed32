//! Entry points that feed arbitrary bytes to every reader and value parser: the fuzz
//! targets under `fuzz/` and the property tests call these, and so do the tests that replay
//! the fuzz corpus. Each entry point either returns or fails an assertion about what the
//! parser promised; a panic anywhere below is a bug the fuzzer reports.
//!
//! An import goes into a fresh in-memory archive, and when it succeeds the archive must
//! pass everything `sitrep check` checks (integrity, foreign keys, invariants, rollups).

use std::path::PathBuf;

use anyhow::{Result, bail};
use rusqlite::Connection;

use crate::cli::{InputFormat, RecordKind};
use crate::import::mapping::Mapping;
use crate::import::value::{DateOrder, NumberContext, parse_date, parse_figure};
use crate::import::{self, FileReport, Options};

/// Where inputs are written for the importer to read (it reads files, and reads some twice).
fn scratch_file(extension: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("sitrep-harness-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    Ok(dir.join(format!("input-{thread}.{extension}")))
}

/// Import options chosen by one byte, so that a fuzzer explores them too.
pub fn options_from_byte(b: u8) -> Options {
    Options {
        kind: match b & 3 {
            1 => Some(RecordKind::Events),
            2 => Some(RecordKind::Articles),
            3 => Some(RecordKind::Entities),
            _ => None,
        },
        date_order: match (b >> 2) & 3 {
            1 => Some(DateOrder::Dmy),
            2 => Some(DateOrder::Mdy),
            _ => None,
        },
        skip_bad: b & 16 != 0,
        read: import::source::ReadSettings {
            delimiter: match (b >> 5) & 3 {
                1 => Some(b';'),
                2 => Some(b'\t'),
                3 => Some(b','),
                _ => None,
            },
            skip_rows: u64::from(b >> 7),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Imports `bytes` as a file with this extension into a fresh in-memory archive. An error
/// is a fine outcome (bad input); a successful import must leave a sound archive.
pub fn import_bytes(
    extension: &str,
    bytes: &[u8],
    opts: &Options,
) -> Result<(FileReport, Connection)> {
    import_into(fresh_archive()?, extension, bytes, opts)
}

thread_local! {
    /// A fresh archive built once per thread, copied for each input: building one takes
    /// far longer than copying it.
    static TEMPLATE: Option<Connection> = crate::db::open_fresh_in_memory().ok();
}

/// A fresh in-memory archive at the current schema.
fn fresh_archive() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    let copied = TEMPLATE.with(|template| -> Result<bool> {
        let Some(template) = template else {
            return Ok(false);
        };
        let backup = rusqlite::backup::Backup::new(template, &mut conn)?;
        backup.run_to_completion(1 << 20, std::time::Duration::ZERO, None)?;
        Ok(true)
    })?;
    if !copied {
        return crate::db::open_fresh_in_memory();
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

fn import_into(
    mut conn: Connection,
    extension: &str,
    bytes: &[u8],
    opts: &Options,
) -> Result<(FileReport, Connection)> {
    let path = scratch_file(extension)?;
    std::fs::write(&path, bytes)?;
    let report = import::import_file(&mut conn, &path, opts, None);
    let _ = std::fs::remove_file(&path);
    let report = report?;
    let problems = crate::cmd::check::problems(&conn)?;
    if !problems.is_empty() {
        bail!("the import succeeded but left problems: {problems:?}");
    }
    Ok((report, conn))
}

/// One fuzz input as a mapping file and a data file, split at the first NUL byte (no NUL:
/// the whole input is the mapping, applied to a small fixed CSV).
pub fn import_mapped(bytes: &[u8]) -> Result<(FileReport, Connection)> {
    let (mapping, data) = match bytes.iter().position(|&b| b == 0) {
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (
            bytes,
            &b"date,type,drones,place\n2025-06-01,attack,12,Kharkiv\n2025-06-02,strike,,Odesa\n"[..],
        ),
    };
    let text = String::from_utf8_lossy(mapping);
    let conn = crate::db::open_fresh_in_memory()?;
    let kinds: Vec<String> = conn
        .prepare("SELECT name FROM figure_kinds")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mapping = Mapping::parse("fuzz", &text, &kinds)?;
    let extension = if data.first() == Some(&b'[') || data.first() == Some(&b'{') {
        "json"
    } else {
        "csv"
    };
    let opts = Options {
        mapping: Some(mapping),
        ..Default::default()
    };
    import_into(conn, extension, data, &opts)
}

/// Parses text as a date in every order, and checks what a parsed date promises: its ISO
/// form reads back as the same day.
pub fn dates(text: &str) {
    for order in [None, Some(DateOrder::Dmy), Some(DateOrder::Mdy)] {
        if let Ok(Some(parsed)) = parse_date(text, order) {
            let iso = parsed.iso_date();
            match parse_date(&iso, None) {
                Ok(Some(again)) => assert_eq!(again.date, parsed.date, "{text:?} → {iso}"),
                other => panic!("{text:?} parsed as {iso}, which reads back as {other:?}"),
            }
        }
    }
}

/// Parses text as a figure with and without a semicolon delimiter, and checks what a
/// parsed figure promises: no negative count, and a range's low end not above its high end.
pub fn figures(text: &str) {
    for delimiter in [None, Some(b';'), Some(b',')] {
        if let Ok(Some(figure)) = parse_figure(text, NumberContext { delimiter }) {
            if let Some(v) = figure.value {
                assert!(v >= 0, "{text:?} gave a negative count {v}");
            }
            if let (Some(lo), Some(hi)) = (figure.low, figure.high) {
                assert!(lo <= hi, "{text:?} gave the range {lo}..{hi}");
            }
        }
    }
}

/// The format a fuzz target's bytes are imported as.
pub fn extension_of(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Csv => "csv",
        InputFormat::Tsv => "tsv",
        InputFormat::Json => "json",
        InputFormat::Ndjson => "ndjson",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::Path;

    /// Every seed the fuzz targets start from, and every input a fuzzer once found to
    /// break something (`fuzz/regressions/TARGET/`), run through the same entry points.
    #[test]
    fn fuzz_seeds_and_regressions_run_clean() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        let mut ran = 0;
        for set in ["seeds", "regressions"] {
            for target in ["csv", "json", "ndjson", "mapping", "dates", "numbers"] {
                let Ok(dir) = std::fs::read_dir(root.join(set).join(target)) else {
                    continue;
                };
                for entry in dir {
                    let data = std::fs::read(entry.unwrap().path()).unwrap();
                    run_target(target, &data);
                    ran += 1;
                }
            }
        }
        assert!(ran >= 50, "only {ran} seeds found under fuzz/");
    }

    /// What each fuzz target does with its input (fuzz/fuzz_targets/*.rs).
    fn run_target(target: &str, data: &[u8]) {
        match target {
            "mapping" => drop(import_mapped(data)),
            "dates" | "numbers" => {
                if let Ok(text) = std::str::from_utf8(data) {
                    if target == "dates" {
                        dates(text)
                    } else {
                        figures(text)
                    }
                }
            }
            format => {
                if let Some((&b, bytes)) = data.split_first() {
                    drop(import_bytes(format, bytes, &options_from_byte(b)));
                }
            }
        }
    }

    /// The seeds taken from the project's fixtures import (with the options byte 0: all
    /// guessed), so the fuzzers start from inputs that reach deep into the importer.
    #[test]
    fn fixture_seeds_import() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
        for (target, name) in [
            ("csv", "samples-events"),
            ("json", "samples-articles"),
            ("ndjson", "three"),
        ] {
            let data = std::fs::read(root.join(target).join(name)).unwrap();
            let (report, _) = import_bytes(target, &data[1..], &options_from_byte(0))
                .unwrap_or_else(|e| panic!("{target}/{name}: {e:#}"));
            assert!(report.rows.added > 0, "{target}/{name} added nothing");
        }
    }

    /// One generated event: a day, a place and two counts (each may be unknown).
    #[derive(Debug, Clone)]
    struct Event {
        day: u32,
        place: String,
        notes: String,
        drones: Option<u64>,
        killed: Option<u64>,
    }

    fn event() -> impl Strategy<Value = Event> {
        (
            0u32..2000,
            "\\PC{1,12}",
            "(\\PC|[\"',;\t\r\n]){0,40}",
            prop::option::of(0u64..=1_000_000_000_000_000),
            prop::option::of(0u64..100_000),
        )
            .prop_map(|(day, place, notes, drones, killed)| Event {
                day,
                place,
                notes,
                drones,
                killed,
            })
    }

    fn iso(day: u32) -> String {
        let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
        (start + chrono::Days::new(u64::from(day))).to_string()
    }

    fn csv_of(events: &[Event], delimiter: u8) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(Vec::new());
        w.write_record([
            "event_id",
            "date",
            "location",
            "notes",
            "drones_launched",
            "killed",
        ])
        .unwrap();
        for (i, e) in events.iter().enumerate() {
            let count = |c: Option<u64>| c.map(|v| v.to_string()).unwrap_or_default();
            w.write_record([
                format!("g-{i}"),
                iso(e.day),
                e.place.clone(),
                e.notes.clone(),
                count(e.drones),
                count(e.killed),
            ])
            .unwrap();
        }
        w.into_inner().unwrap()
    }

    fn json_values(events: &[Event]) -> Vec<serde_json::Value> {
        events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                serde_json::json!({
                    "event_id": format!("g-{i}"),
                    "date": iso(e.day),
                    "location": e.place,
                    "notes": e.notes,
                    "drones_launched": e.drones,
                    "killed": e.killed,
                })
            })
            .collect()
    }

    /// (events, sum of drones, number of known drone counts, sum killed) in an archive.
    fn totals(conn: &Connection) -> (i64, i64, i64, i64) {
        conn.query_row(
            "SELECT (SELECT count(*) FROM events), \
             (SELECT ifnull(sum(value), 0) FROM quantities WHERE kind = 'drones_launched'), \
             (SELECT count(*) FROM quantities WHERE kind = 'drones_launched'), \
             (SELECT ifnull(sum(value), 0) FROM quantities WHERE kind = 'killed')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
    }

    fn expected(events: &[Event]) -> (i64, i64, i64, i64) {
        let sum = |f: fn(&Event) -> Option<u64>| events.iter().filter_map(f).sum::<u64>() as i64;
        (
            events.len() as i64,
            sum(|e| e.drones),
            events.iter().filter(|e| e.drones.is_some()).count() as i64,
            sum(|e| e.killed),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any table of events (text with quotes, delimiters, line breaks and any script;
        /// counts up to 10^15, some unknown) imports whole from CSV, TSV, a semicolon file,
        /// a JSON array and NDJSON, and every one gives the same totals as the rows.
        #[test]
        fn every_reader_imports_generated_events_exactly(
            events in prop::collection::vec(event(), 1..25)
        ) {
            let want = expected(&events);
            let values = json_values(&events);
            let ndjson: String = values.iter().map(|v| format!("{v}\n")).collect();
            let inputs: Vec<(&str, Vec<u8>)> = vec![
                ("csv", csv_of(&events, b',')),
                ("tsv", csv_of(&events, b'\t')),
                ("csv", csv_of(&events, b';')),
                ("json", serde_json::to_vec(&values).unwrap()),
                ("ndjson", ndjson.into_bytes()),
            ];
            for (extension, bytes) in inputs {
                let (report, conn) = import_bytes(extension, &bytes, &Options::default())
                    .map_err(|e| TestCaseError::fail(format!("{extension}: {e:#}")))?;
                prop_assert_eq!(report.rows.added, events.len() as u64);
                prop_assert_eq!(totals(&conn), want, "{}", extension);
            }
        }

        /// Arbitrary bytes and arbitrary cells never panic any reader: the import succeeds
        /// with a sound archive or fails with an error.
        #[test]
        fn any_bytes_are_an_import_or_an_error(
            bytes in prop::collection::vec(any::<u8>(), 0..400),
            options in any::<u8>(),
        ) {
            for extension in ["csv", "json", "ndjson", "tsv"] {
                let _ = import_bytes(extension, &bytes, &options_from_byte(options));
            }
        }

        #[test]
        fn any_cells_are_an_import_or_an_error(
            header in prop::sample::subsequence(
                vec!["date", "type", "location", "drones_launched", "killed", "actors",
                     "url", "title", "name", "kind", "weapon", "latitude", "notes"], 1..8),
            cells in prop::collection::vec(prop::collection::vec("\\PC{0,12}", 8), 1..6),
            options in any::<u8>(),
        ) {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&header).unwrap();
            for row in &cells {
                w.write_record(&row[..header.len()]).unwrap();
            }
            let bytes = w.into_inner().unwrap();
            if let Err(e) = import_bytes("csv", &bytes, &options_from_byte(options)) {
                let message = format!("{e:#}");
                prop_assert!(!message.is_empty());
            }
        }
    }
}

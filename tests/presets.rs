//! The bundled presets on fixtures in the shapes of the real files (Air Force daily reports
//! and weapon catalogue, ACLED, UCDP GED, news headlines), each checked against a
//! computation over the same fixture made here, independently of sitrep; and, when the
//! real reference files are present (`../shared/data`), the same checks on them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::Connection;
use rusqlite::types::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// Helpers (copied here rather than shared, so that this file stands alone)
// ---------------------------------------------------------------------------

struct Out {
    stdout: String,
    stderr: String,
    success: bool,
}

struct Archive {
    dir: TempDir,
    db: PathBuf,
}

impl Archive {
    fn new() -> Archive {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join("archive.db");
        Archive { dir, db }
    }

    fn run(&self, args: &[&str]) -> Out {
        let mut cmd = Command::cargo_bin("sitrep").expect("the sitrep binary is built");
        cmd.env_remove("SITREP_DB")
            .current_dir(self.dir.path())
            .arg("--db")
            .arg(&self.db)
            .args(args);
        let out = cmd.output().expect("sitrep runs");
        Out {
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
            success: out.status.success(),
        }
    }

    fn ok(&self, args: &[&str]) -> Out {
        let out = self.run(args);
        assert!(
            out.success,
            "sitrep {args:?} failed\nstdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        );
        out
    }

    /// `import --preset NAME FILE`, which must succeed.
    fn import(&self, preset: &str, file: &Path) -> Out {
        self.ok(&[
            "import",
            "--preset",
            preset,
            file.to_str().expect("UTF-8 path"),
        ])
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write a test file");
        path
    }

    fn conn(&self) -> Connection {
        Connection::open(&self.db).expect("open the archive")
    }

    /// Every row of a query, cells joined with `|` (NULL shown as `NULL`).
    fn rows(&self, sql: &str) -> Vec<String> {
        let conn = self.conn();
        let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let n = stmt.column_count();
        let mut out = Vec::new();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| match row.get::<_, Value>(i).unwrap() {
                    Value::Null => "NULL".to_string(),
                    Value::Integer(v) => v.to_string(),
                    Value::Real(v) => v.to_string(),
                    Value::Text(t) => t,
                    Value::Blob(b) => format!("{b:?}"),
                })
                .collect();
            out.push(cells.join("|"));
        }
        out
    }

    /// A daily series from `query run NAME -f csv`: date → its two columns (empty = None).
    fn daily(&self, name: &str) -> Daily {
        let out = self.ok(&["query", "run", name, "-f", "csv"]);
        let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
        let mut series = Daily::new();
        for record in reader.records() {
            let record = record.unwrap();
            let num = |i: usize| -> Option<i64> {
                let cell = record.get(i).unwrap_or_default();
                (!cell.is_empty()).then(|| cell.parse().unwrap())
            };
            series.insert(record.get(0).unwrap().to_string(), (num(1), num(2)));
        }
        series
    }
}

/// A daily series: date → (first measure, second measure), None where unknown.
type Daily = BTreeMap<String, (Option<i64>, Option<i64>)>;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("spreadsheet")
        .join(name)
}

/// The real reference files, when present (`$CARGO_MANIFEST_DIR/../shared/data`).
fn reference(path: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join("data");
    let file = dir.join(path);
    if file.exists() {
        Some(file)
    } else {
        eprintln!(
            "note: {} is absent; skipping the check against the real file",
            file.display()
        );
        None
    }
}

fn summary(file: &Path, kind: &str, counts: [u64; 4]) -> String {
    format!(
        "{}: {kind} (csv): {} added, {} updated, {} unchanged, {} rejected\n",
        file.display(),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    )
}

fn add(slot: &mut Option<i64>, value: Option<i64>) {
    if let Some(v) = value {
        *slot = Some(slot.unwrap_or(0) + v);
    }
}

// ---------------------------------------------------------------------------
// An independent reading of the Air Force files
// ---------------------------------------------------------------------------

/// What a catalogue category counts as in the daily series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counts {
    Drone,
    Missile,
    Neither,
}

fn counts_of_category(category: &str) -> Counts {
    let c = category.trim().to_lowercase();
    if c == "uav" {
        Counts::Drone
    } else if c.contains("missile") || c.contains("ballistic") {
        Counts::Missile
    } else {
        Counts::Neither
    }
}

/// model → what it counts as, from a weapons.csv catalogue.
fn catalogue(path: &Path) -> HashMap<String, Counts> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let model = headers.iter().position(|h| h == "model").unwrap();
    let category = headers.iter().position(|h| h == "category").unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r.get(model).unwrap().trim().to_lowercase(),
                counts_of_category(r.get(category).unwrap()),
            )
        })
        .collect()
}

/// A model the catalogue lacks counts as its parts when they all count the same way.
fn classify(catalogue: &HashMap<String, Counts>, model: &str) -> Counts {
    let key = model.trim().to_lowercase();
    if let Some(c) = catalogue.get(&key) {
        return *c;
    }
    let parts: Vec<Counts> = key
        .split(" and ")
        .map(|p| catalogue.get(p.trim()).copied().unwrap_or(Counts::Neither))
        .collect();
    if parts.len() > 1 && parts.iter().all(|p| *p == parts[0]) {
        parts[0]
    } else {
        Counts::Neither
    }
}

/// A count written as a float (`472.0`); empty is unknown.
fn float_count(cell: &str) -> Option<i64> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    let v: f64 = cell.parse().unwrap();
    assert_eq!(v.fract(), 0.0, "{cell}");
    Some(v as i64)
}

/// (daily drones, daily missiles) from an attacks file: national rows only, each on the
/// day its report's window ends; `all_rows` counts the regional reports too.
fn air_force_series(
    attacks: &Path,
    catalogue: &HashMap<String, Counts>,
    all_rows: bool,
) -> (Daily, Daily) {
    let mut reader = csv::Reader::from_path(attacks).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (time_end, model, launched, destroyed, source) = (
        col("time_end"),
        col("model"),
        col("launched"),
        col("destroyed"),
        col("source"),
    );
    let mut drones = Daily::new();
    let mut missiles = Daily::new();
    for record in reader.records() {
        let r = record.unwrap();
        if !all_rows && !r.get(source).unwrap().starts_with("kpszsu/") {
            continue;
        }
        let day = r.get(time_end).unwrap().trim()[..10].to_string();
        let series = match classify(catalogue, r.get(model).unwrap()) {
            Counts::Drone => &mut drones,
            Counts::Missile => &mut missiles,
            Counts::Neither => continue,
        };
        let launched = float_count(r.get(launched).unwrap());
        let destroyed = float_count(r.get(destroyed).unwrap());
        if launched.is_none() && destroyed.is_none() {
            continue;
        }
        let entry = series.entry(day).or_default();
        add(&mut entry.0, launched);
        add(&mut entry.1, destroyed);
    }
    (drones, missiles)
}

// ---------------------------------------------------------------------------
// H. Presets on fixtures: the Air Force
// ---------------------------------------------------------------------------

fn air_force_archive() -> (Archive, Out) {
    let a = Archive::new();
    let weapons = fixture("af_weapons.csv");
    let out = a.import("air-force-weapons", &weapons);
    assert_eq!(out.stdout, summary(&weapons, "entities", [10, 0, 0, 0]));
    let attacks = fixture("af_attacks.csv");
    let out = a.import("air-force-daily", &attacks);
    assert_eq!(out.stdout, summary(&attacks, "events", [15, 0, 0, 0]));
    (a, out)
}

#[test]
fn air_force_weapons_preset_classifies_the_catalogue() {
    let (a, _) = air_force_archive();
    assert_eq!(
        a.rows(
            "SELECT name, ifnull(class, 'NULL'), ifnull(country, 'NULL') FROM entities \
             WHERE kind = 'weapon' ORDER BY id"
        ),
        [
            "Shahed-136/131|drone|iran",
            "Gerbera|drone|russia",
            "Молнія|drone|russia",
            "Supercam|drone|russia",
            "Iskander-M/KN-23|ballistic_missile|russia/north korea",
            "Iskander-K|cruise_missile|russia",
            "X-101/X-555|cruise_missile|russia",
            "X-59/X-69|cruise_missile|russia",
            "C-300|surface_to_air_missile|russia",
            "KAB|guided_bomb|russia",
            // Not in the catalogue: classified from its parts by the daily import.
            "X-101/X-555 and Iskander-K|cruise_missile|NULL"
        ]
    );
    assert_eq!(
        a.rows("SELECT description FROM entities WHERE name = 'X-101/X-555'"),
        [
            "air-launched; launched from Tu-95MS, Tu-160; also known as Kh-101/Kh-555; NATO name Kent-C"
        ]
    );
}

#[test]
fn air_force_daily_series_match_an_independent_count() {
    let (a, out) = air_force_archive();
    assert!(
        out.stderr.contains(
            "weapons not in the archive, classified from their parts: X-101/X-555 and Iskander-K (cruise_missile)"
        ),
        "{}",
        out.stderr
    );
    let catalogue = catalogue(&fixture("af_weapons.csv"));
    let (drones, missiles) = air_force_series(&fixture("af_attacks.csv"), &catalogue, false);
    assert_eq!(a.daily("daily-drones"), drones);
    assert_eq!(a.daily("daily-missiles"), missiles);
    // The night ending on Sunday 1 June 2025, as the press reported it.
    assert_eq!(drones["2025-06-01"], (Some(472), Some(210)));
    assert_eq!(missiles["2025-06-01"], (Some(7), Some(3)));
    assert_eq!(
        a.daily("daily-drones"),
        Daily::from([
            ("2025-05-31".to_string(), (Some(110), Some(42))),
            ("2025-06-01".to_string(), (Some(472), Some(210))),
            ("2025-06-02".to_string(), (Some(105), Some(52))),
            ("2025-06-03".to_string(), (Some(112), Some(60))),
        ])
    );
    assert_eq!(
        a.daily("daily-missiles"),
        Daily::from([
            ("2025-05-31".to_string(), (Some(2), Some(0))),
            ("2025-06-01".to_string(), (Some(7), Some(3))),
            ("2025-06-02".to_string(), (Some(3), Some(0))),
            ("2025-06-03".to_string(), (Some(2), Some(2))),
        ])
    );
}

#[test]
fn air_force_reports_become_events_dated_by_the_window_end() {
    let (a, _) = air_force_archive();
    assert_eq!(
        a.rows(
            "SELECT external_id, date, date_precision, time_start, time_end, subtype \
             FROM events ORDER BY date, external_id"
        ),
        [
            "kpszsu/posts/pfbid0Test31May @ 2025-05-31 08:30|2025-05-31|day|2025-05-30T19:30:00|2025-05-31T08:30:00|national_report",
            "PvKPivden/posts/pfbid0TestSouth1 @ 2025-06-01|2025-06-01|day|2025-06-01|2025-06-01|regional_report",
            "kpszsu/posts/pfbid0Test1June @ 2025-06-01 13:30|2025-06-01|day|2025-05-31T19:30:00|2025-06-01T13:30:00|national_report",
            "PvKPivden/posts/pfbid0TestSouth2 @ 2025-06-02 08:00|2025-06-02|day|2025-06-02T05:00:00|2025-06-02T08:00:00|regional_report",
            // `9:30` (one-digit hour) and trailing spaces are read.
            "kpszsu/posts/pfbid0Test2June @ 2025-06-02 9:30|2025-06-02|day|2025-06-01T21:30:00|2025-06-02T09:30:00|national_report",
            "kpszsu/posts/pfbid0Test3June @ 2025-06-03|2025-06-03|day|2025-06-02T19:00:00|2025-06-03|national_report"
        ]
    );
    // One figure per row and weapon: the 1 June report's three models.
    assert_eq!(
        a.rows(
            "SELECT q.kind, w.name, q.value FROM quantities q JOIN events e ON e.id = q.event_id \
             JOIN entities w ON w.id = q.weapon_id \
             WHERE e.external_id = 'kpszsu/posts/pfbid0Test1June @ 2025-06-01 13:30' \
             ORDER BY q.kind, w.name"
        ),
        [
            "destroyed|Iskander-M/KN-23|0",
            "destroyed|Shahed-136/131|210",
            "destroyed|X-101/X-555 and Iskander-K|3",
            "launched|Iskander-M/KN-23|3",
            "launched|Shahed-136/131|472",
            "launched|X-101/X-555 and Iskander-K|4",
            "suppressed|Shahed-136/131|172"
        ]
    );
    // The Cyrillic model is one weapon entity, linked to both reports that name it.
    assert_eq!(
        a.rows(
            "SELECT e.external_id, q.kind, q.value FROM quantities q \
             JOIN events e ON e.id = q.event_id JOIN entities w ON w.id = q.weapon_id \
             WHERE w.name = 'Молнія' ORDER BY 1, 2"
        ),
        [
            "PvKPivden/posts/pfbid0TestSouth1 @ 2025-06-01|regional_destroyed|1",
            "PvKPivden/posts/pfbid0TestSouth1 @ 2025-06-01|regional_launched|1",
            "kpszsu/posts/pfbid0Test31May @ 2025-05-31 08:30|destroyed|3",
            "kpszsu/posts/pfbid0Test31May @ 2025-05-31 08:30|launched|3"
        ]
    );
    // An empty cell is unknown: Gerbera has a launched figure and no destroyed one.
    assert_eq!(
        a.rows(
            "SELECT q.kind, q.value FROM quantities q JOIN entities w ON w.id = q.weapon_id \
             WHERE w.name = 'Gerbera' ORDER BY 1"
        ),
        ["launched|25"]
    );
    // Columns the preset does not map are kept in extra, the spaced name included.
    assert_eq!(
        a.rows(
            "SELECT json_extract(extra, '$.\"affected region\"'), json_extract(extra, '$.destroyed_details') \
             FROM events WHERE external_id LIKE 'kpszsu/posts/pfbid0Test1June%'"
        ),
        ["['Sumy oblast', 'Kharkiv oblast', 'Zhytomyr oblast']|{'south': 40, 'north': 75, 'east': NaN}"]
    );
}

#[test]
fn air_force_regional_reports_stay_out_of_the_daily_series() {
    let (a, _) = air_force_archive();
    let catalogue = catalogue(&fixture("af_weapons.csv"));
    let (national, _) = air_force_series(&fixture("af_attacks.csv"), &catalogue, false);
    let (every_row, _) = air_force_series(&fixture("af_attacks.csv"), &catalogue, true);
    // Summing every row would count the southern command's report on top of the
    // national one: 475 drones on 1 June and 125 on 2 June instead of 472 and 105.
    assert_eq!(every_row["2025-06-01"], (Some(475), Some(213)));
    assert_eq!(every_row["2025-06-02"], (Some(125), Some(70)));
    let daily = a.daily("daily-drones");
    assert_eq!(daily, national);
    assert_ne!(daily, every_row);
    // The regional reports are kept, with figure kinds no daily series counts.
    assert_eq!(
        a.rows(
            "SELECT e.subtype, q.kind, sum(q.value), count(*) FROM quantities q \
             JOIN events e ON e.id = q.event_id GROUP BY 1, 2 ORDER BY 1, 2"
        ),
        [
            "national_report|destroyed|369|10",
            "national_report|launched|823|12",
            "national_report|suppressed|267|4",
            "regional_report|regional_destroyed|21|3",
            "regional_report|regional_launched|23|3"
        ]
    );
    assert_eq!(
        a.rows("SELECT name, counts FROM figure_kinds WHERE name LIKE 'regional%' ORDER BY 1"),
        ["regional_destroyed|other", "regional_launched|other"]
    );
}

#[test]
fn air_force_reimport_reports_every_row_unchanged() {
    let (a, _) = air_force_archive();
    let before = a.rows("SELECT * FROM quantities ORDER BY id");
    let attacks = fixture("af_attacks.csv");
    let out = a.ok(&[
        "import",
        "--force",
        "--preset",
        "air-force-daily",
        attacks.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(out.stdout, summary(&attacks, "events", [0, 0, 15, 0]));
    let weapons = fixture("af_weapons.csv");
    let out = a.import("air-force-weapons", &weapons);
    assert_eq!(out.stdout, summary(&weapons, "entities", [0, 0, 10, 0]));
    assert_eq!(a.rows("SELECT * FROM quantities ORDER BY id"), before);
    assert_eq!(a.rows("SELECT count(*) FROM events"), ["6"]);
}

#[test]
fn air_force_totals_do_not_depend_on_import_order() {
    // Reproduction (fixtures in tests/fixtures/spreadsheet/):
    //   sitrep --db x.db import --preset air-force-daily af_attacks.csv
    //   sitrep --db x.db import --preset air-force-weapons af_weapons.csv
    //   sitrep --db x.db import --preset air-force-daily af_attacks.csv   (15 unchanged)
    //   sitrep --db x.db query run daily-missiles   → 2025-06-01,3,0 (catalogue first: 7,3)
    // "X-101/X-555 and Iskander-K" was created without a class while its parts were
    // unknown; later imports find it by name and never classify it from its parts, and
    // the warning asks for an entities file that the catalogue is not going to provide.
    let a = Archive::new();
    let attacks = fixture("af_attacks.csv");
    a.import("air-force-daily", &attacks);
    a.import("air-force-weapons", &fixture("af_weapons.csv"));
    a.import("air-force-daily", &attacks);
    let catalogue = catalogue(&fixture("af_weapons.csv"));
    let (drones, missiles) = air_force_series(&attacks, &catalogue, false);
    assert_eq!(a.daily("daily-drones"), drones);
    assert_eq!(a.daily("daily-missiles"), missiles);
}

// ---------------------------------------------------------------------------
// H. ACLED
// ---------------------------------------------------------------------------

/// Killed per day from an ACLED export: the sum of fatalities over day-precise rows.
fn acled_killed(path: &Path) -> Daily {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut out = Daily::new();
    for record in reader.deserialize::<HashMap<String, String>>() {
        let r = record.unwrap();
        if r["time_precision"] != "1" {
            continue;
        }
        let raw = &r["event_date"];
        // `DD/MM/YYYY 00:00:00` or `YYYY-MM-DD`.
        let day = if raw.contains('/') {
            format!("{}-{}-{}", &raw[6..10], &raw[3..5], &raw[0..2])
        } else {
            raw.clone()
        };
        let fatalities: i64 = r["fatalities"].parse().unwrap();
        add(&mut out.entry(day).or_default().0, Some(fatalities));
    }
    out
}

fn check_acled(file: &str) -> Archive {
    let a = Archive::new();
    let path = fixture(file);
    let out = a.import("acled", &path);
    assert_eq!(out.stdout, summary(&path, "events", [7, 0, 0, 0]));
    let expected = acled_killed(&path);
    assert_eq!(
        expected,
        Daily::from([
            ("2025-06-01".to_string(), (Some(5), None)),
            ("2025-06-02".to_string(), (Some(10), None)),
            ("2025-06-03".to_string(), (Some(1), None)),
        ])
    );
    assert_eq!(a.daily("daily-casualties"), expected);
    assert_eq!(
        a.rows(
            "SELECT e.external_id, e.date, e.date_precision, e.version, e.type, e.region, \
             e.location, s.name, q.value FROM events e LEFT JOIN sources s ON s.id = e.source_id \
             LEFT JOIN quantities q ON q.event_id = e.id AND q.kind = 'killed' ORDER BY 1"
        ),
        [
            "UKR230101|2025-06-01|day|1749600000|Explosions/Remote violence|Kharkiv|Kharkiv|Ukrainska Pravda|3",
            "UKR230102|2025-06-01|day|1749600000|Explosions/Remote violence|Zaporizhia|Huliaipole|Ministry of Defence of Ukraine|2",
            "UKR230103|2025-06-02|day|1749700000|Battles|Donetsk|Pokrovsk|Ministry of Defence of Ukraine|10",
            "UKR230104|2025-06-02|week|1749700000|Explosions/Remote violence|Sumy|Sumy|Suspilne|4",
            "UKR230105|2025-06-03|day|1749800000|Explosions/Remote violence|Kherson|Kherson|Kherson Regional Military Administration|1",
            "UKR230106|2025-06-01|month|1749900000|Explosions/Remote violence|Donetsk|Kramatorsk|Local media|2",
            "UKR230107|2025-06-03|day|1749800000|Strategic developments|Kyiv City|Kyiv|Reuters|0"
        ]
    );
    // actor1 and the `; `-separated associated actors are the actors; actor2 the target.
    assert_eq!(
        a.rows(
            "SELECT l.role, n.name FROM event_entities l JOIN events e ON e.id = l.event_id \
             JOIN entities n ON n.id = l.entity_id WHERE e.external_id = 'UKR230103' \
             ORDER BY 1, 2"
        ),
        [
            "actor|Akhmat Special Forces",
            "actor|Military Forces of Russia (2000-)",
            "actor|Military Forces of Russia (2000-) Air Force",
            "location|Pokrovsk",
            "target|Military Forces of Ukraine (2019-)"
        ]
    );
    // The whole source cell and the unmapped columns are kept in extra.
    assert_eq!(
        a.rows(
            "SELECT json_extract(extra, '$.source'), json_extract(extra, '$.admin2'), \
             json_extract(extra, '$.source_scale') FROM events WHERE external_id = 'UKR230101'"
        ),
        ["Ukrainska Pravda; Suspilne|Kharkivskyi|National"]
    );
    a
}

#[test]
fn acled_export_with_day_first_dates() {
    check_acled("acled_dmy.csv");
}

#[test]
fn acled_export_with_iso_dates() {
    check_acled("acled_iso.csv");
}

#[test]
fn acled_newer_timestamp_updates_and_older_one_is_left_out() {
    let a = check_acled("acled_iso.csv");
    let original = std::fs::read_to_string(fixture("acled_iso.csv")).unwrap();
    let old_row = original
        .lines()
        .find(|l| l.starts_with("UKR230101,"))
        .unwrap();
    assert!(old_row.ends_with(",3,,1749600000"), "{old_row}");
    let corrected_row = old_row.replace(",3,,1749600000", ",5,,1750000000");
    let corrected = original.replace(old_row, &corrected_row);
    let path = a.write("acled_corrected.csv", &corrected);
    let out = a.import("acled", &path);
    assert_eq!(out.stdout, summary(&path, "events", [0, 1, 6, 0]));
    assert_eq!(
        a.rows(
            "SELECT e.version, q.value FROM events e JOIN quantities q ON q.event_id = e.id \
             WHERE e.external_id = 'UKR230101' AND q.kind = 'killed'"
        ),
        ["1750000000|5"]
    );
    let mut expected = acled_killed(&path);
    assert_eq!(expected["2025-06-01"], (Some(7), None));
    assert_eq!(a.daily("daily-casualties"), expected);

    // The original export (an older timestamp) leaves the corrected event as it is.
    let path = fixture("acled_iso.csv");
    let out = a.import("acled", &path);
    assert_eq!(out.stdout, summary(&path, "events", [0, 0, 7, 0]));
    assert!(
        out.stderr
            .contains("1 rows are older versions of events the archive holds and were left out"),
        "{}",
        out.stderr
    );
    // So does an older row that says something else.
    let stale_row = old_row.replace(",3,,1749600000", ",9,,1749000000");
    let stale = original.replace(old_row, &stale_row);
    let stale_path = a.write("acled_stale.csv", &stale);
    let out = a.import("acled", &stale_path);
    assert_eq!(out.stdout, summary(&stale_path, "events", [0, 0, 7, 0]));
    assert_eq!(
        a.rows(
            "SELECT e.version, q.value FROM events e JOIN quantities q ON q.event_id = e.id \
             WHERE e.external_id = 'UKR230101' AND q.kind = 'killed'"
        ),
        ["1750000000|5"]
    );
    expected.insert("2025-06-01".to_string(), (Some(7), None));
    assert_eq!(a.daily("daily-casualties"), expected);
}

#[test]
fn acled_exports_in_either_date_form_are_the_same_events() {
    // Reproduction:
    //   sitrep --db x.db import --preset acled tests/fixtures/spreadsheet/acled_dmy.csv
    //   sitrep --db x.db import --preset acled tests/fixtures/spreadsheet/acled_iso.csv
    //     → 0 added, 7 updated (same ids, same timestamps, same values)
    //   sitrep --db x.db import --preset acled tests/fixtures/spreadsheet/acled_dmy.csv
    //     → 0 added, 7 updated again
    // The only difference is events.time_start: '2025-06-01T00:00:00' from the
    // `00:00:00` ACLED writes after every date, NULL from the ISO export.
    let a = check_acled("acled_dmy.csv");
    assert_eq!(
        a.rows("SELECT count(*) FROM events WHERE time_start IS NOT NULL"),
        ["0"]
    );
    let iso = fixture("acled_iso.csv");
    let out = a.import("acled", &iso);
    assert_eq!(out.stdout, summary(&iso, "events", [0, 0, 7, 0]));
}

// ---------------------------------------------------------------------------
// H. UCDP GED
// ---------------------------------------------------------------------------

/// (events, best deaths) per day over the day-precise (date_prec 1) rows of a GED file.
fn ucdp_daily(path: &Path) -> BTreeMap<String, (i64, i64)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut out: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for record in reader.deserialize::<HashMap<String, String>>() {
        let r = record.unwrap();
        if r["date_prec"] != "1" {
            continue;
        }
        let day = r["date_start"][..10].to_string();
        let entry = out.entry(day).or_default();
        entry.0 += 1;
        entry.1 += r["best"].parse::<i64>().unwrap();
    }
    out
}

fn killed_only(daily: &BTreeMap<String, (i64, i64)>) -> Daily {
    daily
        .iter()
        .map(|(day, (_, best))| (day.clone(), (Some(*best), None)))
        .collect()
}

#[test]
fn ucdp_ged_preset_keeps_best_low_high_and_precision() {
    let a = Archive::new();
    let path = fixture("ucdp_ged.csv");
    let out = a.import("ucdp-ged", &path);
    assert_eq!(out.stdout, summary(&path, "events", [7, 0, 0, 0]));
    assert!(
        out.stderr.contains(
            "1 figures have a range that does not hold their value, or a low above the high; \
             they were kept as the source reported them"
        ),
        "{}",
        out.stderr
    );
    // killed: value = best, with the low and high the file gives (low > high kept).
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let expected: Vec<String> = reader
        .deserialize::<HashMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            format!("{}|{}|{}|{}", r["id"], r["best"], r["low"], r["high"])
        })
        .collect();
    let stored = a.rows(
        "SELECT e.external_id, q.value, q.low, q.high FROM quantities q \
         JOIN events e ON e.id = q.event_id WHERE q.kind = 'killed' ORDER BY e.external_id",
    );
    assert_eq!(stored, expected);
    assert!(stored.contains(&"900003|12|14|10".to_string()));
    assert_eq!(
        a.rows(
            "SELECT external_id, date, ifnull(end_date, 'NULL'), date_precision, type, \
             json_extract(extra, '$.date_prec') FROM events ORDER BY external_id"
        ),
        [
            "900001|2014-07-17|2014-07-17|day|state-based violence|1",
            "900002|2014-07-17|2014-07-17|day|state-based violence|1",
            "900003|2014-08-02|2014-08-02|day|state-based violence|1",
            "900004|2014-08-01|2014-08-31|month|state-based violence|4",
            "900005|2015-01-22|2015-01-22|day|state-based violence|1",
            "900006|2015-02-09|2015-02-15|week|state-based violence|2",
            "900007|2015-01-22|2015-01-22|day|one-sided violence|1"
        ]
    );
    // Cells with line breaks and doubled quotes arrive whole.
    assert_eq!(
        a.rows("SELECT notes FROM events WHERE external_id IN ('900001', '900002') ORDER BY 1"),
        [
            "Donetsk airport,\nnorth-west of the city",
            "Horlivka, \"Zhovtneva\" street"
        ]
    );
    // The other death counts are figure kinds of their own, outside daily-casualties.
    assert_eq!(
        a.rows(
            "SELECT q.kind, q.value FROM quantities q JOIN events e ON e.id = q.event_id \
             WHERE e.external_id = '900004' ORDER BY 1"
        ),
        [
            "deaths_civilians|25",
            "deaths_side_a|0",
            "deaths_side_b|0",
            "deaths_unknown|5",
            "killed|30"
        ]
    );
    // daily-casualties: the best deaths of day-precise events, summed by date_start.
    let daily = ucdp_daily(&path);
    assert_eq!(
        daily,
        BTreeMap::from([
            ("2014-07-17".to_string(), (2, 9)),
            ("2014-08-02".to_string(), (1, 12)),
            ("2015-01-22".to_string(), (2, 14)),
        ])
    );
    assert_eq!(a.daily("daily-casualties"), killed_only(&daily));

    let out = a.ok(&[
        "import",
        "--force",
        "--preset",
        "ucdp-ged",
        path.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(out.stdout, summary(&path, "events", [0, 0, 7, 0]));
}

#[test]
fn ucdp_ged_cited_articles_are_read_from_quoted_multiline_cells() {
    let a = Archive::new();
    a.import("ucdp-ged", &fixture("ucdp_ged.csv"));
    assert_eq!(
        a.rows(
            "SELECT a.title, a.published, s.name FROM event_articles l \
             JOIN events e ON e.id = l.event_id JOIN articles a ON a.id = l.article_id \
             JOIN sources s ON s.id = a.source_id WHERE e.external_id IN ('900001', '900003') \
             ORDER BY e.external_id, a.published, a.title"
        ),
        [
            "Fighting near Donetsk airport|2014-07-17|Reuters News",
            "Shelling 'intense', officials say|2014-07-17|Agence France Presse",
            "Battle for Shakhtarsk|2014-08-02|Kyiv Post",
            "Report says 12 dead\nnear Shakhtarsk|2014-08-03|BBC Monitoring"
        ]
    );
}

// ---------------------------------------------------------------------------
// H. Headlines
// ---------------------------------------------------------------------------

/// link → (title, published) of the first row giving it, from a headlines JSON array.
fn first_headlines(path: &Path) -> (usize, BTreeMap<String, (String, String)>) {
    let items: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for item in &items {
        let link = item["link"].as_str().unwrap().to_string();
        let ts = item["timestamp"].as_i64().unwrap();
        let published = chrono::DateTime::from_timestamp(ts, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%S+00:00")
            .to_string();
        out.entry(link)
            .or_insert((item["title"].as_str().unwrap().to_string(), published));
    }
    (items.len(), out)
}

#[test]
fn headlines_preset_dates_articles_and_counts_a_repeated_link_once() {
    let a = Archive::new();
    let path = fixture("headlines.json");
    let out = a.import("headlines", &path);
    assert_eq!(
        out.stdout,
        format!(
            "{}: articles (json): 4 added, 0 updated, 1 unchanged, 0 rejected\n",
            path.display()
        )
    );
    assert!(
        out.stderr.contains(
            "1 rows repeat the url of an earlier row of the file; the first of each was kept"
        ),
        "{}",
        out.stderr
    );
    let (total, first) = first_headlines(&path);
    assert_eq!((total, first.len()), (5, 4));
    let expected: Vec<String> = first
        .iter()
        .map(|(link, (title, published))| format!("{link}|{title}|{published}"))
        .collect();
    assert_eq!(
        a.rows("SELECT url, title, published FROM articles ORDER BY url"),
        expected
    );
    assert_eq!(
        a.rows(
            "SELECT a.published, s.name, json_extract(a.extra, '$.category') FROM articles a \
             JOIN sources s ON s.id = a.source_id ORDER BY a.published"
        ),
        [
            "2025-06-01T12:00:00+00:00|reuters.com|world",
            "2025-06-01T18:00:00+00:00|apnews.com|world",
            "2025-06-02T20:10:00+00:00|kyivindependent.com|politics",
            "2025-06-10T01:00:00+00:00|pravda.com.ua|news"
        ]
    );
    assert_eq!(
        a.daily("articles-per-day"),
        Daily::from([
            ("2025-06-01".to_string(), (Some(2), None)),
            ("2025-06-02".to_string(), (Some(1), None)),
            ("2025-06-10".to_string(), (Some(1), None)),
        ])
    );
}

// ---------------------------------------------------------------------------
// I. The real reference files, when present
// ---------------------------------------------------------------------------

#[test]
fn real_air_force_file_matches_an_independent_count() {
    let (Some(weapons), Some(attacks)) = (
        reference("air-force-daily/weapons.csv"),
        reference("air-force-daily/attacks_2025-05-24_to_2025-06-10.csv"),
    ) else {
        return;
    };
    let a = Archive::new();
    a.import("air-force-weapons", &weapons);
    let out = a.import("air-force-daily", &attacks);
    let rows = csv::Reader::from_path(&attacks).unwrap().records().count() as u64;
    assert_eq!(out.stdout, summary(&attacks, "events", [rows, 0, 0, 0]));
    let catalogue = catalogue(&weapons);
    let (drones, missiles) = air_force_series(&attacks, &catalogue, false);
    assert_eq!(a.daily("daily-drones"), drones);
    assert_eq!(a.daily("daily-missiles"), missiles);
    assert_eq!(drones["2025-06-01"], (Some(472), Some(210)));
    assert_eq!(missiles["2025-06-01"].0, Some(7));
    // One event per report (source and end of window).
    let mut reader = csv::Reader::from_path(&attacks).unwrap();
    let reports: BTreeSet<(String, String)> = reader
        .deserialize::<HashMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            (r["source"].clone(), r["time_end"].trim().to_string())
        })
        .collect();
    assert_eq!(
        a.rows("SELECT count(*) FROM events"),
        [reports.len().to_string()]
    );
}

#[test]
fn real_ucdp_file_matches_an_independent_count() {
    let Some(path) = reference("ucdp-ged/ucdp_ged_ukraine_2014-2022.csv") else {
        return;
    };
    let a = Archive::new();
    let out = a.import("ucdp-ged", &path);
    let rows = csv::Reader::from_path(&path).unwrap().records().count() as u64;
    assert_eq!(out.stdout, summary(&path, "events", [rows, 0, 0, 0]));
    let daily = ucdp_daily(&path);
    assert_eq!(a.daily("daily-casualties"), killed_only(&daily));
    let events: Vec<String> = daily
        .iter()
        .map(|(day, (n, _))| format!("{day}|{n}"))
        .collect();
    assert_eq!(
        a.rows(
            "SELECT date, count(*) FROM events WHERE date_precision = 'day' GROUP BY date \
             ORDER BY date"
        ),
        events
    );
}

#[test]
fn real_headlines_file_keeps_one_article_per_link() {
    let Some(path) = reference("headlines/headlines.json") else {
        return;
    };
    let a = Archive::new();
    let out = a.import("headlines", &path);
    let (total, first) = first_headlines(&path);
    assert_eq!(
        out.stdout,
        format!(
            "{}: articles (json): {} added, 0 updated, {} unchanged, 0 rejected\n",
            path.display(),
            first.len(),
            total - first.len()
        )
    );
    assert_eq!(
        a.rows("SELECT count(*) FROM articles"),
        [first.len().to_string()]
    );
    assert_eq!(
        a.rows("SELECT count(DISTINCT url) FROM articles WHERE placeholder = 0"),
        [first.len().to_string()]
    );
}

//! The rollup tables: every built-in query gives the same answer from the rollups as from
//! the base tables (`--scan`), on generated data, after corrections, re-imports, rejected
//! rows and a migration from an archive that had no rollups; and the numbers match a
//! computation the test makes from the rows it generated.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use common::Archive;

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const HEADER: &str = "event_id,date,date_precision,type,country,region,actors,weapon,notes,\
                      drones_launched,drones_destroyed,killed,injured,missiles_launched";
const TYPES: &[&str] = &["air_attack", "shelling", "battle", "drone_strike", ""];
const REGIONS: &[&str] = &["Kharkiv Oblast", "Sumy Oblast", "Odesa Oblast", ""];
const ACTORS: &[&str] = &[
    "Russian Armed Forces",
    "Armed Forces of Ukraine",
    "Wagner Group",
    "3rd Assault Brigade",
];
const WEAPONS: &[&str] = &["Shahed-136", "Kh-101", "Iskander-M", ""];
/// Figure cells: empty (unknown), numbers, a float, qualifiers and a range.
const FIGURES: &[&str] = &[
    "", "", "", "3", "12", "472.0", "about 40", "dozens", "10-15", "0",
];

/// One generated event row, and what it says for the independent computation.
struct Event {
    date: String,
    precision: &'static str,
    event_type: &'static str,
    drones_launched: Option<i64>,
}

fn figure_value(cell: &str) -> Option<i64> {
    match cell {
        "3" => Some(3),
        "12" => Some(12),
        "472.0" => Some(472),
        "about 40" => Some(40),
        "0" => Some(0),
        _ => None,
    }
}

/// `n` event rows with ids from `first`, dates over 2022-2026.
fn events(rng: &mut Rng, first: usize, n: usize) -> (String, Vec<Event>) {
    let mut csv = format!("{HEADER}\n");
    let mut rows = Vec::new();
    for i in first..first + n {
        let year = 2022 + rng.below(5);
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let (precision, day) = match rng.below(10) {
            0 => ("month", 1),
            1 => ("week", day),
            _ => ("day", day),
        };
        let date = format!("{year}-{month:02}-{day:02}");
        let event_type = rng.pick(TYPES);
        let actors = (0..rng.below(3))
            .map(|_| rng.pick(ACTORS))
            .collect::<Vec<_>>()
            .join(";");
        let weapon = rng.pick(WEAPONS);
        let launched = rng.pick(FIGURES);
        let cells = [
            format!("g-{i}"),
            date.clone(),
            precision.to_string(),
            event_type.to_string(),
            "Ukraine".to_string(),
            rng.pick(REGIONS).to_string(),
            actors,
            weapon.to_string(),
            "\"a note, with a comma\"".to_string(),
            launched.to_string(),
            rng.pick(FIGURES).to_string(),
            rng.pick(FIGURES).to_string(),
            rng.pick(FIGURES).to_string(),
            rng.pick(FIGURES).to_string(),
        ];
        writeln!(csv, "{}", cells.join(",")).unwrap();
        rows.push(Event {
            date,
            precision,
            event_type,
            drones_launched: figure_value(launched),
        });
    }
    (csv, rows)
}

const ENTITIES: &str = "name,kind,aliases,class
Shahed-136,weapon,Shahed;Geran-2,drone
Kh-101,weapon,X-101,cruise_missile
Iskander-M,weapon,,ballistic_missile
Russian Armed Forces,organisation,RuAF,
Armed Forces of Ukraine,organisation,ZSU,
Wagner Group,organisation,,
3rd Assault Brigade,military_unit,,
";

/// Every built-in query, with parameter sets the rollups serve and some they do not.
const RUNS: &[&[&str]] = &[
    &["daily-drones"],
    &["daily-drones", "--from", "2023-03-05", "--to", "2024-02-10"],
    &["daily-missiles"],
    &["daily-missiles", "--from", "2025"],
    &["daily-casualties"],
    &["daily-casualties", "--to", "2023-06"],
    &["events-by-type"],
    &[
        "events-by-type",
        "--from",
        "2024-01-15",
        "--to",
        "2024-03-15",
    ],
    &["events-by-region"],
    &["events-by-region", "--from", "2022-02-24"],
    &["top-entities"],
    &["top-entities", "--from", "2023-01", "--to", "2023-12"],
    &[
        "top-entities",
        "--from",
        "2023-01-10",
        "-p",
        "kind=organisation",
    ],
    &["top-entities", "-p", "limit=2", "-p", "kind=weapon"],
    &["articles-per-day"],
    &[
        "articles-per-day",
        "--from",
        "2025-06-02",
        "--to",
        "2025-06-30",
    ],
];

/// Asserts that every query answers the same from the rollups and from the base tables,
/// and that `sitrep check` finds the rollups right; returns the rollup answers.
fn same_answers(a: &Archive, when: &str) -> Vec<String> {
    let mut answers = Vec::new();
    for run in RUNS {
        let mut args = vec!["query", "run"];
        args.extend_from_slice(run);
        args.extend_from_slice(&["-f", "csv"]);
        let rollup = a.ok(&args);
        args.push("--scan");
        let scan = a.ok(&args);
        assert_eq!(rollup, scan, "{when}: {run:?}");
        // Only one test imports articles (and checks that answer itself).
        if run[0] != "articles-per-day" {
            assert!(
                rollup.lines().count() > 1,
                "{when}: {run:?} is empty:\n{rollup}"
            );
        }
        answers.push(rollup);
    }
    let check = a.ok(&["check"]);
    assert!(check.ends_with("rollups)\n"), "{when}: {check}");
    answers
}

/// drones_launched per day computed from the generated rows (day-precise events only).
fn drones_launched_by_day(rows: &[Event]) -> BTreeMap<String, i64> {
    let mut by_day = BTreeMap::new();
    for e in rows.iter().filter(|e| e.precision == "day") {
        if let Some(v) = e.drones_launched {
            *by_day.entry(e.date.clone()).or_insert(0) += v;
        }
    }
    by_day
}

#[test]
fn rollups_answer_like_the_base_tables_through_corrections_and_reimports() {
    let a = Archive::new();
    let mut rng = Rng(7);
    let entities = a.write("entities.csv", ENTITIES);
    let (csv, rows) = events(&mut rng, 0, 1500);
    let events_file = a.write("events.csv", &csv);
    a.import(&[&entities, &events_file]);
    same_answers(&a, "first import");

    // events-by-type counted independently: events per month and type, day/week/month.
    let mut by_type: BTreeMap<(String, String), i64> = BTreeMap::new();
    for e in &rows {
        *by_type
            .entry((e.date[..7].to_string(), e.event_type.to_string()))
            .or_insert(0) += 1;
    }
    let out = a.ok(&["query", "run", "events-by-type", "-f", "csv"]);
    let mut got: BTreeMap<(String, String), i64> = BTreeMap::new();
    for line in out.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        got.insert(
            (cells[0].into(), cells[1].into()),
            cells[2].parse().unwrap(),
        );
    }
    assert_eq!(got, by_type);

    // Corrections: half the rows again with other dates, types, figures and actors, and
    // new events beside them.
    let (mut csv2, _) = events(&mut Rng(99), 0, 750);
    let (more, _) = events(&mut Rng(5), 1500, 300);
    csv2.push_str(more.split_once('\n').unwrap().1);
    let fix = a.write("fix.csv", &csv2);
    let out = a.import(&[&fix]);
    assert!(out.contains(" updated,"), "{out}");
    same_answers(&a, "after corrections");

    // Reading the first file again (forced) puts its values back.
    a.ok(&["import", "--force", events_file.to_str().unwrap()]);
    let answers = same_answers(&a, "after re-import");
    // daily-drones' launched column equals the sum over the generated rows: the first
    // file's (back after the forced re-import) and the 300 new ones.
    let (_, new_rows) = events(&mut Rng(5), 1500, 300);
    let mut all = rows;
    all.extend(new_rows);
    let sums = drones_launched_by_day(&all);
    let mut got = BTreeMap::new();
    for line in answers[0].lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if let Ok(v) = cells[1].parse::<i64>() {
            got.insert(cells[0].to_string(), v);
        }
    }
    assert_eq!(got, sums);
    let exact = a.ok(&[
        "sql",
        "SELECT e.date, sum(q.value) FROM quantities q JOIN events e ON e.id = q.event_id \
         WHERE q.kind = 'drones_launched' AND e.date_precision = 'day' \
         GROUP BY e.date HAVING count(q.value) > 0 ORDER BY e.date",
        "-f",
        "csv",
    ]);
    let from_file: String = sums
        .iter()
        .map(|(d, v)| format!("{d},{v}\n"))
        .collect::<Vec<_>>()
        .concat();
    assert_eq!(exact.split_once('\n').unwrap().1, from_file);
}

#[test]
fn rollups_stay_right_when_rows_are_rejected_and_articles_change() {
    let a = Archive::new();
    let entities = a.write("entities.csv", ENTITIES);
    let (csv, _) = events(&mut Rng(11), 0, 400);
    // A bad row in the middle: its date is no date.
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    lines.insert(
        200,
        "g-bad,2024-13-45,day,shelling,Ukraine,Sumy Oblast,,,x,5,,,,".into(),
    );
    let events_file = a.write("events.csv", lines.join("\n") + "\n");
    a.ok(&["import", entities.to_str().unwrap()]);
    let out = a.ok(&["import", "--skip-bad", events_file.to_str().unwrap()]);
    assert!(
        out.ends_with("400 added, 0 updated, 0 unchanged, 1 rejected\n"),
        "{out}"
    );

    // A row that fails after its event was written (one weapon named twice through two
    // spellings) is rolled back: what it added to the rollups must go too.
    let twice = a.write(
        "twice.ndjson",
        r#"{"event_id":"z-1","date":"2024-05-05","type":"shelling","figures":[{"kind":"launched","weapon":"Shahed","value":5},{"kind":"launched","weapon":"Geran-2","value":6}]}
{"event_id":"z-2","date":"2024-05-05","type":"shelling","figures":[{"kind":"launched","weapon":"Shahed","value":5}]}
"#,
    );
    let out = a.ok(&["import", "--skip-bad", twice.to_str().unwrap()]);
    assert!(
        out.ends_with("1 added, 0 updated, 0 unchanged, 1 rejected\n"),
        "{out}"
    );
    same_answers(&a, "a row rolled back");

    let articles = a.write(
        "articles.ndjson",
        "{\"url\":\"https://a.test/1\",\"title\":\"One\",\"published\":\"2025-06-01T10:00:00Z\"}\n\
         {\"url\":\"https://a.test/2\",\"title\":\"Two\",\"published\":\"2025-06-01T12:00:00Z\"}\n\
         {\"url\":\"https://a.test/3\",\"title\":\"Three\",\"published\":\"2025-06-03T08:00:00Z\"}\n",
    );
    a.import(&[&articles]);
    same_answers(&a, "articles");
    // One article moves to another day; a placeholder becomes a real article.
    let cites = a.write(
        "cites.csv",
        "event_id,date,article_url\nc-1,2025-06-05,https://a.test/4\n",
    );
    a.import(&[&cites]);
    let moved = a.write(
        "moved.ndjson",
        "{\"url\":\"https://a.test/2\",\"title\":\"Two\",\"published\":\"2025-06-02T12:00:00Z\"}\n\
         {\"url\":\"https://a.test/4\",\"title\":\"Four\",\"published\":\"2025-06-05T09:00:00Z\"}\n",
    );
    a.import(&[&moved]);
    let answers = same_answers(&a, "articles moved");
    assert_eq!(
        answers[14],
        "date,articles\n2025-06-01,1\n2025-06-02,1\n2025-06-03,1\n2025-06-05,1\n"
    );
}

#[test]
fn an_archive_from_before_the_rollups_gets_them_filled() {
    let a = Archive::new();
    let entities = a.write("entities.csv", ENTITIES);
    let (csv, _) = events(&mut Rng(3), 0, 300);
    let events_file = a.write("events.csv", &csv);
    a.import(&[&entities, &events_file]);
    let expected = same_answers(&a, "before");
    // Take the archive back to schema version 1: no rollups, the old indexes, no
    // extractions.
    {
        let conn = a.conn();
        conn.execute_batch(
            "DROP TRIGGER articles_search_insert; DROP TRIGGER articles_search_delete; \
             DROP TRIGGER articles_search_update; DROP TRIGGER events_search_insert; \
             DROP TRIGGER events_search_delete; DROP TRIGGER events_search_update; \
             DROP TABLE articles_search; DROP TABLE events_search; DROP TABLE entity_merges; \
             DROP TABLE extractions; \
             DELETE FROM figure_kinds WHERE name = 'prisoners_exchanged'; \
             DROP TABLE rollup_figures; DROP TABLE rollup_event_types; \
             DROP TABLE rollup_event_places; DROP TABLE rollup_entity_events; \
             DROP TABLE rollup_articles; \
             ALTER TABLE imports DROP COLUMN settings_hash; \
             ALTER TABLE imports DROP COLUMN file_path; \
             ALTER TABLE imports DROP COLUMN file_size; \
             ALTER TABLE imports DROP COLUMN file_modified_ns; \
             DROP INDEX events_date; \
             CREATE INDEX events_date ON events (date_precision, date); \
             CREATE INDEX events_type ON events (type, date); \
             CREATE INDEX events_region ON events (region, date); \
             CREATE INDEX quantities_kind ON quantities (kind, event_id); \
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    assert_eq!(same_answers(&a, "after migration"), expected);
    assert_eq!(a.scalar::<i64>("PRAGMA user_version"), 4);
    // Migration 4 built the search indexes from the rows already there.
    a.conn()
        .execute_batch(
            "INSERT INTO events_search (events_search) VALUES ('integrity-check'); \
             INSERT INTO articles_search (articles_search) VALUES ('integrity-check');",
        )
        .unwrap();
    assert_eq!(
        a.scalar::<i64>("SELECT count(*) FROM events_search WHERE events_search MATCH 'comma'"),
        a.scalar::<i64>("SELECT count(*) FROM events WHERE notes LIKE '%comma%'")
    );
    assert!(a.scalar::<i64>("SELECT count(*) FROM events WHERE notes LIKE '%comma%'") > 0);
    // Migration 3 widened what an import row may record, in place, and checks pass.
    a.conn()
        .execute(
            "INSERT INTO imports (file_name, content_hash, kind, format, started_at, sitrep_version) \
             VALUES ('sitrep extract', '', 'events', 'text', '2026-01-01', 'test')",
            [],
        )
        .unwrap();
    a.conn()
        .execute("DELETE FROM imports WHERE format = 'text'", [])
        .unwrap();
    a.ok(&["check"]);
}

#[test]
fn check_finds_a_rollup_that_drifted_and_repair_rebuilds_it() {
    let a = Archive::new();
    let (csv, _) = events(&mut Rng(21), 0, 200);
    let events_file = a.write("events.csv", &csv);
    a.import(&[&events_file]);
    a.conn()
        .execute_batch(
            "UPDATE rollup_event_types SET events = events + 1 \
             WHERE date = (SELECT min(date) FROM rollup_event_types)",
        )
        .unwrap();
    a.conn()
        .execute_batch(
            "DELETE FROM rollup_figures WHERE date = (SELECT min(date) FROM rollup_figures)",
        )
        .unwrap();
    let run = a.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout
            .contains("rollup_event_types: 2 row(s) differ from the base tables and 2 are missing")
            && run
                .stdout
                .contains("rollup_figures: 0 row(s) differ from the base tables and 4 are missing"),
        "{}",
        run.stdout
    );
    let out = a.ok(&["check", "--repair"]);
    assert!(out.contains("rollups rebuilt"), "{out}");
    same_answers(&a, "repaired");
}

//! `sitrep query list|run|save|show|delete`, `sitrep sql` and `sitrep stats`: output
//! formats, date filters, parameters and the read-only guard.

mod common;

use common::{Archive, fixture};
use insta::assert_snapshot;

/// An archive holding tests/fixtures/entities.csv and tests/fixtures/strikes.csv.
fn strikes() -> Archive {
    let archive = Archive::new();
    archive.import(&[&fixture("entities.csv"), &fixture("strikes.csv")]);
    archive
}

fn run_format(archive: &Archive, query: &str, format: &str) -> String {
    archive.ok(&["query", "run", query, "-f", format])
}

const NOTES_SQL: &str = "SELECT external_id, location, notes FROM events \
                         WHERE date_precision = 'day' ORDER BY date, external_id LIMIT 3";

fn sql_format(archive: &Archive, format: &str) -> String {
    archive.ok(&["sql", NOTES_SQL, "-f", format])
}

#[test]
fn query_run_table() {
    let archive = strikes();
    assert_snapshot!(run_format(&archive, "daily-casualties", "table"), @r"
    date        killed  injured
    ──────────  ──────  ───────
    2025-03-08      11       30
    2025-03-09                4
    ");
    assert_snapshot!(sql_format(&archive, "table"), @r"
    external_id           location  notes
    ────────────────────  ────────  ──────────────────────────────────────────────────────
    t-2025-03-07-af                 Night raid on energy sites, drones and cruise missiles
    t-2025-03-08-kharkiv  Kharkiv   Glide bombs hit a residential district
    t-2025-03-09-af                 Drones only
    ");
}

#[test]
fn query_run_csv() {
    let archive = strikes();
    assert_snapshot!(run_format(&archive, "daily-casualties", "csv"), @r"
    date,killed,injured
    2025-03-08,11,30
    2025-03-09,,4
    ");
    assert_snapshot!(sql_format(&archive, "csv"), @r#"
    external_id,location,notes
    t-2025-03-07-af,,"Night raid on energy sites, drones and cruise missiles"
    t-2025-03-08-kharkiv,Kharkiv,Glide bombs hit a residential district
    t-2025-03-09-af,,Drones only
    "#);
}

#[test]
fn query_run_tsv() {
    let archive = strikes();
    // Tabs shown as → so the snapshot is readable.
    assert_snapshot!(run_format(&archive, "daily-casualties", "tsv").replace('\t', "→"), @r"
    date→killed→injured
    2025-03-08→11→30
    2025-03-09→→4
    ");
    assert_snapshot!(sql_format(&archive, "tsv").replace('\t', "→"), @r"
    external_id→location→notes
    t-2025-03-07-af→→Night raid on energy sites, drones and cruise missiles
    t-2025-03-08-kharkiv→Kharkiv→Glide bombs hit a residential district
    t-2025-03-09-af→→Drones only
    ");
}

#[test]
fn query_run_json() {
    let archive = strikes();
    let out = run_format(&archive, "daily-casualties", "json");
    assert_snapshot!(out, @r#"
    [
    {"date":"2025-03-08","killed":11,"injured":30},
    {"date":"2025-03-09","killed":null,"injured":4}
    ]
    "#);
    // It is one valid JSON document.
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed[0]["killed"], 11);
    assert!(parsed[1]["killed"].is_null());
    assert_snapshot!(sql_format(&archive, "json"), @r#"
    [
    {"external_id":"t-2025-03-07-af","location":null,"notes":"Night raid on energy sites, drones and cruise missiles"},
    {"external_id":"t-2025-03-08-kharkiv","location":"Kharkiv","notes":"Glide bombs hit a residential district"},
    {"external_id":"t-2025-03-09-af","location":null,"notes":"Drones only"}
    ]
    "#);
}

#[test]
fn query_run_ndjson() {
    let archive = strikes();
    let out = run_format(&archive, "daily-casualties", "ndjson");
    assert_snapshot!(out, @r#"
    {"date":"2025-03-08","killed":11,"injured":30}
    {"date":"2025-03-09","killed":null,"injured":4}
    "#);
    for line in out.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    assert_snapshot!(sql_format(&archive, "ndjson"), @r#"
    {"external_id":"t-2025-03-07-af","location":null,"notes":"Night raid on energy sites, drones and cruise missiles"}
    {"external_id":"t-2025-03-08-kharkiv","location":"Kharkiv","notes":"Glide bombs hit a residential district"}
    {"external_id":"t-2025-03-09-af","location":null,"notes":"Drones only"}
    "#);
}

#[test]
fn query_run_markdown() {
    let archive = strikes();
    assert_snapshot!(run_format(&archive, "daily-casualties", "markdown"), @r"
    | date       | killed | injured |
    | ---------- | -----: | ------: |
    | 2025-03-08 |     11 |      30 |
    | 2025-03-09 |        |       4 |
    ");
    assert_snapshot!(sql_format(&archive, "markdown"), @r"
    | external_id          | location | notes                                                  |
    | -------------------- | -------- | ------------------------------------------------------ |
    | t-2025-03-07-af      |          | Night raid on energy sites, drones and cruise missiles |
    | t-2025-03-08-kharkiv | Kharkiv  | Glide bombs hit a residential district                 |
    | t-2025-03-09-af      |          | Drones only                                            |
    ");
}

#[test]
fn output_is_csv_when_not_a_terminal() {
    let archive = strikes();
    assert_eq!(
        archive.ok(&["query", "run", "daily-drones"]),
        "date,drones_launched,drones_destroyed\n2025-03-07,194,100\n2025-03-09,176,130\n"
    );
    assert_eq!(
        archive.ok(&["sql", "SELECT count(*) AS n FROM events"]),
        "n\n5\n"
    );
}

#[test]
fn only_day_precise_events_are_in_daily_series() {
    let archive = strikes();
    // The month-precision UN row (500 drones, 164 killed) is stored ...
    assert_eq!(
        archive.scalar::<String>(
            "SELECT date || ' ' || date_precision FROM events WHERE external_id = 't-2025-03-un'"
        ),
        "2025-03-01 month"
    );
    // ... but counts on no day.
    assert_eq!(
        archive.query_csv("daily-drones", &[]),
        "date,drones_launched,drones_destroyed\n2025-03-07,194,100\n2025-03-09,176,130\n"
    );
    assert_eq!(
        archive.query_csv("daily-missiles", &[]),
        "date,missiles_launched,missiles_destroyed\n2025-03-07,67,34\n2025-03-09,0,0\n"
    );
    assert_eq!(
        archive.query_csv("daily-casualties", &[]),
        "date,killed,injured\n2025-03-08,11,30\n2025-03-09,,4\n"
    );
    // A week-precision row is left out too.
    let week = archive.write(
        "week.csv",
        "event_id,date,drones_launched\nwk-1,2025-W11,900\n",
    );
    archive.import(&[&week]);
    assert_eq!(
        archive.scalar::<String>("SELECT date_precision FROM events WHERE external_id = 'wk-1'"),
        "week"
    );
    assert!(!archive.query_csv("daily-drones", &[]).contains("900"));
    // events-by-type does count the month row.
    assert_snapshot!(archive.query_csv("events-by-type", &[]), @r"
    month,type,events
    2025-03,air_attack,4
    2025-03,,1
    2025-03,civilian_casualties,1
    ");
}

#[test]
fn from_and_to_filter_daily_drones() {
    let archive = Archive::with_samples();
    assert_eq!(
        archive.query_csv(
            "daily-drones",
            &["--from", "2025-06-01", "--to", "2025-06-03"]
        ),
        "date,drones_launched,drones_destroyed\n\
         2025-06-01,472,210\n2025-06-02,80,15\n2025-06-03,112,60\n"
    );
    assert_eq!(
        archive.query_csv("daily-drones", &["--from", "2025-06-09"]),
        "date,drones_launched,drones_destroyed\n2025-06-09,479,277\n2025-06-10,315,213\n"
    );
    assert_eq!(
        archive.query_csv("daily-drones", &["--to", "2025-05-26"]),
        "date,drones_launched,drones_destroyed\n2025-05-25,298,139\n2025-05-26,355,233\n"
    );
    // Other ways of writing a day are read too.
    assert_eq!(
        archive.query_csv(
            "daily-drones",
            &["--from", "1 June 2025", "--to", "1 June 2025"]
        ),
        "date,drones_launched,drones_destroyed\n2025-06-01,472,210\n"
    );
    // --from after --to: nothing, not an error.
    assert_eq!(
        archive.query_csv(
            "daily-drones",
            &["--from", "2025-06-05", "--to", "2025-06-04"]
        ),
        "date,drones_launched,drones_destroyed\n"
    );
}

#[test]
fn bad_from_date_is_an_error() {
    let archive = Archive::with_samples();
    let stderr = archive.fails(&["query", "run", "daily-drones", "--from", "2025-13-01"]);
    assert!(
        stderr.contains("--from \"2025-13-01\": month 13 does not exist"),
        "{stderr}"
    );
    // An empty date is not "no filter".
    for command in [
        &["query", "run", "daily-drones", "--to", " "][..],
        &["search", "kyiv", "--from", ""][..],
        &["report", "--out", "r.html", "--from", ""][..],
    ] {
        let stderr = archive.fails(command);
        assert!(stderr.contains("is empty"), "{command:?}: {stderr}");
    }
}

#[test]
fn top_entities_takes_kind_and_limit() {
    let archive = strikes();
    assert_eq!(
        archive.query_csv("top-entities", &["-p", "limit=2"]),
        "name,kind,events,articles\n\
         Russian Armed Forces,organisation,4,0\n\
         Shahed-136/131,weapon,3,0\n"
    );
    assert_eq!(
        archive.query_csv("top-entities", &["-p", "kind=place"]),
        "name,kind,events,articles\nKharkiv,place,1,0\nOdesa,place,1,0\n"
    );
}

#[test]
fn query_list_without_an_archive_shows_builtins_and_creates_nothing() {
    let archive = Archive::new();
    let out = archive.ok(&["query", "list", "-f", "csv"]);
    let names: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "daily-drones",
            "daily-missiles",
            "daily-casualties",
            "events-by-type",
            "events-by-region",
            "top-entities",
            "articles-per-day"
        ]
    );
    assert!(out.lines().skip(1).all(|l| l.contains(",built-in,")));
    assert!(!archive.db.exists());
}

#[test]
fn query_show_prints_description_parameters_and_sql() {
    let archive = Archive::new();
    let out = archive.ok(&["query", "show", "top-entities"]);
    let head: Vec<&str> = out.lines().take(5).collect();
    assert_eq!(head[0], "name: top-entities");
    assert_eq!(head[1], "kind: built-in");
    assert!(head[2].starts_with("description: Entities linked to the most events."));
    assert_eq!(head[3], "parameters: :kind :from :to :limit");
    assert_eq!(head[4], "sql (from the rollup tables):");
    assert!(out.contains("FROM rollup_entity_events"), "{out}");
    assert!(
        out.contains("sql (--scan, and parameters the rollups cannot serve):\nSELECT n.name"),
        "{out}"
    );
    assert!(out.contains("LIMIT coalesce(:limit, 20)"), "{out}");
    assert!(!archive.db.exists());
}

#[test]
fn saved_query_lifecycle() {
    let archive = strikes();
    let sql =
        "SELECT external_id, location FROM events WHERE location = :place ORDER BY external_id";
    assert_eq!(
        archive.ok(&[
            "query",
            "save",
            "by-place",
            "--sql",
            sql,
            "--description",
            "Events at one place"
        ]),
        "saved query by-place\n"
    );
    // list
    let list = archive.ok(&["query", "list", "-f", "csv"]);
    assert_eq!(
        list.lines().last().unwrap(),
        "by-place,saved,Events at one place"
    );
    assert_eq!(list.lines().count(), 1 + 7 + 1);
    // show
    assert_eq!(
        archive.ok(&["query", "show", "by-place"]),
        format!(
            "name: by-place\nkind: saved\ndescription: Events at one place\nparameters: :place\nsql:\n{sql}\n"
        )
    );
    // run
    assert_eq!(
        archive.query_csv("by-place", &["-p", "place=Kharkiv"]),
        "external_id,location\nt-2025-03-08-kharkiv,Kharkiv\n"
    );
    // saving again needs --replace
    let stderr = archive.fails(&["query", "save", "by-place", "--sql", "SELECT 1"]);
    assert!(
        stderr.contains("a query named \"by-place\" is already saved; add --replace"),
        "{stderr}"
    );
    assert_eq!(
        archive.scalar::<String>("SELECT sql FROM saved_queries WHERE name = 'by-place'"),
        sql
    );
    archive.ok(&[
        "query",
        "save",
        "by-place",
        "--sql",
        "SELECT 2 AS two",
        "--replace",
    ]);
    assert_eq!(archive.query_csv("by-place", &[]), "two\n2\n");
    // delete
    assert_eq!(
        archive.ok(&["query", "delete", "by-place"]),
        "deleted query by-place\n"
    );
    assert_eq!(archive.count("saved_queries"), 0);
    let stderr = archive.fails(&["query", "run", "by-place"]);
    assert!(stderr.contains("no query named \"by-place\""), "{stderr}");
    let stderr = archive.fails(&["query", "delete", "by-place"]);
    assert!(
        stderr.contains("no saved query named \"by-place\""),
        "{stderr}"
    );
}

#[test]
fn builtin_queries_cannot_be_replaced_or_deleted() {
    let archive = strikes();
    let stderr = archive.fails(&["query", "save", "daily-drones", "--sql", "SELECT 1"]);
    assert!(stderr.contains("is a built-in query"), "{stderr}");
    let stderr = archive.fails(&["query", "delete", "daily-drones"]);
    assert!(stderr.contains("cannot be deleted"), "{stderr}");
    assert_eq!(archive.count("saved_queries"), 0);
    assert!(
        archive
            .query_csv("daily-drones", &[])
            .contains("2025-03-07,194,100")
    );
}

#[test]
fn saving_a_writing_statement_is_refused_and_nothing_is_saved() {
    let archive = strikes();
    for sql in [
        "DELETE FROM events",
        "INSERT INTO sources (name, key) VALUES ('x', 'x')",
        "DROP TABLE events",
        "SELECT 1; DELETE FROM events",
    ] {
        let stderr = archive.fails(&["query", "save", "sneaky", "--sql", sql]);
        assert!(stderr.contains("refused"), "{sql}: {stderr}");
        assert_eq!(archive.count("saved_queries"), 0, "{sql}");
    }
    assert_eq!(archive.count("events"), 5);
}

#[test]
fn parameters_are_bound_not_spliced() {
    let archive = strikes();
    archive.ok(&[
        "query",
        "save",
        "by-id",
        "--sql",
        "SELECT external_id FROM events WHERE external_id = :id",
    ]);
    assert_eq!(
        archive.query_csv("by-id", &["-p", "id=t-2025-03-09-af"]),
        "external_id\nt-2025-03-09-af\n"
    );
    // An injection attempt is a value like any other: no event has that id.
    assert_eq!(
        archive.query_csv("by-id", &["-p", "id=x' OR '1'='1"]),
        "external_id\n"
    );
    // The same through `sql`.
    assert_eq!(
        archive.ok(&[
            "sql",
            "SELECT count(*) AS n FROM events WHERE external_id = :id",
            "-p",
            "id=x' OR '1'='1",
            "-f",
            "csv"
        ]),
        "n\n0\n"
    );
    // Numbers are bound as numbers.
    assert_eq!(
        archive.ok(&["sql", "SELECT :n + 1 AS m", "-p", "n=41", "-f", "csv"]),
        "m\n42\n"
    );
}

#[test]
fn unknown_or_malformed_parameter_is_an_error() {
    let archive = strikes();
    let stderr = archive.fails(&["query", "run", "daily-drones", "-p", "colour=red"]);
    assert!(
        stderr.contains("-p colour=...: the query has no parameter :colour"),
        "{stderr}"
    );
    let stderr = archive.fails(&["sql", "SELECT :a AS a", "-p", "b=1"]);
    assert!(stderr.contains("no parameter :b"), "{stderr}");
    let stderr = archive.fails(&["sql", "SELECT :a AS a", "-p", "a"]);
    assert!(stderr.contains("expected name=value"), "{stderr}");
}

#[test]
fn sql_refuses_anything_that_writes() {
    let archive = strikes();
    let attached = archive.dir.path().join("other.db");
    let attach = format!("ATTACH DATABASE '{}' AS other", attached.display());
    let before = archive.dump();
    let cases: &[(&str, &str)] = &[
        (
            "INSERT INTO sources (name, key) VALUES ('x', 'x')",
            "would change the archive",
        ),
        ("DELETE FROM events", "would change the archive"),
        ("UPDATE events SET notes = 'x'", "would change the archive"),
        ("CREATE TABLE t (x)", "would change the archive"),
        ("DROP TABLE events", "would change the archive"),
        (
            "REPLACE INTO sources (name, key) VALUES ('x', 'x')",
            "would change the archive",
        ),
        (
            "WITH doomed AS (SELECT 1) DELETE FROM events",
            "would change the archive",
        ),
        (&attach, "ATTACH is not allowed"),
        (
            "PRAGMA user_version = 5",
            "changing PRAGMA user_version is not allowed",
        ),
        (
            "PRAGMA foreign_keys = OFF",
            "changing PRAGMA foreign_keys is not allowed",
        ),
        (
            "SELECT load_extension('nope')",
            "load_extension is not allowed",
        ),
        ("SELECT 1; SELECT 2", "give one SQL statement at a time"),
        ("SELECT 1; DELETE FROM events", "one SQL statement"),
    ];
    for (sql, message) in cases {
        let run = archive.run(&["sql", sql, "-f", "csv"]);
        assert!(!run.success, "{sql} was allowed");
        assert!(
            run.stderr.contains("refused") && run.stderr.contains(message),
            "{sql}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{sql}");
    }
    assert!(!attached.exists(), "ATTACH created {}", attached.display());
    assert_eq!(before, archive.dump());
}

#[test]
fn sql_reads() {
    let archive = strikes();
    assert_eq!(
        archive.ok(&["sql", "PRAGMA user_version", "-f", "csv"]),
        "user_version\n4\n"
    );
    assert_eq!(
        archive.ok(&[
            "sql",
            "SELECT kind, count(*) AS n FROM entities GROUP BY kind ORDER BY kind;",
            "-f",
            "csv"
        ]),
        "kind,n\norganisation,2\nperson,2\nplace,2\nweapon,4\n"
    );
    let stderr = archive.fails(&["sql", "SELECT * FROM nowhere"]);
    assert!(stderr.contains("invalid SQL"), "{stderr}");
    assert!(stderr.contains("no such table: nowhere"), "{stderr}");
}

#[test]
fn sql_allows_schema_pragmas_that_only_read() {
    let archive = strikes();
    let out = archive.ok(&["sql", "PRAGMA table_info(events)", "-f", "csv"]);
    assert!(
        out.lines().any(|l| l.starts_with("1,dataset,TEXT")),
        "{out}"
    );
    let out = archive.ok(&[
        "sql",
        "SELECT name FROM pragma_table_info('events') WHERE pk = 1",
        "-f",
        "csv",
    ]);
    assert_eq!(out, "name\nid\n");
}

#[test]
fn stats_counts_a_small_archive() {
    let archive = strikes();
    let out = archive.ok(&["stats", "-f", "csv"]);
    let day: String = archive.scalar("SELECT substr(started_at, 1, 10) FROM imports LIMIT 1");
    assert_eq!(
        out,
        format!(
            "what,count,first,last
articles,0,,
placeholder articles,0,,
events,5,2025-03-01,2025-03-09
events (day-precise),4,2025-03-07,2025-03-09
figures,15,,
entities: organisation,2,,
entities: person,2,,
entities: place,2,,
entities: weapon,4,,
entity aliases,27,,
sources,4,,
imports,2,{day},{day}
"
        )
    );
}

#[test]
fn a_writing_saved_query_is_refused_again_when_it_runs() {
    let archive = strikes();
    // Planted behind sitrep's back, as an older or tampered archive might hold it.
    archive
        .conn()
        .execute(
            "INSERT INTO saved_queries (name, description, sql, created_at) \
             VALUES ('wipe', '', 'DELETE FROM events', '2025-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    let before = archive.dump();
    let stderr = archive.fails(&["query", "run", "wipe"]);
    assert!(stderr.contains("refused"), "{stderr}");
    assert_eq!(archive.count("events"), 5);
    assert_eq!(before, archive.dump());
}

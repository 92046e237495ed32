//! What the user is told when something is wrong: bad input rows, unusable archives,
//! closed pipes; and where the archive is looked for (`--db`, SITREP_DB, the default).

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::{Archive, finish, fixture, sitrep_in};

/// Imports `contents` as `name` into a fresh archive; the import must fail. Returns stderr.
fn import_error(name: &str, contents: &[u8]) -> String {
    let archive = Archive::new();
    let path = archive.write(name, contents);
    let stderr = archive.fails(&["import", path.to_str().unwrap()]);
    assert!(
        stderr.starts_with("sitrep: error: "),
        "errors start with `sitrep: error:`\n{stderr}"
    );
    // The archive did not exist before, and a failed import leaves none behind.
    assert!(!archive.db.exists(), "{stderr}");
    stderr
}

#[test]
fn bad_date_names_file_line_column_and_value() {
    let stderr = import_error(
        "dates.csv",
        b"event_id,date,killed\na-1,2025-06-01,1\na-2,2025-13-01,1\n",
    );
    assert!(
        stderr.contains(
            "dates.csv: line 3, column date (column 2), value \"2025-13-01\": month 13 does not exist"
        ),
        "{stderr}"
    );
}

#[test]
fn ambiguous_slash_date_suggests_date_order() {
    let stderr = import_error(
        "slash.csv",
        b"event_id,date,killed\na-1,2025-06-01,1\na-2,03/04/2025,1\n",
    );
    assert!(stderr.contains("slash.csv: line 3"), "{stderr}");
    assert!(stderr.contains("value \"03/04/2025\""), "{stderr}");
    assert!(stderr.contains("ambiguous"), "{stderr}");
    assert!(stderr.contains("--date-order"), "{stderr}");
}

#[test]
fn date_order_flag_resolves_slash_dates() {
    // The ambiguous-date message tells the user to pass --date-order; it must work.
    let archive = Archive::new();
    let path = archive.write(
        "slash.csv",
        "event_id,date,killed\na-1,03/04/2025,1\na-2,25/12/2025,2\n",
    );
    archive.ok(&["import", "--date-order", "dmy", path.to_str().unwrap()]);
    assert_eq!(
        archive.scalar::<String>(
            "SELECT group_concat(date, ' ') FROM (SELECT date FROM events ORDER BY external_id)"
        ),
        "2025-04-03 2025-12-25"
    );
    let archive = Archive::new();
    let path = archive.write("slash.csv", "event_id,date,killed\na-1,03/04/2025,1\n");
    archive.ok(&["import", "--date-order", "mdy", path.to_str().unwrap()]);
    assert_eq!(
        archive.scalar::<String>("SELECT date FROM events"),
        "2025-03-04"
    );
}

#[test]
fn missing_date_is_named() {
    let stderr = import_error(
        "nodate.csv",
        b"event_id,date,killed\na-1,2025-06-01,1\na-2,,1\n",
    );
    assert!(
        stderr.contains("nodate.csv: line 3, column date (column 2): an event needs a date"),
        "{stderr}"
    );
}

#[test]
fn unknown_entity_kind_lists_the_known_ones() {
    let archive = Archive::new();
    let path = archive.write(
        "kinds.csv",
        "name,kind\nOleh Syniehubov,person\nT-90M,tank\n",
    );
    let stderr = archive.fails(&["import", path.to_str().unwrap()]);
    assert!(
        stderr.contains(
            "kinds.csv: line 3, column kind (column 2), value \"tank\": unknown entity kind \"tank\"; \
             expected one of person, organisation, place, military_unit, weapon"
        ),
        "{stderr}"
    );
    assert!(
        !archive.db.exists(),
        "a failed first import leaves no archive"
    );
}

#[test]
fn invalid_json_names_the_line() {
    let stderr = import_error(
        "broken.json",
        b"[\n  {\"event_id\": \"j-1\", \"date\": \"2025-06-01\"},\n  {\"event_id\": \"j-2\", \"date\": \"2025-06-02\",}\n]\n",
    );
    assert!(stderr.contains("broken.json: line 3"), "{stderr}");
    assert!(stderr.contains("invalid JSON"), "{stderr}");
}

#[test]
fn ndjson_error_names_the_line_number() {
    let stderr = import_error(
        "broken.ndjson",
        b"{\"event_id\": \"n-1\", \"date\": \"2025-06-01\"}\n\
          {\"event_id\": \"n-2\", \"date\": \"2025-06-02\"}\n\
          {\"event_id\": \"n-3\", date: \"2025-06-03\"}\n\
          {\"event_id\": \"n-4\", \"date\": \"2025-06-04\"}\n",
    );
    assert!(stderr.contains("broken.ndjson: line 3"), "{stderr}");
    assert!(stderr.contains("invalid JSON"), "{stderr}");
}

#[test]
fn ndjson_bad_value_names_line_and_key() {
    let stderr = import_error(
        "values.ndjson",
        b"{\"event_id\": \"n-1\", \"date\": \"2025-06-01\", \"killed\": 2}\n\
          {\"event_id\": \"n-2\", \"date\": \"2025-06-02\", \"killed\": -2}\n",
    );
    assert!(
        stderr.contains("values.ndjson: line 2, column \"killed\", value \"-2\""),
        "{stderr}"
    );
}

#[test]
fn empty_file_is_an_error() {
    let stderr = import_error("empty.csv", b"");
    assert!(stderr.contains("empty.csv: the file is empty"), "{stderr}");
    let stderr = import_error("empty.json", b"");
    assert!(stderr.contains("empty.json: the file is empty"), "{stderr}");
}

#[test]
fn empty_stdin_is_an_error() {
    let archive = Archive::new();
    let mut cmd = archive.cmd(&["import", "-"]);
    cmd.write_stdin("");
    let run = finish(&mut cmd);
    assert!(!run.success);
    assert!(
        run.stderr.contains("<stdin>: the file is empty"),
        "{}",
        run.stderr
    );
}

#[test]
fn header_only_file_imports_zero_rows() {
    let archive = Archive::new();
    let path = archive.write("header.csv", "event_id,date,killed\n");
    let (out, stderr) = archive.ok_both(&["import", path.to_str().unwrap()]);
    assert_eq!(
        out,
        format!(
            "{}: events (csv): 0 added, 0 updated, 0 unchanged, 0 rejected\n",
            path.display()
        )
    );
    assert!(stderr.contains("the file holds no rows"), "{stderr}");
    assert_eq!(archive.count("events"), 0);
    assert_eq!(archive.count("imports"), 1);
}

#[test]
fn missing_input_file_is_named() {
    let archive = Archive::new();
    let stderr = archive.fails(&["import", "no-such-file.csv"]);
    assert!(stderr.contains("cannot read no-such-file.csv"), "{stderr}");
}

#[test]
fn unreadable_columns_ask_for_kind() {
    let stderr = import_error("mystery.csv", b"colour,shape\nred,round\n");
    assert!(
        stderr.contains("cannot tell what the file holds from its columns (colour, shape)"),
        "{stderr}"
    );
}

#[test]
fn newer_archive_is_refused_by_every_command() {
    let archive = Archive::new();
    archive.import(&[&fixture("strikes.csv")]);
    archive
        .conn()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let before = std::fs::read(&archive.db).unwrap();
    let csv = fixture("strikes.csv");
    let commands: &[&[&str]] = &[
        &["stats"],
        &["sql", "SELECT 1"],
        &["query", "list"],
        &["query", "run", "daily-drones"],
        &["query", "show", "daily-drones"],
        &["query", "save", "mine", "--sql", "SELECT 1"],
        &["query", "delete", "mine"],
        &["export", "events"],
        &["import", csv.to_str().unwrap()],
    ];
    for args in commands {
        let stderr = archive.fails(args);
        assert!(stderr.contains("newer sitrep"), "{args:?}: {stderr}");
        assert!(stderr.contains("schema version 999"), "{args:?}: {stderr}");
    }
    assert_eq!(
        archive.scalar::<i64>("PRAGMA user_version"),
        999,
        "the archive was migrated"
    );
    assert_eq!(archive.count("saved_queries"), 0);
    assert_eq!(before, std::fs::read(&archive.db).unwrap());
}

#[test]
fn non_sqlite_file_is_not_an_archive() {
    let archive = Archive::new();
    let text = "Just some notes, not a database at all.\n".repeat(40);
    std::fs::write(&archive.db, &text).unwrap();
    let csv = fixture("strikes.csv");
    for args in [
        &["stats"][..],
        &["query", "run", "daily-drones"],
        &["sql", "SELECT 1"],
        &["import", csv.to_str().unwrap()],
    ] {
        let stderr = archive.fails(args);
        assert!(
            stderr.contains("not a sitrep archive"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(std::fs::read_to_string(&archive.db).unwrap(), text);
}

#[test]
fn foreign_sqlite_file_is_not_an_archive() {
    let archive = Archive::new();
    rusqlite::Connection::open(&archive.db)
        .unwrap()
        .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('borscht');")
        .unwrap();
    let csv = fixture("strikes.csv");
    let stderr = archive.fails(&["import", csv.to_str().unwrap()]);
    assert!(stderr.contains("not a sitrep archive"), "{stderr}");
    assert_eq!(
        archive.scalar::<i64>("SELECT count(*) FROM sqlite_schema WHERE type = 'table'"),
        1
    );
}

#[test]
fn missing_directory_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("no-such-dir").join("archive.db");
    let csv = fixture("strikes.csv");
    let run = finish(
        sitrep_in(dir.path())
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(&csv),
    );
    assert!(!run.success);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(run.stderr.contains("no-such-dir"), "{}", run.stderr);
    assert!(!dir.path().join("no-such-dir").exists());
}

#[test]
fn reading_a_missing_archive_fails_and_creates_nothing() {
    let archive = Archive::new();
    for args in [
        &["query", "run", "daily-drones"][..],
        &["sql", "SELECT 1"],
        &["stats"],
    ] {
        let stderr = archive.fails(args);
        assert!(stderr.contains("no archive at"), "{args:?}: {stderr}");
        assert!(stderr.contains("--db or SITREP_DB"), "{args:?}: {stderr}");
    }
    let left: Vec<_> = std::fs::read_dir(archive.dir.path()).unwrap().collect();
    assert!(left.is_empty(), "files were created: {left:?}");
}

/// Runs sitrep with its standard output on a pipe, reads one line, closes the pipe and
/// waits: the program must end successfully and quietly.
fn closed_pipe(archive: &Archive, args: &[&str]) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .env_remove("SITREP_DB")
        .current_dir(archive.dir.path())
        .arg("--db")
        .arg(&archive.db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    drop(reader);
    let output = child.wait_with_output().unwrap();
    assert!(!first.is_empty(), "{args:?} printed nothing");
    assert!(output.status.success(), "{args:?}: {:?}", output.status);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
}

const MANY_ROWS: &str = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT x FROM c";

#[test]
fn closed_pipe_ends_quietly() {
    let archive = Archive::with_samples();
    // 200,000 rows are far more than a pipe buffer holds.
    for format in ["csv", "table", "json", "ndjson", "markdown", "tsv"] {
        closed_pipe(&archive, &["sql", MANY_ROWS, "-f", format]);
    }
    archive.ok(&["query", "save", "many", "--sql", MANY_ROWS]);
    closed_pipe(&archive, &["query", "run", "many"]);
    closed_pipe(&archive, &["query", "run", "daily-drones"]);
}

#[test]
fn export_to_a_closed_pipe_ends_quietly() {
    let archive = Archive::new();
    // 3,000 events: every export format is far larger than a pipe buffer.
    let mut csv = String::from("event_id,date,location,notes,killed\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "p-{i},2025-06-{:02},Kyiv,Generated row {i} for the closed pipe test,{}\n",
            i % 28 + 1,
            i % 7
        ));
    }
    let path = archive.write("many.csv", csv);
    archive.import(&[&path]);
    for format in ["csv", "json", "ndjson"] {
        closed_pipe(&archive, &["export", "events", "-f", format]);
    }
}

#[test]
fn sitrep_db_environment_variable_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env.db");
    let csv = fixture("strikes.csv");
    let run = finish(
        sitrep_in(dir.path())
            .env("SITREP_DB", &db)
            .arg("import")
            .arg(&csv),
    );
    assert!(run.success, "{}", run.stderr);
    assert!(db.exists());
    assert!(!dir.path().join("sitrep.db").exists());
    let run = finish(
        sitrep_in(dir.path())
            .env("SITREP_DB", &db)
            .args(["sql", "SELECT count(*) AS n FROM events"]),
    );
    assert_eq!(run.stdout, "n\n5\n");
    // --db wins over the variable.
    let other = dir.path().join("other.db");
    let run = finish(
        sitrep_in(dir.path())
            .env("SITREP_DB", &db)
            .arg("--db")
            .arg(&other)
            .args(["sql", "SELECT 1"]),
    );
    assert!(!run.success);
    assert!(run.stderr.contains("other.db"), "{}", run.stderr);
}

#[test]
fn default_archive_is_sitrep_db_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let csv = fixture("strikes.csv");
    let run = finish(sitrep_in(dir.path()).arg("import").arg(&csv));
    assert!(run.success, "{}", run.stderr);
    let db = dir.path().join("sitrep.db");
    assert!(db.exists());
    let count: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 5);
}

#[test]
fn slash_dates_take_their_order_from_the_column() {
    // 25/12/2025 can only be day-first, so 03/04/2025 in the same column is 3 April.
    let archive = Archive::new();
    let path = archive.write(
        "slash.csv",
        "event_id,date,killed\na-1,03/04/2025,1\na-2,25/12/2025,2\n",
    );
    archive.import(&[&path]);
    assert_eq!(
        archive.scalar::<String>(
            "SELECT group_concat(date, ' ') FROM (SELECT date FROM events ORDER BY external_id)"
        ),
        "2025-04-03 2025-12-25"
    );
    // Values that contradict each other stop the import.
    let stderr = import_error(
        "contradict.csv",
        b"event_id,date,killed\nb-1,13/04/2025,1\nb-2,04/13/2025,2\n",
    );
    assert!(stderr.contains("04/13/2025"), "{stderr}");
}

#[test]
fn an_alias_cannot_take_over_another_entity() {
    let archive = Archive::new();
    let first = archive.write("city.csv", "name,kind,aliases\nKharkiv,place,Kharkov\n");
    archive.import(&[&first]);
    let oblast = archive.write(
        "oblast.csv",
        "name,kind,aliases\nKharkiv Oblast,place,Kharkiv region;Kharkiv\n",
    );
    let err = archive.fails(&["import", oblast.to_str().unwrap()]);
    assert!(
        err.contains("line 2") && err.contains("\"Kharkiv\" already names the place \"Kharkiv\""),
        "{err}"
    );
    assert_eq!(
        archive.scalar::<String>("SELECT group_concat(name, '|') FROM entities"),
        "Kharkiv"
    );
    // A row named by a known spelling updates that entity and keeps its canonical name.
    let by_alias = archive.write(
        "by-alias.csv",
        "name,kind,aliases,country\nKharkov,place,Charkiw,Ukraine\n",
    );
    let out = archive.import(&[&by_alias]);
    assert!(out.contains("0 added, 1 updated"), "{out}");
    assert_eq!(
        archive.scalar::<String>("SELECT name || '/' || country FROM entities"),
        "Kharkiv/Ukraine"
    );
    assert_eq!(archive.count("entity_aliases"), 3);
}

#[test]
fn an_empty_ndjson_file_is_an_error_like_empty_csv_and_json() {
    let archive = Archive::new();
    for name in ["empty.ndjson", "empty.csv", "empty.json"] {
        let path = archive.write(name, "");
        let err = archive.fails(&["import", path.to_str().unwrap()]);
        assert!(err.contains("empty"), "{name}: {err}");
    }
}

#[test]
fn ndjson_syntax_errors_name_one_line() {
    let archive = Archive::new();
    let path = archive.write(
        "broken.ndjson",
        "{\"event_id\":\"a\",\"date\":\"2025-06-01\"}\n\n{\"event_id\":\"b\",\"date\":}\n",
    );
    let err = archive.fails(&["import", path.to_str().unwrap()]);
    assert!(err.contains("broken.ndjson: line 3, column"), "{err}");
    assert_eq!(err.matches("line ").count(), 1, "{err}");
}

#[test]
fn importing_a_missing_file_creates_no_archive() {
    let archive = Archive::new();
    let err = archive.fails(&["import", "no-such-file.csv"]);
    assert!(
        err.contains("no-such-file.csv") && err.contains("no such file"),
        "{err}"
    );
    assert!(!archive.db.exists());
}

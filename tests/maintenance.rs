//! `check` (search indexes included), `backup` and `--timeout`: keeping an archive sound
//! and queries bounded.

mod common;

use common::Archive;

#[test]
fn check_passes_a_sound_archive_and_names_a_broken_foreign_key() {
    let archive = Archive::with_samples();
    let out = archive.ok(&["check"]);
    assert!(
        out.ends_with(
            "ok (integrity, search indexes, foreign keys, archive invariants, rollups)\n"
        ),
        "{out}"
    );
    {
        let conn = archive.conn();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF; \
             INSERT INTO event_articles (event_id, article_id) VALUES (999999, 1);",
        )
        .unwrap();
    }
    let run = archive.run(&["check"]);
    assert!(!run.success);
    // event_articles has no rowid, so the row is shown as `?`.
    assert!(
        run.stdout
            .ends_with(": foreign key: event_articles row ? points at a missing events row\n"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("1 problem(s) found"), "{}", run.stderr);
}

#[test]
fn check_finds_a_stale_search_index_and_repair_rebuilds_it() {
    let archive = Archive::with_samples();
    let matches = |word: &str| -> i64 {
        archive.scalar(&format!(
            "SELECT count(*) FROM articles_search WHERE articles_search MATCH '{word}'"
        ))
    };
    let istanbul = matches("istanbul");
    assert!(istanbul > 1, "{istanbul}");
    {
        // Text changed behind the triggers' back: the index still holds the old words.
        let conn = archive.conn();
        conn.execute_batch(
            "DROP TRIGGER articles_search_update; \
             UPDATE articles SET body = 'Nothing but turbines' WHERE id = (SELECT min(id) \
             FROM articles WHERE body LIKE '%Istanbul%' AND title NOT LIKE '%Istanbul%');",
        )
        .unwrap();
    }
    assert_eq!(matches("turbines"), 0);
    let run = archive.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout.ends_with(
            ": search index articles_search does not match the text of articles \
             (`sitrep check --repair` rebuilds it)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("1 problem(s) found"), "{}", run.stderr);
    let out = archive.ok(&["check", "--repair"]);
    assert!(out.contains("search indexes rebuilt"), "{out}");
    assert!(
        out.ends_with(
            "ok (integrity, search indexes, foreign keys, archive invariants, rollups)\n"
        ),
        "{out}"
    );
    assert_eq!(matches("turbines"), 1);
    assert_eq!(matches("istanbul"), istanbul - 1);
}

#[test]
fn backup_writes_a_copy_that_answers_the_same_and_refuses_to_overwrite() {
    let archive = Archive::with_samples();
    let copy = archive.dir.path().join("copy.db");
    let copy_arg = copy.to_str().unwrap();
    let out = archive.ok(&["backup", copy_arg]);
    assert!(out.starts_with("backed up "), "{out}");
    let original = archive.query_csv("daily-drones", &[]);
    let run = common::finish(common::sitrep_in(archive.dir.path()).args([
        "--db",
        copy_arg,
        "query",
        "run",
        "daily-drones",
        "-f",
        "csv",
    ]));
    assert!(run.success, "{}", run.stderr);
    let from_copy = run.stdout;
    assert_eq!(original, from_copy);
    assert!(original.contains("2025-06-01,472,210"), "{original}");
    let refused = archive.fails(&["backup", copy_arg]);
    assert!(refused.contains("exists; add --force"), "{refused}");
    archive.ok(&["backup", "--force", copy_arg]);
    assert!(!archive.dir.path().join("copy.db.partial").exists());
}

#[test]
fn a_runaway_query_is_stopped_by_its_timeout() {
    let archive = Archive::with_samples();
    let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) \
                   SELECT count(*) FROM c";
    let err = archive.fails(&["sql", endless, "--timeout", "0.3"]);
    assert!(
        err.contains("the query was stopped after 0.3 s (--timeout; 0 for no limit)"),
        "{err}"
    );
    let err = archive.fails(&["sql", "SELECT 1", "--timeout=-1"]);
    assert!(err.contains("--timeout -1"), "{err}");
    // A quick query is unaffected by a short limit.
    let out = archive.ok(&[
        "sql",
        "SELECT count(*) AS n FROM events",
        "--timeout",
        "5",
        "-f",
        "csv",
    ]);
    assert_eq!(out, "n\n29\n");
}

//! Concurrency: queries during an import see the archive before it or after it, never half
//! of it, and never fail with "database is locked"; two imports at once both get in, one
//! after the other, into an existing archive and into one neither found.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use common::Archive;

fn events_csv(prefix: &str, n: usize) -> String {
    let mut csv = String::from("event_id,date,type,actors,killed\n");
    for i in 0..n {
        let _ = writeln!(
            csv,
            "{prefix}-{i},2025-{:02}-{:02},shelling,Actor {},{}",
            1 + i % 12,
            1 + i % 28,
            i % 40,
            i % 7
        );
    }
    csv
}

fn sitrep(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("sitrep"));
    cmd.env_remove("SITREP_DB")
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn queries_during_an_import_see_before_or_after_and_are_never_locked_out() {
    let a = Archive::new();
    let small = a.write("small.csv", events_csv("s", 10));
    a.import(&[&small]);
    let big = a.write("big.csv", events_csv("b", 8000));
    let db = a.db.to_str().unwrap();
    let mut import = sitrep(
        a.dir.path(),
        &["--db", db, "import", "--quiet", big.to_str().unwrap()],
    )
    .spawn()
    .unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut queries = 0;
    while import.try_wait().unwrap().is_none() || queries < 3 {
        let out = sitrep(
            a.dir.path(),
            &[
                "--db",
                db,
                "sql",
                "SELECT count(*) AS n FROM events",
                "-f",
                "csv",
            ],
        )
        .output()
        .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "a query failed during the import: {stderr}"
        );
        let n: i64 = String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            n == 10 || n == 8010,
            "a query saw {n} events: half an import"
        );
        // The rollups are read in the same snapshot as the base tables.
        let by_type = sitrep(
            a.dir.path(),
            &["--db", db, "query", "run", "events-by-type", "-f", "csv"],
        )
        .output()
        .unwrap();
        assert!(by_type.status.success());
        let total: i64 = String::from_utf8_lossy(&by_type.stdout)
            .lines()
            .skip(1)
            .map(|l| l.rsplit(',').next().unwrap().parse::<i64>().unwrap())
            .sum();
        assert!(
            total == 10 || total == 8010,
            "events-by-type summed to {total}"
        );
        seen.insert(n);
        queries += 1;
    }
    assert!(import.wait().unwrap().success());
    assert!(
        seen.contains(&10),
        "no query ran while the import did: {seen:?}"
    );
}

#[test]
fn two_imports_at_once_both_get_in() {
    for existing in [true, false] {
        let a = Archive::new();
        if existing {
            let small = a.write("small.csv", events_csv("s", 10));
            a.import(&[&small]);
        }
        let one = a.write("one.csv", events_csv("one", 3000));
        let two = a.write("two.csv", events_csv("two", 3000));
        let db = a.db.to_str().unwrap();
        let first = sitrep(a.dir.path(), &["--db", db, "import", one.to_str().unwrap()])
            .spawn()
            .unwrap();
        let second = sitrep(a.dir.path(), &["--db", db, "import", two.to_str().unwrap()])
            .spawn()
            .unwrap();
        for child in [first, second] {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "existing archive {existing}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let base = if existing { 10 } else { 0 };
        assert_eq!(
            a.count("events"),
            base + 6000,
            "existing archive {existing}"
        );
        assert!(a.ok(&["check"]).ends_with("rollups)\n"));
    }
}

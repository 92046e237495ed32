//! Faults: an import killed (SIGKILL) at many moments leaves an archive that opens, passes
//! the integrity and foreign-key checks and holds all of the file or none of it, and the
//! same import run again completes it; a new archive killed while being built never
//! appears half made; an archive that hits its size limit is left as it was.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Archive;

/// `n` events with links and figures, about 300 bytes a row.
fn events_csv(n: usize) -> String {
    let mut csv = String::from(
        "event_id,date,type,region,actors,weapon,notes,drones_launched,drones_destroyed,killed\n",
    );
    for i in 0..n {
        let _ = writeln!(
            csv,
            "k-{i:07},2025-{:02}-{:02},air_attack,Region {},Actor {};Actor {},Shahed-136,\
             \"Night attack {i}, debris fell on houses; \"\"several\"\" fires\",{},{},{}",
            1 + i % 12,
            1 + i % 28,
            i % 50,
            i % 300,
            (i * 7) % 300,
            i % 500,
            i % 400,
            if i % 3 == 0 {
                String::new()
            } else {
                (i % 9).to_string()
            }
        );
    }
    csv
}

fn sitrep(dir: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("sitrep"));
    cmd.env_remove("SITREP_DB")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Runs `args` and kills the process after `after`; true when it was still running.
fn kill_after(dir: &Path, args: &[&str], after: Duration) -> bool {
    let mut child = sitrep(dir).args(args).spawn().expect("sitrep starts");
    std::thread::sleep(after);
    let running = child.try_wait().expect("wait works").is_none();
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    running
}

/// Integrity, foreign keys, and the number of events (None when there is no archive).
fn state(db: &Path) -> Option<i64> {
    if !db.exists() {
        return None;
    }
    let conn = rusqlite::Connection::open(db).expect("the archive opens");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check runs");
    assert_eq!(integrity, "ok");
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("foreign_key_check runs");
    assert_eq!(broken, 0);
    Some(
        conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .expect("events can be counted"),
    )
}

/// How long one import of `file` into a copy of `archive` takes, to spread the kills.
fn import_time(archive: &Archive, file: &str) -> Duration {
    let scratch = archive.dir.path().join("scratch.db");
    let start = Instant::now();
    let status = sitrep(archive.dir.path())
        .args(["--db", scratch.to_str().unwrap(), "import", "--quiet", file])
        .status()
        .expect("sitrep runs");
    assert!(status.success());
    let took = start.elapsed();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", scratch.display()));
    }
    took
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_or_nothing_and_can_be_rerun() {
    let a = Archive::new();
    const N: i64 = 6000;
    let big = a.write("big.csv", events_csv(N as usize));
    let first = a.write("first.csv", "event_id,date,killed\nf-1,2025-01-01,1\n");
    a.import(&[&first]);
    let db = a.db.to_str().unwrap();
    let file = big.to_str().unwrap();
    let took = import_time(&a, file);
    let mut killed_mid_import = 0;
    for step in 1..=12u32 {
        let after = took.mul_f64(f64::from(step) / 13.0);
        if kill_after(
            a.dir.path(),
            &["--db", db, "import", "--quiet", file],
            after,
        ) {
            killed_mid_import += 1;
        }
        let events = state(&a.db).expect("the archive is still there");
        assert!(
            events == 1 || events == 1 + N,
            "killed after {after:?}: {events} events, neither none nor all of the file"
        );
        if events == 1 + N {
            break;
        }
    }
    assert!(killed_mid_import > 0, "no kill landed during an import");
    let out = a.ok(&["import", file]);
    assert!(
        out.contains("events (csv)") || out.contains("not read again"),
        "{out}"
    );
    assert_eq!(state(&a.db), Some(1 + N));
    assert!(a.ok(&["check"]).ends_with("rollups)\n"));
}

#[test]
fn a_new_archive_killed_while_being_built_never_appears_half_made() {
    let a = Archive::new();
    const N: i64 = 6000;
    let big = a.write("big.csv", events_csv(N as usize));
    let db = a.db.to_str().unwrap();
    let file = big.to_str().unwrap();
    let took = import_time(&a, file);
    for step in 1..=6u32 {
        let after = took.mul_f64(f64::from(step) / 7.0);
        kill_after(
            a.dir.path(),
            &["--db", db, "import", "--quiet", file],
            after,
        );
        match state(&a.db) {
            None => {}
            Some(events) => {
                assert_eq!(events, N, "killed after {after:?}");
                return;
            }
        }
    }
    // Left behind: at most temporary files of killed runs, which the next run removes.
    a.import(&[&big]);
    assert_eq!(state(&a.db), Some(N));
    let name = a.db.file_name().unwrap().to_string_lossy().into_owned();
    let stale: Vec<String> = std::fs::read_dir(a.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!("{name}.new-")))
        .collect();
    assert!(stale.is_empty(), "{stale:?}");
}

#[test]
fn a_full_archive_gives_a_clear_error_and_stays_as_it_was() {
    let a = Archive::new();
    let first = a.write("first.csv", "event_id,date,killed\nf-1,2025-01-01,1\n");
    a.import(&[&first]);
    let before = a.dump();
    let pages: i64 = a.scalar("PRAGMA page_count");
    let big = a.write("big.csv", events_csv(3000));
    let run = a
        .cmd(&["import", big.to_str().unwrap()])
        .env("SITREP_MAX_PAGE_COUNT", (pages + 2).to_string())
        .output()
        .expect("sitrep runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("sitrep: error: nothing from ")
            && stderr.contains("the archive is full"),
        "{stderr}"
    );
    assert_eq!(before, a.dump());
    assert_eq!(state(&a.db), Some(1));
}

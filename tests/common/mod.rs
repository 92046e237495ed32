//! Shared helpers for the integration tests: a throw-away archive per test, running the
//! `sitrep` binary against it, and reading the archive directly with rusqlite.
//!
//! Every command gets `--db` explicitly, SITREP_DB removed from its environment and the
//! archive's temporary directory as its working directory, so no test can touch a real
//! archive or leave a `sitrep.db` in the repository.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::Connection;
use rusqlite::types::Value;
use tempfile::TempDir;

/// Tables whose row counts describe what an archive holds.
pub const DATA_TABLES: &[&str] = &[
    "events",
    "quantities",
    "event_entities",
    "event_articles",
    "articles",
    "article_entities",
    "entities",
    "entity_aliases",
    "sources",
    "figure_kinds",
];

/// A file under `samples/`.
pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// A file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// The three sample files in the order EXPECTED.md imports them.
pub fn sample_files() -> [PathBuf; 3] {
    [
        sample("entities.csv"),
        sample("articles.json"),
        sample("events.csv"),
    ]
}

/// The `sitrep` binary with a clean environment, run in `dir`.
pub fn sitrep_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sitrep").expect("the sitrep binary is built");
    cmd.env_remove("SITREP_DB").current_dir(dir);
    cmd
}

/// Standard output and error of a finished command, as text.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub success: bool,
}

pub fn finish(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("sitrep runs");
    Run {
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        success: out.status.success(),
    }
}

/// A temporary directory holding one archive (created by the first import).
pub struct Archive {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl Archive {
    pub fn new() -> Archive {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join("archive.db");
        Archive { dir, db }
    }

    /// An archive with the three sample files imported.
    pub fn with_samples() -> Archive {
        let archive = Archive::new();
        let files = sample_files();
        let mut args = vec!["import"];
        args.extend(files.iter().map(|p| p.to_str().expect("UTF-8 path")));
        archive.ok(&args);
        archive
    }

    /// `sitrep --db <archive> ARGS`, not yet run.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = sitrep_in(self.dir.path());
        cmd.arg("--db").arg(&self.db).args(args);
        cmd
    }

    /// Runs a command and returns what it printed, whatever its exit status.
    pub fn run(&self, args: &[&str]) -> Run {
        finish(&mut self.cmd(args))
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(
            run.success,
            "sitrep {args:?} failed\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        run.stdout
    }

    /// Runs a command that must succeed; returns (stdout, stderr).
    pub fn ok_both(&self, args: &[&str]) -> (String, String) {
        let run = self.run(args);
        assert!(
            run.success,
            "sitrep {args:?} failed\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        (run.stdout, run.stderr)
    }

    /// Runs a command that must fail; returns its standard error.
    pub fn fails(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(
            !run.success,
            "sitrep {args:?} succeeded but should have failed\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        run.stderr
    }

    /// Imports files by path; returns standard output.
    pub fn import(&self, files: &[&Path]) -> String {
        let mut cmd = self.cmd(&["import"]);
        cmd.args(files);
        let run = finish(&mut cmd);
        assert!(
            run.success,
            "import {files:?} failed\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        run.stdout
    }

    /// Writes a file into the archive's directory and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write a test file");
        path
    }

    /// `query run NAME -f csv` plus extra arguments.
    pub fn query_csv(&self, name: &str, extra: &[&str]) -> String {
        let mut args = vec!["query", "run", name, "-f", "csv"];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    /// A direct connection to the archive (close it before running sitrep again).
    pub fn conn(&self) -> Connection {
        assert!(self.db.exists(), "no archive at {}", self.db.display());
        Connection::open(&self.db).expect("open the archive with rusqlite")
    }

    /// One value from a query run directly on the archive.
    pub fn scalar<T: rusqlite::types::FromSql>(&self, sql: &str) -> T {
        self.conn()
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    pub fn count(&self, table: &str) -> i64 {
        self.scalar(&format!("SELECT count(*) FROM {table}"))
    }

    /// Row counts of the data tables, as `table=count` lines.
    pub fn counts(&self) -> String {
        DATA_TABLES
            .iter()
            .map(|t| format!("{t}={}\n", self.count(t)))
            .collect()
    }

    /// Everything the archive holds, as text: its schema version and every row of every
    /// table (schema objects included), in a fixed order.
    pub fn dump(&self) -> String {
        dump(&self.conn())
    }
}

impl Default for Archive {
    fn default() -> Self {
        Archive::new()
    }
}

/// Every row of every table, ordered, as text.
pub fn dump(conn: &Connection) -> String {
    let mut out = String::new();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("user_version");
    writeln!(out, "user_version={version}").unwrap();
    let mut objects = conn
        .prepare("SELECT type, name, ifnull(sql, '') FROM sqlite_schema ORDER BY type, name")
        .unwrap();
    let objects: Vec<(String, String, String)> = objects
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for (kind, name, sql) in &objects {
        writeln!(out, "{kind} {name}: {sql}").unwrap();
    }
    for (kind, name, _) in &objects {
        if kind != "table" {
            continue;
        }
        let stmt = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
        let n = stmt.column_count();
        let order: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT * FROM \"{name}\" ORDER BY {}",
                order.join(", ")
            ))
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        writeln!(out, "== {name}").unwrap();
        while let Some(row) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", row.get::<_, Value>(i).unwrap()))
                .collect();
            writeln!(out, "{}", cells.join(" | ")).unwrap();
        }
    }
    out
}

/// Lines of `text` that contain `needle`.
pub fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}

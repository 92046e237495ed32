//! `sitrep check`: SQLite's integrity and foreign-key checks, the full-text search indexes
//! against the text they index, the archive's own invariants, and the rollup tables
//! against a recomputation, reported plainly; the exit code says whether anything is
//! wrong. `--repair` rebuilds the rollups and the search indexes.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};

use crate::cli::CheckArgs;
use crate::db;

/// Archive invariants that constraints alone do not hold: (what, query counting breaches).
const INVARIANTS: &[(&str, &str)] = &[
    (
        "entities without their own name among their spellings",
        "SELECT count(*) FROM entities e WHERE NOT EXISTS \
         (SELECT 1 FROM entity_aliases a WHERE a.entity_id = e.id)",
    ),
    (
        "imports that never finished",
        "SELECT count(*) FROM imports WHERE finished_at IS NULL",
    ),
];

/// The full-text search indexes (FTS5, external content): (index, table whose text it
/// holds).
const SEARCH_INDEXES: &[(&str, &str)] =
    &[("articles_search", "articles"), ("events_search", "events")];

/// Page cache of the checking connection (`PRAGMA cache_size`; negative: KiB).
const CHECK_CACHE_KIB: i64 = -2000;

pub fn run(db_path: &Path, args: &CheckArgs) -> Result<()> {
    if args.repair {
        let mut conn = db::open_rw(db_path)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        db::rollup::rebuild(&tx)?;
        for (index, _) in SEARCH_INDEXES {
            tx.execute_batch(&format!("INSERT INTO {index} ({index}) VALUES ('rebuild')"))?;
        }
        tx.commit()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}: rollups rebuilt", db_path.display())?;
        writeln!(out, "{}: search indexes rebuilt", db_path.display())?;
    }
    // Opened read-only first: a missing archive is an error (and is not created), an old
    // one is brought up to date.
    let mut conn = db::open_ro(db_path)?;
    // Checking a search index against its table is a write statement to SQLite (it writes
    // nothing): it needs a connection that may write.
    if let Ok(rw) = db::open_rw(db_path) {
        // A check reads each page about once: SQLite's default page cache, not a writer's.
        rw.pragma_update(None, "cache_size", CHECK_CACHE_KIB)?;
        conn = rw;
    }
    let searched = !conn.is_readonly(rusqlite::MAIN_DB)?;
    if !searched {
        let _ = writeln!(
            std::io::stderr(),
            "sitrep: note: {}: search indexes not checked (the archive cannot be written)",
            db_path.display()
        );
    }
    let problems = problems(&conn)?;
    let mut out = std::io::stdout().lock();
    if problems.is_empty() {
        writeln!(
            out,
            "{}: ok (integrity, {}foreign keys, archive invariants, rollups)",
            db_path.display(),
            if searched { "search indexes, " } else { "" }
        )?;
        return Ok(());
    }
    for p in &problems {
        writeln!(out, "{}: {p}", db_path.display())?;
    }
    bail!(
        "{} problem(s) found in {}",
        problems.len(),
        db_path.display()
    )
}

/// Everything wrong with an archive, one line each; empty when all is well. The search
/// indexes are checked only on a connection that may write (see [`search_index_problems`]).
pub fn problems(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if lines != ["ok"] {
        problems.extend(lines.into_iter().map(|l| format!("integrity: {l}")));
    }
    if !conn.is_readonly(rusqlite::MAIN_DB)? {
        problems.extend(search_index_problems(conn)?);
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let broken: Vec<(String, Option<i64>, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (table, rowid, parent) in broken {
        problems.push(format!(
            "foreign key: {table} row {} points at a missing {parent} row",
            rowid.map_or_else(|| "?".to_string(), |r| r.to_string())
        ));
    }
    for (what, sql) in INVARIANTS {
        let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
        if n > 0 {
            problems.push(format!("{n} {what}"));
        }
    }
    problems.extend(db::rollup::verify(conn)?);
    Ok(problems)
}

/// The search indexes that do not hold exactly the text of their tables (FTS5's
/// `integrity-check` with a non-zero rank compares an external-content index with its
/// table; `PRAGMA integrity_check` does not). SQLite runs it as a write statement, so
/// `conn` must be able to write; nothing is written.
pub fn search_index_problems(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (index, table) in SEARCH_INDEXES {
        let sql = format!("INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)");
        match conn.execute_batch(&sql) {
            Ok(()) => {}
            Err(err) if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                problems.push(format!(
                    "search index {index} does not match the text of {table} \
                     (`sitrep check --repair` rebuilds it)"
                ));
            }
            Err(err) => return Err(err.into()),
        }
    }
    Ok(problems)
}

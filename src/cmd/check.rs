//! `sitrep check`: SQLite's integrity and foreign-key checks, and the archive's own
//! invariants, and the rollup tables against a recomputation, reported plainly; the exit
//! code says whether anything is wrong. `--repair` rebuilds the rollups.

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

pub fn run(db_path: &Path, args: &CheckArgs) -> Result<()> {
    if args.repair {
        let mut conn = db::open_rw(db_path)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        db::rollup::rebuild(&tx)?;
        tx.commit()?;
        writeln!(std::io::stdout(), "{}: rollups rebuilt", db_path.display())?;
    }
    let conn = db::open_ro(db_path)?;
    let problems = problems(&conn)?;
    let mut out = std::io::stdout().lock();
    if problems.is_empty() {
        writeln!(
            out,
            "{}: ok (integrity, foreign keys, archive invariants, rollups)",
            db_path.display()
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

/// Everything wrong with an archive, one line each; empty when all is well.
pub fn problems(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if lines != ["ok"] {
        problems.extend(lines.into_iter().map(|l| format!("integrity: {l}")));
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

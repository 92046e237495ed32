//! The archive file: opening it (read-write or read-only), its pragmas, and its schema
//! migrations. Typed writes live in [`write`].

pub mod entities;
pub mod fresh;
pub mod migrate;
pub mod rollup;
pub mod search_upkeep;
pub mod write;

use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags};

/// How long a writer waits for another writer before giving up.
const BUSY_TIMEOUT_MS: u32 = 10_000;

/// Page cache of a writing connection, in KiB: large enough that an import of millions of
/// rows rarely reads a page back from the file.
const WRITE_CACHE_KIB: i64 = 49152;

/// `PRAGMA max_page_count` for writing connections, from `SITREP_MAX_PAGE_COUNT`: caps
/// an archive's size (the tests use it to fill an archive without filling a disk).
fn apply_page_limit(conn: &Connection) -> Result<()> {
    if let Ok(text) = std::env::var("SITREP_MAX_PAGE_COUNT") {
        let pages: i64 = text
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("SITREP_MAX_PAGE_COUNT={text:?} is not a number"))?;
        conn.pragma_update(None, "max_page_count", pages)?;
    }
    Ok(())
}

/// Whether an error is SQLite's "database or disk is full" (typed, or already turned
/// into the text of a row's error).
pub fn is_full(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<rusqlite::Error>()
            .and_then(rusqlite::Error::sqlite_error_code)
            == Some(rusqlite::ErrorCode::DiskFull)
            || cause.to_string().contains("database or disk is full")
    })
}

/// The archive's directory must exist (SQLite's own message would not say which).
fn check_directory(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        bail!(
            "cannot open archive {}: directory {} does not exist",
            path.display(),
            dir.display()
        );
    }
    Ok(())
}

/// Opens the archive for writing, creating it (and its schema) if it does not exist.
pub fn open_rw(path: &Path) -> Result<Connection> {
    check_directory(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open archive {}", path.display()))?;
    configure(&conn, path)?;
    conn.pragma_update(None, "cache_size", -WRITE_CACHE_KIB)?;
    apply_page_limit(&conn)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| describe_open_error(e, path))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| describe_open_error(e, path))?;
    migrate::migrate(&conn, path)?;
    Ok(conn)
}

/// An empty archive in memory: for a dry run before an archive exists, and for listing
/// what a fresh archive holds (built-in queries, figure kinds).
pub fn open_fresh_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate::migrate(&conn, Path::new(":memory:"))?;
    Ok(conn)
}

/// The error for an archive that is not there.
fn missing(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "no archive at {}: import something first, or name one with --db or SITREP_DB",
        path.display()
    )
}

/// Opens an existing archive for writing; never creates one (for commands that change
/// what an archive holds, such as `entities alias`).
pub fn open_rw_existing(path: &Path) -> Result<Connection> {
    if !path.exists() {
        return Err(missing(path));
    }
    open_rw(path)
}

/// Opens an existing archive read-only: the connection every query runs on.
pub fn open_ro(path: &Path) -> Result<Connection> {
    if !path.exists() {
        return Err(missing(path));
    }
    // An archive from an older sitrep is brought up to date before reading.
    {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open archive {}", path.display()))?;
        configure(&conn, path)?;
        if migrate::needs_migration(&conn, path)? {
            drop(conn);
            drop(open_rw(path)?);
        }
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open archive {}", path.display()))?;
    configure(&conn, path)?;
    Ok(conn)
}

fn configure(conn: &Connection, path: &Path) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS)))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| describe_open_error(e, path))?;
    // Touch the schema now so that a file that is not an archive fails here, plainly.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| describe_open_error(e, path))?;
    Ok(())
}

fn describe_open_error(err: rusqlite::Error, path: &Path) -> anyhow::Error {
    let text = err.to_string();
    if text.contains("not a database") {
        anyhow::anyhow!(
            "{} is not a sitrep archive (not an SQLite file)",
            path.display()
        )
    } else {
        anyhow::Error::new(err).context(format!("cannot open archive {}", path.display()))
    }
}

/// Current time as ISO text, for `imports` and `saved_queries`.
pub fn now_iso() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

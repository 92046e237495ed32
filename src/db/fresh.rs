//! Building a new archive fast: an import into an archive that does not exist yet writes
//! a temporary file beside it, with 64 KiB pages, the rollback journal in memory, no
//! syncing until the end, and the secondary indexes and the full-text search indexes
//! built once after the rows are in.
//! Only a complete archive is published under its name (and never over one that appeared
//! meanwhile); if the import fails or the process dies, the name stays free.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags};

/// Page size of a new archive: bulk loads write fewer, fuller pages (see perf notes).
const PAGE_SIZE: i64 = 65536;

/// Page cache while the deferred indexes are built, in KiB.
const SORT_CACHE_KIB: i64 = 16384;

/// Tables whose secondary indexes a first import builds at the end instead of row by row.
const BULK_TABLES: &[&str] = &[
    "events",
    "event_entities",
    "event_articles",
    "quantities",
    "articles",
    "article_entities",
];

/// The full-text search indexes (FTS5, external content) a first import builds at the
/// end, with their triggers dropped meanwhile. Kept in step row by row they cost more
/// than the rest of an event's writes: FTS5 writes out the rows it holds in memory at
/// every savepoint, and an import opens one per row (as SQLite does for each statement
/// that fires a trigger). A rebuild from the tables at the end costs a fraction of that.
const SEARCH_INDEXES: &[&str] = &["articles_search", "events_search"];

/// A new archive being built in a temporary file.
pub struct FreshArchive {
    conn: Option<Connection>,
    temp: PathBuf,
    target: PathBuf,
    /// (name, CREATE INDEX statement) of the indexes dropped until publication.
    deferred: Vec<(String, String)>,
    /// (name, CREATE TRIGGER statement) of the search indexes' triggers, dropped until
    /// publication.
    deferred_triggers: Vec<(String, String)>,
}

impl FreshArchive {
    /// Starts a new archive that will be published at `target`.
    pub fn create(target: &Path) -> Result<FreshArchive> {
        super::check_directory(target)?;
        let mut name = target.as_os_str().to_owned();
        name.push(format!(".new-{}", std::process::id()));
        let temp = PathBuf::from(name);
        remove_with_companions(&temp);
        remove_stale(target);
        let conn = Connection::open_with_flags(
            &temp,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot create archive {}", target.display()))?;
        let mut fresh = FreshArchive {
            conn: None,
            temp,
            target: target.to_path_buf(),
            deferred: Vec::new(),
            deferred_triggers: Vec::new(),
        };
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        // A crash leaves only the temporary file, so the journal needs no disk; it stays
        // so that a failed file or a rejected row still rolls back.
        conn.pragma_update(None, "journal_mode", "MEMORY")?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        conn.pragma_update(None, "cache_size", -super::WRITE_CACHE_KIB)?;
        super::configure(&conn, target)?;
        super::apply_page_limit(&conn)?;
        super::migrate::migrate(&conn, target)?;
        let mut stmt = conn.prepare(
            "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' \
             AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
        )?;
        let indexes: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        for (index, table, sql) in indexes {
            if BULK_TABLES.contains(&table.as_str()) {
                conn.execute_batch(&format!("DROP INDEX \"{index}\""))?;
                fresh.deferred.push((index, sql));
            }
        }
        let mut stmt = conn.prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND sql IS NOT NULL \
             ORDER BY name",
        )?;
        let triggers: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        for (trigger, sql) in triggers {
            let of_search = SEARCH_INDEXES.iter().any(|index| {
                trigger
                    .strip_prefix(index)
                    .is_some_and(|rest| rest.starts_with('_'))
            });
            if of_search {
                conn.execute_batch(&format!("DROP TRIGGER \"{trigger}\""))?;
                fresh.deferred_triggers.push((trigger, sql));
            }
        }
        fresh.conn = Some(conn);
        Ok(fresh)
    }

    /// The connection to import through.
    pub fn conn(&mut self) -> Result<&mut Connection> {
        self.conn
            .as_mut()
            .context("the new archive was already closed")
    }

    /// Builds the deferred indexes and search indexes (and puts the search triggers
    /// back), switches the archive to its normal journal and publishes it under its name;
    /// false when another process created an archive under that name meanwhile (this one
    /// is then discarded).
    pub fn publish(mut self) -> Result<bool> {
        let conn = self
            .conn
            .take()
            .context("the new archive was already closed")?;
        // Sorting on a second thread (PRAGMA threads) was no faster here and cost 30 MiB
        // of peak memory per thread at 1M events, so index builds sort on this one.
        // Each sort may hold as much as the page cache: a smaller cache keeps the build
        // within the import's memory.
        conn.pragma_update(None, "cache_size", -SORT_CACHE_KIB)?;
        let tx = conn.unchecked_transaction()?;
        for (name, sql) in &self.deferred {
            tx.execute_batch(sql)
                .with_context(|| format!("cannot build index {name}"))?;
        }
        if !self.deferred_triggers.is_empty() {
            for index in SEARCH_INDEXES {
                tx.execute_batch(&format!("INSERT INTO {index} ({index}) VALUES ('rebuild')"))
                    .with_context(|| format!("cannot build search index {index}"))?;
            }
            for (name, sql) in &self.deferred_triggers {
                tx.execute_batch(sql)
                    .with_context(|| format!("cannot create trigger {name}"))?;
            }
        }
        tx.commit()?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.close().map_err(|(_, e)| e)?;
        std::fs::File::open(&self.temp)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("cannot sync {}", self.temp.display()))?;
        // A hard link publishes atomically and fails if the name was taken meanwhile.
        match std::fs::hard_link(&self.temp, &self.target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
            Err(_) if !self.target.exists() => std::fs::rename(&self.temp, &self.target)
                .with_context(|| format!("cannot create archive {}", self.target.display()))?,
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot create archive {}", self.target.display()));
            }
        }
        if let Some(dir) = self.target.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(true)
    }
}

impl Drop for FreshArchive {
    /// Whatever happened, the temporary file goes (after publication it is a second name
    /// of the archive).
    fn drop(&mut self) {
        drop(self.conn.take());
        remove_with_companions(&self.temp);
    }
}

/// Removes what killed imports left beside `target`: `NAME.new-PID` files whose process
/// is gone (checked through /proc; where there is none, nothing is removed).
fn remove_stale(target: &Path) {
    let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!("{}.new-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = pid.trim_end_matches("-journal");
        if !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes a database file and its journal companions, if there.
pub fn remove_with_companions(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

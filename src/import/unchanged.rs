//! Recognising a re-import that would change nothing: the same file (same path, size and
//! modification time, or failing that the same bytes), read with the same settings by the
//! same sitrep, into an archive that no import has changed since. Such an import is
//! skipped without reading the file; `--force` reads it anyway.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::Counts;

/// Where a file is and what its metadata says, as recorded with each import.
#[derive(Debug, Clone, Default)]
pub struct FileStamp {
    pub path: Option<String>,
    pub size: Option<i64>,
    pub modified_ns: Option<i64>,
}

impl FileStamp {
    /// The stamp of a file on disk (nothing for standard input).
    pub fn of(path: &Path) -> FileStamp {
        if path.as_os_str() == "-" {
            return FileStamp::default();
        }
        let meta = std::fs::metadata(path).ok();
        FileStamp {
            path: std::fs::canonicalize(path)
                .ok()
                .map(|p| p.display().to_string()),
            size: meta.as_ref().and_then(|m| i64::try_from(m.len()).ok()),
            modified_ns: meta
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .and_then(|d| i64::try_from(d.as_nanos()).ok()),
        }
    }
}

/// Hex sha256 of a description of everything that decides how a file is read.
pub fn settings_hash(description: &str) -> String {
    super::source::hex(&Sha256::digest(
        format!("sitrep {}\n{description}", env!("CARGO_PKG_VERSION")).as_bytes(),
    ))
}

/// The earlier import a re-import would repeat.
#[derive(Debug)]
pub struct Earlier {
    pub id: i64,
    pub finished_at: String,
    pub rows: Counts,
    /// True when only the size and modification time were compared.
    pub by_metadata: bool,
}

/// An import as recorded: id, finished, hash, path, modification time, row counts.
type Recorded = (i64, String, String, Option<String>, Option<i64>, [i64; 4]);

/// The earlier import of this very file with these settings, when nothing in the
/// archive has changed since it; None when the file must be read.
pub fn find(conn: &Connection, path: &Path, settings: &str) -> Result<Option<Earlier>> {
    let stamp = FileStamp::of(path);
    let Some(size) = stamp.size else {
        return Ok(None);
    };
    // The last import that changed anything: only an import at or after it can vouch
    // for the archive's present state.
    let last_change: i64 = conn.query_row(
        "SELECT ifnull(max(id), 0) FROM imports WHERE rows_added + rows_updated > 0",
        [],
        |r| r.get(0),
    )?;
    let found: Option<Recorded> = conn
        .query_row(
            "SELECT id, finished_at, content_hash, file_path, file_modified_ns, \
                    rows_added, rows_updated, rows_unchanged, rows_rejected \
             FROM imports WHERE settings_hash = ?1 AND file_size = ?2 AND id >= ?3 \
               AND finished_at IS NOT NULL \
             ORDER BY id DESC LIMIT 1",
            params![settings, size, last_change],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    [r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?],
                ))
            },
        )
        .optional()?;
    let Some((id, finished_at, hash, earlier_path, earlier_modified, rows)) = found else {
        return Ok(None);
    };
    let by_metadata = stamp.path.is_some()
        && earlier_path == stamp.path
        && stamp.modified_ns.is_some()
        && earlier_modified == stamp.modified_ns;
    if !by_metadata && content_hash(path)? != hash {
        return Ok(None);
    }
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(Some(Earlier {
        id,
        finished_at,
        rows: Counts {
            added: count(rows[0]),
            updated: count(rows[1]),
            unchanged: count(rows[2]),
            rejected: count(rows[3]),
        },
        by_metadata,
    }))
}

/// Hex sha256 of a file's bytes (as [`super::source::Input`] computes while reading).
fn content_hash(path: &Path) -> Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n).unwrap_or_default());
    }
    Ok(super::source::hex(&hasher.finalize()))
}

//! Schema migrations keyed on `PRAGMA user_version`. The list is append-only: migration N
//! brings an archive from version N-1 to N, inside one transaction.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::Connection;

/// One migration: SQL, then (in the same transaction) Rust that fills what the SQL made.
struct Migration {
    sql: &'static str,
    then: Option<fn(&Connection) -> Result<()>>,
}

/// Every migration in order; the archive's `user_version` counts how many have run.
const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: include_str!("../../schema.sql"),
        then: None,
    },
    Migration {
        sql: include_str!("migrations/2_rollups.sql"),
        then: Some(super::rollup::rebuild),
    },
    Migration {
        sql: include_str!("migrations/3_extract.sql"),
        then: Some(reload_schema),
    },
    Migration {
        sql: include_str!("migrations/4_search_entities.sql"),
        then: Some(refold_keys),
    },
];

/// After an in-place schema edit (writable_schema): bump the schema cookie so that every
/// connection, this one included, reads the schema again.
fn reload_schema(conn: &Connection) -> Result<()> {
    let cookie: i64 = conn.pragma_query_value(None, "schema_version", |r| r.get(0))?;
    conn.pragma_update(None, "schema_version", cookie + 1)?;
    Ok(())
}

/// Recomputes the look-up keys of sources and entity aliases with [`crate::names::fold`]
/// (which since schema 4 folds accents). A key that would now collide with another row's is
/// left as it was, so no spelling is lost and no two rows are joined behind the user's back.
fn refold_keys(conn: &Connection) -> Result<()> {
    let sources: Vec<(i64, String, String)> = conn
        .prepare("SELECT id, name, key FROM sources")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, name, key) in sources {
        let new = crate::names::fold(&name);
        if new != key {
            conn.execute(
                "UPDATE OR IGNORE sources SET key = ?1 WHERE id = ?2",
                rusqlite::params![new, id],
            )?;
        }
    }
    let aliases: Vec<(String, String, String)> = conn
        .prepare("SELECT kind, key, alias FROM entity_aliases")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, key, alias) in aliases {
        let new = crate::names::fold(&alias);
        if new != key {
            conn.execute(
                "UPDATE OR IGNORE entity_aliases SET key = ?1 WHERE kind = ?2 AND key = ?3",
                rusqlite::params![new, kind, key],
            )?;
        }
    }
    Ok(())
}

/// The schema version this sitrep writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

fn refuse_newer(found: i64, path: &Path) -> Result<()> {
    if found > SCHEMA_VERSION {
        bail!(
            "archive {} was written by a newer sitrep (schema version {found}; this sitrep \
             knows up to {SCHEMA_VERSION}): upgrade sitrep to use it",
            path.display()
        );
    }
    Ok(())
}

/// True when the archive is older than this sitrep; refuses one that is newer.
pub fn needs_migration(conn: &Connection, path: &Path) -> Result<bool> {
    let found = version(conn)?;
    refuse_newer(found, path)?;
    Ok(found < SCHEMA_VERSION)
}

/// Runs the migrations the archive has not had yet.
pub fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let found = version(conn)?;
    refuse_newer(found, path)?;
    if found == 0 {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            bail!(
                "{} is an SQLite file but not a sitrep archive (it has tables and no sitrep \
                 schema version)",
                path.display()
            );
        }
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let target = index as i64 + 1;
        let run = || -> Result<()> {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            conn.execute_batch(migration.sql)?;
            if let Some(then) = migration.then {
                then(conn)?;
            }
            conn.execute_batch(&format!("PRAGMA user_version = {target}; COMMIT;"))?;
            Ok(())
        };
        run()
            .inspect_err(|_| {
                let _ = conn.execute_batch("ROLLBACK");
            })
            .with_context(|| {
                format!(
                    "cannot bring archive {} to schema version {target}",
                    path.display()
                )
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_database_reaches_current_version_and_rerun_is_noop() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, Path::new(":memory:")).unwrap();
        assert_eq!(version(&conn).unwrap(), SCHEMA_VERSION);
        migrate(&conn, Path::new(":memory:")).unwrap();
        assert_eq!(version(&conn).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn newer_archive_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let err = migrate(&conn, Path::new("x.db")).unwrap_err().to_string();
        assert!(err.contains("newer sitrep"), "{err}");
    }

    #[test]
    fn foreign_sqlite_file_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
        let err = migrate(&conn, Path::new("x.db")).unwrap_err().to_string();
        assert!(err.contains("not a sitrep archive"), "{err}");
    }
}

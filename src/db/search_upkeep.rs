//! Keeping the full-text search indexes in step during an import into an existing archive,
//! in one batch at the end instead of row by row.
//!
//! The triggers of migration 4 update an FTS5 index per row, and FTS5 writes out what it
//! holds in memory at every savepoint — an import opens one per row — which made imports
//! into an existing archive about 2.8 times slower. So an import, inside its transaction:
//! 1. drops those triggers and puts cheap temporary ones in their place, which note the
//!    rows inserted or changed, and, for a row that was already indexed, its text as
//!    indexed (the FTS5 external-content `delete` needs exactly that);
//! 2. at the end, removes the noted old texts from the indexes, adds the current text of
//!    the noted rows in two statements, and puts the triggers back.
//!
//! Everything happens in the import's transaction: a failed import rolls the triggers back
//! with everything else, and readers never see the archive without them.

use anyhow::Result;
use rusqlite::Connection;

/// (table, search index, indexed columns, the columns an UPDATE must touch to matter).
const INDEXED: &[(&str, &str, &[&str])] = &[
    ("articles", "articles_search", &["title", "body"]),
    ("events", "events_search", &["notes"]),
];

/// The search triggers of an archive while an import holds them back.
pub struct Deferred {
    /// (name, CREATE TRIGGER statement) of each trigger dropped.
    triggers: Vec<(String, String)>,
}

/// Holds back the search triggers for the rest of the transaction; `None` when the archive
/// has none to hold back (a new archive builds its indexes at the end anyway).
pub fn defer(conn: &Connection) -> Result<Option<Deferred>> {
    let triggers: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger' \
             AND (name GLOB 'articles_search_*' OR name GLOB 'events_search_*') ORDER BY name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if triggers.len() != INDEXED.len() * 3 {
        return Ok(None);
    }
    let mut sql = String::new();
    for (name, _) in &triggers {
        sql.push_str(&format!("DROP TRIGGER main.\"{name}\";\n"));
    }
    for (table, _, columns) in INDEXED {
        let cols = columns.join(", ");
        let old_values = columns
            .iter()
            .map(|c| format!("old.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        // A row inserted by this import was never indexed: its old text is not noted.
        sql.push_str(&format!(
            "CREATE TEMP TABLE sitrep_new_{table} (id INTEGER PRIMARY KEY);\n\
             CREATE TEMP TABLE sitrep_old_{table} (id INTEGER PRIMARY KEY, {cols});\n\
             CREATE TEMP TRIGGER sitrep_insert_{table} AFTER INSERT ON main.{table} BEGIN\n\
                 INSERT OR IGNORE INTO sitrep_new_{table} (id) VALUES (new.id);\n\
             END;\n\
             CREATE TEMP TRIGGER sitrep_update_{table} BEFORE UPDATE OF {cols} ON main.{table}\n\
             WHEN old.id NOT IN (SELECT id FROM sitrep_new_{table}) BEGIN\n\
                 INSERT OR IGNORE INTO sitrep_old_{table} (id, {cols}) VALUES (old.id, {old_values});\n\
                 INSERT OR IGNORE INTO sitrep_new_{table} (id) VALUES (old.id);\n\
             END;\n\
             CREATE TEMP TRIGGER sitrep_delete_{table} BEFORE DELETE ON main.{table}\n\
             WHEN old.id NOT IN (SELECT id FROM sitrep_new_{table}) BEGIN\n\
                 INSERT OR IGNORE INTO sitrep_old_{table} (id, {cols}) VALUES (old.id, {old_values});\n\
             END;\n"
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(Some(Deferred { triggers }))
}

impl Deferred {
    /// Brings the indexes up to date with the noted rows and puts the triggers back.
    pub fn apply(self, conn: &Connection) -> Result<()> {
        let mut sql = String::new();
        for (table, index, columns) in INDEXED {
            let cols = columns.join(", ");
            let current = columns
                .iter()
                .map(|c| format!("t.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            sql.push_str(&format!(
                "INSERT INTO main.{index} ({index}, rowid, {cols}) \
                     SELECT 'delete', id, {cols} FROM temp.sitrep_old_{table};\n\
                 INSERT INTO main.{index} (rowid, {cols}) \
                     SELECT t.id, {current} FROM temp.sitrep_new_{table} n \
                     JOIN main.{table} t ON t.id = n.id;\n\
                 DROP TRIGGER temp.sitrep_insert_{table};\n\
                 DROP TRIGGER temp.sitrep_update_{table};\n\
                 DROP TRIGGER temp.sitrep_delete_{table};\n\
                 DROP TABLE temp.sitrep_new_{table};\n\
                 DROP TABLE temp.sitrep_old_{table};\n"
            ));
        }
        for (_, create) in &self.triggers {
            sql.push_str(create);
            sql.push_str(";\n");
        }
        conn.execute_batch(&sql)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        crate::db::migrate::migrate(&conn, std::path::Path::new(":memory:")).unwrap();
        conn.execute_batch(
            "INSERT INTO imports (id, file_name, content_hash, kind, format, started_at, sitrep_version) \
             VALUES (1, 'f', '', 'articles', 'csv', '2025-01-01', 't');
             INSERT INTO articles (id, url, title, body, import_id) VALUES
                 (1, 'u1', 'alpha', 'kept as it was', 1),
                 (2, 'u2', 'beta', 'to be changed', 1),
                 (3, 'u3', 'gamma', 'to be deleted', 1);",
        )
        .unwrap();
        conn
    }

    fn hits(conn: &Connection, word: &str) -> Vec<i64> {
        conn.prepare(
            "SELECT rowid FROM articles_search WHERE articles_search MATCH ?1 ORDER BY rowid",
        )
        .unwrap()
        .query_map([word], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    #[test]
    fn batched_upkeep_leaves_the_index_as_row_by_row_triggers_would() {
        let script = "UPDATE articles SET body = 'changed once' WHERE id = 2;
             UPDATE articles SET body = 'changed twice' WHERE id = 2;
             DELETE FROM articles WHERE id = 3;
             INSERT INTO articles (id, url, title, body, import_id) VALUES (4, 'u4', 'delta', 'new then edited', 1);
             UPDATE articles SET body = 'new and edited' WHERE id = 4;
             INSERT INTO articles (id, url, title, body, import_id) VALUES (5, 'u5', 'eps', 'new then gone', 1);
             DELETE FROM articles WHERE id = 5;
             UPDATE articles SET title = 'gamma' WHERE id = 1;";
        // Row by row, with the migration's triggers.
        let expected = archive();
        expected.execute_batch(script).unwrap();
        // Batched.
        let conn = archive();
        conn.execute_batch("BEGIN").unwrap();
        let deferred = defer(&conn).unwrap().unwrap();
        conn.execute_batch(script).unwrap();
        deferred.apply(&conn).unwrap();
        conn.execute_batch("COMMIT").unwrap();
        for word in [
            "kept", "changed", "once", "twice", "deleted", "edited", "new", "gone", "gamma",
            "alpha", "delta",
        ] {
            assert_eq!(hits(&conn, word), hits(&expected, word), "{word}");
        }
        conn.execute_batch(
            "INSERT INTO articles_search (articles_search, rank) VALUES ('integrity-check', 1)",
        )
        .unwrap();
        // The triggers are back: a later write is indexed at once.
        conn.execute("UPDATE articles SET body = 'zeta' WHERE id = 1", [])
            .unwrap();
        assert_eq!(hits(&conn, "zeta"), vec![1]);
        let temp: i64 = conn
            .query_row("SELECT count(*) FROM temp.sqlite_schema", [], |r| r.get(0))
            .unwrap();
        assert_eq!(temp, 0);
    }

    #[test]
    fn a_rolled_back_import_keeps_the_triggers() {
        let conn = archive();
        conn.execute_batch("BEGIN").unwrap();
        defer(&conn).unwrap().unwrap();
        conn.execute_batch("ROLLBACK").unwrap();
        let triggers: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name GLOB '*_search_*'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(triggers, 6);
        conn.execute("UPDATE articles SET body = 'zeta' WHERE id = 1", [])
            .unwrap();
        assert_eq!(hits(&conn, "zeta"), vec![1]);
    }
}

-- Migration 4: full-text search over articles and event notes, and the history of entity
-- merges.
--
-- Search indexes are FTS5 tables with external content: they hold only the index, the
-- text stays in `articles` and `events`. Triggers keep them in step with every insert,
-- update and delete, whatever writes the row (imports, extract, merges). Tokens are
-- folded for case and diacritics, so "Kyiv" finds "KYIV" and "Dnipro" finds "Dnípro".

CREATE VIRTUAL TABLE articles_search USING fts5 (
    title, body,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_search (articles_search) VALUES ('rebuild');

CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_search (articles_search, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_search (articles_search, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO articles_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE VIRTUAL TABLE events_search USING fts5 (
    notes,
    content = 'events', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO events_search (events_search) VALUES ('rebuild');

CREATE TRIGGER events_search_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_search (rowid, notes) VALUES (new.id, new.notes);
END;
CREATE TRIGGER events_search_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_search (events_search, rowid, notes) VALUES ('delete', old.id, old.notes);
END;
CREATE TRIGGER events_search_update AFTER UPDATE OF notes ON events BEGIN
    INSERT INTO events_search (events_search, rowid, notes) VALUES ('delete', old.id, old.notes);
    INSERT INTO events_search (rowid, notes) VALUES (new.id, new.notes);
END;

-- `sitrep entities merge KEEP OTHER`: one row per merge. The merged entity's row, its
-- aliases and how many links of each sort moved are kept as JSON, so a merge can be read
-- back (and undone by hand) after the entity itself is gone.
CREATE TABLE entity_merges (
    id           INTEGER PRIMARY KEY,
    kept_id      INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL REFERENCES entity_kinds (name),
    merged_id    INTEGER NOT NULL,
    merged_name  TEXT NOT NULL,
    merged       TEXT NOT NULL CHECK (json_valid(merged)),
    merged_at    TEXT NOT NULL
) STRICT;
CREATE INDEX entity_merges_kept ON entity_merges (kept_id);

-- Look-up keys now fold accents too ("Dnipro" = "Dnípro"); the migration's Rust step
-- recomputes the keys of sources and entity aliases.

-- Migration 3: what `sitrep extract` finds in article bodies, and where it found it.
--
-- Extracted events live in `events` like any other, under the dataset 'sitrep-extract'
-- (so they never replace what a person imported), keyed by day, type and place so that
-- several articles reporting one attack give one event. Each extracted item has a row in
-- `extractions`: the article, the rule, the sentence and the character span it came from.

-- An extraction run is recorded in `imports` with the format 'text'. The CHECK constraint
-- is widened in place (the rows on disk are unaffected; see the SQLite documentation on
-- changing a table's schema with writable_schema), then the schema cookie is bumped by
-- the migration's Rust step.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'format IN (''csv'', ''tsv'', ''json'', ''ndjson'')',
                          'format IN (''csv'', ''tsv'', ''json'', ''ndjson'', ''text'')')
 WHERE type = 'table' AND name = 'imports';
PRAGMA writable_schema = OFF;

CREATE TABLE extractions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- 'figure', 'entity' or 'event'.
    item        TEXT NOT NULL CHECK (item IN ('figure', 'entity', 'event')),
    -- The extracted event (for figures and events) by its key in dataset 'sitrep-extract'.
    event_key   TEXT,
    -- For figures: kind, value, qualifier, the side that launched or suffered.
    kind        TEXT,
    value       INTEGER CHECK (value IS NULL OR value >= 0),
    qualifier   TEXT,
    side        TEXT CHECK (side IS NULL OR side IN ('russia', 'ukraine')),
    -- For entities: the canonical name and kind; for events: the type and date.
    name        TEXT,
    -- The rule or pattern that found it, and the sentence and span (characters from the
    -- start of the body, end exclusive) it came from.
    rule        TEXT NOT NULL,
    sentence    INTEGER NOT NULL CHECK (sentence >= 0),
    span_start  INTEGER NOT NULL CHECK (span_start >= 0),
    span_end    INTEGER NOT NULL CHECK (span_end >= span_start),
    text        TEXT NOT NULL,
    import_id   INTEGER NOT NULL REFERENCES imports (id)
) STRICT;
CREATE INDEX extractions_article ON extractions (article_id);
CREATE INDEX extractions_event ON extractions (event_key) WHERE event_key IS NOT NULL;

INSERT INTO figure_kinds (name, measure, counts, description) VALUES
    ('prisoners_exchanged', 'exchanged', 'person', 'prisoners released by each side in an exchange');

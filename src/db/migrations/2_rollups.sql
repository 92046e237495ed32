-- Migration 2: aggregates the built-in queries answer from, and what an import needs to
-- recognise a file it has already read.
--
-- The rollup_* tables are kept by every import inside its own transaction (see
-- src/db/rollup.rs): an import adds what its new rows bring, and recomputes from the base
-- tables every day (or month) whose existing rows it changed. `sitrep check` compares them
-- with a full recomputation; `sitrep query run --scan` answers from the base tables.

-- The built-in queries no longer scan events by type or region; one index on the date
-- serves the date ranges of queries and of rollup recomputation.
DROP INDEX events_type;
DROP INDEX events_region;
DROP INDEX events_date;
CREATE INDEX events_date ON events (date);
DROP INDEX quantities_kind;

-- Figures of day-precise events, per day, kind and weapon (0: none).
CREATE TABLE rollup_figures (
    date       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    weapon_id  INTEGER NOT NULL,
    figures    INTEGER NOT NULL CHECK (figures > 0),   -- quantities rows
    valued     INTEGER NOT NULL CHECK (valued >= 0),   -- of which have a value
    total      INTEGER NOT NULL,                       -- sum of the values
    PRIMARY KEY (date, kind, weapon_id)
) STRICT, WITHOUT ROWID;

-- Events per date, precision and type ('' for none).
CREATE TABLE rollup_event_types (
    date       TEXT NOT NULL,
    precision  TEXT NOT NULL,
    type       TEXT NOT NULL,
    events     INTEGER NOT NULL CHECK (events > 0),
    PRIMARY KEY (date, precision, type)
) STRICT, WITHOUT ROWID;

-- Events per country, region ('' for none) and date; in the order events-by-region
-- groups them, so that it reads them without sorting.
CREATE TABLE rollup_event_places (
    country  TEXT NOT NULL,
    region   TEXT NOT NULL,
    date     TEXT NOT NULL,
    events   INTEGER NOT NULL CHECK (events > 0),
    PRIMARY KEY (country, region, date)
) STRICT, WITHOUT ROWID;

-- Distinct events each entity is linked to, per month of the event's date.
CREATE TABLE rollup_entity_events (
    month      TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    events     INTEGER NOT NULL CHECK (events > 0),
    PRIMARY KEY (month, entity_id)
) STRICT, WITHOUT ROWID;

-- Articles (not placeholders, with a publication date) per day of publication.
CREATE TABLE rollup_articles (
    date      TEXT PRIMARY KEY,
    articles  INTEGER NOT NULL CHECK (articles > 0)
) STRICT, WITHOUT ROWID;

-- What an import read, so that reading the same file again with the same settings into
-- an archive nothing has changed since can be skipped (see src/import/unchanged.rs).
ALTER TABLE imports ADD COLUMN settings_hash TEXT;
ALTER TABLE imports ADD COLUMN file_path TEXT;
ALTER TABLE imports ADD COLUMN file_size INTEGER;
ALTER TABLE imports ADD COLUMN file_modified_ns INTEGER;

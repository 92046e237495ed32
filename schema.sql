-- sitrep archive schema, version 1.
--
-- This file is migration 1: it builds a fresh archive. Later changes are new
-- migrations appended in src/db/migrate.rs, never edits to this file.
--
-- Conventions
--   * Every table is STRICT. Dates are ISO text: 'YYYY-MM-DD' for days,
--     'YYYY-MM-DDTHH:MM:SS[+HH:MM]' for moments; CHECKs enforce the shape.
--   * `key` columns hold a folded form of a name (lower case, single spaces)
--     used for look-ups, so "Kyiv", "KYIV " and "kyiv" are one key.
--   * `import_id` records the import that last wrote the row.

-- One row per imported file.
CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT NOT NULL,
    content_hash    TEXT NOT NULL,          -- sha256 of the file's bytes, hex
    kind            TEXT NOT NULL CHECK (kind IN ('articles', 'events', 'entities')),
    format          TEXT NOT NULL CHECK (format IN ('csv', 'tsv', 'json', 'ndjson')),
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    rows_added      INTEGER NOT NULL DEFAULT 0 CHECK (rows_added >= 0),
    rows_updated    INTEGER NOT NULL DEFAULT 0 CHECK (rows_updated >= 0),
    rows_unchanged  INTEGER NOT NULL DEFAULT 0 CHECK (rows_unchanged >= 0),
    rows_rejected   INTEGER NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    sitrep_version  TEXT NOT NULL
) STRICT;

-- Outlets and reporting bodies: AP, Reuters, the Ukrainian Air Force ...
CREATE TABLE sources (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL CHECK (name <> ''),
    key   TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    url          TEXT NOT NULL UNIQUE CHECK (url <> ''),
    title        TEXT,
    published    TEXT CHECK (published IS NULL OR published GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*'),
    -- The calendar day of `published` as written (local to the source).
    published_day TEXT GENERATED ALWAYS AS (substr(published, 1, 10)) VIRTUAL,
    source_id    INTEGER REFERENCES sources (id),
    author       TEXT,
    language     TEXT,
    body         TEXT,
    -- 1 while only the url is known: created by an event that cites it.
    placeholder  INTEGER NOT NULL DEFAULT 0 CHECK (placeholder IN (0, 1)),
    extra        TEXT CHECK (extra IS NULL OR json_valid(extra)),
    import_id    INTEGER NOT NULL REFERENCES imports (id)
) STRICT;
CREATE INDEX articles_published ON articles (published_day);

-- Classes of weapon and what they count as in the daily series.
CREATE TABLE weapon_classes (
    name       TEXT PRIMARY KEY,
    counts_as  TEXT NOT NULL CHECK (counts_as IN ('drone', 'missile', 'other'))
) STRICT;
INSERT INTO weapon_classes (name, counts_as) VALUES
    ('drone', 'drone'),
    ('cruise_missile', 'missile'),
    ('ballistic_missile', 'missile'),
    ('air_to_surface_missile', 'missile'),
    ('anti_ship_missile', 'missile'),
    ('surface_to_air_missile', 'missile'),
    ('guided_bomb', 'other'),
    ('artillery', 'other'),
    ('other', 'other');

CREATE TABLE entity_kinds (
    name  TEXT PRIMARY KEY
) STRICT;
INSERT INTO entity_kinds (name) VALUES
    ('person'), ('organisation'), ('place'), ('military_unit'), ('weapon');

-- People, organisations, places, units, weapons: one canonical name each.
CREATE TABLE entities (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL REFERENCES entity_kinds (name),
    name         TEXT NOT NULL CHECK (name <> ''),
    class        TEXT REFERENCES weapon_classes (name),
    country      TEXT,
    latitude     REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude    REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    description  TEXT,
    import_id    INTEGER NOT NULL REFERENCES imports (id),
    UNIQUE (id, kind),
    CHECK (class IS NULL OR kind = 'weapon')
) STRICT;

-- Every spelling of an entity, its canonical name included. A spelling names
-- one entity per kind.
CREATE TABLE entity_aliases (
    key        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    alias      TEXT NOT NULL CHECK (alias <> ''),
    PRIMARY KEY (kind, key),
    FOREIGN KEY (entity_id, kind) REFERENCES entities (id, kind) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX entity_aliases_entity ON entity_aliases (entity_id);
CREATE INDEX entity_aliases_key ON entity_aliases (key);

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    -- Where the external id comes from ('' for the user's own files).
    dataset         TEXT NOT NULL DEFAULT '',
    external_id     TEXT CHECK (external_id IS NULL OR external_id <> ''),
    -- The natural key for re-import: external_id, or '#' and a hash of the
    -- row's content when the file gives no id.
    key             TEXT NOT NULL,
    date            TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    end_date        TEXT CHECK (end_date IS NULL OR end_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    date_precision  TEXT NOT NULL DEFAULT 'day' CHECK (date_precision IN ('day', 'week', 'month', 'year')),
    time_start      TEXT CHECK (time_start IS NULL OR time_start GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*'),
    time_end        TEXT CHECK (time_end IS NULL OR time_end GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*'),
    type            TEXT,
    subtype         TEXT,
    country         TEXT,
    region          TEXT,
    location        TEXT,
    latitude        REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude       REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    source_id       INTEGER REFERENCES sources (id),
    notes           TEXT,
    -- A dataset's version of the row (ACLED's timestamp): an import never replaces a
    -- row with an older version.
    version         INTEGER,
    -- Columns of the source file kept as they were (a JSON object), so nothing is lost.
    extra           TEXT CHECK (extra IS NULL OR json_valid(extra)),
    import_id       INTEGER NOT NULL REFERENCES imports (id),
    UNIQUE (dataset, key),
    CHECK (end_date IS NULL OR end_date >= date)
) STRICT;
CREATE INDEX events_date ON events (date_precision, date);
CREATE INDEX events_type ON events (type, date);
CREATE INDEX events_region ON events (region, date);

CREATE TABLE event_articles (
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, article_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_articles_article ON event_articles (article_id);

CREATE TABLE roles (
    name  TEXT PRIMARY KEY
) STRICT;
INSERT INTO roles (name) VALUES
    ('actor'), ('target'), ('location'), ('weapon'), ('mentioned'), ('quoted');

CREATE TABLE event_entities (
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    role       TEXT NOT NULL REFERENCES roles (name),
    raw_text   TEXT NOT NULL,                -- the name as the source wrote it
    PRIMARY KEY (event_id, role, entity_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_entities_entity ON event_entities (entity_id);

CREATE TABLE article_entities (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id   INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    role        TEXT NOT NULL REFERENCES roles (name),
    raw_text    TEXT NOT NULL,
    PRIMARY KEY (article_id, role, entity_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX article_entities_entity ON article_entities (entity_id);

-- Kinds of figure. A kind measures something (launched, destroyed, killed ...)
-- of a class of thing; `counts` NULL means the class comes from the figure's
-- weapon (a 'launched' figure for a Shahed counts drones).
CREATE TABLE figure_kinds (
    name         TEXT PRIMARY KEY CHECK (name GLOB '[a-z]*' AND name NOT GLOB '*[^a-z0-9_]*'),
    measure      TEXT NOT NULL,
    counts       TEXT,
    description  TEXT NOT NULL
) STRICT;
INSERT INTO figure_kinds (name, measure, counts, description) VALUES
    ('launched', 'launched', NULL, 'weapons launched; drone or missile by the weapon''s class'),
    ('destroyed', 'destroyed', NULL, 'weapons shot down or destroyed; class from the weapon'),
    ('suppressed', 'suppressed', NULL, 'weapons lost to electronic warfare or that did not reach a target'),
    ('drones_launched', 'launched', 'drone', 'drones launched'),
    ('drones_destroyed', 'destroyed', 'drone', 'drones shot down or destroyed'),
    ('drones_suppressed', 'suppressed', 'drone', 'drones lost to electronic warfare'),
    ('missiles_launched', 'launched', 'missile', 'missiles launched'),
    ('missiles_destroyed', 'destroyed', 'missile', 'missiles shot down or destroyed'),
    ('killed', 'killed', 'person', 'people killed'),
    ('injured', 'injured', 'person', 'people injured'),
    ('missing', 'missing', 'person', 'people missing'),
    ('evacuated', 'evacuated', 'person', 'people evacuated'),
    ('aircraft_destroyed', 'destroyed', 'aircraft', 'aircraft destroyed'),
    ('aircraft_damaged', 'damaged', 'aircraft', 'aircraft damaged'),
    ('settlements_captured', 'captured', 'settlement', 'settlements captured'),
    ('settlements_evacuated', 'evacuated', 'settlement', 'settlements ordered evacuated');

-- One row per figure an event reports. value is NULL when only a qualifier is
-- known ("dozens"); low/high hold a reported range.
CREATE TABLE quantities (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL REFERENCES figure_kinds (name),
    value       INTEGER CHECK (value IS NULL OR value >= 0),
    low         INTEGER CHECK (low IS NULL OR low >= 0),
    high        INTEGER CHECK (high IS NULL OR high >= 0),
    qualifier   TEXT NOT NULL DEFAULT 'exact' CHECK (qualifier IN
                    ('exact', 'at_least', 'more_than', 'at_most', 'less_than', 'about',
                     'dozens', 'hundreds', 'thousands', 'several')),
    weapon_id   INTEGER REFERENCES entities (id),
    import_id   INTEGER NOT NULL REFERENCES imports (id),
    -- A range is kept as the source reported it, even when it is inconsistent (UCDP has
    -- rows with low > high); the import reports such figures.
    CHECK (value IS NOT NULL OR low IS NOT NULL OR qualifier <> 'exact')
) STRICT;
CREATE UNIQUE INDEX quantities_figure ON quantities (event_id, kind, ifnull(weapon_id, 0));
CREATE INDEX quantities_kind ON quantities (kind, event_id);
CREATE INDEX quantities_weapon ON quantities (weapon_id) WHERE weapon_id IS NOT NULL;

-- Queries saved by the user (built-in queries live in the program).
CREATE TABLE saved_queries (
    name         TEXT PRIMARY KEY CHECK (name <> ''),
    description  TEXT NOT NULL DEFAULT '',
    sql          TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

//! Typed writes into the archive during an import: upserts of articles, events, entities,
//! their links and figures, each reporting whether it added, changed or left the row as
//! it was. Statements are `prepare_cached` and reused across rows; names of sources and
//! entities are cached in memory for the length of one import.

use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::sync::LazyLock;

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, OptionalExtension, params};

use super::rollup::Rollups;
use crate::import::record::{ArticleRecord, EntityRecord, EntityRef, EventRecord};
use crate::names::fold;

/// The description of a figure kind that an import registered.
pub const ADDED_KIND_DESCRIPTION: &str = "added by an import";

/// Figure kinds by name, and whether their class comes from the weapon (counts IS NULL).
fn load_figure_kinds(conn: &Connection) -> Result<HashMap<String, bool>> {
    let mut stmt = conn.prepare_cached("SELECT name, counts IS NULL FROM figure_kinds")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An UPDATE of `columns` of one row that changes only the columns whose bit is set in
/// the mask, and only when a value differs: `?1` is the row id, `?2…` the values in
/// column order, then the mask and the import id.
fn partial_update_sql(table: &str, columns: &[&str], always: &str) -> String {
    let n = columns.len();
    let mask = n + 2;
    let import = n + 3;
    let sets: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{c} = CASE WHEN ?{mask} & {} THEN ?{} ELSE {c} END",
                1u64 << i,
                i + 2
            )
        })
        .collect();
    let differs: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("(?{mask} & {} AND {c} IS NOT ?{})", 1u64 << i, i + 2))
        .collect();
    let always_set = if always.is_empty() {
        String::new()
    } else {
        format!(", {always}")
    };
    let always_differs = match always {
        "" => String::new(),
        "placeholder = 0" => " OR placeholder <> 0".to_string(),
        other => format!(" OR NOT ({other})"),
    };
    format!(
        "UPDATE {table} SET {}{always_set}, import_id = ?{import} WHERE id = ?1 AND ({}{always_differs})",
        sets.join(", "),
        differs.join(" OR ")
    )
}

/// The mask of the columns a row gives: every column except those named absent.
fn presence_mask(columns: &[&str], absent: &[&str]) -> i64 {
    columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !absent.contains(c))
        .fold(0i64, |mask, (i, _)| mask | (1i64 << i))
}

const EVENT_COLUMNS: &[&str] = &[
    "date",
    "end_date",
    "date_precision",
    "time_start",
    "time_end",
    "type",
    "subtype",
    "country",
    "region",
    "location",
    "latitude",
    "longitude",
    "source_id",
    "notes",
    "version",
    "extra",
];

/// The statements built from the column lists, once.
static EVENT_INSERT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO events (dataset, external_id, key, {}, import_id) VALUES ({}) \
         ON CONFLICT (dataset, key) DO NOTHING",
        EVENT_COLUMNS.join(", "),
        (1..=EVENT_COLUMNS.len() + 4)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
});
static EVENT_UPDATE: LazyLock<String> =
    LazyLock::new(|| partial_update_sql("events", EVENT_COLUMNS, ""));
static ARTICLE_UPDATE: LazyLock<String> =
    LazyLock::new(|| partial_update_sql("articles", ARTICLE_COLUMNS, "placeholder = 0"));
static ENTITY_UPDATE: LazyLock<String> =
    LazyLock::new(|| partial_update_sql("entities", ENTITY_COLUMNS, ""));

const ARTICLE_COLUMNS: &[&str] = &[
    "title",
    "published",
    "source_id",
    "author",
    "language",
    "body",
    "extra",
];

const ENTITY_COLUMNS: &[&str] = &["class", "country", "latitude", "longitude", "description"];

/// Most article urls the writer remembers the ids of (about 100 bytes each).
const ARTICLE_CACHE_MAX: usize = 50_000;

/// What an upsert did to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
}

impl Outcome {
    fn from_changed(changed: bool) -> Outcome {
        if changed {
            Outcome::Updated
        } else {
            Outcome::Unchanged
        }
    }
}

/// A figure's value, range and qualifier.
type FigureValue = (Option<i64>, Option<i64>, Option<i64>, &'static str);

/// How rows of a file relate to events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventMode {
    /// Each row is one event; an id seen twice in a file is an error.
    OneRowEach,
    /// Several rows build one event (mapped files, events nested in articles): a row
    /// adds links and figures to what earlier rows of the same event gave.
    RowsAddUp,
}

/// Things worth telling the user once per file.
#[derive(Debug, Default)]
pub struct Notices {
    /// Weapons with no class whose generic figures (launched, destroyed) count as neither
    /// drones nor missiles.
    pub unclassified_weapons: BTreeSet<String>,
    /// Generic figures with no weapon at all.
    pub generic_without_weapon: BTreeSet<String>,
    /// Figure kinds registered by this import.
    pub new_figure_kinds: BTreeSet<String>,
    /// Entities created because a row named them and the archive did not know them.
    pub entities_created: BTreeSet<(String, String)>,
    /// Placeholder articles created for urls that events cite.
    pub placeholder_articles: u64,
    /// Rows left as they were because the archive holds a newer version.
    pub older_versions: u64,
    /// Figures whose reported range is inconsistent (kept as reported).
    pub inconsistent_ranges: u64,
    /// Rows that repeat an article url an earlier row of the file gave (the first kept).
    pub repeated_urls: u64,
    /// Combined weapon models classified from their parts: (model, class).
    pub classified_from_parts: BTreeSet<(String, String)>,
}

/// Writes rows for one import, inside the caller's transaction.
pub struct Writer<'c> {
    conn: &'c Connection,
    import_id: i64,
    sources: HashMap<String, i64>,
    /// (kind, key) → entity id.
    aliases: HashMap<(String, String), i64>,
    /// Article url → id, for urls that events cite (bounded: cleared when it grows past
    /// [`ARTICLE_CACHE_MAX`]).
    article_ids: HashMap<String, i64>,
    /// (key, role) → the entity a spelling of no given kind names, for that role.
    any_kind: HashMap<(String, String), (String, i64)>,
    /// entity id → weapon class (weapons only).
    weapon_class: HashMap<i64, Option<String>>,
    /// figure kind → whether its class comes from the weapon (counts IS NULL).
    figure_kinds: HashMap<String, bool>,
    /// Figures written by rows that add up to events, per (event, kind, weapon): two rows
    /// giving one figure different values is an error, not a silent overwrite.
    figures_written: HashMap<(i64, String, i64), FigureValue>,
    /// The extra object each such event held before this import.
    stored_extra: HashMap<i64, Option<String>>,
    /// Extra columns gathered from the rows of events that rows add up to, written once
    /// at the end of the import (so a correction replaces, and a re-import changes nothing).
    gathered_extra: HashMap<i64, String>,
    /// Hashes of the article urls this import has seen: a later row with the same url
    /// repeats it and is left out.
    urls_seen: HashSet<u64>,
    /// Events this import created, when rows add up to events: a later row of such an
    /// event adds to a new record, so it counts as added, not updated.
    created: HashSet<i64>,
    /// What this import adds to the rollup tables, written by [`Writer::finish`].
    rollups: Rollups,
    pub notices: Notices,
}

impl<'c> Writer<'c> {
    pub fn new(conn: &'c Connection, import_id: i64) -> Result<Writer<'c>> {
        let figure_kinds = load_figure_kinds(conn)?;
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS sitrep_seen_events (id INTEGER PRIMARY KEY); \
             DELETE FROM temp.sitrep_seen_events;",
        )?;
        Ok(Writer {
            conn,
            import_id,
            sources: HashMap::new(),
            aliases: HashMap::new(),
            any_kind: HashMap::new(),
            article_ids: HashMap::new(),
            weapon_class: HashMap::new(),
            figure_kinds,
            created: HashSet::new(),
            urls_seen: HashSet::new(),
            gathered_extra: HashMap::new(),
            figures_written: HashMap::new(),
            stored_extra: HashMap::new(),
            rollups: Rollups::default(),
            notices: Notices::default(),
        })
    }

    /// Figure kinds the archive knows.
    pub fn figure_kind_names(&self) -> Vec<String> {
        self.figure_kinds.keys().cloned().collect()
    }

    /// Registers a figure kind a file names for the first time.
    pub fn register_figure_kind(&mut self, name: &str) -> Result<()> {
        if self.figure_kinds.contains_key(name) {
            return Ok(());
        }
        self.conn
            .prepare_cached(
                "INSERT INTO figure_kinds (name, measure, counts, description) \
                 VALUES (?1, ?1, 'other', ?2)",
            )?
            .execute([name, ADDED_KIND_DESCRIPTION])
            .with_context(|| format!("cannot add figure kind {name:?}"))?;
        self.figure_kinds.insert(name.to_string(), false);
        self.notices.new_figure_kinds.insert(name.to_string());
        Ok(())
    }

    fn source(&mut self, name: Option<&str>) -> Result<Option<i64>> {
        let Some(name) = name else { return Ok(None) };
        let key = fold(name);
        if let Some(&id) = self.sources.get(&key) {
            return Ok(Some(id));
        }
        let found: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM sources WHERE key = ?1")?
            .query_row([&key], |r| r.get(0))
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                self.conn
                    .prepare_cached("INSERT INTO sources (name, key) VALUES (?1, ?2)")?
                    .execute(params![name, key])?;
                self.conn.last_insert_rowid()
            }
        };
        self.sources.insert(key, id);
        Ok(Some(id))
    }

    fn lookup_alias(&mut self, kind: &str, key: &str) -> Result<Option<i64>> {
        let cache_key = (kind.to_string(), key.to_string());
        if let Some(&id) = self.aliases.get(&cache_key) {
            return Ok(Some(id));
        }
        let found: Option<i64> = self
            .conn
            .prepare_cached("SELECT entity_id FROM entity_aliases WHERE kind = ?1 AND key = ?2")?
            .query_row([kind, key], |r| r.get(0))
            .optional()?;
        if let Some(id) = found {
            self.aliases.insert(cache_key, id);
        }
        Ok(found)
    }

    /// Entities of any kind a spelling names, most likely kind first for a role.
    fn lookup_any_kind(&mut self, key: &str, role: &str) -> Result<Option<(String, i64)>> {
        let cache_key = (key.to_string(), role.to_string());
        if let Some(found) = self.any_kind.get(&cache_key) {
            return Ok(Some(found.clone()));
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, entity_id FROM entity_aliases WHERE key = ?1")?;
        let mut found: Vec<(String, i64)> = stmt
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let preference: &[&str] = match role {
            "actor" | "target" => &["organisation", "military_unit", "person", "place", "weapon"],
            _ => &["person", "organisation", "military_unit", "place", "weapon"],
        };
        found.sort_by_key(|(kind, _)| {
            preference
                .iter()
                .position(|p| p == kind)
                .unwrap_or(preference.len())
        });
        let first = found.into_iter().next();
        if let Some(hit) = &first {
            self.any_kind.insert(cache_key, hit.clone());
        }
        Ok(first)
    }

    /// Adds a spelling of an entity; true when it was new.
    fn add_alias(&mut self, entity_id: i64, kind: &str, alias: &str) -> Result<bool> {
        let key = fold(alias);
        if key.is_empty() {
            return Ok(false);
        }
        if let Some(other) = self.lookup_alias(kind, &key)? {
            if other == entity_id {
                return Ok(false);
            }
            let other_name: String = self
                .conn
                .prepare_cached("SELECT name FROM entities WHERE id = ?1")?
                .query_row([other], |r| r.get(0))?;
            bail!(
                "the alias {alias:?} already names the {kind} {other_name:?}; a spelling \
                 can name only one {kind}"
            );
        }
        self.conn
            .prepare_cached(
                "INSERT INTO entity_aliases (key, kind, entity_id, alias) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![key, kind, entity_id, alias.trim()])?;
        self.aliases.insert((kind.to_string(), key), entity_id);
        Ok(true)
    }

    fn create_entity(&mut self, kind: &str, name: &str) -> Result<i64> {
        self.conn
            .prepare_cached("INSERT INTO entities (kind, name, import_id) VALUES (?1, ?2, ?3)")?
            .execute(params![kind, name.trim(), self.import_id])?;
        let id = self.conn.last_insert_rowid();
        self.add_alias(id, kind, name)?;
        self.notices
            .entities_created
            .insert((kind.to_string(), name.trim().to_string()));
        Ok(id)
    }

    /// The entity a reference names, created when the archive does not know it.
    fn resolve(&mut self, r: &EntityRef) -> Result<i64> {
        let key = fold(&r.name);
        let fixed_kind = match r.role.as_str() {
            "weapon" => Some("weapon"),
            "location" => Some("place"),
            _ => None,
        };
        if let Some(kind) = r.kind.as_deref().or(fixed_kind) {
            if let Some(id) = self.lookup_alias(kind, &key)? {
                return Ok(id);
            }
            let id = self.create_entity(kind, &r.name)?;
            if kind == "weapon"
                && let Some(class) = self.class_from_parts(&r.name)?
            {
                self.conn
                    .prepare_cached("UPDATE entities SET class = ?2 WHERE id = ?1")?
                    .execute(params![id, class])?;
                self.weapon_class.insert(id, Some(class.clone()));
                self.notices
                    .classified_from_parts
                    .insert((r.name.trim().to_string(), class));
            }
            return Ok(id);
        }
        if let Some((_, id)) = self.lookup_any_kind(&key, &r.role)? {
            return Ok(id);
        }
        match r.role.as_str() {
            "actor" | "target" => self.create_entity("organisation", &r.name),
            _ => Err(anyhow!(
                "entity {:?} is not in the archive and has no kind: give it as \
                 {{\"name\": ..., \"kind\": ...}} or import an entities file first",
                r.name
            )),
        }
    }

    /// Writes the extra columns gathered for events built from several rows.
    fn flush_gathered_extra(&mut self) -> Result<()> {
        for (id, extra) in std::mem::take(&mut self.gathered_extra) {
            self.conn
                .prepare_cached(
                    "UPDATE events SET extra = ?2, import_id = ?3 WHERE id = ?1 AND extra IS NOT ?2",
                )?
                .execute(params![id, extra, self.import_id])?;
        }
        Ok(())
    }

    /// Classifies weapons with no class whose names combine known weapons (`A and B`,
    /// `A/B`): run at the end of every import, so that a combined model met before the
    /// catalogue that names its parts is classified once the parts are known.
    fn classify_combined_weapons(&mut self) -> Result<()> {
        let pending: Vec<(i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT id, name FROM entities WHERE kind = 'weapon' AND class IS NULL \
                 AND (name LIKE '% and %' OR name LIKE '%/%')",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, name) in pending {
            if let Some(class) = self.class_from_parts(&name)? {
                self.conn
                    .prepare_cached("UPDATE entities SET class = ?2 WHERE id = ?1")?
                    .execute(params![id, class])?;
                self.weapon_class.insert(id, Some(class.clone()));
                self.notices.unclassified_weapons.remove(&name);
                self.notices.classified_from_parts.insert((name, class));
            }
        }
        Ok(())
    }

    /// The class of a combined model (`A and B`, `A/B`) whose parts are known weapons
    /// that all count the same way (all drones, or all missiles); None otherwise.
    fn class_from_parts(&mut self, name: &str) -> Result<Option<String>> {
        let mut classes = Vec::new();
        let mut pending: Vec<&str> = name.split(" and ").collect();
        if pending.len() < 2 && !name.contains('/') {
            return Ok(None);
        }
        while let Some(part) = pending.pop() {
            let part = part.trim();
            match self.lookup_alias("weapon", &fold(part))? {
                Some(id) => match self.class_of(id)? {
                    Some(class) => classes.push(class),
                    None => return Ok(None),
                },
                None if part.contains('/') => pending.extend(part.split('/')),
                None => return Ok(None),
            }
        }
        let mut counts = Vec::new();
        for class in &classes {
            let counts_as: Option<String> = self
                .conn
                .prepare_cached("SELECT counts_as FROM weapon_classes WHERE name = ?1")?
                .query_row([class], |r| r.get(0))
                .optional()?;
            counts.push(counts_as);
        }
        let same = counts.windows(2).all(|w| w.first() == w.get(1));
        Ok(if same && counts.first().is_some_and(Option::is_some) {
            classes.pop()
        } else {
            None
        })
    }

    fn class_of(&mut self, weapon_id: i64) -> Result<Option<String>> {
        if let Some(class) = self.weapon_class.get(&weapon_id) {
            return Ok(class.clone());
        }
        let class: Option<String> = self
            .conn
            .prepare_cached("SELECT class FROM entities WHERE id = ?1")?
            .query_row([weapon_id], |r| r.get(0))?;
        self.weapon_class.insert(weapon_id, class.clone());
        Ok(class)
    }

    /// Links an article to an entity its text mentions (role `mentioned`), unless the article
    /// is linked to that entity already in any role; the entity is created when the
    /// archive does not know it. Returns the entity and whether the link is new.
    pub fn mention(&mut self, article_id: i64, name: &str, kind: &str) -> Result<(i64, bool)> {
        let entity_id = self.resolve(&EntityRef {
            name: name.to_string(),
            kind: Some(kind.to_string()),
            role: "mentioned".to_string(),
        })?;
        let added = self
            .conn
            .prepare_cached(
                "INSERT INTO article_entities (article_id, entity_id, role, raw_text) \
                 SELECT ?1, ?2, 'mentioned', ?3 WHERE NOT EXISTS \
                 (SELECT 1 FROM article_entities WHERE article_id = ?1 AND entity_id = ?2)",
            )?
            .execute(params![article_id, entity_id, name])?
            > 0;
        Ok((entity_id, added))
    }

    /// Removes an event with its figures and links (its day's rollups are recomputed).
    /// True when there was such an event.
    pub fn delete_event(&mut self, dataset: &str, key: &str) -> Result<bool> {
        let date: Option<String> = self
            .conn
            .prepare_cached("SELECT date FROM events WHERE dataset = ?1 AND key = ?2")?
            .query_row(params![dataset, key], |r| r.get(0))
            .optional()?;
        let Some(date) = date else {
            return Ok(false);
        };
        self.rollups.changed_event(&date);
        self.conn
            .prepare_cached("DELETE FROM events WHERE dataset = ?1 AND key = ?2")?
            .execute(params![dataset, key])?;
        Ok(true)
    }

    /// Links an event to an article; true when the link is new.
    fn link_article(&self, event_id: i64, article_id: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO event_articles (event_id, article_id) VALUES (?1, ?2)",
            )?
            .execute(params![event_id, article_id])?
            > 0)
    }

    /// The id of the article with this url, creating a placeholder when there is none.
    fn article_id(&mut self, url: &str) -> Result<i64> {
        if let Some(&id) = self.article_ids.get(url) {
            return Ok(id);
        }
        if self.article_ids.len() >= ARTICLE_CACHE_MAX {
            self.article_ids.clear();
        }
        let id = self.article_id_uncached(url)?;
        self.article_ids.insert(url.to_string(), id);
        Ok(id)
    }

    fn article_id_uncached(&mut self, url: &str) -> Result<i64> {
        let found: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM articles WHERE url = ?1")?
            .query_row([url], |r| r.get(0))
            .optional()?;
        if let Some(id) = found {
            return Ok(id);
        }
        self.conn
            .prepare_cached(
                "INSERT INTO articles (url, placeholder, import_id) VALUES (?1, 1, ?2)",
            )?
            .execute(params![url, self.import_id])?;
        self.notices.placeholder_articles += 1;
        Ok(self.conn.last_insert_rowid())
    }

    /// The current row was written (its additions to the rollups stand).
    pub fn row_done(&mut self) -> Result<()> {
        self.rollups.row_done();
        self.rollups.spill_if_large(self.conn)
    }

    /// Ends the import's writes: the gathered extra columns, combined weapons, rollups.
    pub fn finish(&mut self) -> Result<()> {
        self.flush_gathered_extra()?;
        self.classify_combined_weapons()?;
        std::mem::take(&mut self.rollups).flush(self.conn)
    }

    /// The connection (inside the import's transaction).
    pub fn conn(&self) -> &Connection {
        self.conn
    }

    /// Forgets cached ids, after a row's writes were rolled back.
    pub fn clear_caches(&mut self) -> Result<()> {
        self.rollups.row_failed();
        self.sources.clear();
        self.aliases.clear();
        self.any_kind.clear();
        self.article_ids.clear();
        self.weapon_class.clear();
        self.figure_kinds = load_figure_kinds(self.conn)?;
        let known = &self.figure_kinds;
        self.notices
            .new_figure_kinds
            .retain(|k| known.contains_key(k));
        Ok(())
    }

    /// Inserts or updates an event by (dataset, key).
    pub fn event(&mut self, rec: &EventRecord, mode: EventMode) -> Result<Outcome> {
        let key = rec.key();
        let source_id = self.source(rec.source.as_deref())?;
        let additive = mode == EventMode::RowsAddUp;
        // The event's own columns, in EVENT_COLUMNS order, for the insert and the update.
        let values: [&dyn rusqlite::ToSql; 16] = [
            &rec.date,
            &rec.end_date,
            &rec.precision,
            &rec.time_start,
            &rec.time_end,
            &rec.event_type,
            &rec.subtype,
            &rec.country,
            &rec.region,
            &rec.location,
            &rec.latitude,
            &rec.longitude,
            &source_id,
            &rec.notes,
            &rec.version,
            &rec.extra,
        ];
        // Inserted first: a new event costs one probe of the (dataset, key) index.
        let inserted = {
            let sql: &str = &EVENT_INSERT;
            let head: [&dyn rusqlite::ToSql; 3] = [&rec.dataset, &rec.external_id, &key];
            let tail: [&dyn rusqlite::ToSql; 1] = [&self.import_id];
            self.conn
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(
                    head.iter().chain(&values).chain(&tail),
                ))?
                > 0
        };
        let existing: Option<(i64, i64, Option<i64>, String)> = if inserted {
            None
        } else {
            let found = self
                .conn
                .prepare_cached(
                    "SELECT id, import_id, version, date FROM events WHERE dataset = ?1 AND key = ?2",
                )?
                .query_row(params![rec.dataset, key], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            Some(found.context("an event conflicted with no stored event")?)
        };
        if let (Some((_, _, Some(have), _)), Some(incoming)) = (&existing, rec.version)
            && incoming < *have
        {
            self.notices.older_versions += 1;
            return Ok(Outcome::Unchanged);
        }
        let mut old_date = None;
        let (event_id, mut changed, added) = match existing {
            None => {
                self.rollups.add_event(
                    &rec.date,
                    rec.precision,
                    rec.event_type.as_deref(),
                    rec.country.as_deref(),
                    rec.region.as_deref(),
                );
                (self.conn.last_insert_rowid(), true, true)
            }
            Some((id, last_import, _, date)) => {
                old_date = Some(date);
                let repeated = mode == EventMode::OneRowEach
                    && (last_import == self.import_id
                        || self
                            .conn
                            .prepare_cached(
                                "INSERT OR IGNORE INTO temp.sitrep_seen_events (id) VALUES (?1)",
                            )?
                            .execute([id])?
                            == 0);
                if repeated {
                    bail!(
                        "event {:?} appears more than once in this file",
                        rec.external_id.as_deref().unwrap_or("(same content)")
                    );
                }
                let mut absent: Vec<&str> = rec.absent.clone();
                if additive {
                    // Rows adding up to one event gather their extra columns (see flush).
                    absent.push("extra");
                }
                let mask = presence_mask(EVENT_COLUMNS, &absent);
                let sql: &str = &EVENT_UPDATE;
                let head: [&dyn rusqlite::ToSql; 1] = [&id];
                let tail: [&dyn rusqlite::ToSql; 2] = [&mask, &self.import_id];
                let n = self
                    .conn
                    .prepare_cached(sql)?
                    .execute(rusqlite::params_from_iter(
                        head.iter().chain(&values).chain(&tail),
                    ))?;
                (id, n > 0, false)
            }
        };

        let mut linked: Vec<i64> = Vec::new();
        for (role, refs) in &rec.links {
            changed |= self.set_event_links(event_id, role, refs, added, additive, &mut linked)?;
        }
        if added {
            linked.sort_unstable();
            linked.dedup();
            for entity_id in linked {
                self.rollups.add_link(&rec.date, entity_id);
            }
        }
        for cited in &rec.cited {
            let (article_id, _) = self.upsert_article(cited)?;
            changed |= self.link_article(event_id, article_id)?;
        }
        for url in &rec.article_urls {
            let article_id = self.article_id(url)?;
            changed |= self.link_article(event_id, article_id)?;
        }
        for kind in &rec.new_kinds {
            self.register_figure_kind(kind)?;
        }
        let mut given: HashSet<(&str, i64)> = HashSet::new();
        let mut written: Vec<((i64, String, i64), FigureValue)> = Vec::new();
        for figure in &rec.figures {
            if !self.figure_kinds.contains_key(&figure.kind) {
                self.register_figure_kind(&figure.kind)?;
            }
            if figure.inconsistent {
                self.notices.inconsistent_ranges += 1;
            }
            let weapon_id = match &figure.weapon {
                Some(name) => Some(self.resolve(&EntityRef {
                    name: name.clone(),
                    kind: Some("weapon".into()),
                    role: "weapon".into(),
                })?),
                None => None,
            };
            if !given.insert((figure.kind.as_str(), weapon_id.unwrap_or(0))) {
                bail!(
                    "the figure {} for {} is given twice (two spellings of one weapon?)",
                    figure.kind,
                    figure.weapon.as_deref().unwrap_or("no weapon")
                );
            }
            if additive {
                let slot = (event_id, figure.kind.clone(), weapon_id.unwrap_or(0));
                let value = (figure.value, figure.low, figure.high, figure.qualifier);
                match self.figures_written.get(&slot) {
                    Some(earlier) if *earlier != value => bail!(
                        "the figure {} for {} was given a different value by an earlier row of \
                         this event ({} here): a report names each weapon once",
                        figure.kind,
                        figure.weapon.as_deref().unwrap_or("no weapon"),
                        figure
                            .value
                            .map_or_else(|| "no value".to_string(), |v| v.to_string())
                    ),
                    _ => written.push((slot, value)),
                }
            }
            let generic = self
                .figure_kinds
                .get(&figure.kind)
                .copied()
                .unwrap_or(false);
            if generic {
                match (weapon_id, &figure.weapon) {
                    (Some(id), Some(name)) => {
                        if self.class_of(id)?.is_none() {
                            self.notices.unclassified_weapons.insert(name.clone());
                        }
                    }
                    _ => {
                        self.notices
                            .generic_without_weapon
                            .insert(figure.kind.clone());
                    }
                }
            }
            if added {
                self.rollups.add_figure(
                    &rec.date,
                    rec.precision,
                    &figure.kind,
                    weapon_id,
                    figure.value,
                );
            }
            // A new event's figures are new (the row gives each once): a plain insert,
            // which needs no statement journal.
            let sql = if added {
                "INSERT INTO quantities (event_id, kind, value, low, high, qualifier, weapon_id, import_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            } else {
                "INSERT INTO quantities (event_id, kind, value, low, high, qualifier, weapon_id, import_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
                 ON CONFLICT (event_id, kind, ifnull(weapon_id, 0)) DO UPDATE SET \
                     value = excluded.value, low = excluded.low, high = excluded.high, \
                     qualifier = excluded.qualifier, import_id = excluded.import_id \
                     WHERE value IS NOT excluded.value OR low IS NOT excluded.low \
                     OR high IS NOT excluded.high OR qualifier IS NOT excluded.qualifier"
            };
            changed |= self
                .conn
                .prepare_cached(sql)?
                .execute(params![
                    event_id,
                    figure.kind,
                    figure.value,
                    figure.low,
                    figure.high,
                    figure.qualifier,
                    weapon_id,
                    self.import_id
                ])
                .with_context(|| format!("cannot store the figure {}", figure.kind))?
                > 0;
        }
        if !added && rec.figures_complete && mode == EventMode::OneRowEach {
            let have: Vec<(i64, String, i64)> = self
                .conn
                .prepare_cached(
                    "SELECT id, kind, ifnull(weapon_id, 0) FROM quantities WHERE event_id = ?1",
                )?
                .query_map([event_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (id, kind, weapon) in have {
                if !given.contains(&(kind.as_str(), weapon)) {
                    self.conn
                        .prepare_cached("DELETE FROM quantities WHERE id = ?1")?
                        .execute([id])?;
                    changed = true;
                }
            }
        }
        if !added {
            for (kind, weapon) in &rec.cleared {
                let weapon_id = match weapon {
                    Some(name) => match self.lookup_alias("weapon", &fold(name))? {
                        Some(id) => id,
                        None => continue,
                    },
                    None => 0,
                };
                changed |= self
                    .conn
                    .prepare_cached(
                        "DELETE FROM quantities WHERE event_id = ?1 AND kind = ?2 \
                         AND ifnull(weapon_id, 0) = ?3",
                    )?
                    .execute(params![event_id, kind, weapon_id])?
                    > 0;
            }
        }
        if changed && !added {
            self.conn
                .prepare_cached("UPDATE events SET import_id = ?2 WHERE id = ?1")?
                .execute(params![event_id, self.import_id])?;
            if let Some(old) = &old_date {
                self.rollups.changed_event(old);
            }
            self.rollups.changed_event(&rec.date);
        }
        // Gathered last, once every write of the row has succeeded.
        self.figures_written.extend(written);
        if additive && let Some(extra) = &rec.extra {
            if !added {
                if !self.stored_extra.contains_key(&event_id) {
                    let stored: Option<String> = self
                        .conn
                        .prepare_cached("SELECT extra FROM events WHERE id = ?1")?
                        .query_row([event_id], |r| r.get(0))?;
                    self.stored_extra.insert(event_id, stored);
                }
                let stored = self.stored_extra.get(&event_id).cloned().flatten();
                // A row bringing an extra value the event did not hold changes it.
                changed |= !extra_contained(extra, stored.as_deref());
            }
            let merged = match self.gathered_extra.get(&event_id) {
                Some(have) => merge_extra(have, Some(extra)),
                None => Some(extra.clone()),
            };
            if let Some(merged) = merged {
                self.gathered_extra.insert(event_id, merged);
            }
        }
        if added && additive {
            self.created.insert(event_id);
        }
        Ok(if added || (changed && self.created.contains(&event_id)) {
            Outcome::Added
        } else {
            Outcome::from_changed(changed)
        })
    }

    /// Makes an event's links of one role exactly `refs` (or, `additive`, adds them); true
    /// when that changed them.
    fn set_event_links(
        &mut self,
        event_id: i64,
        role: &str,
        refs: &[EntityRef],
        fresh: bool,
        additive: bool,
        linked: &mut Vec<i64>,
    ) -> Result<bool> {
        let mut wanted: Vec<(i64, String)> = Vec::with_capacity(refs.len());
        for r in refs {
            let id = self.resolve(r)?;
            linked.push(id);
            if !wanted.iter().any(|(w, _)| *w == id) {
                wanted.push((id, r.name.trim().to_string()));
            }
        }
        if additive && !fresh {
            let mut changed = false;
            for (entity_id, raw) in &wanted {
                changed |= self
                    .conn
                    .prepare_cached(
                        "INSERT OR IGNORE INTO event_entities (event_id, entity_id, role, raw_text) \
                         VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![event_id, entity_id, role, raw])?
                    > 0;
            }
            return Ok(changed);
        }
        if !fresh {
            let mut have: Vec<(i64, String)> = self
                .conn
                .prepare_cached("SELECT entity_id, raw_text FROM event_entities WHERE event_id = ?1 AND role = ?2")?
                .query_map(params![event_id, role], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            have.sort();
            let mut sorted = wanted.clone();
            sorted.sort();
            if have == sorted {
                return Ok(false);
            }
            self.conn
                .prepare_cached("DELETE FROM event_entities WHERE event_id = ?1 AND role = ?2")?
                .execute(params![event_id, role])?;
        }
        for (entity_id, raw) in &wanted {
            self.conn
                .prepare_cached(
                    "INSERT INTO event_entities (event_id, entity_id, role, raw_text) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![event_id, entity_id, role, raw])?;
        }
        Ok(!(fresh && wanted.is_empty()))
    }

    /// Inserts or updates an article by url; its nested events go through [`Writer::event`]
    /// and their outcomes are returned beside the article's.
    pub fn article(&mut self, rec: &ArticleRecord) -> Result<(Outcome, Vec<Outcome>)> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        rec.url.hash(&mut hasher);
        let url_hash = hasher.finish();
        if self.urls_seen.contains(&url_hash) {
            self.notices.repeated_urls += 1;
            return Ok((Outcome::Unchanged, Vec::new()));
        }
        let (article_id, mut outcome) = self.upsert_article(rec)?;
        if let Some(refs) = &rec.entities
            && self.set_article_links(article_id, refs)?
            && outcome == Outcome::Unchanged
        {
            outcome = Outcome::Updated;
        }
        let mut nested = Vec::with_capacity(rec.events.len());
        for event in &rec.events {
            nested.push(self.event(event, EventMode::RowsAddUp)?);
        }
        // Only a row that was written counts as seen (a rejected one may come again).
        self.urls_seen.insert(url_hash);
        Ok((outcome, nested))
    }

    /// Inserts or updates an article's own fields by url.
    fn upsert_article(&mut self, rec: &ArticleRecord) -> Result<(i64, Outcome)> {
        let source_id = self.source(rec.source.as_deref())?;
        let existing: Option<(i64, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT id, CASE WHEN placeholder = 0 THEN published_day END \
                 FROM articles WHERE url = ?1",
            )?
            .query_row([&rec.url], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let placeholder = rec.is_placeholder();
        let (article_id, outcome) = match existing {
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO articles (url, title, published, source_id, author, language, \
                         body, placeholder, extra, import_id) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    )?
                    .execute(params![
                        rec.url,
                        rec.title,
                        rec.published,
                        source_id,
                        rec.author,
                        rec.language,
                        rec.body,
                        placeholder,
                        rec.extra,
                        self.import_id
                    ])?;
                if !placeholder {
                    self.rollups
                        .add_article(rec.published.as_deref().and_then(|p| p.get(..10)));
                }
                (self.conn.last_insert_rowid(), Outcome::Added)
            }
            // A bare url says nothing new about an article already held.
            Some((id, _)) if placeholder => (id, Outcome::Unchanged),
            Some((id, old_day)) => {
                let mask = presence_mask(ARTICLE_COLUMNS, &rec.absent);
                let sql: &str = &ARTICLE_UPDATE;
                let n = self.conn.prepare_cached(sql)?.execute(params![
                    id,
                    rec.title,
                    rec.published,
                    source_id,
                    rec.author,
                    rec.language,
                    rec.body,
                    rec.extra,
                    mask,
                    self.import_id
                ])?;
                if n > 0 {
                    let new_day: Option<String> = self
                        .conn
                        .prepare_cached("SELECT published_day FROM articles WHERE id = ?1")?
                        .query_row([id], |r| r.get(0))?;
                    self.rollups.changed_article(old_day.as_deref());
                    self.rollups.changed_article(new_day.as_deref());
                }
                (id, Outcome::from_changed(n > 0))
            }
        };
        Ok((article_id, outcome))
    }

    fn set_article_links(&mut self, article_id: i64, refs: &[EntityRef]) -> Result<bool> {
        let mut wanted: Vec<(String, i64, String)> = Vec::with_capacity(refs.len());
        for r in refs {
            let id = self.resolve(r)?;
            if !wanted
                .iter()
                .any(|(role, w, _)| *w == id && *role == r.role)
            {
                wanted.push((r.role.clone(), id, r.name.trim().to_string()));
            }
        }
        wanted.sort();
        let mut have: Vec<(String, i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT role, entity_id, raw_text FROM article_entities WHERE article_id = ?1",
            )?
            .query_map([article_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        have.sort();
        if have == wanted {
            return Ok(false);
        }
        self.conn
            .prepare_cached("DELETE FROM article_entities WHERE article_id = ?1")?
            .execute([article_id])?;
        for (role, entity_id, raw) in &wanted {
            self.conn
                .prepare_cached(
                    "INSERT INTO article_entities (article_id, entity_id, role, raw_text) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![article_id, entity_id, role, raw])?;
        }
        Ok(true)
    }

    /// Inserts or updates an entity, found by its name (its canonical name or any known
    /// spelling; the canonical name stays as it is).
    pub fn entity(&mut self, rec: &EntityRecord) -> Result<Outcome> {
        // The row's name finds the entity (as its name or one of its spellings); the
        // row's other aliases never do, so that a row cannot take over another entity
        // through a shared spelling: that is an alias conflict, reported.
        let key = fold(&rec.name);
        let found = self.lookup_alias(&rec.kind, &key)?;
        let (id, mut outcome) = match found {
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO entities (kind, name, class, country, latitude, longitude, \
                         description, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )?
                    .execute(params![
                        rec.kind,
                        rec.name,
                        rec.class,
                        rec.country,
                        rec.latitude,
                        rec.longitude,
                        rec.description,
                        self.import_id
                    ])?;
                (self.conn.last_insert_rowid(), Outcome::Added)
            }
            // A row named by a spelling that a merge moved here describes the merged
            // entity: the kept one keeps its own values (a re-import after a merge changes
            // nothing), and the row only adds its spellings.
            Some(id) if super::entities::merged_spelling(self.conn, id, &key)? => {
                (id, Outcome::Unchanged)
            }
            Some(id) => {
                let mask = presence_mask(ENTITY_COLUMNS, &rec.absent);
                let sql: &str = &ENTITY_UPDATE;
                let n = self.conn.prepare_cached(sql)?.execute(params![
                    id,
                    rec.class,
                    rec.country,
                    rec.latitude,
                    rec.longitude,
                    rec.description,
                    mask,
                    self.import_id
                ])?;
                self.weapon_class.remove(&id);
                (id, Outcome::from_changed(n > 0))
            }
        };
        for alias in std::iter::once(&rec.name).chain(&rec.aliases) {
            if self.add_alias(id, &rec.kind, alias)? && outcome == Outcome::Unchanged {
                outcome = Outcome::Updated;
            }
        }
        Ok(outcome)
    }
}

/// Whether every column of a row's extra object is already in the event's (as its value
/// or among its values).
fn extra_contained(row: &str, stored: Option<&str>) -> bool {
    use serde_json::Value;
    let (Ok(Value::Object(row)), Some(Ok(Value::Object(stored)))) = (
        serde_json::from_str::<Value>(row),
        stored.map(serde_json::from_str::<Value>),
    ) else {
        return false;
    };
    row.iter().all(|(key, value)| match stored.get(key) {
        Some(Value::Array(list)) if !value.is_array() => list.contains(value),
        Some(have) => have == value,
        None => false,
    })
}

/// Merges a row's extra object into an event's: a key whose values differ between rows
/// keeps every distinct value, as a list in the order the rows gave them.
fn merge_extra(have: &str, incoming: Option<&str>) -> Option<String> {
    use serde_json::Value;
    let Some(incoming) = incoming else {
        return Some(have.to_string());
    };
    let (Ok(Value::Object(mut merged)), Ok(Value::Object(new))) = (
        serde_json::from_str::<Value>(have),
        serde_json::from_str::<Value>(incoming),
    ) else {
        return Some(incoming.to_string());
    };
    for (key, value) in new {
        match merged.get_mut(&key) {
            None => {
                merged.insert(key, value);
            }
            Some(old) if *old == value => {}
            Some(Value::Array(list)) if list.contains(&value) => {}
            Some(Value::Array(list)) => list.push(value),
            Some(old) => {
                let first = old.take();
                *old = Value::Array(vec![first, value]);
            }
        }
    }
    Some(Value::Object(merged).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_updates_touch_only_the_columns_in_the_mask() {
        assert_eq!(
            partial_update_sql("t", &["a", "b"], ""),
            "UPDATE t SET a = CASE WHEN ?4 & 1 THEN ?2 ELSE a END, \
             b = CASE WHEN ?4 & 2 THEN ?3 ELSE b END, import_id = ?5 \
             WHERE id = ?1 AND ((?4 & 1 AND a IS NOT ?2) OR (?4 & 2 AND b IS NOT ?3))"
        );
        assert_eq!(presence_mask(&["a", "b", "c"], &["b"]), 0b101);
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, import_id); INSERT INTO t VALUES (1, 'x', 'y', 0);")
            .unwrap();
        let sql = partial_update_sql("t", &["a", "b"], "");
        let mask = presence_mask(&["a", "b"], &["b"]);
        let n = conn
            .execute(&sql, params![1, "x2", "ignored", mask, 7])
            .unwrap();
        assert_eq!(n, 1);
        let row: (String, String, i64) = conn
            .query_row("SELECT a, b, import_id FROM t", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(row, ("x2".into(), "y".into(), 7));
        // Nothing differs in the given columns: no update, import id untouched.
        assert_eq!(
            conn.execute(&sql, params![1, "x2", "other", mask, 8])
                .unwrap(),
            0
        );
    }

    #[test]
    fn extra_merges_keep_every_distinct_value_once() {
        let a = merge_extra(
            r#"{"k":"x","same":"s"}"#,
            Some(r#"{"k":"y","same":"s","n":"1"}"#),
        );
        assert_eq!(a.as_deref(), Some(r#"{"k":["x","y"],"n":"1","same":"s"}"#));
        let b = merge_extra(a.as_deref().unwrap_or_default(), Some(r#"{"k":"x"}"#));
        assert_eq!(a, b);
    }
}

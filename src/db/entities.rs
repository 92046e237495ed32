//! Entity management (`sitrep entities`): finding an entity by any of its spellings,
//! what an entity is linked to, adding spellings, and merging two entities into one.
//!
//! Look-ups go through `entity_aliases`, by the folded key of the name
//! ([`crate::names::fold`]: case, spaces and Latin accents do not matter). A spelling names
//! one entity per kind, so a name can name entities of several kinds; the caller then
//! says which kind.
//!
//! A merge ([`merge`]) runs inside the caller's transaction: every link, figure, spelling
//! and earlier merge of the merged entity moves to the kept one, the merge is recorded in
//! `entity_merges`, the merged entity is deleted, and the rollup rows of the two entities
//! (figures by weapon, events by entity) are recomputed. It is refused when it would
//! change what any query counts other than per entity: two weapons of different classes,
//! or an event giving the same figure for both weapons.

use std::collections::HashMap;
use std::fmt;

use anyhow::{Result, bail};
use rusqlite::{Connection, OptionalExtension, params};

use crate::names::fold;

/// Most suggestions an unknown name gets.
const MAX_SUGGESTIONS: usize = 5;

/// Shortest alias key that a longer unknown name is searched for (shorter keys, such as
/// "ua", would be found inside too many names).
const MIN_KEY_INSIDE: i64 = 4;

/// Most conflicting figures a refused merge names.
const MAX_CONFLICTS_NAMED: usize = 5;

/// One entity's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub class: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub description: Option<String>,
    pub import_id: i64,
}

/// The columns of `entities` that [`Entity::from_row`] reads, prefixed by the table alias
/// `n`.
const ENTITY_COLUMNS: &str = "n.id, n.kind, n.name, n.class, n.country, n.latitude, \
                              n.longitude, n.description, n.import_id";

impl Entity {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entity> {
        Ok(Entity {
            id: r.get(0)?,
            kind: r.get(1)?,
            name: r.get(2)?,
            class: r.get(3)?,
            country: r.get(4)?,
            latitude: r.get(5)?,
            longitude: r.get(6)?,
            description: r.get(7)?,
            import_id: r.get(8)?,
        })
    }
}

/// "the place \"Kyiv\"", as messages name an entity.
impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} {:?}", kind_words(&self.kind), self.name)
    }
}

/// A kind as prose: `military_unit` is "military unit".
pub fn kind_words(kind: &str) -> String {
    kind.replace('_', " ")
}

/// The look-up key of a name given on the command line; an empty one is an error.
fn key_of(name: &str, what: &str) -> Result<String> {
    let key = fold(name);
    if key.is_empty() {
        bail!("{what} is empty: give a name or spelling");
    }
    Ok(key)
}

/// Every entity (of any kind) that this spelling names, by kind.
pub fn named(conn: &Connection, name: &str) -> Result<Vec<Entity>> {
    let key = key_of(name, "the entity name")?;
    let sql = format!(
        "SELECT {ENTITY_COLUMNS} FROM entity_aliases a JOIN entities n ON n.id = a.entity_id \
         WHERE a.key = ?1 ORDER BY n.kind"
    );
    let found = conn
        .prepare_cached(&sql)?
        .query_map([&key], Entity::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}

/// "the person \"A\" and the place \"B\"".
fn list_entities(entities: &[Entity]) -> String {
    join_entities(entities, "and")
}

/// The entities named in prose, the last two joined by `conjunction`.
fn join_entities(entities: &[Entity], conjunction: &str) -> String {
    let names: Vec<String> = entities.iter().map(ToString::to_string).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} {conjunction} {last}", rest.join(", "))
        }
        _ => names.concat(),
    }
}

/// "--kind person or --kind place".
fn kind_options(entities: &[Entity]) -> String {
    let mut kinds: Vec<&str> = entities.iter().map(|e| e.kind.as_str()).collect();
    kinds.dedup();
    kinds
        .iter()
        .map(|k| format!("--kind {k}"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Entities with a spelling that contains the folded name (of 3 characters or more), or
/// (for spellings of at least [`MIN_KEY_INSIDE`] characters) that the folded name
/// contains; failing those, the entities with the spellings nearest by edit distance (at
/// most one edit per four characters: `Kharkif`, `Zelenskky`, `Kh101`).
fn suggestions(conn: &Connection, name: &str, kind: Option<&str>) -> Result<Vec<Entity>> {
    let key = fold(name);
    if key.chars().count() < 3 {
        return Ok(Vec::new());
    }
    let found = containing(conn, &key, kind)?;
    if !found.is_empty() {
        return Ok(found);
    }
    let allowed = (key.chars().count() / 4).max(1);
    let mut near: Vec<(usize, i64)> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT a.key, a.entity_id FROM entity_aliases a WHERE (?1 IS NULL OR a.kind = ?1)",
        )?;
        let mut rows = stmt.query(params![kind])?;
        while let Some(row) = rows.next()? {
            let alias: String = row.get(0)?;
            let distance = edit_distance(&key, &alias);
            if distance <= allowed {
                near.push((distance, row.get(1)?));
            }
        }
    }
    near.sort();
    let mut ids: Vec<i64> = Vec::new();
    for (_, id) in near {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids.truncate(MAX_SUGGESTIONS + 1);
    let sql = format!("SELECT {ENTITY_COLUMNS} FROM entities n WHERE n.id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut out = Vec::new();
    for id in ids {
        out.push(stmt.query_row([id], Entity::from_row)?);
    }
    Ok(out)
}

/// Levenshtein distance between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(current).min(row[j])
            };
            previous = current;
        }
    }
    row[b.len()]
}

fn containing(conn: &Connection, key: &str, kind: Option<&str>) -> Result<Vec<Entity>> {
    let sql = format!(
        "SELECT {ENTITY_COLUMNS} FROM entities n WHERE (?2 IS NULL OR n.kind = ?2) \
         AND EXISTS (SELECT 1 FROM entity_aliases a WHERE a.entity_id = n.id \
                     AND (instr(a.key, ?1) > 0 \
                          OR (length(a.key) >= ?3 AND instr(?1, a.key) > 0))) \
         ORDER BY n.kind, n.name LIMIT ?4"
    );
    let limit = i64::try_from(MAX_SUGGESTIONS).unwrap_or(i64::MAX);
    let found = conn
        .prepare_cached(&sql)?
        .query_map(
            params![key, kind, MIN_KEY_INSIDE, limit + 1],
            Entity::from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}

/// The error for a name that names no entity (of the kind asked for).
fn unknown(conn: &Connection, name: &str, kind: Option<&str>) -> Result<anyhow::Error> {
    let what = match kind {
        Some(kind) => format!("no {} is named {name:?}", kind_words(kind)),
        None => format!("no entity is named {name:?}"),
    };
    let others = named(conn, name)?;
    if !others.is_empty() {
        return Ok(anyhow::anyhow!(
            "{what}; it names {} ({})",
            list_entities(&others),
            kind_options(&others)
        ));
    }
    let mut near = suggestions(conn, name, kind)?;
    if near.is_empty() {
        return Ok(anyhow::anyhow!(
            "{what} (as its name or any of its spellings; `sitrep entities list --like TEXT` searches them)"
        ));
    }
    let more = near.len() > MAX_SUGGESTIONS;
    near.truncate(MAX_SUGGESTIONS);
    Ok(anyhow::anyhow!(
        "{what}; did you mean {}{}?",
        join_entities(&near, "or"),
        if more { " (or others)" } else { "" }
    ))
}

/// The entity a name (its canonical name or any spelling) names, of `kind` when given.
/// Errors when it names none (with near spellings), or entities of several kinds and no
/// kind was given.
pub fn find(conn: &Connection, name: &str, kind: Option<&str>) -> Result<Entity> {
    let found = named(conn, name)?;
    let mut matching: Vec<Entity> = found
        .into_iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .collect();
    match matching.len() {
        0 => Err(unknown(conn, name, kind)?),
        1 => Ok(matching.remove(0)),
        _ => bail!(
            "{name:?} names entities of several kinds: {}; say which with {}",
            list_entities(&matching),
            kind_options(&matching)
        ),
    }
}

/// The two entities of a merge, of one kind: `kind` when given, else the one kind both
/// names name (so that a name of several kinds is settled by the other name).
pub fn find_pair(
    conn: &Connection,
    keep: &str,
    other: &str,
    kind: Option<&str>,
) -> Result<(Entity, Entity)> {
    let of_kind = |name: &str| -> Result<Vec<Entity>> {
        let found: Vec<Entity> = named(conn, name)?
            .into_iter()
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .collect();
        if found.is_empty() {
            // The same error a single look-up gives.
            return Err(unknown(conn, name, kind)?);
        }
        Ok(found)
    };
    let keeps = of_kind(keep)?;
    let others = of_kind(other)?;
    let common: Vec<&Entity> = keeps
        .iter()
        .filter(|k| others.iter().any(|o| o.kind == k.kind))
        .collect();
    match common.as_slice() {
        [] => {
            let describe = |list: &[Entity]| list_entities(list);
            bail!(
                "cannot merge {} into {}: entities of different kinds are never merged \
                 (a merge joins two spellings of one thing)",
                describe(&others),
                describe(&keeps)
            )
        }
        [one] => {
            let keep = (*one).clone();
            let other = others
                .into_iter()
                .find(|o| o.kind == keep.kind)
                .ok_or_else(|| anyhow::anyhow!("the entity {other:?} vanished"))?;
            Ok((keep, other))
        }
        several => {
            let kinds: Vec<Entity> = several.iter().map(|e| (*e).clone()).collect();
            bail!(
                "{keep:?} and {other:?} both name entities of several kinds; say which with {}",
                kind_options(&kinds)
            )
        }
    }
}

/// What an entity is linked to, in numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Distinct events linked to it, in any role.
    pub events: i64,
    /// Distinct articles linked to it, in any role.
    pub articles: i64,
    /// The first and last date of its events.
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// One entity's counts, from its own links.
pub fn counts(conn: &Connection, id: i64) -> Result<Counts> {
    let (events, first_seen, last_seen) = conn
        .prepare_cached(
            "SELECT count(DISTINCT l.event_id), min(e.date), max(e.date) \
             FROM event_entities l JOIN events e ON e.id = l.event_id WHERE l.entity_id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let articles = conn
        .prepare_cached(
            "SELECT count(DISTINCT article_id) FROM article_entities WHERE entity_id = ?1",
        )?
        .query_row([id], |r| r.get(0))?;
    Ok(Counts {
        events,
        articles,
        first_seen,
        last_seen,
    })
}

/// Listing more entities than this counts the links of all entities in one pass instead of
/// entity by entity: following one entity's links reads each event's page at random
/// (25 s for the 7,269 entities of a million generated events), while one pass reads the
/// events and their links in id order (3 s).
const ONE_PASS_FROM: usize = 100;

/// The counts of these entities, by id (entities linked to nothing have none).
pub fn counts_of(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, Counts>> {
    if ids.len() <= ONE_PASS_FROM {
        return ids.iter().map(|&id| Ok((id, counts(conn, id)?))).collect();
    }
    let mut all: HashMap<i64, Counts> = HashMap::new();
    // CROSS JOIN keeps events the outer loop: both tables are read in event id order.
    let mut stmt = conn.prepare(
        "SELECT l.entity_id, count(DISTINCT l.event_id), min(e.date), max(e.date) \
         FROM events e CROSS JOIN event_entities l ON l.event_id = e.id GROUP BY l.entity_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let counts = all.entry(r.get(0)?).or_default();
        counts.events = r.get(1)?;
        counts.first_seen = r.get(2)?;
        counts.last_seen = r.get(3)?;
    }
    let mut stmt = conn.prepare(
        "SELECT entity_id, count(DISTINCT article_id) FROM article_entities GROUP BY entity_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        all.entry(r.get(0)?).or_default().articles = r.get(1)?;
    }
    Ok(all)
}

/// How many figures name this entity as their weapon.
pub fn figures(conn: &Connection, id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM quantities WHERE weapon_id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

/// Every spelling of an entity, its name first, then in order of their keys.
pub fn aliases(conn: &Connection, entity: &Entity) -> Result<Vec<String>> {
    let name_key = fold(&entity.name);
    let mut all: Vec<(String, String)> = conn
        .prepare_cached("SELECT key, alias FROM entity_aliases WHERE entity_id = ?1 ORDER BY key")?
        .query_map([entity.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // Stable: the name's own spelling moves to the front, the rest keep their order.
    all.sort_by_key(|(key, _)| *key != name_key);
    Ok(all.into_iter().map(|(_, alias)| alias).collect())
}

/// The spellings of an entity other than its name.
pub fn other_spellings(conn: &Connection, entity: &Entity) -> Result<Vec<String>> {
    let name_key = fold(&entity.name);
    Ok(aliases(conn, entity)?
        .into_iter()
        .filter(|a| fold(a) != name_key)
        .collect())
}

/// Entities of `kind` (all kinds when None) with a spelling containing `like` (folded; all
/// when None), by kind and then name.
pub fn list(conn: &Connection, kind: Option<&str>, like: Option<&str>) -> Result<Vec<Entity>> {
    let like = like.map(|t| key_of(t, "--like")).transpose()?;
    let sql = format!(
        "SELECT {ENTITY_COLUMNS} FROM entities n WHERE (?1 IS NULL OR n.kind = ?1) \
         AND (?2 IS NULL OR EXISTS (SELECT 1 FROM entity_aliases a \
                                    WHERE a.entity_id = n.id AND instr(a.key, ?2) > 0)) \
         ORDER BY n.kind, n.name, n.id"
    );
    let found = conn
        .prepare(&sql)?
        .query_map(params![kind, like], Entity::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}

/// One event an entity is linked to.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedEvent {
    pub date: String,
    /// The event's external id, or its content key when the file gave none.
    pub event: String,
    pub event_type: Option<String>,
    /// Location, region and country, those given, joined by ", ".
    pub place: Option<String>,
    /// The entity's roles in it, joined by ", ".
    pub roles: String,
}

/// The events an entity is linked to, latest first; at most `limit` (None: all).
pub fn events(conn: &Connection, id: i64, limit: Option<u32>) -> Result<Vec<LinkedEvent>> {
    let limit = limit.map_or(-1, i64::from);
    let rows = conn
        .prepare_cached(
            "SELECT e.date, coalesce(e.external_id, e.key), e.type, e.location, e.region, \
                    e.country, group_concat(l.role, ', ') \
             FROM event_entities l JOIN events e ON e.id = l.event_id WHERE l.entity_id = ?1 \
             GROUP BY e.id ORDER BY e.date DESC, e.id DESC LIMIT ?2",
        )?
        .query_map(params![id, limit], |r| {
            let parts: [Option<String>; 3] = [r.get(3)?, r.get(4)?, r.get(5)?];
            Ok(LinkedEvent {
                date: r.get(0)?,
                event: r.get(1)?,
                event_type: r.get(2)?,
                place: join_places(&parts),
                roles: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Location, region and country as one place, leaving out the empty and repeated.
fn join_places(parts: &[Option<String>]) -> Option<String> {
    let mut kept: Vec<&str> = Vec::new();
    for part in parts.iter().flatten() {
        let part = part.trim();
        if !part.is_empty() && !kept.iter().any(|k| fold(k) == fold(part)) {
            kept.push(part);
        }
    }
    (!kept.is_empty()).then(|| kept.join(", "))
}

/// One article an entity is linked to.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedArticle {
    pub published: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub url: String,
    pub roles: String,
}

/// The articles an entity is linked to, latest first (undated last); at most `limit`.
pub fn articles(conn: &Connection, id: i64, limit: Option<u32>) -> Result<Vec<LinkedArticle>> {
    let limit = limit.map_or(-1, i64::from);
    let rows = conn
        .prepare_cached(
            "SELECT a.published, s.name, a.title, a.url, group_concat(l.role, ', ') \
             FROM article_entities l JOIN articles a ON a.id = l.article_id \
             LEFT JOIN sources s ON s.id = a.source_id WHERE l.entity_id = ?1 \
             GROUP BY a.id ORDER BY a.published IS NULL, a.published DESC, a.id DESC LIMIT ?2",
        )?
        .query_map(params![id, limit], |r| {
            Ok(LinkedArticle {
                published: r.get(0)?,
                source: r.get(1)?,
                title: r.get(2)?,
                url: r.get(3)?,
                roles: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One earlier merge into an entity, as `entity_merges` records it.
#[derive(Debug, Clone, PartialEq)]
pub struct PastMerge {
    pub merged_at: String,
    pub merged_id: i64,
    pub merged_name: String,
    pub moved: Moved,
}

/// The merges into an entity (including those into entities merged into it), oldest first.
pub fn merges(conn: &Connection, id: i64) -> Result<Vec<PastMerge>> {
    let rows = conn
        .prepare_cached(
            "SELECT merged_at, merged_id, merged_name, \
                    ifnull(json_extract(merged, '$.moved.aliases'), 0), \
                    ifnull(json_extract(merged, '$.moved.event_links'), 0), \
                    ifnull(json_extract(merged, '$.moved.event_links_dropped'), 0), \
                    ifnull(json_extract(merged, '$.moved.article_links'), 0), \
                    ifnull(json_extract(merged, '$.moved.article_links_dropped'), 0), \
                    ifnull(json_extract(merged, '$.moved.figures'), 0), \
                    ifnull(json_extract(merged, '$.moved.merges'), 0) \
             FROM entity_merges WHERE kept_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(PastMerge {
                merged_at: r.get(0)?,
                merged_id: r.get(1)?,
                merged_name: r.get(2)?,
                moved: Moved {
                    aliases: r.get(3)?,
                    event_links: r.get(4)?,
                    event_links_dropped: r.get(5)?,
                    article_links: r.get(6)?,
                    article_links_dropped: r.get(7)?,
                    figures: r.get(8)?,
                    merges: r.get(9)?,
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What adding a spelling did.
#[derive(Debug, Clone, PartialEq)]
pub enum AliasOutcome {
    Added,
    /// The spelling already named this entity: nothing changed.
    AlreadyThis,
}

/// Adds a spelling to an entity. Refused when it is empty or already names another
/// entity of the same kind.
pub fn add_alias(conn: &Connection, entity: &Entity, alias: &str) -> Result<AliasOutcome> {
    let key = key_of(alias, "the alias")?;
    let sql = format!(
        "SELECT {ENTITY_COLUMNS} FROM entity_aliases a JOIN entities n ON n.id = a.entity_id \
         WHERE a.kind = ?1 AND a.key = ?2"
    );
    let holder = conn
        .prepare_cached(&sql)?
        .query_row(params![entity.kind, key], Entity::from_row)
        .optional()?;
    match holder {
        Some(h) if h.id == entity.id => Ok(AliasOutcome::AlreadyThis),
        Some(h) => bail!(
            "{alias:?} already names {h}: a spelling names one {kind}; if they are one {kind}, \
             merge them (sitrep entities merge {keep:?} {other:?})",
            kind = kind_words(&entity.kind),
            keep = entity.name,
            other = h.name,
        ),
        None => {
            conn.prepare_cached(
                "INSERT INTO entity_aliases (key, kind, entity_id, alias) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![key, entity.kind, entity.id, alias.trim()])?;
            Ok(AliasOutcome::Added)
        }
    }
}

/// How many of each thing a merge moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moved {
    /// Spellings (the merged entity's name among them).
    pub aliases: i64,
    /// Event links moved to the kept entity.
    pub event_links: i64,
    /// Event links dropped because the kept entity already had that event in that role.
    pub event_links_dropped: i64,
    pub article_links: i64,
    pub article_links_dropped: i64,
    /// Figures whose weapon was the merged entity.
    pub figures: i64,
    /// Earlier merges into the merged entity, now recorded as merges into the kept one.
    pub merges: i64,
}

/// Merges `other` into `keep` (see the module's documentation), inside the caller's
/// transaction; returns what moved. The caller commits, or rolls back for a dry run.
pub fn merge(conn: &Connection, keep: &Entity, other: &Entity) -> Result<Moved> {
    if keep.id == other.id {
        bail!("{keep} cannot be merged into itself");
    }
    if keep.kind != other.kind {
        bail!("cannot merge {other} into {keep}: entities of different kinds are never merged");
    }
    if keep.class != other.class {
        let class = |c: &Option<String>| c.clone().unwrap_or_else(|| "none".to_string());
        bail!(
            "cannot merge {other} (class {}) into {keep} (class {}): a weapon's class decides \
             whether its figures count as drones or missiles, so the merge would change the \
             daily totals; if they are one weapon, give both the same class first (import an \
             entities row naming each with that class), then merge",
            class(&other.class),
            class(&keep.class)
        );
    }
    refuse_figure_conflicts(conn, keep, other)?;

    let mut moved = Moved::default();
    for (table, owner, dropped, kept) in [
        (
            "event_entities",
            "event_id",
            &mut moved.event_links_dropped,
            &mut moved.event_links,
        ),
        (
            "article_entities",
            "article_id",
            &mut moved.article_links_dropped,
            &mut moved.article_links,
        ),
    ] {
        // A link the kept entity has already (same event or article, same role) stays as
        // the kept entity's, with its own raw text.
        *dropped = count(conn.execute(
            &format!(
                "DELETE FROM {table} WHERE entity_id = ?1 AND EXISTS (SELECT 1 FROM {table} k \
                 WHERE k.{owner} = {table}.{owner} AND k.role = {table}.role AND k.entity_id = ?2)"
            ),
            params![other.id, keep.id],
        )?);
        *kept = count(conn.execute(
            &format!("UPDATE {table} SET entity_id = ?2 WHERE entity_id = ?1"),
            params![other.id, keep.id],
        )?);
    }
    moved.figures = count(conn.execute(
        "UPDATE quantities SET weapon_id = ?2 WHERE weapon_id = ?1",
        params![other.id, keep.id],
    )?);
    let spellings: Vec<(String, String)> = conn
        .prepare_cached("SELECT alias, key FROM entity_aliases WHERE entity_id = ?1 ORDER BY key")?
        .query_map([other.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    moved.aliases = count(conn.execute(
        "UPDATE entity_aliases SET entity_id = ?2 WHERE entity_id = ?1",
        params![other.id, keep.id],
    )?);
    moved.merges = count(conn.execute(
        "UPDATE entity_merges SET kept_id = ?2 WHERE kept_id = ?1",
        params![other.id, keep.id],
    )?);

    let record = serde_json::json!({
        "entity": {
            "id": other.id,
            "kind": other.kind,
            "name": other.name,
            "class": other.class,
            "country": other.country,
            "latitude": other.latitude,
            "longitude": other.longitude,
            "description": other.description,
            "import_id": other.import_id,
        },
        "aliases": spellings
            .iter()
            .map(|(alias, key)| serde_json::json!({"alias": alias, "key": key}))
            .collect::<Vec<_>>(),
        "moved": {
            "aliases": moved.aliases,
            "event_links": moved.event_links,
            "event_links_dropped": moved.event_links_dropped,
            "article_links": moved.article_links,
            "article_links_dropped": moved.article_links_dropped,
            "figures": moved.figures,
            "merges": moved.merges,
        },
    });
    conn.execute(
        "INSERT INTO entity_merges (kept_id, kind, merged_id, merged_name, merged, merged_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            keep.id,
            keep.kind,
            other.id,
            other.name,
            record.to_string(),
            super::now_iso()
        ],
    )?;
    conn.execute("DELETE FROM entities WHERE id = ?1", [other.id])?;

    super::rollup::recompute_entities(conn, &[keep.id, other.id])?;
    Ok(moved)
}

fn count(rows: usize) -> i64 {
    i64::try_from(rows).unwrap_or(i64::MAX)
}

/// Refuses a merge of two weapons that one event gives the same figure for: as one weapon
/// they would be one figure, and which value it keeps (or whether they add up) is for a
/// person to decide.
fn refuse_figure_conflicts(conn: &Connection, keep: &Entity, other: &Entity) -> Result<()> {
    let conflicts: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT coalesce(e.external_id, e.key), q.kind FROM quantities q \
             JOIN quantities k ON k.event_id = q.event_id AND k.kind = q.kind AND k.weapon_id = ?2 \
             JOIN events e ON e.id = q.event_id \
             WHERE q.weapon_id = ?1 ORDER BY e.date, e.id, q.kind",
        )?
        .query_map(params![other.id, keep.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if conflicts.is_empty() {
        return Ok(());
    }
    let named: Vec<String> = conflicts
        .iter()
        .take(MAX_CONFLICTS_NAMED)
        .map(|(event, kind)| format!("{event} ({kind})"))
        .collect();
    let more = conflicts.len().saturating_sub(MAX_CONFLICTS_NAMED);
    bail!(
        "cannot merge {other} into {keep}: {} figure(s) of events give a value for both \
         (event {}{}); as one weapon they would be one figure, so correct those events first",
        conflicts.len(),
        named.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

/// Whether a spelling is one a merge moved to this entity: an entities row named by it
/// describes the merged entity, not the kept one (see [`super::write::Writer::entity`]).
pub fn merged_spelling(conn: &Connection, entity_id: i64, key: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM entity_merges m, json_each(m.merged, '$.aliases') a \
             WHERE m.kept_id = ?1 AND json_extract(a.value, '$.key') = ?2 LIMIT 1",
        )?
        .query_row(params![entity_id, key], |_| Ok(()))
        .optional()?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_changes() {
        assert_eq!(edit_distance("kharkif", "kharkiv"), 1);
        assert_eq!(edit_distance("kh101", "kh-101"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("київ", "киів"), 1);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    fn entity(kind: &str, name: &str) -> Entity {
        Entity {
            id: 1,
            kind: kind.into(),
            name: name.into(),
            class: None,
            country: None,
            latitude: None,
            longitude: None,
            description: None,
            import_id: 1,
        }
    }

    #[test]
    fn entities_are_named_by_kind_in_prose() {
        assert_eq!(
            entity("military_unit", "OC East").to_string(),
            "the military unit \"OC East\""
        );
        let two = [entity("person", "A"), entity("place", "B")];
        assert_eq!(list_entities(&two), "the person \"A\" and the place \"B\"");
        assert_eq!(kind_options(&two), "--kind person or --kind place");
        assert_eq!(list_entities(&two[..1]), "the person \"A\"");
    }

    #[test]
    fn places_join_without_blanks_or_repeats() {
        let p = |s: &str| Some(s.to_string());
        assert_eq!(
            join_places(&[p("Kyiv"), None, p("Ukraine")]).as_deref(),
            Some("Kyiv, Ukraine")
        );
        assert_eq!(
            join_places(&[p("Kyiv"), p("kyiv"), p(" ")]).as_deref(),
            Some("Kyiv")
        );
        assert_eq!(join_places(&[None, None, None]), None);
    }

    /// An archive in memory with `entities` places and links from `events` events (some
    /// in two roles), and article links.
    fn linked_archive(entities: i64, events: i64) -> Connection {
        let conn = crate::db::open_fresh_in_memory().unwrap();
        conn.execute_batch(
            "INSERT INTO imports (id, file_name, content_hash, kind, format, started_at, sitrep_version) \
             VALUES (1, 't', 'h', 'events', 'csv', '2025-01-01', 'test');",
        )
        .unwrap();
        for id in 1..=entities {
            conn.execute(
                "INSERT INTO entities (id, kind, name, import_id) VALUES (?1, 'place', ?2, 1)",
                params![id, format!("p{id}")],
            )
            .unwrap();
        }
        for id in 1..=events {
            let date = format!("2025-{:02}-{:02}", 1 + id % 12, 1 + id % 28);
            conn.execute(
                "INSERT INTO events (id, key, date, import_id) VALUES (?1, ?1, ?2, 1)",
                params![id, date],
            )
            .unwrap();
            // Entities by a stride that leaves some unlinked; one of them in two roles.
            for (n, role) in [(id * 7, "actor"), (id * 7, "target"), (id * 3, "location")] {
                let entity = 1 + n % (entities - 10);
                conn.execute(
                    "INSERT OR IGNORE INTO event_entities (event_id, entity_id, role, raw_text) \
                     VALUES (?1, ?2, ?3, 'x')",
                    params![id, entity, role],
                )
                .unwrap();
            }
        }
        for id in 1..=events / 2 {
            conn.execute(
                "INSERT INTO articles (id, url, import_id) VALUES (?1, ?2, 1)",
                params![id, format!("u{id}")],
            )
            .unwrap();
            for role in ["mentioned", "quoted"] {
                conn.execute(
                    "INSERT INTO article_entities (article_id, entity_id, role, raw_text) \
                     VALUES (?1, ?2, ?3, 'x')",
                    params![id, 1 + id * 5 % entities, role],
                )
                .unwrap();
            }
        }
        conn
    }

    #[test]
    fn counts_in_one_pass_are_the_counts_entity_by_entity() {
        let conn = linked_archive(150, 400);
        let ids: Vec<i64> = (1..=150).collect();
        assert!(ids.len() > ONE_PASS_FROM);
        let all = counts_of(&conn, &ids).unwrap();
        let mut linked = 0;
        for id in ids {
            let one = counts(&conn, id).unwrap();
            assert_eq!(
                all.get(&id).cloned().unwrap_or_default(),
                one,
                "entity {id}"
            );
            linked += i64::from(one.events > 0);
        }
        assert!(linked > 100 && linked < 150, "{linked}");
        let few = counts_of(&conn, &[3, 149]).unwrap();
        assert_eq!(few.get(&3), all.get(&3));
        assert_eq!(
            few.get(&149).cloned().unwrap_or_default(),
            Counts::default()
        );
    }

    #[test]
    fn empty_names_are_refused() {
        assert!(key_of("  ", "the alias").is_err());
        assert_eq!(key_of(" Dnípro ", "x").ok().as_deref(), Some("dnipro"));
    }
}

//! Writing what `sitrep extract` finds into the archive, in one transaction: an `imports`
//! row for the run (format `text`), a row in `extractions` for every item with its rule,
//! sentence and span, and the extracted events themselves (dataset `sitrep-extract`).
//!
//! An extracted event is keyed by day, precision, type and place, so that every article
//! reporting the same attack adds to one event instead of counting it again; its figures
//! are, per kind, the largest any of its articles reports (tolls are revised upwards). An
//! article that already has events a person imported gets no extracted events (they
//! would count the same thing twice), only its entities. Running extract again on an
//! article first takes back what the last run found in it, so a re-run changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use rusqlite::{Connection, TransactionBehavior, params};

use super::gazetteer::Gazetteer;
use super::{Article, extract, text};
use crate::db::write::{EventMode, Outcome, Writer};
use crate::import::record::{EntityRef, EventRecord, FigureRecord};

pub const DATASET: &str = "sitrep-extract";

/// Which articles to read.
#[derive(Debug, Clone)]
pub enum Selection {
    Article(String),
    Since(NaiveDate),
    All,
}

/// One item found, for `--dry-run` and the summary.
#[derive(Debug, Clone)]
pub struct Item {
    pub article: String,
    pub item: &'static str,
    pub what: String,
    pub value: Option<i64>,
    pub qualifier: Option<String>,
    pub date: Option<String>,
    pub rule: String,
    pub sentence: usize,
    pub text: String,
}

/// One extracted item as it is recorded: its row in `extractions`.
struct Record<'a> {
    item: &'static str,
    event_key: Option<&'a str>,
    kind: Option<&'a str>,
    value: Option<i64>,
    qualifier: Option<&'a str>,
    side: Option<&'a str>,
    name: Option<&'a str>,
    rule: String,
    evidence: &'a super::Evidence,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub articles: usize,
    /// Articles with events a person imported: only their entities were taken.
    pub coded: usize,
    pub events_added: usize,
    pub events_updated: usize,
    pub events_removed: usize,
    pub figures: usize,
    pub entity_links: usize,
    pub items: Vec<Item>,
}

struct Row {
    id: i64,
    url: String,
    published: Option<String>,
    body: String,
}

fn selected(conn: &Connection, selection: &Selection) -> Result<Vec<Row>> {
    let (filter, arg) = match selection {
        Selection::Article(url) => ("url = ?1", url.clone()),
        Selection::Since(day) => ("published_day >= ?1", day.to_string()),
        Selection::All => ("?1 IS NOT NULL", String::new()),
    };
    let sql = format!(
        "SELECT id, url, published, body FROM articles \
         WHERE placeholder = 0 AND body IS NOT NULL AND {filter} ORDER BY published, id"
    );
    let rows: Vec<Row> = conn
        .prepare(&sql)?
        .query_map([&arg], |r| {
            Ok(Row {
                id: r.get(0)?,
                url: r.get(1)?,
                published: r.get(2)?,
                body: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if let Selection::Article(url) = selection
        && rows.is_empty()
    {
        bail!("no article with the url {url:?} and a body in the archive");
    }
    Ok(rows)
}

/// The name under which the archive knows a gazetteer entity: the canonical name of an
/// entity of that kind that any of the entry's spellings already names (so an archive
/// that calls him "Volodymyr Zelensky" gets no second Zelenskyy), else the gazetteer's name.
fn archive_name(
    tx: &Connection,
    g: &Gazetteer,
    entry: Option<usize>,
    name: &str,
    kind: &str,
) -> Result<String> {
    let Some(entry) = entry.and_then(|e| g.entries.get(e)) else {
        return Ok(name.to_string());
    };
    let mut lookup = tx.prepare_cached(
        "SELECT e.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id \
         WHERE a.kind = ?1 AND a.key = ?2",
    )?;
    for spelling in std::iter::once(&entry.name).chain(&entry.aliases) {
        let key = crate::names::fold(spelling);
        if let Some(known) = lookup
            .query_row(params![kind, key], |r| r.get::<_, String>(0))
            .optional()?
        {
            return Ok(known);
        }
    }
    Ok(name.to_string())
}

/// A hand-coded event of the same type and place as `event`, dated within a week of it.
fn coded_event_nearby(
    tx: &rusqlite::Transaction<'_>,
    event: &crate::extract::Event,
    place: &str,
) -> Result<Option<i64>> {
    if place.is_empty() {
        return Ok(None);
    }
    let day = |offset: i64| (event.date + chrono::Duration::days(offset)).to_string();
    Ok(tx
        .prepare_cached(
            "SELECT id FROM events WHERE dataset <> ?1 AND type = ?2 \
             AND date BETWEEN ?3 AND ?4 AND (location = ?5 OR region = ?5) \
             ORDER BY abs(julianday(date) - julianday(?6)), id LIMIT 1",
        )?
        .query_row(
            params![
                DATASET,
                event.event_type,
                day(-7),
                day(7),
                place,
                event.date.to_string()
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// An extracted event's key: day, precision, type and place; an air attack launched by
/// Ukraine is kept apart from Russia's on the same day.
fn event_key(
    date: NaiveDate,
    precision: &str,
    etype: &str,
    place: &str,
    actor: Option<&str>,
) -> String {
    match actor {
        Some("ukraine") if etype == "air_attack" => {
            format!("{date}|{precision}|{etype}|{place}|by ukraine")
        }
        _ => format!("{date}|{precision}|{etype}|{place}"),
    }
}

/// Runs the extractor over the selected articles and writes (or, in a dry run, only
/// reports) what it finds.
pub fn run(
    conn: &mut Connection,
    selection: &Selection,
    dry_run: bool,
    g: &Gazetteer,
) -> Result<Summary> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO imports (file_name, content_hash, kind, format, started_at, sitrep_version) \
         VALUES ('sitrep extract', '', 'events', 'text', ?1, ?2)",
        params![crate::db::now_iso(), env!("CARGO_PKG_VERSION")],
    )?;
    let import_id = tx.last_insert_rowid();
    let mut summary = Summary::default();
    let mut refresh: BTreeSet<String> = BTreeSet::new();
    {
        let mut writer = Writer::new(&tx, import_id)?;
        for row in selected(&tx, selection)? {
            summary.articles += 1;
            // Take back what an earlier run found in this article.
            let earlier: Vec<String> = tx
                .prepare_cached(
                    "SELECT DISTINCT event_key FROM extractions WHERE article_id = ?1 AND event_key IS NOT NULL",
                )?
                .query_map([row.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            refresh.extend(earlier);
            tx.execute("DELETE FROM extractions WHERE article_id = ?1", [row.id])?;
            let coded: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM event_articles ea JOIN events e ON e.id = ea.event_id \
                 WHERE ea.article_id = ?1 AND e.dataset <> ?2)",
                params![row.id, DATASET],
                |r| r.get(0),
            )?;
            if coded {
                summary.coded += 1;
            }
            let published = row
                .published
                .as_deref()
                .and_then(|p| NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok());
            let Some(published) = published else {
                continue;
            };
            let x = extract(
                &Article {
                    body: &row.body,
                    published,
                },
                g,
            );
            let mut insert = tx.prepare_cached(
                "INSERT INTO extractions (article_id, item, event_key, kind, value, qualifier, side, \
                 name, rule, sentence, span_start, span_end, text, import_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?;
            let mut record = |r: Record<'_>, what: String, date: Option<String>| -> Result<()> {
                let e = r.evidence;
                let chars = |byte: usize| text::char_offset(&row.body, byte) as i64;
                insert.execute(params![
                    row.id,
                    r.item,
                    r.event_key,
                    r.kind,
                    r.value,
                    r.qualifier,
                    r.side,
                    r.name,
                    r.rule,
                    e.sentence as i64,
                    chars(e.start),
                    chars(e.end),
                    e.text,
                    import_id
                ])?;
                summary.items.push(Item {
                    article: row.url.clone(),
                    item: r.item,
                    what,
                    value: r.value,
                    qualifier: r
                        .qualifier
                        .filter(|_| r.item == "figure")
                        .map(str::to_string),
                    date,
                    rule: r.rule,
                    sentence: e.sentence,
                    text: e.text.clone(),
                });
                Ok(())
            };
            if !coded {
                for event in &x.events {
                    let place = event.place.as_ref().map(|p| p.name.as_str()).unwrap_or("");
                    // Talks, a capture or an evacuation a person already coded (same type and
                    // place, within a week): the article is linked to that event instead.
                    if event.figures.is_empty()
                        && let Some(id) = coded_event_nearby(&tx, event, place)?
                    {
                        tx.prepare_cached(
                            "INSERT OR IGNORE INTO event_articles (event_id, article_id) \
                             VALUES (?1, ?2)",
                        )?
                        .execute(params![id, row.id])?;
                        continue;
                    }
                    let key = event_key(
                        event.date,
                        event.precision,
                        event.event_type,
                        place,
                        event.actor,
                    );
                    let event_record = Record {
                        item: "event",
                        event_key: Some(&key),
                        kind: Some(event.precision),
                        value: None,
                        qualifier: None,
                        side: event.actor,
                        name: Some(event.event_type),
                        rule: format!("{}+{}", event.evidence.rule, event.date_rule),
                        evidence: &event.evidence,
                    };
                    let when = format!("{} ({})", event.date, event.precision);
                    let what = if place.is_empty() {
                        event.event_type.to_string()
                    } else {
                        format!("{} at {place}", event.event_type)
                    };
                    record(event_record, what, Some(when))?;
                    for f in &event.figures {
                        let figure = Record {
                            item: "figure",
                            event_key: Some(&key),
                            kind: Some(&f.kind),
                            value: f.value,
                            qualifier: Some(f.qualifier),
                            side: f.side,
                            name: None,
                            rule: f.evidence.rule.clone(),
                            evidence: &f.evidence,
                        };
                        record(figure, f.kind.clone(), Some(event.date.to_string()))?;
                        summary.figures += 1;
                    }
                    refresh.insert(key);
                }
            }
            let mut seen = BTreeSet::new();
            for entity in &x.entities {
                let first = seen.insert((entity.name.clone(), entity.kind));
                let entity_record = Record {
                    item: "entity",
                    event_key: None,
                    kind: Some(entity.kind),
                    value: None,
                    qualifier: None,
                    side: None,
                    name: Some(&entity.name),
                    rule: entity.evidence.rule.clone(),
                    evidence: &entity.evidence,
                };
                let what = format!("{} ({})", entity.name, entity.kind);
                record(entity_record, what, None)?;
                if first {
                    let name = archive_name(&tx, g, entity.entry, &entity.name, entity.kind)?;
                    let (_, added) = writer.mention(row.id, &name, entity.kind)?;
                    summary.entity_links += usize::from(added);
                }
            }
            writer.row_done()?;
        }
        for key in &refresh {
            match rebuild_event(&tx, &mut writer, key, g)? {
                Some(Outcome::Added) => summary.events_added += 1,
                Some(Outcome::Updated) => summary.events_updated += 1,
                Some(Outcome::Unchanged) => {}
                None => {
                    if writer.delete_event(DATASET, key)? {
                        summary.events_removed += 1;
                    }
                }
            }
            writer.row_done()?;
        }
        writer.finish()?;
    }
    tx.execute(
        "UPDATE imports SET finished_at = ?2, rows_added = ?3, rows_updated = ?4 WHERE id = ?1",
        params![
            import_id,
            crate::db::now_iso(),
            summary.events_added as i64,
            summary.events_updated as i64
        ],
    )?;
    if dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
    }
    Ok(summary)
}

/// Writes the extracted event with this key from every article's extractions, or returns
/// None when no article yields it any more.
fn rebuild_event(
    tx: &Connection,
    writer: &mut Writer<'_>,
    key: &str,
    g: &Gazetteer,
) -> Result<Option<Outcome>> {
    let mut parts = key.splitn(4, '|');
    let (Some(date), Some(precision), Some(etype), Some(place)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        bail!("malformed extracted event key {key:?}");
    };
    let urls: Vec<String> = tx
        .prepare_cached(
            "SELECT DISTINCT a.url FROM extractions x JOIN articles a ON a.id = x.article_id \
             WHERE x.event_key = ?1 ORDER BY a.url",
        )?
        .query_map([key], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if urls.is_empty() {
        return Ok(None);
    }
    // Per kind, the largest value any article reports (a vague count when none has a value).
    let rows: Vec<(String, Option<i64>, String, Option<String>)> = tx
        .prepare_cached(
            "SELECT kind, value, qualifier, side FROM extractions WHERE event_key = ?1 AND item = 'figure'",
        )?
        .query_map([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut best: BTreeMap<String, (Option<i64>, String)> = BTreeMap::new();
    // Actors: the side a sentence names as attacking, and the side that launched.
    let mut sides: BTreeSet<String> = tx
        .prepare_cached(
            "SELECT DISTINCT side FROM extractions WHERE event_key = ?1 AND item = 'event' \
             AND side IS NOT NULL",
        )?
        .query_map([key], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, value, qualifier, side) in rows {
        if kind.ends_with("launched") {
            sides.extend(side);
        }
        let slot = best.entry(kind).or_insert((value, qualifier.clone()));
        if value > slot.0 {
            *slot = (value, qualifier);
        }
    }
    let figures = best
        .into_iter()
        .map(|(kind, (value, qualifier))| FigureRecord {
            kind,
            value,
            low: None,
            high: None,
            qualifier: static_qualifier(&qualifier),
            weapon: None,
            inconsistent: false,
        })
        .collect();
    let found = g.lookup(place, Some("place"));
    let entry = found.map(|e| &g.entries[e]);
    let mut links = Vec::new();
    if !place.is_empty() {
        links.push((
            "location".to_string(),
            vec![EntityRef {
                name: archive_name(tx, g, found, place, "place")?,
                kind: Some("place".into()),
                role: "location".into(),
            }],
        ));
    }
    let actors: Vec<EntityRef> = sides
        .iter()
        .map(|s| EntityRef {
            name: if s == "russia" {
                "Russian Armed Forces"
            } else {
                "Armed Forces of Ukraine"
            }
            .to_string(),
            kind: Some("organisation".into()),
            role: "actor".into(),
        })
        .collect();
    if !actors.is_empty() {
        links.push(("actor".to_string(), actors));
    }
    let rec = EventRecord {
        dataset: DATASET.to_string(),
        external_id: Some(key.to_string()),
        given_key: None,
        date: date.to_string(),
        end_date: None,
        precision: if precision == "week" { "week" } else { "day" },
        time_start: None,
        time_end: None,
        event_type: Some(etype.to_string()),
        subtype: None,
        country: entry.map(|e| e.country.clone()).filter(|c| !c.is_empty()),
        region: entry.map(|e| e.region.clone()).filter(|r| !r.is_empty()),
        location: (!place.is_empty()).then(|| place.to_string()),
        latitude: None,
        longitude: None,
        source: None,
        notes: Some(format!(
            "extracted by sitrep extract from {} article(s)",
            urls.len()
        )),
        version: None,
        extra: None,
        links,
        article_urls: urls,
        cited: Vec::new(),
        figures,
        figures_complete: true,
        cleared: Vec::new(),
        new_kinds: Vec::new(),
        absent: Vec::new(),
        line: 0,
    };
    let outcome = writer.event(&rec, EventMode::OneRowEach)?;
    // Articles that no longer report this event lose their link to it.
    let unlinked = tx
        .prepare_cached(
            "DELETE FROM event_articles WHERE event_id = \
             (SELECT id FROM events WHERE dataset = ?1 AND key = ?2) AND article_id NOT IN \
             (SELECT article_id FROM extractions WHERE event_key = ?2)",
        )?
        .execute(params![DATASET, key])?;
    Ok(Some(if unlinked > 0 && outcome == Outcome::Unchanged {
        Outcome::Updated
    } else {
        outcome
    }))
}

fn static_qualifier(q: &str) -> &'static str {
    match q {
        "at_least" => "at_least",
        "more_than" => "more_than",
        "at_most" => "at_most",
        "less_than" => "less_than",
        "about" => "about",
        "dozens" => "dozens",
        "hundreds" => "hundreds",
        "thousands" => "thousands",
        "several" => "several",
        _ => "exact",
    }
}

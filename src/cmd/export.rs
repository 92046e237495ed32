//! `sitrep export`: articles, events or entities written in the shapes `import` reads, so
//! that exporting and importing into a fresh archive loses nothing.
//!
//! CSV keeps one row per record: lists are `;`-joined, figures without a weapon are
//! columns named by their kind, and what does not fit a cell (figures with a weapon,
//! article and event entity links) is a JSON array in a `figures` or `entities` cell.
//! JSON and NDJSON carry the same as nested arrays.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::{Connection, params};
use serde_json::{Map, Value, json};

use crate::cli::{ExportArgs, ExportFormat, RecordKind};
use crate::db;
use crate::import::value::{Figure, Qualifier};

pub fn run(db_path: &Path, args: &ExportArgs) -> Result<()> {
    let conn = db::open_ro(db_path)?;
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut sink = Sink::new(args.format, BufWriter::new(out));
    match args.kind {
        RecordKind::Articles => articles(&conn, &mut sink)?,
        RecordKind::Events => events(&conn, &mut sink)?,
        RecordKind::Entities => entities(&conn, &mut sink)?,
    }
    sink.finish()
}

/// Writes records, each an ordered list of (column, value), in one format.
struct Sink<W: Write> {
    format: ExportFormat,
    /// The output, until CSV output takes it over.
    out: Option<W>,
    csv: Option<csv::Writer<W>>,
    columns: Vec<String>,
    rows: u64,
}

impl<W: Write> Sink<W> {
    fn new(format: ExportFormat, out: W) -> Sink<W> {
        Sink {
            format,
            out: Some(out),
            csv: None,
            columns: Vec::new(),
            rows: 0,
        }
    }

    /// Declares the columns; CSV output starts with them as its header row.
    fn start(&mut self, columns: &[&str]) -> Result<()> {
        self.columns = columns.iter().map(|c| c.to_string()).collect();
        if self.format == ExportFormat::Csv
            && let Some(out) = self.out.take()
        {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(&self.columns)?;
            self.csv = Some(w);
        }
        Ok(())
    }

    fn record(&mut self, record: &[(String, Value)]) -> Result<()> {
        if let Some(w) = self.csv.as_mut() {
            let cells = self.columns.iter().map(|c| {
                record
                    .iter()
                    .find(|(k, _)| k == c)
                    .map_or_else(String::new, |(_, v)| cell_text(v))
            });
            w.write_record(cells)?;
        } else if let Some(out) = self.out.as_mut() {
            let mut obj = Map::new();
            for (k, v) in record {
                if !v.is_null() {
                    obj.insert(k.clone(), v.clone());
                }
            }
            if self.format == ExportFormat::Json {
                out.write_all(if self.rows == 0 { b"[\n" } else { b",\n" })?;
            }
            serde_json::to_writer(&mut *out, &Value::Object(obj))?;
            if self.format == ExportFormat::Ndjson {
                out.write_all(b"\n")?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        if let Some(mut w) = self.csv.take() {
            w.flush()?;
        }
        if let Some(mut out) = self.out.take() {
            if self.format == ExportFormat::Json {
                out.write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })?;
            }
            out.flush()?;
        }
        Ok(())
    }
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        // A list is `;`-joined, unless an item holds a `;`: then it is a JSON array.
        Value::Array(items)
            if items
                .iter()
                .all(|i| i.as_str().is_some_and(|s| !s.contains(';'))) =>
        {
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(";")
        }
        Value::Array(items) if items.is_empty() => String::new(),
        other => other.to_string(),
    }
}

/// A stored JSON object (text) as a value; NULL when absent.
fn json_object(text: Option<String>) -> Value {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null)
}

fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map_or(Value::Null, Into::into)
}

fn strings(list: Vec<String>) -> Value {
    Value::Array(list.into_iter().map(Value::String).collect())
}

/// A stored figure as the text `import` reads back.
fn figure_text(value: Option<i64>, low: Option<i64>, high: Option<i64>, qualifier: &str) -> String {
    let figure = Figure {
        value,
        low,
        high,
        qualifier: Qualifier::parse(qualifier).unwrap_or(Qualifier::Exact),
    };
    figure.to_string()
}

fn articles<W: Write>(conn: &Connection, sink: &mut Sink<W>) -> Result<()> {
    let columns = [
        "url",
        "title",
        "published",
        "source",
        "author",
        "language",
        "body",
        "entities",
        "extra",
    ];
    sink.start(&columns)?;
    let mut links = conn.prepare(
        "SELECT l.raw_text, n.kind, l.role FROM article_entities l \
         JOIN entities n ON n.id = l.entity_id WHERE l.article_id = ?1 ORDER BY l.role, l.raw_text",
    )?;
    let mut stmt = conn.prepare(
        "SELECT a.id, a.url, a.title, a.published, s.name, a.author, a.language, a.body, a.extra \
         FROM articles a LEFT JOIN sources s ON s.id = a.source_id ORDER BY a.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let entities: Vec<Value> = links
            .query_map([id], |l| {
                Ok(json!({"name": l.get::<_, String>(0)?, "kind": l.get::<_, String>(1)?, "role": l.get::<_, String>(2)?}))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let record = vec![
            ("url".to_string(), Value::String(r.get(1)?)),
            ("title".to_string(), opt(r.get::<_, Option<String>>(2)?)),
            ("published".to_string(), opt(r.get::<_, Option<String>>(3)?)),
            ("source".to_string(), opt(r.get::<_, Option<String>>(4)?)),
            ("author".to_string(), opt(r.get::<_, Option<String>>(5)?)),
            ("language".to_string(), opt(r.get::<_, Option<String>>(6)?)),
            ("body".to_string(), opt(r.get::<_, Option<String>>(7)?)),
            (
                "entities".to_string(),
                if entities.is_empty() {
                    Value::Null
                } else {
                    Value::Array(entities)
                },
            ),
            ("extra".to_string(), json_object(r.get(8)?)),
        ];
        sink.record(&record)?;
    }
    Ok(())
}

fn entities<W: Write>(conn: &Connection, sink: &mut Sink<W>) -> Result<()> {
    let columns = [
        "name",
        "kind",
        "aliases",
        "class",
        "country",
        "latitude",
        "longitude",
        "description",
    ];
    sink.start(&columns)?;
    let mut aliases = conn.prepare(
        "SELECT alias FROM entity_aliases WHERE entity_id = ?1 AND key <> ?2 ORDER BY alias",
    )?;
    let mut stmt = conn.prepare(
        "SELECT id, name, kind, class, country, latitude, longitude, description \
         FROM entities ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let name: String = r.get(1)?;
        let list: Vec<String> = aliases
            .query_map(params![id, crate::names::fold(&name)], |a| a.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let record = vec![
            ("name".to_string(), Value::String(name)),
            ("kind".to_string(), Value::String(r.get(2)?)),
            (
                "aliases".to_string(),
                if list.is_empty() {
                    Value::Null
                } else {
                    strings(list)
                },
            ),
            ("class".to_string(), opt(r.get::<_, Option<String>>(3)?)),
            ("country".to_string(), opt(r.get::<_, Option<String>>(4)?)),
            ("latitude".to_string(), opt(r.get::<_, Option<f64>>(5)?)),
            ("longitude".to_string(), opt(r.get::<_, Option<f64>>(6)?)),
            (
                "description".to_string(),
                opt(r.get::<_, Option<String>>(7)?),
            ),
        ];
        sink.record(&record)?;
    }
    Ok(())
}

fn events<W: Write>(conn: &Connection, sink: &mut Sink<W>) -> Result<()> {
    // Figure kinds used without a weapon become columns (CSV) in the kinds' order.
    let flat_kinds: Vec<(String, bool)> = conn
        .prepare(
            "SELECT DISTINCT q.kind, k.description = ?1 FROM quantities q \
             JOIN figure_kinds k ON k.name = q.kind \
             WHERE q.weapon_id IS NULL AND q.low IS NULL AND q.high IS NULL ORDER BY q.kind",
        )?
        .query_map([crate::db::write::ADDED_KIND_DESCRIPTION], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut columns: Vec<&str> = vec![
        "event_id",
        "dataset",
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
        "actors",
        "targets",
        "weapon",
        "article_url",
        "source",
        "notes",
        "version",
        "extra",
    ];
    let flat_headers: Vec<String> = flat_kinds
        .iter()
        .map(|(kind, added)| {
            // Kinds a fresh archive does not know are marked so `import` registers them.
            if *added {
                format!("figure:{kind}")
            } else {
                kind.clone()
            }
        })
        .collect();
    columns.extend(flat_headers.iter().map(String::as_str));
    columns.push("figures");
    columns.push("entities");
    sink.start(&columns)?;

    let mut links = conn.prepare(
        "SELECT l.role, l.raw_text, n.kind FROM event_entities l \
         JOIN entities n ON n.id = l.entity_id WHERE l.event_id = ?1 ORDER BY l.role, l.raw_text",
    )?;
    let mut urls = conn.prepare(
        "SELECT a.url FROM event_articles ea JOIN articles a ON a.id = ea.article_id \
         WHERE ea.event_id = ?1 ORDER BY a.url",
    )?;
    let mut figures = conn.prepare(
        "SELECT q.kind, q.value, q.low, q.high, q.qualifier, w.name FROM quantities q \
         LEFT JOIN entities w ON w.id = q.weapon_id WHERE q.event_id = ?1 ORDER BY q.kind, w.name",
    )?;
    let mut stmt = conn.prepare(
        "SELECT e.id, e.external_id, e.key, e.dataset, e.date, e.end_date, e.date_precision, \
         e.time_start, e.time_end, e.type, e.subtype, e.country, e.region, e.location, \
         e.latitude, e.longitude, s.name, e.notes, e.version, e.extra \
         FROM events e LEFT JOIN sources s ON s.id = e.source_id ORDER BY e.id",
    )?;
    let flat = sink.format == ExportFormat::Csv;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let external: Option<String> = r.get(1)?;
        let key: String = r.get(2)?;
        let dataset: String = r.get(3)?;
        let mut by_role: Vec<(String, Vec<String>)> = Vec::new();
        let mut other_links = Vec::new();
        let mut l = links.query([id])?;
        while let Some(link) = l.next()? {
            let role: String = link.get(0)?;
            let raw: String = link.get(1)?;
            match role.as_str() {
                "actor" | "target" | "weapon" => {
                    match by_role.iter_mut().find(|(r, _)| *r == role) {
                        Some((_, list)) => list.push(raw),
                        None => by_role.push((role, vec![raw])),
                    }
                }
                "location" => {}
                _ => other_links
                    .push(json!({"name": raw, "kind": link.get::<_, String>(2)?, "role": role})),
            }
        }
        let role = |name: &str| {
            by_role
                .iter()
                .find(|(r, _)| r == name)
                .map_or(Value::Null, |(_, list)| strings(list.clone()))
        };
        let article_urls: Vec<String> = urls
            .query_map([id], |u| u.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut record = vec![
            // An event without an external id is exported under its content key, which
            // `import` reads back as the key rather than as an id.
            (
                "event_id".to_string(),
                Value::String(external.unwrap_or(key)),
            ),
            (
                "dataset".to_string(),
                if dataset.is_empty() {
                    Value::Null
                } else {
                    Value::String(dataset)
                },
            ),
            ("date".to_string(), Value::String(r.get(4)?)),
            ("end_date".to_string(), opt(r.get::<_, Option<String>>(5)?)),
            ("date_precision".to_string(), Value::String(r.get(6)?)),
            (
                "time_start".to_string(),
                opt(r.get::<_, Option<String>>(7)?),
            ),
            ("time_end".to_string(), opt(r.get::<_, Option<String>>(8)?)),
            ("type".to_string(), opt(r.get::<_, Option<String>>(9)?)),
            ("subtype".to_string(), opt(r.get::<_, Option<String>>(10)?)),
            ("country".to_string(), opt(r.get::<_, Option<String>>(11)?)),
            ("region".to_string(), opt(r.get::<_, Option<String>>(12)?)),
            ("location".to_string(), opt(r.get::<_, Option<String>>(13)?)),
            ("latitude".to_string(), opt(r.get::<_, Option<f64>>(14)?)),
            ("longitude".to_string(), opt(r.get::<_, Option<f64>>(15)?)),
            ("actors".to_string(), role("actor")),
            ("targets".to_string(), role("target")),
            ("weapon".to_string(), role("weapon")),
            (
                "article_url".to_string(),
                if article_urls.is_empty() {
                    Value::Null
                } else {
                    strings(article_urls)
                },
            ),
            ("source".to_string(), opt(r.get::<_, Option<String>>(16)?)),
            ("notes".to_string(), opt(r.get::<_, Option<String>>(17)?)),
            ("version".to_string(), opt(r.get::<_, Option<i64>>(18)?)),
            ("extra".to_string(), json_object(r.get(19)?)),
        ];
        let mut nested = Vec::new();
        let mut f = figures.query([id])?;
        while let Some(fig) = f.next()? {
            let kind: String = fig.get(0)?;
            let (low, high): (Option<i64>, Option<i64>) = (fig.get(2)?, fig.get(3)?);
            let text = figure_text(fig.get(1)?, None, None, &fig.get::<_, String>(4)?);
            let weapon: Option<String> = fig.get(5)?;
            if flat && weapon.is_none() && low.is_none() && high.is_none() {
                let header = flat_kinds
                    .iter()
                    .position(|(k, _)| *k == kind)
                    .and_then(|i| flat_headers.get(i))
                    .cloned()
                    .unwrap_or(kind);
                record.push((header, Value::String(text)));
                continue;
            }
            let mut obj = Map::new();
            obj.insert("kind".into(), Value::String(kind));
            if !text.is_empty() {
                obj.insert("value".into(), Value::String(text));
            }
            if let Some(low) = low {
                obj.insert("low".into(), Value::from(low));
            }
            if let Some(high) = high {
                obj.insert("high".into(), Value::from(high));
            }
            if let Some(w) = weapon {
                obj.insert("weapon".into(), Value::String(w));
            }
            nested.push(Value::Object(obj));
        }
        record.push((
            "figures".to_string(),
            if nested.is_empty() {
                Value::Null
            } else {
                Value::Array(nested)
            },
        ));
        record.push((
            "entities".to_string(),
            if other_links.is_empty() {
                Value::Null
            } else {
                Value::Array(other_links)
            },
        ));
        sink.record(&record)?;
    }
    Ok(())
}

//! `sitrep entities list|show|alias|merge`: the entities of an archive, one entity in
//! full, a new spelling, and the merge of two entities into one. The SQL lives in
//! [`crate::db::entities`]; this module resolves arguments and prints.
//!
//! `show` prints sections — `entity` (field and value), `aliases`, `events`, `articles`,
//! `merges` — each as its own table (with a title line, sections apart by a blank line)
//! in the text formats (table, markdown, csv, tsv), and as one object keyed by section
//! name in json (ndjson: the same object on one line), where `entity` is an object and
//! the other sections arrays of row objects with the columns' names.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Result, bail};
use rusqlite::{Connection, TransactionBehavior};

use crate::cli::{
    EntitiesAliasArgs, EntitiesListArgs, EntitiesMergeArgs, EntitiesShowArgs, EntityKind,
};
use crate::db::{self, entities};
use crate::output::{self, Cell, Format};

fn kind_str(kind: Option<EntityKind>) -> Option<&'static str> {
    kind.map(EntityKind::as_str)
}

fn text(value: &Option<String>) -> Cell {
    value.clone().map_or(Cell::Null, Cell::Text)
}

pub fn list(db_path: &Path, args: &EntitiesListArgs) -> Result<()> {
    let conn = db::open_ro(db_path)?;
    let found = entities::list(&conn, kind_str(args.kind), args.like.as_deref())?;
    let mut out = super::stdout_writer(args.format.format);
    let columns: Vec<String> = [
        "id",
        "kind",
        "name",
        "aliases",
        "events",
        "articles",
        "first_seen",
        "last_seen",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    out.begin(&columns)?;
    let ids: Vec<i64> = found.iter().map(|e| e.id).collect();
    let counts = entities::counts_of(&conn, &ids)?;
    let none = entities::Counts::default();
    for entity in &found {
        let counts = counts.get(&entity.id).unwrap_or(&none);
        let spellings = entities::other_spellings(&conn, entity)?;
        out.row(&[
            Cell::Int(entity.id),
            Cell::Text(entity.kind.clone()),
            Cell::Text(entity.name.clone()),
            Cell::Text(spellings.join("; ")),
            Cell::Int(counts.events),
            Cell::Int(counts.articles),
            text(&counts.first_seen),
            text(&counts.last_seen),
        ])?;
    }
    out.finish()?;
    Ok(())
}

/// One section of `show`: a titled table.
struct Section {
    name: &'static str,
    /// The title line of the text formats (the name, with counts when cut short).
    title: String,
    columns: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
    /// A field/value section: one object in json.
    fields: bool,
}

pub fn show(db_path: &Path, args: &EntitiesShowArgs) -> Result<()> {
    let conn = db::open_ro(db_path)?;
    let entity = entities::find(&conn, &args.name, kind_str(args.kind))?;
    let limit = (args.limit > 0).then_some(args.limit);
    let sections = show_sections(&conn, &entity, limit)?;
    let format = args
        .format
        .format
        .unwrap_or_else(|| output::default_format(std::io::stdout().is_terminal()));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        Format::Json | Format::Ndjson => {
            let object = sections_json(&sections);
            if format == Format::Json {
                serde_json::to_writer_pretty(&mut out, &object)?;
            } else {
                serde_json::to_writer(&mut out, &object)?;
            }
            writeln!(out)?;
        }
        Format::Table | Format::Markdown | Format::Csv | Format::Tsv => {
            for (i, section) in sections.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                match format {
                    Format::Markdown => writeln!(out, "### {}\n", section.title)?,
                    _ => writeln!(out, "{}", section.title)?,
                }
                let mut writer = output::writer(format, Box::new(&mut out));
                let columns: Vec<String> = section.columns.iter().map(|c| c.to_string()).collect();
                writer.begin(&columns)?;
                for row in &section.rows {
                    writer.row(row)?;
                }
                writer.finish()?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// A list section's title: its name and how many rows, "(50 of 1234)" when cut short.
fn list_title(name: &str, shown: usize, total: i64) -> String {
    let shown = i64::try_from(shown).unwrap_or(i64::MAX);
    if shown < total {
        format!("{name} ({shown} of {total}, latest first; --limit 0 shows all)")
    } else {
        format!("{name} ({total})")
    }
}

fn show_sections(
    conn: &Connection,
    entity: &entities::Entity,
    limit: Option<u32>,
) -> Result<Vec<Section>> {
    let counts = entities::counts(conn, entity.id)?;
    let real = |v: Option<f64>| v.map_or(Cell::Null, Cell::Real);
    // Only weapons have a class, and only weapons are the weapon of figures.
    let weapon = entity.kind == "weapon";
    let fields: Vec<Vec<Cell>> = [
        ("id", Cell::Int(entity.id), true),
        ("kind", Cell::from(entity.kind.as_str()), true),
        ("name", Cell::from(entity.name.as_str()), true),
        ("class", text(&entity.class), weapon),
        ("country", text(&entity.country), true),
        ("latitude", real(entity.latitude), true),
        ("longitude", real(entity.longitude), true),
        ("description", text(&entity.description), true),
        ("events", Cell::Int(counts.events), true),
        ("articles", Cell::Int(counts.articles), true),
        (
            "figures",
            Cell::Int(entities::figures(conn, entity.id)?),
            weapon,
        ),
        ("first_seen", text(&counts.first_seen), true),
        ("last_seen", text(&counts.last_seen), true),
    ]
    .into_iter()
    .filter(|(_, _, shown)| *shown)
    .map(|(field, value, _)| vec![Cell::from(field), value])
    .collect();
    let aliases: Vec<Vec<Cell>> = entities::aliases(conn, entity)?
        .into_iter()
        .map(|a| vec![Cell::Text(a)])
        .collect();
    let events: Vec<Vec<Cell>> = entities::events(conn, entity.id, limit)?
        .into_iter()
        .map(|e| {
            vec![
                Cell::Text(e.date),
                Cell::Text(e.event),
                text(&e.event_type),
                text(&e.place),
                Cell::Text(e.roles),
            ]
        })
        .collect();
    let articles: Vec<Vec<Cell>> = entities::articles(conn, entity.id, limit)?
        .into_iter()
        .map(|a| {
            vec![
                text(&a.published),
                text(&a.source),
                text(&a.title),
                Cell::Text(a.url),
                Cell::Text(a.roles),
            ]
        })
        .collect();
    let merges: Vec<Vec<Cell>> = entities::merges(conn, entity.id)?
        .into_iter()
        .map(|m| {
            vec![
                Cell::Text(m.merged_at),
                Cell::Int(m.merged_id),
                Cell::Text(m.merged_name),
                Cell::Int(m.moved.aliases),
                Cell::Int(m.moved.event_links),
                Cell::Int(m.moved.article_links),
                Cell::Int(m.moved.figures),
            ]
        })
        .collect();
    Ok(vec![
        Section {
            name: "entity",
            title: "entity".into(),
            columns: &["field", "value"],
            rows: fields,
            fields: true,
        },
        Section {
            name: "aliases",
            title: format!("aliases ({})", aliases.len()),
            columns: &["alias"],
            rows: aliases,
            fields: false,
        },
        Section {
            name: "events",
            title: list_title("events", events.len(), counts.events),
            columns: &["date", "event", "type", "place", "roles"],
            rows: events,
            fields: false,
        },
        Section {
            name: "articles",
            title: list_title("articles", articles.len(), counts.articles),
            columns: &["published", "source", "title", "url", "roles"],
            rows: articles,
            fields: false,
        },
        Section {
            name: "merges",
            title: format!("merges ({})", merges.len()),
            columns: &[
                "merged_at",
                "merged_id",
                "merged_name",
                "aliases",
                "event_links",
                "article_links",
                "figures",
            ],
            rows: merges,
            fields: false,
        },
    ])
}

fn cell_json(cell: &Cell) -> serde_json::Value {
    use serde_json::Value;
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(i) => Value::from(*i),
        Cell::Real(r) => serde_json::Number::from_f64(*r).map_or(Value::Null, Value::Number),
        Cell::Text(t) => Value::from(t.as_str()),
    }
}

/// The sections as one JSON object (see the module's documentation).
fn sections_json(sections: &[Section]) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut object = Map::new();
    for section in sections {
        let value = if section.fields {
            let fields: Map<String, Value> = section
                .rows
                .iter()
                .filter_map(|row| match row.as_slice() {
                    [Cell::Text(field), value] => Some((field.clone(), cell_json(value))),
                    _ => None,
                })
                .collect();
            Value::Object(fields)
        } else {
            Value::Array(
                section
                    .rows
                    .iter()
                    .map(|row| {
                        Value::Object(
                            section
                                .columns
                                .iter()
                                .zip(row)
                                .map(|(c, v)| (c.to_string(), cell_json(v)))
                                .collect(),
                        )
                    })
                    .collect(),
            )
        };
        object.insert(section.name.to_string(), value);
    }
    Value::Object(object)
}

pub fn alias(db_path: &Path, args: &EntitiesAliasArgs) -> Result<()> {
    let mut conn = db::open_rw_existing(db_path)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let entity = entities::find(&tx, &args.name, kind_str(args.kind))?;
    let outcome = entities::add_alias(&tx, &entity, &args.alias)?;
    // Names of other kinds that this spelling names too: a name given without a kind
    // (actors and targets of events) now has more than one entity to resolve to.
    let elsewhere: Vec<entities::Entity> = entities::named(&tx, &args.alias)?
        .into_iter()
        .filter(|e| e.kind != entity.kind)
        .collect();
    tx.commit()?;
    let mut out = std::io::stdout().lock();
    match outcome {
        entities::AliasOutcome::Added => writeln!(
            out,
            "added {:?} as a spelling of {entity}",
            args.alias.trim()
        )?,
        entities::AliasOutcome::AlreadyThis => writeln!(
            out,
            "{:?} already names {entity}: nothing changed",
            args.alias.trim()
        )?,
    }
    for other in elsewhere {
        eprintln!(
            "sitrep: warning: {:?} also names {other}; imports that give the name without a \
             kind (actors, targets) pick one kind by the role",
            args.alias.trim()
        );
    }
    Ok(())
}

pub fn merge(db_path: &Path, args: &EntitiesMergeArgs) -> Result<()> {
    let mut conn = db::open_rw_existing(db_path)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (keep, other) = entities::find_pair(&tx, &args.keep, &args.other, kind_str(args.kind))?;
    if keep.id == other.id {
        bail!(
            "{:?} and {:?} both name {keep}: nothing to merge",
            args.keep,
            args.other
        );
    }
    let spellings = entities::aliases(&tx, &other)?;
    let moved = entities::merge(&tx, &keep, &other)?;
    let after = entities::counts(&tx, keep.id)?;
    if args.dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
    }
    let mut out = std::io::stdout().lock();
    let verb = if args.dry_run {
        "dry run: would merge"
    } else {
        "merged"
    };
    writeln!(
        out,
        "{verb} {other} (id {}) into {keep} (id {})",
        other.id, keep.id
    )?;
    writeln!(
        out,
        "  spellings:      {} ({})",
        moved.aliases,
        spellings.join("; ")
    )?;
    writeln!(
        out,
        "  event links:    {} moved, {} dropped (the same event and role were linked to both)",
        moved.event_links, moved.event_links_dropped
    )?;
    writeln!(
        out,
        "  article links:  {} moved, {} dropped (the same article and role were linked to both)",
        moved.article_links, moved.article_links_dropped
    )?;
    if keep.kind == "weapon" {
        writeln!(out, "  figures:        {} moved", moved.figures)?;
    }
    if moved.merges > 0 {
        writeln!(out, "  earlier merges: {} moved", moved.merges)?;
    }
    writeln!(
        out,
        "{keep} {} {} events and {} articles, first seen {}, last seen {}",
        if args.dry_run {
            "would have"
        } else {
            "now has"
        },
        after.events,
        after.articles,
        after.first_seen.as_deref().unwrap_or("-"),
        after.last_seen.as_deref().unwrap_or("-"),
    )?;
    if args.dry_run {
        writeln!(out, "nothing was changed (dry run)")?;
    }
    Ok(())
}

//! Importing files into the archive: one transaction per file, rows read by
//! [`source`], resolved by [`fields`], built into typed records by [`record`] (values
//! parsed by [`value`]) and written by [`crate::db::write`].

pub mod fields;
pub mod record;
pub mod row;
pub mod source;
pub mod value;

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, TransactionBehavior, params};

use crate::cli::{InputFormat, RecordKind};
use crate::db::write::{Notices, Outcome, Writer};
use fields::{Field, Resolved, guess_kind};
use record::{BuildContext, Maps, json_row};
use row::{Columns, CsvRow};
use source::{Input, RawRow};
use value::NumberContext;

/// What the user asked of an import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub kind: Option<RecordKind>,
    pub format: Option<InputFormat>,
    pub dataset: String,
}

/// Rows counted by what happened to them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

impl Counts {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }

    pub fn total(&self) -> u64 {
        self.added + self.updated + self.unchanged + self.rejected
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} added, {} updated, {} unchanged, {} rejected",
            self.added, self.updated, self.unchanged, self.rejected
        )
    }
}

/// What importing one file did.
#[derive(Debug)]
pub struct FileReport {
    pub name: String,
    pub kind: RecordKind,
    pub format: InputFormat,
    pub rows: Counts,
    /// Events nested in articles.
    pub nested_events: Counts,
    pub warnings: Vec<String>,
}

/// Per-file state while rows arrive.
struct FileState<'a> {
    kind: Option<RecordKind>,
    columns: Option<Columns>,
    unknown: Vec<String>,
    rows: Counts,
    nested: Counts,
    maps: Option<Maps>,
    dataset: &'a str,
}

/// Imports one file in one transaction: all of its rows, or (on any error) none.
pub fn import_file(conn: &mut Connection, path: &Path, opts: &Options) -> Result<FileReport> {
    let mut input = Input::open(path)?;
    let name = input.name.clone();
    let format = match opts.format {
        Some(f) => f,
        None => input.detect_format()?,
    };
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO imports (file_name, content_hash, kind, format, started_at, sitrep_version) \
         VALUES (?1, '', 'events', ?2, ?3, ?4)",
        params![
            name,
            format.as_str(),
            crate::db::now_iso(),
            env!("CARGO_PKG_VERSION")
        ],
    )?;
    let import_id = tx.last_insert_rowid();
    let mut writer = Writer::new(&tx, import_id)?;
    let mut state = FileState {
        kind: opts.kind,
        columns: None,
        unknown: Vec::new(),
        rows: Counts::default(),
        nested: Counts::default(),
        maps: None,
        dataset: &opts.dataset,
    };
    let numbers = NumberContext {
        delimiter: Some(if format == InputFormat::Tsv {
            b'\t'
        } else {
            b','
        }),
    };
    input.rows(format, &mut |raw| {
        handle_row(&mut writer, &mut state, raw, numbers).map_err(|e| anyhow!("{name}: {e:#}"))
    })?;
    let hash = input.finish()?;
    let kind = state.kind.unwrap_or(RecordKind::Events);
    let mut warnings = warnings(&writer.notices, &state.unknown);
    if state.rows.total() == 0 {
        warnings.push("the file holds no rows".to_string());
    }
    drop(writer);
    tx.execute(
        "UPDATE imports SET content_hash = ?2, kind = ?3, finished_at = ?4, rows_added = ?5, \
         rows_updated = ?6, rows_unchanged = ?7, rows_rejected = ?8 WHERE id = ?1",
        params![
            import_id,
            hash,
            kind.as_str(),
            crate::db::now_iso(),
            state.rows.added as i64,
            state.rows.updated as i64,
            state.rows.unchanged as i64,
            state.rows.rejected as i64
        ],
    )?;
    tx.commit()
        .with_context(|| format!("{name}: cannot commit the import"))?;
    Ok(FileReport {
        name,
        kind,
        format,
        rows: state.rows,
        nested_events: state.nested,
        warnings,
    })
}

fn handle_row(
    writer: &mut Writer<'_>,
    state: &mut FileState<'_>,
    raw: RawRow<'_>,
    numbers: NumberContext,
) -> Result<()> {
    match raw {
        RawRow::Csv {
            headers,
            record,
            line,
        } => {
            if state.columns.is_none() {
                let kind = match state.kind {
                    Some(kind) => kind,
                    None => guess_kind(headers.iter().map(String::as_str)).ok_or_else(|| {
                        anyhow!(
                            "cannot tell what the file holds from its columns ({}); say \
                             --kind articles, events or entities",
                            headers.join(", ")
                        )
                    })?,
                };
                state.kind = Some(kind);
                let maps = Maps::new(&writer.figure_kind_names());
                let columns =
                    resolve_columns(writer, maps.for_kind(kind), headers, &mut state.unknown)?;
                state.maps = Some(Maps::new(&writer.figure_kind_names()));
                state.columns = Some(columns);
            }
            let (Some(columns), Some(maps), Some(kind)) = (&state.columns, &state.maps, state.kind)
            else {
                bail!("internal: columns not resolved");
            };
            let row = CsvRow {
                columns,
                record,
                line,
            };
            let ctx = BuildContext {
                maps,
                dataset: state.dataset,
                date_order: None,
                numbers,
                element: None,
            };
            write_row(writer, &ctx, kind, &row, &mut state.rows, &mut state.nested)
        }
        RawRow::Json {
            object,
            line,
            element,
        } => {
            if state.maps.is_none() {
                let kind = match state.kind {
                    Some(kind) => kind,
                    None => guess_kind(object.keys().map(String::as_str)).ok_or_else(|| {
                        anyhow!(
                            "cannot tell what the file holds from its keys; say --kind \
                             articles, events or entities"
                        )
                    })?,
                };
                state.kind = Some(kind);
                state.maps = Some(Maps::new(&writer.figure_kind_names()));
            }
            let (Some(maps), Some(kind)) = (&state.maps, state.kind) else {
                bail!("internal: fields not resolved");
            };
            let row = json_row(maps.for_kind(kind), object, line, &mut state.unknown);
            let ctx = BuildContext {
                maps,
                dataset: state.dataset,
                date_order: None,
                numbers: NumberContext::default(),
                element,
            };
            write_row(writer, &ctx, kind, &row, &mut state.rows, &mut state.nested)
        }
    }
}

fn write_row(
    writer: &mut Writer<'_>,
    ctx: &BuildContext<'_>,
    kind: RecordKind,
    row: &dyn row::Row,
    rows: &mut Counts,
    nested: &mut Counts,
) -> Result<()> {
    let place = || match ctx.element {
        Some(e) => format!("element {e}"),
        None => format!("line {}", row.line()),
    };
    match kind {
        RecordKind::Events => {
            let rec = ctx.event(row)?;
            let outcome = writer.event(&rec, false).with_context(place)?;
            rows.count(outcome);
        }
        RecordKind::Articles => {
            let rec = ctx.article(row)?;
            let (outcome, events) = writer.article(&rec).with_context(place)?;
            rows.count(outcome);
            for e in events {
                nested.count(e);
            }
        }
        RecordKind::Entities => {
            let rec = ctx.entity(row)?;
            rows.count(writer.entity(&rec).with_context(place)?);
        }
    }
    Ok(())
}

fn resolve_columns(
    writer: &mut Writer<'_>,
    map: &fields::FieldMap,
    headers: &[String],
    unknown: &mut Vec<String>,
) -> Result<Columns> {
    let mut columns = Columns {
        headers: headers.to_vec(),
        index: Default::default(),
        figures: Vec::new(),
    };
    for (i, header) in headers.iter().enumerate() {
        let field = match map.resolve(header) {
            Resolved::Field(field) => field,
            Resolved::NewFigure(kind) => {
                writer.register_figure_kind(&kind)?;
                Field::Figure(kind)
            }
            Resolved::Unknown => {
                unknown.push(if header.is_empty() {
                    format!("(column {} has no name)", i + 1)
                } else {
                    header.clone()
                });
                continue;
            }
        };
        if columns.index.contains_key(&field) {
            bail!(
                "line 1: columns {:?} and {:?} both give {}",
                headers
                    .get(columns.index.get(&field).copied().unwrap_or(0))
                    .map_or("", String::as_str),
                header,
                field.canonical()
            );
        }
        if matches!(field, Field::Figure(_)) {
            columns.figures.push(field.clone());
        }
        columns.index.insert(field, i);
    }
    Ok(columns)
}

fn warnings(notices: &Notices, unknown: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if !unknown.is_empty() {
        out.push(format!(
            "ignored columns sitrep does not know: {} (prefix a figure column with \
             `figure:` to import it as a new kind of figure)",
            unknown.join(", ")
        ));
    }
    if !notices.new_figure_kinds.is_empty() {
        out.push(format!(
            "new kinds of figure: {}",
            notices
                .new_figure_kinds
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !notices.unclassified_weapons.is_empty() {
        out.push(format!(
            "weapons without a class (their launched/destroyed figures count as neither \
             drones nor missiles until an entities file gives the class): {}",
            notices
                .unclassified_weapons
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !notices.generic_without_weapon.is_empty() {
        out.push(format!(
            "figures of kind {} have no weapon, so they count as neither drones nor \
             missiles (use drones_launched, missiles_launched, ... instead)",
            notices
                .generic_without_weapon
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !notices.entities_created.is_empty() {
        let shown: Vec<String> = notices
            .entities_created
            .iter()
            .take(10)
            .map(|(kind, name)| format!("{name} ({kind})"))
            .collect();
        let more = notices.entities_created.len().saturating_sub(shown.len());
        out.push(format!(
            "{} entities were new to the archive and created: {}{}",
            notices.entities_created.len(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if notices.placeholder_articles > 0 {
        out.push(format!(
            "{} cited articles are not in the archive yet: placeholders (url only) were created",
            notices.placeholder_articles
        ));
    }
    out
}

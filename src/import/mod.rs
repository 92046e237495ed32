//! Importing files into the archive: one transaction per file, rows read by [`source`],
//! seen through the canonical [`fields`] or a [`mapping`], built into typed records by
//! [`record`] (values parsed by [`value`]) and written by [`crate::db::write`].

pub mod fields;
pub mod mapping;
pub mod record;
pub mod rejects;
pub mod row;
pub mod source;
pub mod unchanged;
pub mod value;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, TransactionBehavior, params};

use crate::cli::{InputFormat, RecordKind};
use crate::db::write::{EventMode, Notices, Outcome, Writer};
use fields::{Field, Resolved, guess_kind};
use mapping::{CsvSource, JsonSource, MappedRow, Mapping, Rest, header_index};
use record::{BuildContext, Maps, RowError, json_row};
use rejects::Rejects;
use row::{Columns, CsvRow, Row};
use source::{Input, RawRow, ReadSettings};
use value::{DateOrder, NumberContext, SlashOrderDetector};

/// What the user asked of an import.
#[derive(Debug, Default)]
pub struct Options {
    pub kind: Option<RecordKind>,
    pub format: Option<InputFormat>,
    pub dataset: Option<String>,
    pub read: ReadSettings,
    pub date_order: Option<DateOrder>,
    pub mapping: Option<Mapping>,
    pub skip_bad: bool,
    pub dry_run: bool,
    pub progress: bool,
}

impl Options {
    /// Everything that decides how a file is read, as text (see [`unchanged`]).
    pub fn describe(&self) -> String {
        format!(
            "kind={:?} format={:?} dataset={:?} mapping={:?} encoding={:?} delimiter={:?} \
             skip_rows={} columns={:?} date_order={:?} skip_bad={}",
            self.kind,
            self.format,
            self.dataset,
            self.mapping.as_ref().map(|m| (&m.name, &m.text_hash)),
            self.read.encoding.map(|e| e.name()),
            self.read.delimiter,
            self.read.skip_rows,
            self.read.columns,
            self.date_order,
            self.skip_bad
        )
    }
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

/// What importing one file did (or, in a dry run, would do).
#[derive(Debug)]
pub struct FileReport {
    pub name: String,
    pub kind: RecordKind,
    pub format: InputFormat,
    pub rows: Counts,
    /// Events nested in articles.
    pub nested_events: Counts,
    pub warnings: Vec<String>,
    /// Each rejected row: (line or element, reason).
    pub rejected: Vec<(String, String)>,
}

/// How rows of the file are turned into records, fixed by the first row.
enum Shape {
    Canonical {
        columns: Option<Columns>,
    },
    Mapped {
        index: Option<HashMap<String, usize>>,
        leftover: Vec<String>,
    },
}

/// Per-file state while rows arrive.
struct FileState<'o> {
    opts: &'o Options,
    kind: Option<RecordKind>,
    shape: Option<Shape>,
    maps: Option<Maps>,
    unknown: RefCell<Vec<String>>,
    decided: RefCell<HashMap<Field, SlashOrderDetector>>,
    numbers: NumberContext,
    rows: Counts,
    nested: Counts,
    rejected: Vec<(String, String)>,
}

/// Imports one file in one transaction: all of its rows, or (on an error, unless
/// skipping bad rows) none. A dry run rolls everything back and reports what it would do.
pub fn import_file(
    conn: &mut Connection,
    path: &Path,
    opts: &Options,
    mut rejects: Option<&mut Rejects>,
) -> Result<FileReport> {
    let mut input = Input::open(path, &opts.read)?;
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
    // The search indexes are brought up to date once, at the end of the file.
    let search = crate::db::search_upkeep::defer(&tx)?;
    let mut writer = Writer::new(&tx, import_id)?;
    if let Some(mapping) = &opts.mapping {
        for kind in &mapping.new_kinds {
            writer.register_figure_kind(kind)?;
        }
    }
    let mut state = FileState {
        opts,
        kind: opts.mapping.as_ref().map(|m| m.file.kind).or(opts.kind),
        shape: None,
        maps: None,
        unknown: RefCell::new(Vec::new()),
        decided: RefCell::new(HashMap::new()),
        numbers: NumberContext::default(),
        rows: Counts::default(),
        nested: Counts::default(),
        rejected: Vec::new(),
    };
    let progress = opts.progress.then(|| crate::cmd::progress_bar(path));
    let counter = input.bytes_read();
    let mut seen = 0u64;
    input.rows(format, &mut |raw| {
        if state.shape.is_none() {
            prepare(&mut state, &mut writer, &raw).map_err(|e| anyhow!("{name}: {e:#}"))?;
        }
        seen += 1;
        if let Some(bar) = &progress
            && seen.is_multiple_of(1024)
        {
            bar.set_position(counter.load(std::sync::atomic::Ordering::Relaxed));
        }
        let write = |writer: &mut Writer<'_>, state: &FileState<'_>| {
            if opts.skip_bad {
                handle_row_alone(writer, state, &raw)
            } else {
                handle_row(writer, state, &raw)
            }
        };
        let result = match write(&mut writer, &state) {
            Err(Failure::NeedsOrder(field, err)) => {
                learn_order(path, opts, format, &state, &field, *err)
                    .map_err(|e| anyhow!("{name}: {e:#}"))?;
                write(&mut writer, &state)
            }
            other => other,
        };
        match result {
            Ok((outcome, nested)) => {
                writer.row_done()?;
                state.rows.count(outcome);
                for o in nested {
                    state.nested.count(o);
                }
                Ok(())
            }
            Err(failure) => {
                let (place, reason) = failure.describe(&raw);
                if !opts.skip_bad {
                    bail!("{name}: {}", located(&place, &reason));
                }
                writer.clear_caches()?;
                state.rows.rejected += 1;
                if let Some(r) = rejects.as_deref_mut() {
                    r.write(&name, &raw, &place, &reason)?;
                }
                state.rejected.push((place, reason));
                Ok(())
            }
        }
    })?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let hash = input.finish()?;
    writer.finish()?;
    if let Some(search) = search {
        search.apply(&tx)?;
    }
    let kind = state.kind.unwrap_or(RecordKind::Events);
    let mut warnings = warnings(&writer.notices, &state.unknown.borrow());
    if state.rows.total() == 0 {
        warnings.push("the file holds no rows".to_string());
    }
    drop(writer);
    let stamp = unchanged::FileStamp::of(path);
    tx.execute(
        "UPDATE imports SET file_path = ?2, file_size = ?3, file_modified_ns = ?4, \
         settings_hash = ?5 WHERE id = ?1",
        params![
            import_id,
            stamp.path,
            stamp.size,
            stamp.modified_ns,
            unchanged::settings_hash(&opts.describe())
        ],
    )?;
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
    if opts.dry_run {
        tx.rollback()?;
    } else {
        tx.commit()
            .with_context(|| format!("{name}: cannot commit the import"))?;
    }
    Ok(FileReport {
        name,
        kind,
        format,
        rows: state.rows,
        nested_events: state.nested,
        warnings,
        rejected: state.rejected,
    })
}

/// Why a row failed.
enum Failure {
    /// A value is wrong: the row error says where.
    Row(Box<RowError>),
    /// A slash date was ambiguous before the column's order was known.
    NeedsOrder(Field, Box<RowError>),
    /// Writing the row failed.
    Write(anyhow::Error),
}

impl Failure {
    /// (where, what and why) for messages and the rejects file: `line 3` and
    /// `column killed (column 3), value "-5": a count cannot be negative`.
    fn describe(&self, raw: &RawRow<'_>) -> (String, String) {
        match self {
            Failure::Row(err) | Failure::NeedsOrder(_, err) => {
                let place = match err.element {
                    Some(e) => format!("element {e}"),
                    None => format!("line {}", err.line),
                };
                let mut what = String::new();
                if let Some(column) = &err.column {
                    what.push_str(&format!("column {column}, "));
                }
                if let Some(value) = &err.value {
                    let shown: String = value.chars().take(80).collect();
                    let more = if shown.len() < value.len() { "…" } else { "" };
                    what.push_str(&format!("value {shown:?}{more}: "));
                } else if !what.is_empty() {
                    what.truncate(what.len() - 2);
                    what.push_str(": ");
                }
                what.push_str(&err.reason);
                (place, what)
            }
            Failure::Write(err) => (place_of(raw), format!("{err:#}")),
        }
    }
}

/// `line 4, column killed …: reason` for a value, `line 4: reason` for a whole row.
pub fn located(place: &str, reason: &str) -> String {
    if reason.starts_with("column ") {
        format!("{place}, {reason}")
    } else {
        format!("{place}: {reason}")
    }
}

fn place_of(raw: &RawRow<'_>) -> String {
    match raw {
        RawRow::Csv { line, .. } => format!("line {line}"),
        RawRow::NotObject { element, .. } => format!("element {element}"),
        RawRow::Json {
            element: Some(e), ..
        } => format!("element {e}"),
        RawRow::Json { line, .. } => format!("line {line}"),
    }
}

/// Fixes, from the first row, what the file holds and how its rows are read.
fn prepare(state: &mut FileState<'_>, writer: &mut Writer<'_>, raw: &RawRow<'_>) -> Result<()> {
    let names: Vec<String> = match raw {
        RawRow::Csv { headers, .. } => headers.to_vec(),
        RawRow::Json { object, .. } => object.keys().cloned().collect(),
        RawRow::NotObject { element, .. } => {
            bail!(
                "element {element}: expected a JSON object (the first element decides what the file holds)"
            )
        }
    };
    let kind = match state.kind {
        Some(kind) => kind,
        None => guess_kind(names.iter().map(String::as_str)).ok_or_else(|| {
            anyhow!(
                "cannot tell what the file holds from its columns ({}); say --kind articles, \
                 events or entities, or give a mapping with --map",
                names.join(", ")
            )
        })?,
    };
    state.kind = Some(kind);
    state.numbers = NumberContext {
        delimiter: match raw {
            RawRow::Csv { delimiter, .. } => Some(*delimiter),
            _ => None,
        },
    };
    let maps = Maps::new(&writer.figure_kind_names());
    state.shape = Some(match &state.opts.mapping {
        Some(mapping) => {
            let used = mapping.used_columns();
            let leftover: Vec<String> = names
                .iter()
                .filter(|n| {
                    !used.iter().any(|u| {
                        u == *n || crate::names::header_key(u) == crate::names::header_key(n)
                    })
                })
                .cloned()
                .collect();
            if mapping.file.rest == Rest::Warn {
                state.unknown.borrow_mut().extend(leftover.iter().cloned());
            }
            Shape::Mapped {
                index: match raw {
                    RawRow::Csv { headers, .. } => Some(header_index(headers)),
                    _ => None,
                },
                leftover,
            }
        }
        None => match raw {
            RawRow::Csv { headers, .. } => Shape::Canonical {
                columns: Some(resolve_columns(
                    writer,
                    maps.for_kind(kind),
                    headers,
                    &mut state.unknown.borrow_mut(),
                )?),
            },
            _ => Shape::Canonical { columns: None },
        },
    });
    // Figure kinds a header registered are known from here on.
    state.maps = Some(Maps::new(&writer.figure_kind_names()));
    Ok(())
}

/// Builds the row's view and hands it to `f`.
fn with_row<T>(
    state: &FileState<'_>,
    raw: &RawRow<'_>,
    unknown: &mut Vec<String>,
    f: impl FnOnce(&dyn Row) -> T,
) -> Result<T> {
    let (Some(shape), Some(maps), Some(kind)) = (&state.shape, &state.maps, state.kind) else {
        bail!("internal: the file's shape is not known");
    };
    Ok(match (shape, raw) {
        (
            Shape::Canonical {
                columns: Some(columns),
            },
            RawRow::Csv { record, line, .. },
        ) => f(&CsvRow {
            columns,
            record,
            line: *line,
        }),
        (Shape::Canonical { .. }, RawRow::Json { object, line, .. }) => {
            f(&json_row(maps.for_kind(kind), object, *line, unknown))
        }
        (
            Shape::Mapped {
                index: Some(index),
                leftover,
            },
            RawRow::Csv {
                headers,
                record,
                line,
                ..
            },
        ) => {
            let (Some(mapping), source) = (
                &state.opts.mapping,
                CsvSource {
                    index,
                    headers,
                    record,
                },
            ) else {
                bail!("internal: no mapping");
            };
            f(&MappedRow::new(mapping, &source, *line, leftover))
        }
        (Shape::Mapped { leftover, .. }, RawRow::Json { object, line, .. }) => {
            let (Some(mapping), source) = (&state.opts.mapping, JsonSource { object }) else {
                bail!("internal: no mapping");
            };
            f(&MappedRow::new(mapping, &source, *line, leftover))
        }
        _ => bail!("internal: a row of a different shape"),
    })
}

/// Builds a row's record and writes it: the row's outcome and its nested events'.
fn handle_row(
    writer: &mut Writer<'_>,
    state: &FileState<'_>,
    raw: &RawRow<'_>,
) -> Result<(Outcome, Vec<Outcome>), Failure> {
    let (Some(maps), Some(kind)) = (&state.maps, state.kind) else {
        return Err(Failure::Write(anyhow!(
            "internal: the file's shape is not known"
        )));
    };
    let mapping = state.opts.mapping.as_ref();
    let dataset = state
        .opts
        .dataset
        .as_deref()
        .or(mapping.and_then(|m| m.file.dataset.as_deref()))
        .unwrap_or("");
    let mode = match mapping.map(|m| m.file.rows_per_record) {
        Some(mapping::RowsPerRecord::Many) => EventMode::RowsAddUp,
        _ => EventMode::OneRowEach,
    };
    let element = match raw {
        RawRow::Json { element, .. } => *element,
        RawRow::Csv { .. } => None,
        RawRow::NotObject { element, .. } => {
            return Err(Failure::Row(Box::new(RowError {
                line: 0,
                element: Some(*element),
                column: None,
                value: None,
                reason: "expected a JSON object".to_string(),
                needs_order: None,
            })));
        }
    };
    if let RawRow::Csv {
        ragged: true,
        record,
        headers,
        line,
        ..
    } = raw
    {
        return Err(Failure::Row(Box::new(RowError {
            line: *line,
            element: None,
            column: None,
            value: None,
            reason: format!(
                "the row has {} fields but the header has {}{}",
                record.len(),
                headers.len(),
                if record.iter().any(|f| f.contains(&b'\n')) {
                    " (a field runs over several lines: is a quote left open?)"
                } else {
                    ""
                }
            ),
            needs_order: None,
        })));
    }
    let mut unknown = state.unknown.borrow_mut();
    let built = with_row(state, raw, &mut unknown, |row| {
        let ctx = BuildContext {
            maps,
            dataset,
            date_order: state.opts.date_order,
            decided: &state.decided,
            numbers: state.numbers,
            element,
        };
        let row_failure = |err: RowError| match err.needs_order.clone() {
            Some(field) => Failure::NeedsOrder(field, Box::new(err)),
            None => Failure::Row(Box::new(err)),
        };
        let write_failure = |err: anyhow::Error| Failure::Write(err);
        match kind {
            RecordKind::Events => {
                let rec = ctx.event(row).map_err(row_failure)?;
                let outcome = writer.event(&rec, mode).map_err(write_failure)?;
                Ok((outcome, Vec::new()))
            }
            RecordKind::Articles => {
                let rec = ctx.article(row).map_err(row_failure)?;
                writer.article(&rec).map_err(write_failure)
            }
            RecordKind::Entities => {
                let rec = ctx.entity(row).map_err(row_failure)?;
                Ok((writer.entity(&rec).map_err(write_failure)?, Vec::new()))
            }
        }
    });
    match built {
        Ok(result) => result,
        Err(err) => Err(Failure::Write(err)),
    }
}

/// Writes a row inside a savepoint, so that a failed row leaves nothing behind.
fn handle_row_alone(
    writer: &mut Writer<'_>,
    state: &FileState<'_>,
    raw: &RawRow<'_>,
) -> Result<(Outcome, Vec<Outcome>), Failure> {
    let sql = |s: &str| writer.conn().execute_batch(s);
    sql("SAVEPOINT sitrep_row").map_err(|e| Failure::Write(e.into()))?;
    let result = handle_row(writer, state, raw);
    let end = match &result {
        Ok(_) => "RELEASE sitrep_row",
        Err(_) => "ROLLBACK TO sitrep_row; RELEASE sitrep_row",
    };
    writer
        .conn()
        .execute_batch(end)
        .map_err(|e| Failure::Write(e.into()))?;
    result
}

/// Looks at every value of a date field in the file to decide its day/month order.
fn learn_order(
    path: &Path,
    opts: &Options,
    format: InputFormat,
    state: &FileState<'_>,
    field: &Field,
    original: RowError,
) -> Result<()> {
    if path.as_os_str() == "-" {
        return Err(anyhow!("{original}"));
    }
    let mut detector = SlashOrderDetector::default();
    let mut input = Input::open(path, &opts.read)?;
    let mut unknown = Vec::new();
    input.rows(format, &mut |raw| {
        with_row(state, &raw, &mut unknown, |row| {
            if let Some(text) = row.text(field) {
                detector.observe(&text);
            }
        })
    })?;
    match detector.decided() {
        Ok(Some(_)) => {
            state.decided.borrow_mut().insert(field.clone(), detector);
            Ok(())
        }
        Ok(None) => Err(anyhow!("{original}")),
        Err(conflict) => Err(anyhow!("{}: {conflict}", place_and_column(&original))),
    }
}

fn place_and_column(err: &RowError) -> String {
    let mut text = match err.element {
        Some(e) => format!("element {e}"),
        None => format!("line {}", err.line),
    };
    if let Some(c) = &err.column {
        text.push_str(&format!(", column {c}"));
    }
    text
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
        if let Some(&first) = columns.index.get(&field) {
            bail!(
                "line 1: columns {:?} and {:?} both give {}",
                headers.get(first).map_or("", String::as_str),
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

fn join_set<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    items.into_iter().cloned().collect::<Vec<_>>().join(", ")
}

fn warnings(notices: &Notices, unknown: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if !unknown.is_empty() {
        const SHOWN: usize = 20;
        let more = unknown.len().saturating_sub(SHOWN);
        out.push(format!(
            "ignored columns sitrep does not know: {}{} (prefix a figure column with \
             `figure:` to import it as a new kind of figure, or map it with --map)",
            unknown
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if !notices.new_figure_kinds.is_empty() {
        out.push(format!(
            "new kinds of figure: {}",
            join_set(&notices.new_figure_kinds)
        ));
    }
    if !notices.classified_from_parts.is_empty() {
        let list: Vec<String> = notices
            .classified_from_parts
            .iter()
            .map(|(model, class)| format!("{model} ({class})"))
            .collect();
        out.push(format!(
            "weapons not in the archive, classified from their parts: {}",
            list.join(", ")
        ));
    }
    if !notices.unclassified_weapons.is_empty() {
        out.push(format!(
            "unclassified weapons (their launched/destroyed figures count as neither drones \
             nor missiles until an entities file gives the class): {}",
            join_set(&notices.unclassified_weapons)
        ));
    }
    if !notices.generic_without_weapon.is_empty() {
        out.push(format!(
            "figures of kind {} have no weapon, so they count as neither drones nor \
             missiles (use drones_launched, missiles_launched, ... instead)",
            join_set(&notices.generic_without_weapon)
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
    if notices.inconsistent_ranges > 0 {
        out.push(format!(
            "{} figures have a range that does not hold their value, or a low above the \
             high; they were kept as the source reported them",
            notices.inconsistent_ranges
        ));
    }
    if notices.repeated_urls > 0 {
        out.push(format!(
            "{} rows repeat the url of an earlier row of the file; the first of each was kept",
            notices.repeated_urls
        ));
    }
    if notices.older_versions > 0 {
        out.push(format!(
            "{} rows are older versions of events the archive holds and were left out",
            notices.older_versions
        ));
    }
    out
}

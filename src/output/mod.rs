//! Rendering of tabular query results: this module owns every format `sitrep`
//! prints a result in — `table`, `csv`, `tsv`, `json`, `ndjson` and `markdown`.
//!
//! A result reaches a format through the [`RowWriter`] trait: the column names
//! once ([`RowWriter::begin`]), then each row ([`RowWriter::row`]), then
//! [`RowWriter::finish`]. [`writer`] builds the writer for a [`Format`] over
//! any [`std::io::Write`].
//!
//! Streaming: `csv`, `tsv`, `json` and `ndjson` hand each row to the output as
//! one `write_all` as soon as it arrives, and flush the output in `finish`.
//! `table` and `markdown` need every row to compute column widths, so they
//! buffer the rendered cells and write everything in `finish`.
//!
//! Rules shared by the formats:
//! - `Null` is an empty field/cell (`null` in JSON).
//! - `Int` and `Real` print with Rust's `Display` in the text formats, so
//!   `Real(12.5)` is `12.5` and `Real(12.0)` is `12` (JSON writes `12.0`, and
//!   `null` for a non-finite real).
//! - A column is *numeric* (right-aligned in `table` and `markdown`) when it
//!   holds at least one `Int`/`Real` and every other cell is `Null`.
//! - Widths are counted in `char`s, so wide characters (CJK, emoji) can make a
//!   `table` column look one cell short in a terminal.
//! - Misuse of the protocol (a row before `begin`, a row whose length is not
//!   the column count, `begin` or `finish` twice) is an
//!   [`std::io::ErrorKind::InvalidInput`] error, never a panic.

pub mod whole_file;

use std::fmt::{self, Write as _};
use std::io::{self, Write};

/// Longest a text cell (or column name) may be in the `table` format, in
/// characters, including the `…` that marks a truncated cell.
pub const TABLE_MAX_CELL_CHARS: usize = 60;

/// Separator drawn under the `table` header.
const TABLE_RULE: char = '─';

/// Gap between two `table` columns.
const TABLE_GAP: &str = "  ";

/// One value of a result cell (mirrors SQLite's storage classes).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Cell {
    /// Whether this cell is SQL `NULL`.
    pub fn is_null(&self) -> bool {
        matches!(self, Cell::Null)
    }

    /// Whether this cell is a number (`Int` or `Real`).
    pub fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Real(_))
    }
}

/// The plain text of a cell as the text formats print it: `Null` is empty,
/// numbers use Rust's `Display`, text is verbatim.
impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Null => f.pad(""),
            Cell::Int(value) => fmt::Display::fmt(value, f),
            Cell::Real(value) => fmt::Display::fmt(value, f),
            Cell::Text(text) => f.pad(text),
        }
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Self {
        Cell::Int(value)
    }
}

impl From<i32> for Cell {
    fn from(value: i32) -> Self {
        Cell::Int(i64::from(value))
    }
}

impl From<u32> for Cell {
    fn from(value: u32) -> Self {
        Cell::Int(i64::from(value))
    }
}

/// As SQLite stores booleans: `1` or `0`.
impl From<bool> for Cell {
    fn from(value: bool) -> Self {
        Cell::Int(i64::from(value))
    }
}

impl From<f64> for Cell {
    fn from(value: f64) -> Self {
        Cell::Real(value)
    }
}

impl From<&str> for Cell {
    fn from(value: &str) -> Self {
        Cell::Text(value.to_owned())
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Self {
        Cell::Text(value)
    }
}

/// `None` is `Null`; `Some(v)` is `v`'s cell.
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Cell::Null, Into::into)
    }
}

/// An output format for query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading in a terminal
    Table,
    /// Comma-separated values (RFC 4180) with a header row
    Csv,
    /// Tab-separated values with a header row
    Tsv,
    /// One JSON array of objects keyed by column name
    Json,
    /// One JSON object per line
    Ndjson,
    /// A GitHub-flavoured Markdown table
    Markdown,
}

impl Format {
    /// The name of the format, as written on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The format used when none is asked for: `Table` for a person at a
/// terminal, `Csv` for a pipe or a file.
pub fn default_format(stdout_is_terminal: bool) -> Format {
    if stdout_is_terminal {
        Format::Table
    } else {
        Format::Csv
    }
}

/// Receives a result: the column names once, then rows, then finish.
pub trait RowWriter {
    fn begin(&mut self, columns: &[String]) -> io::Result<()>;
    fn row(&mut self, cells: &[Cell]) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;
}

/// Build the writer for a format over any output.
pub fn writer<'a>(format: Format, out: Box<dyn Write + 'a>) -> Box<dyn RowWriter + 'a> {
    match format {
        Format::Table => Box::new(TableWriter::new(out)),
        Format::Csv => Box::new(DelimitedWriter::new(out, b',')),
        Format::Tsv => Box::new(DelimitedWriter::new(out, b'\t')),
        Format::Json => Box::new(JsonWriter::new(out)),
        Format::Ndjson => Box::new(NdjsonWriter::new(out)),
        Format::Markdown => Box::new(MarkdownWriter::new(out)),
    }
}

// ---------------------------------------------------------------------------
// Protocol: the begin → row* → finish order every writer enforces.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Fresh,
    Begun { columns: usize },
    Finished,
}

#[derive(Debug)]
struct Protocol {
    stage: Stage,
}

impl Protocol {
    fn new() -> Self {
        Protocol {
            stage: Stage::Fresh,
        }
    }

    fn begin(&mut self, columns: usize) -> io::Result<()> {
        match self.stage {
            Stage::Fresh => {
                self.stage = Stage::Begun { columns };
                Ok(())
            }
            Stage::Begun { .. } => Err(misuse("begin called twice")),
            Stage::Finished => Err(misuse("begin called after finish")),
        }
    }

    fn row(&self, cells: usize) -> io::Result<()> {
        match self.stage {
            Stage::Begun { columns } if columns == cells => Ok(()),
            Stage::Begun { columns } => Err(misuse(&format!(
                "row has {cells} cells but the result has {columns} columns"
            ))),
            Stage::Fresh => Err(misuse("row written before begin")),
            Stage::Finished => Err(misuse("row written after finish")),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        match self.stage {
            Stage::Begun { .. } => {
                self.stage = Stage::Finished;
                Ok(())
            }
            Stage::Fresh => Err(misuse("finish called before begin")),
            Stage::Finished => Err(misuse("finish called twice")),
        }
    }
}

fn misuse(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.to_owned())
}

// ---------------------------------------------------------------------------
// csv / tsv

/// What the csv crate writes into: the real output, except that `flush` only
/// hands bytes on. Flushing the csv writer after each row then gives the
/// output one `write_all` per row without flushing the output itself.
struct RowSink<'a> {
    out: Box<dyn Write + 'a>,
}

impl Write for RowSink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `csv` (delimiter `,`) and `tsv` (delimiter `\t`): RFC 4180 records from the
/// csv crate, quoting only the fields that need it.
struct DelimitedWriter<'a> {
    /// `None` once `finish` has taken the output back.
    csv: Option<csv::Writer<RowSink<'a>>>,
    protocol: Protocol,
    /// Whether the result has no columns, in which case nothing is written.
    empty: bool,
    /// Reused to format numbers.
    scratch: String,
}

impl<'a> DelimitedWriter<'a> {
    fn new(out: Box<dyn Write + 'a>, delimiter: u8) -> Self {
        let csv = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(RowSink { out });
        DelimitedWriter {
            csv: Some(csv),
            protocol: Protocol::new(),
            empty: false,
            scratch: String::new(),
        }
    }

    fn csv(&mut self) -> io::Result<&mut csv::Writer<RowSink<'a>>> {
        self.csv
            .as_mut()
            .ok_or_else(|| misuse("writer used after finish"))
    }
}

impl RowWriter for DelimitedWriter<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.protocol.begin(columns.len())?;
        self.empty = columns.is_empty();
        if self.empty {
            return Ok(());
        }
        let csv = self.csv()?;
        csv.write_record(columns)?;
        csv.flush()
    }

    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.protocol.row(cells.len())?;
        if self.empty {
            return Ok(());
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        let csv = self.csv()?;
        for cell in cells {
            match cell {
                Cell::Null => csv.write_field("")?,
                Cell::Text(text) => csv.write_field(text)?,
                number => {
                    scratch.clear();
                    // Writing into a String cannot fail.
                    let _ = write!(scratch, "{number}");
                    csv.write_field(&scratch)?;
                }
            }
        }
        csv.write_record(None::<&[u8]>)?;
        csv.flush()?;
        self.scratch = scratch;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.protocol.finish()?;
        let csv = self
            .csv
            .take()
            .ok_or_else(|| misuse("finish called twice"))?;
        let mut sink = csv.into_inner().map_err(|err| err.into_error())?;
        sink.out.flush()
    }
}

// ---------------------------------------------------------------------------
// json / ndjson

/// Encodes rows as JSON objects whose keys follow the column order (written
/// by hand: serde_json's maps would sort the keys).
struct ObjectEncoder {
    /// Each column's `"name":`, escaped once in `begin`.
    keys: Vec<Vec<u8>>,
}

impl ObjectEncoder {
    fn new(columns: &[String]) -> io::Result<Self> {
        let mut keys = Vec::with_capacity(columns.len());
        for column in columns {
            let mut key = serde_json::to_vec(column)?;
            key.push(b':');
            keys.push(key);
        }
        Ok(ObjectEncoder { keys })
    }

    /// Append `{"col":value,...}` for `cells` to `line`.
    fn encode(&self, cells: &[Cell], line: &mut Vec<u8>) -> io::Result<()> {
        line.push(b'{');
        for (index, (key, cell)) in self.keys.iter().zip(cells).enumerate() {
            if index > 0 {
                line.push(b',');
            }
            line.extend_from_slice(key);
            match cell {
                Cell::Null => line.extend_from_slice(b"null"),
                Cell::Int(value) => write!(line, "{value}")?,
                Cell::Real(value) if value.is_finite() => serde_json::to_writer(&mut *line, value)?,
                Cell::Real(_) => line.extend_from_slice(b"null"),
                Cell::Text(text) => serde_json::to_writer(&mut *line, text)?,
            }
        }
        line.push(b'}');
        Ok(())
    }
}

/// `json`: one array, one object per line:
///
/// ```text
/// [
/// {"date":"2025-06-01","drones_launched":472},
/// {"date":"2025-06-02","drones_launched":80}
/// ]
/// ```
///
/// and `[]` for no rows. The opening `[` goes out with the first row.
struct JsonWriter<'a> {
    out: Box<dyn Write + 'a>,
    protocol: Protocol,
    encoder: ObjectEncoder,
    rows: u64,
    line: Vec<u8>,
}

impl<'a> JsonWriter<'a> {
    fn new(out: Box<dyn Write + 'a>) -> Self {
        JsonWriter {
            out,
            protocol: Protocol::new(),
            encoder: ObjectEncoder { keys: Vec::new() },
            rows: 0,
            line: Vec::new(),
        }
    }
}

impl RowWriter for JsonWriter<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.protocol.begin(columns.len())?;
        self.encoder = ObjectEncoder::new(columns)?;
        Ok(())
    }

    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.protocol.row(cells.len())?;
        self.line.clear();
        self.line
            .extend_from_slice(if self.rows == 0 { b"[\n" } else { b",\n" });
        self.encoder.encode(cells, &mut self.line)?;
        self.out.write_all(&self.line)?;
        self.rows += 1;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.protocol.finish()?;
        let close: &[u8] = if self.rows == 0 { b"[]\n" } else { b"\n]\n" };
        self.out.write_all(close)?;
        self.out.flush()
    }
}

/// `ndjson`: one object per line, nothing at all for no rows.
struct NdjsonWriter<'a> {
    out: Box<dyn Write + 'a>,
    protocol: Protocol,
    encoder: ObjectEncoder,
    line: Vec<u8>,
}

impl<'a> NdjsonWriter<'a> {
    fn new(out: Box<dyn Write + 'a>) -> Self {
        NdjsonWriter {
            out,
            protocol: Protocol::new(),
            encoder: ObjectEncoder { keys: Vec::new() },
            line: Vec::new(),
        }
    }
}

impl RowWriter for NdjsonWriter<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.protocol.begin(columns.len())?;
        self.encoder = ObjectEncoder::new(columns)?;
        Ok(())
    }

    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.protocol.row(cells.len())?;
        self.line.clear();
        self.encoder.encode(cells, &mut self.line)?;
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.protocol.finish()?;
        self.out.flush()
    }
}

// ---------------------------------------------------------------------------
// table / markdown: buffered grids

/// The rendered cells of a whole result, kept to compute column widths.
#[derive(Debug, Default)]
struct Grid {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Per column: whether a number was seen.
    has_number: Vec<bool>,
    /// Per column: whether text was seen.
    has_text: Vec<bool>,
}

impl Grid {
    fn new(headers: Vec<String>) -> Self {
        let columns = headers.len();
        Grid {
            headers,
            rows: Vec::new(),
            has_number: vec![false; columns],
            has_text: vec![false; columns],
        }
    }

    fn push(&mut self, cells: &[Cell], render: impl Fn(&Cell) -> String) {
        for (index, cell) in cells.iter().enumerate() {
            if cell.is_numeric() {
                set(&mut self.has_number, index);
            } else if !cell.is_null() {
                set(&mut self.has_text, index);
            }
        }
        self.rows.push(cells.iter().map(render).collect());
    }

    /// Right-align this column: at least one number and no text.
    fn numeric(&self, column: usize) -> bool {
        self.has_number.get(column).copied().unwrap_or(false)
            && !self.has_text.get(column).copied().unwrap_or(false)
    }

    /// Each column's width in characters, at least `minimum(column)`.
    fn widths(&self, minimum: impl Fn(usize) -> usize) -> Vec<usize> {
        let mut widths: Vec<usize> = self
            .headers
            .iter()
            .enumerate()
            .map(|(index, header)| minimum(index).max(chars(header)))
            .collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(chars(cell));
            }
        }
        widths
    }
}

fn set(flags: &mut [bool], index: usize) {
    if let Some(flag) = flags.get_mut(index) {
        *flag = true;
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Append `text` padded with spaces to `width` characters.
fn pad(line: &mut String, text: &str, width: usize, right_align: bool) {
    let fill = width.saturating_sub(chars(text));
    if right_align {
        line.extend(std::iter::repeat_n(' ', fill));
        line.push_str(text);
    } else {
        line.push_str(text);
        line.extend(std::iter::repeat_n(' ', fill));
    }
}

/// `table`: columns padded to width and two spaces apart, a `─` rule under
/// the header, numeric columns right-aligned, no trailing spaces, and
/// `(no rows)` after an empty result.
struct TableWriter<'a> {
    out: Box<dyn Write + 'a>,
    protocol: Protocol,
    grid: Grid,
}

impl<'a> TableWriter<'a> {
    fn new(out: Box<dyn Write + 'a>) -> Self {
        TableWriter {
            out,
            protocol: Protocol::new(),
            grid: Grid::default(),
        }
    }

    fn render(&self) -> String {
        let grid = &self.grid;
        let widths = grid.widths(|_| 0);
        let mut text = String::new();
        let mut line = |cells: &mut dyn Iterator<Item = (usize, &str)>| {
            let mut line = String::new();
            for (index, cell) in cells {
                if index > 0 {
                    line.push_str(TABLE_GAP);
                }
                let width = widths.get(index).copied().unwrap_or(0);
                pad(&mut line, cell, width, grid.numeric(index));
            }
            text.push_str(line.trim_end_matches(' '));
            text.push('\n');
        };
        if !grid.headers.is_empty() {
            line(&mut grid.headers.iter().map(String::as_str).enumerate());
            let rules: Vec<String> = widths
                .iter()
                .map(|&width| TABLE_RULE.to_string().repeat(width))
                .collect();
            line(&mut rules.iter().map(String::as_str).enumerate());
        }
        for row in &grid.rows {
            line(&mut row.iter().map(String::as_str).enumerate());
        }
        if grid.rows.is_empty() {
            text.push_str("(no rows)\n");
        }
        text
    }
}

/// A text cell (or column name) as the `table` shows it: control characters
/// (newlines, tabs, escapes) become spaces — `\r\n` one space — and more than
/// [`TABLE_MAX_CELL_CHARS`] characters are cut, ending in `…`.
fn table_text(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    let mut rest = text.chars().peekable();
    while let Some(c) = rest.next() {
        if c == '\r' && rest.peek() == Some(&'\n') {
            rest.next();
        }
        shown.push(if c.is_control() { ' ' } else { c });
    }
    if chars(&shown) <= TABLE_MAX_CELL_CHARS {
        return shown;
    }
    let mut cut: String = shown
        .chars()
        .take(TABLE_MAX_CELL_CHARS.saturating_sub(1))
        .collect();
    cut.push('…');
    cut
}

fn table_cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => table_text(text),
        other => other.to_string(),
    }
}

impl RowWriter for TableWriter<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.protocol.begin(columns.len())?;
        self.grid = Grid::new(columns.iter().map(|c| table_text(c)).collect());
        Ok(())
    }

    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.protocol.row(cells.len())?;
        self.grid.push(cells, table_cell);
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.protocol.finish()?;
        let text = self.render();
        self.out.write_all(text.as_bytes())?;
        self.out.flush()
    }
}

/// `markdown`: a GitHub-flavoured table, `| a | b |`, with a `| --- | ---: |`
/// delimiter row (`---:` for numeric columns), cells padded to the column
/// width. Nothing is written for a result without columns.
struct MarkdownWriter<'a> {
    out: Box<dyn Write + 'a>,
    protocol: Protocol,
    grid: Grid,
}

impl<'a> MarkdownWriter<'a> {
    fn new(out: Box<dyn Write + 'a>) -> Self {
        MarkdownWriter {
            out,
            protocol: Protocol::new(),
            grid: Grid::default(),
        }
    }

    fn render(&self) -> String {
        let grid = &self.grid;
        if grid.headers.is_empty() {
            return String::new();
        }
        // Room for `---` or `---:` in the delimiter row.
        let widths = grid.widths(|index| if grid.numeric(index) { 4 } else { 3 });
        let mut text = String::new();
        let mut line = |cells: &mut dyn Iterator<Item = (usize, &str)>| {
            text.push('|');
            for (index, cell) in cells {
                let width = widths.get(index).copied().unwrap_or(0);
                text.push(' ');
                pad(&mut text, cell, width, grid.numeric(index));
                text.push_str(" |");
            }
            text.push('\n');
        };
        line(&mut grid.headers.iter().map(String::as_str).enumerate());
        let delimiters: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(index, &width)| {
                if grid.numeric(index) {
                    format!("{}:", "-".repeat(width.saturating_sub(1)))
                } else {
                    "-".repeat(width)
                }
            })
            .collect();
        line(&mut delimiters.iter().map(String::as_str).enumerate());
        for row in &grid.rows {
            line(&mut row.iter().map(String::as_str).enumerate());
        }
        text
    }
}

/// A text cell (or column name) as Markdown table content: `|` becomes `\|`,
/// a line break (`\n`, `\r\n` or `\r`) becomes `<br>`, and backslashes right
/// before either are doubled so they cannot escape the `|` or the `<`.
fn markdown_text(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    let mut backslashes = 0usize;
    let mut rest = text.chars().peekable();
    while let Some(c) = rest.next() {
        if c == '\\' {
            backslashes += 1;
            continue;
        }
        let special = matches!(c, '|' | '\n' | '\r');
        let run = if special {
            2 * backslashes
        } else {
            backslashes
        };
        shown.extend(std::iter::repeat_n('\\', run));
        backslashes = 0;
        match c {
            '|' => shown.push_str("\\|"),
            '\r' | '\n' => {
                if c == '\r' && rest.peek() == Some(&'\n') {
                    rest.next();
                }
                shown.push_str("<br>");
            }
            other => shown.push(other),
        }
    }
    shown.extend(std::iter::repeat_n('\\', backslashes));
    shown
}

fn markdown_cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => markdown_text(text),
        other => other.to_string(),
    }
}

impl RowWriter for MarkdownWriter<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.protocol.begin(columns.len())?;
        self.grid = Grid::new(columns.iter().map(|c| markdown_text(c)).collect());
        Ok(())
    }

    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.protocol.row(cells.len())?;
        self.grid.push(cells, markdown_cell);
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.protocol.finish()?;
        let text = self.render();
        self.out.write_all(text.as_bytes())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    const ALL: [Format; 6] = [
        Format::Table,
        Format::Csv,
        Format::Tsv,
        Format::Json,
        Format::Ndjson,
        Format::Markdown,
    ];

    fn names(columns: &[&str]) -> Vec<String> {
        columns.iter().map(|c| c.to_string()).collect()
    }

    fn render(format: Format, columns: &[&str], rows: &[Vec<Cell>]) -> String {
        let mut buf = Vec::new();
        {
            let mut w = writer(format, Box::new(&mut buf));
            w.begin(&names(columns)).unwrap();
            for row in rows {
                w.row(row).unwrap();
            }
            w.finish().unwrap();
        }
        String::from_utf8(buf).unwrap()
    }

    /// Nulls, ints, reals (one integral), and text with a comma, a quote, a
    /// newline, a pipe, Cyrillic and an emoji. Columns are not in sorted
    /// order, so a writer that sorts keys shows up.
    const MIXED_COLUMNS: [&str; 4] = ["place", "launched", "ratio", "note"];

    fn mixed_rows() -> Vec<Vec<Cell>> {
        vec![
            vec!["Київ".into(), 472.into(), 0.25.into(), "calm night".into()],
            vec![
                "Odesa 🚀".into(),
                Cell::Null,
                12.0.into(),
                "said \"hi\", then left".into(),
            ],
            vec![
                Cell::Null,
                (-3).into(),
                Cell::Null,
                "line one\nline | two".into(),
            ],
        ]
    }

    fn mixed(format: Format) -> String {
        render(format, &MIXED_COLUMNS, &mixed_rows())
    }

    fn empty(format: Format) -> String {
        render(format, &MIXED_COLUMNS, &[])
    }

    // --- table -------------------------------------------------------------

    #[test]
    fn table_mixed() {
        let text = mixed(Format::Table);
        insta::assert_snapshot!(text, @r#"
        place    launched  ratio  note
        ───────  ────────  ─────  ────────────────────
        Київ          472   0.25  calm night
        Odesa 🚀               12  said "hi", then left
                       -3         line one line | two
        "#);
        assert!(text.lines().all(|line| !line.ends_with(' ')));
        assert!(text.ends_with("line one line | two\n"));
    }

    #[test]
    fn table_brief_example() {
        let text = render(
            Format::Table,
            &["date", "drones_launched", "drones_destroyed"],
            &[vec!["2025-06-01".into(), 472.into(), 210.into()]],
        );
        assert_eq!(
            text,
            "date        drones_launched  drones_destroyed\n\
             ──────────  ───────────────  ────────────────\n\
             2025-06-01              472               210\n"
        );
    }

    #[test]
    fn table_empty() {
        insta::assert_snapshot!(empty(Format::Table), @r"
        place  launched  ratio  note
        ─────  ────────  ─────  ────
        (no rows)
        ");
    }

    #[test]
    fn table_cleans_control_characters_and_truncates_long_text() {
        let long = "x".repeat(100);
        let text = render(
            Format::Table,
            &["a\tb", "body"],
            &[
                vec!["tab\there".into(), long.as_str().into()],
                vec!["crlf\r\nend".into(), "\u{1b}[31mred".into()],
            ],
        );
        insta::assert_snapshot!(text, @r"
        a b       body
        ────────  ────────────────────────────────────────────────────────────
        tab here  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
        crlf end   [31mred
        ");
        let cut = text.lines().nth(2).unwrap().split("  ").nth(1).unwrap();
        assert_eq!(cut.chars().count(), TABLE_MAX_CELL_CHARS);
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn table_keeps_text_exactly_at_the_limit() {
        let exact = "y".repeat(TABLE_MAX_CELL_CHARS);
        let text = render(Format::Table, &["t"], &[vec![exact.as_str().into()]]);
        assert!(text.contains(&exact));
        assert!(!text.contains('…'));
    }

    // --- csv / tsv -------------------------------------------------------------

    #[test]
    fn csv_mixed() {
        let text = mixed(Format::Csv);
        insta::assert_snapshot!(text, @r#"
        place,launched,ratio,note
        Київ,472,0.25,calm night
        Odesa 🚀,,12,"said ""hi"", then left"
        ,-3,,"line one
        line | two"
        "#);
        assert!(text.ends_with("line | two\"\n"));
    }

    #[test]
    fn csv_round_trips_through_a_csv_reader() {
        let text = mixed(Format::Csv);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(headers.iter().collect::<Vec<_>>(), MIXED_COLUMNS);
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(records[1][3], "said \"hi\", then left");
        assert_eq!(records[2][3], "line one\nline | two");
        assert_eq!(records[1][1], "", "Null is an empty field");
    }

    #[test]
    fn csv_empty() {
        insta::assert_snapshot!(empty(Format::Csv), @"place,launched,ratio,note");
        assert_eq!(empty(Format::Csv), "place,launched,ratio,note\n");
    }

    #[test]
    fn csv_reals_use_display() {
        let text = render(
            Format::Csv,
            &["r"],
            &[
                vec![12.5.into()],
                vec![12.0.into()],
                vec![(-0.1).into()],
                vec![1e21.into()],
                vec![f64::NAN.into()],
            ],
        );
        insta::assert_snapshot!(text, @r"
        r
        12.5
        12
        -0.1
        1000000000000000000000
        NaN
        ");
    }

    #[test]
    fn tsv_mixed() {
        let text = mixed(Format::Tsv);
        insta::assert_snapshot!(text, @r#"
        place	launched	ratio	note
        Київ	472	0.25	calm night
        Odesa 🚀		12	"said ""hi"", then left"
        	-3		"line one
        line | two"
        "#);
        assert!(text.ends_with("line | two\"\n"));
        assert!(text.starts_with("place\tlaunched\tratio\tnote\n"));
    }

    #[test]
    fn tsv_quotes_fields_with_tabs() {
        let text = render(Format::Tsv, &["a", "b"], &[vec!["x\ty".into(), "z".into()]]);
        assert_eq!(text, "a\tb\n\"x\ty\"\tz\n");
    }

    #[test]
    fn tsv_empty() {
        assert_eq!(empty(Format::Tsv), "place\tlaunched\tratio\tnote\n");
    }

    // --- json / ndjson ---------------------------------------------------------

    #[test]
    fn json_mixed() {
        let text = mixed(Format::Json);
        insta::assert_snapshot!(text, @r#"
        [
        {"place":"Київ","launched":472,"ratio":0.25,"note":"calm night"},
        {"place":"Odesa 🚀","launched":null,"ratio":12.0,"note":"said \"hi\", then left"},
        {"place":null,"launched":-3,"ratio":null,"note":"line one\nline | two"}
        ]
        "#);
        assert!(text.ends_with("]\n"));
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed[2]["note"], "line one\nline | two");
        assert_eq!(parsed[0]["launched"], 472);
        assert!(parsed[1]["launched"].is_null());
    }

    #[test]
    fn json_brief_example() {
        let text = render(
            Format::Json,
            &["date", "drones_launched"],
            &[
                vec!["2025-06-01".into(), 472.into()],
                vec!["2025-06-02".into(), 80.into()],
            ],
        );
        assert_eq!(
            text,
            "[\n{\"date\":\"2025-06-01\",\"drones_launched\":472},\n\
             {\"date\":\"2025-06-02\",\"drones_launched\":80}\n]\n"
        );
    }

    #[test]
    fn json_empty() {
        assert_eq!(empty(Format::Json), "[]\n");
        let parsed: serde_json::Value = serde_json::from_str(&empty(Format::Json)).unwrap();
        assert_eq!(parsed, serde_json::json!([]));
    }

    #[test]
    fn json_escapes_keys_and_nulls_non_finite_reals() {
        let text = render(
            Format::Json,
            &["a \"quoted\"\nkey", "nan", "inf", "big"],
            &[vec![
                "\u{0}ctl".into(),
                f64::NAN.into(),
                f64::NEG_INFINITY.into(),
                i64::MAX.into(),
            ]],
        );
        insta::assert_snapshot!(text, @r#"
        [
        {"a \"quoted\"\nkey":"\u0000ctl","nan":null,"inf":null,"big":9223372036854775807}
        ]
        "#);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed[0]["a \"quoted\"\nkey"], "\u{0}ctl");
    }

    #[test]
    fn ndjson_mixed() {
        let text = mixed(Format::Ndjson);
        insta::assert_snapshot!(text, @r#"
        {"place":"Київ","launched":472,"ratio":0.25,"note":"calm night"}
        {"place":"Odesa 🚀","launched":null,"ratio":12.0,"note":"said \"hi\", then left"}
        {"place":null,"launched":-3,"ratio":null,"note":"line one\nline | two"}
        "#);
        for line in text.lines() {
            let object: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(object.is_object());
        }
        assert_eq!(text.lines().count(), 3);
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn ndjson_empty() {
        assert_eq!(empty(Format::Ndjson), "");
    }

    // --- markdown --------------------------------------------------------------

    #[test]
    fn markdown_mixed() {
        let text = mixed(Format::Markdown);
        insta::assert_snapshot!(text, @r#"
        | place   | launched | ratio | note                    |
        | ------- | -------: | ----: | ----------------------- |
        | Київ    |      472 |  0.25 | calm night              |
        | Odesa 🚀 |          |    12 | said "hi", then left    |
        |         |       -3 |       | line one<br>line \| two |
        "#);
        assert!(text.ends_with("two |\n"));
        assert_eq!(
            text.lines().count(),
            5,
            "a newline in text must not split a row"
        );
    }

    #[test]
    fn markdown_empty() {
        insta::assert_snapshot!(empty(Format::Markdown), @r"
        | place | launched | ratio | note |
        | ----- | -------- | ----- | ---- |
        ");
    }

    #[test]
    fn markdown_escapes_backslashes_before_pipes_and_breaks() {
        assert_eq!(markdown_text(r"a\|b"), r"a\\\|b");
        assert_eq!(markdown_text("end\\\nnext"), r"end\\<br>next");
        assert_eq!(markdown_text("crlf\r\ncr\rdone"), "crlf<br>cr<br>done");
        assert_eq!(markdown_text(r"C:\path\"), r"C:\path\");
    }

    // --- numeric alignment -----------------------------------------------------

    fn alignment_rows() -> Vec<Vec<Cell>> {
        vec![
            vec![1.into(), 1.5.into(), 7.into(), Cell::Null, "10".into()],
            vec![
                1000.into(),
                Cell::Null,
                "n/a".into(),
                Cell::Null,
                "2".into(),
            ],
        ]
    }

    const ALIGNMENT_COLUMNS: [&str; 5] = ["ints", "reals", "mixed", "nulls", "digits"];

    #[test]
    fn markdown_right_aligns_only_all_numeric_columns() {
        let text = render(Format::Markdown, &ALIGNMENT_COLUMNS, &alignment_rows());
        insta::assert_snapshot!(text, @r"
        | ints | reals | mixed | nulls | digits |
        | ---: | ----: | ----- | ----- | ------ |
        |    1 |   1.5 | 7     |       | 10     |
        | 1000 |       | n/a   |       | 2      |
        ");
        let delimiter = text.lines().nth(1).unwrap();
        assert_eq!(delimiter.matches(":").count(), 2);
    }

    #[test]
    fn table_right_aligns_only_all_numeric_columns() {
        let text = render(Format::Table, &ALIGNMENT_COLUMNS, &alignment_rows());
        insta::assert_snapshot!(text, @r"
        ints  reals  mixed  nulls  digits
        ────  ─────  ─────  ─────  ──────
           1    1.5  7             10
        1000         n/a           2
        ");
    }

    // --- protocol and plumbing -------------------------------------------------

    /// An output the test can read while the writer still holds it.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn streaming_formats_write_each_row_before_finish() {
        for format in ALL {
            let shared = Shared::default();
            let mut w = writer(format, Box::new(shared.clone()));
            w.begin(&names(&["n"])).unwrap();
            w.row(&[Cell::Int(4242)]).unwrap();
            let so_far = String::from_utf8(shared.0.borrow().clone()).unwrap();
            let buffered = matches!(format, Format::Table | Format::Markdown);
            assert_eq!(so_far.contains("4242"), !buffered, "{format}: {so_far:?}");
            w.finish().unwrap();
            let done = String::from_utf8(shared.0.borrow().clone()).unwrap();
            assert!(done.contains("4242"), "{format}");
        }
    }

    #[test]
    fn misuse_is_an_error_not_a_panic() {
        for format in ALL {
            let mut buf = Vec::new();
            let mut w = writer(format, Box::new(&mut buf));
            let kind = |r: io::Result<()>| r.unwrap_err().kind();
            assert_eq!(kind(w.row(&[Cell::Null])), io::ErrorKind::InvalidInput);
            assert_eq!(kind(w.finish()), io::ErrorKind::InvalidInput);
            w.begin(&names(&["a", "b"])).unwrap();
            assert_eq!(kind(w.begin(&names(&["a"]))), io::ErrorKind::InvalidInput);
            assert_eq!(
                kind(w.row(&[Cell::Null])),
                io::ErrorKind::InvalidInput,
                "{format}"
            );
            w.row(&[Cell::Null, Cell::Int(1)]).unwrap();
            w.finish().unwrap();
            assert_eq!(
                kind(w.row(&[Cell::Null, Cell::Null])),
                io::ErrorKind::InvalidInput
            );
            assert_eq!(kind(w.finish()), io::ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn zero_columns_render_without_panicking() {
        let outputs: Vec<String> = ALL.iter().map(|&f| render(f, &[], &[])).collect();
        assert_eq!(outputs, ["(no rows)\n", "", "", "[]\n", "", ""]);
    }

    #[test]
    fn write_errors_reach_the_caller() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        for format in ALL {
            let mut w = writer(format, Box::new(Broken));
            let result = w
                .begin(&names(&["a"]))
                .and_then(|()| w.row(&[Cell::Int(1)]))
                .and_then(|()| w.finish());
            assert!(result.is_err(), "{format}");
        }
    }

    #[test]
    fn format_names_match_the_command_line() {
        use clap::ValueEnum;
        for format in Format::value_variants() {
            let value = format.to_possible_value().unwrap();
            assert_eq!(value.get_name(), format.as_str());
            assert_eq!(Format::from_str(format.as_str(), false), Ok(*format));
            assert_eq!(format.to_string(), format.as_str());
        }
        assert_eq!(Format::value_variants().len(), ALL.len());
    }

    #[test]
    fn default_format_depends_on_the_terminal() {
        assert_eq!(default_format(true), Format::Table);
        assert_eq!(default_format(false), Format::Csv);
    }

    #[test]
    fn cells_convert_and_display() {
        assert_eq!(Cell::from(None::<i64>), Cell::Null);
        assert_eq!(Cell::from(Some("x")), Cell::Text("x".into()));
        assert_eq!(Cell::from(Some(2.5)), Cell::Real(2.5));
        assert_eq!(Cell::from(true), Cell::Int(1));
        assert_eq!(Cell::from(7_i32), Cell::Int(7));
        assert_eq!(Cell::from(String::from("s")), Cell::Text("s".into()));
        let shown: Vec<String> = [Cell::Null, Cell::Int(-4), Cell::Real(12.0), "t".into()]
            .iter()
            .map(Cell::to_string)
            .collect();
        assert_eq!(shown, ["", "-4", "12", "t"]);
        assert!(Cell::Real(0.0).is_numeric() && !Cell::Text("1".into()).is_numeric());
        assert!(Cell::Null.is_null() && !Cell::Int(0).is_null());
    }
}

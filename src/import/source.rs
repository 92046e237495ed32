//! Reading an input file: opening it (or standard input), hashing its bytes as they pass,
//! telling its format, and handing its rows one by one to the importer. CSV is read with one
//! reused `ByteRecord`; JSON arrays are streamed element by element, never read whole.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, anyhow, bail};
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::cli::InputFormat;

/// A reader that hashes and counts the bytes that pass through it.
pub struct Hashing<R> {
    inner: R,
    hasher: Arc<Mutex<Sha256>>,
    bytes: Arc<AtomicU64>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut hasher) = self.hasher.lock() {
            hasher.update(buf.get(..n).unwrap_or_default());
        }
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// How to read a file's bytes and rows, as the user or a mapping said.
#[derive(Debug, Clone, Default)]
pub struct ReadSettings {
    /// Decode from this encoding (default: UTF-8, or UTF-16 when a BOM says so).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Field delimiter for delimited text (default: sniffed from the header line).
    pub delimiter: Option<u8>,
    /// Lines to skip before the header (title rows).
    pub skip_rows: u64,
    /// Column names for a file without a header row.
    pub columns: Option<Vec<String>>,
}

/// How much of a file is read ahead to tell its format and delimiter.
const HEAD_BYTES: usize = 64 * 1024;

type Decoded = io::Chain<
    io::Cursor<Vec<u8>>,
    encoding_rs_io::DecodeReaderBytes<Hashing<Box<dyn Read>>, Vec<u8>>,
>;

/// An opened input: its display name and buffered, hashing (and decoding) reader.
pub struct Input {
    pub name: String,
    hasher: Arc<Mutex<Sha256>>,
    bytes: Arc<AtomicU64>,
    pub extension: Option<String>,
    settings: ReadSettings,
    reader: BufReader<Decoded>,
    /// The delimiter delimited text was read with.
    pub delimiter: Option<u8>,
    /// The first bytes of the (decoded) file.
    head: Vec<u8>,
}

impl Input {
    /// Opens a file, or standard input for `-`.
    pub fn open(path: &Path, settings: &ReadSettings) -> Result<Input> {
        let (name, inner): (String, Box<dyn Read>) = if path.as_os_str() == "-" {
            ("<stdin>".to_string(), Box::new(io::stdin()))
        } else {
            let file =
                File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
            if file.metadata().is_ok_and(|m| m.is_dir()) {
                bail!("cannot read {}: it is a directory", path.display());
            }
            (path.display().to_string(), Box::new(file))
        };
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let hasher = Arc::new(Mutex::new(Sha256::new()));
        let bytes = Arc::new(AtomicU64::new(0));
        let hashing = Hashing {
            inner,
            hasher: Arc::clone(&hasher),
            bytes: Arc::clone(&bytes),
        };
        // UTF-8 passes through untouched (and is checked cell by cell); a UTF-16 byte
        // order mark or --encoding transcodes to UTF-8.
        let mut decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(settings.encoding)
            .utf8_passthru(true)
            .strip_bom(true)
            .bom_sniffing(true)
            .build(hashing);
        // Read the head now, so that format and delimiter can be told from whole lines.
        let mut head = Vec::with_capacity(HEAD_BYTES);
        (&mut decoder)
            .take(HEAD_BYTES as u64)
            .read_to_end(&mut head)
            .with_context(|| format!("cannot read {name}"))?;
        let decoded = io::Cursor::new(head.clone()).chain(decoder);
        Ok(Input {
            name,
            hasher,
            bytes,
            extension,
            settings: settings.clone(),
            reader: BufReader::with_capacity(1 << 18, decoded),
            delimiter: None,
            head,
        })
    }

    /// A counter of the bytes read so far, for progress.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes)
    }

    /// The format: from the extension when it says, else from the first bytes.
    pub fn detect_format(&mut self) -> Result<InputFormat> {
        match self.extension.as_deref() {
            Some("csv") => return Ok(InputFormat::Csv),
            Some("tsv" | "tab") => return Ok(InputFormat::Tsv),
            Some("json") => return Ok(InputFormat::Json),
            Some("ndjson" | "jsonl") => return Ok(InputFormat::Ndjson),
            _ => {}
        }
        Ok(sniff_format(&self.head))
    }

    /// Reads to the end (so the hash covers every byte) and returns the hex sha256.
    pub fn finish(mut self) -> Result<String> {
        io::copy(&mut self.reader, &mut io::sink())
            .with_context(|| format!("cannot read {}", self.name))?;
        let hasher = self
            .hasher
            .lock()
            .map_err(|_| anyhow!("{}: the hash was lost", self.name))?
            .clone();
        Ok(hex(&hasher.finalize()))
    }

    /// Hands every row to `on_row`, stopping at the first error.
    pub fn rows(
        &mut self,
        format: InputFormat,
        on_row: &mut dyn FnMut(RawRow<'_>) -> Result<()>,
    ) -> Result<()> {
        match format {
            InputFormat::Csv | InputFormat::Tsv => {
                self.skip_title_rows()?;
                let delimiter = match (self.settings.delimiter, format) {
                    (Some(d), _) => d,
                    (None, InputFormat::Tsv) => b'\t',
                    (None, _) => {
                        let mut head = self.head.as_slice();
                        for _ in 0..self.settings.skip_rows {
                            let next = head
                                .iter()
                                .position(|&b| b == b'\n')
                                .map_or(head.len(), |i| i + 1);
                            head = head.get(next..).unwrap_or_default();
                        }
                        sniff_delimiter(head)
                    }
                };
                self.delimiter = Some(delimiter);
                self.csv_rows(delimiter, on_row)
            }
            InputFormat::Json => self.json_rows(on_row),
            InputFormat::Ndjson => self.ndjson_rows(on_row),
        }
    }

    /// Skips the title rows above the header.
    fn skip_title_rows(&mut self) -> Result<()> {
        let mut line = Vec::new();
        for _ in 0..self.settings.skip_rows {
            line.clear();
            let n = self
                .reader
                .read_until(b'\n', &mut line)
                .with_context(|| format!("cannot read {}", self.name))?;
            if n == 0 {
                bail!(
                    "{}: --skip-rows {} skips past the end of the file",
                    self.name,
                    self.settings.skip_rows
                );
            }
        }
        Ok(())
    }

    fn csv_rows(
        &mut self,
        delimiter: u8,
        on_row: &mut dyn FnMut(RawRow<'_>) -> Result<()>,
    ) -> Result<()> {
        let name = self.name.clone();
        let offset = self.settings.skip_rows;
        let given = self.settings.columns.clone();
        let headerless = given.is_some();
        // The csv crate counts a CRLF file's lines one short after its first record
        // (BurntSushi/rust-csv#395): count that line back in.
        let crlf = {
            let mut head = self.head.as_slice();
            for _ in 0..offset {
                let next = head
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(head.len(), |i| i + 1);
                head = head.get(next..).unwrap_or_default();
            }
            let first = head.split(|&b| b == b'\n').next().unwrap_or_default();
            first.ends_with(b"\r") && first.len() < head.len()
        };
        if self.head.contains(&0) {
            bail!(
                "{name}: the file holds NUL bytes: it is not text, or it is UTF-16 without a \
                 byte order mark (then say --encoding utf-16le or utf-16be)"
            );
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(given.is_none())
            .flexible(true)
            .from_reader(&mut self.reader);
        let headers: Vec<String> = match given {
            Some(columns) => columns,
            None => {
                let header_record = reader
                    .byte_headers()
                    .map_err(|e| csv_error(&name, offset, e))?
                    .clone();
                if header_record.as_slice().is_empty() {
                    bail!("{name}: the file is empty (no header row)");
                }
                let mut headers = Vec::with_capacity(header_record.len());
                for (i, h) in header_record.iter().enumerate() {
                    let text = std::str::from_utf8(h).map_err(|_| {
                        anyhow!(
                            "{name}: line {}, column {}: the header is not valid UTF-8; {}",
                            offset + 1,
                            i + 1,
                            ENCODING_HINT
                        )
                    })?;
                    headers.push(text.trim_start_matches('\u{feff}').trim().to_string());
                }
                headers
            }
        };
        let mut record = csv::ByteRecord::new();
        let mut first_record = headerless;
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(csv_error(&name, offset, e)),
            }
            let crlf_fix = u64::from(crlf && !first_record);
            first_record = false;
            let line = record.position().map_or(0, |p| p.line()) + offset + crlf_fix;
            if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
                continue; // a blank line
            }
            let ragged = record.len() != headers.len();
            for (i, cell) in record.iter().enumerate() {
                if let Err(err) = std::str::from_utf8(cell)
                    && !ragged
                {
                    let good = cell.get(..err.valid_up_to()).unwrap_or_default();
                    bail!(
                        "{name}: line {line}, column {} ({}), value {:?}: not valid UTF-8 \
                         (at byte {}); {}",
                        i + 1,
                        headers.get(i).map_or("?", String::as_str),
                        String::from_utf8_lossy(cell),
                        good.len() + 1,
                        ENCODING_HINT
                    );
                }
            }
            on_row(RawRow::Csv {
                headers: &headers,
                record: &record,
                line,
                delimiter,
                ragged,
            })?;
        }
        Ok(())
    }

    fn json_rows(&mut self, on_row: &mut dyn FnMut(RawRow<'_>) -> Result<()>) -> Result<()> {
        let name = self.name.clone();
        let first = first_significant_byte(&mut self.reader)
            .with_context(|| format!("cannot read {name}"))?;
        match first {
            None => bail!("{name}: the file is empty"),
            Some(b'{') => {
                let mut de = serde_json::Deserializer::from_reader(&mut self.reader);
                let value: Value = serde::Deserialize::deserialize(&mut de)
                    .map_err(|e| anyhow!("{name}: {}", describe_json_error(&e)))?;
                de.end()
                    .map_err(|e| anyhow!("{name}: {}", describe_json_error(&e)))?;
                match value {
                    Value::Object(obj) => on_row(RawRow::Json {
                        object: &obj,
                        line: 1,
                        element: None,
                    }),
                    _ => bail!("{name}: expected a JSON object or an array of objects"),
                }
            }
            Some(b'[') => {
                let mut de = serde_json::Deserializer::from_reader(&mut self.reader);
                let mut failure = None;
                let seed = ArraySeed {
                    on_row: &mut *on_row,
                    failure: &mut failure,
                };
                let result = seed.deserialize(&mut de);
                if let Some(err) = failure {
                    return Err(err);
                }
                result.map_err(|e| anyhow!("{name}: {}", describe_json_error(&e)))?;
                de.end()
                    .map_err(|e| anyhow!("{name}: {}", describe_json_error(&e)))?;
                Ok(())
            }
            Some(other) => bail!(
                "{name}: not JSON: expected an object or an array, found {:?}",
                char::from(other)
            ),
        }
    }

    fn ndjson_rows(&mut self, on_row: &mut dyn FnMut(RawRow<'_>) -> Result<()>) -> Result<()> {
        let name = self.name.clone();
        let mut buf = Vec::new();
        let mut line = 0u64;
        loop {
            buf.clear();
            let n = self
                .reader
                .read_until(b'\n', &mut buf)
                .with_context(|| format!("cannot read {name}"))?;
            if n == 0 {
                break;
            }
            line += 1;
            let text = std::str::from_utf8(&buf)
                .map_err(|_| anyhow!("{name}: line {line}: not valid UTF-8; {ENCODING_HINT}"))?;
            let text = text.trim().trim_start_matches('\u{feff}');
            if text.is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(text).map_err(|e| {
                anyhow!(
                    "{name}: line {line}, column {}: invalid JSON: {}",
                    e.column(),
                    json_error_reason(&e)
                )
            })?;
            match value {
                Value::Object(obj) => on_row(RawRow::Json {
                    object: &obj,
                    line,
                    element: None,
                })?,
                _ => bail!("{name}: line {line}: expected a JSON object"),
            }
        }
        if line == 0 {
            bail!("{name}: the file is empty");
        }
        Ok(())
    }
}

/// A row as read, before its fields are resolved.
pub enum RawRow<'a> {
    /// An element of a JSON array that is not an object (a row that cannot be read).
    NotObject { value: &'a Value, element: u64 },
    Csv {
        headers: &'a [String],
        record: &'a csv::ByteRecord,
        line: u64,
        delimiter: u8,
        /// The row has another number of fields than there are columns.
        ragged: bool,
    },
    Json {
        object: &'a Map<String, Value>,
        line: u64,
        /// The element's index (1-based) in a JSON array.
        element: Option<u64>,
    },
}

/// Streams the elements of a JSON array to the row callback.
struct ArraySeed<'f, 'g> {
    on_row: &'f mut dyn FnMut(RawRow<'_>) -> Result<()>,
    failure: &'g mut Option<anyhow::Error>,
}

impl<'de> DeserializeSeed<'de> for ArraySeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ArraySeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut element = 0u64;
        while let Some(value) = seq.next_element::<Value>()? {
            element += 1;
            let row = match &value {
                Value::Object(object) => RawRow::Json {
                    object,
                    line: 0,
                    element: Some(element),
                },
                other => RawRow::NotObject {
                    value: other,
                    element,
                },
            };
            if let Err(err) = (self.on_row)(row) {
                *self.failure = Some(err);
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

fn first_significant_byte<R: BufRead>(reader: &mut R) -> io::Result<Option<u8>> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        let skip = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if skip < buf.len() {
            // A UTF-8 byte order mark is skipped too.
            if buf.get(skip..skip + 3) == Some(&[0xEF, 0xBB, 0xBF][..]) {
                reader.consume(skip + 3);
                continue;
            }
            let byte = buf.get(skip).copied();
            reader.consume(skip);
            return Ok(byte);
        }
        let len = buf.len();
        reader.consume(len);
    }
}

/// Tells a format from a file's first bytes.
pub fn sniff_format(head: &[u8]) -> InputFormat {
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    match start.and_then(|i| head.get(i..)) {
        Some(rest) if rest.first() == Some(&b'[') => InputFormat::Json,
        Some(rest) if rest.first() == Some(&b'{') => {
            // NDJSON: the first line is a whole object and another object follows.
            let first_line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
            let next = rest.get(first_line.len()..).unwrap_or_default();
            let more = next
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|&b| b == b'{');
            if more && serde_json::from_slice::<Value>(first_line).is_ok() {
                InputFormat::Ndjson
            } else {
                InputFormat::Json
            }
        }
        _ => {
            let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
            let tabs = first_line.iter().filter(|&&b| b == b'\t').count();
            let commas = first_line.iter().filter(|&&b| b == b',').count();
            if tabs > commas {
                InputFormat::Tsv
            } else {
                InputFormat::Csv
            }
        }
    }
}

/// What to say when bytes are not UTF-8.
const ENCODING_HINT: &str = "sitrep reads UTF-8 (and UTF-16 with a byte order mark); if the \
     file comes from Excel or an older system, name its encoding, e.g. --encoding windows-1252";

fn csv_error(name: &str, offset: u64, err: csv::Error) -> anyhow::Error {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => anyhow!(
            "{name}: line {}: the row has {len} fields but the header has {expected_len}",
            pos.as_ref().map_or(0, csv::Position::line) + offset
        ),
        csv::ErrorKind::Utf8 { pos, err } => anyhow!(
            "{name}: line {}, column {}: not valid UTF-8; {ENCODING_HINT}",
            pos.as_ref().map_or(0, csv::Position::line) + offset,
            err.field() + 1
        ),
        _ => anyhow!("{name}: {err}"),
    }
}

/// Tells the delimiter from the first line: the most frequent of `,` `;` tab `|` outside
/// quotes (comma when none appears).
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted
            && let Some(n) = candidates
                .iter()
                .position(|&c| c == b)
                .and_then(|i| counts.get_mut(i))
        {
            *n += 1;
        }
    }
    let mut best = 0;
    for i in 1..counts.len() {
        if counts.get(i) > counts.get(best) {
            best = i;
        }
    }
    if counts.get(best).copied().unwrap_or(0) == 0 {
        b','
    } else {
        candidates.get(best).copied().unwrap_or(b',')
    }
}

/// A JSON error's reason without serde_json's own "at line L column C" suffix.
pub fn json_error_reason(err: &serde_json::Error) -> String {
    let text = err.to_string();
    text.split(" at line ").next().unwrap_or(&text).to_string()
}

fn describe_json_error(err: &serde_json::Error) -> String {
    if err.line() > 0 {
        let reason = json_error_reason(err);
        format!(
            "line {}, column {}: invalid JSON: {reason}",
            err.line(),
            err.column()
        )
    } else {
        format!("invalid JSON: {err}")
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_json_ndjson_csv_and_tsv() {
        assert_eq!(sniff_format(b"  [{\"a\":1}]"), InputFormat::Json);
        assert_eq!(sniff_format(b"{\"a\":1}\n{\"a\":2}\n"), InputFormat::Ndjson);
        assert_eq!(sniff_format(b"{\n  \"a\": 1\n}\n"), InputFormat::Json);
        assert_eq!(sniff_format(b"a,b,c\n1,2,3\n"), InputFormat::Csv);
        assert_eq!(sniff_format(b"a\tb\tc\n1\t2\t3\n"), InputFormat::Tsv);
        assert_eq!(sniff_format(b"\xEF\xBB\xBF[]"), InputFormat::Json);
    }

    #[test]
    fn sniffs_delimiters_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"a|b|c"), b'|');
        assert_eq!(sniff_delimiter(b"\"x;y;z\",b,c"), b',');
        assert_eq!(sniff_delimiter(b"single"), b',');
    }

    #[test]
    fn hex_is_lower_case_pairs() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }
}

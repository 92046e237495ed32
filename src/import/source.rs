//! Reading an input file: opening it (or standard input), hashing its bytes as they pass,
//! telling its format, and handing its rows one by one to the importer. CSV is read with one
//! reused `ByteRecord`; JSON arrays are streamed element by element, never read whole.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::cli::InputFormat;

/// A reader that hashes and counts (lines) what passes through it.
pub struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    newlines: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let data = buf.get(..n).unwrap_or_default();
        self.hasher.update(data);
        self.newlines += data.iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(n)
    }
}

/// An opened input: its display name and buffered, hashing reader.
pub struct Input {
    pub name: String,
    pub extension: Option<String>,
    reader: BufReader<Hashing<Box<dyn Read>>>,
}

impl Input {
    /// Opens a file, or standard input for `-`.
    pub fn open(path: &Path) -> Result<Input> {
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
        let hashing = Hashing {
            inner,
            hasher: Sha256::new(),
            newlines: 0,
        };
        Ok(Input {
            name,
            extension,
            reader: BufReader::with_capacity(1 << 18, hashing),
        })
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
        let head = self
            .reader
            .fill_buf()
            .with_context(|| format!("cannot read {}", self.name))?;
        Ok(sniff_format(head))
    }

    /// Reads to the end (so the hash covers every byte) and returns the hex sha256.
    pub fn finish(mut self) -> Result<String> {
        io::copy(&mut self.reader, &mut io::sink())
            .with_context(|| format!("cannot read {}", self.name))?;
        let hashing = self.reader.into_inner();
        Ok(hex(&hashing.hasher.finalize()))
    }

    /// Hands every row to `on_row`, stopping at the first error.
    pub fn rows(
        &mut self,
        format: InputFormat,
        on_row: &mut dyn FnMut(RawRow<'_>) -> Result<()>,
    ) -> Result<()> {
        match format {
            InputFormat::Csv => self.csv_rows(b',', on_row),
            InputFormat::Tsv => self.csv_rows(b'\t', on_row),
            InputFormat::Json => self.json_rows(on_row),
            InputFormat::Ndjson => self.ndjson_rows(on_row),
        }
    }

    fn csv_rows(
        &mut self,
        delimiter: u8,
        on_row: &mut dyn FnMut(RawRow<'_>) -> Result<()>,
    ) -> Result<()> {
        let name = self.name.clone();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(false)
            .from_reader(&mut self.reader);
        let header_record = reader
            .byte_headers()
            .map_err(|e| csv_error(&name, e))?
            .clone();
        if header_record.is_empty() || header_record.as_slice().is_empty() {
            bail!("{name}: the file is empty (no header row)");
        }
        let mut headers = Vec::with_capacity(header_record.len());
        for (i, h) in header_record.iter().enumerate() {
            let text = std::str::from_utf8(h).map_err(|_| {
                anyhow!(
                    "{name}: line 1, column {}: header is not valid UTF-8 (sitrep reads UTF-8 files)",
                    i + 1
                )
            })?;
            headers.push(text.trim_start_matches('\u{feff}').trim().to_string());
        }
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(csv_error(&name, e)),
            }
            let line = record.position().map_or(0, |p| p.line());
            if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
                continue; // a blank line
            }
            for (i, cell) in record.iter().enumerate() {
                if std::str::from_utf8(cell).is_err() {
                    bail!(
                        "{name}: line {line}, column {} ({}): value is not valid UTF-8 \
                         (sitrep reads UTF-8 files)",
                        i + 1,
                        headers.get(i).map_or("?", String::as_str)
                    );
                }
            }
            on_row(RawRow::Csv {
                headers: &headers,
                record: &record,
                line,
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
                let line_start = self.reader.get_ref().newlines;
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
                let _ = line_start;
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
            let text = std::str::from_utf8(&buf).map_err(|_| {
                anyhow!("{name}: line {line}: not valid UTF-8 (sitrep reads UTF-8 files)")
            })?;
            let text = text.trim().trim_start_matches('\u{feff}');
            if text.is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(text)
                .map_err(|e| anyhow!("{name}: line {line}: {}", describe_json_error(&e)))?;
            match value {
                Value::Object(obj) => on_row(RawRow::Json {
                    object: &obj,
                    line,
                    element: None,
                })?,
                _ => bail!("{name}: line {line}: expected a JSON object"),
            }
        }
        Ok(())
    }
}

/// A row as read, before its fields are resolved.
pub enum RawRow<'a> {
    Csv {
        headers: &'a [String],
        record: &'a csv::ByteRecord,
        line: u64,
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
            let Value::Object(object) = value else {
                *self.failure = Some(anyhow!("element {element}: expected a JSON object"));
                return Err(serde::de::Error::custom("stopped"));
            };
            if let Err(err) = (self.on_row)(RawRow::Json {
                object: &object,
                line: 0,
                element: Some(element),
            }) {
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

fn csv_error(name: &str, err: csv::Error) -> anyhow::Error {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => anyhow!(
            "{name}: line {}: the row has {len} fields but the header has {expected_len}",
            pos.as_ref().map_or(0, csv::Position::line)
        ),
        csv::ErrorKind::Utf8 { pos, err } => anyhow!(
            "{name}: line {}, column {}: value is not valid UTF-8 (sitrep reads UTF-8 files)",
            pos.as_ref().map_or(0, csv::Position::line),
            err.field() + 1
        ),
        _ => anyhow!("{name}: {err}"),
    }
}

fn describe_json_error(err: &serde_json::Error) -> String {
    if err.line() > 0 {
        let text = err.to_string();
        let reason = text.split(" at line ").next().unwrap_or(&text).to_string();
        format!(
            "line {}, column {}: invalid JSON: {reason}",
            err.line(),
            err.column()
        )
    } else {
        format!("invalid JSON: {err}")
    }
}

fn hex(bytes: &[u8]) -> String {
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
    fn hex_is_lower_case_pairs() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }
}

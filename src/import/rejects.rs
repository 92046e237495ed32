//! The rejects file of `import --skip-bad --rejects FILE`: every rejected row as it was in
//! the input, followed by the file, line and reason, as CSV.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use anyhow::{Context, Result};

use super::source::RawRow;

/// Columns the rejects file adds after a row's own cells.
const ADDED: [&str; 3] = ["sitrep_file", "sitrep_line", "sitrep_reason"];

pub struct Rejects {
    writer: csv::Writer<BufWriter<File>>,
    /// The header last written, so that files with other columns start a new block.
    header: Option<Vec<String>>,
    pub rows: u64,
}

impl Rejects {
    pub fn create(path: &Path) -> Result<Rejects> {
        let file = File::create(path)
            .with_context(|| format!("cannot write the rejects file {}", path.display()))?;
        Ok(Rejects {
            writer: csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(BufWriter::new(file)),
            header: None,
            rows: 0,
        })
    }

    /// Writes a rejected row: its cells unchanged (a JSON row as one `record` cell), then
    /// where it came from and why it was rejected.
    pub fn write(&mut self, file: &str, raw: &RawRow<'_>, place: &str, reason: &str) -> Result<()> {
        let (header, mut cells): (Vec<String>, Vec<Vec<u8>>) = match raw {
            RawRow::Csv {
                headers, record, ..
            } => (
                headers.to_vec(),
                record.iter().map(<[u8]>::to_vec).collect(),
            ),
            RawRow::Json { object, .. } => (
                vec!["record".to_string()],
                vec![
                    serde_json::Value::Object((*object).clone())
                        .to_string()
                        .into_bytes(),
                ],
            ),
            RawRow::NotObject { value, .. } => (
                vec!["record".to_string()],
                vec![value.to_string().into_bytes()],
            ),
        };
        let mut full = header;
        full.extend(ADDED.iter().map(|s| s.to_string()));
        if self.header.as_ref() != Some(&full) {
            self.writer.write_record(&full)?;
            self.header = Some(full);
        }
        cells.push(file.as_bytes().to_vec());
        // `line 12` is written as `12`; a JSON array's `element 3` stays as it is.
        cells.push(
            place
                .strip_prefix("line ")
                .unwrap_or(place)
                .as_bytes()
                .to_vec(),
        );
        cells.push(reason.as_bytes().to_vec());
        self.writer.write_record(&cells)?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.writer.flush()?;
        Ok(())
    }
}

//! One module per subcommand: each takes its parsed arguments and the archive path.

pub mod export;
pub mod import;
pub mod query;
pub mod sql;
pub mod stats;

use std::io::{IsTerminal, Write};

use crate::output::{self, Format, RowWriter};

/// The writer for query results on standard output, in the asked or default format.
pub fn stdout_writer(format: Option<Format>) -> Box<dyn RowWriter> {
    let stdout = std::io::stdout();
    let format = format.unwrap_or_else(|| output::default_format(stdout.is_terminal()));
    let out: Box<dyn Write> = Box::new(std::io::BufWriter::new(stdout.lock()));
    output::writer(format, out)
}

//! One module per subcommand: each takes its parsed arguments and the archive path.

pub mod backup;
pub mod check;
pub mod entities;
pub mod export;
pub mod extract;
pub mod import;
pub mod query;
pub mod report;
pub mod search;
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

/// A progress bar on standard error for importing `path` (by bytes when its size is known).
pub fn progress_bar(path: &std::path::Path) -> indicatif::ProgressBar {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let bar = if size > 0 {
        indicatif::ProgressBar::new(size)
    } else {
        indicatif::ProgressBar::new_spinner()
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(path.display().to_string());
    bar
}

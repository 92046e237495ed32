//! `sitrep report`: one self-contained HTML file describing the archive (see
//! [`crate::report`]). The file is written beside its final name and renamed into place, so
//! a failed run never leaves half a report; `--out -` writes to standard output.

use std::path::Path;

use anyhow::Result;

use crate::cli::ReportArgs;
use crate::{db, query, report};

pub fn run(db_path: &Path, args: &ReportArgs) -> Result<()> {
    let mut conn = db::open_ro(db_path)?;
    let refused = query::guard(&mut conn)?;
    let options = report::Options {
        archive: db_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| db_path.display().to_string()),
        from: args.from.clone(),
        to: args.to.clone(),
        events: args.events,
    };
    let html = report::build(&conn, &refused, &options)?;
    write_report(&args.out, &html)?;
    if args.out.as_os_str() != "-" {
        eprintln!(
            "wrote {} ({} KiB)",
            args.out.display(),
            html.len().div_ceil(1024)
        );
    }
    Ok(())
}

/// Writes the report to `out`: `-` is standard output; a device or pipe is written as it
/// is; a symbolic link is followed; a file is written beside its final name and renamed
/// into place.
fn write_report(out: &Path, html: &str) -> Result<()> {
    use std::io::Write;
    if out.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(html.as_bytes())?;
        return Ok(stdout.flush()?);
    }
    crate::output::whole_file::write_whole(out, "report", |path| Ok(std::fs::write(path, html)?))
}

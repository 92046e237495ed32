//! `sitrep report`: one self-contained HTML file describing the archive (see
//! [`crate::report`]). The file is written beside its final name and renamed into place, so
//! a failed run never leaves half a report; `--out -` writes to standard output.

use std::path::Path;

use anyhow::{Context, Result};

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
    let context = || format!("cannot write report {}", out.display());
    let target = match std::fs::metadata(out) {
        Ok(meta) if !meta.is_file() => {
            return std::fs::write(out, html).with_context(context);
        }
        Ok(_) => std::fs::canonicalize(out).with_context(context)?,
        Err(_) => out.to_path_buf(),
    };
    let name = target
        .file_name()
        .with_context(|| format!("{} is not a file name", out.display()))?;
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(name);
    partial_name.push(format!(".{}.partial", std::process::id()));
    let partial = target.with_file_name(partial_name);
    std::fs::write(&partial, html)
        .and_then(|()| std::fs::rename(&partial, &target))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })
        .with_context(context)
}

//! `sitrep report`: one self-contained HTML file describing the archive (see
//! [`crate::report`]). The file is written beside its final name and renamed into place, so
//! a failed run never leaves half a report.

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
    let name = args
        .out
        .file_name()
        .with_context(|| format!("{} is not a file name", args.out.display()))?;
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(name);
    partial_name.push(format!(".{}.partial", std::process::id()));
    let partial = args.out.with_file_name(partial_name);
    std::fs::write(&partial, &html)
        .and_then(|()| std::fs::rename(&partial, &args.out))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })
        .with_context(|| format!("cannot write report {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} KiB)",
        args.out.display(),
        html.len().div_ceil(1024)
    );
    Ok(())
}

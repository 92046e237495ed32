//! `sitrep import`: import each file in its own transaction and print a summary per file.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::cli::ImportArgs;
use crate::db;
use crate::import::{self, Options};

pub fn run(db_path: &Path, args: &ImportArgs) -> Result<()> {
    let mut conn = db::open_rw(db_path)?;
    let opts = Options {
        kind: args.kind,
        format: args.format,
        dataset: args.dataset.clone(),
    };
    let mut out = std::io::stdout().lock();
    for (i, path) in args.files.iter().enumerate() {
        let report = match import::import_file(&mut conn, path, &opts) {
            Ok(report) => report,
            Err(err) => {
                let left = args.files.len() - i - 1;
                let err = err.context(format!(
                    "nothing from {} was imported (the archive is as it was before it){}",
                    path.display(),
                    if left > 0 {
                        format!("; {left} later file(s) were not read")
                    } else {
                        String::new()
                    }
                ));
                return Err(err);
            }
        };
        for warning in &report.warnings {
            eprintln!("sitrep: warning: {}: {warning}", report.name);
        }
        writeln!(
            out,
            "{}: {} ({}): {}",
            report.name,
            report.kind.as_str(),
            report.format.as_str(),
            report.rows
        )?;
        if report.nested_events.total() > 0 {
            writeln!(
                out,
                "{}: events in articles: {}",
                report.name, report.nested_events
            )?;
        }
    }
    Ok(())
}

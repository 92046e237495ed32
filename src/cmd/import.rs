//! `sitrep import`: import each file in its own transaction and print a summary per file.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use crate::cli::{DateOrderArg, ImportArgs};
use crate::db;
use crate::db::fresh::FreshArchive;
use crate::import::mapping::Mapping;
use crate::import::rejects::Rejects;
use crate::import::source::ReadSettings;
use crate::import::unchanged;
use crate::import::value::DateOrder;
use crate::import::{self, Options};

pub fn run(db_path: &Path, args: &ImportArgs) -> Result<()> {
    // A missing file is reported before the archive is created or opened.
    for path in &args.files {
        if path.as_os_str() != "-" && !path.exists() {
            bail!("cannot read {}: no such file", path.display());
        }
    }
    // Everything that can be checked is checked before the archive is created or opened.
    let exists = db_path.exists();
    let figure_kinds: Vec<String> = {
        let conn = if exists {
            db::open_ro(db_path)?
        } else {
            db::open_fresh_in_memory()?
        };
        conn.prepare("SELECT name FROM figure_kinds")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mapping = match (&args.map, &args.preset) {
        (Some(path), _) => Some(Mapping::load(path, &figure_kinds)?),
        (None, Some(name)) => Some(Mapping::preset(name, &figure_kinds)?),
        (None, None) => None,
    };
    let opts = options(args, mapping)?;
    // A dry run against an archive that does not exist yet runs on an empty one in memory;
    // a real one builds the new archive in a temporary file, published when done.
    let mut target = if args.dry_run && !exists {
        Target::Existing(db::open_fresh_in_memory()?)
    } else if !exists {
        Target::Fresh(FreshArchive::create(db_path)?)
    } else {
        Target::Existing(db::open_rw(db_path)?)
    };
    let mut imported = 0;
    let result = import_all(&mut target, args, &opts, db_path, &mut imported);
    // A new archive is published when a file got in (what earlier files brought stays,
    // as with an existing archive); otherwise its name stays free.
    let published = match target {
        Target::Fresh(fresh) if imported > 0 => fresh.publish()?,
        _ => true,
    };
    if !published {
        // Another import created the archive meanwhile: import into it, after it.
        eprintln!(
            "sitrep: note: {} was created by another import while this one ran; \
             importing into it now",
            db_path.display()
        );
        let mut target = Target::Existing(db::open_rw(db_path)?);
        return import_all(&mut target, args, &opts, db_path, &mut 0);
    }
    result
}

/// Where the rows go.
enum Target {
    Existing(rusqlite::Connection),
    Fresh(FreshArchive),
}

impl Target {
    fn conn(&mut self) -> Result<&mut rusqlite::Connection> {
        match self {
            Target::Existing(conn) => Ok(conn),
            Target::Fresh(fresh) => fresh.conn(),
        }
    }
}

/// Imports every file in turn, counting those that got in.
fn import_all(
    target: &mut Target,
    args: &ImportArgs,
    opts: &Options,
    db_path: &Path,
    imported: &mut usize,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let many = args.files.len() > 1;
    let settings = unchanged::settings_hash(&opts.describe());
    let prefix = if args.dry_run { "dry run: " } else { "" };
    for (i, path) in args.files.iter().enumerate() {
        // A rejects file asks for the rows to be read again.
        if let Target::Existing(conn) = target
            && !args.force
            && args.rejects.is_none()
            && let Some(earlier) = unchanged::find(conn, path, &settings)?
        {
            writeln!(
                out,
                "{prefix}{}: unchanged since import {} of {} ({}), which gave {}: not read \
                 again (--force reads it)",
                path.display(),
                earlier.id,
                earlier.finished_at,
                if earlier.by_metadata {
                    "same file, size and modification time, same settings"
                } else {
                    "same content, same settings"
                },
                earlier.rows
            )?;
            continue;
        }
        let mut rejects = match &args.rejects {
            Some(target) => Some(Rejects::create(&rejects_path(target, path, many))?),
            None => None,
        };
        let report = match target
            .conn()
            .and_then(|conn| import::import_file(conn, path, opts, rejects.as_mut()))
        {
            Ok(report) => report,
            Err(err) if db::is_full(&err) => {
                bail!(
                    "nothing from {} was imported (the archive is as it was before it): the \
                     archive is full: no space left on its disk, or its size limit reached",
                    path.display()
                )
            }
            Err(err) => {
                let left = args.files.len() - i - 1;
                return Err(err.context(format!(
                    "nothing from {} was imported (the archive is as it was before it){}",
                    path.display(),
                    if left > 0 {
                        format!("; {left} later file(s) were not read")
                    } else {
                        String::new()
                    }
                )));
            }
        };
        *imported += 1;
        if let Some(r) = rejects {
            r.finish()?;
        }
        for warning in &report.warnings {
            eprintln!("sitrep: warning: {}: {warning}", report.name);
        }
        for (place, reason) in &report.rejected {
            eprintln!(
                "sitrep: rejected: {}: {}",
                report.name,
                import::located(place, reason)
            );
        }
        writeln!(
            out,
            "{prefix}{}: {} ({}): {}",
            report.name,
            report.kind.as_str(),
            report.format.as_str(),
            report.rows
        )?;
        if report.nested_events.total() > 0 {
            writeln!(
                out,
                "{prefix}{}: events in articles: {}",
                report.name, report.nested_events
            )?;
        }
    }
    if args.dry_run {
        writeln!(out, "dry run: nothing was written to {}", db_path.display())?;
    }
    Ok(())
}

/// Where a file's rejected rows go: the named file, or one per input when there are several.
fn rejects_path(target: &Path, input: &Path, many: bool) -> PathBuf {
    if !many {
        return target.to_path_buf();
    }
    let stem = target
        .file_stem()
        .map_or_else(|| "rejects".into(), |s| s.to_string_lossy().into_owned());
    let from = input
        .file_stem()
        .map_or_else(|| "stdin".into(), |s| s.to_string_lossy().into_owned());
    target.with_file_name(format!("{stem}.{from}.csv"))
}

/// The import options: the command line over the mapping's `read` settings.
fn options(args: &ImportArgs, mapping: Option<Mapping>) -> Result<Options> {
    let spec = mapping.as_ref().map(|m| &m.file.read);
    let encoding = match args
        .encoding
        .as_deref()
        .or(spec.and_then(|s| s.encoding.as_deref()))
    {
        None => None,
        Some(label) => Some(
            encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                anyhow!(
                    "unknown encoding {label:?} (try windows-1252, iso-8859-1, koi8-r, utf-16le)"
                )
            })?,
        ),
    };
    let delimiter = match args
        .delimiter
        .as_deref()
        .or(spec.and_then(|s| s.delimiter.as_deref()))
    {
        None => None,
        Some(d) => Some(parse_delimiter(d)?),
    };
    let date_order = match args.date_order {
        Some(DateOrderArg::Dmy) => Some(DateOrder::Dmy),
        Some(DateOrderArg::Mdy) => Some(DateOrder::Mdy),
        None => match spec.and_then(|s| s.date_order.as_deref()) {
            Some(text) => Some(
                DateOrder::parse(text)
                    .ok_or_else(|| anyhow!("mapping: date_order {text:?} is not dmy or mdy"))?,
            ),
            None => None,
        },
    };
    let read = ReadSettings {
        encoding,
        delimiter,
        skip_rows: if args.skip_rows > 0 {
            args.skip_rows
        } else {
            spec.map_or(0, |s| s.skip_rows)
        },
        columns: args
            .columns
            .clone()
            .or_else(|| spec.and_then(|s| s.columns.clone()))
            .map(|cols| cols.into_iter().map(|c| c.trim().to_string()).collect()),
    };
    if args.kind.is_some()
        && let Some(m) = &mapping
        && args.kind != Some(m.file.kind)
    {
        bail!(
            "--kind {} contradicts the mapping, which imports {}",
            args.kind.map_or("", |k| k.as_str()),
            m.file.kind.as_str()
        );
    }
    Ok(Options {
        kind: args.kind,
        format: args.format,
        dataset: args.dataset.clone(),
        read,
        date_order,
        mapping,
        skip_bad: args.skip_bad,
        dry_run: args.dry_run,
        progress: !args.quiet && std::io::stderr().is_terminal(),
    })
}

fn parse_delimiter(text: &str) -> Result<u8> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        "pipe" => Ok(b'|'),
        other => {
            let mut chars = other.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii() => Ok(c as u8),
                _ => Err(anyhow!(
                    "--delimiter {other:?}: give one ASCII character, or tab, comma, semicolon, pipe"
                )),
            }
        }
    }
    .context("invalid delimiter")
}

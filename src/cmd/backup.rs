//! `sitrep backup FILE`: a consistent copy of the archive through SQLite's online backup
//! API, written beside FILE and renamed into place, so a reader never sees half a copy.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::cli::BackupArgs;
use crate::db;

pub fn run(db_path: &Path, args: &BackupArgs) -> Result<()> {
    let target = &args.file;
    if target.exists() && !args.force {
        bail!("{} exists; add --force to replace it", target.display());
    }
    let conn = db::open_ro(db_path)?;
    let mut partial = target.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    conn.backup(
        rusqlite::MAIN_DB,
        &partial,
        None::<fn(rusqlite::backup::Progress)>,
    )
    .with_context(|| format!("cannot write a backup to {}", partial.display()))?;
    std::fs::rename(&partial, target)
        .with_context(|| format!("cannot move the backup into place at {}", target.display()))?;
    writeln!(
        std::io::stdout(),
        "backed up {} to {}",
        db_path.display(),
        target.display()
    )?;
    Ok(())
}

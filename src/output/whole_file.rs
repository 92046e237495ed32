//! Writing an output file (a report, a chart) so that it appears whole or not at all: it is
//! written beside its final name and renamed into place, so a failed write (a full disk)
//! leaves any earlier file as it was. A symbolic link is followed and its target replaced;
//! a device or pipe (`/dev/stdout`) is written as it is.

use std::path::Path;

use anyhow::{Context, Result};

/// Writes `path` through `write`, which is given the path to write to. `what` names the
/// file in errors ("report", "chart").
pub fn write_whole(path: &Path, what: &str, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let context = || format!("cannot write {what} {}", path.display());
    let target = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => return write(path).with_context(context),
        Ok(_) => std::fs::canonicalize(path).with_context(context)?,
        Err(_) => path.to_path_buf(),
    };
    let name = target
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    // `.NAME.PID.partial.EXT`: hidden, unique to this process, same extension (a writer
    // may pick its format by it).
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(name);
    partial_name.push(format!(".{}.partial", std::process::id()));
    if let Some(extension) = target.extension() {
        partial_name.push(".");
        partial_name.push(extension);
    }
    let partial = target.with_file_name(partial_name);
    write(&partial)
        .and_then(|()| std::fs::rename(&partial, &target).map_err(anyhow::Error::from))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })
        .with_context(context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_partial() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.html");
        std::fs::write(&file, "old").unwrap();
        let err = write_whole(&file, "report", |p| {
            std::fs::write(p, "half")?;
            anyhow::bail!("disk full")
        })
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("cannot write report"),
            "{err:#}"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn links_are_followed_and_the_extension_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.png");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("l.png");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_whole(&link, "chart", |p| {
            assert_eq!(p.extension().unwrap(), "png");
            Ok(std::fs::write(p, "new")?)
        })
        .unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }
}

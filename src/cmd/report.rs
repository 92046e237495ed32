//! `sitrep report`: one self-contained HTML file describing the archive.

use std::path::Path;

use anyhow::{Result, bail};

use crate::cli::ReportArgs;

pub fn run(_db_path: &Path, _args: &ReportArgs) -> Result<()> {
    bail!("sitrep report is not built yet")
}

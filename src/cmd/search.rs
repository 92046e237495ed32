//! `sitrep search`: full-text search over article titles, bodies and event notes.

use std::path::Path;

use anyhow::{Result, bail};

use crate::cli::SearchArgs;

pub fn run(_db_path: &Path, _args: &SearchArgs) -> Result<()> {
    bail!("sitrep search is not built yet")
}

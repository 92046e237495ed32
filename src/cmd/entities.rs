//! `sitrep entities list|show|alias|merge`.

use std::path::Path;

use anyhow::{Result, bail};

use crate::cli::{EntitiesAliasArgs, EntitiesListArgs, EntitiesMergeArgs, EntitiesShowArgs};

pub fn list(_db_path: &Path, _args: &EntitiesListArgs) -> Result<()> {
    bail!("sitrep entities list is not built yet")
}

pub fn show(_db_path: &Path, _args: &EntitiesShowArgs) -> Result<()> {
    bail!("sitrep entities show is not built yet")
}

pub fn alias(_db_path: &Path, _args: &EntitiesAliasArgs) -> Result<()> {
    bail!("sitrep entities alias is not built yet")
}

pub fn merge(_db_path: &Path, _args: &EntitiesMergeArgs) -> Result<()> {
    bail!("sitrep entities merge is not built yet")
}

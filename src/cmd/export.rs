pub fn run(_db: &std::path::Path, _a: &crate::cli::ExportArgs) -> anyhow::Result<()> {
    anyhow::bail!("todo")
}

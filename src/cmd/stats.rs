//! `sitrep stats`: what the archive holds, as one small table.

use std::path::Path;

use anyhow::Result;

use crate::cli::StatsArgs;
use crate::{db, query};

const STATS_SQL: &str = "
SELECT 'articles' AS what, count(*) AS count, min(published_day) AS first, max(published_day) AS last
  FROM articles WHERE placeholder = 0
UNION ALL SELECT 'placeholder articles', count(*), NULL, NULL FROM articles WHERE placeholder = 1
UNION ALL SELECT 'events', count(*), min(date), max(date) FROM events
UNION ALL SELECT 'events (day-precise)', count(*), min(date), max(date) FROM events WHERE date_precision = 'day'
UNION ALL SELECT 'figures', count(*), NULL, NULL FROM quantities
UNION ALL SELECT 'entities: ' || kind, count(*), NULL, NULL FROM entities GROUP BY kind
UNION ALL SELECT 'entity aliases', count(*), NULL, NULL FROM entity_aliases
UNION ALL SELECT 'sources', count(*), NULL, NULL FROM sources
UNION ALL SELECT 'imports', count(*), min(substr(started_at, 1, 10)), max(substr(started_at, 1, 10)) FROM imports
";

pub fn run(db_path: &Path, args: &StatsArgs) -> Result<()> {
    let mut conn = db::open_ro(db_path)?;
    let refused = query::guard(&mut conn)?;
    let mut out = super::stdout_writer(args.format.format);
    query::run(
        &conn,
        &refused,
        STATS_SQL,
        &query::Bindings::default(),
        out.as_mut(),
    )
}

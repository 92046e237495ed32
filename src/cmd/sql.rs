//! `sitrep sql`: one ad-hoc read-only statement.

use std::path::Path;

use anyhow::Result;

use crate::cli::SqlArgs;
use crate::{db, query};

pub fn run(db_path: &Path, args: &SqlArgs) -> Result<()> {
    let mut conn = db::open_ro(db_path)?;
    let refused = query::guard(&mut conn)?;
    query::limit_time(&mut conn, args.timeout)?;
    let bindings = query::Bindings {
        from: None,
        to: None,
        params: args.params.clone(),
    };
    let mut out = super::stdout_writer(args.format.format);
    query::run(&conn, &refused, &args.sql, &bindings, out.as_mut())
        .map_err(|e| query::explain_interrupt(e, args.timeout))
}

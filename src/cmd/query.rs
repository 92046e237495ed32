//! `sitrep query list|run|save|show|delete`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::params;

use crate::chart;
use crate::cli::{FormatArg, QueryNameArg, QueryRunArgs, QuerySaveArgs};
use crate::db;
use crate::output::Cell;
use crate::query::{self, builtin};

pub fn list(db_path: &Path, args: &FormatArg) -> Result<()> {
    let queries = if db_path.exists() {
        query::all(&db::open_ro(db_path)?)?
    } else {
        // Without an archive there are still the built-in queries to show.
        query::all(&db::open_fresh_in_memory()?)?
    };
    let mut out = super::stdout_writer(args.format);
    out.begin(&["name".into(), "kind".into(), "description".into()])?;
    for q in queries {
        out.row(&[
            Cell::Text(q.name),
            Cell::Text(if q.builtin { "built-in" } else { "saved" }.into()),
            Cell::Text(q.description),
        ])?;
    }
    out.finish()?;
    Ok(())
}

pub fn run(db_path: &Path, args: &QueryRunArgs) -> Result<()> {
    let mut conn = db::open_ro(db_path)?;
    let refused = query::guard(&mut conn)?;
    query::limit_time(&mut conn, args.timeout)?;
    let def = query::find(&conn, &args.name)?;
    let bindings = query::Bindings {
        from: args.from.clone(),
        to: args.to.clone(),
        params: args.params.clone(),
    };
    let sql = def.sql_for(&bindings, args.scan)?;
    if !args.chart && args.chart_out.is_none() {
        let mut out = super::stdout_writer(args.format.format);
        return query::run(&conn, &refused, sql, &bindings, out.as_mut())
            .map_err(|e| query::explain_interrupt(e, args.timeout));
    }
    let mut result = chart::Collector::default();
    query::run(&conn, &refused, sql, &bindings, &mut result)
        .map_err(|e| query::explain_interrupt(e, args.timeout))?;
    let drawn = chart::from_result(&def.name, &def.description, &result.columns, &result.rows)
        .with_context(|| format!("cannot chart query {:?}", def.name))?;
    if let Some(path) = &args.chart_out {
        chart::plot::write_file(&drawn, path)?;
        eprintln!(
            "wrote {} ({} series over {} {}s)",
            path.display(),
            drawn.series.len(),
            drawn.dates.len(),
            drawn.period.noun()
        );
    }
    if args.chart {
        let width = args.width.map(usize::from).unwrap_or_else(terminal_width);
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(chart::terminal::render(&drawn, width).as_bytes())?;
        stdout.flush()?;
    } else if args.format.format.is_some() {
        // A chart file and the numbers: print them too when a format was asked for.
        let mut out = super::stdout_writer(args.format.format);
        out.begin(&result.columns)?;
        for row in &result.rows {
            out.row(row)?;
        }
        out.finish()?;
    }
    Ok(())
}

/// The width of the terminal on standard output, else `$COLUMNS`, else 80.
fn terminal_width() -> usize {
    if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
        return usize::from(w);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&c: &usize| c > 0)
        .unwrap_or(80)
}

pub fn save(db_path: &Path, args: &QuerySaveArgs) -> Result<()> {
    if builtin::find(&args.name).is_some() {
        bail!(
            "{:?} is a built-in query; save yours under another name",
            args.name
        );
    }
    if args.name.trim().is_empty() {
        bail!("a saved query needs a name");
    }
    // Check the statement on a read-only connection before it is stored.
    let conn = db::open_rw(db_path)?;
    {
        let mut ro = db::open_ro(db_path)?;
        let refused = query::guard(&mut ro)?;
        query::check_read_only(&ro, &refused, &args.sql)?;
    }
    let sql = if args.replace {
        "INSERT INTO saved_queries (name, description, sql, created_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (name) DO UPDATE SET description = excluded.description, sql = excluded.sql, \
         created_at = excluded.created_at"
    } else {
        "INSERT INTO saved_queries (name, description, sql, created_at) VALUES (?1, ?2, ?3, ?4)"
    };
    match conn.execute(
        sql,
        params![args.name, args.description, args.sql, db::now_iso()],
    ) {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            bail!(
                "a query named {:?} is already saved; add --replace to replace it",
                args.name
            )
        }
        Err(e) => return Err(e.into()),
    }
    writeln!(std::io::stdout(), "saved query {}", args.name)?;
    Ok(())
}

pub fn show(db_path: &Path, args: &QueryNameArg) -> Result<()> {
    let (def, params) = if db_path.exists() {
        let mut conn = db::open_ro(db_path)?;
        let refused = query::guard(&mut conn)?;
        let def = query::find(&conn, &args.name)?;
        let params = query::parameters(&conn, &refused, &def.sql)?;
        (def, params)
    } else {
        let mut conn = db::open_fresh_in_memory()?;
        let refused = query::guard(&mut conn)?;
        let def = query::find(&conn, &args.name)?;
        let params = query::parameters(&conn, &refused, &def.sql)?;
        (def, params)
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "name: {}", def.name)?;
    writeln!(
        out,
        "kind: {}",
        if def.builtin { "built-in" } else { "saved" }
    )?;
    writeln!(out, "description: {}", def.description)?;
    writeln!(out, "parameters: {}", params.join(" "))?;
    match def.rollup {
        Some(rollup) => {
            writeln!(out, "sql (from the rollup tables):\n{}", rollup.sql.trim())?;
            writeln!(
                out,
                "sql (--scan, and parameters the rollups cannot serve):\n{}",
                def.sql.trim()
            )?;
        }
        None => writeln!(out, "sql:\n{}", def.sql.trim())?,
    }
    Ok(())
}

pub fn delete(db_path: &Path, args: &QueryNameArg) -> Result<()> {
    if builtin::find(&args.name).is_some() {
        bail!("{:?} is a built-in query and cannot be deleted", args.name);
    }
    let conn = db::open_rw(db_path)?;
    let n = conn.execute("DELETE FROM saved_queries WHERE name = ?1", [&args.name])?;
    if n == 0 {
        bail!("no saved query named {:?}", args.name);
    }
    writeln!(std::io::stdout(), "deleted query {}", args.name)?;
    Ok(())
}

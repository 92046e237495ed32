//! Saved queries: the built-in ones and the user's (table `saved_queries`), and running
//! any query read-only with its named parameters bound, never spliced.

pub mod builtin;

use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow, bail};
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, ToSql};

use crate::import::value::parse_date;
use crate::output::{Cell, RowWriter};

/// A query by name, built in or saved.
#[derive(Debug, Clone)]
pub struct QueryDef {
    pub name: String,
    pub description: String,
    pub sql: String,
    pub builtin: bool,
    /// A built-in query's form over the rollup tables.
    pub rollup: Option<&'static builtin::Rollup>,
}

impl QueryDef {
    fn of_builtin(b: &'static builtin::Builtin) -> QueryDef {
        QueryDef {
            name: b.name.to_string(),
            description: b.description.to_string(),
            sql: b.sql.to_string(),
            builtin: true,
            rollup: b.rollup.as_ref(),
        }
    }

    /// The SQL to run for these bindings: the rollup form when there is one that serves
    /// them (and `scan` was not asked for), else the query over the base tables.
    pub fn sql_for(&self, bindings: &Bindings, scan: bool) -> Result<&str> {
        let Some(rollup) = self.rollup.filter(|_| !scan) else {
            return Ok(&self.sql);
        };
        // `-p from=...` would bind :from past the normalisation the rollup relies on.
        let named = parse_params(&bindings.params)?;
        if named.iter().any(|(n, _)| n == "from" || n == "to") {
            return Ok(&self.sql);
        }
        let text = |b: Bound| match b {
            Bound::Text(t) => Some(t),
            _ => None,
        };
        let from = text(day("--from", &bindings.from, false)?);
        let to = text(day("--to", &bindings.to, true)?);
        Ok(if (rollup.serves)(from.as_deref(), to.as_deref()) {
            rollup.sql
        } else {
            &self.sql
        })
    }
}

/// Every query: built-ins first, then the user's, by name.
pub fn all(conn: &Connection) -> Result<Vec<QueryDef>> {
    let mut out: Vec<QueryDef> = builtin::BUILTINS.iter().map(QueryDef::of_builtin).collect();
    let mut stmt =
        conn.prepare("SELECT name, description, sql FROM saved_queries ORDER BY name")?;
    let saved = stmt.query_map([], |r| {
        Ok(QueryDef {
            name: r.get(0)?,
            description: r.get(1)?,
            sql: r.get(2)?,
            builtin: false,
            rollup: None,
        })
    })?;
    for q in saved {
        out.push(q?);
    }
    Ok(out)
}

/// Finds a query by name.
pub fn find(conn: &Connection, name: &str) -> Result<QueryDef> {
    if let Some(b) = builtin::find(name) {
        return Ok(QueryDef::of_builtin(b));
    }
    conn.query_row(
        "SELECT name, description, sql FROM saved_queries WHERE name = ?1",
        [name],
        |r| {
            Ok(QueryDef {
                name: r.get(0)?,
                description: r.get(1)?,
                sql: r.get(2)?,
                builtin: false,
                rollup: None,
            })
        },
    )
    .optional()?
    .ok_or_else(|| anyhow!("no query named {name:?} (see `sitrep query list`)"))
}

/// Values for a query's named parameters.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    pub from: Option<String>,
    pub to: Option<String>,
    /// `name=value` pairs from `-p`.
    pub params: Vec<String>,
}

/// A parameter value as bound: numbers as numbers, anything else as text.
enum Bound {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl ToSql for Bound {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value};
        Ok(match self {
            Bound::Null => ToSqlOutput::Owned(Value::Null),
            Bound::Int(i) => ToSqlOutput::Owned(Value::Integer(*i)),
            Bound::Real(f) => ToSqlOutput::Owned(Value::Real(*f)),
            Bound::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

/// A `--from`/`--to` value as a day: a week, month or year given to `--to` means its last
/// day, to `--from` its first.
fn day(flag: &str, value: &Option<String>, end: bool) -> Result<Bound> {
    use crate::import::value::Precision;
    use chrono::{Datelike, Days, Months, NaiveDate};
    let Some(text) = value else {
        return Ok(Bound::Null);
    };
    if text.trim().is_empty() {
        bail!("{flag} is empty: give a day (2025-06-01), a month (2025-06) or a year");
    }
    let d = match parse_date(text, None) {
        Ok(Some(d)) => d,
        Ok(None) => return Ok(Bound::Null),
        Err(e) => bail!("{flag} {text:?}: {e}"),
    };
    let last = |date: NaiveDate| -> Option<NaiveDate> {
        match d.precision {
            Precision::Day => Some(date),
            Precision::Week => date.checked_add_days(Days::new(6)),
            Precision::Month => date
                .with_day(1)?
                .checked_add_months(Months::new(1))?
                .pred_opt(),
            Precision::Year => NaiveDate::from_ymd_opt(date.year(), 12, 31),
        }
    };
    let date = if end {
        last(d.date).unwrap_or(d.date)
    } else {
        d.date
    };
    Ok(Bound::Text(date.format("%Y-%m-%d").to_string()))
}

/// A `--from`/`--to` value checked and read as `query run` reads it, as an ISO day
/// (`None` when not given): a week, month or year means its first day for `--from`
/// (`end` false), its last for `--to` (`end` true). A bad date is an error naming `flag`
/// and the value.
pub fn day_bound(flag: &str, value: &Option<String>, end: bool) -> Result<Option<String>> {
    Ok(match day(flag, value, end)? {
        Bound::Text(day) => Some(day),
        _ => None,
    })
}

/// `0123` and `-007` are ids or codes, not numbers (`0`, `0.5` are numbers).
fn has_leading_zero(value: &str) -> bool {
    let digits = value.trim_start_matches(['-', '+']);
    digits.starts_with('0') && digits.chars().nth(1).is_some_and(|c| c.is_ascii_digit())
}

fn parse_params(params: &[String]) -> Result<Vec<(String, Bound)>> {
    let mut seen: Vec<&str> = Vec::new();
    for p in params {
        let name = p
            .split('=')
            .next()
            .unwrap_or_default()
            .trim()
            .trim_start_matches([':', '@', '$']);
        if seen.contains(&name) {
            bail!("-p {name}=...: the parameter is given twice");
        }
        seen.push(name);
    }
    params
        .iter()
        .map(|p| {
            let (name, value) = p
                .split_once('=')
                .ok_or_else(|| anyhow!("-p {p:?}: expected name=value"))?;
            let name = name.trim().trim_start_matches([':', '@', '$']).to_string();
            if name.is_empty() {
                bail!("-p {p:?}: the parameter has no name");
            }
            // A number is bound as a number only when it reads back the same (`0123`
            // stays text: it is an id, not 123).
            let bound = if let Ok(i) = value.parse::<i64>()
                && i.to_string() == value
            {
                Bound::Int(i)
            } else if let Ok(f) = value.parse::<f64>()
                && f.is_finite()
                && !has_leading_zero(value)
            {
                Bound::Real(f)
            } else {
                Bound::Text(value.to_string())
            };
            Ok((name, bound))
        })
        .collect()
}

/// Pragmas whose argument names what to read, not a value to set.
const READ_ONLY_PRAGMAS: &[&str] = &[
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
];

/// Makes a connection refuse, at prepare time, what a read-only query must not do, and
/// remembers what it refused so the message can say so.
pub fn guard(conn: &mut Connection) -> Result<Arc<Mutex<Option<String>>>> {
    let refused = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&refused);
    conn.authorizer(Some(move |ctx: AuthContext<'_>| {
        let what = match ctx.action {
            AuthAction::Attach { .. } => Some("ATTACH".to_string()),
            AuthAction::Detach { .. } => Some("DETACH".to_string()),
            AuthAction::Pragma {
                pragma_name,
                pragma_value: Some(_),
            } if !READ_ONLY_PRAGMAS.contains(&pragma_name.to_ascii_lowercase().as_str()) => {
                Some(format!("changing PRAGMA {pragma_name}"))
            }
            AuthAction::Function { function_name }
                if function_name.eq_ignore_ascii_case("load_extension") =>
            {
                Some("load_extension".to_string())
            }
            _ => None,
        };
        match what {
            Some(what) => {
                if let Ok(mut slot) = seen.lock() {
                    *slot = Some(what);
                }
                Authorization::Deny
            }
            None => Authorization::Allow,
        }
    }))?;
    Ok(refused)
}

/// Stops any statement on the connection after `seconds` (0: no limit); the error then
/// says the query was stopped.
pub fn limit_time(conn: &mut Connection, seconds: f64) -> Result<()> {
    if !seconds.is_finite() || seconds < 0.0 {
        bail!("--timeout {seconds}: give a number of seconds, 0 for no limit");
    }
    if seconds == 0.0 {
        return Ok(());
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(seconds);
    // The handler runs every few thousand virtual-machine steps; true stops the query.
    conn.progress_handler(10_000, Some(move || std::time::Instant::now() > deadline))?;
    Ok(())
}

/// Checks that `sql` is one statement that only reads; the error says why not.
pub fn check_read_only(
    conn: &Connection,
    refused: &Mutex<Option<String>>,
    sql: &str,
) -> Result<()> {
    let stmt = prepare(conn, refused, sql)?;
    if !stmt.readonly() {
        bail!(
            "refused: the statement would change the archive; queries run read-only \
             (use `sitrep import` to add data)"
        );
    }
    Ok(())
}

fn prepare<'c>(
    conn: &'c Connection,
    refused: &Mutex<Option<String>>,
    sql: &str,
) -> Result<rusqlite::Statement<'c>> {
    if let Ok(mut slot) = refused.lock() {
        *slot = None;
    }
    conn.prepare(sql).map_err(|err| {
        let what = refused.lock().ok().and_then(|mut s| s.take());
        match (what, &err) {
            (Some(what), _) => anyhow!("refused: {what} is not allowed in a read-only query"),
            (None, rusqlite::Error::MultipleStatement) => {
                anyhow!("refused: give one SQL statement at a time")
            }
            _ => anyhow::Error::new(err).context("invalid SQL"),
        }
    })
}

/// Runs a read-only query with its parameters bound, writing the result to `out`.
pub fn run(
    conn: &Connection,
    refused: &Mutex<Option<String>>,
    sql: &str,
    bindings: &Bindings,
    out: &mut dyn RowWriter,
) -> Result<()> {
    let mut stmt = prepare(conn, refused, sql)?;
    if !stmt.readonly() {
        bail!(
            "refused: the statement would change the archive; queries run read-only \
             (use `sitrep import` to add data)"
        );
    }
    let from = day("--from", &bindings.from, false)?;
    let to = day("--to", &bindings.to, true)?;
    let mut params = parse_params(&bindings.params)?;
    let mut used = vec![false; params.len()];
    for index in 1..=stmt.parameter_count() {
        let Some(full) = stmt.parameter_name(index) else {
            bail!("the query uses a positional parameter (?); name it, as :name");
        };
        let name = full.get(1..).unwrap_or_default().to_string();
        let position = params.iter().position(|(n, _)| *n == name);
        let value: &dyn ToSql = match (name.as_str(), position) {
            (_, Some(i)) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                match params.get(i) {
                    Some((_, v)) => v,
                    None => &Bound::Null,
                }
            }
            ("from", None) => &from,
            ("to", None) => &to,
            _ => &Bound::Null,
        };
        stmt.raw_bind_parameter(index, value)?;
    }
    if let Some(i) = used.iter().position(|u| !u) {
        let name = params.swap_remove(i).0;
        bail!("-p {name}=...: the query has no parameter :{name}");
    }
    let columns: Vec<String> = stmt.column_names().map(|c| c.to_string()).collect();
    out.begin(&columns)?;
    let mut rows = stmt.raw_query();
    let mut cells = Vec::with_capacity(columns.len());
    while let Some(row) = rows.next()? {
        cells.clear();
        for i in 0..columns.len() {
            cells.push(match row.get_ref(i)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(v) => Cell::Int(v),
                ValueRef::Real(v) => Cell::Real(v),
                ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Cell::Text(format!("<{} bytes>", b.len())),
            });
        }
        out.row(&cells)?;
    }
    out.finish()?;
    Ok(())
}

/// Turns SQLite's "interrupted" into the message a user needs.
pub fn explain_interrupt(err: anyhow::Error, seconds: f64) -> anyhow::Error {
    let interrupted = err.chain().any(|cause| {
        cause
            .downcast_ref::<rusqlite::Error>()
            .and_then(rusqlite::Error::sqlite_error_code)
            == Some(rusqlite::ErrorCode::OperationInterrupted)
    });
    if interrupted {
        anyhow!("the query was stopped after {seconds} s (--timeout; 0 for no limit)")
    } else {
        err
    }
}

/// The named parameters a query takes, `:from` and `:to` included.
pub fn parameters(
    conn: &Connection,
    refused: &Mutex<Option<String>>,
    sql: &str,
) -> Result<Vec<String>> {
    let stmt = prepare(conn, refused, sql)?;
    let mut names = Vec::new();
    for index in 1..=stmt.parameter_count() {
        if let Some(name) = stmt.parameter_name(index)
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_string());
        }
    }
    Ok(names)
}

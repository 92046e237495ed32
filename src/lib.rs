//! sitrep: a local SQLite archive of conflict reporting (articles, events, entities and the
//! figures they report), its importers, and the saved queries that answer questions about it.
//!
//! `main` is thin; everything a command does lives under [`cmd`].

pub mod chart;
pub mod cli;
pub mod cmd;
pub mod db;
pub mod extract;
#[doc(hidden)]
pub mod harness;
pub mod import;
pub mod names;
pub mod output;
pub mod query;
pub mod report;

use cli::{Cli, Command, EntitiesCommand, QueryCommand};

/// Runs one parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let db = cli.db.as_path();
    match cli.command {
        Command::Import(args) => cmd::import::run(db, &args),
        Command::Query(QueryCommand::List(args)) => cmd::query::list(db, &args),
        Command::Query(QueryCommand::Run(args)) => cmd::query::run(db, &args),
        Command::Query(QueryCommand::Save(args)) => cmd::query::save(db, &args),
        Command::Query(QueryCommand::Show(args)) => cmd::query::show(db, &args),
        Command::Query(QueryCommand::Delete(args)) => cmd::query::delete(db, &args),
        Command::Sql(args) => cmd::sql::run(db, &args),
        Command::Export(args) => cmd::export::run(db, &args),
        Command::Stats(args) => cmd::stats::run(db, &args),
        Command::Check(args) => cmd::check::run(db, &args),
        Command::Backup(args) => cmd::backup::run(db, &args),
        Command::Extract(args) => cmd::extract::run(db, &args),
        Command::Search(args) => cmd::search::run(db, &args),
        Command::Entities(EntitiesCommand::List(args)) => cmd::entities::list(db, &args),
        Command::Entities(EntitiesCommand::Show(args)) => cmd::entities::show(db, &args),
        Command::Entities(EntitiesCommand::Alias(args)) => cmd::entities::alias(db, &args),
        Command::Entities(EntitiesCommand::Merge(args)) => cmd::entities::merge(db, &args),
        Command::Report(args) => cmd::report::run(db, &args),
    }
}

/// True when the error comes from writing to a closed pipe (`sitrep ... | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return io.kind() == BrokenPipe;
        }
        if let Some(csv) = cause.downcast_ref::<csv::Error>() {
            return matches!(csv.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe);
        }
        if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
            return json.io_error_kind() == Some(BrokenPipe);
        }
        false
    })
}

//! Command-line types: what `sitrep` accepts, as clap derive structs. No logic lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;

/// Keep a local SQLite archive of conflict reporting and answer saved questions about it.
#[derive(Debug, Parser)]
#[command(name = "sitrep", version, about, max_term_width = 100)]
pub struct Cli {
    /// The archive file (created on first import).
    #[arg(long, global = true, env = "SITREP_DB", default_value = "sitrep.db")]
    pub db: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import articles, events or entities from CSV, TSV, JSON or NDJSON files.
    Import(ImportArgs),
    /// List, run, save, show and delete saved queries.
    #[command(subcommand)]
    Query(QueryCommand),
    /// Run one read-only SQL statement against the archive.
    Sql(SqlArgs),
    /// Write articles, events or entities in a form `import` reads back.
    Export(ExportArgs),
    /// Counts and date ranges of what the archive holds.
    Stats(StatsArgs),
    /// Check the archive's integrity, foreign keys, invariants and rollups; report
    /// problems plainly.
    Check(CheckArgs),
    /// Write a consistent copy of the archive (safe while others read it).
    Backup(BackupArgs),
    /// Find the events, figures, dates and entities that article bodies report, and add
    /// them to the archive (marked as extracted, with the sentence each came from).
    Extract(ExtractArgs),
    /// Full-text search over article titles, bodies and event notes.
    Search(SearchArgs),
    /// List, show, alias and merge entities.
    #[command(subcommand)]
    Entities(EntitiesCommand),
    /// Write a self-contained HTML report of the archive.
    Report(ReportArgs),
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find, in FTS5 query syntax: words (all must occur), "exact phrase", OR,
    /// NOT, NEAR(a b, 10), prefix*, title:, body: or notes: before a word to search one
    /// column. Case and accents are ignored. A word with punctuation inside (Shahed-136,
    /// Kh-101/Kh-555, 12:00) is searched as the phrase of its parts. Matches are shown
    /// between [ and ].
    #[arg(allow_hyphen_values = true)]
    pub text: String,
    /// Only articles published (events dated) on or after this day.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only articles published (events dated) on or before this day.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only articles (events) from this source (case and accents ignored).
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Search only articles (titles and bodies) or only events (notes).
    #[arg(long, value_name = "WHAT", value_parser = ["articles", "events"])]
    pub only: Option<String>,
    /// At most this many hits (0: all).
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    Organisation,
    Place,
    MilitaryUnit,
    Weapon,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Place => "place",
            EntityKind::MilitaryUnit => "military_unit",
            EntityKind::Weapon => "weapon",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum EntitiesCommand {
    /// Entities with their kind, spellings and how often they are linked.
    List(EntitiesListArgs),
    /// One entity: its spellings, events, articles, first and last seen, merges.
    Show(EntitiesShowArgs),
    /// Add a spelling that names an entity from now on.
    Alias(EntitiesAliasArgs),
    /// Fold OTHER into KEEP: every link and spelling moves, the merge is recorded.
    Merge(EntitiesMergeArgs),
}

#[derive(Debug, Args)]
pub struct EntitiesListArgs {
    /// Only entities of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<EntityKind>,
    /// Only entities with a spelling containing this text (case and accents folded).
    #[arg(long, value_name = "TEXT")]
    pub like: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct EntitiesShowArgs {
    /// The entity's name or any of its spellings (case and accents do not matter).
    pub name: String,
    /// Which kind, when the name spells entities of several kinds.
    #[arg(long, value_enum)]
    pub kind: Option<EntityKind>,
    /// At most this many events and this many articles, latest first (0: all).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct EntitiesAliasArgs {
    /// The entity's name or any of its spellings.
    pub name: String,
    /// The new spelling.
    pub alias: String,
    /// Which kind, when the name spells entities of several kinds.
    #[arg(long, value_enum)]
    pub kind: Option<EntityKind>,
}

#[derive(Debug, Args)]
pub struct EntitiesMergeArgs {
    /// The entity that stays (its name or any spelling).
    pub keep: String,
    /// The entity merged into KEEP and then deleted (its name or any spelling).
    pub other: String,
    /// Which kind, when a name spells entities of several kinds.
    #[arg(long, value_enum)]
    pub kind: Option<EntityKind>,
    /// Print what would move, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The HTML file to write (`-` for standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: PathBuf,
    /// Only what happened (was published) on or after this day.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only what happened (was published) on or before this day.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// How many of the latest events to list.
    #[arg(long, default_value_t = 50)]
    pub events: u32,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["article", "since", "all", "evaluate"])))]
pub struct ExtractArgs {
    /// Only the article with this url.
    #[arg(long, value_name = "URL")]
    pub article: Option<String>,
    /// Articles published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Every article with a body.
    #[arg(long)]
    pub all: bool,
    /// Print what would be added, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Score the extractor against a gold set of articles (JSON; see tests/gold/README.md)
    /// and print precision and recall for figures, dates and entities. Needs no archive.
    #[arg(long, value_name = "GOLD", conflicts_with_all = ["article", "since", "all", "dry_run"])]
    pub evaluate: Option<PathBuf>,
    /// With --evaluate: also list every missed and every wrong item.
    #[arg(long, requires = "evaluate")]
    pub misses: bool,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rebuild the rollup tables and the search indexes from the base tables first.
    #[arg(long)]
    pub repair: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy.
    pub file: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Articles,
    Events,
    Entities,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Articles => "articles",
            RecordKind::Events => "events",
            RecordKind::Entities => "entities",
        }
    }
}

/// Input file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Csv,
    Tsv,
    Json,
    Ndjson,
}

impl InputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Csv => "csv",
            InputFormat::Tsv => "tsv",
            InputFormat::Json => "json",
            InputFormat::Ndjson => "ndjson",
        }
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// What the files hold (default: told from the columns or keys).
    #[arg(long, value_enum)]
    pub kind: Option<RecordKind>,

    /// The file format (default: told from the extension, then the content).
    #[arg(long, value_enum)]
    pub format: Option<InputFormat>,

    /// Name of the dataset the files' event ids belong to.
    #[arg(long)]
    pub dataset: Option<String>,

    /// A mapping file that says how a foreign file's columns become sitrep's records.
    #[arg(long, value_name = "FILE", conflicts_with = "preset")]
    pub map: Option<PathBuf>,

    /// A bundled mapping: air-force-daily, air-force-weapons, acled, ucdp-ged, headlines.
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,

    /// The file's encoding when it is not UTF-8 (windows-1252, iso-8859-1, koi8-r, utf-16le …).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Field delimiter of delimited text: a single character, or `tab` (default: sniffed).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,

    /// Lines to skip above the header row (titles, notes).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub skip_rows: u64,

    /// Column names for a file without a header row, comma-separated.
    #[arg(long, value_name = "A,B,C", value_delimiter = ',')]
    pub columns: Option<Vec<String>>,

    /// How to read slash dates like 03/04/2025: day first or month first.
    #[arg(long, value_enum)]
    pub date_order: Option<DateOrderArg>,

    /// Import the good rows and set bad ones aside (see --rejects) instead of stopping.
    #[arg(long)]
    pub skip_bad: bool,

    /// With --skip-bad: write each rejected row, unchanged, with its line and reason (CSV).
    #[arg(long, value_name = "FILE", requires = "skip_bad")]
    pub rejects: Option<PathBuf>,

    /// Check everything and report what would be added, updated or rejected; write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Never draw a progress bar.
    #[arg(long)]
    pub quiet: bool,

    /// Read a file even when the archive already holds this very import (same file,
    /// same settings, nothing changed since), which is otherwise skipped.
    #[arg(long)]
    pub force: bool,
}

/// Day/month order of slash dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateOrderArg {
    /// 03/04/2025 is 3 April.
    Dmy,
    /// 03/04/2025 is 4 March.
    Mdy,
}

#[derive(Debug, Subcommand)]
pub enum QueryCommand {
    /// List built-in and saved queries.
    List(FormatArg),
    /// Run a query by name.
    Run(QueryRunArgs),
    /// Save a query under a name.
    Save(QuerySaveArgs),
    /// Print a query's description, parameters and SQL.
    Show(QueryNameArg),
    /// Delete a saved query.
    Delete(QueryNameArg),
}

#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format (default: table on a terminal, csv otherwise).
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct QueryRunArgs {
    /// The query's name (see `sitrep query list`).
    pub name: String,
    /// First day to include (binds :from).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day to include (binds :to).
    #[arg(long)]
    pub to: Option<String>,
    /// A named parameter, as name=value (binds :name).
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Stop the query after this many seconds (0: no limit).
    #[arg(long, value_name = "SECONDS", default_value_t = 300.0)]
    pub timeout: f64,
    /// Answer a built-in query from the base tables, not from the rollups every import
    /// keeps (same answer, slower: for checking).
    #[arg(long)]
    pub scan: bool,
    /// Draw the result in the terminal (date-keyed results: a date column, then numbers).
    #[arg(long)]
    pub chart: bool,
    /// Write the result as a chart: FILE.svg or FILE.png.
    #[arg(long, value_name = "FILE")]
    pub chart_out: Option<PathBuf>,
    /// Chart width in columns, 30 or more (default: the terminal's width, or 80).
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(30..))]
    pub width: Option<u16>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct QuerySaveArgs {
    /// Name to save the query under.
    pub name: String,
    /// The SQL: one read-only statement; parameters as :name.
    #[arg(long)]
    pub sql: String,
    /// What the query answers.
    #[arg(long, default_value = "")]
    pub description: String,
    /// Replace a saved query of the same name.
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Args)]
pub struct QueryNameArg {
    pub name: String,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// One read-only SQL statement.
    pub sql: String,
    /// A named parameter, as name=value (binds :name).
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Stop the statement after this many seconds (0: no limit).
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub timeout: f64,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    pub kind: RecordKind,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

/// Export formats: the ones `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Ndjson,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub format: FormatArg,
}

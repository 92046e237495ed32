//! `sitrep search`: full-text search over article titles, bodies and event notes.
//!
//! This module owns the search: turning the user's text into an FTS5 query
//! ([`fts_query`]), ranking the hits of both indexes (`articles_search`, `events_search`,
//! built and kept in step by migration 4's triggers) in one list, and the snippets shown
//! with each hit, with their markers ([`OPEN`], [`CLOSE`]).
//!
//! Rules:
//! - Hits are ranked by bm25 (SQLite's FTS5 `bm25()`), within each index by its own
//!   statistics; a word in an article's title weighs [`TITLE_WEIGHT`] times one in its
//!   body. The two lists are merged by relevance: a hit's bm25 over the best hit's of its
//!   index (the `score` column, 1 for the best article and the best event), so a word
//!   common in one index does not bury that index's hits.
//! - Matched words are marked `[like this]` in every format: in the title (articles)
//!   and in the snippet, a stretch of the body (articles) or notes (events) around the
//!   matches, on one line. Brackets in the text itself are shown as they are. In the
//!   `table` format a long cell is cut around its first marked word, not at its end.
//! - `--from`/`--to` read days as `query run` does and filter articles by the day they
//!   were published, events by their date; `--source` matches a source's name with case
//!   and accents folded, and an unknown source is an error.
//! - No match is not an error: the result is empty and standard error says so; when
//!   `--limit` cuts the list, standard error says how many matches there are in all.
//! - Query syntax is FTS5's, except that a word with punctuation inside is searched as the
//!   phrase of its parts (see [`fts_query`]). Text FTS5 cannot read is an error naming it.
//! - A column filter that only one index has (`title:`, `body:` for articles, `notes:`
//!   for events) searches only that index.
//! - Placeholder articles (a url cited by an event, nothing else) have no text and are
//!   never found.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use rusqlite::{Connection, OptionalExtension};

use crate::cli::SearchArgs;
use crate::output::{self, Cell, Format, TABLE_MAX_CELL_CHARS};
use crate::{db, names, query};

/// Written before each matched word in titles and snippets.
pub const OPEN: &str = "[";
/// Written after each matched word in titles and snippets.
pub const CLOSE: &str = "]";
/// Marks text left out at either end of a snippet.
const ELLIPSIS: &str = "…";
/// How many words a snippet holds (FTS5 allows at most 64).
const SNIPPET_WORDS: i64 = 24;
/// How much more a word in an article's title counts than one in its body.
pub const TITLE_WEIGHT: f64 = 5.0;

/// One of the two full-text indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Index {
    Articles,
    Events,
}

impl Index {
    const ALL: [Index; 2] = [Index::Articles, Index::Events];

    fn table(self) -> &'static str {
        match self {
            Index::Articles => "articles_search",
            Index::Events => "events_search",
        }
    }

    /// The columns a query can name (`title:drones`).
    fn columns(self) -> &'static [&'static str] {
        match self {
            Index::Articles => &["title", "body"],
            Index::Events => &["notes"],
        }
    }

    fn other(self) -> Index {
        match self {
            Index::Articles => Index::Events,
            Index::Events => Index::Articles,
        }
    }

    /// This index's hits that pass the filters, best first, with what is shown of them.
    /// FTS5 orders by `rank` itself (bm25, with the title weighted for articles), so a
    /// snippet is made only for the rows read.
    fn hits_sql(self) -> &'static str {
        match self {
            Index::Articles => {
                "SELECT articles_search.rank, a.published_day, s.name, \
                 highlight(articles_search, 0, :open, :close), \
                 snippet(articles_search, 1, :open, :close, :ellipsis, :words), a.url \
                 FROM articles_search JOIN articles a ON a.id = articles_search.rowid \
                 LEFT JOIN sources s ON s.id = a.source_id \
                 WHERE articles_search MATCH :q AND articles_search.rank MATCH :rank \
                 AND (:from IS NULL OR a.published_day >= :from) \
                 AND (:to IS NULL OR a.published_day <= :to) \
                 AND (:source IS NULL OR a.source_id = :source) \
                 ORDER BY articles_search.rank"
            }
            Index::Events => {
                "SELECT events_search.rank, e.date, s.name, e.type, e.location, e.region, \
                 e.country, snippet(events_search, 0, :open, :close, :ellipsis, :words), \
                 (SELECT a.url FROM event_articles ea JOIN articles a ON a.id = ea.article_id \
                  WHERE ea.event_id = e.id ORDER BY a.placeholder, a.published_day, a.id \
                  LIMIT 1), \
                 e.dataset, coalesce(e.external_id, e.key) \
                 FROM events_search JOIN events e ON e.id = events_search.rowid \
                 LEFT JOIN sources s ON s.id = e.source_id \
                 WHERE events_search MATCH :q AND events_search.rank MATCH :rank \
                 AND (:from IS NULL OR e.date >= :from) \
                 AND (:to IS NULL OR e.date <= :to) \
                 AND (:source IS NULL OR e.source_id = :source) \
                 ORDER BY events_search.rank"
            }
        }
    }

    /// How many hits pass the filters (no ranking, no snippets).
    fn count_sql(self) -> &'static str {
        match self {
            Index::Articles => {
                "SELECT count(*) \
                 FROM articles_search JOIN articles a ON a.id = articles_search.rowid \
                 WHERE articles_search MATCH :q \
                 AND (:from IS NULL OR a.published_day >= :from) \
                 AND (:to IS NULL OR a.published_day <= :to) \
                 AND (:source IS NULL OR a.source_id = :source)"
            }
            Index::Events => {
                "SELECT count(*) \
                 FROM events_search JOIN events e ON e.id = events_search.rowid \
                 WHERE events_search MATCH :q \
                 AND (:from IS NULL OR e.date >= :from) \
                 AND (:to IS NULL OR e.date <= :to) \
                 AND (:source IS NULL OR e.source_id = :source)"
            }
        }
    }

    /// The ranking function, as FTS5's `rank MATCH` takes it.
    fn rank(self) -> String {
        match self {
            Index::Articles => format!("bm25({TITLE_WEIGHT:?}, 1.0)"),
            Index::Events => "bm25()".to_string(),
        }
    }

    /// A row of [`Index::hits_sql`] as a hit: its bm25 score and its cells in [`COLUMNS`]
    /// order, from `what` on.
    fn hit(self, r: &rusqlite::Row<'_>) -> rusqlite::Result<Hit> {
        let text = |i: usize| -> rusqlite::Result<Cell> {
            Ok(r.get::<_, Option<String>>(i)?
                .map_or(Cell::Null, |t| Cell::Text(one_line(&t))))
        };
        let cells = match self {
            Index::Articles => vec![
                Cell::from("article"),
                text(1)?,
                text(2)?,
                text(3)?,
                text(4)?,
                text(5)?,
                Cell::Null,
                Cell::Null,
            ],
            Index::Events => {
                let label = event_label(
                    r.get::<_, Option<String>>(3)?.as_deref(),
                    r.get::<_, Option<String>>(4)?.as_deref(),
                    r.get::<_, Option<String>>(5)?.as_deref(),
                    r.get::<_, Option<String>>(6)?.as_deref(),
                );
                let dataset: String = r.get(9)?;
                vec![
                    Cell::from("event"),
                    text(1)?,
                    text(2)?,
                    Cell::Text(one_line(&label)),
                    text(7)?,
                    text(8)?,
                    if dataset.is_empty() {
                        Cell::Null
                    } else {
                        Cell::Text(dataset)
                    },
                    text(10)?,
                ]
            }
        };
        Ok(Hit {
            score: r.get(0)?,
            cells,
        })
    }
}

/// Characters FTS5 reads as part of a bare word: ASCII letters and digits, `_`, the
/// substitute character and everything outside ASCII.
fn is_bareword_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '\u{1a}' || !c.is_ascii()
}

/// Characters that end a word of the user's text (besides white space): FTS5 reads them
/// on their own, wherever they stand.
fn is_delimiter(c: char) -> bool {
    matches!(c, '"' | '(' | ')' | '{' | '}' | ',')
}

/// Characters that are FTS5 operators when they stand alone or at a word's edge.
fn is_operator_char(c: char) -> bool {
    matches!(c, '+' | '-' | '*' | '^' | ':')
}

/// The FTS5 query for the user's text.
///
/// The text is FTS5 query syntax, with one change: a word that has punctuation inside
/// (`Shahed-136`, `Kharkiv-based`, `Kh-101/Kh-555`, `U.S.`, `12:00`, `o'clock`) is put in
/// double quotes, so FTS5 searches the phrase of its parts (`shahed 136`) instead of
/// reading the punctuation as operators and failing. Left as written:
/// - quoted phrases, parentheses, braces and commas (`NEAR(a b, 5)`, `{title body}:x`);
/// - plain words, `AND`, `OR`, `NOT`, `NEAR`;
/// - a column filter naming a column of the indexes (`title:`, `body:`, `notes:`,
///   `-title:`), a leading `^` (first word) or `:` and a trailing `*` (prefix), around
///   the word they mark, which is itself quoted if it has punctuation inside;
/// - a word that starts with `-`, and words made only of `+ - * ^ :`: they are FTS5
///   operators (`-title:x`, `a + b`), and FTS5 reports them when misplaced (a bare `-`,
///   `-drones`).
pub fn fts_query(text: &str) -> String {
    let text = &commas(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        let end = if c == '"' {
            string_end(rest)
        } else if c.is_whitespace() || is_delimiter(c) {
            c.len_utf8()
        } else {
            rest.find(|c: char| c.is_whitespace() || is_delimiter(c))
                .unwrap_or(rest.len())
        };
        let (piece, tail) = rest.split_at(end);
        if c == '"' {
            push_string(piece, &mut out);
        } else if c.is_whitespace() || is_delimiter(c) {
            out.push_str(piece);
        } else {
            push_word(piece, &mut out);
        }
        rest = tail;
    }
    out
}

/// Commas outside quotes and parentheses, which FTS5 would reject: one between two
/// digits (`1,100`) is punctuation inside a number (made `.`, so the word becomes
/// a phrase of its parts), any other (`Kyiv, Kharkiv`) separates words. Commas inside
/// parentheses (`NEAR(a b, 5)`) and quotes are FTS5's.
fn commas(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let (mut depth, mut quoted) = (0usize, false);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                let inside = i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                out.push(if inside { '.' } else { ' ' });
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Where the double-quoted string at the start of `text` ends (after its closing quote;
/// `""` inside is a quote), or the end of `text` when it is not closed.
fn string_end(text: &str) -> usize {
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((at, c)) = chars.next() {
        if c == '"' {
            if chars.peek().is_some_and(|&(_, next)| next == '"') {
                chars.next();
            } else {
                return at + 1;
            }
        }
    }
    text.len()
}

/// Appends a double-quoted string, apart from a string just before it (`"a""b"` would be
/// one string holding a quote).
fn push_string(string: &str, out: &mut String) {
    if out.ends_with('"') {
        out.push(' ');
    }
    out.push_str(string);
}

/// Whether `name` is a column of either index (FTS5 compares column names ignoring case).
fn is_column(name: &str) -> bool {
    Index::ALL
        .iter()
        .flat_map(|i| i.columns())
        .any(|c| c.eq_ignore_ascii_case(name))
}

/// Appends one word of the user's text (no white space or delimiter in it), quoted when
/// it has punctuation inside (see [`fts_query`]).
fn push_word(word: &str, out: &mut String) {
    // A column filter: `title:`, `-title:`; the word after it, if any, is a term.
    if let Some((column, after)) = word.split_once(':')
        && is_column(column.strip_prefix('-').unwrap_or(column))
    {
        out.push_str(column);
        out.push(':');
        push_term(after, out);
        return;
    }
    // After a list of columns: `{title body}:drones`.
    if let Some(after) = word.strip_prefix(':') {
        out.push(':');
        push_term(after, out);
        return;
    }
    if word.starts_with('-') || word.chars().all(is_operator_char) {
        out.push_str(word);
        return;
    }
    push_term(word, out);
}

/// Appends a word that stands for words of the text: as it is when FTS5 reads it as one
/// bare word (with a leading `^` and a trailing `*`), else quoted.
fn push_term(word: &str, out: &mut String) {
    let (caret, core) = match word.strip_prefix('^') {
        Some(core) => ("^", core),
        None => ("", word),
    };
    let (core, star) = match core.strip_suffix('*') {
        Some(core) => (core, "*"),
        None => (core, ""),
    };
    if core.is_empty() || core.chars().all(is_bareword_char) {
        out.push_str(word);
    } else {
        out.push_str(caret);
        // No `"` can be inside: it ends a word.
        push_string(&format!("\"{core}\""), out);
        out.push_str(star);
    }
}

/// Text on one line: every run of white space (line breaks included) becomes one space.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `text` cut to at most `max` characters around its first marked word, so that a
/// `table` cell (which cuts long text at its end) still shows why a row matched: from the
/// start when the marked word fits there, else from a little before it. Cuts fall
/// between words where one is near, and are marked with `…`; text that fits is returned
/// as it is.
pub fn fit_around_mark(text: &str, max: usize) -> String {
    /// How far a cut may move to fall between words.
    const SLACK: usize = 12;
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    if len <= max || max < 3 {
        return text.to_string();
    }
    let find = |marker: &str, from: usize| {
        let marker = marker.chars().next().unwrap_or(' ');
        chars
            .get(from..)
            .and_then(|rest| rest.iter().position(|&c| c == marker))
            .map(|at| from + at)
    };
    let mark = find(OPEN, 0).unwrap_or(0);
    let mark_end = find(CLOSE, mark).map_or(mark, |at| at + 1);
    // One ellipsis takes one character; the text between them the rest.
    let (mut start, mut end) = if mark_end < max {
        (0, max - 1)
    } else {
        let start = mark.saturating_sub((max - 2) / 4);
        if start + max > len {
            (len - (max - 1), len)
        } else {
            (start, start + max - 2)
        }
    };
    if start > 0
        && let Some(space) = chars[start..mark.max(start)]
            .iter()
            .take(SLACK)
            .position(|c| c.is_whitespace())
    {
        start += space + 1;
    }
    if end < len
        && let Some(space) = chars[mark_end.min(end)..end]
            .iter()
            .rev()
            .take(SLACK)
            .position(|c| c.is_whitespace())
    {
        end -= space + 1;
    }
    let middle: String = chars[start..end].iter().collect();
    let mut middle = middle.as_str();
    let mut out = String::with_capacity(max * 4);
    if start > 0 {
        out.push_str(ELLIPSIS);
        middle = middle.trim_start().trim_start_matches(ELLIPSIS);
    }
    if end < len {
        middle = middle.trim_end().trim_end_matches(ELLIPSIS);
    }
    out.push_str(middle);
    if end < len {
        out.push_str(ELLIPSIS);
    }
    out
}

/// The title shown for an event: its type and place, e.g. `air_attack in Kharkiv, Kharkiv
/// Oblast` (location and region, else country).
pub fn event_label(
    kind: Option<&str>,
    location: Option<&str>,
    region: Option<&str>,
    country: Option<&str>,
) -> String {
    fn present(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    let mut places: Vec<&str> = Vec::new();
    for place in [present(location), present(region)].into_iter().flatten() {
        if !places.iter().any(|p| p.eq_ignore_ascii_case(place)) {
            places.push(place);
        }
    }
    if places.is_empty()
        && let Some(country) = present(country)
    {
        places.push(country);
    }
    let kind = present(kind).unwrap_or("event");
    if places.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} in {}", places.join(", "))
    }
}

/// The error for text FTS5 could not read.
fn invalid_query(text: &str, fts: &str, reason: &str) -> anyhow::Error {
    let searched = if fts == text {
        String::new()
    } else {
        format!(" (searched as {fts:?})")
    };
    anyhow!(
        "search text {text:?}{searched} is not a valid query: {reason}. Put words in double \
         quotes to search them as they are; write NOT before a word to leave out what has it \
         (see `sitrep search --help`)"
    )
}

/// SQLite's message when `err` is an error in the statement or its query (not busy, I/O,
/// corruption ...).
fn query_error_message(err: &rusqlite::Error) -> Option<String> {
    match err {
        rusqlite::Error::SqliteFailure(e, message) if e.code == rusqlite::ErrorCode::Unknown => {
            Some(message.clone().unwrap_or_else(|| err.to_string()))
        }
        _ => None,
    }
}

/// The indexes to search: those asked for, less one whose columns the query does not
/// have when the other has them. An error when FTS5 cannot read the query.
fn usable_indexes(conn: &Connection, text: &str, fts: &str, asked: &[Index]) -> Result<Vec<Index>> {
    let mut usable = Vec::new();
    let mut skipped = Vec::new();
    for &index in asked {
        let sql = format!(
            "SELECT 1 FROM {0} WHERE {0} MATCH ?1 LIMIT 1",
            index.table()
        );
        let probe = conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| stmt.query_row([fts], |_| Ok(())).optional());
        let err = match probe {
            Ok(_) => {
                usable.push(index);
                continue;
            }
            Err(err) => err,
        };
        let Some(message) = query_error_message(&err) else {
            return Err(err.into());
        };
        let missing = message.strip_prefix("no such column: ").unwrap_or_default();
        let other = index.other();
        if asked.contains(&other)
            && other
                .columns()
                .iter()
                .any(|c| c.eq_ignore_ascii_case(missing))
        {
            skipped.push(message);
            continue;
        }
        let reason = match missing {
            "" => message
                .trim_start_matches("fts5: ")
                .replace("near \"\"", "at the end"),
            _ => format!(
                "{message} (the columns are {})",
                asked
                    .iter()
                    .flat_map(|i| i.columns())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(invalid_query(text, fts, &reason));
    }
    if usable.is_empty() {
        return Err(invalid_query(
            text,
            fts,
            &format!(
                "{}: it names columns of articles (title, body) and of events (notes) \
                 together; search them one at a time",
                skipped.join(", ")
            ),
        ));
    }
    Ok(usable)
}

/// The id of the source named `name` (case and accents folded), or an error listing the
/// archive's sources.
fn source_id(conn: &Connection, name: &str) -> Result<i64> {
    let found: Option<i64> = conn
        .query_row(
            "SELECT id FROM sources WHERE key = ?1",
            [names::fold(name)],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    let mut stmt = conn.prepare("SELECT name FROM sources ORDER BY key")?;
    let known: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    const SHOWN: usize = 12;
    let mut list = known
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if known.len() > SHOWN {
        list.push_str(&format!(" and {} more", known.len() - SHOWN));
    }
    if known.is_empty() {
        bail!("--source {name:?}: the archive has no sources");
    }
    bail!("--source {name:?}: no source of that name in the archive; sources: {list}")
}

/// One hit: its bm25 score (lower is better) and its cells from `what` on.
struct Hit {
    score: f64,
    cells: Vec<Cell>,
}

const COLUMNS: [&str; 10] = [
    "rank", "score", "what", "date", "source", "title", "snippet", "url", "dataset", "event_id",
];

/// The filters and the query, bound the same way for every statement.
struct Search<'a> {
    fts: &'a str,
    from: Option<&'a str>,
    to: Option<&'a str>,
    source: Option<i64>,
}

impl Search<'_> {
    /// Binds the statement's named parameters (each statement uses a subset of them).
    fn bind(&self, stmt: &mut rusqlite::Statement<'_>, index: Index) -> Result<()> {
        let rank = index.rank();
        let values: [(&str, &dyn rusqlite::ToSql); 9] = [
            (":q", &self.fts),
            (":rank", &rank),
            (":from", &self.from),
            (":to", &self.to),
            (":source", &self.source),
            (":open", &OPEN),
            (":close", &CLOSE),
            (":ellipsis", &ELLIPSIS),
            (":words", &SNIPPET_WORDS),
        ];
        for (name, value) in values {
            if let Some(at) = stmt.parameter_index(name)? {
                stmt.raw_bind_parameter(at, value)?;
            }
        }
        Ok(())
    }

    /// How many hits pass the filters in these indexes.
    fn count(&self, conn: &Connection, indexes: &[Index]) -> Result<i64> {
        let mut total = 0;
        for &index in indexes {
            let mut stmt = conn.prepare(index.count_sql())?;
            self.bind(&mut stmt, index)?;
            let mut rows = stmt.raw_query();
            if let Some(row) = rows.next()? {
                total += row.get::<_, i64>(0)?;
            }
        }
        Ok(total)
    }
}

/// A note on standard error (a closed standard error is no reason to fail).
fn note(message: &str) {
    let _ = writeln!(std::io::stderr(), "sitrep: {message}");
}

pub fn run(db_path: &Path, args: &SearchArgs) -> Result<()> {
    let text = args.text.as_str();
    if text.trim().is_empty() {
        bail!("give the words to search for (e.g. sitrep search \"Shahed drones\")");
    }
    let from = query::day_bound("--from", &args.from, false)?;
    let to = query::day_bound("--to", &args.to, true)?;
    if let (Some(f), Some(t)) = (&from, &to)
        && f > t
    {
        bail!(
            "--from {:?} is after --to {:?}: nothing can match",
            args.from.as_deref().unwrap_or_default(),
            args.to.as_deref().unwrap_or_default()
        );
    }
    let asked: Vec<Index> = match args.only.as_deref() {
        Some("articles") => vec![Index::Articles],
        Some("events") => vec![Index::Events],
        _ => Index::ALL.to_vec(),
    };
    let conn = db::open_ro(db_path)?;
    let source = match &args.source {
        Some(name) => Some(source_id(&conn, name)?),
        None => None,
    };
    let fts = fts_query(text);
    let indexes = usable_indexes(&conn, text, &fts, &asked)?;
    let search = Search {
        fts: &fts,
        from: from.as_deref(),
        to: to.as_deref(),
        source,
    };

    let stdout = std::io::stdout();
    let format = args
        .format
        .format
        .unwrap_or_else(|| output::default_format(stdout.is_terminal()));
    let mut out = super::stdout_writer(Some(format));
    let columns: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    out.begin(&columns)?;

    // Each index gives its hits best first; the two lists are merged by score.
    let mut statements = Vec::with_capacity(indexes.len());
    for &index in &indexes {
        let mut stmt = conn.prepare(index.hits_sql())?;
        search.bind(&mut stmt, index)?;
        statements.push((index, stmt));
    }
    let mut streams = Vec::with_capacity(statements.len());
    // Each index's best score: hits are shown relative to it, so that a word common in
    // one index (where bm25 gives every hit a score near zero) does not bury its hits
    // under the other index's.
    let mut best_scores = Vec::with_capacity(statements.len());
    for (index, stmt) in &mut statements {
        let mut rows = stmt.raw_query();
        let head = match rows.next()? {
            Some(row) => Some(index.hit(row)?),
            None => None,
        };
        best_scores.push(head.as_ref().map_or(-1.0, |h| h.score));
        streams.push((*index, rows, head));
    }
    let relevance = |stream: usize, score: f64| -> f64 {
        let top = best_scores.get(stream).copied().unwrap_or(-1.0);
        if top < 0.0 { score / top } else { 1.0 }
    };
    let limit = match args.limit {
        0 => u64::MAX,
        n => u64::from(n),
    };
    let mut shown: u64 = 0;
    while shown < limit {
        // The best head; on a tie, the first index (articles).
        let mut best: Option<usize> = None;
        for (i, (_, _, head)) in streams.iter().enumerate() {
            if let Some(hit) = head
                && best.is_none_or(|b| {
                    streams[b]
                        .2
                        .as_ref()
                        .is_none_or(|other| relevance(i, hit.score) > relevance(b, other.score))
                })
            {
                best = Some(i);
            }
        }
        let Some(chosen) = best else {
            break;
        };
        let Some(stream) = streams.get_mut(chosen) else {
            break;
        };
        let (index, rows, head) = stream;
        let next = match rows.next()? {
            Some(row) => Some(index.hit(row)?),
            None => None,
        };
        let Some(hit) = std::mem::replace(head, next) else {
            break;
        };
        shown += 1;
        let mut cells = Vec::with_capacity(COLUMNS.len());
        cells.push(Cell::Int(i64::try_from(shown).unwrap_or(i64::MAX)));
        // Relevance: the hit's bm25 over the best of its index (1 for the best).
        let score = relevance(chosen, hit.score);
        cells.push(Cell::Real((score * 1000.0).round() / 1000.0));
        cells.extend(hit.cells);
        if format == Format::Table {
            for cell in &mut cells {
                if let Cell::Text(t) = cell {
                    *t = fit_around_mark(t, TABLE_MAX_CELL_CHARS);
                }
            }
        }
        out.row(&cells)?;
    }
    let more = streams.iter().any(|(_, _, head)| head.is_some());
    drop(streams);
    out.finish()?;
    if shown == 0 {
        note(&format!("no matches for {text:?}"));
    } else if more {
        let total = search.count(&conn, &indexes)?;
        note(&format!(
            "{shown} of {total} matches shown (--limit N for more, --limit 0 for all)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_and_fts5_syntax_pass_through() {
        for text in [
            "drones",
            "Shahed drones",
            "drones NOT missiles",
            "drones OR missiles",
            "\"exact phrase\"",
            "\"with \"\"quotes\"\" inside\"",
            "NEAR(drones missiles, 5)",
            "shah*",
            "^Russia",
            "title:drones",
            "Title: drones",
            "-title:drones",
            "{title body}:drones",
            "(drones OR missiles) AND Kyiv",
            "Дніпро дронами",
            "a + b",
            "AND",
            "-",
            "(drones",
            "\"unbalanced",
            "",
        ] {
            assert_eq!(fts_query(text), text, "{text:?}");
        }
    }

    #[test]
    fn words_with_punctuation_inside_become_phrases() {
        assert_eq!(fts_query("Shahed-136"), "\"Shahed-136\"");
        assert_eq!(
            fts_query("Kharkiv-based drones"),
            "\"Kharkiv-based\" drones"
        );
        assert_eq!(fts_query("Kh-101/Kh-555"), "\"Kh-101/Kh-555\"");
        assert_eq!(fts_query("12:00"), "\"12:00\"");
        assert_eq!(fts_query("o'clock U.S."), "\"o'clock\" \"U.S.\"");
        assert_eq!(fts_query("Shahed-13*"), "\"Shahed-13\"*");
        assert_eq!(fts_query("^Kh-101"), "^\"Kh-101\"");
        assert_eq!(fts_query("title:Shahed-136"), "title:\"Shahed-136\"");
        assert_eq!(
            fts_query("(Kh-101 OR Kh-555)"),
            "(\"Kh-101\" OR \"Kh-555\")"
        );
        assert_eq!(fts_query("Харків-based"), "\"Харків-based\"");
        assert_eq!(fts_query("drones & missiles"), "drones \"&\" missiles");
        assert_eq!(fts_query("Kyiv:"), "\"Kyiv:\"");
        // After a column filter, a word is a term, whatever it starts with.
        assert_eq!(fts_query("title:-x"), "title:\"-x\"");
        assert_eq!(fts_query("title::x"), "title:\":x\"");
        assert_eq!(fts_query("title:body:x"), "title:\"body:x\"");
        assert_eq!(fts_query("{title body}:Kh-101"), "{title body}:\"Kh-101\"");
    }

    fn fts5_table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5 (title, body, \
             tokenize = 'unicode61 remove_diacritics 2'); \
             INSERT INTO t VALUES ('Shahed-136 drones', 'Kh-101/Kh-555 at 12:00, U.S. said');",
        )
        .unwrap();
        conn
    }

    proptest::proptest! {
        /// Words that start with a letter or digit, whatever punctuation follows, always
        /// make a query FTS5 reads (the operator words aside).
        #[test]
        fn words_with_punctuation_always_make_a_valid_query(
            words in proptest::collection::vec(
                "[A-Za-z0-9ÍíЇї][A-Za-z0-9ÍíЇї./'&:;!?@#$%_+*^=~<>|\\[\\]-]{0,8}", 1..6)
        ) {
            proptest::prop_assume!(
                !words.iter().any(|w| ["AND", "OR", "NOT", "NEAR"].contains(&w.as_str()))
            );
            let text = words.join(" ");
            let query = fts_query(&text);
            let conn = fts5_table();
            let result = conn.query_row(
                "SELECT count(*) FROM t WHERE t MATCH ?1", [&query], |r| r.get::<_, i64>(0));
            proptest::prop_assert!(result.is_ok(), "{text:?} -> {query:?}: {result:?}");
        }

        /// No text makes the rewrite panic, and what FTS5 makes of it is a result or an
        /// error, never a crash.
        #[test]
        fn any_text_is_rewritten_without_panicking(text in "\\PC{0,40}") {
            let query = fts_query(&text);
            let conn = fts5_table();
            let _ = conn.query_row(
                "SELECT count(*) FROM t WHERE t MATCH ?1", [&query], |r| r.get::<_, i64>(0));
        }
    }

    #[test]
    fn rewritten_words_find_the_text_they_name() {
        let conn = fts5_table();
        let count = |text: &str| -> i64 {
            conn.query_row(
                "SELECT count(*) FROM t WHERE t MATCH ?1",
                [fts_query(text)],
                |r| r.get(0),
            )
            .unwrap()
        };
        for text in [
            "Shahed-136",
            "kh-101/kh-555",
            "12:00",
            "U.S.",
            "title:Shahed-136",
            "shahed-13*",
        ] {
            assert_eq!(count(text), 1, "{text}");
        }
        assert_eq!(count("Shahed-137"), 0);
        assert_eq!(count("body:Shahed-136"), 0);
    }

    #[test]
    fn leading_dashes_and_bare_operators_are_left_to_fts5() {
        assert_eq!(fts_query("-drones"), "-drones");
        assert_eq!(fts_query("drones -"), "drones -");
        assert_eq!(fts_query("*"), "*");
        assert_eq!(fts_query("drones --"), "drones --");
    }

    #[test]
    fn quoted_strings_are_kept_whole() {
        assert_eq!(
            fts_query("\"Shahed-136\" Kh-101"),
            "\"Shahed-136\" \"Kh-101\""
        );
        // A quoted word never touches a string (`"a""b"` would be one string).
        assert_eq!(
            fts_query("\"a \"\"b\"\" c\"d-e"),
            "\"a \"\"b\"\" c\" \"d-e\""
        );
        assert_eq!(fts_query("d-e\"f\""), "\"d-e\" \"f\"");
        assert_eq!(fts_query("x \"open-ended"), "x \"open-ended");
    }

    #[test]
    fn string_end_finds_the_closing_quote() {
        assert_eq!(string_end("\"ab\" c"), 4);
        assert_eq!(string_end("\"a\"\"b\""), 6);
        assert_eq!(string_end("\"open"), 5);
        assert_eq!(string_end("\""), 1);
    }

    #[test]
    fn commas_separate_words_or_join_digits() {
        assert_eq!(commas("Kyiv, Kharkiv"), "Kyiv  Kharkiv");
        assert_eq!(commas("1,100 drones"), "1.100 drones");
        assert_eq!(commas("NEAR(a b, 5)"), "NEAR(a b, 5)");
        assert_eq!(commas("\"a, b\" c,d"), "\"a, b\" c d");
        assert_eq!(fts_query("drones,missiles"), "drones missiles");
        assert_eq!(fts_query("1,100"), "\"1.100\"");
    }

    #[test]
    fn one_line_joins_lines_and_squeezes_spaces() {
        assert_eq!(one_line("a\n\nb\r\n c\t d  "), "a b c d");
        assert_eq!(one_line(""), "");
    }

    #[test]
    fn fit_around_mark_keeps_the_first_mark_in_view() {
        assert_eq!(fit_around_mark("short [hit]", 60), "short [hit]");
        let long = format!("{} [hit] {}", "x ".repeat(60), "y ".repeat(60));
        let fitted = fit_around_mark(&long, 40);
        assert!(fitted.chars().count() <= 40, "{fitted}");
        assert!(fitted.contains("[hit]"), "{fitted}");
        assert!(fitted.starts_with('…') && fitted.ends_with('…'), "{fitted}");
        // No mark: the start is kept.
        let plain = "word ".repeat(30);
        let fitted = fit_around_mark(&plain, 20);
        assert!(
            fitted.starts_with("word") && fitted.ends_with('…'),
            "{fitted}"
        );
        assert!(fitted.chars().count() <= 20);
        // A mark near the end.
        let late = format!("{}[end]", "z".repeat(100));
        let fitted = fit_around_mark(&late, 30);
        assert!(
            fitted.ends_with("[end]") && fitted.starts_with('…'),
            "{fitted}"
        );
        assert!(fitted.chars().count() <= 30);
        // Multi-byte text is cut on characters.
        let cyrillic = format!("{} [дрони] {}", "ж".repeat(50), "ш".repeat(50));
        assert!(fit_around_mark(&cyrillic, 30).contains("[дрони]"));
    }

    #[test]
    fn event_labels_name_type_and_place() {
        assert_eq!(
            event_label(
                Some("air_attack"),
                Some("Kharkiv"),
                Some("Kharkiv Oblast"),
                Some("Ukraine")
            ),
            "air_attack in Kharkiv, Kharkiv Oblast"
        );
        assert_eq!(
            event_label(Some("air_attack"), Some("Kyiv"), Some("kyiv"), None),
            "air_attack in Kyiv"
        );
        assert_eq!(
            event_label(Some("air_attack"), None, Some(" "), Some("Ukraine")),
            "air_attack in Ukraine"
        );
        assert_eq!(event_label(None, None, None, None), "event");
        assert_eq!(
            event_label(Some(""), Some("Odesa"), None, None),
            "event in Odesa"
        );
    }

    #[test]
    fn only_columns_of_the_indexes_are_column_filters() {
        assert!(is_column("title") && is_column("BODY") && is_column("notes"));
        assert!(!is_column("12") && !is_column("") && !is_column("url"));
    }
}

//! The rollup tables (`rollup_*`, created by migration 2): small aggregates of the base
//! tables that the built-in queries answer from instead of scanning millions of rows.
//!
//! An import keeps them inside its own transaction. What its new events, figures, links
//! and articles bring is added up in memory ([`Rollups`]) and written once at the end;
//! a day (or month) in which it changed rows that were already there is marked dirty and
//! recomputed from the base tables instead, which is always right, whatever the change.
//! [`rebuild`] recomputes everything (migration 2 fills existing archives with it) and
//! [`verify`] compares the tables with a full recomputation (`sitrep check`).

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use rusqlite::{Connection, params};

/// One rollup table: its name, the columns of its key and values, how it is recomputed
/// from the base tables (`{filter}` restricts the rows read), and the partition column a
/// dirty mark names.
struct Table {
    name: &'static str,
    key: &'static [&'static str],
    values: &'static [&'static str],
    select: &'static str,
    /// The column of the key that partitions it: a day, or a month.
    partition: &'static str,
    /// The base-table expression a day partition is read by (in `select`).
    base_day: &'static str,
    /// For a table keyed by an entity: its column and the base-table expression it is
    /// read from (in `select`).
    entity: Option<(&'static str, &'static str)>,
}

const FIGURES: Table = Table {
    name: "rollup_figures",
    key: &["date", "kind", "weapon_id"],
    values: &["figures", "valued", "total"],
    select: "SELECT e.date, q.kind, ifnull(q.weapon_id, 0), count(*), count(q.value), \
             ifnull(sum(q.value), 0) \
             FROM events e JOIN quantities q ON q.event_id = e.id \
             WHERE e.date_precision = 'day' AND {filter} GROUP BY 1, 2, 3",
    partition: "date",
    base_day: "e.date",
    entity: Some(("weapon_id", "q.weapon_id")),
};

const EVENT_TYPES: Table = Table {
    name: "rollup_event_types",
    key: &["date", "precision", "type"],
    values: &["events"],
    select: "SELECT e.date, e.date_precision, ifnull(e.type, ''), count(*) FROM events e \
             WHERE {filter} GROUP BY 1, 2, 3",
    partition: "date",
    base_day: "e.date",
    entity: None,
};

const EVENT_PLACES: Table = Table {
    name: "rollup_event_places",
    key: &["country", "region", "date"],
    values: &["events"],
    select: "SELECT ifnull(e.country, ''), ifnull(e.region, ''), e.date, count(*) FROM events e \
             WHERE {filter} GROUP BY 1, 2, 3",
    partition: "date",
    base_day: "e.date",
    entity: None,
};

const ENTITY_EVENTS: Table = Table {
    name: "rollup_entity_events",
    key: &["month", "entity_id"],
    values: &["events"],
    select: "SELECT substr(e.date, 1, 7), l.entity_id, count(DISTINCT l.event_id) \
             FROM events e JOIN event_entities l ON l.event_id = e.id \
             WHERE {filter} GROUP BY 1, 2",
    partition: "month",
    base_day: "e.date",
    entity: Some(("entity_id", "l.entity_id")),
};

const ARTICLES: Table = Table {
    name: "rollup_articles",
    key: &["date"],
    values: &["articles"],
    select: "SELECT a.published_day, count(*) FROM articles a \
             WHERE a.placeholder = 0 AND a.published IS NOT NULL AND {filter} GROUP BY 1",
    partition: "date",
    base_day: "a.published_day",
    entity: None,
};

const TABLES: [&Table; 5] = [
    &FIGURES,
    &EVENT_TYPES,
    &EVENT_PLACES,
    &ENTITY_EVENTS,
    &ARTICLES,
];

impl Table {
    fn columns(&self) -> String {
        self.key
            .iter()
            .chain(self.values)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn select_where(&self, filter: &str) -> String {
        self.select.replace("{filter}", filter)
    }

    fn insert_select(&self, filter: &str) -> String {
        format!(
            "INSERT INTO {} ({}) {}",
            self.name,
            self.columns(),
            self.select_where(filter)
        )
    }

    /// Adds a delta to a row, creating it when missing.
    fn upsert(&self) -> String {
        let n = self.key.len() + self.values.len();
        let placeholders = (1..=n).map(|i| format!("?{i}")).collect::<Vec<_>>();
        let sums = self
            .values
            .iter()
            .map(|v| format!("{v} = {v} + excluded.{v}"))
            .collect::<Vec<_>>();
        format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
            self.name,
            self.columns(),
            placeholders.join(", "),
            self.key.join(", "),
            sums.join(", ")
        )
    }
}

/// The first day of a month (`2025-06`) and of the month after it.
fn month_bounds(month: &str) -> (String, String) {
    let next = month
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
        .map(|(y, m)| {
            if m >= 12 {
                format!("{:04}-01", y + 1)
            } else {
                format!("{y:04}-{:02}", m + 1)
            }
        })
        .unwrap_or_else(|| "9999-99".to_string());
    (format!("{month}-01"), format!("{next}-01"))
}

fn month_of(date: &str) -> &str {
    date.get(..7).unwrap_or(date)
}

/// A day as a number (20250601), for compact keys; None for text that is not a day.
fn day_number(date: &str) -> Option<u32> {
    let b = date.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let text = date.get(r)?;
        if text.bytes().all(|c| c.is_ascii_digit()) {
            text.parse().ok()
        } else {
            None
        }
    };
    Some(digits(0..4)? * 10000 + digits(5..7)? * 100 + digits(8..10)?)
}

fn day_text(day: u32) -> String {
    format!("{:04}-{:02}-{:02}", day / 10000, day / 100 % 100, day % 100)
}

fn month_text(day: u32) -> String {
    format!("{:04}-{:02}", day / 10000, day / 100 % 100)
}

/// Additions held in memory before they are written out mid-import.
const SPILL_ENTRIES: usize = 100_000;

type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Small names (kinds, types, countries, regions, precisions) as numbers.
#[derive(Debug, Default)]
struct Names {
    ids: FastMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Names {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |n| n)
    }
}

/// What one import adds to the rollups, and the partitions it changed.
#[derive(Debug, Default)]
pub struct Rollups {
    names: Names,
    /// (day, kind, weapon id or 0) → (figures, valued, total).
    figures: FastMap<(u32, u32, i64), [i64; 3]>,
    /// (day, precision, type) → events.
    types: FastMap<(u32, u32, u32), i64>,
    /// (day, country, region) → events.
    places: FastMap<(u32, u32, u32), i64>,
    /// (month as a day number with day 0, entity id) → events.
    entities: FastMap<(u32, i64), i64>,
    articles: HashMap<String, i64>,
    /// Days of events whose existing rows changed (figures, types and places).
    dirty_dates: HashSet<String>,
    /// Months of events whose existing rows changed (entity links).
    dirty_months: HashSet<String>,
    /// Publication days of articles whose existing rows changed.
    dirty_article_dates: HashSet<String>,
    /// Event days and article days the current row's additions touched: recomputed
    /// instead if the row fails and its writes are rolled back.
    row_dates: Vec<String>,
    row_article_dates: Vec<String>,
}

impl Rollups {
    /// A new event.
    pub fn add_event(
        &mut self,
        date: &str,
        precision: &str,
        event_type: Option<&str>,
        country: Option<&str>,
        region: Option<&str>,
    ) {
        self.row_dates.push(date.to_string());
        let Some(day) = day_number(date) else {
            self.changed_event(date);
            return;
        };
        let precision = self.names.id(precision);
        let event_type = self.names.id(event_type.unwrap_or_default());
        let country = self.names.id(country.unwrap_or_default());
        let region = self.names.id(region.unwrap_or_default());
        *self.types.entry((day, precision, event_type)).or_default() += 1;
        *self.places.entry((day, country, region)).or_default() += 1;
    }

    /// A figure of a new event.
    pub fn add_figure(
        &mut self,
        date: &str,
        precision: &str,
        kind: &str,
        weapon_id: Option<i64>,
        value: Option<i64>,
    ) {
        if precision != "day" {
            return;
        }
        let Some(day) = day_number(date) else {
            self.changed_event(date);
            return;
        };
        let kind = self.names.id(kind);
        let sums = self
            .figures
            .entry((day, kind, weapon_id.unwrap_or(0)))
            .or_default();
        sums[0] += 1;
        if let Some(v) = value {
            sums[1] += 1;
            match sums[2].checked_add(v) {
                Some(total) => sums[2] = total,
                // Left to SQLite's own sum, which reports the overflow as the scan would.
                None => {
                    self.dirty_dates.insert(date.to_string());
                }
            }
        }
    }

    /// An entity linked to a new event (once per event, whatever its roles).
    pub fn add_link(&mut self, date: &str, entity_id: i64) {
        match day_number(date) {
            Some(day) => {
                *self
                    .entities
                    .entry((day / 100 * 100, entity_id))
                    .or_default() += 1
            }
            None => self.changed_event(date),
        }
    }
    /// A new article (not a placeholder) published on `day`.
    pub fn add_article(&mut self, day: Option<&str>) {
        if let Some(day) = day {
            self.row_article_dates.push(day.to_string());
            *self.articles.entry(day.to_string()).or_default() += 1;
        }
    }

    /// An existing event on this date changed (call with its old and its new date).
    pub fn changed_event(&mut self, date: &str) {
        self.dirty_months.insert(month_of(date).to_string());
        self.dirty_dates.insert(date.to_string());
    }

    /// An existing article published on this day changed (old and new day).
    pub fn changed_article(&mut self, day: Option<&str>) {
        if let Some(day) = day {
            self.dirty_article_dates.insert(day.to_string());
        }
    }

    /// The current row was written.
    pub fn row_done(&mut self) {
        self.row_dates.clear();
        self.row_article_dates.clear();
    }

    /// The current row's writes were rolled back: what it added is recomputed instead.
    pub fn row_failed(&mut self) {
        for date in std::mem::take(&mut self.row_dates) {
            self.changed_event(&date);
        }
        for day in std::mem::take(&mut self.row_article_dates) {
            self.dirty_article_dates.insert(day);
        }
    }

    /// Writes the import's additions and recomputes the dirty partitions.
    pub fn flush(mut self, conn: &Connection) -> Result<()> {
        self.row_done();
        recompute_days(conn, &FIGURES, &self.dirty_dates)?;
        recompute_days(conn, &EVENT_TYPES, &self.dirty_dates)?;
        recompute_days(conn, &EVENT_PLACES, &self.dirty_dates)?;
        recompute_days(conn, &ARTICLES, &self.dirty_article_dates)?;
        recompute_months(conn, &self.dirty_months)?;
        self.write_additions(conn)
    }

    /// Writes what has been added up so far when it has grown large (between rows), so
    /// that memory stays bounded however many days, months and entities an import has.
    pub fn spill_if_large(&mut self, conn: &Connection) -> Result<()> {
        let held = self.figures.len()
            + self.types.len()
            + self.places.len()
            + self.entities.len()
            + self.articles.len();
        if held > SPILL_ENTRIES {
            self.write_additions(conn)?;
        }
        Ok(())
    }

    /// Adds the additions to the rollup tables (a partition marked dirty is left to its
    /// recomputation, which also replaces anything written to it earlier) and forgets them.
    fn write_additions(&mut self, conn: &Connection) -> Result<()> {
        let mut stmt = conn.prepare_cached(&FIGURES.upsert())?;
        for ((day, kind, weapon), [figures, valued, total]) in self.figures.drain() {
            let date = day_text(day);
            if !self.dirty_dates.contains(&date) {
                let kind = self.names.name(kind);
                stmt.execute(params![date, kind, weapon, figures, valued, total])?;
            }
        }
        let mut stmt = conn.prepare_cached(&EVENT_TYPES.upsert())?;
        for ((day, precision, event_type), n) in self.types.drain() {
            let date = day_text(day);
            if !self.dirty_dates.contains(&date) {
                let (precision, event_type) =
                    (self.names.name(precision), self.names.name(event_type));
                stmt.execute(params![date, precision, event_type, n])?;
            }
        }
        let mut stmt = conn.prepare_cached(&EVENT_PLACES.upsert())?;
        for ((day, country, region), n) in self.places.drain() {
            let date = day_text(day);
            if !self.dirty_dates.contains(&date) {
                let (country, region) = (self.names.name(country), self.names.name(region));
                stmt.execute(params![country, region, date, n])?;
            }
        }
        let mut stmt = conn.prepare_cached(&ENTITY_EVENTS.upsert())?;
        for ((month, entity), n) in self.entities.drain() {
            let month = month_text(month);
            if !self.dirty_months.contains(&month) {
                stmt.execute(params![month, entity, n])?;
            }
        }
        let mut stmt = conn.prepare_cached(&ARTICLES.upsert())?;
        for (day, n) in self.articles.drain() {
            if !self.dirty_article_dates.contains(&day) {
                stmt.execute(params![day, n])?;
            }
        }
        Ok(())
    }
}

/// Recomputes a day-partitioned rollup for the given days.
fn recompute_days(conn: &Connection, table: &Table, days: &HashSet<String>) -> Result<()> {
    if days.is_empty() {
        return Ok(());
    }
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS rollup_dirty (date TEXT PRIMARY KEY) WITHOUT ROWID; \
         DELETE FROM temp.rollup_dirty;",
    )?;
    {
        let mut insert = conn.prepare_cached("INSERT INTO temp.rollup_dirty (date) VALUES (?1)")?;
        for day in days {
            insert.execute([day])?;
        }
    }
    conn.execute(
        &format!(
            "DELETE FROM {} WHERE {} IN (SELECT date FROM temp.rollup_dirty)",
            table.name, table.partition
        ),
        [],
    )?;
    conn.execute(
        &table.insert_select(&format!(
            "{} IN (SELECT date FROM temp.rollup_dirty)",
            table.base_day
        )),
        [],
    )
    .with_context(|| format!("cannot recompute {}", table.name))?;
    Ok(())
}

/// Recomputes the entity rollup for the given months.
fn recompute_months(conn: &Connection, months: &HashSet<String>) -> Result<()> {
    let delete = format!("DELETE FROM {} WHERE month = ?1", ENTITY_EVENTS.name);
    let insert = ENTITY_EVENTS.insert_select("e.date >= ?1 AND e.date < ?2");
    for month in months {
        let (start, end) = month_bounds(month);
        conn.execute(&delete, [month])?;
        conn.execute(&insert, params![start, end])
            .with_context(|| format!("cannot recompute {}", ENTITY_EVENTS.name))?;
    }
    Ok(())
}

/// Recomputes the rows that rollups keyed by an entity (figures by weapon, events by
/// entity) hold for these entities, from the base tables: after a merge moved their links
/// and figures, nothing else in the rollups changed.
pub fn recompute_entities(conn: &Connection, ids: &[i64]) -> Result<()> {
    for table in TABLES {
        let Some((column, base)) = table.entity else {
            continue;
        };
        let delete = format!("DELETE FROM {} WHERE {column} = ?1", table.name);
        let insert = table.insert_select(&format!("{base} = ?1"));
        for id in ids {
            conn.execute(&delete, [id])?;
            conn.execute(&insert, [id])
                .with_context(|| format!("cannot recompute {}", table.name))?;
        }
    }
    Ok(())
}

/// Recomputes every rollup from the base tables.
pub fn rebuild(conn: &Connection) -> Result<()> {
    for table in TABLES {
        conn.execute(&format!("DELETE FROM {}", table.name), [])?;
        conn.execute(&table.insert_select("1"), [])
            .with_context(|| format!("cannot rebuild {}", table.name))?;
    }
    Ok(())
}

/// Compares each rollup with a full recomputation; one line per table that differs.
pub fn verify(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for table in TABLES {
        let kept = format!("SELECT {} FROM {}", table.columns(), table.name);
        let computed = table.select_where("1");
        let count = |a: &str, b: &str| -> Result<i64> {
            Ok(
                conn.query_row(&format!("SELECT count(*) FROM ({a} EXCEPT {b})"), [], |r| {
                    r.get(0)
                })?,
            )
        };
        let stale = count(&kept, &computed)?;
        let missing = count(&computed, &kept)?;
        if stale > 0 || missing > 0 {
            problems.push(format!(
                "{}: {stale} row(s) differ from the base tables and {missing} are missing \
                 (run `sitrep check --repair`)",
                table.name
            ));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_end_where_the_next_begins() {
        assert_eq!(
            month_bounds("2025-06"),
            ("2025-06-01".into(), "2025-07-01".into())
        );
        assert_eq!(
            month_bounds("2025-12"),
            ("2025-12-01".into(), "2026-01-01".into())
        );
    }

    #[test]
    fn days_become_numbers_and_back() {
        assert_eq!(day_number("2025-06-01"), Some(20250601));
        assert_eq!(day_text(20250601), "2025-06-01");
        assert_eq!(month_text(20250601), "2025-06");
        assert_eq!(day_number("2025-6-01"), None);
        assert_eq!(day_number("2025-06-0x"), None);
    }

    #[test]
    fn upserts_add_to_every_value_column() {
        assert_eq!(
            FIGURES.upsert(),
            "INSERT INTO rollup_figures (date, kind, weapon_id, figures, valued, total) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (date, kind, weapon_id) DO UPDATE SET \
             figures = figures + excluded.figures, valued = valued + excluded.valued, \
             total = total + excluded.total"
        );
    }

    #[test]
    fn a_failed_row_turns_its_additions_into_recomputation() {
        let mut r = Rollups::default();
        r.add_event("2025-06-01", "day", Some("air_attack"), None, None);
        r.add_article(Some("2025-06-02"));
        r.row_failed();
        assert!(r.dirty_dates.contains("2025-06-01"));
        assert!(r.dirty_months.contains("2025-06"));
        assert!(r.dirty_article_dates.contains("2025-06-02"));
        r.add_event("2025-06-03", "day", None, None, None);
        r.row_done();
        r.row_failed();
        assert!(!r.dirty_dates.contains("2025-06-03"));
    }
}

//! Charts of date-keyed query results: this module turns a result (columns and rows) into
//! a [`Chart`] — one time axis and one series per figure column — and owns the two ways of
//! drawing it: [`terminal`] (bars or sparklines in text) and [`plot`] (SVG and PNG files
//! drawn with plotters).
//!
//! A result is date-keyed when one column holds only dates: days (`2025-06-01`), months
//! (`2025-06`) or years (`2025`), all of one kind. Every numeric column is a series. One
//! text column besides the date (such as `events-by-type`'s `type`) is spread into one
//! series per value. An empty cell is unknown and is drawn as a gap, never as zero.

pub mod plot;
pub mod terminal;

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use chrono::{Datelike, Months, NaiveDate};

use crate::output::{Cell, RowWriter};

/// How long one step of a chart's time axis is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Month,
    Year,
}

impl Period {
    /// The step after `date`.
    pub fn next(self, date: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Day => date.succ_opt(),
            Period::Month => date.checked_add_months(Months::new(1)),
            Period::Year => date.checked_add_months(Months::new(12)),
        }
    }

    /// The step as it is written in a label.
    pub fn label(self, date: NaiveDate) -> String {
        match self {
            Period::Day => date.format("%Y-%m-%d").to_string(),
            Period::Month => date.format("%Y-%m").to_string(),
            Period::Year => date.year().to_string(),
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}

/// One figure column over time.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// One value per [`Chart::dates`] entry; `None` is unknown.
    pub values: Vec<Option<f64>>,
}

/// A date-keyed result ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub subtitle: String,
    pub period: Period,
    /// The dates the result has rows for, in order, without repeats.
    pub dates: Vec<NaiveDate>,
    pub series: Vec<Series>,
    /// The series were spread from a text column: a date without a row for a series
    /// means the result had no such row (an event count of none), not an unknown value.
    pub spread: bool,
}

impl Chart {
    /// Every step from the first date to the last, so that a day without a row shows as a
    /// gap. The values are re-aligned: `None` where the result had no row.
    pub fn continuous(&self) -> Chart {
        let mut dates = Vec::new();
        if let (Some(&first), Some(&last)) = (self.dates.first(), self.dates.last()) {
            let mut date = first;
            while date <= last {
                dates.push(date);
                match self.period.next(date) {
                    Some(next) => date = next,
                    None => break,
                }
            }
        }
        let index: BTreeMap<NaiveDate, usize> = self
            .dates
            .iter()
            .enumerate()
            .map(|(i, d)| (*d, i))
            .collect();
        let series = self
            .series
            .iter()
            .map(|s| Series {
                name: s.name.clone(),
                values: dates
                    .iter()
                    .map(|d| {
                        index
                            .get(d)
                            .and_then(|&i| s.values.get(i).copied().flatten())
                    })
                    .collect(),
            })
            .collect();
        Chart {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            period: self.period,
            dates,
            series,
            spread: self.spread,
        }
    }

    /// The largest known value of every series (0 when none is known or all are below 0).
    pub fn max(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0, |m: f64, v| m.max(*v))
    }
}

/// A date key: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
fn parse_key(text: &str) -> Option<(Period, NaiveDate)> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    match bytes.len() {
        10 if digits(0..4) && digits(5..7) && digits(8..10) => {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .map(|d| (Period::Day, d))
        }
        7 if digits(0..4) && bytes[4] == b'-' && digits(5..7) => {
            NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
                .ok()
                .map(|d| (Period::Month, d))
        }
        4 if digits(0..4) => text
            .parse()
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
            .map(|d| (Period::Year, d)),
        _ => None,
    }
}

fn number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Int(v) => Some(*v as f64),
        Cell::Real(v) if v.is_finite() => Some(*v),
        _ => None,
    }
}

/// The chart of a result, or why the result cannot be drawn as one.
pub fn from_result(
    title: &str,
    subtitle: &str,
    columns: &[String],
    rows: &[Vec<Cell>],
) -> Result<Chart> {
    if rows.is_empty() {
        bail!("nothing to chart: the result has no rows");
    }
    // The date column: the first whose every cell is a date key of one period.
    let date_column = (0..columns.len()).find_map(|c| {
        let mut period = None;
        for row in rows {
            let Some(Cell::Text(text)) = row.get(c) else {
                return None;
            };
            let (p, _) = parse_key(text)?;
            if period.is_some_and(|q| q != p) {
                return None;
            }
            period = Some(p);
        }
        period.map(|p| (c, p))
    });
    let Some((date_column, period)) = date_column else {
        bail!(
            "the result is not date-keyed: a chart needs a column of dates (YYYY-MM-DD, \
             YYYY-MM or YYYY) in every row; the columns are {}",
            columns.join(", ")
        );
    };
    let mut numeric = Vec::new();
    let mut text = Vec::new();
    for c in (0..columns.len()).filter(|&c| c != date_column) {
        let cells = || rows.iter().filter_map(|r| r.get(c));
        if cells().all(|cell| cell.is_numeric() || cell.is_null()) {
            if cells().any(Cell::is_numeric) {
                numeric.push(c);
            }
        } else {
            text.push(c);
        }
    }
    let name = |c: usize| columns.get(c).cloned().unwrap_or_default();
    if numeric.is_empty() {
        bail!(
            "nothing to chart: no column besides {} holds numbers",
            name(date_column)
        );
    }
    if text.len() > 1 {
        bail!(
            "the result has several text columns ({}); a chart can spread one of them into \
             series, not more",
            text.iter().map(|&c| name(c)).collect::<Vec<_>>().join(", ")
        );
    }
    let category = text.first().copied();

    let mut dates: Vec<NaiveDate> = Vec::new();
    let mut keyed: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for row in rows {
        if let Some(Cell::Text(t)) = row.get(date_column)
            && let Some((_, date)) = parse_key(t)
            && !keyed.contains_key(&date)
        {
            keyed.insert(date, 0);
            dates.push(date);
        }
    }
    dates.sort();
    for (i, d) in dates.iter().enumerate() {
        keyed.insert(*d, i);
    }

    // Series in order of first appearance: (category value, numeric column).
    let mut order: Vec<(Option<String>, usize)> = Vec::new();
    let mut values: BTreeMap<(Option<String>, usize), Vec<Option<f64>>> = BTreeMap::new();
    for row in rows {
        let Some(Cell::Text(t)) = row.get(date_column) else {
            continue;
        };
        let Some(&at) = parse_key(t).and_then(|(_, d)| keyed.get(&d)) else {
            continue;
        };
        let group = category.map(|c| match row.get(c) {
            Some(Cell::Null) | None => "(none)".to_string(),
            Some(cell) => cell.to_string(),
        });
        for &c in &numeric {
            let key = (group.clone(), c);
            let slot = values.entry(key.clone()).or_insert_with(|| {
                order.push(key.clone());
                vec![None; dates.len()]
            });
            let Some(place) = slot.get_mut(at) else {
                continue;
            };
            if place.is_some() {
                bail!(
                    "the result is not one row per date: {t} appears twice{}",
                    group
                        .as_ref()
                        .map(|g| format!(" for {g}"))
                        .unwrap_or_default()
                );
            }
            *place = row.get(c).and_then(number);
            if place.is_none() {
                // Known to be unknown: mark with NaN so a repeat is still caught.
                *place = Some(f64::NAN);
            }
        }
    }
    let series = order
        .into_iter()
        .map(|key| {
            let name = match (&key.0, numeric.len()) {
                (Some(group), 1) => group.clone(),
                (Some(group), _) => format!("{group} {}", name(key.1)),
                (None, _) => name(key.1),
            };
            let values = values
                .remove(&key)
                .unwrap_or_default()
                .into_iter()
                .map(|v| v.filter(|x| !x.is_nan()))
                .collect();
            Series { name, values }
        })
        .collect();
    Ok(Chart {
        title: title.to_string(),
        subtitle: subtitle.to_string(),
        period,
        dates,
        series,
        spread: category.is_some(),
    })
}

/// A [`RowWriter`] that keeps the result in memory, for drawing it afterwards.
#[derive(Debug, Default)]
pub struct Collector {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl RowWriter for Collector {
    fn begin(&mut self, columns: &[String]) -> std::io::Result<()> {
        self.columns = columns.to_vec();
        Ok(())
    }

    fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        self.rows.push(cells.to_vec());
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A number as a chart label: whole numbers with thousands separators, others to 2 places.
pub fn format_value(value: f64) -> String {
    // Whole numbers up to 2^53 (every one of them exact in an f64) as integers.
    if value.fract() == 0.0 && value.abs() <= 9_007_199_254_740_992.0 {
        let digits = format!("{}", value.abs() as i64);
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        if value < 0.0 {
            out.insert(0, '-');
        }
        out
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn wide_result_gives_one_series_per_number_column() {
        let rows = vec![
            vec![text("2025-06-02"), Cell::Int(5), Cell::Null],
            vec![text("2025-06-01"), Cell::Int(472), Cell::Int(210)],
        ];
        let chart = from_result("t", "", &cols(&["date", "launched", "destroyed"]), &rows).unwrap();
        assert_eq!(chart.period, Period::Day);
        assert_eq!(chart.dates, vec![day("2025-06-01"), day("2025-06-02")]);
        assert_eq!(chart.series.len(), 2);
        assert_eq!(chart.series[0].name, "launched");
        assert_eq!(chart.series[0].values, vec![Some(472.0), Some(5.0)]);
        // Empty is unknown, not zero.
        assert_eq!(chart.series[1].values, vec![Some(210.0), None]);
    }

    #[test]
    fn one_text_column_is_spread_into_series() {
        let rows = vec![
            vec![text("2025-05"), text("air_attack"), Cell::Int(9)],
            vec![text("2025-05"), text("shelling"), Cell::Int(2)],
            vec![text("2025-06"), text("air_attack"), Cell::Int(4)],
        ];
        let chart = from_result("t", "", &cols(&["month", "type", "events"]), &rows).unwrap();
        assert_eq!(chart.period, Period::Month);
        let names: Vec<_> = chart.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["air_attack", "shelling"]);
        assert_eq!(chart.series[1].values, vec![Some(2.0), None]);
    }

    #[test]
    fn continuous_fills_missing_days_with_gaps() {
        let rows = vec![
            vec![text("2025-06-01"), Cell::Int(1)],
            vec![text("2025-06-04"), Cell::Int(4)],
        ];
        let chart = from_result("t", "", &cols(&["date", "n"]), &rows)
            .unwrap()
            .continuous();
        assert_eq!(chart.dates.len(), 4);
        assert_eq!(
            chart.series[0].values,
            vec![Some(1.0), None, None, Some(4.0)]
        );
    }

    #[test]
    fn results_that_are_not_charts_are_refused_with_reasons() {
        let err = |columns: &[&str], rows: Vec<Vec<Cell>>| {
            from_result("t", "", &cols(columns), &rows)
                .unwrap_err()
                .to_string()
        };
        assert!(err(&["date", "n"], vec![]).contains("no rows"));
        assert!(
            err(&["name", "n"], vec![vec![text("Kyiv"), Cell::Int(1)]]).contains("not date-keyed")
        );
        assert!(
            err(&["date", "name"], vec![vec![text("2025-06-01"), text("x")]])
                .contains("no column besides date holds numbers")
        );
        assert!(
            err(
                &["date", "a", "b", "n"],
                vec![vec![text("2025-06-01"), text("x"), text("y"), Cell::Int(1)]]
            )
            .contains("several text columns (a, b)")
        );
        assert!(
            err(
                &["date", "n"],
                vec![
                    vec![text("2025-06-01"), Cell::Int(1)],
                    vec![text("2025-06-01"), Cell::Null]
                ]
            )
            .contains("2025-06-01 appears twice")
        );
        // Days and months mixed in one column are not one time axis.
        assert!(
            err(
                &["date", "n"],
                vec![
                    vec![text("2025-06-01"), Cell::Int(1)],
                    vec![text("2025-07"), Cell::Int(1)]
                ]
            )
            .contains("not date-keyed")
        );
    }

    #[test]
    fn keys_of_each_period_parse_and_others_do_not() {
        assert_eq!(
            parse_key("2025-06-01"),
            Some((Period::Day, day("2025-06-01")))
        );
        assert_eq!(
            parse_key("2025-06"),
            Some((Period::Month, day("2025-06-01")))
        );
        assert_eq!(parse_key("2025"), Some((Period::Year, day("2025-01-01"))));
        for bad in [
            "2025-13",
            "2025-02-30",
            "25-06-01",
            "2025/06/01",
            "",
            "abcd",
        ] {
            assert_eq!(parse_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn values_are_labelled_with_thousands_separators() {
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(472.0), "472");
        assert_eq!(format_value(1234567.0), "1,234,567");
        assert_eq!(format_value(-1200.0), "-1,200");
        assert_eq!(format_value(2.5), "2.50");
        assert_eq!(format_value(1e15), "1,000,000,000,000,000");
    }
}

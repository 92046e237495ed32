//! A [`Chart`] drawn as text for a terminal, fitting a given width.
//!
//! Up to [`MAX_BAR_ROWS`] dates: one horizontal bar per date and series, with its value,
//! all bars on one scale. More dates: one sparkline per series over every step from the
//! first date to the last, each on its own scale; when the steps outnumber the columns,
//! each column is the mean of the known values of several steps, and the heading says how
//! many. A series' heading gives its largest single value, its total and how many steps
//! are known. Unknown values and steps
//! without a row are blank, never drawn as zero.

use std::fmt::Write as _;

use super::{Chart, format_value};

/// Results with at most this many dates are drawn as bars, longer ones as sparklines.
pub const MAX_BAR_ROWS: usize = 40;

/// The narrowest chart drawn, whatever the terminal says.
const MIN_WIDTH: usize = 30;

const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The chart as lines of text no wider than `width` characters.
pub fn render(chart: &Chart, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = String::new();
    let _ = writeln!(out, "{}", clip(&chart.title, width));
    if !chart.subtitle.is_empty() {
        let _ = writeln!(out, "{}", clip(&chart.subtitle, width));
    }
    if chart.dates.len() <= MAX_BAR_ROWS {
        bars(chart, width, &mut out);
    } else {
        sparklines(&chart.continuous(), width, &mut out);
    }
    out
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut clipped: String = text.chars().take(width.saturating_sub(1)).collect();
        clipped.push('…');
        clipped
    }
}

/// A bar of `fraction` of `cells` character cells, in eighths of a cell.
fn bar(fraction: f64, cells: usize) -> String {
    let mut eighths = (fraction.clamp(0.0, 1.0) * (cells * 8) as f64).round() as usize;
    if fraction > 0.0 && cells > 0 {
        // Above zero is never drawn as zero.
        eighths = eighths.max(1);
    }
    let mut text = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        text.push(EIGHTHS[eighths % 8 - 1]);
    }
    text
}

/// `head` and `tail` on one line when they fit in `width`, else on two.
fn fit(head: &str, tail: &str, width: usize, out: &mut String) {
    let line = format!("{head} {tail}");
    if line.chars().count() <= width {
        let _ = writeln!(out, "{line}");
    } else {
        let _ = writeln!(out, "{}", clip(head, width));
        let _ = writeln!(out, "  {}", clip(tail, width.saturating_sub(2)));
    }
}

fn bars(chart: &Chart, width: usize, out: &mut String) {
    let date_width = chart
        .dates
        .first()
        .map(|d| chart.period.label(*d).len())
        .unwrap_or(10);
    let many = chart.series.len() > 1;
    let name_width = if many {
        chart
            .series
            .iter()
            .map(|s| s.name.chars().count())
            .max()
            .unwrap_or(0)
            .min(24)
    } else {
        0
    };
    let value_width = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter())
        .map(|v| v.map(format_value).unwrap_or_default().chars().count())
        .max()
        .unwrap_or(1);
    // Series names give way before the bars do: at least 10 cells of bar.
    let name_width =
        name_width.min(width.saturating_sub(date_width + 2 + 1 + value_width + 1 + 10));
    let used = date_width + 2 + if many { name_width + 1 } else { 0 } + 1 + value_width;
    let cells = width.saturating_sub(used);
    let max = chart.max();
    if !many && let Some(series) = chart.series.first() {
        let _ = writeln!(out, "{}", clip(&series.name, width));
    }
    for (i, date) in chart.dates.iter().enumerate() {
        let shown = chart
            .series
            .iter()
            .filter(|s| !chart.spread || s.values.get(i).copied().flatten().is_some());
        for (n, series) in shown.enumerate() {
            let label = if n == 0 {
                chart.period.label(*date)
            } else {
                String::new()
            };
            let mut line = format!("{label:<date_width$}  ");
            if many {
                let name = clip(&series.name, name_width);
                let _ = write!(line, "{name:<name_width$} ");
            }
            match series.values.get(i).copied().flatten() {
                Some(v) => {
                    let fraction = if max > 0.0 { v / max } else { 0.0 };
                    let drawn = bar(fraction, cells);
                    if !drawn.is_empty() {
                        line.push_str(&drawn);
                        line.push(' ');
                    }
                    line.push_str(&format_value(v));
                }
                None => line.push_str("(unknown)"),
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
}

fn sparklines(chart: &Chart, width: usize, out: &mut String) {
    let steps = chart.dates.len();
    let per_column = steps.div_ceil(width).max(1);
    let noun = chart.period.noun();
    let (Some(first), Some(last)) = (chart.dates.first(), chart.dates.last()) else {
        return;
    };
    let first = chart.period.label(*first);
    let last = chart.period.label(*last);
    let scale = if per_column == 1 {
        format!("one column per {noun}")
    } else {
        format!("one column per {per_column} {noun}s, their mean")
    };
    fit(
        &format!("{first} … {last}, {steps} {noun}s;"),
        &scale,
        width,
        out,
    );
    for series in &chart.series {
        let columns: Vec<Option<f64>> = series
            .values
            .chunks(per_column)
            .map(|chunk| {
                let known: Vec<f64> = chunk.iter().flatten().copied().collect();
                (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64)
            })
            .collect();
        let known: Vec<f64> = columns.iter().flatten().copied().collect();
        let max = known.iter().copied().fold(f64::MIN, f64::max);
        let min = known.iter().copied().fold(f64::MAX, f64::min).min(0.0);
        // The heading gives the largest single step, not the largest column.
        let step_max = series
            .values
            .iter()
            .flatten()
            .copied()
            .fold(f64::MIN, f64::max);
        let total: f64 = series.values.iter().flatten().sum();
        let days_known = series.values.iter().flatten().count();
        let facts = if known.is_empty() {
            "no known values".to_string()
        } else {
            format!(
                "max {}, total {}, {days_known} of {steps} {noun}s known",
                format_value(step_max),
                format_value(total)
            )
        };
        fit(&format!("{}:", series.name), &facts, width, out);
        let line: String = columns
            .iter()
            .map(|v| match v {
                None => ' ',
                Some(v) if max > min => {
                    let level = ((v - min) / (max - min) * 7.0).round() as usize;
                    SPARKS[level.min(7)]
                }
                Some(_) => SPARKS[0],
            })
            .collect();
        let _ = writeln!(out, "{}", line.trim_end());
        let gap = columns.len().saturating_sub(first.len() + last.len());
        if gap > 0 {
            let _ = writeln!(out, "{first}{}{last}", " ".repeat(gap));
        } else {
            let _ = writeln!(out, "{first}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Period, Series};
    use super::*;
    use chrono::NaiveDate;

    fn chart(values: &[&[Option<f64>]], start: &str) -> Chart {
        let start = NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap();
        let len = values.first().map(|v| v.len()).unwrap_or(0);
        Chart {
            title: "daily-drones".into(),
            subtitle: "Drones per day".into(),
            period: Period::Day,
            dates: (0..len)
                .map(|i| start + chrono::Days::new(i as u64))
                .collect(),
            series: values
                .iter()
                .enumerate()
                .map(|(i, v)| Series {
                    name: ["drones_launched", "drones_destroyed"][i % 2].into(),
                    values: v.to_vec(),
                })
                .collect(),
            spread: false,
        }
    }

    #[test]
    fn short_results_are_bars_on_one_scale() {
        let c = chart(
            &[
                &[Some(472.0), Some(236.0), None],
                &[Some(210.0), Some(0.0), Some(1.0)],
            ],
            "2025-06-01",
        );
        insta::assert_snapshot!(render(&c, 60), @r"
        daily-drones
        Drones per day
        2025-06-01  drones_launched  ███████████████████████████ 472
                    drones_destroyed ████████████ 210
        2025-06-02  drones_launched  █████████████▌ 236
                    drones_destroyed 0
        2025-06-03  drones_launched  (unknown)
                    drones_destroyed ▏ 1
        ");
    }

    #[test]
    fn long_results_are_sparklines_with_gaps_for_unknown_days() {
        let values: Vec<Option<f64>> = (0..50)
            .map(|i| if i == 10 { None } else { Some(i as f64) })
            .collect();
        let c = chart(&[&values], "2025-01-01");
        let text = render(&c, 60);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[2],
            "2025-01-01 … 2025-02-19, 50 days; one column per day"
        );
        assert_eq!(
            lines[3],
            "drones_launched: max 49, total 1,215, 49 of 50 days known"
        );
        let spark: Vec<char> = lines[4].chars().collect();
        assert_eq!(spark.len(), 50);
        assert_eq!(spark[0], '▁');
        assert_eq!(spark[10], ' ');
        assert_eq!(spark[49], '█');
    }

    #[test]
    fn sparklines_average_steps_when_the_terminal_is_narrow() {
        let values: Vec<Option<f64>> = (0..100).map(|_| Some(1.0)).collect();
        let c = chart(&[&values], "2025-01-01");
        let text = render(&c, 40);
        assert!(text.contains("one column per 3 days, their mean"), "{text}");
        // Equal days give a flat line, the last, shorter column included.
        let spark = text
            .lines()
            .find(|l| !l.is_empty() && l.chars().all(|c| SPARKS.contains(&c)))
            .unwrap();
        assert_eq!(spark.chars().count(), 34, "{spark}");
        assert!(spark.chars().all(|c| c == '█'), "{spark}");
        assert!(text.contains("max 1, total 100"), "{text}");
        for line in text.lines() {
            assert!(line.chars().count() <= 40, "{line:?} is wider than 40");
        }
    }

    #[test]
    fn nothing_is_wider_than_asked() {
        let c = chart(&[&[Some(1e12), Some(5.0)]], "2025-06-01");
        for width in [30, 45, 80] {
            for line in render(&c, width).lines() {
                assert!(line.chars().count() <= width, "{line:?} wider than {width}");
            }
        }
    }
}

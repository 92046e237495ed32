//! `sitrep query run NAME --chart` and `--chart-out FILE`: charts of the samples' series,
//! checked against the same query's numbers.

mod common;

use common::Archive;

/// The rows of a CSV result: (date, values as written).
fn csv_rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn terminal_bars_show_every_day_and_value_of_daily_drones() {
    let a = Archive::with_samples();
    let numbers = csv_rows(&a.query_csv("daily-drones", &[]));
    let chart = a.ok(&["query", "run", "daily-drones", "--chart", "--width", "72"]);
    let lines: Vec<&str> = chart.lines().collect();
    assert_eq!(lines[0], "daily-drones");
    for line in &lines {
        assert!(line.chars().count() <= 72, "{line:?} is wider than 72");
    }
    // Bars: one line per day and series, the date on the first, the value at the end.
    let bar_lines = &lines[2..];
    assert_eq!(bar_lines.len(), numbers.len() * 2, "{chart}");
    for (row, pair) in numbers.iter().zip(bar_lines.chunks(2)) {
        assert!(pair[0].starts_with(&row[0]), "{} vs {:?}", row[0], pair[0]);
        assert!(pair[0].contains("drones_launched"));
        assert!(pair[1].contains("drones_destroyed"));
        for (cell, line) in row[1..].iter().zip(pair) {
            let shown = line.rsplit(' ').next().unwrap().replace(',', "");
            let expected = if cell.is_empty() { "(unknown)" } else { cell };
            assert_eq!(shown, expected, "{line:?}");
        }
    }
    // The biggest night has the longest bar.
    let longest = bar_lines
        .iter()
        .max_by_key(|l| l.matches('█').count())
        .unwrap();
    assert!(longest.ends_with(" 479"), "{longest}");
}

#[test]
fn month_keyed_results_with_a_category_are_charted_per_category() {
    let a = Archive::with_samples();
    let chart = a.ok(&[
        "query",
        "run",
        "events-by-type",
        "--chart",
        "--width",
        "100",
    ]);
    assert!(chart.contains("2025-05  air_attack"), "{chart}");
    assert!(chart.contains("2025-06  air_attack"), "{chart}");
    // Each (month, type) count is shown as the query gives it.
    for row in csv_rows(&a.query_csv("events-by-type", &[])) {
        let (month, kind, n) = (&row[0], &row[1], &row[2]);
        let block: Vec<&str> = chart
            .lines()
            .skip_while(|l| !l.starts_with(month.as_str()))
            .take_while(|l| l.starts_with(month.as_str()) || l.starts_with(' '))
            .collect();
        let line = block
            .iter()
            .find(|l| l.split_whitespace().any(|w| w == kind))
            .unwrap_or_else(|| panic!("{month} {kind} in {chart}"));
        assert!(line.ends_with(&format!(" {n}")), "{line}");
    }
}

#[test]
fn chart_files_are_written_as_svg_and_png() {
    let a = Archive::with_samples();
    let svg = a.dir.path().join("drones.svg");
    let (stdout, stderr) = a.ok_both(&[
        "query",
        "run",
        "daily-drones",
        "--chart-out",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(stdout, "");
    assert!(stderr.contains("2 series over 17 days"), "{stderr}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"));
    for label in [
        "daily-drones",
        "drones_launched",
        "drones_destroyed",
        "2025-05-31",
    ] {
        assert!(text.contains(label), "{label} missing from the SVG");
    }
    // One marker per known value in the result.
    let known = csv_rows(&a.query_csv("daily-drones", &[]))
        .iter()
        .flat_map(|r| r[1..].to_vec())
        .filter(|c| !c.is_empty())
        .count();
    assert_eq!(text.matches("<circle").count(), known);

    let png = a.dir.path().join("drones.png");
    // With a format asked for, the numbers are printed as well.
    let csv = a.ok(&[
        "query",
        "run",
        "daily-drones",
        "--chart-out",
        png.to_str().unwrap(),
        "-f",
        "csv",
    ]);
    assert_eq!(csv, a.query_csv("daily-drones", &[]));
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(bytes.len() > 10_000, "a PNG of {} bytes", bytes.len());
}

#[test]
fn results_that_are_not_charts_fail_clearly_and_write_nothing() {
    let a = Archive::with_samples();
    let err = a.fails(&["query", "run", "top-entities", "--chart"]);
    assert!(err.contains("cannot chart query \"top-entities\""), "{err}");
    assert!(err.contains("not date-keyed"), "{err}");

    let out = a.dir.path().join("chart.pdf");
    let err = a.fails(&[
        "query",
        "run",
        "daily-drones",
        "--chart-out",
        out.to_str().unwrap(),
    ]);
    assert!(err.contains("name the file .svg or .png"), "{err}");
    assert!(!out.exists());

    let err = a.fails(&[
        "query",
        "run",
        "daily-drones",
        "--from",
        "2030-01-01",
        "--chart",
    ]);
    assert!(err.contains("no rows"), "{err}");
}

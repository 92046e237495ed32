//! A [`Chart`] drawn with plotters as an SVG or PNG image: a time axis with one step per
//! day (month, year) from the first date to the last, a value axis from zero, a title, the
//! query's description and a legend. Daily series are lines with a marker at every known
//! value, broken where a value is unknown or a day has no row, so a gap in the reporting
//! is never drawn as a slope; monthly and yearly series are grouped bars. An empty title
//! or description is left out (the HTML report prints its own).
//!
//! Text is laid out with DejaVu Sans, compiled in (the `dejavu` crate), so a PNG looks the
//! same on a machine without fonts; an SVG names the family and lets the viewer draw it.

use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Result, anyhow, bail};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::{Chart, Period, format_value};

/// Size of a chart file, in pixels.
pub const SIZE: (u32, u32) = (1000, 520);

/// The family every label is drawn in.
const FONT: &str = "DejaVu Sans";

/// Series colours, distinguishable in colour and in grey.
const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

/// The colour of the `index`-th series: the palette, then hues spread by the golden
/// angle in two lightnesses, so that no two of a chart's series share a colour.
pub fn colour(index: usize) -> RGBColor {
    if let Some(c) = PALETTE.get(index) {
        return *c;
    }
    let n = (index - PALETTE.len()) as f64;
    let hue = (n * 137.508 + 20.0) % 360.0;
    let lightness = if (index - PALETTE.len()).is_multiple_of(2) {
        0.42
    } else {
        0.62
    };
    let rgb = HSLColor(hue / 360.0, 0.65, lightness).to_rgba();
    RGBColor(rgb.0, rgb.1, rgb.2)
}

/// Steps above which markers are left out (they would merge into a band).
const MAX_MARKED_STEPS: usize = 120;

fn register_font() -> Result<()> {
    // Registered once per process; a failure is remembered, so every chart reports it.
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [FontStyle::Normal, FontStyle::Bold]
            .into_iter()
            .all(|style| {
                let bytes = match style {
                    FontStyle::Bold => dejavu::sans::bold(),
                    _ => dejavu::sans::regular(),
                };
                plotters::style::register_font(FONT, style, bytes).is_ok()
            })
    });
    if !ok {
        bail!("the built-in chart font could not be loaded");
    }
    Ok(())
}

/// Writes the chart to `path`; the extension (`.svg` or `.png`) picks the format. The
/// image is written beside `path` and renamed into place, so a failed write (a full disk)
/// leaves any earlier file as it was.
pub fn write_file(chart: &Chart, path: &Path) -> Result<()> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let Some(extension @ ("svg" | "png")) = extension.as_deref() else {
        bail!(
            "cannot tell the chart format of {}: name the file .svg or .png",
            path.display()
        );
    };
    let png = extension == "png";
    crate::output::whole_file::write_whole(path, "chart", |partial| {
        if png {
            register_font()?;
            let root = BitMapBackend::new(partial, SIZE).into_drawing_area();
            draw(chart, &root)?;
            root.present().map_err(|e| anyhow!("{e}"))
        } else {
            Ok(std::fs::write(partial, svg_string(chart, SIZE)?)?)
        }
    })
}

/// The chart as an SVG document.
pub fn svg_string(chart: &Chart, size: (u32, u32)) -> Result<String> {
    register_font()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(chart, &root)?;
        root.present().map_err(|e| anyhow!("{e}"))?;
    }
    Ok(svg)
}

/// `text`, shortened at a word with "…" until `fits` says it does.
fn fitted(text: &str, fits: impl Fn(&str) -> bool) -> String {
    if fits(text) {
        return text.to_string();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for n in (1..words.len()).rev() {
        let shorter = format!("{} …", words[..n].join(" "));
        if fits(&shorter) {
            return shorter;
        }
    }
    String::new()
}

fn draw<DB: DrawingBackend>(chart: &Chart, root: &DrawingArea<DB, Shift>) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let fail = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("drawing the chart failed: {e}");
    root.fill(&WHITE).map_err(fail)?;
    // Every step from the first date to the last; x is a step's index.
    let continuous = chart.continuous();
    let steps = continuous.dates.len();
    if steps == 0 {
        bail!("nothing to chart: no dates");
    }
    let max = chart.max();
    let min = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0f64, |m, v| m.min(*v));
    // Small whole-number ranges get one tick per unit, so no label repeats.
    let (bottom, top, y_ticks) = if max <= 8.0 && min == 0.0 {
        (
            0.0,
            max.ceil().max(1.0) + 0.5,
            max.ceil().max(1.0) as usize + 1,
        )
    } else {
        (min * 1.08, if max > 0.0 { max * 1.08 } else { 1.0 }, 8)
    };
    let (width, _) = root.dim_in_pixel();
    let mut area = root.clone();
    if !chart.title.is_empty() {
        let title_font = (FONT, 24).into_font().style(FontStyle::Bold);
        area = area
            .titled(&chart.title, title_font.color(&BLACK))
            .map_err(fail)?;
    }
    if !chart.subtitle.is_empty() {
        let style = (FONT, 15).into_font().color(&RGBColor(80, 80, 80));
        let room = width.saturating_sub(40);
        let subtitle = fitted(&chart.subtitle, |t| {
            area.estimate_text_size(t, &style)
                .map_or(u32::MAX, |(w, _)| w)
                <= room
        });
        area = area.titled(&subtitle, style.clone()).map_err(fail)?;
    }
    let area = legend(&continuous, area).map_err(fail)?;
    let mut ctx = ChartBuilder::on(&area)
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(72)
        .build_cartesian_2d(-0.5f64..(steps as f64 - 0.5), bottom..top)
        .map_err(fail)?;
    let period = chart.period;
    let dates = continuous.dates.clone();
    // A tick gets its step's date when it falls on a step, else no label.
    let x_format = move |x: &f64| {
        let nearest = x.round();
        if (x - nearest).abs() > 1e-6 || nearest < 0.0 {
            return String::new();
        }
        dates
            .get(nearest as usize)
            .map(|d| period.label(*d))
            .unwrap_or_default()
    };
    let y_format = |v: &f64| {
        if (v - v.round()).abs() < 1e-9 {
            format_value(v.round())
        } else {
            format_value(*v)
        }
    };
    ctx.configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(210, 210, 210))
        .x_labels(steps.min(10))
        .y_labels(y_ticks)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .x_desc(period.noun())
        .y_desc("count")
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .draw()
        .map_err(fail)?;

    let bars = period != Period::Day;
    let count = continuous.series.len().max(1) as f64;
    for (index, series) in continuous.series.iter().enumerate() {
        let colour = colour(index);
        let known = || {
            series
                .values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i as f64, v)))
        };
        if bars {
            // Grouped bars: the series share 80% of a step, side by side.
            let slot = 0.8 / count;
            let left = -0.4 + slot * index as f64;
            ctx.draw_series(known().map(|(x, v)| {
                Rectangle::new(
                    [(x + left, 0.0), (x + left + slot * 0.9, v)],
                    colour.filled(),
                )
            }))
            .map_err(fail)?;
            continue;
        }
        if steps <= MAX_MARKED_STEPS {
            ctx.draw_series(known().map(|p| Circle::new(p, 3, colour.filled())))
                .map_err(fail)?;
        }
        let stroke = if steps > 400 { 1 } else { 2 };
        // One line per run of known, consecutive steps.
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, value) in series.values.iter().enumerate() {
            match value {
                Some(v) => run.push((i as f64, *v)),
                None => {
                    if run.len() > 1 {
                        ctx.draw_series(LineSeries::new(run.clone(), colour.stroke_width(stroke)))
                            .map_err(fail)?;
                    }
                    run.clear();
                }
            }
        }
        if run.len() > 1 {
            ctx.draw_series(LineSeries::new(run, colour.stroke_width(stroke)))
                .map_err(fail)?;
        }
    }
    Ok(())
}

/// Draws the legend in rows above the plot (never over the data): a swatch in the series'
/// colour and its name, wrapped to the width. Returns the area left for the plot.
fn legend<DB: DrawingBackend>(
    chart: &Chart,
    area: DrawingArea<DB, Shift>,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    const ROW: i32 = 24;
    const LEFT: i32 = 88;
    let style = (FONT, 15).into_font().color(&BLACK);
    let (width, _) = area.dim_in_pixel();
    let right = width as i32 - 16;
    // Lay the items out first, to know how many rows they take.
    let mut placed = Vec::new();
    let (mut x, mut row) = (LEFT, 0);
    for (index, series) in chart.series.iter().enumerate() {
        let (text_width, _) = area.estimate_text_size(&series.name, &style)?;
        let item = 28 + text_width as i32 + 20;
        if x + item > right && x > LEFT {
            x = LEFT;
            row += 1;
        }
        placed.push((index, x, row));
        x += item;
    }
    let height = (row + 1) * ROW + 8;
    let (top, rest) = area.split_vertically(height);
    for (index, x, row) in placed {
        let y = 4 + row * ROW + ROW / 2;
        let colour = colour(index);
        top.draw(&Rectangle::new(
            [(x, y - 5), (x + 20, y + 5)],
            colour.filled(),
        ))?;
        if let Some(series) = chart.series.get(index) {
            top.draw_text(&series.name, &style, (x + 28, y - 8))?;
        }
    }
    Ok(rest)
}

#[cfg(test)]
mod tests {
    use super::super::Series;
    use super::*;
    use chrono::{Days, NaiveDate};

    fn sample() -> Chart {
        let start = NaiveDate::from_ymd_opt(2025, 5, 25).unwrap();
        Chart {
            title: "daily-drones".into(),
            subtitle: "Drones launched and destroyed per day".into(),
            period: Period::Day,
            dates: (0..5).map(|i| start + Days::new(i)).collect(),
            series: vec![
                Series {
                    name: "drones_launched".into(),
                    values: vec![Some(298.0), Some(355.0), None, Some(472.0), Some(80.0)],
                },
                Series {
                    name: "drones_destroyed".into(),
                    values: vec![Some(139.0), Some(233.0), Some(35.0), Some(210.0), None],
                },
            ],
            spread: false,
        }
    }

    /// The texts of an SVG's `<text>` elements, trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let start = t.find('>')? + 1;
                let end = t.find("</text>")?;
                Some(t.get(start..end)?.trim().to_string())
            })
            .collect()
    }

    #[test]
    fn thirty_series_get_thirty_colours() {
        let colours: std::collections::BTreeSet<(u8, u8, u8)> =
            (0..30).map(colour).map(|c| (c.0, c.1, c.2)).collect();
        assert_eq!(colours.len(), 30);
    }

    #[test]
    fn long_subtitles_are_cut_at_a_word() {
        assert_eq!(
            fitted("one two three", |t| t.chars().count() <= 9),
            "one two …"
        );
        assert_eq!(fitted("short", |_| true), "short");
        assert_eq!(fitted("nothing fits", |_| false), "");
    }

    #[test]
    fn svg_has_title_legend_axis_labels_and_one_marker_per_known_value() {
        let svg = svg_string(&sample(), SIZE).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..60]);
        let texts = texts(&svg);
        for expected in [
            "daily-drones",
            "Drones launched and destroyed per day",
            "drones_launched",
            "drones_destroyed",
            "count",
            "day",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected} in {texts:?}"
            );
        }
        assert!(texts.iter().any(|t| t.starts_with("2025-05-")), "{texts:?}");
        // 4 + 4 known values, each a filled circle.
        assert_eq!(svg.matches("<circle").count(), 8);
        // Launched is broken by its unknown day into two lines of two points; destroyed is
        // one line of four.
        let lines = |colour: RGBColor| {
            let stroke = format!(
                "stroke=\"#{:02X}{:02X}{:02X}\"",
                colour.0, colour.1, colour.2
            );
            svg.lines()
                .filter(|l| l.starts_with("<polyline") && l.contains(&stroke))
                .count()
        };
        assert_eq!(lines(colour(0)), 2, "{svg}");
        assert_eq!(lines(colour(1)), 1, "{svg}");
    }

    #[test]
    fn png_is_written_and_unknown_extensions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("chart.png");
        write_file(&sample(), &png).unwrap();
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        let err = write_file(&sample(), &dir.path().join("chart.pdf")).unwrap_err();
        assert!(format!("{err:#}").contains("name the file .svg or .png"));
        let err = write_file(&sample(), &dir.path().join("missing/chart.svg")).unwrap_err();
        assert!(format!("{err:#}").contains("missing/chart.svg"));
    }
}

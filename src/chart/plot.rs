//! A [`Chart`] drawn with plotters as an SVG or PNG image: a time axis, a value axis from
//! zero, one coloured line per series with a marker at every known value, a title and a
//! legend. A line is broken where a value is unknown or a step has no row, so a gap in the
//! reporting is never drawn as a slope.
//!
//! Text is laid out with DejaVu Sans, compiled in (the `dejavu` crate), so a PNG looks the
//! same on a machine without fonts; an SVG names the family and lets the viewer draw it.

use std::path::Path;
use std::sync::Once;

use anyhow::{Context, Result, anyhow, bail};
use chrono::{Days, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::{Chart, format_value};

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

/// The colour of the `index`-th series.
pub fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

fn register_font() -> Result<()> {
    static REGISTER: Once = Once::new();
    let mut failed = false;
    REGISTER.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            let bytes = match style {
                FontStyle::Bold => dejavu::sans::bold(),
                _ => dejavu::sans::regular(),
            };
            failed |= plotters::style::register_font(FONT, style, bytes).is_err();
        }
    });
    if failed {
        bail!("the built-in chart font could not be loaded");
    }
    Ok(())
}

/// Writes the chart to `path`; the extension (`.svg` or `.png`) picks the format.
pub fn write_file(chart: &Chart, path: &Path) -> Result<()> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let drawn = match extension.as_deref() {
        Some("svg") => {
            let svg = svg_string(chart, SIZE)?;
            std::fs::write(path, svg).map_err(anyhow::Error::from)
        }
        Some("png") => {
            register_font()?;
            let root = BitMapBackend::new(path, SIZE).into_drawing_area();
            draw(chart, &root)
                .and_then(|()| root.present().map_err(|e| anyhow!("{e}")))
                .map_err(|e| {
                    // The bitmap backend reports a failed write as a plain message.
                    e.context("cannot write the PNG")
                })
        }
        _ => bail!(
            "cannot tell the chart format of {}: name the file .svg or .png",
            path.display()
        ),
    };
    drawn.with_context(|| format!("cannot write chart {}", path.display()))
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

/// The first and last day of the time axis: the dates, half a step wider on each side so
/// that the first and last markers are not on the frame.
fn time_range(chart: &Chart) -> Option<(NaiveDate, NaiveDate)> {
    let first = *chart.dates.first()?;
    let last = *chart.dates.last()?;
    let span = (last - first).num_days().max(1) as u64;
    let pad = Days::new((span / 40).max(1));
    Some((first.checked_sub_days(pad)?, last.checked_add_days(pad)?))
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
    let Some((start, end)) = time_range(chart) else {
        bail!("nothing to chart: no dates");
    };
    let max = chart.max();
    let top = if max > 0.0 { max * 1.08 } else { 1.0 };
    let (width, _) = root.dim_in_pixel();
    let title_font = (FONT, 24).into_font().style(FontStyle::Bold);
    let mut area = root
        .titled(&chart.title, title_font.color(&BLACK))
        .map_err(fail)?;
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
    let mut ctx = ChartBuilder::on(&area)
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(72)
        .build_cartesian_2d(start..end, 0f64..top)
        .map_err(fail)?;
    let period = chart.period;
    let x_format = move |d: &NaiveDate| period.label(*d);
    let y_format = |v: &f64| format_value(v.round());
    ctx.configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(210, 210, 210))
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .x_desc(period.noun())
        .y_desc("count")
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .draw()
        .map_err(fail)?;

    let continuous = chart.continuous();
    for (index, series) in continuous.series.iter().enumerate() {
        let colour = colour(index);
        let points: Vec<(NaiveDate, f64)> = continuous
            .dates
            .iter()
            .zip(&series.values)
            .filter_map(|(d, v)| v.map(|v| (*d, v)))
            .collect();
        ctx.draw_series(points.iter().map(|p| Circle::new(*p, 3, colour.filled())))
            .map_err(fail)?
            .label(series.name.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
            });
        // One line per run of known, consecutive steps.
        let mut run: Vec<(NaiveDate, f64)> = Vec::new();
        for (date, value) in continuous.dates.iter().zip(&series.values) {
            match value {
                Some(v) => run.push((*date, *v)),
                None => {
                    if run.len() > 1 {
                        ctx.draw_series(LineSeries::new(run.clone(), colour.stroke_width(2)))
                            .map_err(fail)?;
                    }
                    run.clear();
                }
            }
        }
        if run.len() > 1 {
            ctx.draw_series(LineSeries::new(run, colour.stroke_width(2)))
                .map_err(fail)?;
        }
    }
    ctx.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font((FONT, 15))
        .draw()
        .map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Period, Series};
    use super::*;

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
        // one line of four. Plus one legend swatch per series.
        let lines = |colour: RGBColor| {
            let stroke = format!(
                "stroke=\"#{:02X}{:02X}{:02X}\"",
                colour.0, colour.1, colour.2
            );
            svg.lines()
                .filter(|l| l.starts_with("<polyline") && l.contains(&stroke))
                .count()
        };
        assert_eq!(lines(colour(0)), 2 + 1, "{svg}");
        assert_eq!(lines(colour(1)), 1 + 1, "{svg}");
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

//! `sitrep report`: the HTML file's content, checked as text, and the page rendered in
//! headless Chromium (a screenshot and the DOM after load).
//!
//! The browser test needs Chromium: `$SITREP_CHROMIUM`, else `chromium`,
//! `chromium-browser` or `google-chrome` on the PATH. `.ci/run` installs Debian's
//! `chromium` when it is missing. Without a browser the test fails and says so.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Archive;

fn report(a: &Archive, extra: &[&str]) -> (PathBuf, String) {
    let out = a.dir.path().join("report.html");
    let mut args = vec!["report", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (stdout, stderr) = a.ok_both(&args);
    assert_eq!(stdout, "");
    assert!(stderr.contains("wrote"), "{stderr}");
    let html = std::fs::read_to_string(&out).unwrap();
    (out, html)
}

/// The text inside every `<tag ...>…</tag>` of the table with `id`'s section, roughly:
/// the rows of the first table after `marker`.
fn table_rows_after(html: &str, marker: &str) -> Vec<Vec<String>> {
    let start = html.find(marker).expect("section present");
    let rest = &html[start..];
    let end = rest.find("</table>").unwrap_or(rest.len());
    rest[..end]
        .split("<tr>")
        .skip(2)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let body = &cell[cell.find('>').unwrap() + 1..];
                    body[..body.find("</td>").unwrap()].to_string()
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_report_is_self_contained_and_holds_every_section() {
    let a = Archive::with_samples();
    let (_, html) = report(&a, &[]);
    // Nothing is fetched: no external scripts, styles, images or fonts.
    for outside in ["<link", "src=", "@import", "url(", "<iframe", "<img"] {
        assert!(!html.contains(outside), "the report contains {outside}");
    }
    assert!(html.contains("Content-Security-Policy"));
    for id in ["summary", "series", "entities", "regions", "events"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    // A chart for each date-keyed built-in query.
    for name in [
        "daily-drones",
        "daily-missiles",
        "daily-casualties",
        "events-by-type",
        "articles-per-day",
    ] {
        assert!(
            html.contains(&format!("id=\"chart-{name}\"")),
            "chart {name}"
        );
    }
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 5);
    assert!(!html.contains("id=\"chart-top-entities\""));

    // The summary counts what the archive holds.
    let summary = table_rows_after(&html, "id=\"summary\"");
    let events: i64 = a.scalar("SELECT count(*) FROM events");
    assert_eq!(summary[1][0], "events");
    assert_eq!(summary[1][1], events.to_string());

    // The latest events, newest first, link to their articles.
    let latest = table_rows_after(&html, "id=\"events\"");
    assert_eq!(latest.len() as i64, events.min(50));
    let dates: Vec<&str> = latest.iter().map(|r| &r[0][..10]).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(dates, sorted);
    let linked: Vec<String> = a
        .conn()
        .prepare(
            "SELECT DISTINCT a.url FROM event_articles ea JOIN articles a ON a.id = ea.article_id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!linked.is_empty());
    for url in linked {
        assert!(html.contains(&format!("<a href=\"{url}\"")), "{url}");
    }
}

#[test]
fn from_and_to_limit_every_section() {
    let a = Archive::with_samples();
    let (_, html) = report(
        &a,
        &[
            "--from",
            "2025-06-05",
            "--to",
            "2025-06-08",
            "--events",
            "3",
        ],
    );
    assert!(html.contains("from 2025-06-05 to 2025-06-08"));
    let latest = table_rows_after(&html, "id=\"events\"");
    assert_eq!(latest.len(), 3);
    for row in &latest {
        assert!(
            ("2025-06-05".."2025-06-09").contains(&&row[0][..10]),
            "{row:?}"
        );
    }
    let in_range: i64 =
        a.scalar("SELECT count(*) FROM events WHERE date BETWEEN '2025-06-05' AND '2025-06-08'");
    let summary = table_rows_after(&html, "id=\"summary\"");
    assert_eq!(summary[1][1], in_range.to_string());
    // The drone chart's numbers are the query's for the same range.
    let numbers = table_rows_after(&html, "id=\"chart-daily-drones\"");
    let csv = a.query_csv(
        "daily-drones",
        &["--from", "2025-06-05", "--to", "2025-06-08"],
    );
    let expected: Vec<Vec<String>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(numbers, expected);

    let err = a.fails(&["report", "--out", "x.html", "--from", "June"]);
    assert!(err.contains("--from"), "{err}");
    assert!(!a.dir.path().join("x.html").exists());
}

#[test]
fn archive_text_is_escaped_and_only_web_addresses_are_links() {
    let a = Archive::new();
    let events = a.write(
        "events.csv",
        "event_id,date,type,location,notes,article_url,drones_launched\n\
         x1,2025-06-01,air_attack,\"<b>Kyiv</b>\",\"<script>alert(1)</script> & more\",javascript:alert(1),5\n\
         x2,2025-06-02,air_attack,Odesa,plain,https://example.test/a?b=1&c=2,7\n",
    );
    a.import(&[&events]);
    let (_, html) = report(&a, &[]);
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert!(html.contains("&lt;b&gt;Kyiv&lt;/b&gt;"));
    assert!(!html.contains("href=\"javascript:"));
    assert!(html.contains("<a href=\"https://example.test/a?b=1&amp;c=2\""));
}

#[test]
fn a_missing_archive_or_unwritable_output_is_an_error() {
    let a = Archive::new();
    let err = a.fails(&["report", "--out", "r.html"]);
    assert!(err.contains("archive.db"), "{err}");
    assert!(!a.db.exists());
    let a = Archive::with_samples();
    let out = a.dir.path().join("no/such/dir/r.html");
    let err = a.fails(&["report", "--out", out.to_str().unwrap()]);
    assert!(err.contains("cannot write report"), "{err}");
}

#[test]
fn links_are_followed_and_dash_is_standard_output() {
    let a = Archive::with_samples();
    let target = a.dir.path().join("target.html");
    std::fs::write(&target, "old").unwrap();
    let link = a.dir.path().join("link.html");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    a.ok(&["report", "--out", link.to_str().unwrap()]);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );

    let (stdout, stderr) = a.ok_both(&["report", "--out", "-"]);
    assert!(stdout.starts_with("<!DOCTYPE html>"));
    assert_eq!(stderr, "");
    assert!(!a.dir.path().join("-").exists());
}

#[test]
fn ranges_are_checked_and_counted_in_every_section() {
    let a = Archive::with_samples();
    let err = a.fails(&[
        "report",
        "--out",
        "r.html",
        "--from",
        "2025-06-05",
        "--to",
        "2025-06-01",
    ]);
    assert!(err.contains("after --to"), "{err}");
    let (_, html) = report(&a, &["--from", "2025-06", "--to", "2025-06"]);
    let summary = table_rows_after(&html, "id=\"summary\"");
    let sources: i64 = a.scalar(
        "SELECT count(*) FROM sources s WHERE EXISTS (SELECT 1 FROM articles a WHERE \
         a.source_id = s.id AND a.placeholder = 0 AND a.published_day BETWEEN '2025-06-01' AND '2025-06-30') \
         OR EXISTS (SELECT 1 FROM events e WHERE e.source_id = s.id AND e.date BETWEEN '2025-06-01' AND '2025-06-30')",
    );
    let all: i64 = a.scalar("SELECT count(*) FROM sources");
    assert!(sources < all);
    assert_eq!(
        summary[4],
        vec![
            "sources".to_string(),
            sources.to_string(),
            String::new(),
            String::new()
        ]
    );
    // Figures name their weapon, so two rows of one kind can be told apart.
    assert!(
        html.contains("launched (Shahed-136/131)"),
        "weapon names in figures"
    );
    let (_, none) = report(&a, &["--events", "0"]);
    assert!(none.contains("Not listed (--events 0)"));
}

/// The Chromium binary to test with.
fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("SITREP_CHROMIUM") {
        return PathBuf::from(path);
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Some(dir) = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .find(|dir| dir.join(name).is_file())
        {
            return dir.join(name);
        }
    }
    panic!(
        "the report's browser test needs Chromium: install Debian's `chromium` package \
         (`.ci/run` does) or set SITREP_CHROMIUM to a Chromium or Chrome binary"
    );
}

/// Runs headless Chromium on `page` with `args`; returns its standard output.
fn headless(page: &Path, profile: &Path, args: &[&str]) -> String {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_report_renders_in_a_real_browser_with_its_charts() {
    let a = Archive::with_samples();
    let (page, _) = report(&a, &[]);

    // The DOM after load: the page's own check found every chart laid out, and nothing
    // failed or was blocked.
    let dom = headless(&page, &a.dir.path().join("profile-dom"), &["--dump-dom"]);
    assert!(
        dom.contains("data-charts-drawn=\"5\""),
        "{}",
        &dom[..dom.len().min(400)]
    );
    assert!(
        !dom.contains("data-errors"),
        "{}",
        &dom[..dom.len().min(400)]
    );

    // A screenshot: the charts' colours are on the page.
    let shot = a.dir.path().join("report.png");
    headless(
        &page,
        &a.dir.path().join("profile-shot"),
        &[
            "--window-size=1280,2400",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("a screenshot"),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (1280, 2400));
    let channels = info.line_size / info.width as usize;
    let near = |p: &[u8], (r, g, b): (u8, u8, u8)| {
        p[0].abs_diff(r) < 40 && p[1].abs_diff(g) < 40 && p[2].abs_diff(b) < 40
    };
    let count = |colour: (u8, u8, u8)| {
        pixels[..info.buffer_size()]
            .chunks(channels)
            .filter(|p| near(p, colour))
            .count()
    };
    // Blue and red series (lines, markers, bars, legend swatches), drawn in quantity.
    let blue = count((31, 119, 180));
    let red = count((214, 39, 40));
    assert!(blue > 3000, "{blue} blue pixels");
    assert!(red > 1000, "{red} red pixels");
    // Mostly a light page, not a blank or black one.
    let light = count((250, 250, 250));
    let all = info.buffer_size() / channels;
    assert!(
        light > all / 2 && light < all,
        "{light} of {all} light pixels"
    );
}

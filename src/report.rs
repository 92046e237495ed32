//! The HTML report (`sitrep report`): one self-contained page — inline CSS, inline SVG
//! charts, no fonts, images or scripts fetched from anywhere — with the archive's summary,
//! a chart of every date-keyed built-in query (with its numbers under the chart), the top
//! entities and regions, and the latest events with links to their articles.
//!
//! Everything is read through the saved-query machinery ([`query::run`]): read-only, with
//! the same `--from`/`--to` rules as `sitrep query run`. Every text from the archive is
//! HTML-escaped, and only `http(s)` addresses become links.
//!
//! The page carries one small inline script, allowed by its hash in the page's
//! Content-Security-Policy and nothing else: after load it records on `<html>` how many
//! charts were laid out with a size (`data-charts-drawn`) and any error — a script error,
//! a resource that failed to load, anything the policy blocked — (`data-errors`), which is
//! what the browser test reads.

use std::fmt::Write as _;
use std::sync::Mutex;

use anyhow::Result;
use base64::Engine as _;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::chart::{self, Chart, Collector};
use crate::output::Cell;
use crate::query::{self, Bindings};

/// What the report covers.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub archive: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// How many of the latest events to list.
    pub events: u32,
}

/// Size of each chart (scaled to the page width by CSS).
const CHART_SIZE: (u32, u32) = (1000, 380);

/// How many top entities and regions to list.
const TOP: usize = 15;

const SUMMARY_SQL: &str = "
SELECT 'articles' AS what, count(*) AS count, min(published_day) AS first, max(published_day) AS last
  FROM articles WHERE placeholder = 0
   AND (:from IS NULL OR published_day >= :from) AND (:to IS NULL OR published_day <= :to)
UNION ALL SELECT 'events', count(*), min(date), max(date) FROM events
 WHERE (:from IS NULL OR date >= :from) AND (:to IS NULL OR date <= :to)
UNION ALL SELECT 'figures', count(*), NULL, NULL FROM quantities q JOIN events e ON e.id = q.event_id
 WHERE (:from IS NULL OR e.date >= :from) AND (:to IS NULL OR e.date <= :to)
UNION ALL SELECT 'entities linked to events', count(DISTINCT l.entity_id), NULL, NULL
  FROM event_entities l JOIN events e ON e.id = l.event_id
 WHERE (:from IS NULL OR e.date >= :from) AND (:to IS NULL OR e.date <= :to)
UNION ALL SELECT 'sources', count(*), NULL, NULL FROM sources s
 WHERE EXISTS (SELECT 1 FROM articles a WHERE a.source_id = s.id AND a.placeholder = 0
                 AND (:from IS NULL OR a.published_day >= :from)
                 AND (:to IS NULL OR a.published_day <= :to))
    OR EXISTS (SELECT 1 FROM events e WHERE e.source_id = s.id
                 AND (:from IS NULL OR e.date >= :from) AND (:to IS NULL OR e.date <= :to))
";

const LATEST_SQL: &str = "
SELECT e.date AS date, e.date_precision AS precision, coalesce(e.type, '') AS type,
       coalesce(e.location, e.region, e.country, '') AS place,
       coalesce(s.name, '') AS source,
       (SELECT group_concat(
            q.kind || coalesce(' (' || w.name || ')', '') || ' ' ||
            CASE WHEN q.value IS NOT NULL THEN
                 CASE q.qualifier WHEN 'exact' THEN '' ELSE replace(q.qualifier, '_', ' ') || ' ' END
                 || q.value
                 WHEN q.low IS NOT NULL THEN q.low || '–' || coalesce(q.high, '')
                 ELSE q.qualifier END, '; ')
          FROM quantities q LEFT JOIN entities w ON w.id = q.weapon_id
         WHERE q.event_id = e.id) AS figures,
       (SELECT json_group_array(json_object('url', a.url, 'title', coalesce(a.title, a.url)))
          FROM event_articles ea JOIN articles a ON a.id = ea.article_id
         WHERE ea.event_id = e.id) AS articles,
       coalesce(e.notes, '') AS notes
  FROM events e LEFT JOIN sources s ON s.id = e.source_id
 WHERE (:from IS NULL OR e.date >= :from) AND (:to IS NULL OR e.date <= :to)
 ORDER BY e.date DESC, e.id DESC
 LIMIT :limit
";

/// The script that reports, on `<html>`, how many charts the browser drew with a size.
const CHECK_SCRIPT: &str = "function sitrepError(m) { var d = document.documentElement.dataset; \
d.errors = (d.errors || '') + m + ';'; } \
window.addEventListener('error', function (e) { sitrepError(e.message || 'a resource failed to load'); }, true); \
document.addEventListener('securitypolicyviolation', function (e) { sitrepError('blocked ' + e.blockedURI); }); \
window.addEventListener('load', function () { var n = 0; \
document.querySelectorAll('svg.chart').forEach(function (s) { var r = s.getBoundingClientRect(); \
if (r.width > 100 && r.height > 50 && s.querySelector('circle, polyline')) { n++; } }); \
document.documentElement.dataset.chartsDrawn = String(n); });";

const STYLE: &str = "
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1d232a;
       max-width: 1100px; margin: 0 auto; padding: 24px; background: #fafafa; }
h1 { margin-bottom: 0; } h2 { margin-top: 2em; border-bottom: 2px solid #dde3ea; }
.meta { color: #5a6470; margin-top: 4px; }
table { border-collapse: collapse; background: #fff; margin: 8px 0; }
th, td { border: 1px solid #dde3ea; padding: 4px 8px; text-align: left; vertical-align: top;
         white-space: nowrap; }
td.notes, td.links, td.wrap { white-space: normal; }
table.events { width: 100%; table-layout: fixed; }
table.events td { white-space: normal; overflow-wrap: break-word; }
table.events td.links { overflow-wrap: anywhere; }
th { background: #eef2f6; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart-box { background: #fff; border: 1px solid #dde3ea; padding: 8px; margin: 12px 0; }
svg.chart { width: 100%; height: auto; display: block; }
.cols { display: flex; gap: 24px; flex-wrap: wrap; } .cols > div { flex: 1 1 420px; }
.empty { color: #5a6470; font-style: italic; }
td.notes { min-width: 260px; } td.links { min-width: 160px; }
";

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link to `url` titled `title`, or the title alone when the address is not http(s).
fn link(url: &str, title: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            escape(url.trim()),
            escape(title)
        )
    } else {
        escape(title)
    }
}

fn run(
    conn: &Connection,
    refused: &Mutex<Option<String>>,
    sql: &str,
    bindings: &Bindings,
) -> Result<Collector> {
    let mut result = Collector::default();
    query::run(conn, refused, sql, bindings, &mut result)?;
    Ok(result)
}

/// A result as an HTML table; numeric cells right-aligned.
fn table(result: &Collector, rows: usize, out: &mut String) {
    if result.rows.is_empty() {
        out.push_str("<p class=\"empty\">Nothing in this range.</p>\n");
        return;
    }
    out.push_str("<table><thead><tr>");
    for column in &result.columns {
        let _ = write!(out, "<th>{}</th>", escape(column));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in result.rows.iter().take(rows) {
        out.push_str("<tr>");
        for cell in row {
            let class = if cell.is_numeric() {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", escape(&cell.to_string()));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// An inline SVG chart that scales with the page, without the title and description that
/// the page prints above it.
fn inline_svg(chart: &Chart) -> Result<String> {
    let label = escape(&format!("{}: {}", chart.title, chart.subtitle));
    let untitled = Chart {
        title: String::new(),
        subtitle: String::new(),
        ..chart.clone()
    };
    let svg = chart::plot::svg_string(&untitled, CHART_SIZE)?;
    let (w, h) = CHART_SIZE;
    Ok(svg.replacen(
        &format!("<svg width=\"{w}\" height=\"{h}\""),
        &format!("<svg class=\"chart\" role=\"img\" aria-label=\"{label}\""),
        1,
    ))
}

fn text(cell: Option<&Cell>) -> String {
    match cell {
        Some(Cell::Null) | None => String::new(),
        Some(c) => c.to_string(),
    }
}

/// The whole report as one HTML document.
pub fn build(conn: &Connection, refused: &Mutex<Option<String>>, opts: &Options) -> Result<String> {
    let from = query::day_bound("--from", &opts.from, false)?;
    let to = query::day_bound("--to", &opts.to, true)?;
    if let (Some(f), Some(t)) = (&from, &to)
        && f > t
    {
        anyhow::bail!("--from {f} is after --to {t}: the range is empty");
    }
    let bindings = Bindings {
        from: opts.from.clone(),
        to: opts.to.clone(),
        params: Vec::new(),
    };
    let script_hash =
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(CHECK_SCRIPT.as_bytes()));
    let range = match (&opts.from, &opts.to) {
        (None, None) => "everything in the archive".to_string(),
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("up to {t}"),
        (Some(f), Some(t)) => format!("from {f} to {t}"),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>sitrep report: {archive}</title>\n<style>{STYLE}</style>\n\
         <script>{CHECK_SCRIPT}</script>\n</head>\n<body>\n\
         <h1>sitrep report</h1>\n<p class=\"meta\">Archive <b>{archive}</b> · {range} · \
         written {when} by sitrep {version}</p>\n",
        archive = escape(&opts.archive),
        range = escape(&range),
        when = escape(&crate::db::now_iso()),
        version = env!("CARGO_PKG_VERSION"),
    );

    out.push_str("<h2 id=\"summary\">Summary</h2>\n");
    table(
        &run(conn, refused, SUMMARY_SQL, &bindings)?,
        usize::MAX,
        &mut out,
    );

    out.push_str("<h2 id=\"series\">Series</h2>\n");
    for def in query::all(conn)?.into_iter().filter(|q| q.builtin) {
        let sql = def.sql_for(&bindings, false)?;
        let result = run(conn, refused, sql, &bindings)?;
        let Ok(drawn) =
            chart::from_result(&def.name, &def.description, &result.columns, &result.rows)
        else {
            continue;
        };
        let _ = write!(
            out,
            "<section class=\"chart-box\" id=\"chart-{name}\">\n<h3>{name}</h3>\n\
             <p class=\"meta\">{description}</p>\n{svg}\n\
             <details><summary>The numbers ({rows} rows)</summary>\n",
            name = escape(&def.name),
            description = escape(&def.description),
            svg = inline_svg(&drawn)?,
            rows = result.rows.len(),
        );
        table(&result, usize::MAX, &mut out);
        out.push_str("</details>\n</section>\n");
    }

    out.push_str("<div class=\"cols\">\n<div>\n<h2 id=\"entities\">Top entities</h2>\n");
    let top = query::find(conn, "top-entities")?;
    let top_bindings = Bindings {
        params: vec![format!("limit={TOP}")],
        ..bindings.clone()
    };
    let sql = top.sql_for(&top_bindings, false)?;
    table(&run(conn, refused, sql, &top_bindings)?, TOP, &mut out);
    out.push_str("</div>\n<div>\n<h2 id=\"regions\">Top regions</h2>\n");
    let regions = query::find(conn, "events-by-region")?;
    let sql = regions.sql_for(&bindings, false)?;
    table(&run(conn, refused, sql, &bindings)?, TOP, &mut out);
    out.push_str("</div>\n</div>\n");

    out.push_str("<h2 id=\"events\">Latest events</h2>\n");
    if opts.events == 0 {
        out.push_str("<p class=\"empty\">Not listed (--events 0).</p>\n</body>\n</html>\n");
        return Ok(out);
    }
    let _ = writeln!(
        out,
        "<p class=\"meta\">The {} most recent events in the range, newest first.</p>",
        opts.events
    );
    let latest_bindings = Bindings {
        params: vec![format!("limit={}", opts.events)],
        ..bindings.clone()
    };
    let latest = run(conn, refused, LATEST_SQL, &latest_bindings)?;
    if latest.rows.is_empty() {
        out.push_str("<p class=\"empty\">No events in this range.</p>\n");
    } else {
        out.push_str(
            "<table class=\"events\"><colgroup><col style=\"width:10%\"><col style=\"width:10%\">\
             <col style=\"width:10%\"><col style=\"width:17%\"><col style=\"width:11%\">\
             <col style=\"width:17%\"><col style=\"width:25%\"></colgroup><thead><tr><th>date</th><th>type</th><th>place</th>\
             <th>figures</th><th>source</th><th>articles</th><th>notes</th></tr></thead><tbody>\n",
        );
        for row in &latest.rows {
            let precision = text(row.get(1));
            let date = if precision == "day" {
                text(row.first())
            } else {
                format!("{} ({precision})", text(row.first()))
            };
            let articles: Vec<serde_json::Value> =
                serde_json::from_str(&text(row.get(6))).unwrap_or_default();
            let links: Vec<String> = articles
                .iter()
                .map(|a| {
                    let url = a.get("url").and_then(|u| u.as_str()).unwrap_or_default();
                    let title = a.get("title").and_then(|t| t.as_str()).unwrap_or(url);
                    link(url, title)
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"wrap\">{}</td><td class=\"links\">{}</td>\
                 <td class=\"notes\">{}</td></tr>",
                escape(&date),
                escape(&text(row.get(2))),
                escape(&text(row.get(3))),
                text(row.get(5))
                    .split("; ")
                    .map(escape)
                    .collect::<Vec<_>>()
                    .join("<br>"),
                escape(&text(row.get(4))),
                links.join("<br>"),
                escape(&text(row.get(7))),
            );
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_only_web_addresses_become_links() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(
            link("https://example.org/a?b=1&c=2", "A <b>"),
            "<a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">A &lt;b&gt;</a>"
        );
        assert_eq!(link("javascript:alert(1)", "x"), "x");
        assert_eq!(link("JaVaScRiPt:alert(1)", "<x>"), "&lt;x&gt;");
        assert_eq!(link("urn:isbn:123", "book"), "book");
    }
}

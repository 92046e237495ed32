//! `sitrep extract`: runs the extractor over article bodies in the archive and writes what
//! it finds (or, with `--dry-run`, prints it), or scores it against a gold set
//! (`--evaluate GOLD`).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;

use crate::cli::ExtractArgs;
use crate::db;
use crate::extract::gazetteer::Gazetteer;
use crate::extract::{evaluate, store};
use crate::output::Cell;

pub fn run(db_path: &Path, args: &ExtractArgs) -> Result<()> {
    let g = Gazetteer::bundled();
    if let Some(gold) = &args.evaluate {
        return run_evaluation(gold, args, &g);
    }
    let selection = match (&args.article, &args.since) {
        (Some(url), _) => store::Selection::Article(url.clone()),
        (None, Some(day)) => store::Selection::Since(
            NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .with_context(|| format!("--since {day:?} is not a day (YYYY-MM-DD)"))?,
        ),
        (None, None) => store::Selection::All,
    };
    if !db_path.exists() {
        bail!(
            "no archive at {}: import articles first, or name one with --db or SITREP_DB",
            db_path.display()
        );
    }
    let mut conn = db::open_rw(db_path)?;
    let summary = store::run(&mut conn, &selection, args.dry_run, &g)?;
    if args.dry_run {
        let mut out = super::stdout_writer(args.format.format);
        let columns: Vec<String> = [
            "article",
            "item",
            "what",
            "value",
            "qualifier",
            "date",
            "rule",
            "sentence",
            "text",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        out.begin(&columns)?;
        for item in &summary.items {
            let text = |s: &Option<String>| s.clone().map_or(Cell::Null, Cell::Text);
            out.row(&[
                Cell::Text(item.article.clone()),
                Cell::Text(item.item.to_string()),
                Cell::Text(item.what.clone()),
                item.value.map_or(Cell::Null, Cell::Int),
                text(&item.qualifier),
                text(&item.date),
                Cell::Text(item.rule.clone()),
                Cell::Int(item.sentence as i64 + 1),
                Cell::Text(item.text.clone()),
            ])?;
        }
        out.finish()?;
    }
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "{}{} article(s) read: {} event(s) added, {} updated, {} removed; {} figure(s); {} new entity link(s){}",
        if args.dry_run {
            "dry run, nothing written: "
        } else {
            ""
        },
        summary.articles,
        summary.events_added,
        summary.events_updated,
        summary.events_removed,
        summary.figures,
        summary.entity_links,
        if summary.coded > 0 {
            format!(
                "; {} article(s) already have hand-coded events, so only their entities were taken",
                summary.coded
            )
        } else {
            String::new()
        }
    )?;
    Ok(())
}

fn run_evaluation(gold: &Path, args: &ExtractArgs, g: &Gazetteer) -> Result<()> {
    let articles = evaluate::load(gold)?;
    let report = evaluate::evaluate(&articles, g)?;
    let mut out = super::stdout_writer(args.format.format);
    if args.misses {
        let columns: Vec<String> = ["article", "measure", "what", "item"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        out.begin(&columns)?;
        for m in &report.misses {
            out.row(&[
                Cell::Text(m.article.clone()),
                Cell::Text(m.measure.to_string()),
                Cell::Text(m.what.to_string()),
                Cell::Text(m.item.clone()),
            ])?;
        }
        return Ok(out.finish()?);
    }
    let columns: Vec<String> = [
        "measure",
        "precision",
        "recall",
        "correct",
        "found",
        "expected",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    out.begin(&columns)?;
    for s in &report.scores {
        out.row(&[
            Cell::Text(s.measure.to_string()),
            Cell::Real((s.precision * 1000.0).round() / 1000.0),
            Cell::Real((s.recall * 1000.0).round() / 1000.0),
            Cell::Int(s.correct as i64),
            Cell::Int(s.found as i64),
            Cell::Int(s.expected as i64),
        ])?;
    }
    out.finish()?;
    // The scores reach the terminal before the note on standard error.
    drop(out);
    writeln!(
        std::io::stderr(),
        "{} article(s) in {}",
        report.articles,
        gold.display()
    )?;
    Ok(())
}

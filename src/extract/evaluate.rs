//! `sitrep extract --evaluate GOLD`: runs the extractor over a gold set of articles whose
//! figures, event dates and entities were written down by hand, and scores it — precision
//! and recall for figures (kind and value, or kind and qualifier for vague counts), dates
//! (the days of the events that carry figures) and entities (canonical name and kind, names
//! resolved through the gazetteer on both sides; weapons are not scored) and events (type,
//! day and place, the place resolved through the gazetteer; every event, with figures or
//! without).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::gazetteer::{Gazetteer, fold_token};
use super::{Article, extract};

#[derive(Debug, Deserialize)]
pub struct GoldArticle {
    pub id: String,
    pub published: String,
    pub body: String,
    pub expected: Expected,
}

#[derive(Debug, Deserialize)]
pub struct Expected {
    #[serde(default)]
    pub events: Vec<GoldEvent>,
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    #[serde(default)]
    pub not_figures: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct GoldEvent {
    #[serde(rename = "type")]
    pub event_type: String,
    pub date: String,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub figures: Vec<GoldFigure>,
}

#[derive(Debug, Deserialize)]
pub struct GoldFigure {
    pub kind: String,
    pub value: Option<i64>,
    #[serde(default)]
    pub qualifier: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct GoldEntity {
    pub name: String,
    pub kind: String,
}

/// Precision and recall of one measure.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Score {
    pub measure: &'static str,
    pub expected: usize,
    pub found: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
}

impl Score {
    fn new(measure: &'static str) -> Score {
        Score {
            measure,
            ..Default::default()
        }
    }

    fn add<T: Ord + Clone>(&mut self, expected: &[T], found: &[T]) -> (Vec<T>, Vec<T>) {
        // Multiset intersection.
        let mut left: Vec<T> = expected.to_vec();
        let mut wrong = Vec::new();
        for f in found {
            if let Some(p) = left.iter().position(|e| e == f) {
                left.remove(p);
                self.correct += 1;
            } else {
                wrong.push(f.clone());
            }
        }
        self.expected += expected.len();
        self.found += found.len();
        (left, wrong)
    }

    fn finish(&mut self) {
        self.precision = if self.found == 0 {
            1.0
        } else {
            self.correct as f64 / self.found as f64
        };
        self.recall = if self.expected == 0 {
            1.0
        } else {
            self.correct as f64 / self.expected as f64
        };
    }
}

/// What went wrong in one article, for `--verbose`.
#[derive(Debug, Serialize)]
pub struct Miss {
    pub article: String,
    pub measure: &'static str,
    /// `missed` (expected, not found) or `wrong` (found, not expected).
    pub what: &'static str,
    pub item: String,
}

pub struct Report {
    pub scores: Vec<Score>,
    pub misses: Vec<Miss>,
    pub articles: usize,
}

pub fn load(path: &Path) -> Result<Vec<GoldArticle>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a gold set", path.display()))
}

fn figure_key(kind: &str, value: Option<i64>, qualifier: Option<&str>) -> String {
    match value {
        Some(v) => format!("{kind}={v}"),
        None => format!("{kind}={}", qualifier.unwrap_or("?")),
    }
}

/// An event as `type date place`, the place by its gazetteer name when it has one.
fn event_key(g: &Gazetteer, event_type: &str, date: &str, place: Option<&str>) -> String {
    let place = match place {
        Some(name) => g
            .lookup(name, Some("place"))
            .map(|e| g.entries[e].name.as_str())
            .unwrap_or(name),
        None => "-",
    };
    let folded: Vec<String> = place.split_whitespace().map(fold_token).collect();
    format!("{event_type} {date} {}", folded.join(" "))
}

fn entity_key(g: &Gazetteer, name: &str, kind: &str) -> String {
    let lookup_kind = if kind == "military_unit" {
        None
    } else {
        Some(kind)
    };
    let canonical = g
        .lookup(name, lookup_kind)
        .map(|e| g.entries[e].name.clone())
        .unwrap_or_else(|| name.to_string());
    let folded: Vec<String> = canonical.split_whitespace().map(fold_token).collect();
    format!("{kind}:{}", folded.join(" "))
}

pub fn evaluate(gold: &[GoldArticle], g: &Gazetteer) -> Result<Report> {
    let mut figures = Score::new("figures");
    let mut dates = Score::new("dates");
    let mut entities = Score::new("entities");
    let mut events = Score::new("events");
    let mut misses = Vec::new();
    for a in gold {
        let published = NaiveDate::parse_from_str(a.published.get(..10).unwrap_or(""), "%Y-%m-%d")
            .with_context(|| format!("{}: published {:?} is not a date", a.id, a.published))?;
        let x = extract(
            &Article {
                body: &a.body,
                published,
            },
            g,
        );
        let mut expected_figures: Vec<String> = a
            .expected
            .events
            .iter()
            .flat_map(|e| {
                e.figures
                    .iter()
                    .map(|f| figure_key(&f.kind, f.value, f.qualifier.as_deref()))
            })
            .collect();
        let mut found_figures: Vec<String> = x
            .events
            .iter()
            .flat_map(|e| {
                e.figures
                    .iter()
                    .map(|f| figure_key(&f.kind, f.value, Some(f.qualifier)))
            })
            .collect();
        expected_figures.sort();
        found_figures.sort();
        let (missed, wrong) = figures.add(&expected_figures, &found_figures);
        record(&mut misses, &a.id, "figures", missed, wrong);

        let expected_dates: Vec<String> = a
            .expected
            .events
            .iter()
            .filter(|e| !e.figures.is_empty())
            .map(|e| e.date.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let found_dates: Vec<String> = x
            .events
            .iter()
            .filter(|e| !e.figures.is_empty())
            .map(|e| e.date.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let (missed, wrong) = dates.add(&expected_dates, &found_dates);
        record(&mut misses, &a.id, "dates", missed, wrong);

        let expected_entities: Vec<String> = a
            .expected
            .entities
            .iter()
            .filter(|e| e.kind != "weapon")
            .map(|e| entity_key(g, &e.name, &e.kind))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let found_entities: Vec<String> = x
            .entities
            .iter()
            .filter(|e| e.kind != "weapon")
            .map(|e| entity_key(g, &e.name, e.kind))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let (missed, wrong) = entities.add(&expected_entities, &found_entities);
        record(&mut misses, &a.id, "entities", missed, wrong);

        let mut expected_events: Vec<String> = a
            .expected
            .events
            .iter()
            .map(|e| event_key(g, &e.event_type, &e.date, e.place.as_deref()))
            .collect();
        let mut found_events: Vec<String> = x
            .events
            .iter()
            .map(|e| {
                event_key(
                    g,
                    e.event_type,
                    &e.date.to_string(),
                    e.place.as_ref().map(|p| p.name.as_str()),
                )
            })
            .collect();
        expected_events.sort();
        found_events.sort();
        let (missed, wrong) = events.add(&expected_events, &found_events);
        record(&mut misses, &a.id, "events", missed, wrong);
    }
    let mut scores = vec![figures, dates, entities, events];
    for s in &mut scores {
        s.finish();
    }
    Ok(Report {
        scores,
        misses,
        articles: gold.len(),
    })
}

fn record(
    misses: &mut Vec<Miss>,
    article: &str,
    measure: &'static str,
    missed: Vec<String>,
    wrong: Vec<String>,
) {
    for item in missed {
        misses.push(Miss {
            article: article.to_string(),
            measure,
            what: "missed",
            item,
        });
    }
    for item in wrong {
        misses.push(Miss {
            article: article.to_string(),
            measure,
            what: "wrong",
            item,
        });
    }
}

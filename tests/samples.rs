//! The bundled samples end to end: import them, check the daily series against a
//! computation made here from the sample files themselves, and re-import them.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use common::{Archive, sample, sample_files};
use serde_json::Value;

/// Columns of the three daily series, in the order the queries print them.
const DRONES_LAUNCHED: usize = 0;
const DRONES_DESTROYED: usize = 1;
const MISSILES_LAUNCHED: usize = 2;
const MISSILES_DESTROYED: usize = 3;
const KILLED: usize = 4;
const INJURED: usize = 5;

/// Weapon classes that count as missiles (samples/EXPECTED.md, "Rules behind the numbers").
const MISSILE_CLASSES: &[&str] = &[
    "cruise_missile",
    "ballistic_missile",
    "surface_to_air_missile",
    "air_to_surface_missile",
    "anti_ship_missile",
];

/// Per day, each measure: None when no figure was given, else the sum.
type Series = BTreeMap<String, [Option<i64>; 6]>;

fn fold(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Weapon name or alias (folded) → class, from samples/entities.csv.
fn weapon_classes(path: &Path) -> HashMap<String, String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (name, kind, aliases, class) = (col("name"), col("kind"), col("aliases"), col("class"));
    let mut classes = HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        if &record[kind] != "weapon" {
            continue;
        }
        let class = record[class].to_string();
        assert!(!class.is_empty(), "weapon {} has no class", &record[name]);
        classes.insert(fold(&record[name]), class.clone());
        for alias in record[aliases].split(';').filter(|a| !a.trim().is_empty()) {
            classes.insert(fold(alias), class.clone());
        }
    }
    classes
}

/// A figure as the samples write it: `12`, `355.0`, `at least 12`, `more than 60`.
fn number(text: &str) -> Option<i64> {
    let mut t = text.trim();
    for prefix in ["at least ", "more than ", "about "] {
        t = t.strip_prefix(prefix).unwrap_or(t);
    }
    if t.is_empty() {
        return None;
    }
    let v: f64 = t
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {text:?}"));
    assert_eq!(v.fract(), 0.0, "not a whole number: {text:?}");
    Some(v as i64)
}

fn json_number(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => number(s),
        _ => None,
    }
}

fn add(series: &mut Series, date: &str, column: usize, value: i64) {
    let day = series.entry(date.to_string()).or_default();
    day[column] = Some(day[column].unwrap_or(0) + value);
}

/// The column a figure adds to, by its kind and (for launched/destroyed) its weapon's class.
fn column_of(kind: &str, weapon_class: Option<&str>) -> Option<usize> {
    match kind {
        "drones_launched" => Some(DRONES_LAUNCHED),
        "drones_destroyed" => Some(DRONES_DESTROYED),
        "missiles_launched" => Some(MISSILES_LAUNCHED),
        "missiles_destroyed" => Some(MISSILES_DESTROYED),
        "killed" => Some(KILLED),
        "injured" => Some(INJURED),
        "launched" | "destroyed" => {
            let class = weapon_class?;
            let launched = kind == "launched";
            if class == "drone" {
                Some(if launched {
                    DRONES_LAUNCHED
                } else {
                    DRONES_DESTROYED
                })
            } else if MISSILE_CLASSES.contains(&class) {
                Some(if launched {
                    MISSILES_LAUNCHED
                } else {
                    MISSILES_DESTROYED
                })
            } else {
                None
            }
        }
        // suppressed, aircraft_destroyed, settlements_* ... are in none of the series.
        _ => None,
    }
}

/// The three daily series computed straight from the sample files.
fn expected_series() -> Series {
    let classes = weapon_classes(&sample("entities.csv"));
    let mut series = Series::new();

    // events.csv: figure columns, day-precise rows only.
    let mut reader = csv::Reader::from_path(sample("events.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    for record in reader.records() {
        let record = record.unwrap();
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .map_or("", |i| &record[i])
        };
        if get("date_precision") != "day" {
            continue;
        }
        let date = get("date");
        assert_eq!(date.len(), 10, "a day-precise row has a full date: {date}");
        for (name, value) in headers.iter().zip(record.iter()) {
            if let Some(column) = column_of(name, None)
                && let Some(v) = number(value)
            {
                add(&mut series, date, column, v);
            }
        }
    }

    // articles.json: the events nested in articles, their `figures` arrays.
    let text = std::fs::read_to_string(sample("articles.json")).unwrap();
    let articles: Vec<Value> = serde_json::from_str(&text).unwrap();
    for article in &articles {
        let Some(events) = article.get("events").and_then(Value::as_array) else {
            continue;
        };
        for event in events {
            if event["date_precision"] != "day" {
                continue;
            }
            let date = event["date"].as_str().unwrap();
            for figure in event
                .get("figures")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let kind = figure["kind"].as_str().unwrap();
                let class = figure.get("weapon").and_then(Value::as_str).map(|w| {
                    classes
                        .get(&fold(w))
                        .unwrap_or_else(|| panic!("weapon {w} is not in entities.csv"))
                        .as_str()
                });
                if let (Some(column), Some(v)) =
                    (column_of(kind, class), json_number(&figure["value"]))
                {
                    add(&mut series, date, column, v);
                }
            }
        }
    }
    series
}

/// One daily query's CSV output, as the series says it should be.
fn expected_csv(series: &Series, header: &str, columns: [usize; 2]) -> String {
    let cell = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    let mut out = format!("{header}\n");
    for (date, day) in series {
        let [a, b] = columns.map(|c| day[c]);
        if a.is_none() && b.is_none() {
            continue;
        }
        out.push_str(&format!("{date},{},{}\n", cell(a), cell(b)));
    }
    out
}

fn total(series: &Series, column: usize) -> i64 {
    series.values().filter_map(|d| d[column]).sum()
}

#[test]
fn independent_computation_agrees_with_expected_md_totals() {
    // Guards the cross-check itself: the computation above must reproduce the totals
    // that samples/EXPECTED.md gives for 2025-05-24 .. 2025-06-10.
    let series = expected_series();
    assert_eq!(series.keys().next().unwrap(), "2025-05-24");
    assert_eq!(series.keys().last().unwrap(), "2025-06-10");
    assert_eq!(total(&series, DRONES_LAUNCHED), 3406);
    assert_eq!(total(&series, DRONES_DESTROYED), 1663);
    assert_eq!(total(&series, MISSILES_LAUNCHED), 190);
    assert_eq!(total(&series, MISSILES_DESTROYED), 127);
    assert_eq!(total(&series, KILLED), 30);
    assert_eq!(total(&series, INJURED), 178);
}

#[test]
fn samples_import_with_expected_summaries() {
    let archive = Archive::new();
    let [entities, articles, events] = sample_files();
    let out = archive.import(&[&entities, &articles, &events]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].ends_with(
            "entities.csv: entities (csv): 74 added, 0 updated, 0 unchanged, 0 rejected"
        )
    );
    assert!(
        lines[1].ends_with(
            "articles.json: articles (json): 9 added, 0 updated, 0 unchanged, 0 rejected"
        )
    );
    assert!(lines[2].ends_with(
        "articles.json: events in articles: 8 added, 0 updated, 0 unchanged, 0 rejected"
    ));
    assert!(
        lines[3]
            .ends_with("events.csv: events (csv): 21 added, 0 updated, 0 unchanged, 0 rejected")
    );

    assert_eq!(archive.count("events"), 29);
    assert_eq!(archive.count("entities"), 74);
    assert_eq!(
        archive.scalar::<i64>("SELECT count(*) FROM articles WHERE placeholder = 0"),
        9
    );
    assert_eq!(archive.count("imports"), 3);
}

#[test]
fn daily_drones_on_the_record_night() {
    let archive = Archive::with_samples();
    let out = archive.query_csv("daily-drones", &[]);
    assert!(
        out.lines().any(|l| l == "2025-06-01,472,210"),
        "daily-drones has no 2025-06-01,472,210 row:\n{out}"
    );
    let missiles = archive.query_csv("daily-missiles", &[]);
    assert!(
        missiles.lines().any(|l| l == "2025-06-01,7,3"),
        "daily-missiles should count 7 launched on 2025-06-01:\n{missiles}"
    );
}

#[test]
fn daily_series_match_an_independent_computation() {
    let archive = Archive::with_samples();
    let series = expected_series();
    assert_eq!(
        archive.query_csv("daily-drones", &[]),
        expected_csv(
            &series,
            "date,drones_launched,drones_destroyed",
            [DRONES_LAUNCHED, DRONES_DESTROYED]
        )
    );
    assert_eq!(
        archive.query_csv("daily-missiles", &[]),
        expected_csv(
            &series,
            "date,missiles_launched,missiles_destroyed",
            [MISSILES_LAUNCHED, MISSILES_DESTROYED]
        )
    );
    assert_eq!(
        archive.query_csv("daily-casualties", &[]),
        expected_csv(&series, "date,killed,injured", [KILLED, INJURED])
    );
}

#[test]
fn month_precision_sample_row_stays_out_of_daily_series() {
    let archive = Archive::with_samples();
    // The UN toll is in the archive, known only to the month ...
    assert_eq!(
        archive.scalar::<String>(
            "SELECT date_precision FROM events \
             WHERE external_id = 'sample-2025-05-hrmmu-civilian-casualties'"
        ),
        "month"
    );
    // ... and its 183 killed / 836 injured show up on no day.
    let casualties = archive.query_csv("daily-casualties", &[]);
    assert!(!casualties.contains("183"), "{casualties}");
    assert!(!casualties.contains("836"), "{casualties}");
    assert!(!casualties.contains("2025-05-01"), "{casualties}");
}

#[test]
fn reimporting_the_samples_changes_nothing() {
    let archive = Archive::with_samples();
    let tables = [
        "events",
        "quantities",
        "event_entities",
        "event_articles",
        "articles",
        "article_entities",
        "entities",
        "entity_aliases",
        "sources",
    ];
    let before: Vec<i64> = tables.iter().map(|t| archive.count(t)).collect();
    let dump_before = archive.dump();

    let [entities, articles, events] = sample_files();
    let out = archive.import(&[Path::new("--force"), &entities, &articles, &events]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].ends_with(": entities (csv): 0 added, 0 updated, 74 unchanged, 0 rejected"));
    assert!(lines[1].ends_with(": articles (json): 0 added, 0 updated, 9 unchanged, 0 rejected"));
    assert!(
        lines[2].ends_with(": events in articles: 0 added, 0 updated, 8 unchanged, 0 rejected")
    );
    assert!(lines[3].ends_with(": events (csv): 0 added, 0 updated, 21 unchanged, 0 rejected"));

    let after: Vec<i64> = tables.iter().map(|t| archive.count(t)).collect();
    assert_eq!(before, after, "row counts of {tables:?}");
    // Only the `imports` log grows: three more files were read.
    assert_eq!(archive.count("imports"), 6);
    let strip_imports = |dump: &str| -> String {
        let start = dump.find("== imports").unwrap();
        let end = dump[start + 1..].find("== ").unwrap() + start + 1;
        format!("{}{}", &dump[..start], &dump[end..])
    };
    assert_eq!(strip_imports(&dump_before), strip_imports(&archive.dump()));
}

#[test]
fn stats_reports_what_the_samples_hold() {
    let archive = Archive::with_samples();
    let out = archive.ok(&["stats", "-f", "csv"]);
    let today: String = archive.scalar("SELECT substr(max(started_at), 1, 10) FROM imports");
    let expected = format!(
        "what,count,first,last
articles,9,2025-05-31,2025-06-03
placeholder articles,5,,
events,29,2025-05-01,2025-06-10
events (day-precise),28,2025-05-24,2025-06-10
figures,89,,
entities: military_unit,2,,
entities: organisation,12,,
entities: person,15,,
entities: place,26,,
entities: weapon,19,,
entity aliases,291,,
sources,16,,
imports,3,{today},{today}
"
    );
    assert_eq!(out, expected);
}

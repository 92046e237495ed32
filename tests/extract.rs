//! `sitrep extract`: article bodies become events, figures and entity links, marked with
//! where they came from; the samples' bodies alone give the hand-coded daily series; a
//! re-run and a dry run change nothing; articles with hand-coded events are not counted
//! twice; and the gold set's scores stay at or above the level reached.

mod common;

use common::{Archive, sample};

const BUILTINS: &[&str] = &[
    "daily-drones",
    "daily-missiles",
    "daily-casualties",
    "events-by-type",
    "events-by-region",
    "top-entities",
    "articles-per-day",
];

/// The sample articles without their hand-coded events, beside the entities file.
fn bodies_only(archive: &Archive) {
    let text = std::fs::read_to_string(sample("articles.json")).unwrap();
    let mut articles: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    for a in &mut articles {
        a.as_object_mut().unwrap().remove("events");
    }
    let bodies = archive.write("bodies.json", serde_json::to_string(&articles).unwrap());
    archive.import(&[&sample("entities.csv"), &bodies]);
    assert_eq!(archive.count("events"), 0);
}

/// Rows of a CSV result whose first column is one of these days.
fn on_days(csv: &str, days: &[String]) -> String {
    csv.lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || days.iter().any(|d| l.starts_with(d.as_str())))
        .map(|(_, l)| format!("{l}\n"))
        .collect()
}

#[test]
fn sample_bodies_give_the_hand_coded_daily_series() {
    // The hand-coded samples, and the days of the air attacks their articles report.
    let coded = Archive::with_samples();
    let days: Vec<String> = coded
        .ok(&[
            "sql",
            "SELECT DISTINCT e.date FROM events e JOIN event_articles ea ON ea.event_id = e.id \
             JOIN articles a ON a.id = ea.article_id \
             WHERE e.type = 'air_attack' AND a.body IS NOT NULL ORDER BY 1",
            "-f",
            "csv",
        ])
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    assert_eq!(days, ["2025-05-31", "2025-06-01", "2025-06-02"]);

    let extracted = Archive::new();
    bodies_only(&extracted);
    extracted.ok(&["extract", "--all"]);
    for query in ["daily-drones", "daily-missiles"] {
        let want = on_days(&coded.query_csv(query, &[]), &days);
        assert_eq!(extracted.query_csv(query, &[]), want, "{query}");
    }
    // The figures are concrete: 472 drones launched and 210 shot down on 1 June.
    assert!(
        extracted
            .query_csv("daily-drones", &[])
            .contains("2025-06-01,472,210")
    );
    extracted.ok(&["check"]);
}

#[test]
fn every_extracted_item_says_where_it_came_from() {
    let archive = Archive::new();
    bodies_only(&archive);
    archive.ok(&["extract", "--all"]);
    let conn = archive.conn();
    let mut stmt = conn
        .prepare(
            "SELECT a.body, x.item, x.rule, x.sentence, x.span_start, x.span_end, x.text \
             FROM extractions x JOIN articles a ON a.id = x.article_id",
        )
        .unwrap();
    let rows: Vec<(String, String, String, i64, i64, i64, String)> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(rows.len() > 50, "{} extractions", rows.len());
    for (body, item, rule, _, start, end, text) in &rows {
        assert!(!rule.is_empty());
        let span: String = body
            .chars()
            .skip(*start as usize)
            .take((*end - *start) as usize)
            .collect();
        assert_eq!(&span, text, "{item} {rule}");
    }
    // Extracted events are their own dataset, each linked to its articles, and marked.
    let unlinked: i64 = archive.scalar(
        "SELECT count(*) FROM events e WHERE e.dataset = 'sitrep-extract' AND NOT EXISTS \
         (SELECT 1 FROM event_articles ea WHERE ea.event_id = e.id)",
    );
    assert_eq!(unlinked, 0);
    let run_format: String =
        archive.scalar("SELECT format FROM imports WHERE file_name = 'sitrep extract'");
    assert_eq!(run_format, "text");
    // Entities found in the text are linked to the article: the Sybiha article names him.
    let linked: i64 = archive.scalar(
        "SELECT count(*) FROM article_entities ae JOIN entities e ON e.id = ae.entity_id \
         JOIN articles a ON a.id = ae.article_id \
         WHERE e.name = 'Andrii Sybiha' AND a.url LIKE '%sybiha%'",
    );
    assert_eq!(linked, 1);
}

#[test]
fn a_second_run_and_a_dry_run_change_nothing() {
    let archive = Archive::new();
    bodies_only(&archive);
    let (_, first) = archive.ok_both(&["extract", "--all"]);
    let added: usize = first
        .split("read: ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(added >= 5, "{first}");
    let state = |a: &Archive| {
        a.ok(&[
            "sql",
            "SELECT e.key, e.date, e.type, e.location, q.kind, q.value, q.qualifier, \
             (SELECT count(*) FROM event_articles ea WHERE ea.event_id = e.id) AS articles \
             FROM events e LEFT JOIN quantities q ON q.event_id = e.id ORDER BY 1, 5",
            "-f",
            "csv",
        ])
    };
    let before = state(&archive);
    let links = archive.count("article_entities");
    let extractions = archive.count("extractions");
    let (_, second) = archive.ok_both(&["extract", "--all"]);
    assert!(
        second.contains("0 event(s) added, 0 updated, 0 removed"),
        "{second}"
    );
    assert_eq!(state(&archive), before);
    assert_eq!(archive.count("article_entities"), links);
    assert_eq!(archive.count("extractions"), extractions);

    let dump = archive.dump();
    let (out, err) = archive.ok_both(&["extract", "--all", "--dry-run", "-f", "csv"]);
    assert!(err.starts_with("dry run, nothing written"), "{err}");
    assert!(
        out.contains("drones_launched,472,exact,2025-06-01"),
        "{out}"
    );
    assert_eq!(archive.dump(), dump);
}

#[test]
fn a_dry_run_on_a_fresh_archive_writes_nothing() {
    let archive = Archive::new();
    bodies_only(&archive);
    let dump = archive.dump();
    let out = archive.ok(&[
        "extract",
        "--article",
        "https://kyiv-monitor.test/news/2025/06/01/missile-strike-training-unit-12-killed",
        "--dry-run",
        "-f",
        "csv",
    ]);
    assert!(
        out.contains("figure,killed,12,at_least,2025-06-01"),
        "{out}"
    );
    assert!(
        out.contains("figure,injured,60,more_than,2025-06-01"),
        "{out}"
    );
    // The event row names its type and place.
    assert!(out.contains("event,missile_strike at "), "{out}");
    assert_eq!(archive.dump(), dump);
}

#[test]
fn articles_with_hand_coded_events_are_not_counted_twice() {
    let archive = Archive::with_samples();
    let answers =
        |a: &Archive| -> Vec<String> { BUILTINS.iter().map(|q| a.query_csv(q, &[])).collect() };
    let before = answers(&archive);
    let events_before = archive.count("events");
    let (_, err) = archive.ok_both(&["extract", "--all"]);
    assert!(
        err.contains("8 article(s) already have hand-coded events"),
        "{err}"
    );
    // top-entities counts article links, which extraction may add; the rest are events.
    let after = answers(&archive);
    for (i, q) in BUILTINS.iter().enumerate() {
        if *q != "top-entities" {
            assert_eq!(after[i], before[i], "{q}");
        }
    }
    // The one article without hand-coded events reports no figures, and the talks it
    // speaks of are the hand-coded Istanbul talks: no event is added, the article is linked.
    assert_eq!(archive.count("events"), events_before);
    let linked: String = archive.scalar(
        "SELECT group_concat(a.url) FROM event_articles ea JOIN articles a ON a.id = ea.article_id \
         JOIN events e ON e.id = ea.event_id WHERE e.key = 'sample-2025-06-02-istanbul-talks'",
    );
    assert!(
        linked.contains("sybiha-zelenskyy-react-to-weekend-of-strikes"),
        "{linked}"
    );
    archive.ok(&["check"]);
}

#[test]
fn bad_selections_are_clear_errors() {
    let archive = Archive::new();
    let err = archive.fails(&["extract", "--all"]);
    assert!(err.contains("no archive at"), "{err}");
    bodies_only(&archive);
    let err = archive.fails(&["extract", "--article", "https://nowhere.test/x"]);
    assert!(err.contains("no article with the url"), "{err}");
    let err = archive.fails(&["extract", "--since", "03/04/2025"]);
    assert!(err.contains("is not a day"), "{err}");
    let err = archive.fails(&["extract"]);
    assert!(
        err.contains("--article") || err.contains("required"),
        "{err}"
    );
}

/// (measure, precision, recall) from `extract --evaluate FILE -f json`.
fn scores(file: &str) -> Vec<(String, f64, f64)> {
    let archive = Archive::new();
    let gold = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/gold")
        .join(file);
    let out = archive.ok(&[
        "extract",
        "--evaluate",
        gold.to_str().unwrap(),
        "-f",
        "json",
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(
        !archive.db.exists(),
        "evaluation needs no archive and makes none"
    );
    rows.iter()
        .map(|r| {
            (
                r["measure"].as_str().unwrap().to_string(),
                r["precision"].as_f64().unwrap(),
                r["recall"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn at_least(file: &str, floors: &[(&str, f64, f64)]) {
    let got = scores(file);
    for (measure, p, r) in floors {
        let (_, gp, gr) = got.iter().find(|g| g.0 == *measure).unwrap();
        assert!(
            gp >= p && gr >= r,
            "{file} {measure}: P {gp} R {gr}, floor P {p} R {r}"
        );
    }
}

/// The level the rules reached on the gold set (README shows the same table); a change
/// that lowers any of these fails.
#[test]
fn gold_set_scores_stay_at_the_level_reached() {
    at_least(
        "gold.json",
        &[
            ("figures", 0.99, 0.97),
            ("dates", 0.98, 0.98),
            ("entities", 0.98, 0.96),
            ("events", 0.74, 0.68),
        ],
    );
}

/// The sealed held-out articles (h11-h22, h23-h34 by a fourth author and h35-h46 by a
/// seventh), written in wire and broadcaster voices and never read while the rules were
/// written: lower, and kept from falling further.
#[test]
fn held_out_scores_stay_at_the_level_reached() {
    at_least(
        "heldout.json",
        &[
            ("figures", 0.94, 0.99),
            ("dates", 0.94, 0.99),
            ("entities", 0.95, 0.90),
            ("events", 0.80, 0.77),
        ],
    );
    at_least(
        "heldout2.json",
        &[
            ("figures", 0.93, 0.88),
            ("dates", 0.99, 0.99),
            ("entities", 0.94, 0.90),
            ("events", 0.66, 0.62),
        ],
    );
    at_least(
        "heldout3.json",
        &[
            ("figures", 0.98, 0.99),
            ("dates", 0.94, 0.99),
            ("entities", 0.93, 0.93),
            ("events", 0.78, 0.74),
        ],
    );
}

#[test]
fn talks_captures_and_evacuations_without_numbers_become_events() {
    let archive = Archive::new();
    let articles = archive.write(
        "articles.json",
        r#"[{"url": "https://wire.test/a", "title": "Front line", "published": "2025-07-04",
             "body": "Russia's defence ministry said on Thursday that its troops had captured the village of Ocheretyne.\n\nRegional authorities ordered the evacuation of children from Kostiantynivka.\n\nOn Wednesday Russian forces seized the village of Kalynove."}]"#,
    );
    archive.import(&[&articles]);
    archive.ok(&["extract", "--all"]);
    let events: String = archive.scalar(
        "SELECT group_concat(date || ' ' || type || ' ' || location, '; ') FROM \
         (SELECT * FROM events WHERE dataset = 'sitrep-extract' ORDER BY type)",
    );
    assert_eq!(
        events,
        "2025-07-03 evacuation Kostiantynivka; 2025-07-02 territorial_change Kalynove; \
         2025-07-03 territorial_change Ocheretyne"
    );
    let linked: i64 = archive.scalar("SELECT count(*) FROM event_articles");
    assert_eq!(linked, 3);
    // Kalynove is not in the gazetteer: the sentence's `the village of` makes it a place,
    // and that place is the capture's location.
    let located: String = archive.scalar(
        "SELECT en.name || ' ' || en.kind || ' ' || ee.role FROM events ev \
         JOIN event_entities ee ON ee.event_id = ev.id JOIN entities en ON en.id = ee.entity_id \
         WHERE ev.location = 'Kalynove' AND ee.role = 'location'",
    );
    assert_eq!(located, "Kalynove place location");
    // A second run finds the same and adds nothing.
    let before = archive.counts();
    archive.ok(&["extract", "--all"]);
    assert_eq!(archive.counts(), before);
    archive.ok(&["check"]);
}

#[test]
fn names_resolve_to_entities_the_archive_spells_differently() {
    let archive = Archive::new();
    // The archive knows the president and the city under other spellings only.
    let entities = archive.write(
        "entities.csv",
        "name,kind,aliases\nVladimir Zelensky,person,\nKharkov,place,\n",
    );
    let articles = archive.write(
        "articles.json",
        r#"[{"url": "https://wire.test/b", "title": "Visit", "published": "2025-07-04",
             "body": "President Volodymyr Zelenskyy visited Kharkiv on Thursday."}]"#,
    );
    archive.import(&[&entities, &articles]);
    archive.ok(&["extract", "--all"]);
    let people: String =
        archive.scalar("SELECT group_concat(name) FROM entities WHERE kind = 'person'");
    assert_eq!(people, "Vladimir Zelensky");
    let places: String =
        archive.scalar("SELECT group_concat(name) FROM entities WHERE kind = 'place'");
    assert_eq!(places, "Kharkov");
    let linked: String = archive.scalar(
        "SELECT group_concat(e.name, '|') FROM article_entities l JOIN entities e ON e.id = l.entity_id",
    );
    assert!(
        linked.contains("Vladimir Zelensky") && linked.contains("Kharkov"),
        "{linked}"
    );
}

#[test]
fn the_side_named_as_attacking_becomes_the_events_actor() {
    let archive = Archive::new();
    let articles = archive.write(
        "articles.json",
        r#"[{"url": "https://wire.test/c", "title": "Kharkiv", "published": "2025-07-04",
             "body": "Russian forces struck Kharkiv overnight, killing three people.\n\nIn a separate attack, two Ukrainian soldiers were killed near Pokrovsk on Thursday."}]"#,
    );
    archive.import(&[&articles]);
    archive.ok(&["extract", "--all"]);
    let actors: String = archive.scalar(
        "SELECT group_concat(e.location || ': ' || coalesce(n.name, '-'), '; ') FROM \
         (SELECT * FROM events ORDER BY location) e \
         LEFT JOIN event_entities l ON l.event_id = e.id AND l.role = 'actor' \
         LEFT JOIN entities n ON n.id = l.entity_id",
    );
    assert_eq!(actors, "Kharkiv: Russian Armed Forces; Pokrovsk: -");
}

//! `sitrep export`: each kind in each format, and the round trip export → import.

mod common;

use std::path::PathBuf;

use common::{Archive, fixture};
use insta::assert_snapshot;

/// A small archive: two entities, one event from CSV, one article with a nested event.
fn small() -> Archive {
    let archive = Archive::new();
    archive.import(&[
        &fixture("export/entities.csv"),
        &fixture("export/events.csv"),
        &fixture("export/articles.json"),
    ]);
    archive
}

fn export(archive: &Archive, kind: &str, format: &str) -> String {
    archive.ok(&["export", kind, "-f", format])
}

#[test]
fn export_entities_csv() {
    let archive = small();
    assert_snapshot!(export(&archive, "entities", "csv"), @r#"
    name,kind,aliases,class,country,latitude,longitude,description
    Shahed-136/131,weapon,Geran-2;Shahed,drone,Iran,,,Long-range one-way attack drone.
    Kharkiv,place,Kharkov,,Ukraine,49.9935,36.2304,"City in north-east Ukraine, near the border."
    Russian Armed Forces,organisation,,,,,,
    "#);
}

#[test]
fn export_entities_json_and_ndjson() {
    let archive = small();
    assert_snapshot!(export(&archive, "entities", "json"), @r#"
    [
    {"aliases":["Geran-2","Shahed"],"class":"drone","country":"Iran","description":"Long-range one-way attack drone.","kind":"weapon","name":"Shahed-136/131"},
    {"aliases":["Kharkov"],"country":"Ukraine","description":"City in north-east Ukraine, near the border.","kind":"place","latitude":49.9935,"longitude":36.2304,"name":"Kharkiv"},
    {"kind":"organisation","name":"Russian Armed Forces"}
    ]
    "#);
    assert_snapshot!(export(&archive, "entities", "ndjson"), @r#"
    {"aliases":["Geran-2","Shahed"],"class":"drone","country":"Iran","description":"Long-range one-way attack drone.","kind":"weapon","name":"Shahed-136/131"}
    {"aliases":["Kharkov"],"country":"Ukraine","description":"City in north-east Ukraine, near the border.","kind":"place","latitude":49.9935,"longitude":36.2304,"name":"Kharkiv"}
    {"kind":"organisation","name":"Russian Armed Forces"}
    "#);
}

#[test]
fn export_events_csv() {
    let archive = small();
    assert_snapshot!(export(&archive, "events", "csv"), @r#"
    event_id,dataset,date,end_date,date_precision,time_start,time_end,type,subtype,country,region,location,latitude,longitude,actors,targets,weapon,article_url,source,notes,version,extra,injured,killed,figures,entities
    x-1,,2025-03-08,,day,,,,,,,Kharkiv,,,Russian Armed Forces,,Shahed,https://news.test/kharkiv,Kharkiv RMA,"Strike on a district, ""heavy"" damage",,,at least 30,11,,
    x-2,,2025-03-08,,day,,,,,,,,,,,,,https://news.test/kharkiv,,,,,,,"[{""kind"":""launched"",""value"":""12"",""weapon"":""Shahed-136/131""}]",
    "#);
}

#[test]
fn export_events_json_and_ndjson() {
    let archive = small();
    assert_snapshot!(export(&archive, "events", "json"), @r#"
    [
    {"actors":["Russian Armed Forces"],"article_url":["https://news.test/kharkiv"],"date":"2025-03-08","date_precision":"day","event_id":"x-1","figures":[{"kind":"injured","value":"at least 30"},{"kind":"killed","value":"11"}],"location":"Kharkiv","notes":"Strike on a district, \"heavy\" damage","source":"Kharkiv RMA","weapon":["Shahed"]},
    {"article_url":["https://news.test/kharkiv"],"date":"2025-03-08","date_precision":"day","event_id":"x-2","figures":[{"kind":"launched","value":"12","weapon":"Shahed-136/131"}]}
    ]
    "#);
    assert_snapshot!(export(&archive, "events", "ndjson"), @r#"
    {"actors":["Russian Armed Forces"],"article_url":["https://news.test/kharkiv"],"date":"2025-03-08","date_precision":"day","event_id":"x-1","figures":[{"kind":"injured","value":"at least 30"},{"kind":"killed","value":"11"}],"location":"Kharkiv","notes":"Strike on a district, \"heavy\" damage","source":"Kharkiv RMA","weapon":["Shahed"]}
    {"article_url":["https://news.test/kharkiv"],"date":"2025-03-08","date_precision":"day","event_id":"x-2","figures":[{"kind":"launched","value":"12","weapon":"Shahed-136/131"}]}
    "#);
}

#[test]
fn export_articles_in_each_format() {
    let archive = small();
    assert_snapshot!(export(&archive, "articles", "csv"), @r#"
    url,title,published,source,author,language,body,entities,extra
    https://news.test/kharkiv,Drones hit Kharkiv,2025-03-08T07:30:00+02:00,Test Wire,,en,,"[{""kind"":""place"",""name"":""Kharkiv"",""role"":""location""}]",
    "#);
    assert_snapshot!(export(&archive, "articles", "json"), @r#"
    [
    {"entities":[{"kind":"place","name":"Kharkiv","role":"location"}],"language":"en","published":"2025-03-08T07:30:00+02:00","source":"Test Wire","title":"Drones hit Kharkiv","url":"https://news.test/kharkiv"}
    ]
    "#);
    assert_snapshot!(export(&archive, "articles", "ndjson"), @r#"{"entities":[{"kind":"place","name":"Kharkiv","role":"location"}],"language":"en","published":"2025-03-08T07:30:00+02:00","source":"Test Wire","title":"Drones hit Kharkiv","url":"https://news.test/kharkiv"}"#);
}

#[test]
fn export_of_an_empty_archive() {
    let archive = Archive::new();
    let empty = archive.write("empty.csv", "event_id,date\n");
    archive.import(&[&empty]);
    assert_eq!(
        export(&archive, "entities", "csv"),
        "name,kind,aliases,class,country,latitude,longitude,description\n"
    );
    assert_eq!(export(&archive, "articles", "json"), "[]\n");
    assert_eq!(export(&archive, "events", "ndjson"), "");
}

#[test]
fn export_to_a_file_with_output() {
    let archive = small();
    let path = archive.dir.path().join("events.json");
    let out = archive.ok(&[
        "export",
        "events",
        "-f",
        "json",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out, "");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        export(&archive, "events", "json")
    );
    // The default format is CSV.
    assert_eq!(
        archive.ok(&["export", "entities"]),
        export(&archive, "entities", "csv")
    );
}

#[test]
fn export_of_a_missing_archive_fails_and_creates_nothing() {
    let archive = Archive::new();
    let stderr = archive.fails(&["export", "events"]);
    assert!(stderr.contains("no archive at"), "{stderr}");
    assert!(!archive.db.exists());
}

/// Exports all three kinds of `archive` in `format` into files; returns them in import
/// order (entities, articles, events).
fn export_all(archive: &Archive, format: &str) -> Vec<PathBuf> {
    ["entities", "articles", "events"]
        .iter()
        .map(|kind| {
            let path = archive.dir.path().join(format!("export-{kind}.{format}"));
            archive.ok(&["export", kind, "-f", format, "-o", path.to_str().unwrap()]);
            path
        })
        .collect()
}

fn daily(archive: &Archive) -> Vec<String> {
    ["daily-drones", "daily-missiles", "daily-casualties"]
        .iter()
        .map(|q| archive.query_csv(q, &[]))
        .collect()
}

fn round_trip(format: &str) {
    let original = Archive::with_samples();
    let files = export_all(&original, format);
    let paths: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();

    let fresh = Archive::new();
    let out = fresh.import(&paths);
    let added: Vec<&str> = out
        .lines()
        .map(|l| l.rsplit(": ").next().unwrap())
        .collect();
    assert_eq!(
        added,
        [
            "74 added, 0 updated, 0 unchanged, 0 rejected",
            "14 added, 0 updated, 0 unchanged, 0 rejected",
            "29 added, 0 updated, 0 unchanged, 0 rejected"
        ],
        "{out}"
    );
    assert_eq!(daily(&original), daily(&fresh), "{format}");
    assert!(daily(&fresh)[0].contains("2025-06-01,472,210"));
    assert_eq!(original.counts(), fresh.counts(), "{format}");
    for table in ["article_entities", "event_articles"] {
        assert_eq!(original.count(table), fresh.count(table), "{table}");
    }
    assert_eq!(
        original.scalar::<i64>("SELECT count(*) FROM articles WHERE placeholder = 1"),
        fresh.scalar::<i64>("SELECT count(*) FROM articles WHERE placeholder = 1"),
    );
    // Exporting the copy gives the same files back.
    for (kind, path) in ["entities", "articles", "events"].iter().zip(&files) {
        assert_eq!(
            fresh.ok(&["export", kind, "-f", format]),
            std::fs::read_to_string(path).unwrap(),
            "{kind} {format}"
        );
    }

    // Re-importing the export into the archive it came from changes nothing.
    let before = original.counts();
    let out = original.import(&paths);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].ends_with(&format!(
            "export-entities.{format}: entities ({format}): 0 added, 0 updated, 74 unchanged, 0 rejected"
        )),
        "{out}"
    );
    assert!(
        lines[1].ends_with(&format!(
            "export-articles.{format}: articles ({format}): 0 added, 0 updated, 14 unchanged, 0 rejected"
        )),
        "{out}"
    );
    assert!(
        lines[2].ends_with(&format!(
            "export-events.{format}: events ({format}): 0 added, 0 updated, 29 unchanged, 0 rejected"
        )),
        "{out}"
    );
    assert_eq!(before, original.counts());
}

#[test]
fn round_trip_through_csv() {
    round_trip("csv");
}

#[test]
fn round_trip_through_json() {
    round_trip("json");
}

#[test]
fn round_trip_through_ndjson() {
    round_trip("ndjson");
}

#[test]
fn round_trip_keeps_datasets_new_figure_kinds_and_content_keys() {
    let original = Archive::new();
    let acled = original.write(
        "acled.csv",
        "event_id,date,location,killed\n1001,2025-06-03,Kyiv,4\n",
    );
    let own = original.write(
        "own.csv",
        "date,location,figure:tanks_lost\n2025-06-04,Kharkiv,2\n",
    );
    original.ok(&["import", "--dataset", "acled", acled.to_str().unwrap()]);
    original.import(&[&own]);
    let files = export_all(&original, "csv");
    let events = std::fs::read_to_string(&files[2]).unwrap();
    assert!(
        events.lines().next().unwrap().contains("figure:tanks_lost"),
        "{events}"
    );

    let fresh = Archive::new();
    fresh.import(&[&files[0], &files[1], &files[2]]);
    let summary = |a: &Archive| -> String {
        a.scalar(
            "SELECT group_concat(dataset || '|' || ifnull(external_id, '-') || '|' || key || '|' || date, ' ; ') \
             FROM (SELECT * FROM events ORDER BY date)",
        )
    };
    assert_eq!(summary(&original), summary(&fresh));
    assert!(summary(&fresh).starts_with("acled|1001|1001|2025-06-03 ; |-|#"));
    assert_eq!(
        fresh.scalar::<i64>("SELECT value FROM quantities WHERE kind = 'tanks_lost'"),
        2
    );
}

#[test]
fn csv_export_reimport_keeps_range_figures() {
    let archive = Archive::new();
    let path = archive.write(
        "ranges.csv",
        "event_id,date,killed,injured\nr-1,2025-06-02,10-15,about 40\nr-2,2025-06-03,3,\n",
    );
    archive.import(&[&path]);
    let range = "SELECT ifnull(low, '-') || '..' || ifnull(high, '-') FROM quantities \
                 WHERE kind = 'killed' AND value IS NULL";
    assert_eq!(archive.scalar::<String>(range), "10..15");
    let files = export_all(&archive, "csv");
    let out = archive.import(&[&files[2]]);
    assert!(
        out.ends_with(": events (csv): 0 added, 0 updated, 2 unchanged, 0 rejected\n"),
        "{out}"
    );
    assert_eq!(archive.count("quantities"), 3);
    assert_eq!(archive.scalar::<String>(range), "10..15");
}

/// Text that stresses every writer and reader: quotes, delimiters, line breaks,
/// non-Latin scripts, emoji, spaces at the ends.
const TRICKY: &[&str] = &[
    "plain",
    "comma, inside",
    "\"quoted\" and \"\"doubled\"\"",
    "line\nbreak",
    "crlf\r\nbreak",
    "tab\there",
    "Харків — обстріл",
    "دمشق",
    "漢字テキスト",
    "emoji 🚀🔥 mixed",
    "  padded  ",
    "back\\slash {json: [1]}",
];

/// Generated entities, articles and events made of [`TRICKY`] text and extreme numbers,
/// as NDJSON files sitrep imports.
fn tricky_files(archive: &Archive, seed: u64) -> Vec<PathBuf> {
    let mut x = seed;
    let mut next = move |n: usize| {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    };
    let text = |i: usize| TRICKY[i % TRICKY.len()];
    let mut entities = String::new();
    for i in 0..8 {
        let name = format!(
            "Unit {i} {}",
            text(i).replace(['\n', '\r', '\t', ';'], " ").trim()
        );
        entities.push_str(
            &serde_json::json!({"name": name, "kind": "organisation",
            "description": text(i + 3)})
            .to_string(),
        );
        entities.push('\n');
    }
    let mut articles = String::new();
    let mut events = String::new();
    for i in 0..60 {
        let url = format!("https://news.test/{i}?q={}", i * 7);
        articles.push_str(&serde_json::json!({
            "url": url,
            "title": text(next(99)),
            "published": format!("2025-0{}-1{}T0{}:30:00+03:00", 1 + next(9), next(10), next(10)),
            "body": format!("{} {}", text(next(99)), text(next(99))),
        }).to_string());
        articles.push('\n');
        let actor = format!(
            "Unit {} {}",
            i % 8,
            text(i % 8).replace(['\n', '\r', '\t', ';'], " ").trim()
        );
        let figure = [0i64, 1, 472, 999_999_999_999_999, 1_000_000_000_000_000][next(5)];
        events.push_str(
            &serde_json::json!({
                "event_id": format!("t-{i} {}", text(i).replace(['\n', '\r'], " ")),
                "date": format!("202{}-0{}-1{}", 2 + next(4), 1 + next(9), next(10)),
                "type": text(next(99)).replace(['\n', '\r'], " ").trim(),
                "notes": text(next(99)),
                "actors": [actor],
                "article_url": url,
                "killed": figure,
                "drones_launched": next(500),
            })
            .to_string(),
        );
        events.push('\n');
    }
    vec![
        archive.write("entities.ndjson", entities),
        archive.write("articles.ndjson", articles),
        archive.write("events.ndjson", events),
    ]
}

#[test]
fn generated_tricky_data_survives_export_and_import_in_every_format() {
    for seed in [1, 2, 3] {
        let original = Archive::new();
        let files = tricky_files(&original, seed);
        let paths: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
        original.import(&paths);
        for format in ["csv", "json", "ndjson"] {
            let exported = export_all(&original, format);
            let fresh = Archive::new();
            let paths: Vec<&std::path::Path> = exported.iter().map(PathBuf::as_path).collect();
            fresh.import(&paths);
            assert_eq!(original.counts(), fresh.counts(), "seed {seed} {format}");
            for table in [
                "article_entities",
                "event_articles",
                "event_entities",
                "quantities",
            ] {
                assert_eq!(original.count(table), fresh.count(table), "{table}");
            }
            for (kind, path) in ["entities", "articles", "events"].iter().zip(&exported) {
                assert_eq!(
                    fresh.ok(&["export", kind, "-f", format]),
                    std::fs::read_to_string(path).unwrap(),
                    "seed {seed}: {kind} {format}"
                );
            }
            for q in [
                "daily-drones",
                "daily-casualties",
                "events-by-type",
                "top-entities",
            ] {
                assert_eq!(original.query_csv(q, &[]), fresh.query_csv(q, &[]), "{q}");
            }
        }
    }
}

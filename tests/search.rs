//! `sitrep search`: ranking, marked snippets, every output format, date and source
//! filters, query syntax (errors and words with punctuation), accents and Cyrillic, the
//! indexes kept in step with imports, re-imports, extract and deletes, and no archive
//! created or changed by a search. (`check` on the indexes: tests/maintenance.rs.)

mod common;

use common::Archive;
use insta::assert_snapshot;
use serde_json::Value;

/// Three articles and one event, written for these tests: a title hit and a body-only hit
/// for "Zaporizhzhia", words with punctuation, an accented source and place, line breaks
/// in a body, and an article with a title and no body.
const ARTICLES: &str = r#"[
  {"url": "https://t.test/a1", "title": "Zaporizhzhia plant loses outside power",
   "published": "2025-06-03T10:00:00+03:00", "source": "Agência Lusa",
   "body": "The plant ran on diesel generators for hours.\nEngineers restored one line by evening."},
  {"url": "https://t.test/a2", "title": "Overnight attacks across the south",
   "published": "2025-06-04T09:00:00+03:00", "source": "Reuters",
   "body": "Officials said the Kharkiv-based unit shot down Shahed-136 drones near Dnípro.\n\nIn Zaporizhzhia region, strikes damaged homes. Further reports followed at 12:00."},
  {"url": "https://t.test/a3", "title": "Headline only: Zaporizhzhia grain exports resume",
   "published": "2025-06-05", "source": "AP"}
]"#;

const EVENTS: &str = "event_id,date,type,location,region,source,notes,article_url\n\
ev-1,2025-06-04,air_attack,Dnipro,Dnipropetrovsk Oblast,Dnipro City Council,\
\"Shahed-136 debris fell on a school in Dnípro;\nno one was hurt.\",https://t.test/a2\n";

fn small() -> Archive {
    let archive = Archive::new();
    let articles = archive.write("articles.json", ARTICLES);
    let events = archive.write("events.csv", EVENTS);
    archive.import(&[&articles, &events]);
    archive
}

/// The hits of a search, as JSON objects.
fn hits(archive: &Archive, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-f", "json"]);
    let out = archive.ok(&all);
    match serde_json::from_str(&out) {
        Ok(Value::Array(rows)) => rows,
        other => panic!("not a JSON array: {other:?}\n{out}"),
    }
}

/// The urls of a search's hits (events show their linked article's), in rank order.
fn urls(archive: &Archive, args: &[&str]) -> Vec<String> {
    hits(archive, args)
        .iter()
        .map(|h| h["url"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn field<'a>(hit: &'a Value, name: &str) -> &'a str {
    hit[name].as_str().unwrap_or_default()
}

/// FTS5's own check of both indexes against their tables (fails when they differ).
fn indexes_match_their_tables(archive: &Archive) {
    let conn = archive.conn();
    for index in ["articles_search", "events_search"] {
        conn.execute_batch(&format!(
            "INSERT INTO {index} ({index}) VALUES ('integrity-check'); \
             INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1);"
        ))
        .unwrap_or_else(|e| panic!("{index}: {e}"));
    }
}

#[test]
fn a_title_hit_outranks_a_body_only_hit() {
    let archive = small();
    let found = hits(&archive, &["zaporizhzhia"]);
    let order: Vec<&str> = found.iter().map(|h| field(h, "url")).collect();
    assert_eq!(order.len(), 3, "{found:?}");
    let body_only = order
        .iter()
        .position(|u| *u == "https://t.test/a2")
        .unwrap();
    assert_eq!(body_only, 2, "the body-only hit comes last: {order:?}");
    // Ranks count from 1, scores fall (higher is better).
    let ranks: Vec<i64> = found.iter().map(|h| h["rank"].as_i64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3]);
    let scores: Vec<f64> = found.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn matches_are_marked_in_titles_and_snippets_on_one_line() {
    let archive = small();
    let found = hits(&archive, &["zaporizhzhia"]);
    let a1 = found
        .iter()
        .find(|h| field(h, "url") == "https://t.test/a1")
        .unwrap();
    assert_eq!(
        field(a1, "title"),
        "[Zaporizhzhia] plant loses outside power"
    );
    // No match in the body: the snippet is its start, line breaks made spaces.
    assert_eq!(
        field(a1, "snippet"),
        "The plant ran on diesel generators for hours. Engineers restored one line by evening."
    );
    let a2 = found
        .iter()
        .find(|h| field(h, "url") == "https://t.test/a2")
        .unwrap();
    assert_eq!(field(a2, "title"), "Overnight attacks across the south");
    let snippet = field(a2, "snippet");
    assert!(snippet.contains("In [Zaporizhzhia] region"), "{snippet}");
    assert!(!snippet.contains('\n'), "{snippet:?}");
    // A title and no body: found by its title, with an empty snippet.
    let a3 = found
        .iter()
        .find(|h| field(h, "url") == "https://t.test/a3")
        .unwrap();
    assert_eq!(
        field(a3, "title"),
        "Headline only: [Zaporizhzhia] grain exports resume"
    );
    assert_eq!(field(a3, "snippet"), "");
    // Every word of the query is marked, in the event's notes too.
    let event = hits(&archive, &["school", "--only", "events"]);
    assert_eq!(event.len(), 1);
    assert_eq!(
        field(&event[0], "snippet"),
        "Shahed-136 debris fell on a [school] in Dnípro; no one was hurt."
    );
}

#[test]
fn event_hits_name_type_place_linked_article_and_id() {
    let archive = small();
    let found = hits(&archive, &["debris"]);
    assert_eq!(found.len(), 1, "{found:?}");
    let event = &found[0];
    assert_eq!(field(event, "what"), "event");
    assert_eq!(field(event, "date"), "2025-06-04");
    assert_eq!(field(event, "source"), "Dnipro City Council");
    assert_eq!(
        field(event, "title"),
        "air_attack in Dnipro, Dnipropetrovsk Oblast"
    );
    assert_eq!(field(event, "url"), "https://t.test/a2");
    assert_eq!(field(event, "event_id"), "ev-1");
    assert!(event["dataset"].is_null());
    // An article's own row has no event id.
    let article = hits(&archive, &["diesel"]);
    assert_eq!(field(&article[0], "what"), "article");
    assert_eq!(field(&article[0], "date"), "2025-06-03");
    assert!(article[0]["event_id"].is_null());
}

#[test]
fn table_output() {
    let archive = small();
    let out = archive.ok(&["search", "Shahed-136", "-f", "table"]);
    assert_snapshot!(out, @r"
    rank  score  what     date        source               title                                        snippet                                                      url                dataset  event_id
    ────  ─────  ───────  ──────────  ───────────────────  ───────────────────────────────────────────  ───────────────────────────────────────────────────────────  ─────────────────  ───────  ────────
       1      1  article  2025-06-04  Reuters              Overnight attacks across the south           …shot down [Shahed-136] drones near Dnípro. In…              https://t.test/a2
       2      1  event    2025-06-04  Dnipro City Council  air_attack in Dnipro, Dnipropetrovsk Oblast  [Shahed-136] debris fell on a school in Dnípro; no one was…  https://t.test/a2           ev-1
    ");
}

#[test]
fn every_format_carries_the_same_hits() {
    let archive = Archive::with_samples();
    let columns = [
        "rank", "score", "what", "date", "source", "title", "snippet", "url", "dataset", "event_id",
    ];
    let json = hits(&archive, &["drones", "--limit", "5"]);
    assert_eq!(json.len(), 5);
    for hit in &json {
        let keys: Vec<&str> = hit
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), columns.len());
        for c in columns {
            assert!(hit.get(c).is_some(), "{c} missing in {hit}");
        }
        assert!(field(hit, "snippet").contains("rones]"), "{hit}");
    }
    let first_url = field(&json[0], "url").to_string();

    let ndjson = archive.ok(&["search", "drones", "--limit", "5", "-f", "ndjson"]);
    let lines: Vec<Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, json);

    for (format, delimiter) in [("csv", b','), ("tsv", b'\t')] {
        let text = archive.ok(&["search", "drones", "--limit", "5", "-f", format]);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header, columns, "{format}");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 5, "{format}");
        assert_eq!(&rows[0][7], first_url, "{format}");
        assert_eq!(&rows[0][6], field(&json[0], "snippet"), "{format}");
    }

    let markdown = archive.ok(&["search", "drones", "--limit", "5", "-f", "markdown"]);
    let lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(lines.len(), 7, "{markdown}");
    assert!(lines[0].starts_with("| rank | score | what"), "{markdown}");
    assert!(markdown.contains("[drones]") || markdown.contains("[Drones]"));

    let table = archive.ok(&["search", "drones", "--limit", "5", "-f", "table"]);
    assert_eq!(table.lines().count(), 7, "{table}");
    // Long cells are cut around the first marked word, which stays in view.
    for line in table.lines().skip(2) {
        assert!(line.contains("rones]"), "{line}");
    }
}

#[test]
fn dates_and_sources_filter_both_kinds() {
    let archive = Archive::with_samples();
    let all = hits(&archive, &["drones", "--limit", "0"]);
    assert!(all.len() > 5, "{}", all.len());
    let days = |found: &[Value]| -> Vec<String> {
        found.iter().map(|h| field(h, "date").to_string()).collect()
    };
    let june = hits(
        &archive,
        &[
            "drones",
            "--from",
            "2025-06-01",
            "--to",
            "2025-06-03",
            "--limit",
            "0",
        ],
    );
    assert!(!june.is_empty());
    for day in days(&june) {
        assert!(
            ("2025-06-01"..="2025-06-03").contains(&day.as_str()),
            "{day}"
        );
    }
    let expected = days(&all)
        .into_iter()
        .filter(|d| ("2025-06-01"..="2025-06-03").contains(&d.as_str()))
        .count();
    assert_eq!(june.len(), expected);
    // A month given to --to means its last day, as in `query run`.
    let may = hits(&archive, &["drones", "--to", "2025-05", "--limit", "0"]);
    assert!(!may.is_empty());
    assert!(days(&may).iter().all(|d| d.as_str() <= "2025-05-31"));

    // Sources are matched with case and accents folded; events and articles alike.
    let air_force = hits(
        &archive,
        &[
            "shahed OR drones",
            "--source",
            "UKRAINIAN air force",
            "--limit",
            "0",
        ],
    );
    assert!(!air_force.is_empty());
    assert!(
        air_force
            .iter()
            .all(|h| field(h, "source") == "Ukrainian Air Force")
    );
    assert!(air_force.iter().any(|h| field(h, "what") == "event"));
    assert!(air_force.iter().any(|h| field(h, "what") == "article"));
    let small = small();
    let lusa = hits(&small, &["plant", "--source", "agencia lusa"]);
    assert_eq!(lusa.len(), 1);
    assert_eq!(field(&lusa[0], "source"), "Agência Lusa");
    assert!(hits(&small, &["plant", "--source", "Reuters"]).is_empty());

    let err = archive.fails(&["search", "drones", "--source", "Nowhere Gazette"]);
    assert!(
        err.contains("--source \"Nowhere Gazette\": no source of that name")
            && err.contains("Ukrainian Air Force"),
        "{err}"
    );
    let err = archive.fails(&["search", "drones", "--from", "2025-13-01"]);
    assert!(err.contains("--from \"2025-13-01\""), "{err}");
    let err = archive.fails(&["search", "drones", "--to", "soon"]);
    assert!(err.contains("--to \"soon\""), "{err}");
    let err = archive.fails(&[
        "search",
        "drones",
        "--from",
        "2025-06-02",
        "--to",
        "2025-06-01",
    ]);
    assert!(err.contains("is after --to"), "{err}");
}

#[test]
fn query_syntax_errors_name_the_text() {
    let archive = Archive::with_samples();
    for text in [
        "AND",
        "\"unbalanced",
        "-",
        "(drones",
        "drones OR",
        "-drones",
        "*",
        "NEAR(",
    ] {
        let run = archive.run(&["search", text]);
        assert!(!run.success, "{text:?} succeeded: {}", run.stdout);
        assert!(
            run.stderr
                .starts_with(&format!("sitrep: error: search text {text:?}")),
            "{text:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("is not a valid query"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("SQL logic error"), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{text:?}: {}", run.stdout);
    }
    let err = archive.fails(&["search", "   "]);
    assert!(err.contains("give the words to search for"), "{err}");
    // FTS5 syntax itself works.
    assert!(!hits(&archive, &["\"ballistic missiles\""]).is_empty());
    assert!(!hits(&archive, &["NEAR(drones missiles, 3)"]).is_empty());
    assert!(!hits(&archive, &["istanb*"]).is_empty());
    let both = hits(&archive, &["drones", "--limit", "0"]).len();
    let without = hits(&archive, &["drones NOT missiles", "--limit", "0"]).len();
    assert!(without < both, "{without} < {both}");
    // Lower-case operators are words.
    assert!(!hits(&archive, &["drones and missiles"]).is_empty());
}

#[test]
fn words_with_punctuation_are_searched_as_phrases() {
    let archive = small();
    for text in [
        "Shahed-136",
        "shahed-136 drones",
        "Kharkiv-based",
        "12:00",
        "title:Zaporizhzhia-plant",
    ] {
        assert!(!hits(&archive, &[text]).is_empty(), "{text}");
    }
    assert_eq!(urls(&archive, &["Kharkiv-based"]), ["https://t.test/a2"]);
    // The phrase of its parts, in order: not any text holding both words.
    assert!(hits(&archive, &["136-Shahed"]).is_empty());
    assert!(hits(&archive, &["Kharkiv-unit"]).is_empty());
    // In the samples: a weapon written with a slash.
    let samples = Archive::with_samples();
    let found = hits(&samples, &["Kh-101/Kh-555", "--limit", "0"]);
    assert!(found.len() >= 2, "{found:?}");
    for hit in &found {
        assert!(field(hit, "snippet").contains("[Kh-101/Kh-555]"), "{hit}");
    }
}

#[test]
fn a_column_filter_searches_the_index_that_has_the_column() {
    let archive = Archive::with_samples();
    let titles = hits(&archive, &["title:drones", "--limit", "0"]);
    assert!(!titles.is_empty());
    assert!(titles.iter().all(|h| field(h, "what") == "article"));
    assert!(titles.iter().all(|h| field(h, "title").contains("rones]")));
    let notes = hits(&archive, &["notes:drones", "--limit", "0"]);
    assert!(!notes.is_empty());
    assert!(notes.iter().all(|h| field(h, "what") == "event"));
    let events = hits(&archive, &["drones", "--only", "events", "--limit", "0"]);
    assert_eq!(events.len(), notes.len());
    let articles = hits(&archive, &["drones", "--only", "articles", "--limit", "0"]);
    assert!(articles.iter().all(|h| field(h, "what") == "article"));
    assert_eq!(
        articles.len() + events.len(),
        hits(&archive, &["drones", "--limit", "0"]).len()
    );
    let err = archive.fails(&["search", "title:drones", "--only", "events"]);
    assert!(err.contains("no such column: title"), "{err}");
    let err = archive.fails(&["search", "title:drones OR notes:drones"]);
    assert!(err.contains("search them one at a time"), "{err}");
}

#[test]
fn case_accents_and_cyrillic_are_folded() {
    let archive = small();
    // "Dnípro" in the texts, "dnipro" typed (and the other way round).
    let found = urls(&archive, &["dnipro"]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(urls(&archive, &["DNÍPRO"]).len(), 2);
    let samples = Archive::with_samples();
    // The Ukrainian Air Force article, in Ukrainian, in any case.
    for text in ["дронами", "ДРОНАМИ", "Дронами ракетами"] {
        let found = hits(&samples, &[text]);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert!(field(&found[0], "title").contains("[дронами]"), "{found:?}");
    }
}

#[test]
fn no_matches_and_limits_are_told_on_stderr() {
    let archive = Archive::with_samples();
    let (out, err) = archive.ok_both(&["search", "zeppelin", "-f", "csv"]);
    assert_eq!(
        out,
        "rank,score,what,date,source,title,snippet,url,dataset,event_id\n"
    );
    assert_eq!(err, "sitrep: no matches for \"zeppelin\"\n");
    let (out, _) = archive.ok_both(&["search", "zeppelin", "-f", "json"]);
    assert_eq!(out, "[]\n");

    let all = hits(&archive, &["drones", "--limit", "0"]).len();
    let (out, err) = archive.ok_both(&["search", "drones", "--limit", "3", "-f", "csv"]);
    assert_eq!(out.lines().count(), 4);
    assert_eq!(
        err,
        format!("sitrep: 3 of {all} matches shown (--limit N for more, --limit 0 for all)\n")
    );
    // Twenty by default.
    let (_, err) = archive.ok_both(&["search", "kyiv", "-f", "csv"]);
    if !err.is_empty() {
        assert!(err.starts_with("sitrep: 20 of "), "{err}");
    }
}

#[test]
fn placeholder_articles_are_never_found() {
    let archive = Archive::with_samples();
    let placeholders: Vec<String> = archive
        .ok(&[
            "sql",
            "SELECT url FROM articles WHERE placeholder = 1",
            "-f",
            "csv",
        ])
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    assert!(!placeholders.is_empty());
    for word in ["kyiv", "drones", "missiles", "casualties", "attack"] {
        for hit in hits(&archive, &[word, "--limit", "0", "--only", "articles"]) {
            assert!(
                !placeholders.contains(&field(&hit, "url").to_string()),
                "{hit}"
            );
        }
    }
}

#[test]
fn no_archive_is_an_error_and_none_is_created() {
    let archive = Archive::new();
    let err = archive.fails(&["search", "drones"]);
    assert!(err.contains("no archive at"), "{err}");
    assert!(!archive.db.exists());
    assert_eq!(std::fs::read_dir(archive.dir.path()).unwrap().count(), 0);
}

#[test]
fn a_first_import_builds_the_indexes_and_puts_their_triggers_back() {
    // A new archive is built with the search triggers dropped and the indexes rebuilt
    // before it is published.
    let archive = small();
    let triggers: Vec<String> = archive
        .ok(&[
            "sql",
            "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name",
            "-f",
            "csv",
        ])
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    assert_eq!(
        triggers,
        [
            "articles_search_delete",
            "articles_search_insert",
            "articles_search_update",
            "events_search_delete",
            "events_search_insert",
            "events_search_update"
        ]
    );
    indexes_match_their_tables(&archive);
    assert_eq!(urls(&archive, &["diesel"]), ["https://t.test/a1"]);
    assert_eq!(hits(&archive, &["debris"]).len(), 1);
}

#[test]
fn the_indexes_follow_reimports_with_changed_text() {
    let archive = small();
    assert_eq!(urls(&archive, &["diesel"]), ["https://t.test/a1"]);
    indexes_match_their_tables(&archive);

    // The same urls and event id with new text: old words go, new words come.
    let changed = ARTICLES
        .replace("diesel generators", "backup batteries")
        .replace("loses outside power", "regains grid connection");
    let articles = archive.write("articles-v2.json", changed);
    let events = archive.write(
        "events-v2.csv",
        EVENTS.replace("debris fell on a school", "wreckage landed near a hospital"),
    );
    archive.import(&[&articles, &events]);
    assert_eq!(archive.count("articles"), 3);
    assert_eq!(archive.count("events"), 1);
    assert!(hits(&archive, &["diesel"]).is_empty());
    assert!(hits(&archive, &["\"outside power\""]).is_empty());
    assert_eq!(urls(&archive, &["batteries"]), ["https://t.test/a1"]);
    let regained = hits(&archive, &["grid"]);
    assert_eq!(
        field(&regained[0], "title"),
        "Zaporizhzhia plant regains [grid] connection"
    );
    assert!(hits(&archive, &["debris"]).is_empty());
    let hospital = hits(&archive, &["hospital"]);
    assert_eq!(hospital.len(), 1);
    assert_eq!(field(&hospital[0], "event_id"), "ev-1");
    indexes_match_their_tables(&archive);
    assert!(archive.ok(&["check"]).contains("search indexes"));
}

#[test]
fn extract_and_deletes_keep_the_indexes_in_step() {
    // The sample articles without their hand-coded events: extract makes the events.
    let archive = Archive::new();
    let text = std::fs::read_to_string(common::sample("articles.json")).unwrap();
    let mut articles: Vec<Value> = serde_json::from_str(&text).unwrap();
    for a in &mut articles {
        a.as_object_mut().unwrap().remove("events");
    }
    let bodies = archive.write("bodies.json", serde_json::to_string(&articles).unwrap());
    archive.import(&[&common::sample("entities.csv"), &bodies]);
    assert!(hits(&archive, &["extracted"]).is_empty());
    archive.ok(&["extract", "--all"]);
    indexes_match_their_tables(&archive);
    let made = hits(&archive, &["extracted", "--limit", "0"]);
    assert!(!made.is_empty());
    assert!(made.iter().all(|h| field(h, "what") == "event"));
    archive.ok(&["extract", "--all"]);
    assert_eq!(
        hits(&archive, &["extracted", "--limit", "0"]).len(),
        made.len()
    );
    indexes_match_their_tables(&archive);

    // Rows deleted by any writer leave the indexes.
    {
        let conn = archive.conn();
        conn.execute_batch(
            "DELETE FROM events WHERE notes LIKE 'extracted by%'; \
             DELETE FROM article_entities; \
             DELETE FROM event_articles; \
             DELETE FROM articles WHERE title LIKE '%Crimean Bridge%';",
        )
        .unwrap();
    }
    assert!(hits(&archive, &["extracted"]).is_empty());
    assert!(hits(&archive, &["\"Crimean Bridge\""]).is_empty());
    assert!(!hits(&archive, &["Istanbul"]).is_empty());
    indexes_match_their_tables(&archive);
    // (Deleting behind the writer's back leaves the rollups behind; not the indexes.)
    let check = archive.run(&["check"]);
    assert!(!check.stdout.contains("search index"), "{}", check.stdout);
}

#[test]
fn search_reads_and_never_writes() {
    let archive = small();
    let before = archive.dump();
    for args in [
        &["search", "zaporizhzhia"][..],
        &["search", "AND"],
        &["search", "drones", "--source", "nobody"],
    ] {
        let _ = archive.run(args);
    }
    assert_eq!(archive.dump(), before);
}

#[test]
fn a_word_common_in_one_index_does_not_bury_its_hits() {
    // "Ukraine" is in every sample article (bm25 scores near zero there) and in few event
    // notes: articles must still be among the first hits, the best of each kind first.
    let archive = Archive::with_samples();
    let out = archive.ok(&["search", "Ukraine", "--limit", "4", "-f", "csv"]);
    let rows: Vec<Vec<&str>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 4, "{out}");
    let whats: Vec<&str> = rows.iter().map(|r| r[2]).collect();
    assert!(
        whats.contains(&"article") && whats.contains(&"event"),
        "{out}"
    );
    assert_eq!(rows[0][1], "1", "{out}");
    assert_eq!(rows[1][1], "1", "{out}");
}

#[test]
fn commas_separate_words_outside_near() {
    let archive = Archive::with_samples();
    let both = archive.ok(&["search", "Kyiv, Kharkiv", "-f", "csv", "--limit", "0"]);
    let plain = archive.ok(&["search", "Kyiv Kharkiv", "-f", "csv", "--limit", "0"]);
    assert_eq!(both, plain);
    assert!(both.lines().count() > 1);
}

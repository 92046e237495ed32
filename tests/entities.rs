//! `sitrep entities list|show|alias|merge`, through the binary: look-ups by any spelling
//! (case and accents folded), the refusals (unknown names, ambiguous kinds, merges across
//! kinds, of an entity with itself, of weapons that count differently, taken spellings, a
//! missing archive), and the guarantee that spellings and merges leave every built-in
//! query's answer as it was, except that the two rows of `top-entities` become one.

mod common;

use std::collections::BTreeMap;

use common::{Archive, sample_files};

/// Every built-in query's name, as `query list` gives them.
fn builtin_names(a: &Archive) -> Vec<String> {
    let csv = a.ok(&["query", "list", "-f", "csv"]);
    csv.lines()
        .skip(1)
        .filter(|l| l.contains(",built-in,"))
        .filter_map(|l| l.split(',').next())
        .map(str::to_string)
        .collect()
}

/// Parameter sets every query is run with: whole (rollups), whole months (rollups where
/// they serve) and odd days (the base tables), each also with --scan.
const RANGES: &[&[&str]] = &[
    &[],
    &["--from", "2025-06-01", "--to", "2025-06-30"],
    &["--from", "2025-05-25", "--to", "2025-06-07"],
];

/// The answer of every built-in query (top-entities without its limit) over every range,
/// from the rollups and from the base tables, by a label.
fn answers(a: &Archive) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    for name in builtin_names(a) {
        for range in RANGES {
            for scan in [false, true] {
                let mut extra: Vec<&str> = range.to_vec();
                if name == "top-entities" {
                    extra.extend(["-p", "limit=100000"]);
                }
                if scan {
                    extra.push("--scan");
                }
                let label = format!("{name} {}", extra.join(" "));
                all.insert(label, a.query_csv(&name, &extra));
            }
        }
    }
    all
}

/// top-entities rows as (name, kind) → (events, articles).
fn top_rows(csv: &str) -> BTreeMap<(String, String), (i64, i64)> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                (r[0].to_string(), r[1].to_string()),
                (r[2].parse().unwrap(), r[3].parse().unwrap()),
            )
        })
        .collect()
}

/// What top-entities must say after `other` is merged into `keep`, from what the archive
/// holds before: one row for the kept entity counting the distinct events of both in the
/// range (and the article links of both, one per article and role), the merged entity's
/// row gone, every other row as it was.
fn expected_top_after_merge(
    before: &str,
    a: &Archive,
    kind: &str,
    keep: &str,
    other: &str,
    range: &[&str],
) -> BTreeMap<(String, String), (i64, i64)> {
    let mut rows = top_rows(before);
    let conn = a.conn();
    let id = |name: &str| -> i64 {
        conn.query_row(
            "SELECT id FROM entities WHERE kind = ?1 AND name = ?2",
            [kind, name],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (k, o) = (id(keep), id(other));
    let (from, to) = match range {
        ["--from", from, "--to", to] => (Some(*from), Some(*to)),
        _ => (None, None),
    };
    let events: i64 = conn
        .query_row(
            "SELECT count(DISTINCT l.event_id) FROM event_entities l JOIN events e ON e.id = l.event_id \
             WHERE l.entity_id IN (?1, ?2) AND (?3 IS NULL OR e.date >= ?3) AND (?4 IS NULL OR e.date <= ?4)",
            rusqlite::params![k, o, from, to],
            |r| r.get(0),
        )
        .unwrap();
    let articles: i64 = conn
        .query_row(
            "SELECT count(DISTINCT article_id) FROM article_entities WHERE entity_id IN (?1, ?2)",
            [k, o],
            |r| r.get(0),
        )
        .unwrap();
    rows.remove(&(other.to_string(), kind.to_string()));
    rows.remove(&(keep.to_string(), kind.to_string()));
    if events > 0 {
        rows.insert((keep.to_string(), kind.to_string()), (events, articles));
    }
    rows
}

/// Merges `other` into `keep` and checks every built-in query against `before`: identical,
/// except top-entities, which must be `expected_top_after_merge`.
fn merge_and_compare(a: &Archive, kind: &str, keep: &str, other: &str) {
    let before = answers(a);
    let mut expected_top = BTreeMap::new();
    for (label, csv) in &before {
        if label.starts_with("top-entities") {
            let range: Vec<&str> = RANGES
                .iter()
                .find(|r| label.contains(&r.join(" ")) && !r.is_empty())
                .map_or(Vec::new(), |r| r.to_vec());
            expected_top.insert(
                label.clone(),
                expected_top_after_merge(csv, a, kind, keep, other, &range),
            );
        }
    }
    a.ok(&["entities", "merge", keep, other, "--kind", kind]);
    let after = answers(a);
    assert_eq!(before.len(), after.len());
    for (label, csv) in &after {
        if let Some(expected) = expected_top.get(label) {
            assert_eq!(
                &top_rows(csv),
                expected,
                "{label} after merging {other} into {keep}"
            );
        } else {
            assert_eq!(
                csv, &before[label],
                "{label} changed when {other} was merged into {keep}"
            );
        }
    }
    a.ok(&["check"]);
}

/// The samples plus files that name a place, an organisation and a weapon by new
/// spellings, so that the archive holds duplicates: "Kyiv city" (place), "Russian army"
/// (organisation, also named beside "Russian Armed Forces" by one event and one article)
/// and the weapon "Geran-2M" (a drone, like Shahed-136/131).
fn samples_with_duplicates() -> Archive {
    let a = Archive::with_samples();
    a.write(
        "dupes.csv",
        "event_id,date,date_precision,type,country,location,actors\n\
         dup-1,2025-06-06,day,air_attack,Ukraine,Kyiv city,Russian army\n\
         dup-2,2025-06-07,day,shelling,Ukraine,Kyiv city,Russian army;Russian Armed Forces\n\
         dup-3,2025-05-30,day,shelling,Ukraine,KYIV,Russian Army\n",
    );
    a.write(
        "geran.csv",
        "name,kind,aliases,class,country,description\n\
         Geran-2M,weapon,Geran 2M,drone,Russia,A duplicate of the Shahed entry.\n",
    );
    a.write(
        "geran.ndjson",
        r#"{"event_id":"dup-4","date":"2025-06-03","type":"air_attack","weapon":"Geran-2M","figures":[{"kind":"launched","weapon":"Geran-2M","value":50},{"kind":"destroyed","weapon":"Geran-2M","value":20}]}
{"event_id":"dup-5","date":"2025-06-04","type":"air_attack","weapon":"Geran-2M;Shahed-136/131","figures":[{"kind":"launched","weapon":"Geran-2M","value":7}]}
"#,
    );
    a.write(
        "army.json",
        r#"[{"url":"https://example.test/army","title":"Army","published":"2025-06-07T10:00:00Z",
            "entities":[{"name":"Russian army","kind":"organisation","role":"mentioned"},
                        {"name":"Russian Armed Forces","kind":"organisation","role":"mentioned"},
                        {"name":"Russian army","kind":"organisation","role":"quoted"}]}]"#,
    );
    a.ok(&[
        "import",
        "dupes.csv",
        "geran.csv",
        "geran.ndjson",
        "army.json",
    ]);
    a
}

// ---------------------------------------------------------------------------
// list

#[test]
fn list_gives_kind_spellings_counts_and_dates_by_kind_then_name() {
    let a = Archive::with_samples();
    let csv = a.ok(&["entities", "list", "--kind", "place", "-f", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,kind,name,aliases,events,articles,first_seen,last_seen")
    );
    let names: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "places come by name");
    assert_eq!(names.len(), 26);
    assert!(
        csv.lines()
            .any(|l| l.ends_with(",place,Kyiv,Kiev; Kyjiw; Киев; Київ,2,0,2025-05-24,2025-06-06")),
        "{csv}"
    );

    // Kinds in order, then names.
    let all = a.ok(&["entities", "list", "-f", "csv"]);
    let kinds: Vec<&str> = all
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
    assert_eq!(kinds.len(), 74);
}

#[test]
fn list_like_matches_any_spelling_folded_and_literally() {
    let a = Archive::with_samples();
    let names = |like: &str| -> Vec<String> {
        a.ok(&["entities", "list", "--like", like, "-f", "csv"])
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(2).unwrap().to_string())
            .collect()
    };
    // By a spelling that is not the name, in another case.
    assert_eq!(names("KIEV"), ["Kyiv"]);
    // Accents folded both ways: "Dnípro" finds "Dnipro" and the oblast.
    assert_eq!(names("Dnípro"), ["Dnipro", "Dnipropetrovsk Oblast"]);
    assert_eq!(names("türk"), ["Turkey"]);
    // A Cyrillic spelling.
    assert_eq!(names("київ"), ["Kyiv"]);
    // % and _ are text, not patterns.
    assert!(names("%").is_empty());
    assert!(names("_").is_empty());
    assert_eq!(names("kh-101/kh-555 and").len(), 2);
    // With a kind.
    let kharkiv = a.ok(&[
        "entities",
        "list",
        "--like",
        "kharkiv",
        "--kind",
        "organisation",
        "-f",
        "csv",
    ]);
    assert_eq!(kharkiv.lines().count(), 2, "{kharkiv}");
    assert!(kharkiv.contains("Kharkiv Regional Military Administration"));
    let err = a.fails(&["entities", "list", "--like", "  "]);
    assert!(err.contains("--like is empty"), "{err}");
}

#[test]
fn list_prints_in_every_format() {
    let a = Archive::with_samples();
    let json = a.ok(&["entities", "list", "--like", "kiev", "-f", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["name"], "Kyiv");
    assert_eq!(rows[0]["events"], 2);
    assert_eq!(rows[0]["aliases"], "Kiev; Kyjiw; Киев; Київ");
    let table = a.ok(&["entities", "list", "--like", "kiev", "-f", "table"]);
    assert!(table.starts_with("id  kind   name  aliases"), "{table}");
    for format in ["tsv", "ndjson", "markdown"] {
        let out = a.ok(&["entities", "list", "--like", "kiev", "-f", format]);
        assert!(out.contains("Kyjiw"), "{format}: {out}");
    }
}

// ---------------------------------------------------------------------------
// show

#[test]
fn show_gives_the_entity_its_spellings_events_articles_and_merges() {
    let a = Archive::with_samples();
    // Any spelling, any case, accents folded.
    let csv = a.ok(&["entities", "show", "KYÏV", "-f", "csv"]);
    assert_eq!(
        csv,
        "entity\n\
         field,value\n\
         id,33\n\
         kind,place\n\
         name,Kyiv\n\
         country,Ukraine\n\
         latitude,50.4501\n\
         longitude,30.5234\n\
         description,Capital of Ukraine.\n\
         events,2\n\
         articles,0\n\
         first_seen,2025-05-24\n\
         last_seen,2025-06-06\n\
         \n\
         aliases (5)\n\
         alias\n\
         Kyiv\n\
         Kiev\n\
         Kyjiw\n\
         Киев\n\
         Київ\n\
         \n\
         events (2)\n\
         date,event,type,place,roles\n\
         2025-06-06,sample-2025-06-06-kyiv-casualties,air_attack,\"Kyiv, Ukraine\",location\n\
         2025-05-24,sample-2025-05-24-kyiv-casualties,air_attack,\"Kyiv, Ukraine\",location\n\
         \n\
         articles (0)\n\
         published,source,title,url,roles\n\
         \n\
         merges (0)\n\
         merged_at,merged_id,merged_name,aliases,event_links,article_links,figures\n"
    );

    // The same sections as one JSON object.
    let json = a.ok(&["entities", "show", "Kiev", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["entity"]["name"], "Kyiv");
    assert_eq!(v["entity"]["latitude"], 50.4501);
    assert_eq!(v["entity"]["events"], 2);
    assert_eq!(v["aliases"].as_array().unwrap().len(), 5);
    assert_eq!(v["aliases"][1]["alias"], "Kiev");
    assert_eq!(v["events"][0]["event"], "sample-2025-06-06-kyiv-casualties");
    assert_eq!(v["events"][0]["roles"], "location");
    assert_eq!(v["articles"], serde_json::json!([]));
    assert_eq!(v["merges"], serde_json::json!([]));
    let ndjson = a.ok(&["entities", "show", "Kiev", "-f", "ndjson"]);
    assert_eq!(ndjson.lines().count(), 1);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&ndjson).unwrap(),
        v
    );

    // Weapons have a class and figures; articles come with their source and roles.
    let json = a.ok(&["entities", "show", "shahed", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["entity"]["class"], "drone");
    assert_eq!(v["entity"]["figures"], 6);
    assert_eq!(v["articles"][1]["source"], "Kyiv Independent");
    assert_eq!(v["articles"][1]["roles"], "mentioned");
    assert_eq!(v["articles"][0]["published"], "2025-06-02T09:15:00+03:00");
}

#[test]
fn show_limits_its_lists_and_says_so() {
    let a = Archive::with_samples();
    let table = a.ok(&[
        "entities",
        "show",
        "Shahed-136",
        "--limit",
        "3",
        "-f",
        "table",
    ]);
    assert!(
        table.contains("events (3 of 20, latest first; --limit 0 shows all)"),
        "{table}"
    );
    assert!(table.contains("articles (2)"), "{table}");
    let json = a.ok(&[
        "entities",
        "show",
        "Shahed-136",
        "--limit",
        "0",
        "-f",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["events"].as_array().unwrap().len(), 20);
    assert_eq!(v["events"][0]["date"], "2025-06-10");
    let markdown = a.ok(&[
        "entities",
        "show",
        "Shahed-136",
        "--limit",
        "1",
        "-f",
        "markdown",
    ]);
    assert!(markdown.starts_with("### entity\n\n| field"), "{markdown}");
    assert!(markdown.contains("### events (1 of 20"), "{markdown}");
}

// ---------------------------------------------------------------------------
// errors of look-up

#[test]
fn unknown_names_are_refused_with_near_spellings() {
    let a = Archive::with_samples();
    let before = a.dump();
    let err = a.fails(&["entities", "show", "Kyiv City"]);
    assert!(
        err.contains("no entity is named \"Kyiv City\"; did you mean the organisation \"Kyiv City Military Administration\" or the place \"Kyiv\"?"),
        "{err}"
    );
    let err = a.fails(&["entities", "show", "Atlantis"]);
    assert!(err.contains("no entity is named \"Atlantis\""), "{err}");
    let err = a.fails(&["entities", "show", "Kyiv", "--kind", "person"]);
    assert!(
        err.contains("no person is named \"Kyiv\"; it names the place \"Kyiv\" (--kind place)"),
        "{err}"
    );
    let err = a.fails(&["entities", "alias", "Atlantis", "Atlantida"]);
    assert!(err.contains("no entity is named \"Atlantis\""), "{err}");
    let err = a.fails(&["entities", "merge", "Kyiv", "Atlantis"]);
    assert!(err.contains("no entity is named \"Atlantis\""), "{err}");
    let err = a.fails(&["entities", "show", " "]);
    assert!(err.contains("the entity name is empty"), "{err}");
    assert_eq!(
        a.dump(),
        before,
        "failed commands leave the archive as it was"
    );
}

#[test]
fn a_name_of_several_kinds_needs_a_kind() {
    let a = Archive::with_samples();
    a.write("org.csv", "name,kind\nKharkiv,organisation\n");
    a.ok(&["import", "org.csv"]);
    let before = a.dump();
    for args in [
        &["entities", "show", "kharkiv"][..],
        &["entities", "alias", "Kharkiv", "Kharkiw"],
    ] {
        let err = a.fails(args);
        assert!(
            err.contains("\"")
                && err.contains("names entities of several kinds: the organisation \"Kharkiv\" and the place \"Kharkiv\"; say which with --kind organisation or --kind place"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(a.dump(), before);
    let json = a.ok(&[
        "entities", "show", "kharkiv", "--kind", "place", "-f", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["entity"]["kind"], "place");
    // In a merge, the other name settles the kind.
    a.write("org2.csv", "name,kind\nKharkiv city council,organisation\n");
    a.ok(&["import", "org2.csv"]);
    let out = a.ok(&[
        "entities",
        "merge",
        "Kharkiv",
        "Kharkiv city council",
        "--dry-run",
    ]);
    assert!(
        out.contains("would merge the organisation \"Kharkiv city council\""),
        "{out}"
    );
}

#[test]
fn commands_on_a_missing_archive_fail_and_create_nothing() {
    let a = Archive::new();
    for args in [
        &["entities", "list"][..],
        &["entities", "show", "Kyiv"],
        &["entities", "alias", "Kyiv", "Kiev"],
        &["entities", "merge", "Kyiv", "Kiev"],
    ] {
        let err = a.fails(args);
        assert!(err.contains("no archive at"), "{args:?}: {err}");
        assert!(!a.db.exists(), "{args:?} created an archive");
    }
}

// ---------------------------------------------------------------------------
// alias

#[test]
fn an_alias_adds_a_spelling_that_finds_the_entity() {
    let a = Archive::with_samples();
    let out = a.ok(&["entities", "alias", "Kiev", " Kyyiv "]);
    assert_eq!(out, "added \"Kyyiv\" as a spelling of the place \"Kyiv\"\n");
    let json = a.ok(&["entities", "show", "KYYÏV", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["entity"]["name"], "Kyiv");
    assert!(v["aliases"].to_string().contains("\"Kyyiv\""));
    assert_eq!(
        a.scalar::<String>("SELECT key FROM entity_aliases WHERE alias = 'Kyyiv'"),
        "kyyiv"
    );
    // Imports find it by the new spelling.
    a.write(
        "kyyiv.csv",
        "event_id,date,location\nk-1,2025-06-09,kyyiv\n",
    );
    a.ok(&["import", "kyyiv.csv"]);
    assert_eq!(
        a.scalar::<String>(
            "SELECT n.name FROM event_entities l JOIN events e ON e.id = l.event_id \
             JOIN entities n ON n.id = l.entity_id WHERE e.external_id = 'k-1'"
        ),
        "Kyiv"
    );
    a.ok(&["check"]);
}

#[test]
fn an_alias_already_there_changes_nothing_and_a_taken_one_is_refused() {
    let a = Archive::with_samples();
    let before = a.dump();
    let out = a.ok(&["entities", "alias", "Kyiv", "KIEV"]);
    assert_eq!(
        out,
        "\"KIEV\" already names the place \"Kyiv\": nothing changed\n"
    );
    let err = a.fails(&["entities", "alias", "Kyiv", "Kharkov"]);
    assert!(
        err.contains("\"Kharkov\" already names the place \"Kharkiv\": a spelling names one place; if they are one place, merge them (sitrep entities merge \"Kyiv\" \"Kharkiv\")"),
        "{err}"
    );
    let err = a.fails(&["entities", "alias", "Kyiv", " \t"]);
    assert!(err.contains("the alias is empty"), "{err}");
    assert_eq!(a.dump(), before);
}

#[test]
fn an_alias_that_names_another_kind_too_is_added_with_a_warning() {
    let a = Archive::with_samples();
    let (out, err) = a.ok_both(&[
        "entities",
        "alias",
        "Kharkiv Regional Military Administration",
        "Kharkiv",
    ]);
    assert_eq!(
        out,
        "added \"Kharkiv\" as a spelling of the organisation \"Kharkiv Regional Military Administration\"\n"
    );
    assert!(
        err.contains("warning: \"Kharkiv\" also names the place \"Kharkiv\""),
        "{err}"
    );
    // The name now needs a kind.
    let err = a.fails(&["entities", "show", "Kharkiv"]);
    assert!(err.contains("several kinds"), "{err}");
}

#[test]
fn aliases_change_no_query() {
    let a = samples_with_duplicates();
    let before = answers(&a);
    a.ok(&["entities", "alias", "Kyiv", "Kyiv City Centre"]);
    a.ok(&["entities", "alias", "Shahed-136/131", "Mohajer-Geran"]);
    assert_eq!(answers(&a), before);
    a.ok(&["check"]);
}

// ---------------------------------------------------------------------------
// merge

#[test]
fn a_merge_moves_links_spellings_and_figures_and_records_itself() {
    let a = samples_with_duplicates();
    let raf_events: i64 = a.scalar(
        "SELECT count(DISTINCT event_id) FROM event_entities l JOIN entities n ON n.id = l.entity_id \
         WHERE n.name IN ('Russian Armed Forces', 'Russian army')",
    );
    assert_eq!(raf_events, 27, "24 of the samples, dup-1, dup-2 and dup-3");
    let other_id: i64 = a.scalar("SELECT id FROM entities WHERE name = 'Russian army'");
    let out = a.ok(&["entities", "merge", "Russian Armed Forces", "russian ARMY"]);
    assert_eq!(
        out,
        format!(
            "merged the organisation \"Russian army\" (id {other_id}) into the organisation \"Russian Armed Forces\" (id 19)\n\
             \x20 spellings:      1 (Russian army)\n\
             \x20 event links:    2 moved, 1 dropped (the same event and role were linked to both)\n\
             \x20 article links:  1 moved, 1 dropped (the same article and role were linked to both)\n\
             the organisation \"Russian Armed Forces\" now has 27 events and 6 articles, first seen 2025-05-24, last seen 2025-06-10\n"
        )
    );
    assert_eq!(
        a.scalar::<i64>("SELECT count(*) FROM entities WHERE name = 'Russian army'"),
        0
    );
    // The kept link of dup-2 keeps its own raw text; moved links keep theirs.
    assert_eq!(
        a.scalar::<String>(
            "SELECT group_concat(raw_text, '|') FROM (SELECT l.raw_text FROM event_entities l \
             JOIN events e ON e.id = l.event_id WHERE e.external_id IN ('dup-1', 'dup-2', 'dup-3') \
             ORDER BY e.external_id, l.role)"
        ),
        "Russian army|Kyiv city|Russian Armed Forces|Kyiv city|Russian Army|KYIV"
    );
    // The history.
    let json = a.ok(&["entities", "show", "Russian military", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let merge = &v["merges"][0];
    assert_eq!(merge["merged_name"], "Russian army");
    assert_eq!(merge["merged_id"], other_id);
    assert_eq!(merge["event_links"], 2);
    assert_eq!(merge["article_links"], 1);
    assert_eq!(merge["aliases"], 1);
    let record: serde_json::Value =
        serde_json::from_str(&a.scalar::<String>("SELECT merged FROM entity_merges")).unwrap();
    assert_eq!(record["entity"]["name"], "Russian army");
    assert_eq!(record["entity"]["kind"], "organisation");
    assert_eq!(
        record["aliases"],
        serde_json::json!([{"alias": "Russian army", "key": "russian army"}])
    );
    assert_eq!(record["moved"]["event_links_dropped"], 1);
    assert_eq!(record["moved"]["article_links_dropped"], 1);

    // Weapons: figures move with the links.
    let geran: i64 = a.scalar("SELECT id FROM entities WHERE name = 'Geran-2M'");
    let out = a.ok(&["entities", "merge", "Shahed", "Geran 2M"]);
    assert!(out.contains("  figures:        3 moved\n"), "{out}");
    assert_eq!(
        a.scalar::<i64>(&format!(
            "SELECT count(*) FROM quantities WHERE weapon_id = {geran}"
        )),
        0
    );
    a.ok(&["check"]);
}

#[test]
fn merges_keep_every_query_and_top_entities_counts_distinct_events() {
    let a = samples_with_duplicates();
    let top = |a: &Archive| top_rows(&a.query_csv("top-entities", &["-p", "limit=1000"]));
    let before = top(&a);
    let key = |n: &str, k: &str| (n.to_string(), k.to_string());
    assert_eq!(
        before[&key("Russian Armed Forces", "organisation")],
        (25, 6)
    );
    assert_eq!(before[&key("Russian army", "organisation")], (3, 1));
    assert_eq!(before[&key("Kyiv", "place")], (3, 0));
    assert_eq!(before[&key("Kyiv city", "place")], (2, 0));
    assert_eq!(before[&key("Geran-2M", "weapon")], (2, 0));
    assert_eq!(before[&key("Shahed-136/131", "weapon")], (21, 2));

    merge_and_compare(&a, "place", "Kyiv", "Kyiv city");
    merge_and_compare(&a, "organisation", "Russian Armed Forces", "Russian army");
    merge_and_compare(&a, "weapon", "Shahed-136/131", "Geran-2M");

    // Precisely: 25 + 3 events less dup-2, counted once; 6 + 1 articles less the one both
    // were linked to.
    let after = top(&a);
    assert_eq!(after[&key("Russian Armed Forces", "organisation")], (27, 6));
    assert_eq!(after[&key("Kyiv", "place")], (5, 0));
    assert_eq!(after[&key("Shahed-136/131", "weapon")], (22, 2));
    assert!(!after.contains_key(&key("Russian army", "organisation")));
    assert_eq!(after.len(), before.len() - 3);
}

#[test]
fn reimporting_after_a_merge_recreates_nothing_and_changes_no_total() {
    let a = samples_with_duplicates();
    let description = "SELECT description FROM entities WHERE name = 'Shahed-136/131'";
    let shahed_description: String = a.scalar(description);
    a.ok(&["entities", "merge", "Kyiv", "Kyiv city"]);
    a.ok(&["entities", "merge", "Russian Armed Forces", "Russian army"]);
    a.ok(&["entities", "merge", "Shahed-136/131", "Geran-2M"]);
    let answers_after = answers(&a);
    let entities_after = a.ok(&["entities", "list", "-f", "csv"]);

    let mut args = vec!["import", "--force"];
    let samples = sample_files();
    args.extend(samples.iter().map(|p| p.to_str().unwrap()));
    args.extend(["dupes.csv", "geran.csv", "geran.ndjson", "army.json"]);
    a.ok(&args);

    assert_eq!(
        a.scalar::<i64>(
            "SELECT count(*) FROM entities WHERE name IN ('Kyiv city', 'Russian army', 'Geran-2M')"
        ),
        0
    );
    assert_eq!(answers(&a), answers_after);
    assert_eq!(a.ok(&["entities", "list", "-f", "csv"]), entities_after);
    // The Geran-2M row of geran.csv describes the merged entity, not the kept one.
    assert_eq!(a.scalar::<String>(description), shahed_description);
    a.ok(&["check"]);
}

#[test]
fn merges_across_kinds_and_into_itself_are_refused() {
    let a = Archive::with_samples();
    let before = a.dump();
    let err = a.fails(&["entities", "merge", "Kyiv", "Putin"]);
    assert!(
        err.contains("cannot merge the person \"Vladimir Putin\" into the place \"Kyiv\": entities of different kinds are never merged"),
        "{err}"
    );
    let err = a.fails(&["entities", "merge", "Kyiv", "Kyiv", "--kind", "place"]);
    assert!(
        err.contains("\"Kyiv\" and \"Kyiv\" both name the place \"Kyiv\": nothing to merge"),
        "{err}"
    );
    let err = a.fails(&["entities", "merge", "Kiev", "Київ"]);
    assert!(
        err.contains("\"Kiev\" and \"Київ\" both name the place \"Kyiv\": nothing to merge"),
        "{err}"
    );
    let err = a.fails(&["entities", "merge", "Kyiv", "Putin", "--kind", "place"]);
    assert!(err.contains("no place is named \"Putin\""), "{err}");
    assert_eq!(a.dump(), before);
}

#[test]
fn weapons_that_count_differently_or_share_a_figure_are_not_merged() {
    let a = Archive::with_samples();
    a.write(
        "weapons.csv",
        "name,kind,class\nGeran-3,weapon,\nLancet,weapon,drone\n",
    );
    a.write(
        "both.ndjson",
        r#"{"event_id":"w-1","date":"2025-06-03","figures":[{"kind":"launched","weapon":"Lancet","value":5},{"kind":"launched","weapon":"Shahed-136","value":9}]}
{"event_id":"w-2","date":"2025-06-04","figures":[{"kind":"launched","weapon":"Geran-3","value":5}]}
"#,
    );
    a.ok(&["import", "weapons.csv", "both.ndjson"]);
    let before = a.dump();
    let drones = a.query_csv("daily-drones", &[]);
    let err = a.fails(&["entities", "merge", "Shahed-136", "Geran-3"]);
    assert!(
        err.contains("cannot merge the weapon \"Geran-3\" (class none) into the weapon \"Shahed-136/131\" (class drone): a weapon's class decides whether its figures count as drones or missiles"),
        "{err}"
    );
    let err = a.fails(&["entities", "merge", "Iskander-M", "Kh-101"]);
    assert!(err.contains("(class cruise_missile)"), "{err}");
    let err = a.fails(&["entities", "merge", "Shahed-136", "Lancet"]);
    assert!(
        err.contains("1 figure(s) of events give a value for both (event w-1 (launched))"),
        "{err}"
    );
    assert_eq!(a.dump(), before);
    // Once the classes agree, the merge goes through and counts the same.
    a.write("classify.csv", "name,kind,class\nGeran-3,weapon,drone\n");
    a.ok(&["import", "classify.csv"]);
    let classified = a.query_csv("daily-drones", &[]);
    assert_ne!(classified, drones, "w-2's five drones count now");
    a.ok(&["entities", "merge", "Shahed-136", "Geran-3"]);
    assert_eq!(a.query_csv("daily-drones", &[]), classified);
    assert_eq!(a.query_csv("daily-drones", &["--scan"]), classified);
    a.ok(&["check"]);
}

#[test]
fn a_dry_run_merge_reports_and_changes_nothing() {
    let a = samples_with_duplicates();
    let before = a.dump();
    let out = a.ok(&["entities", "merge", "Kyiv", "Kyiv city", "--dry-run"]);
    assert!(
        out.starts_with("dry run: would merge the place \"Kyiv city\""),
        "{out}"
    );
    assert!(
        out.contains("  event links:    2 moved, 0 dropped"),
        "{out}"
    );
    assert!(out.ends_with("nothing was changed (dry run)\n"), "{out}");
    assert_eq!(a.dump(), before);
}

#[test]
fn merging_a_merged_entity_moves_its_history() {
    let a = samples_with_duplicates();
    a.ok(&["entities", "merge", "Russian army", "Russian Armed Forces"]);
    a.ok(&[
        "entities",
        "merge",
        "Russian Ministry of Defence",
        "Russian army",
    ]);
    let json = a.ok(&["entities", "show", "Russian Armed Forces", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["entity"]["name"], "Russian Ministry of Defence");
    let merged: Vec<&str> = v["merges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["merged_name"].as_str().unwrap())
        .collect();
    assert_eq!(merged, ["Russian Armed Forces", "Russian army"]);
    assert_eq!(
        a.scalar::<i64>(
            "SELECT count(*) FROM entity_merges WHERE kept_id NOT IN (SELECT id FROM entities)"
        ),
        0
    );
    // Every spelling of all three names the kept entity.
    for name in [
        "Russian military",
        "Russian army",
        "Russian MoD",
        "Russian forces",
    ] {
        let json = a.ok(&["entities", "show", name, "-f", "json"]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["entity"]["name"], "Russian Ministry of Defence", "{name}");
    }
    a.ok(&["check"]);
}

// ---------------------------------------------------------------------------
// a generated archive

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn merges_keep_every_query_on_generated_data() {
    let a = Archive::new();
    a.write(
        "entities.csv",
        "name,kind,aliases,class\n\
         Shahed-136,weapon,Shahed,drone\n\
         Geran-2,weapon,Geran,drone\n\
         Kh-101,weapon,,cruise_missile\n\
         Kh-555,weapon,,cruise_missile\n\
         Wagner Group,organisation,Wagner,\n\
         Wagner PMC,organisation,,\n\
         Kharkiv,place,Kharkov,\n\
         Kharkiv city,place,,\n",
    );
    let mut rng = Rng(7);
    let mut events = String::new();
    for i in 0..600 {
        let (y, m, d) = (
            2024 + rng.next() % 2,
            1 + rng.next() % 12,
            1 + rng.next() % 28,
        );
        let precision = rng.pick(&["day", "day", "day", "month"]);
        let actors = rng.pick(&[
            "Wagner Group",
            "Wagner PMC",
            "Wagner Group\",\"Wagner PMC",
            "Russian Armed Forces",
        ]);
        let place = rng.pick(&["Kharkiv", "Kharkiv city", "Kharkov", "Sumy"]);
        let drone = rng.pick(&["Shahed-136", "Geran-2", "Shahed"]);
        let missile = rng.pick(&["Kh-101", "Kh-555"]);
        let mut figures = vec![format!(
            r#"{{"kind":"launched","weapon":"{drone}","value":{}}}"#,
            rng.next() % 500
        )];
        if rng.next().is_multiple_of(3) {
            figures.push(format!(
                r#"{{"kind":"destroyed","weapon":"{missile}","value":{}}}"#,
                rng.next() % 20
            ));
        }
        if rng.next().is_multiple_of(4) {
            figures.push(format!(r#"{{"kind":"killed","value":{}}}"#, rng.next() % 9));
        }
        events.push_str(&format!(
            r#"{{"event_id":"g-{i}","date":"{y}-{m:02}-{d:02}","date_precision":"{precision}","type":"{}","country":"Ukraine","region":"{}","location":"{place}","actors":["{actors}"],"weapon":["{drone}","{missile}"],"figures":[{}]}}"#,
            rng.pick(&["air_attack", "shelling", "battle"]),
            rng.pick(&["Kharkiv Oblast", "Sumy Oblast", ""]),
            figures.join(",")
        ));
        events.push('\n');
    }
    a.write("events.ndjson", &events);
    a.ok(&["import", "entities.csv", "events.ndjson"]);

    merge_and_compare(&a, "organisation", "Wagner Group", "Wagner PMC");
    merge_and_compare(&a, "place", "Kharkiv", "Kharkiv city");
    merge_and_compare(&a, "weapon", "Shahed-136", "Geran-2");
    merge_and_compare(&a, "weapon", "Kh-555", "Kh-101");

    let after = answers(&a);
    a.ok(&["import", "--force", "entities.csv", "events.ndjson"]);
    assert_eq!(answers(&a), after);
    // Wagner Group, Kharkiv, Shahed-136 and Kh-555, and the Russian Armed Forces and Sumy
    // that events named.
    assert_eq!(a.count("entities"), 6);
}

#[test]
fn misspelt_names_get_the_nearest_spellings_as_suggestions() {
    let a = Archive::with_samples();
    for (typed, suggested) in [
        ("Kharkif", "the place \"Kharkiv\""),
        ("Zelenskky", "the person \"Volodymyr Zelenskyy\""),
        ("Kh101", "the weapon \"Kh-101/Kh-555\""),
    ] {
        let err = a.fails(&["entities", "show", typed]);
        assert!(
            err.contains(&format!("did you mean {suggested}")),
            "{typed}: {err}"
        );
    }
    // One letter suggests nothing rather than anything containing it.
    let err = a.fails(&["entities", "show", "x"]);
    assert!(!err.contains("did you mean"), "{err}");
}

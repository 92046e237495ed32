//! `sitrep entities list|show|alias`, through the binary: look-ups by any spelling (case
//! and accents folded), the refusals (unknown names, ambiguous kinds, taken spellings, a
//! missing archive), and the guarantee that spellings leave every built-in query's answer
//! as it was.

mod common;

use std::collections::BTreeMap;

use common::Archive;

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
}

#[test]
fn commands_on_a_missing_archive_fail_and_create_nothing() {
    let a = Archive::new();
    for args in [
        &["entities", "list"][..],
        &["entities", "show", "Kyiv"],
        &["entities", "alias", "Kyiv", "Kiev"],
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

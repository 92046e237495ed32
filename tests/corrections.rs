//! Regression tests for bugs that were fixed: partial corrections, export round trips of
//! `extra`/`version` and `;` in list items, events reported by several articles, figure
//! sets, JSON values where one value belongs, `--skip-bad` edge cases, id-less event keys,
//! `--to` with a month, `-p` binding, failed and dry-run imports into a new archive, and
//! events built from several rows.
//!
//! Files are written into the archive's directory (the commands' working directory) and
//! named relatively, so that summaries and messages can be compared exactly.

mod common;

use common::{Archive, finish, sitrep_in};
use rusqlite::types::Value;

/// Every row of a query on the archive, one `|`-joined line per row (NULL as `NULL`).
fn rows(archive: &Archive, sql: &str) -> Vec<String> {
    let conn = archive.conn();
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let n = stmt.column_count();
    let mut out = Vec::new();
    let mut rs = stmt.query([]).unwrap();
    while let Some(row) = rs.next().unwrap() {
        let cells: Vec<String> = (0..n)
            .map(|i| match row.get::<_, Value>(i).unwrap() {
                Value::Null => "NULL".to_string(),
                Value::Integer(v) => v.to_string(),
                Value::Real(v) => v.to_string(),
                Value::Text(v) => v,
                Value::Blob(v) => format!("{v:?}"),
            })
            .collect();
        out.push(cells.join("|"));
    }
    out
}

/// The one-line summary `import` prints for a file.
fn summary(file: &str, what: &str, [a, u, same, r]: [u32; 4]) -> String {
    format!("{file}: {what}: {a} added, {u} updated, {same} unchanged, {r} rejected\n")
}

// ---------------------------------------------------------------------------
// 1. A partial re-import keeps the columns the file lacks
// ---------------------------------------------------------------------------

#[test]
fn partial_reimport_keeps_columns_the_file_lacks() {
    // Entities: a row with only name, kind and aliases adds the alias and keeps the rest.
    let a = Archive::new();
    a.write(
        "weapons.csv",
        "name,kind,class,country,description\nShahed-136,weapon,drone,Iran,loitering munition\n",
    );
    a.write(
        "launches.csv",
        "event_id,date,figures\n\
         E1,2025-06-01,\"[{\"\"kind\"\":\"\"launched\"\",\"\"weapon\"\":\"\"Shahed-136\"\",\"\"value\"\":100}]\"\n",
    );
    a.ok(&["import", "weapons.csv", "launches.csv"]);
    assert_eq!(
        a.query_csv("daily-drones", &[]),
        "date,drones_launched,drones_destroyed\n2025-06-01,100,\n"
    );
    a.write(
        "aliases.csv",
        "name,kind,aliases\nShahed-136,weapon,Geran-2\n",
    );
    assert_eq!(
        a.ok(&["import", "aliases.csv"]),
        summary("aliases.csv", "entities (csv)", [0, 1, 0, 0])
    );
    assert_eq!(
        rows(
            &a,
            "SELECT name, kind, ifnull(class, 'NULL'), ifnull(country, 'NULL'), \
             ifnull(description, 'NULL') FROM entities"
        ),
        ["Shahed-136|weapon|drone|Iran|loitering munition"]
    );
    assert_eq!(
        rows(&a, "SELECT alias FROM entity_aliases ORDER BY alias"),
        ["Geran-2", "Shahed-136"]
    );
    assert_eq!(
        a.query_csv("daily-drones", &[]),
        "date,drones_launched,drones_destroyed\n2025-06-01,100,\n"
    );

    // Events: a row with only id, date and killed keeps type, region, location, notes
    // and the injured figure.
    let e = Archive::new();
    e.write(
        "full.csv",
        "event_id,date,type,region,location,notes,killed,injured\n\
         X1,2025-06-01,strike,Kharkiv,Saltivka,first report,5,7\n",
    );
    e.ok(&["import", "full.csv"]);
    e.write("killed.csv", "event_id,date,killed\nX1,2025-06-01,6\n");
    assert_eq!(
        e.ok(&["import", "killed.csv"]),
        summary("killed.csv", "events (csv)", [0, 1, 0, 0])
    );
    assert_eq!(
        rows(
            &e,
            "SELECT external_id, type, region, location, notes FROM events"
        ),
        ["X1|strike|Kharkiv|Saltivka|first report"]
    );
    assert_eq!(
        rows(&e, "SELECT kind, value FROM quantities ORDER BY kind"),
        ["injured|7", "killed|6"]
    );

    // Articles: a row with only url and title keeps body and author.
    let r = Archive::new();
    r.write(
        "full.csv",
        "url,title,body,author\nhttps://a.test/1,Old title,The body,Ann Author\n",
    );
    r.ok(&["import", "full.csv"]);
    r.write("title.csv", "url,title\nhttps://a.test/1,New title\n");
    assert_eq!(
        r.ok(&["import", "title.csv"]),
        summary("title.csv", "articles (csv)", [0, 1, 0, 0])
    );
    assert_eq!(
        rows(&r, "SELECT url, title, body, author FROM articles"),
        ["https://a.test/1|New title|The body|Ann Author"]
    );
}

// ---------------------------------------------------------------------------
// 2. Export keeps `extra` and `version`
// ---------------------------------------------------------------------------

const ACLED: &str = "\
event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp,tags
UKR1,2025-06-01,2025,1,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,8,Civilians (Ukraine),,7,87,Europe,Ukraine,Kharkiv,Kharkivskyi,Kharkiv,Kharkiv,49.9935,36.2304,1,Ukrainska Pravda; Suspilne,National,\"Strike on Kharkiv, 3 killed.\",3,1749600000,
UKR2,2025-06-02,2025,2,Battles,Armed clash,Military Forces of Russia (2000-),,8,Military Forces of Ukraine (2019-),,1,18,Europe,Ukraine,Donetsk,Pokrovskyi,Pokrovska,Pokrovsk,48.28,37.18,2,Ministry of Defence of Ukraine,Other,Clash near Pokrovsk.,0,1749700000,crowd size=no report
";

#[test]
fn export_keeps_extra_and_version() {
    let a = Archive::new();
    a.write("acled.csv", ACLED);
    a.ok(&["import", "--preset", "acled", "acled.csv"]);
    let sql = "SELECT external_id, extra, version FROM events ORDER BY external_id";
    let original = rows(&a, sql);
    assert_eq!(
        original,
        [
            r#"UKR1|{"admin2":"Kharkivskyi","admin3":"Kharkiv","geo_precision":"1","inter1":"8","inter2":"7","interaction":"87","region":"Europe","source":"Ukrainska Pravda; Suspilne","source_scale":"National","year":"2025"}|1749600000"#,
            r#"UKR2|{"admin2":"Pokrovskyi","admin3":"Pokrovska","geo_precision":"2","inter1":"8","inter2":"1","interaction":"18","region":"Europe","source":"Ministry of Defence of Ukraine","source_scale":"Other","tags":"crowd size=no report","year":"2025"}|1749700000"#,
        ]
    );
    a.ok(&["export", "events", "--format", "json", "-o", "events.json"]);
    a.ok(&["export", "events", "--format", "csv", "-o", "events.csv"]);

    for (file, format) in [("events.json", "json"), ("events.csv", "csv")] {
        let fresh = Archive::new();
        let copy = fresh.write(file, std::fs::read(a.dir.path().join(file)).unwrap());
        fresh.import(&[&copy]);
        assert_eq!(rows(&fresh, sql), original, "{format} export");

        assert_eq!(
            a.ok(&["import", file]),
            summary(file, &format!("events ({format})"), [0, 0, 2, 0]),
        );
    }
    assert_eq!(rows(&a, sql), original);
}

// ---------------------------------------------------------------------------
// 3. One event reported by two articles
// ---------------------------------------------------------------------------

#[test]
fn one_event_in_two_articles_merges_and_reimports_unchanged() {
    let a = Archive::new();
    a.write(
        "two.json",
        r#"[
  {"url": "https://a.test/1", "title": "One",
   "events": [{"event_id": "EV1", "date": "2025-06-01", "type": "strike", "killed": 3}]},
  {"url": "https://a.test/2", "title": "Two",
   "events": [{"event_id": "EV1", "date": "2025-06-01", "injured": 4}]}
]"#,
    );
    a.ok(&["import", "two.json"]);
    assert_eq!(a.count("events"), 1);
    assert_eq!(
        rows(&a, "SELECT external_id, type FROM events"),
        ["EV1|strike"]
    );
    assert_eq!(
        rows(&a, "SELECT kind, value FROM quantities ORDER BY kind"),
        ["injured|4", "killed|3"]
    );
    assert_eq!(a.count("event_articles"), 2);

    let before = a.dump();
    let out = a.ok(&["import", "--force", "two.json"]);
    assert_eq!(
        out,
        format!(
            "{}{}",
            summary("two.json", "articles (json)", [0, 0, 2, 0]),
            summary("two.json", "events in articles", [0, 0, 2, 0])
        )
    );
    assert!(out.contains("events in articles: 0 added, 0 updated, 2 unchanged"));
    // Only the imports table grows.
    let strip = |d: &str| {
        d.split("== ")
            .filter(|t| !t.starts_with("imports\n"))
            .collect::<Vec<_>>()
            .join("== ")
    };
    assert_eq!(strip(&a.dump()), strip(&before));
}

// ---------------------------------------------------------------------------
// 4. A `figures` list is the event's whole set
// ---------------------------------------------------------------------------

#[test]
fn figures_list_replaces_the_events_figures() {
    let a = Archive::new();
    a.write(
        "weapons.csv",
        "name,kind,class\nShahed-136,weapon,drone\nIskander-M,weapon,ballistic_missile\n",
    );
    a.write(
        "both.ndjson",
        r#"{"event_id":"F1","date":"2025-06-01","figures":[{"kind":"launched","weapon":"Shahed-136","value":100},{"kind":"launched","weapon":"Iskander-M","value":3}]}
"#,
    );
    a.ok(&["import", "weapons.csv", "both.ndjson"]);
    let figures = "SELECT q.kind, q.value, e.name FROM quantities q \
                   JOIN entities e ON e.id = q.weapon_id ORDER BY e.name";
    assert_eq!(
        rows(&a, figures),
        ["launched|3|Iskander-M", "launched|100|Shahed-136"]
    );
    assert_eq!(
        a.query_csv("daily-missiles", &[]),
        "date,missiles_launched,missiles_destroyed\n2025-06-01,3,\n"
    );

    a.write(
        "shahed.ndjson",
        r#"{"event_id":"F1","date":"2025-06-01","figures":[{"kind":"launched","weapon":"Shahed-136","value":100}]}
"#,
    );
    assert_eq!(
        a.ok(&["import", "shahed.ndjson"]),
        summary("shahed.ndjson", "events (ndjson)", [0, 1, 0, 0])
    );
    assert_eq!(rows(&a, figures), ["launched|100|Shahed-136"]);
    assert_eq!(
        a.query_csv("daily-missiles", &[]),
        "date,missiles_launched,missiles_destroyed\n"
    );

    a.write(
        "empty.ndjson",
        r#"{"event_id":"F1","date":"2025-06-01","figures":[{"kind":"launched","weapon":"Shahed-136","value":""}]}
"#,
    );
    assert_eq!(
        a.ok(&["import", "empty.ndjson"]),
        summary("empty.ndjson", "events (ndjson)", [0, 1, 0, 0])
    );
    assert_eq!(a.count("quantities"), 0);
    assert_eq!(a.count("events"), 1);
}

// ---------------------------------------------------------------------------
// 5. A JSON list or object where one value belongs
// ---------------------------------------------------------------------------

#[test]
fn json_list_where_one_value_belongs_is_an_error_naming_key_and_value() {
    let a = Archive::new();
    a.write("first.csv", "event_id,date,killed\nz,2025-05-31,1\n");
    a.ok(&["import", "first.csv"]);
    let before = a.dump();

    a.write(
        "list.ndjson",
        "{\"event_id\":\"a\",\"date\":\"2025-06-01\",\"killed\":[5]}\n",
    );
    let err = a.fails(&["import", "list.ndjson"]);
    assert!(
        err.contains(r#"list.ndjson: line 1, column "killed", value "[5]""#),
        "{err}"
    );
    assert!(err.contains("single value"), "{err}");
    assert_eq!(a.dump(), before);
    assert_eq!(rows(&a, "SELECT external_id FROM events"), ["z"]);
}

// ---------------------------------------------------------------------------
// 6. --skip-bad and a rolled-back row that named a new figure kind
// ---------------------------------------------------------------------------

#[test]
fn skip_bad_keeps_a_new_figure_kind_named_by_a_rejected_row() {
    let a = Archive::new();
    a.write(
        "weapons.csv",
        "name,kind,class,aliases\nShahed-136,weapon,drone,Geran-2\n",
    );
    a.ok(&["import", "weapons.csv"]);
    a.write(
        "tanks.ndjson",
        r#"{"event_id":"a","date":"2025-06-01","figures":[{"kind":"tanks","value":1,"weapon":"Shahed-136"},{"kind":"tanks","value":2,"weapon":"Geran-2"}]}
{"event_id":"b","date":"2025-06-01","figures":[{"kind":"tanks","value":1}]}
"#,
    );
    let (out, err) = a.ok_both(&["import", "--skip-bad", "tanks.ndjson"]);
    assert_eq!(
        out,
        summary("tanks.ndjson", "events (ndjson)", [1, 0, 0, 1])
    );
    assert!(err.contains("tanks.ndjson: line 1"), "{err}");
    assert_eq!(
        rows(
            &a,
            "SELECT e.external_id, q.kind, q.value, ifnull(q.weapon_id, 'NULL') \
             FROM quantities q JOIN events e ON e.id = q.event_id"
        ),
        ["b|tanks|1|NULL"]
    );
    assert_eq!(rows(&a, "SELECT external_id FROM events"), ["b"]);
    assert_eq!(
        a.scalar::<i64>("SELECT count(*) FROM figure_kinds WHERE name = 'tanks'"),
        1
    );
}

// ---------------------------------------------------------------------------
// 7. --skip-bad and a rejected article whose url comes again
// ---------------------------------------------------------------------------

#[test]
fn skip_bad_rejected_article_url_can_come_again() {
    let a = Archive::new();
    a.write(
        "articles.json",
        r#"[{"url":"https://a.test/1","title":"T","entities":["Nobody Known"]},{"url":"https://a.test/1","title":"T fixed"}]"#,
    );
    let (out, err) = a.ok_both(&["import", "--skip-bad", "articles.json"]);
    assert_eq!(
        out,
        summary("articles.json", "articles (json)", [1, 0, 0, 1])
    );
    assert!(err.contains("articles.json: element 1"), "{err}");
    assert!(err.contains("Nobody Known"), "{err}");
    assert_eq!(
        rows(&a, "SELECT url, title FROM articles"),
        ["https://a.test/1|T fixed"]
    );
    assert_eq!(a.count("entities"), 0);
    assert_eq!(a.count("article_entities"), 0);
}

// ---------------------------------------------------------------------------
// 8. Id-less events are keyed regardless of column order
// ---------------------------------------------------------------------------

#[test]
fn idless_event_key_ignores_column_order() {
    let a = Archive::new();
    a.write("one.csv", "date,killed,injured\n2025-06-01,3,4\n");
    a.write("two.csv", "date,injured,killed\n2025-06-01,4,3\n");
    assert_eq!(
        a.ok(&["import", "one.csv"]),
        summary("one.csv", "events (csv)", [1, 0, 0, 0])
    );
    assert_eq!(
        a.ok(&["import", "two.csv"]),
        summary("two.csv", "events (csv)", [0, 0, 1, 0])
    );
    assert_eq!(a.count("events"), 1);
    assert_eq!(
        rows(&a, "SELECT kind, value FROM quantities ORDER BY kind"),
        ["injured|4", "killed|3"]
    );
}

// ---------------------------------------------------------------------------
// 9. CSV export round trip of list items containing `;`
// ---------------------------------------------------------------------------

#[test]
fn csv_export_round_trips_list_items_with_semicolons() {
    let a = Archive::new();
    a.write(
        "event.ndjson",
        r#"{"event_id":"s1","date":"2025-06-01","actors":["Smith; Jones LLP"],"article_url":["https://x.test/p;jsessionid=1"]}
"#,
    );
    a.ok(&["import", "event.ndjson"]);
    a.ok(&["export", "events", "--format", "csv", "-o", "events.csv"]);

    let fresh = Archive::new();
    let copy = fresh.write(
        "events.csv",
        std::fs::read(a.dir.path().join("events.csv")).unwrap(),
    );
    fresh.import(&[&copy]);
    for archive in [&a, &fresh] {
        assert_eq!(
            rows(archive, "SELECT name, kind FROM entities"),
            ["Smith; Jones LLP|organisation"]
        );
        assert_eq!(
            rows(
                archive,
                "SELECT e.name, l.role FROM event_entities l JOIN entities e ON e.id = l.entity_id"
            ),
            ["Smith; Jones LLP|actor"]
        );
        assert_eq!(
            rows(archive, "SELECT url FROM articles"),
            ["https://x.test/p;jsessionid=1"]
        );
        assert_eq!(archive.count("event_articles"), 1);
    }

    assert_eq!(
        a.ok(&["import", "events.csv"]),
        summary("events.csv", "events (csv)", [0, 0, 1, 0])
    );
    assert_eq!(a.count("entities"), 1);
    assert_eq!(a.count("articles"), 1);
}

// ---------------------------------------------------------------------------
// 10. A JSON array element that is not an object
// ---------------------------------------------------------------------------

#[test]
fn json_array_element_that_is_not_an_object() {
    let a = Archive::new();
    a.write("mixed.json", r#"[{"event_id":"a","date":"2025-06-01"}, 5]"#);
    let err = a.fails(&["import", "mixed.json"]);
    assert!(err.contains("mixed.json: element 2"), "{err}");
    assert!(!a.db.exists(), "a failed first import leaves no archive");

    let (out, err) = a.ok_both(&["import", "--skip-bad", "--rejects", "r.csv", "mixed.json"]);
    assert_eq!(out, summary("mixed.json", "events (json)", [1, 0, 0, 1]));
    assert!(err.contains("mixed.json: element 2"), "{err}");
    assert_eq!(rows(&a, "SELECT external_id FROM events"), ["a"]);

    let rejects = std::fs::read_to_string(a.dir.path().join("r.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(rejects.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 1, "{rejects}");
    let cell = |name: &str| {
        let i = headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column in {rejects}"));
        records[0][i].to_string()
    };
    assert_eq!(cell("record"), "5");
    assert_eq!(cell("sitrep_line"), "element 2");
    assert_eq!(cell("sitrep_file"), "mixed.json");
}

// ---------------------------------------------------------------------------
// 11. --to with a month includes the whole month
// ---------------------------------------------------------------------------

#[test]
fn to_with_a_month_includes_its_last_day() {
    let a = Archive::new();
    a.write(
        "days.csv",
        "event_id,date,killed\nd1,2025-06-01,1\nd2,2025-06-30,2\nd3,2025-07-01,4\nd0,2025-05-31,8\n",
    );
    a.ok(&["import", "days.csv"]);
    assert_eq!(
        a.query_csv(
            "daily-casualties",
            &["--from", "2025-06", "--to", "2025-06"]
        ),
        "date,killed,injured\n2025-06-01,1,\n2025-06-30,2,\n"
    );
}

// ---------------------------------------------------------------------------
// 12. -p binding
// ---------------------------------------------------------------------------

fn archive_for_sql() -> Archive {
    let a = Archive::new();
    a.write("one.csv", "event_id,date\ne,2025-06-01\n");
    a.ok(&["import", "one.csv"]);
    a
}

#[test]
fn parameter_given_twice_is_an_error_and_numbers_bind_as_numbers() {
    let a = archive_for_sql();
    let err = a.fails(&["sql", "SELECT :k AS k", "-p", "k=1", "-p", "k=2"]);
    assert!(err.contains("the parameter is given twice"), "{err}");
    assert!(err.contains("-p k="), "{err}");

    assert_eq!(
        a.ok(&[
            "sql",
            "SELECT :k AS k, typeof(:k) AS t",
            "-p",
            "k=123",
            "-f",
            "csv"
        ]),
        "k,t\n123,integer\n"
    );
}

#[test]
fn parameter_with_a_leading_zero_stays_text() {
    // sitrep --db x.db sql "SELECT :k AS k, typeof(:k) AS t" -p k=0123 -f csv
    // prints `123,real`; expected `0123,text`.
    let a = archive_for_sql();
    assert_eq!(
        a.ok(&[
            "sql",
            "SELECT :k AS k, typeof(:k) AS t",
            "-p",
            "k=0123",
            "-f",
            "csv"
        ]),
        "k,t\n0123,text\n"
    );
}

// ---------------------------------------------------------------------------
// 13. Failed and dry-run imports into a new archive create nothing
// ---------------------------------------------------------------------------

#[test]
fn failed_or_dry_run_import_into_a_new_archive_creates_no_file() {
    let a = Archive::new();
    let dir = a.dir.path();
    a.write("bad.csv", "event_id,date,killed\nb1,2025-06-01,-3\n");
    let run = finish(sitrep_in(dir).args(["--db", "new.db", "import", "bad.csv"]));
    assert!(!run.success, "{}", run.stdout);
    assert!(
        run.stderr.contains("a count cannot be negative"),
        "{}",
        run.stderr
    );
    for name in ["new.db", "new.db-wal", "new.db-shm", "new.db-journal"] {
        assert!(!dir.join(name).exists(), "{name} was left behind");
    }

    a.write("good.csv", "event_id,date,killed\ng1,2025-06-01,3\n");
    let run = finish(sitrep_in(dir).args(["--db", "dry.db", "import", "--dry-run", "good.csv"]));
    assert!(run.success, "{}", run.stderr);
    assert!(run.stdout.contains("dry run"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("good.csv: events (csv): 1 added, 0 updated, 0 unchanged, 0 rejected"),
        "{}",
        run.stdout
    );
    for name in ["dry.db", "dry.db-wal", "dry.db-shm", "dry.db-journal"] {
        assert!(!dir.join(name).exists(), "{name} was created");
    }
}

// ---------------------------------------------------------------------------
// 14. Events built from several rows (air-force-daily)
// ---------------------------------------------------------------------------

const AF_HEADER: &str = "time_start,time_end,model,launch_place,launched,destroyed,source\n";

fn af_rows(second_place: &str) -> String {
    format!(
        "{AF_HEADER}\
         2025-05-31 19:30,2025-06-01 13:30,Shahed-136/131,Kursk oblast,100.0,80.0,kpszsu/posts/x\n\
         2025-05-31 19:30,2025-06-01 13:30,Iskander-M,{second_place},5.0,4.0,kpszsu/posts/x\n"
    )
}

#[test]
fn multi_row_event_extra_gathers_each_rows_values_without_piling_up() {
    let a = Archive::new();
    a.write("af.csv", af_rows("Oryol oblast"));
    // --force: the second import reads the unchanged file again instead of skipping it.
    let import = || a.ok(&["import", "--force", "--preset", "air-force-daily", "af.csv"]);
    assert_eq!(import(), summary("af.csv", "events (csv)", [2, 0, 0, 0]));
    assert_eq!(a.count("events"), 1);
    assert_eq!(
        rows(&a, "SELECT external_id, extra FROM events"),
        [r#"kpszsu/posts/x @ 2025-06-01 13:30|{"launch_place":["Kursk oblast","Oryol oblast"]}"#]
    );

    assert_eq!(import(), summary("af.csv", "events (csv)", [0, 0, 2, 0]));
    assert_eq!(
        a.scalar::<String>("SELECT extra FROM events"),
        r#"{"launch_place":["Kursk oblast","Oryol oblast"]}"#
    );

    a.write("af.csv", af_rows("Bryansk oblast"));
    import();
    assert_eq!(
        a.scalar::<String>("SELECT extra FROM events"),
        r#"{"launch_place":["Kursk oblast","Bryansk oblast"]}"#
    );
    assert_eq!(import(), summary("af.csv", "events (csv)", [0, 0, 2, 0]));
    assert_eq!(
        a.scalar::<String>("SELECT extra FROM events"),
        r#"{"launch_place":["Kursk oblast","Bryansk oblast"]}"#
    );
}

#[test]
fn multi_row_event_changed_extra_is_reported_as_an_update() {
    // sitrep import --preset air-force-daily af.csv        (launch places Kursk, Oryol)
    // edit the second row's launch_place to Bryansk, import again:
    //   af.csv: events (csv): 0 added, 0 updated, 2 unchanged, 0 rejected
    // although events.extra changed; events.import_id still names the first import.
    let a = Archive::new();
    a.write("af.csv", af_rows("Oryol oblast"));
    a.ok(&["import", "--preset", "air-force-daily", "af.csv"]);
    a.write("af.csv", af_rows("Bryansk oblast"));
    let out = a.ok(&["import", "--preset", "air-force-daily", "af.csv"]);
    assert!(!out.contains(" 0 updated"), "{out}");
    assert_eq!(
        a.scalar::<i64>("SELECT import_id FROM events"),
        a.scalar::<i64>("SELECT max(id) FROM imports")
    );
}

#[test]
fn multi_row_event_same_weapon_twice_with_different_values_is_refused() {
    // Two rows of report kpszsu/posts/x, both Shahed-136/131 (launched 100 and 50): a
    // report names each weapon once, so the second row is an error, not a silent overwrite.
    let a = Archive::new();
    a.write(
        "af.csv",
        format!(
            "{AF_HEADER}\
             2025-05-31 19:30,2025-06-01 13:30,Shahed-136/131,Kursk oblast,100.0,80.0,kpszsu/posts/x\n\
             2025-05-31 19:30,2025-06-01 13:30,Shahed-136/131,Oryol oblast,50.0,40.0,kpszsu/posts/x\n"
        ),
    );
    let failed = a.run(&["import", "--preset", "air-force-daily", "af.csv"]);
    assert!(!failed.success);
    assert!(
        failed.stderr.contains("af.csv: line 3")
            && failed
                .stderr
                .contains("Shahed-136/131 was given a different value"),
        "{}",
        failed.stderr
    );
    assert!(!a.db.exists(), "a failed first import leaves no archive");
    // Skipping bad rows keeps the first and sets the second aside, and again on re-import.
    let skip = || {
        a.ok(&[
            "import",
            "--force",
            "--preset",
            "air-force-daily",
            "--skip-bad",
            "af.csv",
        ])
    };
    assert_eq!(skip(), summary("af.csv", "events (csv)", [1, 0, 0, 1]));
    assert_eq!(skip(), summary("af.csv", "events (csv)", [0, 0, 1, 1]));
    assert_eq!(
        a.scalar::<i64>("SELECT value FROM quantities WHERE kind = 'launched'"),
        100
    );
}

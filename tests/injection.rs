//! Injection strings through every way text reaches sitrep's SQL: saved-query names and
//! descriptions, imported values (ids, places, notes, actors, types, figure kinds' column
//! names), file names and `-p` values. Each must come back exactly as written and change
//! nothing else: SQL is only ever given values as bound parameters.

mod common;

use common::Archive;

/// Strings that would do harm if they were ever spliced into SQL.
const HOSTILE: &[&str] = &[
    "x'); DROP TABLE events; --",
    "\" OR 1=1 --",
    "'; ATTACH DATABASE 'evil.db' AS evil; --",
    "Robert'); DELETE FROM events WHERE ('1'='1",
    "1; PRAGMA writable_schema = ON",
    "%' OR name LIKE '%",
    ":id ?1 $x @y",
    "`]; SELECT load_extension('x')",
    "‘curly’ “quotes” ʼapostropheʼ",
];

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The schema objects and row counts of an archive: what an injection would change.
fn shape(archive: &Archive) -> String {
    let conn = archive.conn();
    let mut stmt = conn
        .prepare("SELECT type || ' ' || name FROM sqlite_master ORDER BY type, name")
        .unwrap();
    let objects: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    format!("{}\n{}", objects.join("\n"), archive.counts())
}

#[test]
fn imported_values_come_back_verbatim_and_change_nothing_else() {
    let archive = Archive::new();
    let mut csv = String::from("event_id,date,type,location,notes,actors,drones_launched\n");
    for (i, s) in HOSTILE.iter().enumerate() {
        csv.push_str(&format!(
            "{},2025-06-{:02},{},{},{},{},{}\n",
            csv_field(&format!("{s}#{i}")),
            i + 1,
            csv_field(s),
            csv_field(s),
            csv_field(s),
            // A list cell in the form `export` writes when items hold `;`.
            csv_field(&serde_json::json!([format!("{s} unit {i}")]).to_string()),
            i + 1
        ));
    }
    // The file's name is text that reaches the archive too.
    let file = archive.write("it's'); DROP TABLE imports; --.csv", csv);
    archive.import(&[&file]);
    let n = HOSTILE.len() as i64;
    assert_eq!(archive.count("events"), n);
    assert_eq!(archive.count("imports"), 1);
    assert_eq!(
        archive.scalar::<String>("SELECT file_name FROM imports"),
        file.display().to_string()
    );
    let before = shape(&archive);

    // Every value reads back exactly, through `sql` with the value bound by -p.
    for (i, s) in HOSTILE.iter().enumerate() {
        let out = archive.ok(&[
            "sql",
            "SELECT external_id, type, location, notes FROM events WHERE location = :place",
            "-p",
            &format!("place={s}"),
            "-f",
            "json",
        ]);
        let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            rows,
            serde_json::json!([{
                "external_id": format!("{s}#{i}"),
                "type": s,
                "location": s,
                "notes": s,
            }]),
            "{s}"
        );
    }
    // Actors became entities under their own whole names, and top-entities names them verbatim.
    let top = archive.ok(&[
        "query",
        "run",
        "top-entities",
        "-p",
        "limit=100",
        "-f",
        "json",
    ]);
    let top: serde_json::Value = serde_json::from_str(&top).unwrap();
    for (i, s) in HOSTILE.iter().enumerate() {
        let name = format!("{s} unit {i}");
        assert!(
            top.as_array()
                .unwrap()
                .iter()
                .any(|r| r["name"] == name.as_str()),
            "{name} missing from {top}"
        );
    }
    // Types are grouped as values: one row per hostile string.
    let by_type = archive.query_csv("events-by-type", &[]);
    assert_eq!(by_type.lines().count() as i64, n + 1, "{by_type}");
    // The built-in daily series still sums the whole file: 1 + 2 + … + n.
    let drones = archive.query_csv("daily-drones", &[]);
    let total: i64 = drones
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse::<i64>().unwrap())
        .sum();
    assert_eq!(total, n * (n + 1) / 2, "{drones}");

    assert_eq!(shape(&archive), before);
    assert!(!archive.dir.path().join("evil.db").exists());
    archive.ok(&["check"]);
}

#[test]
fn saved_query_names_and_descriptions_are_values() {
    let archive = Archive::with_samples();
    let before = shape(&archive);
    for (i, name) in HOSTILE.iter().enumerate() {
        archive.ok(&[
            "query",
            "save",
            "--description",
            name,
            "--sql",
            &format!("SELECT {i} AS n"),
            "--",
            name,
        ]);
    }
    let list = archive.ok(&["query", "list", "-f", "json"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    for (i, name) in HOSTILE.iter().enumerate() {
        let saved = list
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["name"] == *name)
            .unwrap_or_else(|| panic!("{name} not listed in {list}"));
        assert_eq!(saved["description"], *name);
        // Each runs its own statement, found by its exact name.
        assert_eq!(
            archive.ok(&["query", "run", "-f", "csv", "--", name]),
            format!("n\n{i}\n")
        );
        assert!(archive.ok(&["query", "show", "--", name]).contains(name));
    }
    // Deleting one deletes that one only.
    archive.ok(&["query", "delete", "--", HOSTILE[0]]);
    assert_eq!(
        archive.scalar::<i64>("SELECT count(*) FROM saved_queries"),
        HOSTILE.len() as i64 - 1
    );
    // A name that looks like a pattern or a quoted list matches nothing else.
    let err = archive.fails(&["query", "run", "--", "%"]);
    assert!(err.contains("no query named"), "{err}");

    assert_eq!(shape(&archive), before);
    assert!(!archive.dir.path().join("evil.db").exists());
}

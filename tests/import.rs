//! `sitrep import`: every input format, standard input, format sniffing, re-import,
//! updates by external id, all-or-nothing files, aliases, weapon classes and warnings.

mod common;

use std::path::Path;

use common::{Archive, finish, fixture, lines_with};

/// daily-casualties for the three events in tests/fixtures/formats/three.*.
const THREE_CASUALTIES: &str = "date,killed,injured
2025-04-04,20,75
2025-04-13,35,117
2025-04-24,12,90
";

/// Imports one file into a fresh archive and checks the summary, the stored format and
/// the figures the three fixture events carry.
fn import_three(name: &str, contents: &[u8], extra: &[&str], format: &str) {
    let archive = Archive::new();
    let path = archive.write(name, contents);
    let mut args = vec!["import"];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    let out = archive.ok(&args);
    assert_eq!(
        out,
        format!(
            "{}: events ({format}): 3 added, 0 updated, 0 unchanged, 0 rejected\n",
            path.display()
        )
    );
    assert_eq!(
        archive.scalar::<String>("SELECT format FROM imports"),
        format
    );
    assert_eq!(archive.count("events"), 3);
    assert_eq!(
        archive.scalar::<String>("SELECT location FROM events WHERE external_id = 'e-2'"),
        "Kryvyi Rih"
    );
    // "at least 75" keeps its qualifier and counts as 75.
    assert_eq!(
        archive.scalar::<String>(
            "SELECT qualifier || ' ' || value FROM quantities q JOIN events e ON e.id = q.event_id \
             WHERE e.external_id = 'e-2' AND q.kind = 'injured'"
        ),
        "at_least 75"
    );
    assert_eq!(archive.query_csv("daily-casualties", &[]), THREE_CASUALTIES);
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

#[test]
fn csv_file() {
    import_three("three.csv", &read("formats/three.csv"), &[], "csv");
}

#[test]
fn tsv_file() {
    import_three("three.tsv", &read("formats/three.tsv"), &[], "tsv");
}

#[test]
fn json_array_file() {
    import_three("three.json", &read("formats/three.json"), &[], "json");
}

#[test]
fn ndjson_file() {
    import_three("three.ndjson", &read("formats/three.ndjson"), &[], "ndjson");
}

#[test]
fn jsonl_extension_is_ndjson() {
    import_three("three.jsonl", &read("formats/three.ndjson"), &[], "ndjson");
}

#[test]
fn single_json_object_file() {
    let archive = Archive::new();
    let out = archive.import(&[&fixture("formats/one.json")]);
    assert!(
        out.ends_with("one.json: events (json): 1 added, 0 updated, 0 unchanged, 0 rejected\n"),
        "{out}"
    );
    assert_eq!(
        archive.query_csv("daily-casualties", &[]),
        "date,killed,injured\n2025-04-13,35,117\n"
    );
}

#[test]
fn files_without_a_known_extension_are_sniffed() {
    import_three("three", &read("formats/three.csv"), &[], "csv");
    import_three("three.txt", &read("formats/three.tsv"), &[], "tsv");
    import_three("three.data", &read("formats/three.json"), &[], "json");
    import_three("three.log", &read("formats/three.ndjson"), &[], "ndjson");
}

#[test]
fn format_flag_overrides_the_extension() {
    // A TSV file named .csv would read as one column per line; --format says otherwise.
    import_three(
        "mislabelled.csv",
        &read("formats/three.tsv"),
        &["--format", "tsv"],
        "tsv",
    );
}

/// Imports `contents` from standard input and checks the summary names the format.
fn import_stdin(contents: &[u8], extra: &[&str], format: &str) {
    let archive = Archive::new();
    let mut args = vec!["import"];
    args.extend_from_slice(extra);
    args.push("-");
    let mut cmd = archive.cmd(&args);
    cmd.write_stdin(contents.to_vec());
    let run = finish(&mut cmd);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("<stdin>: events ({format}): 3 added, 0 updated, 0 unchanged, 0 rejected\n")
    );
    assert_eq!(
        archive.scalar::<String>("SELECT file_name || ' ' || format FROM imports"),
        format!("<stdin> {format}")
    );
    assert_eq!(archive.query_csv("daily-casualties", &[]), THREE_CASUALTIES);
}

#[test]
fn stdin_is_sniffed_without_format() {
    import_stdin(&read("formats/three.csv"), &[], "csv");
    import_stdin(&read("formats/three.tsv"), &[], "tsv");
    import_stdin(&read("formats/three.json"), &[], "json");
    import_stdin(&read("formats/three.ndjson"), &[], "ndjson");
}

#[test]
fn stdin_with_format_flag() {
    import_stdin(&read("formats/three.csv"), &["--format", "csv"], "csv");
    import_stdin(&read("formats/three.tsv"), &["--format", "tsv"], "tsv");
    import_stdin(
        &read("formats/three.ndjson"),
        &["--format", "ndjson"],
        "ndjson",
    );
    import_stdin(&read("formats/three.json"), &["--format", "json"], "json");
}

#[test]
fn kind_is_told_from_columns_or_given() {
    let archive = Archive::new();
    let out = archive.import(&[&fixture("entities.csv")]);
    assert!(out.contains(": entities (csv): 10 added,"), "{out}");
    // Columns that say nothing: --kind decides.
    let path = archive.write("people.csv", "title,kind\nOleh Syniehubov,person\n");
    let stderr = archive.fails(&["import", path.to_str().unwrap()]);
    assert!(
        stderr.contains("cannot tell what the file holds"),
        "{stderr}"
    );
    assert!(stderr.contains("--kind"), "{stderr}");
    let path = archive.write(
        "people2.csv",
        "entity,entity_type\nOleh Syniehubov,person\n",
    );
    let out = archive.ok(&["import", "--kind", "entities", path.to_str().unwrap()]);
    assert!(out.contains(": entities (csv): 1 added,"), "{out}");
    assert_eq!(
        archive.scalar::<String>("SELECT kind FROM entities WHERE name = 'Oleh Syniehubov'"),
        "person"
    );
}

#[test]
fn headers_match_ignoring_case_and_byte_order_mark() {
    let archive = Archive::new();
    let path = archive.write(
        "bom.csv",
        "\u{feff}Event ID,Date,Killed\r\nb-1,2025-06-01,3\r\nb-2,2025-06-02,4\r\n",
    );
    let out = archive.import(&[&path]);
    assert!(out.ends_with(": events (csv): 2 added, 0 updated, 0 unchanged, 0 rejected\n"));
    assert_eq!(
        archive.query_csv("daily-casualties", &[]),
        "date,killed,injured\n2025-06-01,3,\n2025-06-02,4,\n"
    );
}

#[test]
fn reimport_of_the_same_file_is_unchanged() {
    let archive = Archive::new();
    let entities = fixture("entities.csv");
    let strikes = fixture("strikes.csv");
    archive.import(&[&entities, &strikes]);
    let before = archive.counts();
    let out = archive.import(&[&entities, &strikes]);
    assert_eq!(
        out,
        format!(
            "{}: entities (csv): 0 added, 0 updated, 10 unchanged, 0 rejected\n\
             {}: events (csv): 0 added, 0 updated, 5 unchanged, 0 rejected\n",
            entities.display(),
            strikes.display()
        )
    );
    assert_eq!(before, archive.counts());
}

#[test]
fn events_without_an_id_are_matched_by_content() {
    let archive = Archive::new();
    let path = archive.write(
        "noid.csv",
        "date,location,killed\n2025-06-03,Kyiv,4\n2025-06-04,Odesa,1\n",
    );
    archive.import(&[&path]);
    let out = archive.import(&[Path::new("--force"), &path]);
    assert!(
        out.ends_with(": 0 added, 0 updated, 2 unchanged, 0 rejected\n"),
        "{out}"
    );
    assert_eq!(archive.count("events"), 2);
    assert_eq!(
        archive.scalar::<i64>("SELECT count(*) FROM events WHERE key LIKE '#%'"),
        2
    );
}

#[test]
fn corrected_file_updates_the_event_by_external_id() {
    let archive = Archive::new();
    let v1 = archive.write(
        "v1.csv",
        "event_id,date,notes,killed,injured\n\
         u-1,2025-06-01,first report,3,10\n\
         u-2,2025-06-02,other event,1,1\n",
    );
    let v2 = archive.write(
        "v2.csv",
        "event_id,date,notes,killed,injured\n\
         u-1,2025-06-01,corrected report,4,\n\
         u-2,2025-06-02,other event,1,1\n",
    );
    archive.import(&[&v1]);
    let out = archive.import(&[&v2]);
    assert_eq!(
        out,
        format!(
            "{}: events (csv): 0 added, 1 updated, 1 unchanged, 0 rejected\n",
            v2.display()
        )
    );
    assert_eq!(archive.count("events"), 2);
    let figure = |kind: &str| -> Option<i64> {
        archive.scalar(&format!(
            "SELECT (SELECT value FROM quantities q WHERE q.event_id = e.id AND q.kind = '{kind}') \
             FROM events e WHERE external_id = 'u-1'"
        ))
    };
    assert_eq!(figure("killed"), Some(4));
    // The blanked cell makes the figure unknown: no row at all, not a 0.
    assert_eq!(figure("injured"), None);
    assert_eq!(
        archive.scalar::<i64>(
            "SELECT count(*) FROM quantities q JOIN events e ON e.id = q.event_id \
             WHERE e.external_id = 'u-1' AND q.kind = 'injured'"
        ),
        0
    );
    assert_eq!(
        archive.scalar::<String>("SELECT notes FROM events WHERE external_id = 'u-1'"),
        "corrected report"
    );
    let second: i64 = archive.scalar("SELECT id FROM imports WHERE file_name LIKE '%v2.csv'");
    let first: i64 = archive.scalar("SELECT id FROM imports WHERE file_name LIKE '%v1.csv'");
    assert_ne!(first, second);
    assert_eq!(
        archive.scalar::<i64>("SELECT import_id FROM events WHERE external_id = 'u-1'"),
        second
    );
    // The untouched event still belongs to the first import.
    assert_eq!(
        archive.scalar::<i64>("SELECT import_id FROM events WHERE external_id = 'u-2'"),
        first
    );
    assert_eq!(
        archive.scalar::<String>(&format!(
            "SELECT rows_added || '/' || rows_updated || '/' || rows_unchanged FROM imports WHERE id = {second}"
        )),
        "0/1/1"
    );
    // The daily series follow the correction; the unknown injured count is blank.
    assert_eq!(
        archive.query_csv("daily-casualties", &[]),
        "date,killed,injured\n2025-06-01,4,\n2025-06-02,1,1\n"
    );
}

/// Imports a good file, then a bad one; the bad one must change nothing.
fn assert_rejected_file_changes_nothing(name: &str, bad: &[u8], expected: &[&str]) {
    let archive = Archive::new();
    archive.import(&[&fixture("entities.csv"), &fixture("strikes.csv")]);
    let before = archive.dump();
    let path = archive.write(name, bad);
    let stderr = archive.fails(&["import", path.to_str().unwrap()]);
    assert!(
        stderr.contains(&format!("nothing from {} was imported", path.display())),
        "{stderr}"
    );
    for needle in expected {
        assert!(
            stderr.contains(needle),
            "stderr lacks {needle:?}:\n{stderr}"
        );
    }
    assert_eq!(before, archive.dump(), "the archive changed after {name}");
}

/// Four good rows and one bad one in the middle (line 4).
fn with_bad_row(bad_row: &[u8]) -> Vec<u8> {
    let mut out = b"event_id,date,notes,killed,injured\n\
        r-1,2025-07-01,first,1,2\n\
        r-2,2025-07-02,second,3,4\n"
        .to_vec();
    out.extend_from_slice(bad_row);
    out.extend_from_slice(b"\nr-4,2025-07-04,fourth,5,6\nr-5,2025-07-05,fifth,7,8\n");
    out
}

#[test]
fn rejected_negative_count_leaves_archive_unchanged() {
    assert_rejected_file_changes_nothing(
        "negative.csv",
        &with_bad_row(b"r-3,2025-07-03,third,-3,1"),
        &[
            "negative.csv: line 4",
            "column killed (column 4)",
            "value \"-3\"",
            "negative",
        ],
    );
}

#[test]
fn rejected_bad_date_leaves_archive_unchanged() {
    assert_rejected_file_changes_nothing(
        "baddate.csv",
        &with_bad_row(b"r-3,2025-02-30,third,1,1"),
        &[
            "baddate.csv: line 4",
            "column date (column 2)",
            "value \"2025-02-30\"",
            "February 2025 has no day 30",
        ],
    );
}

#[test]
fn rejected_ragged_row_leaves_archive_unchanged() {
    assert_rejected_file_changes_nothing(
        "ragged.csv",
        &with_bad_row(b"r-3,2025-07-03,third,1"),
        &[
            "ragged.csv: line 4",
            "the row has 4 fields but the header has 5",
        ],
    );
}

#[test]
fn rejected_invalid_utf8_leaves_archive_unchanged() {
    assert_rejected_file_changes_nothing(
        "latin1.csv",
        &with_bad_row(b"r-3,2025-07-03,caf\xe9,1,1"),
        &["latin1.csv: line 4", "column 3 (notes)", "not valid UTF-8"],
    );
}

#[test]
fn rejected_json_element_leaves_archive_unchanged() {
    assert_rejected_file_changes_nothing(
        "bad.json",
        br#"[
  {"event_id": "j-1", "date": "2025-07-01", "killed": 1},
  {"event_id": "j-2", "date": "2025-07-02", "killed": -5},
  {"event_id": "j-3", "date": "2025-07-03", "killed": 1}
]"#,
        &[
            "bad.json: element 2",
            "column \"killed\"",
            "value \"-5\"",
            "negative",
        ],
    );
}

#[test]
fn rejected_second_file_keeps_the_first_and_skips_the_rest() {
    let archive = Archive::new();
    let good = archive.write("good.csv", "event_id,date,killed\ng-1,2025-07-01,1\n");
    let bad = archive.write("bad.csv", "event_id,date,killed\nb-1,not a date,1\n");
    let later = archive.write("later.csv", "event_id,date,killed\nl-1,2025-07-09,1\n");
    let mut cmd = archive.cmd(&["import"]);
    cmd.args([&good, &bad, &later]);
    let run = finish(&mut cmd);
    assert!(!run.success);
    assert!(
        run.stdout
            .contains("good.csv: events (csv): 1 added, 0 updated, 0 unchanged, 0 rejected"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("1 later file(s) were not read"),
        "{}",
        run.stderr
    );
    assert_eq!(
        archive.scalar::<String>("SELECT group_concat(external_id) FROM events"),
        "g-1"
    );
    assert_eq!(archive.count("imports"), 1);
}

#[test]
fn same_event_id_twice_in_one_file_is_rejected() {
    let archive = Archive::new();
    let path = archive.write(
        "dup.csv",
        "event_id,date,killed\nd-1,2025-06-01,1\nd-1,2025-06-02,2\n",
    );
    let stderr = archive.fails(&["import", path.to_str().unwrap()]);
    assert!(stderr.contains("dup.csv: line 3"), "{stderr}");
    assert!(
        stderr.contains("event \"d-1\" appears more than once in this file"),
        "{stderr}"
    );
    assert!(
        !archive.db.exists(),
        "a failed first import leaves no archive"
    );
    // Caught too when the archive already held the event (the first row then changes
    // nothing, so only the import's own record of the events it met can tell).
    let one = archive.write(
        "one.csv",
        "event_id,date,killed
d-1,2025-06-01,1
",
    );
    archive.import(&[&one]);
    let stderr = archive.fails(&["import", path.to_str().unwrap()]);
    assert!(
        stderr.contains("dup.csv: line 3") && stderr.contains("appears more than once"),
        "{stderr}"
    );
    assert_eq!(
        archive.query_csv("daily-casualties", &[]),
        "date,killed,injured\n2025-06-01,1,\n"
    );
}

#[test]
fn aliases_link_spellings_to_one_entity() {
    let archive = Archive::new();
    archive.import(&[&fixture("entities.csv"), &fixture("zelensky.csv")]);
    let conn = archive.conn();
    let mut stmt = conn
        .prepare(
            "SELECT e.external_id, n.id, n.name, l.raw_text FROM event_entities l \
             JOIN entities n ON n.id = l.entity_id JOIN events e ON e.id = l.event_id \
             WHERE n.kind = 'person' ORDER BY e.external_id",
        )
        .unwrap();
    let links: Vec<(String, i64, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(links.len(), 3, "{links:?}");
    let ids: Vec<i64> = links.iter().map(|l| l.1).collect();
    assert!(ids.iter().all(|&id| id == ids[0]), "{links:?}");
    assert!(links.iter().all(|l| l.2 == "Volodymyr Zelenskyy"));
    // The text as each source wrote it is kept.
    let raw: Vec<&str> = links.iter().map(|l| l.3.as_str()).collect();
    assert_eq!(raw, ["Zelensky", "Zelenskiy", "Volodymyr Zelensky"]);
    drop(stmt);
    drop(conn);
    assert_eq!(
        archive.scalar::<i64>("SELECT count(*) FROM entities WHERE kind = 'person'"),
        2
    );
    // Counted together by top-entities.
    assert_eq!(
        archive.query_csv("top-entities", &["-p", "kind=person"]),
        "name,kind,events,articles\nVolodymyr Zelenskyy,person,3,0\n"
    );
    // The same via `sql`.
    assert_eq!(
        archive.ok(&[
            "sql",
            "SELECT count(DISTINCT entity_id) AS people FROM event_entities \
             WHERE raw_text LIKE '%Zelensk%'",
            "-f",
            "csv"
        ]),
        "people\n1\n"
    );
}

#[test]
fn alias_naming_two_entities_is_rejected() {
    let archive = Archive::new();
    archive.import(&[&fixture("entities.csv")]);
    let path = archive.write(
        "clash.csv",
        "name,kind,aliases\nIhor Terekhov,person,Terekhov;Zelensky\n",
    );
    let stderr = archive.fails(&["import", path.to_str().unwrap()]);
    assert!(
        stderr.contains("the alias \"Zelensky\" already names the person \"Volodymyr Zelenskyy\""),
        "{stderr}"
    );
    assert_eq!(archive.count("entities"), 10);
}

const SHAHED_EVENT: &str = r#"[{"event_id": "w-1", "date": "2025-06-01",
  "figures": [{"kind": "launched", "weapon": "Shahed-136/131", "value": 10}]}]"#;

#[test]
fn weapon_figure_counts_as_drone_when_the_class_is_drone() {
    let archive = Archive::new();
    archive.import(&[&fixture("entities.csv")]);
    let path = archive.write("shahed.json", SHAHED_EVENT);
    let (_, stderr) = archive.ok_both(&["import", path.to_str().unwrap()]);
    assert!(
        !stderr.contains("count as neither drones nor missiles"),
        "{stderr}"
    );
    assert_eq!(
        archive.query_csv("daily-drones", &[]),
        "date,drones_launched,drones_destroyed\n2025-06-01,10,\n"
    );
    assert_eq!(
        archive.query_csv("daily-missiles", &[]),
        "date,missiles_launched,missiles_destroyed\n"
    );
}

#[test]
fn weapon_figure_counts_as_missile_when_the_class_is_a_missile() {
    let archive = Archive::new();
    let entities = archive.write(
        "entities.csv",
        "name,kind,class\nShahed-136/131,weapon,cruise_missile\n",
    );
    archive.import(&[&entities]);
    let path = archive.write("shahed.json", SHAHED_EVENT);
    archive.import(&[&path]);
    assert_eq!(
        archive.query_csv("daily-drones", &[]),
        "date,drones_launched,drones_destroyed\n"
    );
    assert_eq!(
        archive.query_csv("daily-missiles", &[]),
        "date,missiles_launched,missiles_destroyed\n2025-06-01,10,\n"
    );
}

#[test]
fn unknown_weapon_warns_and_does_not_count_until_classified() {
    let archive = Archive::new();
    let path = archive.write("shahed.json", SHAHED_EVENT);
    let (out, stderr) = archive.ok_both(&["import", path.to_str().unwrap()]);
    assert!(out.contains("1 added"), "{out}");
    let warnings = lines_with(&stderr, "count as neither drones nor missiles");
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("Shahed-136/131"), "{stderr}");
    assert_eq!(
        archive.query_csv("daily-drones", &[]),
        "date,drones_launched,drones_destroyed\n"
    );
    assert_eq!(
        archive.query_csv("daily-missiles", &[]),
        "date,missiles_launched,missiles_destroyed\n"
    );
    // An entities file that gives the class makes the stored figure count.
    let entities = archive.write(
        "entities.csv",
        "name,kind,class\nShahed-136/131,weapon,drone\n",
    );
    let out = archive.import(&[&entities]);
    assert!(out.contains("0 added, 1 updated"), "{out}");
    assert_eq!(
        archive.query_csv("daily-drones", &[]),
        "date,drones_launched,drones_destroyed\n2025-06-01,10,\n"
    );
}

#[test]
fn weapon_named_by_alias_resolves_to_its_class() {
    let archive = Archive::new();
    archive.import(&[&fixture("entities.csv")]);
    let path = archive.write(
        "geran.ndjson",
        "{\"event_id\": \"g-1\", \"date\": \"2025-06-02\", \"figures\": [{\"kind\": \"launched\", \"weapon\": \"Geran-2\", \"value\": 48}, {\"kind\": \"destroyed\", \"weapon\": \"Geran-2\", \"value\": 30}]}\n",
    );
    archive.import(&[&path]);
    assert_eq!(
        archive.query_csv("daily-drones", &[]),
        "date,drones_launched,drones_destroyed\n2025-06-02,48,30\n"
    );
    assert_eq!(
        archive.scalar::<String>(
            "SELECT DISTINCT w.name FROM quantities q JOIN entities w ON w.id = q.weapon_id"
        ),
        "Shahed-136/131"
    );
}

#[test]
fn same_weapon_twice_in_one_event_is_rejected_not_overwritten() {
    // Regression: the second spelling used to overwrite the first silently, and every
    // re-import of the file then reported "1 updated".
    let archive = Archive::new();
    archive.import(&[&fixture("entities.csv")]);
    let before = archive.dump();
    let path = archive.write(
        "twice.json",
        r#"[{"event_id": "w-2", "date": "2025-06-01", "figures": [
            {"kind": "launched", "weapon": "Shahed-136/131", "value": 10},
            {"kind": "launched", "weapon": "Geran-2", "value": 5}]}]"#,
    );
    let stderr = archive.fails(&["import", path.to_str().unwrap()]);
    assert!(stderr.contains("twice.json: element 1"), "{stderr}");
    assert!(
        stderr.contains("the figure launched for Geran-2 is given twice"),
        "{stderr}"
    );
    assert_eq!(before, archive.dump());
}

#[test]
fn unknown_column_warned_once_naming_it() {
    let archive = Archive::new();
    let path = archive.write(
        "paint.csv",
        "event_id,date,colour,killed\n\
         c-1,2025-06-01,red,1\n\
         c-2,2025-06-02,blue,2\n\
         c-3,2025-06-03,green,3\n",
    );
    let (out, stderr) = archive.ok_both(&["import", path.to_str().unwrap()]);
    assert!(out.contains("3 added"), "{out}");
    assert_eq!(stderr.matches("colour").count(), 1, "{stderr}");
    let warning = lines_with(&stderr, "colour");
    assert!(warning[0].starts_with("sitrep: warning: "), "{stderr}");
    assert!(warning[0].contains("ignored columns"), "{stderr}");
    // The known columns were still read.
    assert_eq!(
        archive.scalar::<i64>("SELECT sum(value) FROM quantities WHERE kind = 'killed'"),
        6
    );
}

#[test]
fn unknown_json_key_warned_once_naming_it() {
    let archive = Archive::new();
    let path = archive.write(
        "paint.ndjson",
        "{\"event_id\": \"c-1\", \"date\": \"2025-06-01\", \"colour\": \"red\"}\n\
         {\"event_id\": \"c-2\", \"date\": \"2025-06-02\", \"colour\": \"blue\"}\n",
    );
    let (_, stderr) = archive.ok_both(&["import", path.to_str().unwrap()]);
    assert_eq!(stderr.matches("colour").count(), 1, "{stderr}");
    assert_eq!(archive.count("events"), 2);
}

#[test]
fn figure_prefix_adds_a_new_kind_of_figure_from_csv() {
    let archive = Archive::new();
    let path = archive.write(
        "tanks.csv",
        "event_id,date,figure:tanks_lost\nk-1,2025-06-01,2\nk-2,2025-06-02,3\n",
    );
    let (_, stderr) = archive.ok_both(&["import", path.to_str().unwrap()]);
    assert!(
        stderr.contains("new kinds of figure: tanks_lost"),
        "{stderr}"
    );
    assert_eq!(
        archive.scalar::<i64>("SELECT sum(value) FROM quantities WHERE kind = 'tanks_lost'"),
        5
    );
}

#[test]
fn figure_prefix_adds_a_new_kind_of_figure_from_ndjson() {
    let archive = Archive::new();
    let path = archive.write(
        "tanks.ndjson",
        "{\"event_id\": \"k-1\", \"date\": \"2025-06-01\", \"figure:tanks_lost\": 2}\n\
         {\"event_id\": \"k-2\", \"date\": \"2025-06-02\", \"figure:tanks_lost\": 3}\n",
    );
    let (_, stderr) = archive.ok_both(&["import", path.to_str().unwrap()]);
    assert!(stderr.contains("tanks_lost"), "{stderr}");
    assert_eq!(
        archive.scalar::<i64>("SELECT sum(value) FROM quantities WHERE kind = 'tanks_lost'"),
        5
    );
}

#[test]
fn cited_articles_become_placeholders_until_imported() {
    let archive = Archive::new();
    let path = archive.write(
        "cites.csv",
        "event_id,date,article_url,killed\np-1,2025-06-01,https://news.test/a,1\n",
    );
    let (_, stderr) = archive.ok_both(&["import", path.to_str().unwrap()]);
    assert!(
        stderr.contains("1 cited articles are not in the archive yet"),
        "{stderr}"
    );
    assert_eq!(
        archive.scalar::<i64>("SELECT placeholder FROM articles WHERE url = 'https://news.test/a'"),
        1
    );
    let articles = archive.write(
        "articles.csv",
        "url,title,published,source\nhttps://news.test/a,Strike overnight,2025-06-01T09:00:00+03:00,Test Wire\n",
    );
    let out = archive.import(&[&articles]);
    assert!(out.contains("articles (csv): 0 added, 1 updated"), "{out}");
    assert_eq!(
        archive.scalar::<String>(
            "SELECT placeholder || ' ' || title || ' ' || published_day FROM articles"
        ),
        "0 Strike overnight 2025-06-01"
    );
    assert_eq!(archive.count("event_articles"), 1);
}

#[test]
fn rows_without_ids_are_keyed_by_content_not_by_the_columns_a_file_has() {
    let archive = Archive::new();
    let narrow = archive.write("narrow.csv", "date,type,killed\n2025-06-01,shelling,3\n");
    let wide = archive.write(
        "wide.csv",
        "date,type,killed,injured,notes\n2025-06-01,shelling,3,,\n",
    );
    let lines = archive.write(
        "same.ndjson",
        "{\"date\": \"2025-06-01\", \"type\": \"shelling\", \"killed\": 3}\n",
    );
    let first = archive.import(&[&narrow]);
    assert!(first.contains("1 added"), "{first}");
    let again = archive.import(&[&wide, &lines]);
    assert_eq!(
        again.matches("0 added, 0 updated, 1 unchanged").count(),
        2,
        "{again}"
    );
    assert_eq!(archive.count("events"), 1);
}

// ---------------------------------------------------------------------------
// Re-importing a file the archive already holds
// ---------------------------------------------------------------------------

const TWO_EVENTS: &str =
    "event_id,date,location,killed\nr-1,2025-06-03,Kyiv,4\nr-2,2025-06-04,Odesa,1\n";

#[test]
fn an_unchanged_file_is_not_read_again_and_force_reads_it() {
    let archive = Archive::new();
    let path = archive.write("two.csv", TWO_EVENTS);
    let file = path.to_str().unwrap();
    archive.import(&[&path]);
    let before = archive.dump();
    let out = archive.ok(&["import", file]);
    assert!(
        out.contains("two.csv: unchanged since import 1 of ")
            && out.contains("(same file, size and modification time, same settings)")
            && out.ends_with(
                "which gave 2 added, 0 updated, 0 unchanged, 0 rejected: not read again \
                 (--force reads it)\n"
            ),
        "{out}"
    );
    assert_eq!(before, archive.dump(), "a skipped import writes nothing");

    // A new modification time alone: the content hash decides.
    let file_handle = std::fs::File::options().write(true).open(&path).unwrap();
    file_handle
        .set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(86_400))
        .unwrap();
    let out = archive.ok(&["import", file]);
    assert!(out.contains("(same content, same settings)"), "{out}");

    let out = archive.ok(&["import", "--force", file]);
    assert!(
        out.ends_with("two.csv: events (csv): 0 added, 0 updated, 2 unchanged, 0 rejected\n"),
        "{out}"
    );
    assert_eq!(archive.count("imports"), 2);
}

#[test]
fn a_file_is_read_again_when_it_its_settings_or_the_archive_changed() {
    let archive = Archive::new();
    let path = archive.write("two.csv", TWO_EVENTS);
    let file = path.to_str().unwrap();
    archive.import(&[&path]);
    let read = |args: &[&str]| {
        let mut all = vec!["import"];
        all.extend_from_slice(args);
        let out = archive.ok(&all);
        assert!(!out.contains("not read again"), "{args:?}: {out}");
        out
    };
    // Other settings: another dataset is another set of events.
    let out = read(&["--dataset", "other", file]);
    assert!(out.contains(": 2 added, 0 updated"), "{out}");
    // A rejects file asks for the rows to be looked at.
    let rejects = archive.dir.path().join("rejects.csv");
    read(&["--skip-bad", "--rejects", rejects.to_str().unwrap(), file]);

    // Another file changed the archive since: reading this one again undoes that.
    let fix = archive.write(
        "fix.csv",
        "event_id,date,location,killed\nr-1,2025-06-03,Kyiv,5\n",
    );
    archive.import(&[&fix]);
    let out = read(&[file]);
    assert!(
        out.ends_with("two.csv: events (csv): 0 added, 1 updated, 1 unchanged, 0 rejected\n"),
        "{out}"
    );
    // Now nothing changed since that import: skipped.
    assert!(archive.ok(&["import", file]).contains("not read again"));

    // The same name with other content is read.
    std::fs::write(&path, TWO_EVENTS.replace(",1\n", ",2\n")).unwrap();
    let out = read(&[file]);
    assert!(out.contains("0 added, 1 updated, 1 unchanged"), "{out}");
}

// ---------------------------------------------------------------------------
// A new archive is built aside and published when the command ends
// ---------------------------------------------------------------------------

/// Names in the archive's directory that start with the archive's file name.
fn archive_files(archive: &Archive) -> Vec<String> {
    let name = archive
        .db
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let mut found: Vec<String> = std::fs::read_dir(archive.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&name))
        .collect();
    found.sort();
    found
}

#[test]
fn a_new_archive_appears_only_when_complete() {
    let archive = Archive::new();
    let good = archive.write("good.csv", TWO_EVENTS);
    let bad = archive.write("bad.csv", "event_id,date,killed\nb-1,2025-06-03,-3\n");
    // The first file fails: no archive, and nothing left beside where it would be.
    let run = archive.run(&["import", bad.to_str().unwrap()]);
    assert!(!run.success);
    assert!(
        archive_files(&archive).is_empty(),
        "{:?}",
        archive_files(&archive)
    );

    // A later file fails: the archive holds what got in before it, with its indexes,
    // a WAL journal and right rollups.
    let run = archive.run(&["import", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert!(!run.success);
    assert!(
        run.stdout.contains("good.csv: events (csv): 2 added"),
        "{}",
        run.stdout
    );
    let name = archive
        .db
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let left = archive_files(&archive);
    assert!(
        left.iter()
            .all(|n| *n == name || n.ends_with("-wal") || n.ends_with("-shm")),
        "{left:?}"
    );
    assert_eq!(archive.count("events"), 2);
    assert_eq!(archive.scalar::<String>("PRAGMA journal_mode"), "wal");
    assert_eq!(archive.scalar::<i64>("PRAGMA page_size"), 65536);
    assert_eq!(
        archive.scalar::<i64>(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'events_date'"
        ),
        1
    );
    assert!(archive.ok(&["check"]).ends_with("rollups)\n"));
}

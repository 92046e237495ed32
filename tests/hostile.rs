//! Hostile and broken files: binary data, NUL bytes, a 10 MB field, 100,000 columns,
//! truncated and deeply nested JSON. Each gives a clear error (exit 1, one `sitrep: error`
//! line naming the file, the archive untouched) or a correct import; never a panic.

mod common;

use common::Archive;

/// Imports `contents` as `name`; (success, stdout, stderr). Asserts that nothing panicked.
fn import(a: &Archive, name: &str, contents: &[u8]) -> (bool, String, String) {
    let path = a.write(name, contents);
    let run = a.run(&["import", "--quiet", path.to_str().unwrap()]);
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "{name}: {}",
        run.stderr
    );
    (run.success, run.stdout, run.stderr)
}

/// Asserts a clear failure that names the file and leaves no archive behind.
fn refused(a: &Archive, name: &str, contents: &[u8]) -> String {
    let (ok, _, stderr) = import(a, name, contents);
    assert!(!ok, "{name} was accepted");
    assert!(stderr.starts_with("sitrep: error: "), "{name}: {stderr}");
    assert!(
        stderr.contains(name),
        "{name}: the error does not name it: {stderr}"
    );
    assert!(
        !a.db.exists(),
        "{name}: a failed first import left an archive"
    );
    stderr
}

#[test]
fn binary_data_is_refused() {
    let a = Archive::new();
    let mut x: u32 = 12345;
    let bytes: Vec<u8> = (0..50_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    refused(&a, "blob.csv", &bytes);
    refused(&a, "blob.json", &bytes);
}

#[test]
fn a_nul_byte_is_refused_with_a_hint() {
    let a = Archive::new();
    let err = refused(&a, "nul.csv", b"event_id,date\nn-1,2025-06-01\x00\n");
    assert!(
        err.contains("NUL bytes") && err.contains("--encoding"),
        "{err}"
    );
}

#[test]
fn a_ten_megabyte_field_is_imported_whole() {
    let a = Archive::new();
    let notes = "x".repeat(10 * 1024 * 1024);
    let csv = format!("event_id,date,notes\nbig-1,2025-06-01,{notes}\nbig-2,2025-06-02,short\n");
    let (ok, out, err) = import(&a, "wide.csv", csv.as_bytes());
    assert!(ok, "{err}");
    assert!(out.contains("2 added"), "{out}");
    assert_eq!(
        a.scalar::<i64>("SELECT length(notes) FROM events WHERE external_id = 'big-1'"),
        10 * 1024 * 1024
    );
}

#[test]
fn a_hundred_thousand_columns_import_with_one_warning() {
    let a = Archive::new();
    let mut header = String::from("event_id,date");
    let mut row = String::from("c-1,2025-06-01");
    for i in 0..100_000 {
        header.push_str(&format!(",col{i}"));
        row.push_str(",v");
    }
    let csv = format!("{header}\n{row}\n");
    let (ok, out, err) = import(&a, "columns.csv", csv.as_bytes());
    assert!(ok, "{err}");
    assert!(out.contains("1 added"), "{out}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].len() < 2000, "the warning lists every column");
    assert!(warnings[0].contains("col0, col1,") && warnings[0].contains(" and 99980 more"));
}

#[test]
fn truncated_json_is_refused_naming_the_line() {
    let a = Archive::new();
    let err = refused(
        &a,
        "cut.json",
        b"[\n{\"url\": \"https://a.test/1\", \"title\": \"One\"},\n{\"url\": \"https://a.test/2\", \"ti",
    );
    assert!(err.contains("line 3"), "{err}");
    refused(
        &a,
        "cut.ndjson",
        b"{\"event_id\": \"a\", \"date\": \"2025-06-01\"}\n{\"event_id\"",
    );
}

#[test]
fn deeply_nested_json_is_refused_not_a_stack_overflow() {
    let a = Archive::new();
    let depth = 100_000;
    let json = format!(
        "[{{\"event_id\": \"d-1\", \"date\": \"2025-06-01\", \"extra\": {}{}}}]",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    refused(&a, "deep.json", json.as_bytes());
    let ndjson = format!(
        "{{\"event_id\": \"d-1\", \"notes\": {}1{}}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    refused(&a, "deep.ndjson", ndjson.as_bytes());
}

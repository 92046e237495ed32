//! Spreadsheet-grade import: encodings, delimiters, header-less and titled files, every
//! date and figure form, ambiguous slash dates, all-or-nothing safety, --skip-bad with a
//! rejects file, --dry-run, and mapping files.
//!
//! Fixtures with special encodings are written byte by byte at run time; each test has its
//! own temporary archive and runs `sitrep` with that directory as its working directory,
//! so messages name files by their short relative names.

use std::path::PathBuf;

use assert_cmd::Command;
use rusqlite::Connection;
use rusqlite::types::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// Helpers (copied here rather than shared, so that this file stands alone)
// ---------------------------------------------------------------------------

/// What a finished command printed.
struct Out {
    stdout: String,
    stderr: String,
    success: bool,
}

/// A temporary directory holding one archive, `archive.db`.
struct Archive {
    dir: TempDir,
    db: PathBuf,
}

impl Archive {
    fn new() -> Archive {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join("archive.db");
        Archive { dir, db }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("sitrep").expect("the sitrep binary is built");
        cmd.env_remove("SITREP_DB")
            .current_dir(self.dir.path())
            .arg("--db")
            .arg(&self.db)
            .args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Out {
        let out = self.cmd(args).output().expect("sitrep runs");
        Out {
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
            success: out.status.success(),
        }
    }

    /// Runs a command that must succeed.
    fn ok(&self, args: &[&str]) -> Out {
        let out = self.run(args);
        assert!(
            out.success,
            "sitrep {args:?} failed\nstdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        );
        out
    }

    /// Runs a command that must fail.
    fn fails(&self, args: &[&str]) -> Out {
        let out = self.run(args);
        assert!(
            !out.success,
            "sitrep {args:?} succeeded but should have failed\nstdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        );
        out
    }

    /// Writes a file (bytes exactly as given) into the archive's directory.
    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write a test file");
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn conn(&self) -> Connection {
        assert!(self.db.exists(), "no archive at {}", self.db.display());
        Connection::open(&self.db).expect("open the archive")
    }

    /// Every row of a query, cells joined with `|` (NULL shown as `NULL`).
    fn rows(&self, sql: &str) -> Vec<String> {
        rows(&self.conn(), sql)
    }

    /// A saved query's CSV output, as lines (header first).
    fn query(&self, name: &str) -> Vec<String> {
        let out = self.ok(&["query", "run", name, "-f", "csv"]);
        out.stdout.lines().map(str::to_string).collect()
    }

    /// Every row of every table, ordered, as text.
    fn dump(&self) -> String {
        dump(&self.conn())
    }

    /// The archive file's bytes after a full checkpoint (so the WAL holds nothing).
    fn checkpointed_bytes(&self) -> Vec<u8> {
        {
            let conn = self.conn();
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            })
            .expect("checkpoint");
        }
        std::fs::read(&self.db).expect("read the archive file")
    }

    /// Both views of "the archive as it is now": its checkpointed bytes and a dump.
    fn snapshot(&self) -> (Vec<u8>, String) {
        let bytes = self.checkpointed_bytes();
        (bytes, self.dump())
    }
}

fn cell(v: Value) -> String {
    match v {
        Value::Null => "NULL".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => t,
        Value::Blob(b) => format!("{b:?}"),
    }
}

fn rows(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let n = stmt.column_count();
    let mut out = Vec::new();
    let mut rows = stmt.query([]).unwrap();
    while let Some(row) = rows.next().unwrap() {
        let cells: Vec<String> = (0..n)
            .map(|i| cell(row.get::<_, Value>(i).unwrap()))
            .collect();
        out.push(cells.join("|"));
    }
    out
}

/// Every row of every table (schema included), in a fixed order.
fn dump(conn: &Connection) -> String {
    let mut out = String::new();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    out.push_str(&format!("user_version={version}\n"));
    let objects = rows(
        conn,
        "SELECT type, name, ifnull(sql, '') FROM sqlite_schema ORDER BY type, name",
    );
    let tables: Vec<String> = rows(
        conn,
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
    );
    for o in objects {
        out.push_str(&o);
        out.push('\n');
    }
    for table in tables {
        let n = conn
            .prepare(&format!("SELECT * FROM \"{table}\""))
            .unwrap()
            .column_count();
        let order: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        out.push_str(&format!("== {table}\n"));
        for r in rows(
            conn,
            &format!("SELECT * FROM \"{table}\" ORDER BY {}", order.join(", ")),
        ) {
            out.push_str(&r);
            out.push('\n');
        }
    }
    out
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

fn utf16be_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

/// The summary line `import` prints for one file.
fn summary(file: &str, kind: &str, format: &str, counts: [u64; 4]) -> String {
    format!(
        "{file}: {kind} ({format}): {} added, {} updated, {} unchanged, {} rejected\n",
        counts[0], counts[1], counts[2], counts[3]
    )
}

/// Events as `external_id|date|location|notes`, ordered by id.
const EVENT_TEXT: &str = "SELECT external_id, date, ifnull(location, 'NULL'), ifnull(notes, 'NULL') FROM events \
     ORDER BY external_id";

/// Figures as `external_id|kind|value|qualifier`, ordered by id and kind.
const FIGURES: &str = "SELECT e.external_id, q.kind, ifnull(q.value, 'NULL'), q.qualifier \
     FROM quantities q JOIN events e ON e.id = q.event_id ORDER BY e.external_id, q.kind";

/// A small, valid events file that creates an archive to compare against.
const BASELINE: &str = "event_id,date,type,location,killed\n\
base-1,2025-05-25,air_attack,Kyiv,12\n\
base-2,2025-05-26,air_attack,Kharkiv,3\n";

// ---------------------------------------------------------------------------
// A. Encodings
// ---------------------------------------------------------------------------

#[test]
fn utf8_with_bom_imports_non_ascii_names() {
    let a = Archive::new();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(
        "event_id,date,location,actors,notes\n\
         u8-1,2025-06-01,Київ,Zelenskyy,Нічна атака; «Шахеди»\n\
         u8-2,2025-06-02,Львів,Sybiha,Zelenskyy met Sybiha in Kyiv\n"
            .as_bytes(),
    );
    a.write("bom.csv", &bytes);
    let out = a.ok(&["import", "bom.csv"]);
    assert_eq!(
        out.stdout,
        summary("bom.csv", "events", "csv", [2, 0, 0, 0])
    );
    // The first header cell is `event_id`, not `\u{feff}event_id`: the ids were read.
    assert_eq!(
        a.rows(EVENT_TEXT),
        [
            "u8-1|2025-06-01|Київ|Нічна атака; «Шахеди»",
            "u8-2|2025-06-02|Львів|Zelenskyy met Sybiha in Kyiv"
        ]
    );
    assert_eq!(
        a.rows(
            "SELECT e.external_id, l.role, n.name, n.kind FROM event_entities l \
             JOIN events e ON e.id = l.event_id JOIN entities n ON n.id = l.entity_id \
             ORDER BY 1, 2"
        ),
        [
            "u8-1|actor|Zelenskyy|organisation",
            "u8-1|location|Київ|place",
            "u8-2|actor|Sybiha|organisation",
            "u8-2|location|Львів|place"
        ]
    );
}

/// What Excel writes as "Unicode text": UTF-16 with a byte-order mark, tab-separated,
/// CRLF line ends, saved as .txt.
const EXCEL_UNICODE_TEXT: &str = "event_id\tdate\tlocation\tactors\tdrones_launched\r\n\
xl-1\t2025-06-01\tКиїв\tZelenskyy\t472\r\n\
xl-2\t2025-06-02\tОдеса\tЗеленський\t80\r\n";

fn check_excel_unicode_text(a: &Archive, file: &str) {
    let out = a.ok(&["import", file]);
    assert_eq!(out.stdout, summary(file, "events", "tsv", [2, 0, 0, 0]));
    assert_eq!(
        a.rows(EVENT_TEXT),
        ["xl-1|2025-06-01|Київ|NULL", "xl-2|2025-06-02|Одеса|NULL"]
    );
    assert_eq!(
        a.rows("SELECT name FROM entities WHERE kind = 'organisation' ORDER BY name"),
        ["Zelenskyy", "Зеленський"]
    );
    assert_eq!(
        a.query("daily-drones"),
        [
            "date,drones_launched,drones_destroyed",
            "2025-06-01,472,",
            "2025-06-02,80,"
        ]
    );
}

#[test]
fn utf16_le_with_bom_tab_separated_imports() {
    let a = Archive::new();
    a.write("unicode-le.txt", utf16le_with_bom(EXCEL_UNICODE_TEXT));
    check_excel_unicode_text(&a, "unicode-le.txt");
}

#[test]
fn utf16_be_with_bom_tab_separated_imports() {
    let a = Archive::new();
    a.write("unicode-be.txt", utf16be_with_bom(EXCEL_UNICODE_TEXT));
    check_excel_unicode_text(&a, "unicode-be.txt");
}

/// `Dnipro – Kharkiv` and `café` in Windows-1252: 0x96 is the en dash, 0xE9 is é.
fn windows_1252_file() -> Vec<u8> {
    let mut bytes = b"event_id,date,location,notes\n".to_vec();
    bytes.extend_from_slice(b"w-1,2025-06-01,Kharkiv,first row is plain ASCII\n");
    bytes.extend_from_slice(b"w-2,2025-06-02,Dnipro \x96 Kharkiv,strike near a caf\xe9\n");
    bytes
}

#[test]
fn windows_1252_file_imports_with_encoding_flag() {
    let a = Archive::new();
    a.write("cp1252.csv", windows_1252_file());
    let out = a.ok(&["import", "--encoding", "windows-1252", "cp1252.csv"]);
    assert_eq!(
        out.stdout,
        summary("cp1252.csv", "events", "csv", [2, 0, 0, 0])
    );
    assert_eq!(
        a.rows(EVENT_TEXT),
        [
            "w-1|2025-06-01|Kharkiv|first row is plain ASCII",
            "w-2|2025-06-02|Dnipro – Kharkiv|strike near a café"
        ]
    );
    // The label is read as encoding_rs reads labels: cp1252 is the same encoding.
    let b = Archive::new();
    b.write("cp1252.csv", windows_1252_file());
    b.ok(&["import", "--encoding", "cp1252", "cp1252.csv"]);
    assert_eq!(b.rows(EVENT_TEXT), a.rows(EVENT_TEXT));
}

#[test]
fn windows_1252_file_without_encoding_is_refused_and_archive_unchanged() {
    let a = Archive::new();
    a.write("baseline.csv", BASELINE);
    a.ok(&["import", "baseline.csv"]);
    let before = a.snapshot();

    a.write("cp1252.csv", windows_1252_file());
    let out = a.fails(&["import", "cp1252.csv"]);
    assert_eq!(out.stdout, "");
    // The first bad byte is on line 3 of the file, in the location column.
    assert!(
        out.stderr
            .contains("cp1252.csv: line 3, column 3 (location), value \"Dnipro \u{fffd} Kharkiv\": not valid UTF-8 (at byte 8)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("--encoding windows-1252"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("nothing from cp1252.csv was imported (the archive is as it was before it)"),
        "{}",
        out.stderr
    );
    let after = a.snapshot();
    assert!(before.0 == after.0, "the archive file's bytes changed");
    assert_eq!(before.1, after.1);
    assert_eq!(a.rows("SELECT count(*) FROM events"), ["2"]);
}

#[test]
fn invalid_utf8_in_a_later_row_names_its_line() {
    let a = Archive::new();
    // 0xC3 0x28 is an invalid two-byte sequence.
    let bytes = b"event_id,date,notes\ne1,2025-06-01,ok\ne2,2025-06-02,also ok\ne3,2025-06-03,bad \xc3\x28 byte\n";
    a.write("broken.csv", bytes);
    let out = a.fails(&["import", "broken.csv"]);
    assert!(
        out.stderr
            .contains("broken.csv: line 4, column 3 (notes), value \"bad \u{fffd}( byte\": not valid UTF-8 (at byte 5)"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--encoding"), "{}", out.stderr);
    assert!(!a.db.exists(), "a failed first import leaves no archive");
}

#[test]
fn unknown_encoding_label_is_refused() {
    let a = Archive::new();
    a.write("x.csv", BASELINE);
    let out = a.fails(&["import", "--encoding", "klingon-1", "x.csv"]);
    assert!(
        out.stderr.contains("unknown encoding \"klingon-1\""),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------
// B. Delimiters and quoting
// ---------------------------------------------------------------------------

#[test]
fn delimiter_is_sniffed_from_the_header() {
    for (delimiter, name) in [
        (",", "comma.csv"),
        (";", "semicolon.csv"),
        ("\t", "tab.csv"),
        ("|", "pipe.csv"),
    ] {
        let a = Archive::new();
        let text = [
            ["event_id", "date", "location", "killed"].join(delimiter),
            ["d-1", "2025-06-01", "Kyiv", "3"].join(delimiter),
            ["d-2", "2025-06-02", "Odesa", "at least 2"].join(delimiter),
        ]
        .join("\n");
        a.write(name, text + "\n");
        let out = a.ok(&["import", name]);
        assert_eq!(out.stdout, summary(name, "events", "csv", [2, 0, 0, 0]));
        assert_eq!(
            a.rows(EVENT_TEXT),
            ["d-1|2025-06-01|Kyiv|NULL", "d-2|2025-06-02|Odesa|NULL"],
            "delimiter {delimiter:?}"
        );
        assert_eq!(
            a.rows(FIGURES),
            ["d-1|killed|3|exact", "d-2|killed|2|at_least"],
            "delimiter {delimiter:?}"
        );
    }
}

#[test]
fn delimiter_flag_overrides_sniffing() {
    // A header-less file whose first line has more commas than semicolons: sniffing would
    // pick the comma; --delimiter ';' reads it right.
    let a = Archive::new();
    a.write(
        "places.txt",
        "p-1;2025-06-01;Kyiv, Odesa, Lviv, Dnipro\np-2;2025-06-02;Sumy\n",
    );
    let out = a.ok(&[
        "import",
        "--format",
        "csv",
        "--delimiter",
        ";",
        "--columns",
        "event_id,date,notes",
        "places.txt",
    ]);
    assert_eq!(
        out.stdout,
        summary("places.txt", "events", "csv", [2, 0, 0, 0])
    );
    assert_eq!(
        a.rows(EVENT_TEXT),
        [
            "p-1|2025-06-01|NULL|Kyiv, Odesa, Lviv, Dnipro",
            "p-2|2025-06-02|NULL|Sumy"
        ]
    );
    // Without the flag the same file is read with commas and its rows are ragged.
    let b = Archive::new();
    b.write(
        "places.txt",
        "p-1;2025-06-01;Kyiv, Odesa, Lviv, Dnipro\np-2;2025-06-02;Sumy\n",
    );
    let out = b.fails(&[
        "import",
        "--format",
        "csv",
        "--columns",
        "event_id,date,notes",
        "places.txt",
    ]);
    assert!(out.stderr.contains("places.txt: line 1"), "{}", out.stderr);

    // `--delimiter tab` names the tab.
    let c = Archive::new();
    c.write(
        "tabbed.csv",
        "event_id\tdate\tnotes\nt-1\t2025-06-01\ta, b; c | d\n",
    );
    c.ok(&["import", "--delimiter", "tab", "tabbed.csv"]);
    assert_eq!(c.rows(EVENT_TEXT), ["t-1|2025-06-01|NULL|a, b; c | d"]);
}

#[test]
fn quoted_fields_hold_delimiters_quotes_and_line_breaks_with_crlf_ends() {
    let a = Archive::new();
    let text = "event_id,date,location,notes\r\n\
                q-1,2025-06-01,\"Dnipro, Dnipropetrovsk oblast\",\"The mayor said \"\"no casualties\"\"\"\r\n\
                q-2,2025-06-02,Kyiv,\"first line\r\nsecond line, with comma\"\r\n\
                q-3,2025-06-03,\"Zaporizhzhia\",plain\r\n";
    a.write("quoted.csv", text);
    let out = a.ok(&["import", "quoted.csv"]);
    assert_eq!(
        out.stdout,
        summary("quoted.csv", "events", "csv", [3, 0, 0, 0])
    );
    assert_eq!(
        a.rows(EVENT_TEXT),
        [
            "q-1|2025-06-01|Dnipro, Dnipropetrovsk oblast|The mayor said \"no casualties\"",
            "q-2|2025-06-02|Kyiv|first line\r\nsecond line, with comma",
            "q-3|2025-06-03|Zaporizhzhia|plain"
        ]
    );
    // No cell keeps the carriage return of its line end.
    assert_eq!(
        a.rows("SELECT count(*) FROM events WHERE date LIKE '%' || char(13) || '%' OR notes LIKE '%' || char(13)"),
        ["0"]
    );

    // Semicolon-separated with quoted semicolons and a line break.
    let b = Archive::new();
    b.write(
        "semi.csv",
        "event_id;date;notes\ns-1;2025-06-01;\"a; b; c\"\ns-2;2025-06-02;\"say \"\"hi\"\"\nnext line\"\n",
    );
    b.ok(&["import", "semi.csv"]);
    assert_eq!(
        b.rows(EVENT_TEXT),
        [
            "s-1|2025-06-01|NULL|a; b; c",
            "s-2|2025-06-02|NULL|say \"hi\"\nnext line"
        ]
    );
}

#[test]
fn ragged_row_is_an_error_naming_its_line() {
    let a = Archive::new();
    // A multi-line quoted field before the ragged row: the line is the file's own.
    a.write(
        "ragged.csv",
        "event_id,date,notes\nr-1,2025-06-01,\"two\nlines\"\nr-2,2025-06-02,ok\nr-3,2025-06-03,one,too many\n",
    );
    let out = a.fails(&["import", "ragged.csv"]);
    assert!(
        out.stderr
            .contains("ragged.csv: line 5: the row has 4 fields but the header has 3"),
        "{}",
        out.stderr
    );
    assert!(!a.db.exists(), "a failed first import leaves no archive");

    a.write(
        "short.csv",
        "event_id,date,notes\nr-1,2025-06-01,x\nr-2,2025-06-02\n",
    );
    let out = a.fails(&["import", "short.csv"]);
    assert!(
        out.stderr
            .contains("short.csv: line 3: the row has 2 fields but the header has 3"),
        "{}",
        out.stderr
    );
    assert!(!a.db.exists(), "a failed first import leaves no archive");
}

#[test]
fn crlf_file_errors_name_the_real_line() {
    // Reproduction: printf 'event_id,date,killed\r\ne1,2025-06-01,3\r\ne2,2025-06-02,-3\r\n' > crlf.csv
    //               sitrep --db x.db import crlf.csv
    // says "crlf.csv: line 2, column killed ..." but "-3" is on line 3 (LF ends: line 3).
    let a = Archive::new();
    a.write(
        "crlf.csv",
        "event_id,date,killed\r\ne1,2025-06-01,3\r\ne2,2025-06-02,-3\r\ne3,2025-06-03,4\r\n",
    );
    let out = a.fails(&["import", "crlf.csv"]);
    assert!(
        out.stderr.contains("crlf.csv: line 3, column killed"),
        "{}",
        out.stderr
    );
    // The rejects file and stderr of --skip-bad carry the same wrong number.
    let b = Archive::new();
    b.write(
        "crlf.csv",
        "event_id,date,killed\r\ne1,2025-06-01,3\r\ne2,2025-06-02,-3\r\ne3,2025-06-03,4\r\n",
    );
    let out = b.ok(&["import", "--skip-bad", "--rejects", "r.csv", "crlf.csv"]);
    assert!(
        out.stderr.contains("crlf.csv: line 3, column killed"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------
// C. Header-less files and title rows
// ---------------------------------------------------------------------------

#[test]
fn columns_name_a_headerless_file() {
    let a = Archive::new();
    a.write(
        "noheader.csv",
        "h-1,2025-06-01,Kyiv,3\nh-2,2025-06-02,Odesa,\n",
    );
    let out = a.ok(&[
        "import",
        "--columns",
        "event_id,date,location,killed",
        "noheader.csv",
    ]);
    assert_eq!(
        out.stdout,
        summary("noheader.csv", "events", "csv", [2, 0, 0, 0])
    );
    assert_eq!(
        a.rows(EVENT_TEXT),
        ["h-1|2025-06-01|Kyiv|NULL", "h-2|2025-06-02|Odesa|NULL"]
    );
    assert_eq!(a.rows(FIGURES), ["h-1|killed|3|exact"]);

    // Without a header line, a bad value's line is its line in the file.
    a.write(
        "noheader-bad.csv",
        "h-3,2025-06-03,Sumy,1\nh-4,2025-06-04,Sumy,-1\n",
    );
    let out = a.fails(&[
        "import",
        "--columns",
        "event_id,date,location,killed",
        "noheader-bad.csv",
    ]);
    assert!(
        out.stderr
            .contains("noheader-bad.csv: line 2, column killed (column 4), value \"-1\": a count cannot be negative"),
        "{}",
        out.stderr
    );
}

#[test]
fn skip_rows_skips_titles_and_line_numbers_count_them() {
    let title = "Strikes on Ukrainian cities, June 2025; compiled from Air Force posts\n\
                 Source: Air Force of the Armed Forces of Ukraine, figures as reported\n";
    let good = "event_id,date,location,killed\n\
                t-1,2025-06-01,Kyiv,3\n\
                t-2,2025-06-02,Kharkiv,\"at least 2\"\n";
    let a = Archive::new();
    a.write("titled.csv", format!("{title}{good}"));
    let out = a.ok(&["import", "--skip-rows", "2", "titled.csv"]);
    assert_eq!(
        out.stdout,
        summary("titled.csv", "events", "csv", [2, 0, 0, 0])
    );
    assert_eq!(
        a.rows(EVENT_TEXT),
        ["t-1|2025-06-01|Kyiv|NULL", "t-2|2025-06-02|Kharkiv|NULL"]
    );
    assert_eq!(
        a.rows(FIGURES),
        ["t-1|killed|3|exact", "t-2|killed|2|at_least"]
    );

    // A bad value: the message's line number is the value's line in the file.
    let bad =
        format!("{title}{good}t-3,2025-06-03,\"Sumy,\nSumy oblast\",4\nt-4,2025-06-04,Odesa,-5\n");
    a.write("titled-bad.csv", &bad);
    let bad_line = bad
        .lines()
        .position(|l| l.contains("-5"))
        .map(|i| i + 1)
        .unwrap();
    assert_eq!(bad_line, 8);
    let out = a.fails(&["import", "--skip-rows", "2", "titled-bad.csv"]);
    assert!(
        out.stderr.contains(&format!(
            "titled-bad.csv: line {bad_line}, column killed (column 4), value \"-5\": a count cannot be negative"
        )),
        "{}",
        out.stderr
    );
    // And the same in the rejects file of --skip-bad.
    let out = a.ok(&[
        "import",
        "--skip-rows",
        "2",
        "--skip-bad",
        "--rejects",
        "rejects.csv",
        "titled-bad.csv",
    ]);
    assert!(
        out.stderr
            .contains(&format!("titled-bad.csv: line {bad_line}, column killed")),
        "{}",
        out.stderr
    );
    let rejects = std::fs::read_to_string(a.path("rejects.csv")).unwrap();
    assert!(rejects.contains(&format!(",{bad_line},")), "{rejects}");

    // Skipping past the end of the file is an error of its own.
    let out = a.fails(&["import", "--skip-rows", "9", "titled.csv"]);
    assert!(
        out.stderr
            .contains("titled.csv: --skip-rows 9 skips past the end of the file"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------
// D. Dates
// ---------------------------------------------------------------------------

#[test]
fn every_date_form_imports_to_its_day_and_precision() {
    let a = Archive::new();
    a.write(
        "dates.csv",
        "event_id,date\n\
         01-iso,2025-06-01\n\
         02-iso-datetime-zone,2025-06-01T13:30:00+03:00\n\
         03-iso-datetime-west,2025-06-01T23:30:00-05:00\n\
         04-iso-datetime-utc,2025-06-01T22:00:00Z\n\
         05-datetime-no-zone,2025-06-01 13:30\n\
         06-day-month-year,1 June 2025\n\
         07-month-day-year,\"June 1, 2025\"\n\
         08-weekday,\"Sunday, June 1, 2025\"\n\
         09-dotted,01.06.2025\n\
         10-year-first-slash,2025/06/01\n\
         11-excel-serial,45809\n\
         12-unix-seconds,1748736000\n\
         13-month,2025-06\n\
         14-month-name,June 2025\n\
         15-year,2025\n",
    );
    let out = a.ok(&["import", "dates.csv"]);
    assert_eq!(
        out.stdout,
        summary("dates.csv", "events", "csv", [15, 0, 0, 0])
    );
    assert_eq!(
        a.rows(
            "SELECT external_id, date, date_precision, ifnull(time_start, 'NULL') FROM events \
             ORDER BY external_id"
        ),
        [
            "01-iso|2025-06-01|day|NULL",
            // A date-time's day is the day as written, in its own zone (not UTC).
            "02-iso-datetime-zone|2025-06-01|day|2025-06-01T13:30:00+03:00",
            "03-iso-datetime-west|2025-06-01|day|2025-06-01T23:30:00-05:00",
            "04-iso-datetime-utc|2025-06-01|day|2025-06-01T22:00:00+00:00",
            "05-datetime-no-zone|2025-06-01|day|2025-06-01T13:30:00",
            "06-day-month-year|2025-06-01|day|NULL",
            "07-month-day-year|2025-06-01|day|NULL",
            "08-weekday|2025-06-01|day|NULL",
            "09-dotted|2025-06-01|day|NULL",
            "10-year-first-slash|2025-06-01|day|NULL",
            "11-excel-serial|2025-06-01|day|NULL",
            "12-unix-seconds|2025-06-01|day|2025-06-01T00:00:00+00:00",
            "13-month|2025-06-01|month|NULL",
            "14-month-name|2025-06-01|month|NULL",
            "15-year|2025-01-01|year|NULL"
        ]
    );
}

#[test]
fn wrong_weekday_is_an_error() {
    let a = Archive::new();
    a.write(
        "weekday.csv",
        "event_id,date\nw-1,\"Monday, June 1, 2025\"\n",
    );
    let out = a.fails(&["import", "weekday.csv"]);
    assert!(
        out.stderr.contains(
            "weekday.csv: line 2, column date (column 2), value \"Monday, June 1, 2025\": 1 June 2025 was a Sunday, not Monday"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn slash_column_with_a_day_over_12_is_read_day_first_as_a_whole() {
    let a = Archive::new();
    a.write(
        "dmy.csv",
        "event_id,date\ns-1,03/04/2025\ns-2,05/06/2025\ns-3,13/04/2025\ns-4,01/06/2025\n",
    );
    a.ok(&["import", "dmy.csv"]);
    assert_eq!(
        a.rows("SELECT external_id, date, date_precision FROM events ORDER BY external_id"),
        [
            "s-1|2025-04-03|day",
            "s-2|2025-06-05|day",
            "s-3|2025-04-13|day",
            "s-4|2025-06-01|day"
        ]
    );
}

#[test]
fn slash_column_with_a_second_part_over_12_is_read_month_first() {
    let a = Archive::new();
    a.write(
        "mdy.csv",
        "event_id,date\nm-1,03/04/2025\nm-2,04/13/2025\nm-3,6/1/2025 12:00:00 AM\n",
    );
    a.ok(&["import", "mdy.csv"]);
    assert_eq!(
        a.rows("SELECT external_id, date FROM events ORDER BY external_id"),
        ["m-1|2025-03-04", "m-2|2025-04-13", "m-3|2025-06-01"]
    );
}

#[test]
fn ambiguous_slash_column_fails_and_date_order_settles_it() {
    let text = "event_id,date\na-1,03/04/2025\na-2,05/06/2025\na-3,01/06/2025\n";
    let a = Archive::new();
    a.write("baseline.csv", BASELINE);
    a.ok(&["import", "baseline.csv"]);
    let before = a.dump();
    a.write("ambiguous.csv", text);
    let out = a.fails(&["import", "ambiguous.csv"]);
    assert!(
        out.stderr.contains(
            "ambiguous.csv: line 2, column date (column 2), value \"03/04/2025\": ambiguous date"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("--date-order dmy or --date-order mdy"),
        "{}",
        out.stderr
    );
    assert_eq!(a.dump(), before);

    a.ok(&["import", "--date-order", "mdy", "ambiguous.csv"]);
    assert_eq!(
        a.rows("SELECT external_id, date FROM events WHERE external_id LIKE 'a-%' ORDER BY 1"),
        ["a-1|2025-03-04", "a-2|2025-05-06", "a-3|2025-01-06"]
    );

    let b = Archive::new();
    b.write("ambiguous.csv", text);
    b.ok(&["import", "--date-order", "dmy", "ambiguous.csv"]);
    assert_eq!(
        b.rows("SELECT external_id, date FROM events ORDER BY 1"),
        ["a-1|2025-04-03", "a-2|2025-06-05", "a-3|2025-06-01"]
    );
}

#[test]
fn slash_column_mixing_day_first_and_month_first_is_an_error() {
    // The ambiguous value comes first: the whole column is looked at and disagrees.
    let a = Archive::new();
    a.write(
        "mixed.csv",
        "event_id,date\nx-1,03/04/2025\nx-2,13/04/2025\nx-3,04/13/2025\n",
    );
    let out = a.fails(&["import", "mixed.csv"]);
    assert!(
        out.stderr.contains(
            "slash dates in this column disagree on day/month order: 1 can only be \
             day/month/year (like 13/04/2025) and 1 only month/day/year (like 04/13/2025)"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("mixed.csv: line 2"), "{}", out.stderr);
    assert!(!a.db.exists(), "a failed first import leaves no archive");

    // The day-first value comes first: the month-first one cannot be read that way.
    let b = Archive::new();
    b.write(
        "mixed2.csv",
        "event_id,date\nx-1,13/04/2025\nx-2,04/13/2025\n",
    );
    let out = b.fails(&["import", "mixed2.csv"]);
    assert!(
        out.stderr
            .contains("mixed2.csv: line 3, column date (column 2), value \"04/13/2025\""),
        "{}",
        out.stderr
    );
    assert!(!b.db.exists(), "a failed first import leaves no archive");
}

#[test]
fn contradicting_slash_dates_are_named_whatever_their_order() {
    // Reproduction: printf 'event_id,date\nx-1,13/04/2025\nx-2,04/13/2025\n' > m.csv
    //               sitrep --db x.db import m.csv
    // → "m.csv: line 3, column date (column 2), value "04/13/2025": month 13 does not
    //    exist (read as day/month/year)"; with the rows swapped the message is
    //    "slash dates in this column disagree on day/month order: ... (like 13/04/2025)
    //    ... (like 04/13/2025)". README: "when values contradict each other (13/04/2025
    //    and 04/13/2025), it stops and names them".
    let a = Archive::new();
    a.write(
        "mixed2.csv",
        "event_id,date\nx-1,13/04/2025\nx-2,04/13/2025\n",
    );
    let out = a.fails(&["import", "mixed2.csv"]);
    assert!(out.stderr.contains("disagree"), "{}", out.stderr);
    assert!(out.stderr.contains("13/04/2025"), "{}", out.stderr);
}

#[test]
fn month_and_year_precision_events_stay_out_of_daily_series() {
    let a = Archive::new();
    a.write(
        "precision.csv",
        "event_id,date,type,drones_launched,killed\n\
         p-day,2025-06-01,air_attack,472,2\n\
         p-day-2,1 June 2025,air_attack,8,\n\
         p-month,June 2025,air_attack,3000,40\n\
         p-month-iso,2025-06,air_attack,100,\n\
         p-year,2025,air_attack,20000,500\n",
    );
    a.ok(&["import", "precision.csv"]);
    assert_eq!(
        a.rows("SELECT external_id, date, date_precision FROM events ORDER BY 1"),
        [
            "p-day|2025-06-01|day",
            "p-day-2|2025-06-01|day",
            "p-month|2025-06-01|month",
            "p-month-iso|2025-06-01|month",
            "p-year|2025-01-01|year"
        ]
    );
    assert_eq!(
        a.query("daily-drones"),
        ["date,drones_launched,drones_destroyed", "2025-06-01,480,"]
    );
    assert_eq!(
        a.query("daily-casualties"),
        ["date,killed,injured", "2025-06-01,2,"]
    );
    // Month-precise events still count per month and type; year-precise ones do not.
    assert_eq!(
        a.query("events-by-type"),
        ["month,type,events", "2025-06,air_attack,4"]
    );
}

// ---------------------------------------------------------------------------
// E. Figures
// ---------------------------------------------------------------------------

#[test]
fn figure_forms_become_values_and_qualifiers() {
    let a = Archive::new();
    a.write(
        "figures.csv",
        "event_id,date,drones_launched\n\
         f-01,2025-06-01,472\n\
         f-02,2025-06-02,472.0\n\
         f-03,2025-06-03,\"1,234\"\n\
         f-04,2025-06-04,1 234\n\
         f-05,2025-06-05,at least 12\n\
         f-06,2025-06-06,over 60\n\
         f-07,2025-06-07,more than 60\n\
         f-08,2025-06-08,about 40\n\
         f-09,2025-06-09,12+\n\
         f-10,2025-06-10,dozens\n\
         f-11,2025-06-11,\n\
         f-12,2025-06-12,10-15\n\
         f-13,2025-06-13,NaN\n",
    );
    let out = a.ok(&["import", "figures.csv"]);
    assert_eq!(
        out.stdout,
        summary("figures.csv", "events", "csv", [13, 0, 0, 0])
    );
    assert_eq!(
        a.rows(
            "SELECT e.external_id, ifnull(q.value, 'NULL'), ifnull(q.low, 'NULL'), \
             ifnull(q.high, 'NULL'), ifnull(q.qualifier, 'no figure') FROM events e \
             LEFT JOIN quantities q ON q.event_id = e.id ORDER BY e.external_id"
        ),
        [
            "f-01|472|NULL|NULL|exact",
            "f-02|472|NULL|NULL|exact",
            "f-03|1234|NULL|NULL|exact",
            "f-04|1234|NULL|NULL|exact",
            "f-05|12|NULL|NULL|at_least",
            "f-06|60|NULL|NULL|more_than",
            "f-07|60|NULL|NULL|more_than",
            "f-08|40|NULL|NULL|about",
            "f-09|12|NULL|NULL|at_least",
            "f-10|NULL|NULL|NULL|dozens",
            // Empty and NaN are unknown: no figure at all, never 0.
            "f-11|NULL|NULL|NULL|no figure",
            "f-12|NULL|10|15|exact",
            "f-13|NULL|NULL|NULL|no figure"
        ]
    );
    // Qualified figures count at their value; "dozens", a bare range and unknown add
    // nothing, so those days show an empty cell.
    assert_eq!(
        a.query("daily-drones"),
        [
            "date,drones_launched,drones_destroyed",
            "2025-06-01,472,",
            "2025-06-02,472,",
            "2025-06-03,1234,",
            "2025-06-04,1234,",
            "2025-06-05,12,",
            "2025-06-06,60,",
            "2025-06-07,60,",
            "2025-06-08,40,",
            "2025-06-09,12,",
            "2025-06-10,,",
            "2025-06-12,,"
        ]
    );
}

#[test]
fn bad_figures_are_rejected_with_the_reason() {
    for (name, text, expected) in [
        (
            "negative.csv",
            "event_id,date,killed\nn-1,2025-06-01,-3\n",
            "negative.csv: line 2, column killed (column 3), value \"-3\": a count cannot be negative",
        ),
        (
            "fraction.csv",
            "event_id,date,killed\nn-1,2025-06-01,472.5\n",
            "fraction.csv: line 2, column killed (column 3), value \"472.5\": a count must be a whole number",
        ),
        (
            "semicolon.csv",
            "event_id;date;killed\nn-1;2025-06-01;12\nn-2;2025-06-02;1,234\n",
            "semicolon.csv: line 3, column killed (column 3), value \"1,234\": 1,234 could be 1234 \
             or the decimal 1.234 in a semicolon-separated file; write it without separators",
        ),
        (
            "words.csv",
            "event_id,date,killed\nn-1,2025-06-01,12 killed\n",
            "words.csv: line 2, column killed (column 3), value \"12 killed\": text follows the number",
        ),
    ] {
        let a = Archive::new();
        a.write(name, text);
        let out = a.fails(&["import", name]);
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
        assert!(
            !a.db.exists(),
            "{name}: a failed first import leaves no archive"
        );
    }
    // The same `1,234` is a plain thousands separator in a comma-separated file, and
    // `1,234,567` is not ambiguous in a semicolon-separated one.
    let a = Archive::new();
    a.write(
        "semicolon-ok.csv",
        "event_id;date;killed\nk-1;2025-06-01;1,234,567\nk-2;2025-06-02;1234\n",
    );
    a.ok(&["import", "semicolon-ok.csv"]);
    assert_eq!(
        a.rows(FIGURES),
        ["k-1|killed|1234567|exact", "k-2|killed|1234|exact"]
    );
}

// ---------------------------------------------------------------------------
// F. All or nothing, --skip-bad with rejects, --dry-run
// ---------------------------------------------------------------------------

const WITH_BAD_ROW: &str = "event_id,date,type,location,killed,injured\n\
b-1,2025-06-01,air_attack,\"Dnipro, Dnipropetrovsk oblast\",3,20\n\
b-2,2025-06-02,air_attack,Kharkiv,2,\n\
b-3,2025-06-03,air_attack,\"Odesa, \"\"port\"\"\",-3,7\n\
b-4,2025-06-04,shelling,Kherson,1,4\n\
b-5,2025-06-05,shelling,Sumy,at least 2,\n";

#[test]
fn one_bad_row_in_the_middle_leaves_the_archive_byte_for_byte_unchanged() {
    let a = Archive::new();
    a.write("baseline.csv", BASELINE);
    a.ok(&["import", "baseline.csv"]);
    a.ok(&["stats"]);
    let (bytes_before, dump_before) = a.snapshot();

    a.write("middle.csv", WITH_BAD_ROW);
    let out = a.fails(&["import", "middle.csv"]);
    assert_eq!(
        out.stderr,
        "sitrep: error: nothing from middle.csv was imported (the archive is as it was before it)\n  \
         caused by: middle.csv: line 4, column killed (column 5), value \"-3\": a count cannot be negative\n"
    );
    let (bytes_after, dump_after) = a.snapshot();
    assert_eq!(dump_before, dump_after);
    assert!(
        bytes_before == bytes_after,
        "the archive file changed ({} bytes before, {} after)",
        bytes_before.len(),
        bytes_after.len()
    );
    assert_eq!(a.rows("SELECT count(*) FROM imports"), ["1"]);
}

#[test]
fn skip_bad_imports_the_other_rows_and_writes_the_rejects_file() {
    let a = Archive::new();
    a.write("middle.csv", WITH_BAD_ROW);
    let out = a.ok(&["import", "--skip-bad", "--rejects", "R.csv", "middle.csv"]);
    assert_eq!(
        out.stdout,
        summary("middle.csv", "events", "csv", [4, 0, 0, 1])
    );
    assert!(
        out.stderr.contains(
            "sitrep: rejected: middle.csv: line 4, column killed (column 5), value \"-3\": a count cannot be negative\n"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        a.rows(EVENT_TEXT),
        [
            "b-1|2025-06-01|Dnipro, Dnipropetrovsk oblast|NULL",
            "b-2|2025-06-02|Kharkiv|NULL",
            "b-4|2025-06-04|Kherson|NULL",
            "b-5|2025-06-05|Sumy|NULL"
        ]
    );
    assert_eq!(
        a.rows(FIGURES),
        [
            "b-1|injured|20|exact",
            "b-1|killed|3|exact",
            "b-2|killed|2|exact",
            "b-4|injured|4|exact",
            "b-4|killed|1|exact",
            "b-5|killed|2|at_least"
        ]
    );
    // The rejected row's place and its entities left nothing behind.
    assert_eq!(
        a.rows("SELECT count(*) FROM entities WHERE name LIKE 'Odesa%'"),
        ["0"]
    );
    assert_eq!(
        a.rows("SELECT rows_added, rows_rejected FROM imports"),
        ["4|1"]
    );

    // R.csv: the header, then the bad row exactly as it was, then file, line and reason.
    let mut reader = csv::Reader::from_path(a.path("R.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "event_id",
            "date",
            "type",
            "location",
            "killed",
            "injured",
            "sitrep_file",
            "sitrep_line",
            "sitrep_reason"
        ]
    );
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(
        records,
        [[
            "b-3",
            "2025-06-03",
            "air_attack",
            "Odesa, \"port\"",
            "-3",
            "7",
            "middle.csv",
            "4",
            "column killed (column 5), value \"-3\": a count cannot be negative"
        ]]
    );
    // The bad row's cells, written back as CSV, are the row of the input.
    let input_row = WITH_BAD_ROW.lines().nth(3).unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(records[0].iter().take(6)).unwrap();
    let rewritten = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    assert_eq!(rewritten.trim_end(), input_row);
}

#[test]
fn rejects_of_several_files_go_to_one_file_per_input() {
    let a = Archive::new();
    a.write(
        "one.csv",
        "event_id,date,killed\na-1,2025-06-01,3\na-2,2025-06-02,-4\n",
    );
    a.write(
        "two.csv",
        "event_id,date,killed\nb-1,2025-06-01,12 or so\nb-2,2025-06-02,4\n",
    );
    let out = a.ok(&[
        "import",
        "--skip-bad",
        "--rejects",
        "R.csv",
        "one.csv",
        "two.csv",
    ]);
    assert_eq!(
        out.stdout,
        format!(
            "{}{}",
            summary("one.csv", "events", "csv", [1, 0, 0, 1]),
            summary("two.csv", "events", "csv", [1, 0, 0, 1])
        )
    );
    assert!(!a.path("R.csv").exists());
    let one = std::fs::read_to_string(a.path("R.one.csv")).unwrap();
    assert_eq!(
        one,
        "event_id,date,killed,sitrep_file,sitrep_line,sitrep_reason\n\
         a-2,2025-06-02,-4,one.csv,3,\"column killed (column 3), value \"\"-4\"\": a count cannot be negative\"\n"
    );
    let two = std::fs::read_to_string(a.path("R.two.csv")).unwrap();
    assert!(
        two.starts_with(
            "event_id,date,killed,sitrep_file,sitrep_line,sitrep_reason\nb-1,2025-06-01,12 or so,two.csv,2,"
        ),
        "{two}"
    );
    assert_eq!(
        a.rows("SELECT external_id FROM events ORDER BY 1"),
        ["a-1", "b-2"]
    );
}

#[test]
fn skip_bad_sets_a_ragged_row_aside() {
    // Reproduction: printf 'event_id,date,killed\ne1,2025-06-01,3\ne2,2025-06-02,4,9\ne3,2025-06-03,5\n' > rag.csv
    //               sitrep --db x.db import --skip-bad --rejects r.csv rag.csv
    // → exit 1, "nothing from rag.csv was imported ... line 3: the row has 4 fields but
    //   the header has 3", and r.csv is left empty; the rejects writer is `flexible` and
    //   the README says --skip-bad imports the good rows and reports each bad one.
    let a = Archive::new();
    a.write(
        "rag.csv",
        "event_id,date,killed\ne1,2025-06-01,3\ne2,2025-06-02,4,9\ne3,2025-06-03,5\n",
    );
    let out = a.ok(&["import", "--skip-bad", "--rejects", "r.csv", "rag.csv"]);
    assert_eq!(
        out.stdout,
        summary("rag.csv", "events", "csv", [2, 0, 0, 1])
    );
    let rejects = std::fs::read_to_string(a.path("r.csv")).unwrap();
    assert!(rejects.contains("e2,2025-06-02,4,9"), "{rejects}");
    assert_eq!(
        a.rows("SELECT external_id FROM events ORDER BY 1"),
        ["e1", "e3"]
    );
}

#[test]
fn dry_run_reports_counts_and_writes_nothing() {
    let a = Archive::new();
    a.write("baseline.csv", BASELINE);
    a.ok(&["import", "baseline.csv"]);
    let before = a.snapshot();

    a.write(
        "new.csv",
        "event_id,date,type,location,killed\n\
         base-1,2025-05-25,air_attack,Kyiv,15\n\
         n-1,2025-06-01,air_attack,Odesa,2\n\
         n-2,2025-06-02,air_attack,Lviv,\n\
         base-2,2025-05-26,air_attack,Kharkiv,3\n",
    );
    let out = a.ok(&["import", "--dry-run", "new.csv"]);
    assert_eq!(
        out.stdout,
        format!(
            "dry run: {}dry run: nothing was written to {}\n",
            summary("new.csv", "events", "csv", [2, 1, 1, 0]),
            a.db.display()
        )
    );
    let after = a.snapshot();
    assert_eq!(before.1, after.1);
    assert!(before.0 == after.0, "the archive file changed");
    assert_eq!(
        a.rows("SELECT external_id FROM events ORDER BY 1"),
        ["base-1", "base-2"]
    );

    // With --skip-bad the dry run counts the rejected rows too, and still writes nothing.
    a.write("middle.csv", WITH_BAD_ROW);
    let out = a.ok(&["import", "--dry-run", "--skip-bad", "middle.csv"]);
    assert!(
        out.stdout.starts_with(&format!(
            "dry run: {}",
            summary("middle.csv", "events", "csv", [4, 0, 0, 1])
        )),
        "{}",
        out.stdout
    );
    assert_eq!(a.dump(), before.1);

    // A dry run into a new archive leaves it without events.
    let b = Archive::new();
    b.write("new.csv", BASELINE);
    let out = b.ok(&["import", "--dry-run", "new.csv"]);
    assert!(
        out.stdout.starts_with(
            "dry run: new.csv: events (csv): 2 added, 0 updated, 0 unchanged, 0 rejected\n"
        ),
        "{}",
        out.stdout
    );
    if b.db.exists() {
        assert_eq!(b.rows("SELECT count(*) FROM events"), ["0"]);
        assert_eq!(b.rows("SELECT count(*) FROM imports"), ["0"]);
    }
}

#[test]
fn dry_run_into_a_missing_archive_creates_no_file() {
    // Reproduction: printf 'event_id,date\ne1,2025-06-01\n' > a.csv
    //               sitrep --db new.db import --dry-run a.csv
    //               ls new.db    → exists (schema, no rows)
    // The same happens when the import stops on an invalid mapping file:
    //               sitrep --db new2.db import --map bad.json a.csv
    let a = Archive::new();
    a.write("new.csv", BASELINE);
    let out = a.ok(&["import", "--dry-run", "new.csv"]);
    assert!(out.stdout.contains("nothing was written"), "{}", out.stdout);
    assert!(!a.db.exists(), "the dry run created {}", a.db.display());
}

// ---------------------------------------------------------------------------
// G. Mapping files
// ---------------------------------------------------------------------------

/// A strike log in a shape of its own: semicolon-separated, day-first slash dates
/// (said in the mapping's `read` block), a title row.
const STRIKE_LOG: &str = "Strike log, Kyiv and eastern oblasts, June 2025\n\
ref;day;kind_code;oblast;city;attacker;attacker_allies;drones;drones_down;missile_model;missiles;dead;dead_confirmed;buildings;reporter;comment;internal_code;scratch\n\
101;01/06/2025;A;Kyiv Oblast;Bila Tserkva;Russian Armed Forces;;472;210;Iskander-M;3;2;yes;5;\"Air Force; regional administration\";overnight attack;X-17;zzz\n\
102;02/06/2025;S;Kharkiv Oblast;;Russian Armed Forces;Wagner/Akhmat;;;;;1;no;;Kharkiv OVA;;;\n\
103;03/06/2025;Q;Sumy Oblast;Sumy;Russian Armed Forces;;40;38;;;;;;;;Y-2;\n";

const STRIKE_MAPPING: &str = r#"{
  "description": "A strike log kept by hand",
  "kind": "events",
  "dataset": "strike-log",
  "read": {"delimiter": ";", "skip_rows": 1, "date_order": "dmy"},
  "fields": {
    "event_id": {"template": "log-{ref}"},
    "date": "day",
    "type": {"lookup": {"of": "kind_code", "table": {"A": "air_attack", "s": "shelling"}, "default": "other"}},
    "subtype": {"if": {"cond": {"column": "missiles", "not_empty": true}, "then": {"const": "combined"}, "else": {"const": "drones_only"}}},
    "country": {"const": "Ukraine"},
    "region": {"column": "oblast"},
    "location": {"join": {"parts": ["city", "oblast"], "with": ", "}},
    "actors": {"split": {"parts": ["attacker", "attacker_allies"], "on": "/"}},
    "source": {"part": {"of": "reporter", "on": ";", "index": 0}},
    "notes": {"first": ["comment", "reporter"]}
  },
  "figures": [
    {"kind": "drones_launched", "value": "drones"},
    {"kind": "drones_destroyed", "value": "drones_down"},
    {"kind": "launched", "value": "missiles", "weapon": "missile_model"},
    {"kind": "killed", "value": "dead", "when": {"column": "dead_confirmed", "equals": "yes"}},
    {"kind": "buildings_damaged", "value": "buildings"}
  ],
  "extra": ["reporter"],
  "ignore": ["scratch"],
  "rest": "REST"
}"#;

fn strike_archive(rest: &str) -> (Archive, Out) {
    let a = Archive::new();
    a.write(
        "weapons.csv",
        "name,kind,class\nIskander-M,weapon,ballistic missile\n",
    );
    a.ok(&["import", "weapons.csv"]);
    a.write("log.txt", STRIKE_LOG);
    a.write("log-map.json", STRIKE_MAPPING.replace("REST", rest));
    let out = a.ok(&[
        "import",
        "--format",
        "csv",
        "--map",
        "log-map.json",
        "log.txt",
    ]);
    (a, out)
}

#[test]
fn mapping_file_expressions_build_events() {
    let (a, out) = strike_archive("extra");
    assert_eq!(
        out.stdout,
        summary("log.txt", "events", "csv", [3, 0, 0, 0])
    );
    assert!(
        out.stderr
            .contains("new kinds of figure: buildings_damaged"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("ignored columns"), "{}", out.stderr);
    assert_eq!(
        a.rows(
            "SELECT dataset, external_id, date, type, subtype, country, region, location, \
             ifnull(notes, 'NULL'), ifnull((SELECT name FROM sources s WHERE s.id = source_id), 'NULL') \
             FROM events ORDER BY external_id"
        ),
        [
            // template, dmy from the read block, lookup, if, const, join, first, part
            "strike-log|log-101|2025-06-01|air_attack|combined|Ukraine|Kyiv Oblast|Bila Tserkva, Kyiv Oblast|overnight attack|Air Force",
            // lookup folds case ("S" finds "s"); join skips the empty city; first falls back
            "strike-log|log-102|2025-06-02|shelling|drones_only|Ukraine|Kharkiv Oblast|Kharkiv Oblast|Kharkiv OVA|Kharkiv OVA",
            // lookup default; first of two empties is empty
            "strike-log|log-103|2025-06-03|other|drones_only|Ukraine|Sumy Oblast|Sumy, Sumy Oblast|NULL|NULL"
        ]
    );
    // split: actors from two columns, the second split on "/".
    assert_eq!(
        a.rows(
            "SELECT e.external_id, n.name FROM event_entities l JOIN events e ON e.id = l.event_id \
             JOIN entities n ON n.id = l.entity_id WHERE l.role = 'actor' ORDER BY 1, 2"
        ),
        [
            "log-101|Russian Armed Forces",
            "log-102|Akhmat",
            "log-102|Russian Armed Forces",
            "log-102|Wagner",
            "log-103|Russian Armed Forces"
        ]
    );
    // Figures: with a weapon, a `when` that holds only for confirmed deaths, a new kind.
    assert_eq!(
        a.rows(
            "SELECT e.external_id, q.kind, q.value, ifnull(w.name, '-') FROM quantities q \
             JOIN events e ON e.id = q.event_id LEFT JOIN entities w ON w.id = q.weapon_id \
             ORDER BY 1, 2"
        ),
        [
            "log-101|buildings_damaged|5|-",
            "log-101|drones_destroyed|210|-",
            "log-101|drones_launched|472|-",
            "log-101|killed|2|-",
            "log-101|launched|3|Iskander-M",
            "log-103|drones_destroyed|38|-",
            "log-103|drones_launched|40|-"
        ]
    );
    assert_eq!(
        a.query("daily-missiles"),
        ["date,missiles_launched,missiles_destroyed", "2025-06-01,3,"]
    );
    assert_eq!(
        a.query("daily-drones"),
        [
            "date,drones_launched,drones_destroyed",
            "2025-06-01,472,210",
            "2025-06-03,40,38"
        ]
    );
    // extra: the named column whole, and (rest: extra) every column no expression used;
    // the ignored column never.
    let extras = a.rows("SELECT external_id, ifnull(extra, 'NULL') FROM events ORDER BY 1");
    assert_eq!(
        extras,
        [
            r#"log-101|{"internal_code":"X-17","reporter":"Air Force; regional administration"}"#,
            r#"log-102|{"reporter":"Kharkiv OVA"}"#,
            r#"log-103|{"internal_code":"Y-2"}"#
        ]
    );
    for row in &extras {
        let json = row.split_once('|').unwrap().1;
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert!(value.get("scratch").is_none(), "{row}");
        assert!(value.get("ref").is_none(), "{row}");
    }
    // Importing again changes nothing.
    let again = a.ok(&[
        "import",
        "--force",
        "--format",
        "csv",
        "--map",
        "log-map.json",
        "log.txt",
    ]);
    assert_eq!(
        again.stdout,
        summary("log.txt", "events", "csv", [0, 0, 3, 0])
    );
}

#[test]
fn mapping_rest_warn_names_leftover_columns_but_not_ignored_ones() {
    let (a, out) = strike_archive("warn");
    assert!(
        out.stderr
            .contains("ignored columns sitrep does not know: internal_code "),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("scratch"), "{}", out.stderr);
    // Only the `extra` column is kept.
    assert_eq!(
        a.rows("SELECT external_id, ifnull(extra, 'NULL') FROM events ORDER BY 1"),
        [
            r#"log-101|{"reporter":"Air Force; regional administration"}"#,
            r#"log-102|{"reporter":"Kharkiv OVA"}"#,
            "log-103|NULL"
        ]
    );

    let (b, out) = strike_archive("ignore");
    assert!(!out.stderr.contains("ignored columns"), "{}", out.stderr);
    assert_eq!(
        b.rows("SELECT count(*) FROM events WHERE extra LIKE '%internal_code%'"),
        ["0"]
    );
}

#[test]
fn command_line_read_flags_override_the_mapping() {
    // The mapping says dmy; --date-order mdy on the command line wins.
    let a = Archive::new();
    a.write("log.txt", STRIKE_LOG);
    a.write("log-map.json", STRIKE_MAPPING.replace("REST", "ignore"));
    a.ok(&[
        "import",
        "--format",
        "csv",
        "--date-order",
        "mdy",
        "--map",
        "log-map.json",
        "log.txt",
    ]);
    assert_eq!(
        a.rows("SELECT external_id, date FROM events ORDER BY 1"),
        [
            "log-101|2025-01-06",
            "log-102|2025-02-06",
            "log-103|2025-03-06"
        ]
    );
}

#[test]
fn invalid_mappings_are_clear_errors() {
    let a = Archive::new();
    a.write("log.txt", STRIKE_LOG);
    for (name, text, expected) in [
        (
            "unknown-field.json",
            r#"{"kind": "events", "fields": {"date": "day", "colour": "kind_code"}}"#,
            "sitrep: error: mapping unknown-field.json: \"colour\" is not a field of events\n",
        ),
        (
            "trailing-comma.json",
            "{\"kind\": \"events\",\n \"fields\": {\"date\": \"day\",}\n}\n",
            "sitrep: error: mapping trailing-comma.json: line 2, column 27: trailing comma\n",
        ),
        (
            "misspelt-key.json",
            r#"{"kind": "events", "feilds": {"date": "day"}}"#,
            "sitrep: error: mapping misspelt-key.json: line 1, column 27: unknown field `feilds`",
        ),
        (
            "figure-in-fields.json",
            r#"{"kind": "events", "fields": {"date": "day", "killed": "dead"}}"#,
            "sitrep: error: mapping figure-in-fields.json: figure \"killed\" belongs in \"figures\", not \"fields\"\n",
        ),
        (
            "bad-kind.json",
            r#"{"kind": "tanks", "fields": {}}"#,
            "sitrep: error: mapping bad-kind.json: line 1, column 16: unknown variant `tanks`",
        ),
        (
            "figures-on-entities.json",
            r#"{"kind": "entities", "fields": {"name": "ref"}, "figures": [{"kind": "killed", "value": "dead"}]}"#,
            "sitrep: error: mapping figures-on-entities.json: only events have figures\n",
        ),
    ] {
        a.write(name, text);
        let out = a.fails(&["import", "--format", "csv", "--map", name, "log.txt"]);
        assert!(
            out.stderr.starts_with(expected),
            "{name}: expected {expected:?}, got {:?}",
            out.stderr
        );
        assert_eq!(out.stdout, "", "{name}");
    }
    let out = a.fails(&["import", "--map", "missing.json", "log.txt"]);
    assert!(
        out.stderr
            .starts_with("sitrep: error: cannot read mapping file missing.json"),
        "{}",
        out.stderr
    );
    let out = a.fails(&["import", "--preset", "acled-v2", "log.txt"]);
    assert_eq!(
        out.stderr,
        "sitrep: error: no preset named \"acled-v2\"; presets: air-force-daily, \
         air-force-weapons, acled, ucdp-ged, headlines\n"
    );
    // A mapping and --kind that disagree.
    a.write(
        "ok.json",
        r#"{"kind": "events", "fields": {"date": "day"}, "rest": "ignore"}"#,
    );
    let out = a.fails(&[
        "import", "--format", "csv", "--kind", "articles", "--map", "ok.json", "log.txt",
    ]);
    assert!(
        out.stderr
            .contains("--kind articles contradicts the mapping, which imports events"),
        "{}",
        out.stderr
    );
    if a.db.exists() {
        assert_eq!(a.rows("SELECT count(*) FROM events"), ["0"]);
    }
}

#[test]
fn mapping_value_errors_name_the_source_column() {
    let a = Archive::new();
    a.write("log.csv", "ref,day,dead\n1,2025-06-01,4\n2,2025-06-02,-4\n");
    a.write(
        "map.json",
        r#"{"kind": "events", "fields": {"event_id": "ref", "date": "day"},
            "figures": [{"kind": "killed", "value": "dead"}]}"#,
    );
    let out = a.fails(&["import", "--map", "map.json", "log.csv"]);
    assert!(
        out.stderr.contains(
            "log.csv: line 3, column dead (mapped to killed), value \"-4\": a count cannot be negative"
        ),
        "{}",
        out.stderr
    );
}

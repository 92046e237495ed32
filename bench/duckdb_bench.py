#!/usr/bin/env python3
"""The DuckDB side of bench/run.sh, and the answer check.

    duckdb_bench.py import EVENTS_CSV DB           CREATE TABLE events AS SELECT * FROM read_csv_auto(...)
    duckdb_bench.py prepare DATA_DIR DB            add entities, their spellings and articles to DB
                                                   (and the events, when DB has none yet)
    duckdb_bench.py queries DB RUNS OUT_DIR NAME...
        run DuckDB's equivalent of each of sitrep's built-in queries RUNS times inside one
        open connection (time.perf_counter around execute + fetchall), print
        "NAME<TAB>median seconds" ("-" when there is no equivalent) and write the answer to
        OUT_DIR/duckdb-NAME.csv
    duckdb_bench.py compare A.csv B.csv            MATCH or DIFF: row count and checksum of the
                                                   sorted rows (numbers compared as numbers)

`compare` needs only the standard library; the rest needs the duckdb package.

The SQL below answers what src/query/builtin.rs answers, from the generated files:
- daily-*: the figure columns (drones_launched ...) of day-precise events, summed per day;
  a day is listed when any of its events gives either figure.
- events-by-type / events-by-region: as in sitrep (NULL type/country/region as '').
- top-entities (no parameters: every kind, limit 20): each event's actors and targets
  (`;`-separated), weapons and location, resolved to entities through the spellings in
  entities.csv as sitrep does (folded: trimmed, lower case, runs of white space as one space;
  actors and targets of any kind, preferring organisation, military unit, person, place,
  weapon; weapons among weapons, locations among places). A spelling entities.csv does not
  know becomes its own entity (an organisation for actors and targets) named by its
  smallest spelling, where sitrep names it by the first spelling in file order: with the
  generated data every spelling is known. `articles` is 0: the generated articles carry no
  entity links.
- articles-per-day: articles by the calendar day their `published` text gives.
"""

import csv
import hashlib
import os
import statistics
import sys
import time


def lit(text):
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def fold(expr):
    return f"lower(regexp_replace(trim({expr}), '\\s+', ' ', 'g'))"


def cmd_import(csv_path, db_path):
    import duckdb

    con = duckdb.connect(db_path)
    con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv_auto({lit(csv_path)})")
    con.close()


def cmd_prepare(data_dir, db_path):
    import duckdb

    con = duckdb.connect(db_path)
    have = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'events'"
    ).fetchone()[0]
    if not have:
        events = os.path.join(data_dir, "events.csv")
        con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv_auto({lit(events)})")
    entities = os.path.join(data_dir, "entities.csv")
    articles = os.path.join(data_dir, "articles.ndjson")
    con.execute(
        "CREATE OR REPLACE TABLE entities AS SELECT * FROM "
        f"read_csv({lit(entities)}, header = true, all_varchar = true)"
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE entity_keys AS
        SELECT DISTINCT key, name, kind FROM (
            SELECT trim(name) AS name, kind, {fold('name')} AS key FROM entities
            UNION ALL
            SELECT trim(name), kind, {fold('alias')} FROM (
                SELECT name, kind, unnest(string_split(aliases, ';')) AS alias
                FROM entities WHERE aliases IS NOT NULL)
        ) WHERE key <> ''"""
    )
    con.execute(
        "CREATE OR REPLACE TABLE articles AS SELECT * FROM "
        f"read_json({lit(articles)}, format = 'newline_delimited', columns = "
        "{url: 'VARCHAR', title: 'VARCHAR', published: 'VARCHAR', source: 'VARCHAR', "
        "language: 'VARCHAR', body: 'VARCHAR'})"
    )
    con.close()


def daily(col1, col2):
    return f"""SELECT CAST(date AS VARCHAR) AS date, sum({col1}) AS {col1}, sum({col2}) AS {col2}
FROM events
WHERE date_precision = 'day' AND ({col1} IS NOT NULL OR {col2} IS NOT NULL)
GROUP BY date
ORDER BY date"""


def queries(month_expr):
    prefer = "['organisation', 'military_unit', 'person', 'place', 'weapon']"
    return {
        "daily-drones": daily("drones_launched", "drones_destroyed"),
        "daily-missiles": daily("missiles_launched", "missiles_destroyed"),
        "daily-casualties": daily("killed", "injured"),
        "events-by-type": f"""SELECT {month_expr} AS month, coalesce(type, '') AS type, count(*) AS events
FROM events
WHERE date_precision IN ('day', 'week', 'month')
GROUP BY ALL
ORDER BY month, events DESC, type""",
        "events-by-region": """SELECT coalesce(country, '') AS country, coalesce(region, '') AS region,
       count(*) AS events, CAST(min(date) AS VARCHAR) AS first, CAST(max(date) AS VARCHAR) AS last
FROM events
GROUP BY ALL
ORDER BY events DESC, country, region""",
        "top-entities": f"""WITH any_kind AS (
    SELECT key, arg_min(name, list_position({prefer}, kind)) AS name,
           arg_min(kind, list_position({prefer}, kind)) AS kind
    FROM entity_keys GROUP BY key
), refs AS (
    SELECT event_id, 'actor' AS role, unnest(string_split(actors, ';')) AS raw
    FROM events WHERE actors IS NOT NULL
    UNION ALL
    SELECT event_id, 'actor', unnest(string_split(targets, ';'))
    FROM events WHERE targets IS NOT NULL
    UNION ALL
    SELECT event_id, 'weapon', unnest(string_split(weapon, ';'))
    FROM events WHERE weapon IS NOT NULL
    UNION ALL
    SELECT event_id, 'place', location FROM events WHERE location IS NOT NULL
), keyed AS (
    SELECT event_id, role, trim(raw) AS raw, {fold('raw')} AS key
    FROM refs WHERE trim(raw) <> ''
), resolved AS (
    SELECT k.event_id, k.raw, k.key, a.name, coalesce(a.kind, 'organisation') AS kind
    FROM keyed k LEFT JOIN any_kind a ON a.key = k.key
    WHERE k.role = 'actor'
    UNION ALL
    SELECT k.event_id, k.raw, k.key, e.name, k.role
    FROM keyed k LEFT JOIN entity_keys e ON e.key = k.key AND e.kind = k.role
    WHERE k.role <> 'actor'
)
SELECT coalesce(any_value(name), min(raw)) AS name, kind,
       count(DISTINCT event_id) AS events, 0 AS articles
FROM resolved
GROUP BY coalesce(name, '#' || key), kind
ORDER BY events DESC, name
LIMIT 20""",
        "articles-per-day": """SELECT substr(published, 1, 10) AS date, count(*) AS articles
FROM articles
WHERE published IS NOT NULL
GROUP BY 1
ORDER BY 1""",
    }


def cell(value):
    return "" if value is None else str(value)


def cmd_queries(db_path, runs, out_dir, names):
    import duckdb

    con = duckdb.connect(db_path, read_only=True)
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE events)").fetchall())
    month = (
        "strftime(date, '%Y-%m')"
        if types.get("date", "").upper().startswith(("DATE", "TIMESTAMP"))
        else "substr(date, 1, 7)"
    )
    sql_by_name = queries(month)
    for name in names:
        sql = sql_by_name.get(name)
        if sql is None:
            print(f"{name}\t-", flush=True)
            continue
        times = []
        rows = columns = None
        for _ in range(runs):
            start = time.perf_counter()
            cursor = con.execute(sql)
            rows = cursor.fetchall()
            times.append(time.perf_counter() - start)
            columns = [d[0] for d in cursor.description]
        with open(os.path.join(out_dir, f"duckdb-{name}.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(columns)
            for row in rows:
                w.writerow([cell(v) for v in row])
        print(f"{name}\t{statistics.median(times):.6f}", flush=True)
    con.close()


def canonical(text):
    text = text.strip()
    if text == "":
        return ""
    try:
        return str(int(text))
    except ValueError:
        pass
    try:
        f = float(text)
    except ValueError:
        return text
    return str(int(f)) if f.is_integer() else f"{f:.9g}"


def summary(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    rows = sorted([canonical(c) for c in row] for row in rows)
    digest = hashlib.sha256("\n".join("\x1f".join(r) for r in rows).encode()).hexdigest()[:12]
    total = 0
    for row in rows:
        for c in row:
            try:
                total += int(c)
            except ValueError:
                pass
    return rows, digest, total


def cmd_compare(a_path, b_path):
    a, a_digest, a_total = summary(a_path)
    b, b_digest, b_total = summary(b_path)
    if a == b:
        print(f"MATCH ({len(a)} rows, sum {a_total}, sha256 {a_digest})")
        return
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    show = lambda rows: ",".join(rows[first]) if first < len(rows) else "(none)"
    print(
        f"DIFF ({len(a)} vs {len(b)} rows, sum {a_total} vs {b_total}; "
        f"first difference after sorting: {show(a)} | {show(b)})"
    )


def main(argv):
    if len(argv) >= 3 and argv[0] == "import":
        cmd_import(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "prepare":
        cmd_prepare(argv[1], argv[2])
    elif len(argv) >= 4 and argv[0] == "queries":
        cmd_queries(argv[1], int(argv[2]), argv[3], argv[4:])
    elif len(argv) == 3 and argv[0] == "compare":
        cmd_compare(argv[1], argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env bash
# bench/run.sh: sitrep's benchmark, rerunnable from a fresh clone (GitHub issue 4).
#
#   bench/run.sh                       # the reference run: 1M and 10M events (takes a while)
#   SIZES=20000 RUNS=1 bench/run.sh    # a quick check while developing
#
# What it does, for each size in SIZES:
#   1. builds sitrep and the generator (cargo build --release --locked --bin sitrep
#      --example generate) and generates events.csv, events.ndjson, entities.csv and
#      articles.ndjson with examples/generate.rs into $BENCH_DIR/data/ (kept and reused
#      while the size, the seed and the generator's source are the same);
#   2. times whole processes with /usr/bin/time -f '%e %M' (wall seconds, peak RSS), medians
#      of RUNS runs, the competitors taking turns within each run (the order rotates):
#        - sitrep import --quiet events.csv into a fresh archive (the headline), and the
#          archive's size;
#        - sqlite3 .import of events.csv into one flat table;
#        - sqlite-utils insert --csv (sizes up to SQLITE_UTILS_MAX only: it is slow);
#        - DuckDB CREATE TABLE events AS SELECT * FROM read_csv_auto(...) (a python process);
#        - sitrep import of events.ndjson into a fresh archive;
#      then re-imports the unchanged events.csv into the archive built from it;
#   3. builds a query archive (entities.csv, articles.ndjson, events.csv: one run, timed) and
#      runs every built-in saved query (sitrep query run NAME -f csv, whole process; wall time
#      taken with bash's EPOCHREALTIME, as %e's 10 ms steps are too coarse here) against
#      DuckDB's equivalent over the same files (bench/duckdb_bench.py: the query alone,
#      time.perf_counter inside one open connection), and checks that both answers agree
#      (row count and checksum of the sorted rows: MATCH or DIFF in the table).
#
# Output: one markdown table on stdout (progress goes to stderr). The table, with the
# machine (cores, CPU, RAM), date, git commit, tool versions and the exact command, is
# written to $BENCH_DIR/last-run.md, and also to BENCHMARKS.md at the repository root,
# between the lines <!-- bench:begin --> and <!-- bench:end --> (the rest of the file is
# kept; it is created when missing) -- but only for a run with the default SIZES, so a
# quick run does not overwrite the reference numbers. UPDATE_BENCHMARKS=1 or 0 forces it.
#
# Settings (environment):
#   SIZES             event counts (default "1000000 10000000")
#   RUNS              runs per import measurement (default 5 up to 1M events, 3 above)
#   QUERY_RUNS        runs per saved query (default RUNS)
#   SEED              generator seed (default 1)
#   BENCH_DIR         data, archives and the Python venv (default /tmp/sitrep-bench; refused
#                     inside the repository). Needs about 6 KB per event of free space
#                     (10M events: ~60 GB) while a size runs.
#   SQLITE_UTILS_MAX  largest size sqlite-utils is run at (default 1000000)
#   KEEP_ARCHIVES=1   keep the archives and databases of each size (default: removed when
#                     the size is done; the generated data is kept)
#   SKIP              measurements to leave out, space-separated: sqlite3 sqlite_utils duckdb
#                     ndjson reimport queries (e.g. SKIP="sqlite_utils ndjson" while iterating)
#
# Installs what is missing: /usr/bin/time (apt package "time") and sqlite3 with apt-get
# (as root, or through sudo), and a throwaway venv in $BENCH_DIR/venv with sqlite-utils and
# duckdb from pip. When pip fails, those columns are skipped and the table says so.

set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMAND_LINE=""
for var in SIZES RUNS QUERY_RUNS SEED BENCH_DIR SQLITE_UTILS_MAX KEEP_ARCHIVES SKIP UPDATE_BENCHMARKS; do
  if [ -n "${!var+x}" ]; then
    COMMAND_LINE="$COMMAND_LINE$var='${!var}' "
  fi
done
COMMAND_LINE="${COMMAND_LINE}bench/run.sh"
DEFAULT_SIZES="1000000 10000000"
SIZES="${SIZES:-$DEFAULT_SIZES}"
SEED="${SEED:-1}"
BENCH_DIR="${BENCH_DIR:-/tmp/sitrep-bench}"
SQLITE_UTILS_MAX="${SQLITE_UTILS_MAX:-1000000}"
KEEP_ARCHIVES="${KEEP_ARCHIVES:-0}"
SKIP="${SKIP:-}"
if [ -z "${UPDATE_BENCHMARKS:-}" ]; then
  if [ "$SIZES" = "$DEFAULT_SIZES" ]; then UPDATE_BENCHMARKS=1; else UPDATE_BENCHMARKS=0; fi
fi

log() { printf '[bench] %s\n' "$*" >&2; }
skipped() { [[ " $SKIP " == *" $1 "* ]]; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }

for n in $SIZES; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "SIZES: \"$n\" is not a positive whole number"
done
for s in $SKIP; do
  case $s in
    sqlite3 | sqlite_utils | duckdb | ndjson | reimport | queries) ;;
    *) die "SKIP: unknown measurement \"$s\" (sqlite3 sqlite_utils duckdb ndjson reimport queries)" ;;
  esac
done
[[ "$SEED" =~ ^[0-9]+$ ]] || die "SEED: \"$SEED\" is not a whole number"

inside_repo() {
  case "$1/" in "$ROOT"/* | "$(cd "$ROOT" && pwd -P)"/*) return 0 ;; esac
  return 1
}
case "$BENCH_DIR" in /*) ;; *) BENCH_DIR="$PWD/$BENCH_DIR" ;; esac
inside_repo "$BENCH_DIR" && die "BENCH_DIR ($BENCH_DIR) is inside the repository: choose a directory outside it"
mkdir -p "$BENCH_DIR"
BENCH_DIR="$(cd "$BENCH_DIR" && pwd -P)"
inside_repo "$BENCH_DIR" && die "BENCH_DIR ($BENCH_DIR) is inside the repository: choose a directory outside it"

now() {
  if [ -n "${EPOCHREALTIME:-}" ]; then echo "$EPOCHREALTIME"; else date +%s.%N; fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    return 1
  fi
}

apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  log "installing $* with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 ||
    { as_root apt-get update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; }
}

NOTES=()
[ -z "$SKIP" ] || NOTES+=("Left out on request (SKIP): $SKIP.")

# --- Tools ---------------------------------------------------------------------------------

if [ ! -x /usr/bin/time ]; then
  apt_install time || die "/usr/bin/time (GNU time) is missing and could not be installed"
fi
HAVE_SQLITE3=1
if ! command -v sqlite3 >/dev/null 2>&1; then
  if ! apt_install sqlite3 || ! command -v sqlite3 >/dev/null 2>&1; then
    HAVE_SQLITE3=0
    NOTES+=("sqlite3 is not installed and could not be installed: its column is skipped.")
  fi
fi

VENV="$BENCH_DIR/venv"
PY=""
HAVE_DUCKDB=0
HAVE_SQLITE_UTILS=0
if command -v python3 >/dev/null 2>&1; then
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating a Python venv in $VENV"
    python3 -m venv "$VENV" >&2 || rm -rf "$VENV"
  fi
  if [ -x "$VENV/bin/python" ]; then
    PY="$VENV/bin/python"
    for pkg in duckdb sqlite-utils; do
      module="${pkg//-/_}"
      if ! "$PY" -c "import $module" 2>/dev/null; then
        log "pip install $pkg"
        "$PY" -m pip install -q "$pkg" >&2 || log "pip install $pkg failed"
      fi
    done
    "$PY" -c "import duckdb" 2>/dev/null && HAVE_DUCKDB=1
    [ -x "$VENV/bin/sqlite-utils" ] && HAVE_SQLITE_UTILS=1
  fi
fi
[ "$HAVE_DUCKDB" = 1 ] ||
  NOTES+=("DuckDB (pip install duckdb) is not available: its import column and the query comparison are skipped.")
[ "$HAVE_SQLITE_UTILS" = 1 ] ||
  NOTES+=("sqlite-utils (pip install sqlite-utils) is not available: its column is skipped.")
COMPARE_PY="${PY:-$(command -v python3 || true)}"

# --- Build ---------------------------------------------------------------------------------

STARTED=$SECONDS
log "building sitrep and the generator (release)"
(cd "$ROOT" && cargo build --release --locked --bin sitrep --example generate >&2)
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
SITREP="$TARGET_DIR/release/sitrep"
GENERATE="$TARGET_DIR/release/examples/generate"
[ -x "$SITREP" ] && [ -x "$GENERATE" ] || die "the build did not produce $SITREP and $GENERATE"
GENERATOR_ID="$(sha256sum "$ROOT/examples/generate.rs" | cut -c1-16)"
DUCK="$ROOT/bench/duckdb_bench.py"

# --- Formatting ----------------------------------------------------------------------------

label() { # 1000000 -> 1M, 20000 -> 20k
  awk -v n="$1" 'BEGIN {
    if (n >= 1000000 && n % 1000000 == 0) printf "%dM", n / 1000000;
    else if (n >= 1000 && n % 1000 == 0) printf "%dk", n / 1000;
    else printf "%d", n }'
}
median() { # file of numbers -> median (empty when the file is missing or empty)
  [ -s "$1" ] || return 0
  sort -g "$1" | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.6f\n", v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
maximum() { [ -s "$1" ] && sort -g "$1" | tail -n 1 || true; }
secs() { # seconds -> "812 ms" / "5.43 s" / "51.4 s"
  [ -n "$1" ] || { echo "—"; return; }
  awk -v s="$1" 'BEGIN { if (s < 1) printf "%.0f ms", s * 1000; else if (s < 10) printf "%.2f s", s; else printf "%.1f s", s }'
}
mib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }' || echo "—"; }
mb() { [ -n "$1" ] && awk -v b="$1" 'BEGIN { if (b < 1e9) printf "%.1f MB", b / 1e6; else printf "%.2f GB", b / 1e9 }' || echo "—"; }
ratio() { # a / b
  if [ -n "$1" ] && [ -n "$2" ] && awk -v b="$2" 'BEGIN { exit !(b > 0) }'; then
    awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; if (r < 10) printf "%.2f×", r; else printf "%.0f×", r }'
  else
    echo "—"
  fi
}
file_size() { # a database and its journals, in bytes
  local total=0 f
  for f in "$1" "$1-wal" "$1-shm" "$1-journal" "$1.wal"; do
    if [ -f "$f" ]; then total=$((total + $(stat -c %s "$f"))); fi
  done
  echo "$total"
}
rm_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal" "$1.wal"; }

ROWS="$BENCH_DIR/.rows.md"
: >"$ROWS"
row() { # measurement size sitrep competitor ratio rss notes
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$@" >>"$ROWS"
}

# timed KEY CMD...: runs CMD under /usr/bin/time; appends %e to KEY.secs, %M to KEY.rss
# and the wall time measured around it (EPOCHREALTIME) to KEY.wall. A failure is logged
# and counted in KEY.failed.
timed() {
  local key=$1 rc=0 t0 t1 e m
  shift
  t0=$(now)
  /usr/bin/time -f '%e %M' -o "$WORK/.time" "$@" >"$WORK/$key.stdout" 2>"$WORK/$key.stderr" || rc=$?
  t1=$(now)
  if [ "$rc" -ne 0 ]; then
    log "$key failed (exit $rc): $(grep -v '^Command exited' "$WORK/$key.stderr" | tail -n 3 | tr '\n' ' ')"
    echo "$rc" >>"$WORK/$key.failed"
    return 0
  fi
  read -r e m < <(tail -n 1 "$WORK/.time")
  echo "$e" >>"$WORK/$key.secs"
  echo "$m" >>"$WORK/$key.rss"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$WORK/$key.wall"
}
failed() { [ -f "$WORK/$1.failed" ]; }

use_sqlite3() { [ "$HAVE_SQLITE3" = 1 ] && ! skipped sqlite3; }
use_sqlite_utils() { [ "$HAVE_SQLITE_UTILS" = 1 ] && ! skipped sqlite_utils && [ "$1" -le "$SQLITE_UTILS_MAX" ]; }
use_duckdb() { [ "$HAVE_DUCKDB" = 1 ] && ! skipped duckdb; }

# --- One size ------------------------------------------------------------------------------

DATA_LINES=()

bench_size() {
  local n=$1 size runs qruns
  size=$(label "$n")
  if [ -n "${RUNS:-}" ]; then runs=$RUNS; elif [ "$n" -le 1000000 ]; then runs=5; else runs=3; fi
  qruns=${QUERY_RUNS:-$runs}
  DATA="$BENCH_DIR/data/events-$n-seed$SEED"
  WORK="$BENCH_DIR/work/events-$n"

  if [ -f "$DATA/.complete" ] && [ "$(cat "$DATA/.complete")" = "$GENERATOR_ID" ]; then
    log "[$size] reusing the data in $DATA"
  else
    log "[$size] generating $n events into $DATA"
    rm -rf "$DATA"
    mkdir -p "$DATA"
    "$GENERATE" --events "$n" --out "$DATA" --seed "$SEED" 2>"$DATA/generate.log" ||
      die "the generator failed: $(cat "$DATA/generate.log")"
    cat "$DATA/generate.log" >&2
    echo "$GENERATOR_ID" >"$DATA/.complete"
  fi
  DATA_LINES+=("$size: $(sed 's/^generate: //; s/, in [0-9.]* s -> .*//' "$DATA/generate.log")")

  rm -rf "$WORK"
  mkdir -p "$WORK/out"
  local avail need
  avail=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
  need=$((n * 6 / 1000))
  [ "$avail" -ge "$need" ] || log "[$size] warning: $((avail / 1024)) MiB free in $WORK; this size may need ~$((need / 1024)) MiB"

  # Files in the page cache, as for every later run.
  cat "$DATA/events.csv" "$DATA/events.ndjson" >/dev/null

  # --- Imports, competitors taking turns.
  local competitors=(sitrep_csv)
  use_sqlite3 && competitors+=(sqlite3)
  use_sqlite_utils "$n" && competitors+=(sqlite_utils)
  use_duckdb && competitors+=(duckdb)
  skipped ndjson || competitors+=(sitrep_ndjson)
  local k=${#competitors[@]} r i c
  for ((r = 0; r < runs; r++)); do
    for ((i = 0; i < k; i++)); do
      c=${competitors[$(((i + r) % k))]}
      log "[$size] run $((r + 1))/$runs: $c"
      case $c in
        sitrep_csv)
          rm_db "$WORK/sitrep-csv.db"
          timed sitrep_csv "$SITREP" --db "$WORK/sitrep-csv.db" import --quiet "$DATA/events.csv" ;;
        sqlite3)
          rm_db "$WORK/sqlite3.db"
          timed sqlite3 sqlite3 "$WORK/sqlite3.db" -cmd '.mode csv' ".import \"$DATA/events.csv\" events" ;;
        sqlite_utils)
          rm_db "$WORK/sqlite-utils.db"
          timed sqlite_utils "$VENV/bin/sqlite-utils" insert "$WORK/sqlite-utils.db" events "$DATA/events.csv" --csv ;;
        duckdb)
          rm_db "$WORK/duckdb.db"
          timed duckdb "$PY" "$DUCK" import "$DATA/events.csv" "$WORK/duckdb.db" ;;
        sitrep_ndjson)
          rm_db "$WORK/sitrep-ndjson.db"
          timed sitrep_ndjson "$SITREP" --db "$WORK/sitrep-ndjson.db" import --quiet "$DATA/events.ndjson" ;;
      esac
    done
  done
  local size_sitrep size_sqlite3 size_duckdb size_su
  size_sitrep=$(file_size "$WORK/sitrep-csv.db")
  size_sqlite3=$(file_size "$WORK/sqlite3.db")
  size_duckdb=$(file_size "$WORK/duckdb.db")
  size_su=$(file_size "$WORK/sqlite-utils.db")
  rm_db "$WORK/sqlite3.db"
  rm_db "$WORK/sqlite-utils.db"
  rm_db "$WORK/sitrep-ndjson.db"

  local csv_t csv_m ndjson_t ndjson_m
  csv_t=$(median "$WORK/sitrep_csv.secs")
  csv_m=$(maximum "$WORK/sitrep_csv.rss")
  ndjson_t=$(median "$WORK/sitrep_ndjson.secs")
  ndjson_m=$(maximum "$WORK/sitrep_ndjson.rss")
  local warnings=""
  if grep -q 'warning' "$WORK/sitrep_csv.stderr" 2>/dev/null; then
    # The gist of each warning (expected here: no entities or articles were imported first).
    warnings="; sitrep warned: $(grep 'warning' "$WORK/sitrep_csv.stderr" | sed 's/^sitrep: warning: [^:]*: //; s/: .*//' | paste -sd ';' - | sed 's/;/; /g')"
  fi
  local fail_note=""
  failed sitrep_csv && fail_note="; FAILED $(wc -l <"$WORK/sitrep_csv.failed") of $runs runs"

  local comp name t m note
  for comp in sqlite3 duckdb sqlite_utils; do
    case $comp in
      sqlite3)
        skipped sqlite3 && continue
        name="sqlite3 shell .import (one flat table)"
        [ "$HAVE_SQLITE3" = 1 ] || { row "import events.csv, fresh archive, vs sqlite3 .import" "$size" "$(secs "$csv_t")" "skipped: no sqlite3" "—" "$(mib "$csv_m")" ""; continue; } ;;
      duckdb)
        skipped duckdb && continue
        name="DuckDB read_csv_auto into a table (python process)"
        [ "$HAVE_DUCKDB" = 1 ] || { row "import events.csv, fresh archive, vs DuckDB" "$size" "$(secs "$csv_t")" "skipped: no DuckDB (pip failed)" "—" "$(mib "$csv_m")" ""; continue; } ;;
      sqlite_utils)
        skipped sqlite_utils && continue
        [ "$n" -le "$SQLITE_UTILS_MAX" ] || continue
        name="sqlite-utils insert --csv"
        [ "$HAVE_SQLITE_UTILS" = 1 ] || { row "import events.csv, fresh archive, vs sqlite-utils" "$size" "$(secs "$csv_t")" "skipped: no sqlite-utils (pip failed)" "—" "$(mib "$csv_m")" ""; continue; } ;;
    esac
    t=$(median "$WORK/$comp.secs")
    m=$(maximum "$WORK/$comp.rss")
    note="median of $runs$warnings$fail_note"
    failed "$comp" && note="$note; $comp FAILED $(wc -l <"$WORK/$comp.failed") of $runs runs"
    row "import events.csv, fresh archive, vs $name" "$size" "$(secs "$csv_t")" "$(secs "$t")" "$(ratio "$csv_t" "$t")" "sitrep $(mib "$csv_m"), other $(mib "$m")" "$note"
    warnings=""
  done
  if [ "${#competitors[@]}" -eq 1 ] || { [ "${#competitors[@]}" -eq 2 ] && ! skipped ndjson; }; then
    row "import events.csv into a fresh archive" "$size" "$(secs "$csv_t")" "" "" "$(mib "$csv_m")" "median of $runs$warnings$fail_note"
  fi
  row "archive size after importing events.csv" "$size" "$(mb "$size_sitrep")" "" "" "" "events.csv is $(mb "$(stat -c %s "$DATA/events.csv")")"
  use_sqlite3 &&
    row "file size vs sqlite3 flat table" "$size" "$(mb "$size_sitrep")" "$(mb "$size_sqlite3")" "$(ratio "$size_sitrep" "$size_sqlite3")" "" ""
  use_duckdb &&
    row "file size vs DuckDB table" "$size" "$(mb "$size_sitrep")" "$(mb "$size_duckdb")" "$(ratio "$size_sitrep" "$size_duckdb")" "" ""
  use_sqlite_utils "$n" &&
    row "file size vs sqlite-utils table" "$size" "$(mb "$size_sitrep")" "$(mb "$size_su")" "$(ratio "$size_sitrep" "$size_su")" "" ""
  if ! skipped ndjson; then
    note="median of $runs; events.ndjson is $(mb "$(stat -c %s "$DATA/events.ndjson")")"
    failed sitrep_ndjson && note="$note; FAILED $(wc -l <"$WORK/sitrep_ndjson.failed") of $runs runs"
    row "import events.ndjson vs events.csv (both sitrep, fresh archive)" "$size" "$(secs "$ndjson_t")" "$(secs "$csv_t")" "$(ratio "$ndjson_t" "$csv_t")" "ndjson $(mib "$ndjson_m"), csv $(mib "$csv_m")" "$note"
  fi

  # --- Re-import of the unchanged file.
  if [ -f "$WORK/sitrep-csv.db" ] && ! skipped reimport; then
    for ((r = 0; r < runs; r++)); do
      log "[$size] run $((r + 1))/$runs: sitrep re-import"
      timed sitrep_reimport "$SITREP" --db "$WORK/sitrep-csv.db" import --quiet "$DATA/events.csv"
    done
    local re_t re_m re_note
    re_t=$(median "$WORK/sitrep_reimport.secs")
    re_m=$(maximum "$WORK/sitrep_reimport.rss")
    re_note="median of $runs; $(grep -o '[0-9]* added, [0-9]* updated, [0-9]* unchanged' "$WORK/sitrep_reimport.stdout" | head -n 1 || true)"
    row "re-import unchanged events.csv vs first import" "$size" "$(secs "$re_t")" "$(secs "$csv_t")" "$(ratio "$re_t" "$csv_t")" "$(mib "$re_m")" "$re_note"
  fi
  [ "$KEEP_ARCHIVES" = 1 ] || rm_db "$WORK/sitrep-csv.db"

  # --- The query archive and the saved queries.
  if skipped queries; then
    [ "$KEEP_ARCHIVES" = 1 ] || rm_db "$WORK/duckdb.db"
    return 0
  fi
  log "[$size] building the query archive (entities, articles, events)"
  rm_db "$WORK/query.db"
  timed sitrep_query_db "$SITREP" --db "$WORK/query.db" import --quiet \
    "$DATA/entities.csv" "$DATA/articles.ndjson" "$DATA/events.csv"
  if failed sitrep_query_db; then
    row "build the query archive" "$size" "FAILED" "" "" "" "$(tail -n 1 "$WORK/sitrep_query_db.stderr")"
    return 0
  fi
  local qb_warn="no warnings"
  if [ -s "$WORK/sitrep_query_db.stderr" ]; then
    qb_warn="$(grep -c . "$WORK/sitrep_query_db.stderr") warning line(s): see $WORK/sitrep_query_db.stderr"
  fi
  row "build the query archive: entities.csv + articles.ndjson + events.csv" "$size" \
    "$(secs "$(median "$WORK/sitrep_query_db.secs")")" "" "" "$(mib "$(maximum "$WORK/sitrep_query_db.rss")")" \
    "1 run; archive $(mb "$(file_size "$WORK/query.db")"); $qb_warn"
  SQLITE_VERSION="$("$SITREP" --db "$WORK/query.db" sql "SELECT sqlite_version()" -f csv 2>/dev/null | tail -n 1 || true)"

  # What every query row pays before its query: starting sitrep and opening the archive.
  for ((r = 0; r < qruns; r++)); do
    timed startup "$SITREP" --db "$WORK/query.db" sql "SELECT 1" -f csv
  done
  row "process start-up: sitrep sql \"SELECT 1\" on the query archive" "$size" "$(secs "$(median "$WORK/startup.wall")")" "" "" "$(mib "$(maximum "$WORK/startup.rss")")" "median of $qruns; included in each query row below"

  local names=()
  mapfile -t names < <("$SITREP" --db "$WORK/query.db" query list -f csv | awk -F, 'NR > 1 && $2 == "built-in" { print $1 }')
  local q
  for ((r = 0; r < qruns; r++)); do
    for q in "${names[@]}"; do
      log "[$size] query run $((r + 1))/$qruns: $q"
      timed "q-$q" "$SITREP" --db "$WORK/query.db" query run "$q" -f csv
      cp "$WORK/q-$q.stdout" "$WORK/out/sitrep-$q.csv"
    done
  done
  declare -A duck_secs=()
  if use_duckdb; then
    log "[$size] DuckDB: adding entities and articles, running the queries"
    if "$PY" "$DUCK" prepare "$DATA" "$WORK/duckdb.db" >&2 &&
      "$PY" "$DUCK" queries "$WORK/duckdb.db" "$qruns" "$WORK/out" "${names[@]}" >"$WORK/duckdb-queries.tsv"; then
      while IFS=$'\t' read -r q t; do duck_secs[$q]=$t; done <"$WORK/duckdb-queries.tsv"
    else
      log "[$size] DuckDB queries failed"
    fi
  fi
  local st sm dt check
  for q in "${names[@]}"; do
    st=$(median "$WORK/q-$q.wall")
    sm=$(maximum "$WORK/q-$q.rss")
    dt=${duck_secs[$q]:-}
    check=""
    if failed "q-$q"; then
      check="sitrep FAILED"
    elif [ -z "$dt" ]; then
      check="no DuckDB run"
    elif [ "$dt" = "-" ]; then
      check="no DuckDB equivalent in bench/duckdb_bench.py"
      dt=""
    elif [ -n "$COMPARE_PY" ]; then
      check=$("$COMPARE_PY" "$DUCK" compare "$WORK/out/sitrep-$q.csv" "$WORK/out/duckdb-$q.csv" 2>&1 | tail -n 1)
    fi
    row "query $q: sitrep process vs DuckDB in-process" "$size" "$(secs "$st")" "$(secs "$dt")" "$(ratio "$st" "$dt")" "$(mib "$sm")" "median of $qruns; $check"
  done

  if [ "$KEEP_ARCHIVES" != 1 ]; then
    rm_db "$WORK/query.db"
    rm_db "$WORK/duckdb.db"
  fi
}

SQLITE_VERSION=""
for n in $SIZES; do
  if [ "$n" -gt "$SQLITE_UTILS_MAX" ] && [ "$HAVE_SQLITE_UTILS" = 1 ] && ! skipped sqlite_utils; then
    NOTES+=("sqlite-utils runs only up to SQLITE_UTILS_MAX=$SQLITE_UTILS_MAX events (it is slow).")
  fi
  bench_size "$n"
done

# --- Report --------------------------------------------------------------------------------

TABLE="$BENCH_DIR/.table.md"
{
  echo "| measurement | size | sitrep | competitor | ratio | peak RSS | notes |"
  echo "|---|---|---|---|---|---|---|"
  cat "$ROWS"
} >"$TABLE"
cat "$TABLE"

commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit (with uncommitted changes)"
fi
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
ram="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)"
versions="$(rustc --version 2>/dev/null || true); sitrep's bundled SQLite ${SQLITE_VERSION:-?}"
[ "$HAVE_SQLITE3" = 1 ] && versions="$versions; sqlite3 shell $(sqlite3 --version | cut -d' ' -f1)"
[ "$HAVE_DUCKDB" = 1 ] && versions="$versions; DuckDB $("$PY" -c 'import duckdb; print(duckdb.__version__)')"
[ "$HAVE_SQLITE_UTILS" = 1 ] && versions="$versions; sqlite-utils $("$VENV/bin/sqlite-utils" --version | awk '{ print $NF }')"

REPORT="$BENCH_DIR/last-run.md"
{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') at commit \`$commit\` with \`$COMMAND_LINE\`."
  echo
  echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, $ram RAM, $(uname -sr)."
  echo "Tools: $versions."
  echo
  echo "Data (examples/generate.rs, seed $SEED):"
  echo
  for line in "${DATA_LINES[@]}"; do echo "- $line"; done
  echo
  cat "$TABLE"
  echo
  echo "Ratio = sitrep ÷ competitor (above 1: sitrep is slower or larger). Imports: whole"
  echo "processes timed with \`/usr/bin/time -f '%e %M'\`, input files in the page cache, the"
  echo "competitors taking turns in each run, medians; peak RSS is the largest of the runs."
  echo "Queries: sitrep is the whole \`sitrep query run NAME -f csv\` process (wall time around it);"
  echo "DuckDB is the query alone in an open connection to a database holding the same files"
  echo "(bench/duckdb_bench.py). MATCH: both answers have the same rows (sorted, numbers compared"
  echo "as numbers)."
  for note in "${NOTES[@]+"${NOTES[@]}"}"; do echo; echo "Note: $note"; done
} >"$REPORT"
log "report written to $REPORT"

if [ "$UPDATE_BENCHMARKS" = 1 ]; then
  target="$ROOT/BENCHMARKS.md"
  if [ ! -f "$target" ] || ! grep -q '^<!-- bench:begin -->$' "$target"; then
    {
      [ -f "$target" ] && cat "$target" && echo
      [ -f "$target" ] || printf '# Benchmarks\n\nRerun with `bench/run.sh` (what it measures and how: see the top of that script).\n\n'
      echo "<!-- bench:begin -->"
      echo "<!-- bench:end -->"
    } >"$target.tmp"
    mv "$target.tmp" "$target"
  fi
  awk -v report="$REPORT" '
    /^<!-- bench:begin -->$/ { print; while ((getline line < report) > 0) print line; skip = 1; next }
    /^<!-- bench:end -->$/ { skip = 0 }
    !skip { print }' "$target" >"$target.tmp"
  mv "$target.tmp" "$target"
  log "BENCHMARKS.md updated"
else
  log "BENCHMARKS.md left alone (not the default SIZES; UPDATE_BENCHMARKS=1 forces it)"
fi
log "done in $(((SECONDS - STARTED) / 60)) min $(((SECONDS - STARTED) % 60)) s"

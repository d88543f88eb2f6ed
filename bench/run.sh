#!/usr/bin/env bash
# TPC-H Q1 and Q6 on tributary and on DuckDB over the same generated CSV files, in one run.
#
# Usage: bench/run.sh [SF]        (or SF=0.1 bench/run.sh; default SF 1)
# Environment: TRIBUTARY (default build/release/tributary), TPCH_GEN (default
# build/release/tpch_gen), RUNS (default 3: best of RUNS is reported), FORMAT=csv|parquet|
# tparquet|s3csv:
#   parquet   DuckDB converts the CSV files once to SNAPPY Parquet, and both engines read those.
#   tparquet  tributary writes the Parquet copy (CREATE TABLE AS in a files catalog, SNAPPY) and
#             DuckDB writes its own copy of the same CSV too: the two write times are compared,
#             then both engines query tributary's files.
#   s3csv     tributary reads the CSV files from an S3-API server (TRIBUTARY_S3_ENDPOINT, e.g.
#             s3rver from scripts/services.sh; uploaded once); DuckDB reads the same files from
#             the local disk (its httpfs extension cannot be installed offline).
#   s3parquet the same with DuckDB's Parquet copy (as FORMAT=parquet).
#
# Generates bench/data/sf<SF>/tpch/{lineitem,orders}.csv if missing, writes the catalog
# bench/data/sf<SF>/config/catalog/tpch.properties, times each query best-of-RUNS on both
# engines, fails loudly if the answers differ, and prints query, times and the ratio
# tributary/DuckDB.
#
# Both engines are timed the same way: the query inside a running process, best of RUNS
# (DuckDB: runAndReadAll; tributary: EXPLAIN ANALYZE's Elapsed, RUNS statements in one
# process), plus CPU time per run (user + system of all threads; it hardly moves when other
# work shares the machine, unlike wall time). tributary's whole-process wall time (start-up,
# catalog loading and CSV output included) is reported beside them, from the runs whose
# answers are compared.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SF="${1:-${SF:-1}}"
RUNS="${RUNS:-3}"
TRIBUTARY="${TRIBUTARY:-$ROOT/build/release/tributary}"
TPCH_GEN="${TPCH_GEN:-$ROOT/build/release/tpch_gen}"
QUERIES=(q1 q6 point)
FORMAT="${FORMAT:-csv}"

die() { echo "bench: $*" >&2; exit 1; }
now_ns() { date +%s%N; }

[[ "$SF" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "scale factor must be a number, got '$SF'"
[[ -x "$TRIBUTARY" ]] || die "$TRIBUTARY not found: build first (make build)"
[[ -d "$ROOT/node_modules/@duckdb/node-api" ]] || die "@duckdb/node-api missing: run scripts/install-deps.sh"

DATA="$ROOT/bench/data/sf$SF"
CONFIG="$DATA/config"
RESULTS="$ROOT/bench/data/results-sf$SF"   # outside $DATA: the files catalog would list it

if [[ ! -f "$DATA/tpch/lineitem.csv" || ! -f "$DATA/tpch/orders.csv" ]]; then
  [[ -x "$TPCH_GEN" ]] || die "$TPCH_GEN not found: build first (make build)"
  echo "bench: generating SF $SF into $DATA/tpch"
  "$TPCH_GEN" "$SF" "$DATA/tpch"
fi

# DuckDB writes the Parquet copy once: SNAPPY, its default row groups (122,880 rows).
duckdb_parquet() {
  if [[ ! -f "$DATA/parquet/tpch/lineitem.parquet" || ! -f "$DATA/parquet/tpch/orders.parquet" ]]; then
    echo "bench: converting SF $SF to Parquet with DuckDB"
    mkdir -p "$DATA/parquet/tpch"
    (cd "$ROOT" && node bench/to_parquet.mjs "$DATA/tpch" "$DATA/parquet/tpch" lineitem orders)
  fi
}

if [[ "$FORMAT" == parquet ]]; then
  duckdb_parquet
  CONFIG="$DATA/parquet-config"
  RESULTS="$ROOT/bench/data/results-sf$SF-parquet"
  TABLE_DIR="$DATA/parquet/tpch"
  CATALOG_LOCATION="$DATA/parquet"
elif [[ "$FORMAT" == tparquet ]]; then
  CONFIG="$DATA/tparquet-config"
  RESULTS="$ROOT/bench/data/results-sf$SF-tparquet"
  TABLE_DIR="$DATA/tparquet/tpch"
  CATALOG_LOCATION="$DATA/tparquet"
  WRITER="$DATA/tparquet-writer"
  rm -rf "$DATA/tparquet" "$WRITER"
  mkdir -p "$DATA/tparquet" "$WRITER/config/catalog" "$RESULTS"
  printf 'connector.name=files\nlocation=%s\n' "$DATA" > "$WRITER/config/catalog/src.properties"
  printf 'connector.name=files\nlocation=%s\n' "$DATA/tparquet" > "$WRITER/config/catalog/out.properties"
  for table in lineitem orders; do
    start=$(now_ns)
    /usr/bin/time -f '%U %S' -o "$RESULTS/write-$table.cpu" "$TRIBUTARY" query --config-dir "$WRITER/config" \
      "CREATE TABLE out.tpch.$table WITH (format = 'PARQUET') AS SELECT * FROM src.tpch.$table" 2> "$RESULTS/write-$table.err" \
      || { cat "$RESULTS/write-$table.err" >&2; die "tributary could not write $table as Parquet"; }
    echo "$(( ($(now_ns) - start) / 1000000 )) $(awk '{ print ($1 + $2) * 1000 }' "$RESULTS/write-$table.cpu")" \
      > "$RESULTS/write-$table.tributary"
  done
  # DuckDB writes the same tables from the same CSV (SNAPPY), timed the same way (whole process).
  mkdir -p "$WRITER/duckdb"
  start=$(now_ns)
  /usr/bin/time -f '%U %S' -o "$RESULTS/write.duckdb.cpu" \
    node "$ROOT/bench/to_parquet.mjs" "$DATA/tpch" "$WRITER/duckdb" lineitem orders
  echo "$(( ($(now_ns) - start) / 1000000 )) $(awk '{ print ($1 + $2) * 1000 }' "$RESULTS/write.duckdb.cpu")" \
    > "$RESULTS/write.duckdb"
  write_ms=$(( $(cut -d' ' -f1 "$RESULTS/write-lineitem.tributary") + $(cut -d' ' -f1 "$RESULTS/write-orders.tributary") ))
  write_cpu=$(awk '{ s += $2 } END { print s }' "$RESULTS"/write-*.tributary)
  echo "$write_ms $write_cpu $(cat "$RESULTS/write.duckdb") $(du -sb "$DATA/tparquet" | cut -f1) $(du -sb "$WRITER/duckdb" | cut -f1)" \
    > "$RESULTS/write.summary"
  rm -rf "$WRITER/duckdb"
elif [[ "$FORMAT" == s3csv || "$FORMAT" == s3parquet ]]; then
  : "${TRIBUTARY_S3_ENDPOINT:?FORMAT=$FORMAT needs an S3-API server: eval \"\$(scripts/services.sh env)\" after scripts/services.sh start s3rver}"
  CONFIG="$DATA/$FORMAT-config"
  RESULTS="$ROOT/bench/data/results-sf$SF-$FORMAT"
  BUCKET="tributary-bench-sf${SF//./-}"
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-S3RVER}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-S3RVER}"
  export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
  s3() { aws --endpoint-url "$TRIBUTARY_S3_ENDPOINT" "$@"; }
  if [[ "$FORMAT" == s3csv ]]; then
    TABLE_DIR="$DATA/tpch"
    CATALOG_LOCATION="s3://$BUCKET"
    files=(lineitem.csv lineitem.schema orders.csv orders.schema)
  else
    duckdb_parquet
    TABLE_DIR="$DATA/parquet/tpch"
    CATALOG_LOCATION="s3://$BUCKET/parquet"
    files=(lineitem.parquet orders.parquet)
  fi
  s3 s3api create-bucket --bucket "$BUCKET" > /dev/null 2>&1 || true
  for file in "${files[@]}"; do
    key="${CATALOG_LOCATION#s3://$BUCKET}/tpch/$file"
    key="${key#/}"
    if ! s3 s3api head-object --bucket "$BUCKET" --key "$key" > /dev/null 2>&1; then
      echo "bench: uploading $file to $TRIBUTARY_S3_ENDPOINT/$BUCKET/$key"
      s3 s3 cp --only-show-errors "$TABLE_DIR/$file" "s3://$BUCKET/$key"
    fi
  done
  mkdir -p "$CONFIG/catalog" "$RESULTS"
  printf 'connector.name=files\nlocation=%s\ns3.endpoint=%s\ns3.access-key=%s\ns3.secret-key=%s\n' "$CATALOG_LOCATION" \
    "$TRIBUTARY_S3_ENDPOINT" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" > "$CONFIG/catalog/tpch.properties"
else
  TABLE_DIR="$DATA/tpch"
  CATALOG_LOCATION="$DATA"
fi
mkdir -p "$CONFIG/catalog" "$RESULTS"
[[ "$FORMAT" == s3* ]] || printf 'connector.name=files\nlocation=%s\n' "$CATALOG_LOCATION" > "$CONFIG/catalog/tpch.properties"

command -v /usr/bin/time > /dev/null || die "/usr/bin/time missing (apt-get install time)"
/usr/bin/time -f '%U %S' -o "$RESULTS/startup.cpu" "$TRIBUTARY" query --config-dir "$CONFIG" 'SELECT 1' > /dev/null
startup_cpu="$(awk '{ print $1 + $2 }' "$RESULTS/startup.cpu")"

for query in "${QUERIES[@]}"; do
  sql="$ROOT/bench/queries/$query.sql"
  best=""
  for ((run = 1; run <= RUNS; run++)); do
    start=$(now_ns)
    if ! "$TRIBUTARY" query --config-dir "$CONFIG" --output-format CSV --file "$sql" \
         > "$RESULTS/$query.tributary.csv" 2> "$RESULTS/$query.tributary.err"; then
      cat "$RESULTS/$query.tributary.err" >&2
      die "tributary failed on $query"
    fi
    elapsed=$(( $(now_ns) - start ))
    if [[ -z "$best" || "$elapsed" -lt "$best" ]]; then best=$elapsed; fi
    echo "bench: tributary $query run $run: $(( elapsed / 1000000 )) ms"
  done
  awk -v ns="$best" 'BEGIN { printf "%.1f\n", ns / 1e6 }' > "$RESULTS/$query.tributary.process.ms"
  # The in-process time, measured as DuckDB's is (the query inside one running process, best of
  # RUNS, no process start-up or catalog loading): EXPLAIN ANALYZE's "Elapsed" (bind, plan and
  # execute), RUNS statements in one process.
  statement="$(sed -e 's/[[:space:];]*$//' "$sql")"
  analyze_sql="$RESULTS/$query.analyze.sql"
  : > "$analyze_sql"
  for ((run = 1; run <= RUNS; run++)); do printf 'EXPLAIN ANALYZE %s;\n' "$statement" >> "$analyze_sql"; done
  if ! /usr/bin/time -f '%U %S' -o "$RESULTS/$query.analyze.cpu" \
       "$TRIBUTARY" query --config-dir "$CONFIG" --output-format CSV --file "$analyze_sql" \
       > "$RESULTS/$query.analyze.txt" 2> "$RESULTS/$query.tributary.err"; then
    cat "$RESULTS/$query.tributary.err" >&2
    die "tributary failed on EXPLAIN ANALYZE $query"
  fi
  grep -o 'Elapsed: [0-9.]*ms' "$RESULTS/$query.analyze.txt" | sed -e 's/Elapsed: //' -e 's/ms//' | sort -g | head -1 \
    > "$RESULTS/$query.tributary.ms"
  [[ -s "$RESULTS/$query.tributary.ms" ]] || die "no Elapsed figure in EXPLAIN ANALYZE $query"
  # CPU time per run (user + system, both threads), less that of a process that runs SELECT 1:
  # unlike wall time, it hardly moves when other work shares the machine.
  awk -v runs="$RUNS" -v base="$startup_cpu" '{ printf "%.1f\n", (($1 + $2) - base) * 1000 / runs }' \
    "$RESULTS/$query.analyze.cpu" > "$RESULTS/$query.tributary.cpu.ms"
  echo "bench: tributary $query in-process best: $(cat "$RESULTS/$query.tributary.ms") ms," \
    "CPU $(cat "$RESULTS/$query.tributary.cpu.ms") ms per run"
done

echo "bench: duckdb (threads=2, best of $RUNS, $FORMAT)"
query_files=()
for query in "${QUERIES[@]}"; do query_files+=("$ROOT/bench/queries/$query.sql"); done
DUCKDB_FORMAT="$FORMAT"
[[ "$FORMAT" == s3csv ]] && DUCKDB_FORMAT=csv
[[ "$FORMAT" == s3parquet ]] && DUCKDB_FORMAT=parquet
(cd "$ROOT" && FORMAT="$DUCKDB_FORMAT" node bench/duckdb_run.mjs "$TABLE_DIR" "${query_files[@]}") > "$RESULTS/duckdb.jsonl"

echo
echo "TPC-H SF $SF, $FORMAT, on $(nproc) cores (results in $RESULTS)"
node "$ROOT/bench/compare.mjs" "$RESULTS" "${QUERIES[@]}"
if [[ -f "$RESULTS/write.summary" && "$FORMAT" == tparquet ]]; then
  read -r t_ms t_cpu d_ms d_cpu t_bytes d_bytes < "$RESULTS/write.summary"
  awk -v t="$t_ms" -v tc="$t_cpu" -v d="$d_ms" -v dc="$d_cpu" -v tb="$t_bytes" -v db="$d_bytes" 'BEGIN {
    printf "write lineitem+orders as SNAPPY Parquet (whole process, from CSV): tributary %d ms (CPU %d ms, %.0f MB), DuckDB %d ms (CPU %d ms, %.0f MB), ratio %.2f\n",
      t, tc, tb / 1e6, d, dc, db / 1e6, t / d }'
fi

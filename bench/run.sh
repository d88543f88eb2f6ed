#!/usr/bin/env bash
# TPC-H Q1 and Q6 on tributary and on DuckDB over the same generated CSV files, in one run.
#
# Usage: bench/run.sh [SF]        (or SF=0.1 bench/run.sh; default SF 1)
# Environment: TRIBUTARY (default build/release/tributary), TPCH_GEN (default
# build/release/tpch_gen), RUNS (default 3: best of RUNS is reported), FORMAT=csv|parquet
# (parquet: DuckDB converts the CSV files once to SNAPPY Parquet, and both engines read those).
#
# Generates bench/data/sf<SF>/tpch/{lineitem,orders}.csv if missing, writes the catalog
# bench/data/sf<SF>/config/catalog/tpch.properties, times each query best-of-RUNS on both
# engines, fails loudly if the answers differ, and prints query, times and the ratio
# tributary/DuckDB.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SF="${1:-${SF:-1}}"
RUNS="${RUNS:-3}"
TRIBUTARY="${TRIBUTARY:-$ROOT/build/release/tributary}"
TPCH_GEN="${TPCH_GEN:-$ROOT/build/release/tpch_gen}"
QUERIES=(q1 q6 point)
FORMAT="${FORMAT:-csv}"

die() { echo "bench: $*" >&2; exit 1; }

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

if [[ "$FORMAT" == parquet ]]; then
  # DuckDB writes the Parquet copy once: SNAPPY, its default row groups (122,880 rows).
  if [[ ! -f "$DATA/parquet/tpch/lineitem.parquet" || ! -f "$DATA/parquet/tpch/orders.parquet" ]]; then
    echo "bench: converting SF $SF to Parquet with DuckDB"
    mkdir -p "$DATA/parquet/tpch"
    (cd "$ROOT" && node bench/to_parquet.mjs "$DATA/tpch" "$DATA/parquet/tpch" lineitem orders)
  fi
  CONFIG="$DATA/parquet-config"
  RESULTS="$ROOT/bench/data/results-sf$SF-parquet"
  TABLE_DIR="$DATA/parquet/tpch"
  CATALOG_LOCATION="$DATA/parquet"
else
  TABLE_DIR="$DATA/tpch"
  CATALOG_LOCATION="$DATA"
fi
mkdir -p "$CONFIG/catalog" "$RESULTS"
printf 'connector.name=files\nlocation=%s\n' "$CATALOG_LOCATION" > "$CONFIG/catalog/tpch.properties"

now_ns() { date +%s%N; }

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
  awk -v ns="$best" 'BEGIN { printf "%.1f\n", ns / 1e6 }' > "$RESULTS/$query.tributary.ms"
done

echo "bench: duckdb (threads=2, best of $RUNS, $FORMAT)"
query_files=()
for query in "${QUERIES[@]}"; do query_files+=("$ROOT/bench/queries/$query.sql"); done
(cd "$ROOT" && FORMAT="$FORMAT" node bench/duckdb_run.mjs "$TABLE_DIR" "${query_files[@]}") > "$RESULTS/duckdb.jsonl"

echo
echo "TPC-H SF $SF, $FORMAT, on $(nproc) cores (results in $RESULTS)"
node "$ROOT/bench/compare.mjs" "$RESULTS" "${QUERIES[@]}"

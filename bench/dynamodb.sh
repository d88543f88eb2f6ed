#!/usr/bin/env bash
# DynamoDB connector benchmark against dynalite (from scripts/services.sh; `make bench-dynamodb`
# starts and stops its own):
#  (a) 100,000 items {order_id: S, n: N, grp: N, pad: S (100 bytes)} loaded with BatchWriteItem
#      (25 items a call, 16 in flight; tests/integration/dynamodb/ddb_client.mjs)
#  (b) full-table scan `SELECT count(*), sum(n)` through tributary vs a plain parallel Scan client
#      (ddb_client.mjs scan: the same segment count as tributary's EXPLAIN shows, the same
#      projection `n`) -- ratio tributary / plain client, target <= 1.2
#  (c) key lookup `SELECT * ... WHERE order_id = '...'`: wall time of `tributary query` (process
#      start included) and in-process (EXPLAIN ANALYZE's Elapsed line) -- target < 20 ms
# Usage: bench/dynamodb.sh [TRIBUTARY_BINARY] [ITEMS]   (times: best and median of RUNS=5, in ms)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/build/release/tributary}"
ITEMS="${2:-100000}"
RUNS="${RUNS:-5}"
CLIENT="$ROOT/tests/integration/dynamodb/ddb_client.mjs"
: "${TRIBUTARY_DYNAMODB_ENDPOINT:?run eval \"\$(scripts/services.sh env)\" first}"
export AWS_ACCESS_KEY_ID=dummy AWS_SECRET_ACCESS_KEY=dummy AWS_DEFAULT_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 AWS_PAGER=""
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/catalog"
printf '%s\n' connector.name=dynamodb "dynamodb.endpoint=$TRIBUTARY_DYNAMODB_ENDPOINT" dynamodb.region=us-east-1 \
  dynamodb.access-key=dummy dynamodb.secret-key=dummy > "$WORK/catalog/ddb.properties"
TABLE=BenchOrders
ddb() { aws --endpoint-url "$TRIBUTARY_DYNAMODB_ENDPOINT" --output json dynamodb "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# stats FILE: "best B ms, median M ms" of the numbers in FILE (one a line)
stats() { sort -n "$1" | awk '{v[NR] = $1} END {printf "best %d ms, median %d ms", v[1], v[int((NR + 1) / 2)]}'; }
best() { sort -n "$1" | head -n 1; }

# ---------------------------------------------------------------- (a) load
if ddb describe-table --table-name "$TABLE" > /dev/null 2>&1; then
  ddb delete-table --table-name "$TABLE" > /dev/null
  ddb wait table-not-exists --table-name "$TABLE"
fi
ddb create-table --table-name "$TABLE" --attribute-definitions AttributeName=order_id,AttributeType=S \
  --key-schema AttributeName=order_id,KeyType=HASH --billing-mode PAY_PER_REQUEST > /dev/null
ddb wait table-exists --table-name "$TABLE"
start=$(now_ms)
DDB_KEY=order_id DDB_KEY_PREFIX=o node "$CLIENT" load "$TABLE" "$ITEMS" 100
load_ms=$(($(now_ms) - start))
expected_sum=$((ITEMS * (ITEMS + 1) / 2))
echo "(a) loaded $ITEMS items with BatchWriteItem in $load_ms ms ($((ITEMS * 1000 / (load_ms + 1))) items/s)"

q() { "$BIN" query --config-dir "$WORK" --output-format TSV "$@"; }

# ---------------------------------------------------------------- (b) full scan
SQL="SELECT count(*), sum(n) FROM ddb.default.benchorders"
plan="$(q "EXPLAIN $SQL")"
scan_line="$(grep -m1 'dynamodb Scan on' <<<"$plan" | sed 's/^ *//')"
segments="$(sed -nE 's/.*\(([0-9]+) segments?.*/\1/p' <<<"$scan_line")"
echo "(b) tributary plan: $scan_line"
: > "$WORK/trib" ; : > "$WORK/plain"
for _ in $(seq 1 "$RUNS"); do
  start=$(now_ms)
  out="$(q "$SQL")"
  echo $(($(now_ms) - start)) >> "$WORK/trib"
  [[ "$out" == "$(printf '%s\t%s' "$ITEMS" "$expected_sum")" ]] || { echo "tributary scan: wrong result '$out'" >&2; exit 1; }
  start=$(now_ms)
  out="$(node "$CLIENT" scan "$TABLE" "$segments" n)"
  echo $(($(now_ms) - start)) >> "$WORK/plain"
  grep -q "\"items\":$ITEMS,\"sum_n\":\"$expected_sum\"" <<<"$out" || { echo "plain scan: wrong result $out" >&2; exit 1; }
done
trib_best=$(best "$WORK/trib") plain_best=$(best "$WORK/plain")
echo "    tributary query (process start included):  $(stats "$WORK/trib")"
echo "    plain parallel Scan client ($segments segments, projection n, node process start included): $(stats "$WORK/plain")"
awk -v t="$trib_best" -v p="$plain_best" 'BEGIN {printf "    ratio tributary / plain client (best): %.2f (target <= 1.2)\n", t / p}'
elapsed="$(q "EXPLAIN ANALYZE $SQL" | grep -m1 -o 'Elapsed: [0-9.]*ms')"
echo "    tributary in-process: $elapsed"
# dynalite's DescribeTable reports TableSizeBytes 0, so the automatic segment count is 1 there;
# the same comparison with 4 segments set explicitly.
printf '%s\n' connector.name=dynamodb "dynamodb.endpoint=$TRIBUTARY_DYNAMODB_ENDPOINT" dynamodb.region=us-east-1 \
  dynamodb.access-key=dummy dynamodb.secret-key=dummy dynamodb.scan-segments=4 > "$WORK/catalog/ddb4.properties"
SQL4="SELECT count(*), sum(n) FROM ddb4.default.benchorders"
echo "    with dynamodb.scan-segments=4: $(q "EXPLAIN $SQL4" | grep -m1 'dynamodb Scan on' | sed 's/^ *//')"
: > "$WORK/trib4" ; : > "$WORK/plain4"
for _ in $(seq 1 "$RUNS"); do
  start=$(now_ms)
  out="$(q "$SQL4")"
  echo $(($(now_ms) - start)) >> "$WORK/trib4"
  [[ "$out" == "$(printf '%s\t%s' "$ITEMS" "$expected_sum")" ]] || { echo "tributary scan: wrong result '$out'" >&2; exit 1; }
  start=$(now_ms)
  out="$(node "$CLIENT" scan "$TABLE" 4 n)"
  echo $(($(now_ms) - start)) >> "$WORK/plain4"
  grep -q "\"items\":$ITEMS,\"sum_n\":\"$expected_sum\"" <<<"$out" || { echo "plain scan: wrong result $out" >&2; exit 1; }
done
echo "    tributary query, 4 segments:  $(stats "$WORK/trib4")"
echo "    plain client, 4 segments:     $(stats "$WORK/plain4")"
awk -v t="$(best "$WORK/trib4")" -v p="$(best "$WORK/plain4")" 'BEGIN {printf "    ratio tributary / plain client (best, 4 segments): %.2f (target <= 1.2)\n", t / p}'

# ---------------------------------------------------------------- (c) key lookup
KEY="o$(printf '%07d' $((ITEMS / 2)))"
LOOKUP="SELECT * FROM ddb.default.benchorders WHERE order_id = '$KEY'"
echo "(c) $LOOKUP"
echo "    plan: $(q "EXPLAIN $LOOKUP" | grep -m1 'dynamodb GetItem' | sed 's/^ *//')"
: > "$WORK/wall" ; : > "$WORK/inproc"
for _ in $(seq 1 $((RUNS * 2))); do
  start=$(date +%s%N)
  out="$(q "$LOOKUP")"
  echo $((($(date +%s%N) - start) / 1000)) >> "$WORK/wall"
  [[ "$(cut -f1 <<<"$out")" == "$KEY" ]] || { echo "lookup: wrong result '$out'" >&2; exit 1; }
  q "EXPLAIN ANALYZE $LOOKUP" | sed -nE 's/.*Elapsed: ([0-9.]+)ms.*/\1/p' | head -n 1 >> "$WORK/inproc"
done
sort -n "$WORK/wall" | awk '{v[NR] = $1 / 1000} END {printf "    tributary query wall time (process start included): best %.1f ms, median %.1f ms\n", v[1], v[int((NR + 1) / 2)]}'
sort -n "$WORK/inproc" | awk '{v[NR] = $1} END {printf "    in-process, fresh process (EXPLAIN ANALYZE Elapsed): best %.2f ms, median %.2f ms (target < 20 ms)\n", v[1], v[int((NR + 1) / 2)]}'
# One `tributary shell` session: the first statement resolves the table (ListTables, DescribeTable,
# the sampling Scan), the others hit the metadata cache.
for _ in $(seq 1 $((RUNS * 2))); do echo "EXPLAIN ANALYZE $LOOKUP;"; done |
  "$BIN" shell --config-dir "$WORK" 2>&1 | sed -nE 's/.*Elapsed: ([0-9.]+)ms.*/\1/p' > "$WORK/session"
head -n 1 "$WORK/session" | awk '{printf "    in one shell session: first %.2f ms", $1}'
tail -n +2 "$WORK/session" | sort -n | awk '{v[NR] = $1} END {printf ", then best %.2f ms, median %.2f ms\n", v[1], v[int((NR + 1) / 2)]}'
# The emulator's own metadata latency (a fresh process pays it once: names resolve through ListTables).
node --input-type=module -e "
import { call } from '$CLIENT';
for (const [op, body] of [['ListTables', {}], ['DescribeTable', { TableName: '$TABLE' }], ['GetItem', { TableName: '$TABLE', Key: { order_id: { S: '$KEY' } } }]]) {
  const t = performance.now(); await call(op, body);
  console.log('    dynalite ' + op + ' alone: ' + (performance.now() - t).toFixed(1) + ' ms');
}"

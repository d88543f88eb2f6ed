#!/usr/bin/env bash
# Failure behaviour of the dynamodb connector against the dynalite started by scripts/services.sh
# (tables from load.sh, which ctest runs first as the `dynamodb` fixture):
#   - endpoint down (a closed port): exit 1, SOURCE_ERROR naming the catalog and the endpoint, fast
#   - throttling: throttle_proxy.mjs in front of dynalite answers the first N requests with
#     ProvisionedThroughputExceededException (also ThrottlingException, HTTP 500): the query
#     still succeeds with the right result, every throttled request was retried
#   - throttling beyond dynamodb.max-retries: exit 1, the error names the exception and catalog
#   - wrong table name: the error suggests the nearest name
# Usage: failures.sh [TRIBUTARY_BINARY]   (prints "N passed, M failed"; exit 1 if any failed)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
HERE="$ROOT/tests/integration/dynamodb"
BIN="${1:-$ROOT/build/release/tributary}"
: "${TRIBUTARY_DYNAMODB_ENDPOINT:?run eval \"\$(scripts/services.sh env)\" first}"
WORK="$(mktemp -d)"
PROXY_PIDS=()
cleanup() {
  local pid
  for pid in "${PROXY_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/catalog"
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "ok: $1"; }
fail() {
  FAILED=$((FAILED + 1))
  echo "FAILED: $1" >&2
  [[ -n "${ERR:-}${OUT:-}" ]] && printf '  stdout: %s\n  stderr: %s\n' "${OUT:0:300}" "${ERR:0:300}" >&2
}
check() {
  local name="$1"
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
contains() { grep -qF -- "$2" <<<"$1"; }

closed_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo 1
}

write_catalog() {  # NAME ENDPOINT EXTRA_LINES...
  local name="$1" endpoint="$2"
  shift 2
  printf '%s\n' connector.name=dynamodb "dynamodb.endpoint=$endpoint" dynamodb.region=us-east-1 \
    dynamodb.access-key=dummy dynamodb.secret-key=dummy "$@" > "$WORK/catalog/$name.properties"
}

# run_query SQL: sets OUT, ERR, RC, MS_TAKEN.
run_query() {
  local start
  start=$(date +%s%N)
  "$BIN" query --config-dir "$WORK" --output-format TSV "$1" > "$WORK/out" 2> "$WORK/err"
  RC=$?
  MS_TAKEN=$((($(date +%s%N) - start) / 1000000))
  OUT="$(cat "$WORK/out")"
  ERR="$(cat "$WORK/err")"
}

# start_proxy N MODE: starts throttle_proxy.mjs in front of dynalite; sets PROXY_PORT.
start_proxy() {
  local fifo="$WORK/proxy-port.$RANDOM"
  mkfifo "$fifo"
  node "$HERE/throttle_proxy.mjs" "$TRIBUTARY_DYNAMODB_ENDPOINT" "$1" "$2" > "$fifo" 2> "$WORK/proxy.err" &
  PROXY_PIDS+=($!)
  read -r -t 10 PROXY_PORT < "$fifo"
  rm -f "$fifo"
}
proxy_stats() { curl -s "http://127.0.0.1:$PROXY_PORT/__stats"; }

write_catalog ddb_ok "$TRIBUTARY_DYNAMODB_ENDPOINT"

# ---------------------------------------------------------------- sanity
run_query "SELECT count(*), sum(n) FROM ddb_ok.default.big"
check "a good catalog answers" test "$RC" = 0 -a "$OUT" = "$(printf '3000\t4501500')"

# ---------------------------------------------------------------- endpoint down
CLOSED="$(closed_port)"
write_catalog ddb_down "http://127.0.0.1:$CLOSED"
for sql in "SELECT * FROM ddb_down.default.\"orders-abc123\"" "SHOW TABLES FROM ddb_down.default"; do
  run_query "$sql"
  check "endpoint down ($sql): exit 1" test "$RC" = 1
  check "endpoint down ($sql): SOURCE_ERROR" contains "$ERR" "SOURCE_ERROR"
  check "endpoint down ($sql): names the catalog" contains "$ERR" "catalog 'ddb_down'"
  check "endpoint down ($sql): names the endpoint" contains "$ERR" "127.0.0.1:$CLOSED"
  # Connection refused is retried max-retries (8) times with full-jitter backoff (25 ms doubling,
  # capped at 2 s): at most ~5.2 s of sleeps, ~2.6 s expected.
  check "endpoint down ($sql): fails fast (< 8 s, took ${MS_TAKEN} ms)" test "$MS_TAKEN" -lt 8000
done
# With retries off it fails at once.
write_catalog ddb_down0 "http://127.0.0.1:$CLOSED" dynamodb.max-retries=0
run_query "SELECT * FROM ddb_down0.default.\"orders-abc123\""
check "endpoint down, max-retries=0: exit 1 within 1 s (took ${MS_TAKEN} ms)" test "$RC" = 1 -a "$MS_TAKEN" -lt 1000

# ---------------------------------------------------------------- throttling, then success
for mode in throughput throttling 5xx; do
  start_proxy 5 "$mode"
  write_catalog "ddb_thr_$mode" "http://127.0.0.1:$PROXY_PORT"
  run_query "SELECT count(*), sum(n) FROM ddb_thr_$mode.default.big"
  stats="$(proxy_stats)"
  check "$mode x5: the query succeeds" test "$RC" = 0
  check "$mode x5: the result is right (got '$OUT')" test "$OUT" = "$(printf '3000\t4501500')"
  check "$mode x5: all 5 throttled requests were answered, then forwarded ($stats)" \
    grep -qE '"throttled":5,"forwarded":[1-9]' <<<"$stats"
done

# The recipe's key lookup through a throttled endpoint (GetItem retried).
start_proxy 3 throughput
write_catalog ddb_thr_get "http://127.0.0.1:$PROXY_PORT"
run_query "SELECT order_id, status, carrier FROM ddb_thr_get.default.\"orders-abc123\" WHERE order_id = '1002'"
check "throttled GetItem: right row (got '$OUT')" test "$RC" = 0 -a "$OUT" = "$(printf '1002\tprocessing\tUPS')"

# A parallel scan whose segments are throttled.
start_proxy 6 throughput
write_catalog ddb_thr_par "http://127.0.0.1:$PROXY_PORT" dynamodb.scan-segments=4
run_query "SELECT count(*), count(DISTINCT pk) FROM ddb_thr_par.default.big"
check "throttled parallel scan: every item once (got '$OUT')" test "$RC" = 0 -a "$OUT" = "$(printf '3000\t3000')"

# ---------------------------------------------------------------- throttling beyond max-retries
start_proxy 1000 throughput
write_catalog ddb_thr_max "http://127.0.0.1:$PROXY_PORT" dynamodb.max-retries=2
run_query "SELECT count(*) FROM ddb_thr_max.default.big"
stats="$(proxy_stats)"
check "throttled beyond max-retries: exit 1" test "$RC" = 1
check "throttled beyond max-retries: names the exception" contains "$ERR" "ProvisionedThroughputExceededException"
check "throttled beyond max-retries: names the catalog" contains "$ERR" "catalog 'ddb_thr_max'"
check "throttled beyond max-retries: 3 attempts, nothing forwarded ($stats)" test "$stats" = '{"throttled":3,"forwarded":0}'
check "throttled beyond max-retries: gives up within 10 s (took ${MS_TAKEN} ms)" test "$MS_TAKEN" -lt 10000

# ---------------------------------------------------------------- wrong table name
run_query "SELECT * FROM ddb_ok.default.orders_abc123"
check "wrong table: exit 1" test "$RC" = 1
check "wrong table: suggests the nearest name" contains "$ERR" "Did you mean 'orders-abc123'?"

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))

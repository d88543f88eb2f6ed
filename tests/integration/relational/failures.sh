#!/usr/bin/env bash
# Failure behaviour of the mysql and postgresql connectors against the real servers started by
# scripts/services.sh (data from load.sh, which ctest runs first as the `relational` fixture):
#   - wrong password: exit 1, the error names the catalog, the password never appears (**** if
#     the URL is shown)
#   - server not running (a closed port): SOURCE_ERROR naming the catalog and host:port
#   - connection killed mid-query (KILL / pg_terminate_backend from another client, both while the
#     statement runs and while rows stream): SOURCE_ERROR naming the catalog, and the next statement
#     of the same `tributary shell` session succeeds (the pool recovers)
#   - query timeout (query-timeout=1 on a view that sleeps 3 s): an error within seconds
#   - cancellation: SIGINT to `tributary shell` while the source runs a statement: the statement
#     is gone from the server, CANCELLED is reported, the session goes on
# Usage: failures.sh [TRIBUTARY_BINARY]   (prints "N passed, M failed"; exit 1 if any failed)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BIN="${1:-$ROOT/build/release/tributary}"
: "${TRIBUTARY_MYSQL_PORT:?run eval \"\$(scripts/services.sh env)\" first}" "${TRIBUTARY_PG_PORT:?}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"; jobs -p | xargs -r kill 2>/dev/null' EXIT
mkdir -p "$WORK/catalog"
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "ok: $1"; }
fail() {
  FAILED=$((FAILED + 1))
  echo "FAILED: $1" >&2
  [[ -n "${ERR:-}${OUT:-}" ]] && printf '  stdout: %s\n  stderr: %s\n' "${OUT:0:300}" "${ERR:0:300}" >&2
}
# check NAME CONDITION...: passes when the command succeeds.
check() {
  local name="$1"
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
contains() { grep -qF -- "$2" <<<"$1"; }
lacks() { ! grep -qF -- "$2" <<<"$1"; }

mysql_admin() {
  MYSQL_PWD="$TRIBUTARY_MYSQL_PASSWORD" mariadb --no-defaults -h "$TRIBUTARY_MYSQL_HOST" -P "$TRIBUTARY_MYSQL_PORT" \
    -u "$TRIBUTARY_MYSQL_USER" -N -B -e "$1"
}
pg_admin() {
  PGPASSWORD="$TRIBUTARY_PG_PASSWORD" psql -X -q -At -h "$TRIBUTARY_PG_HOST" -p "$TRIBUTARY_PG_PORT" \
    -U "$TRIBUTARY_PG_USER" -d analytics -c "$1"
}
# A port nothing listens on: bind-free probing of a high port.
closed_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo 1
}

MY_URL="jdbc:mysql://$TRIBUTARY_MYSQL_HOST:$TRIBUTARY_MYSQL_PORT/analytics_db"
PG_URL="jdbc:postgresql://$TRIBUTARY_PG_HOST:$TRIBUTARY_PG_PORT/analytics"
WRONG='Wr0ng-S3cret!&x'          # special characters on purpose
WRONG_ENCODED='Wr0ng-S3cret%21%26x'
CLOSED="$(closed_port)"

write_catalog() {  # NAME LINES...
  local name="$1"
  shift
  printf '%s\n' "$@" > "$WORK/catalog/$name.properties"
}
write_catalog my_ok connector.name=mysql "connection-url=$MY_URL" "connection-user=$TRIBUTARY_MYSQL_USER" \
  "connection-password=$TRIBUTARY_MYSQL_PASSWORD"
write_catalog pg_ok connector.name=postgresql "connection-url=$PG_URL" "connection-user=$TRIBUTARY_PG_USER" \
  "connection-password=$TRIBUTARY_PG_PASSWORD"
write_catalog my_badpw connector.name=mysql "connection-url=$MY_URL" "connection-user=$TRIBUTARY_MYSQL_USER" \
  "connection-password=$WRONG"
write_catalog my_badpw_athena connector.name=mysql \
  "default=mysql://$MY_URL?user=$TRIBUTARY_MYSQL_USER&password=$WRONG_ENCODED"
write_catalog pg_badpw connector.name=postgresql "connection-url=$PG_URL" "connection-user=$TRIBUTARY_PG_USER" \
  "connection-password=$WRONG"
write_catalog pg_badpw_athena connector.name=postgresql \
  "default=postgres://$PG_URL?user=$TRIBUTARY_PG_USER&password=$WRONG_ENCODED"
write_catalog my_closed connector.name=mysql "connection-url=jdbc:mysql://127.0.0.1:$CLOSED/analytics_db" \
  "connection-user=$TRIBUTARY_MYSQL_USER" "connection-password=$TRIBUTARY_MYSQL_PASSWORD" connect-timeout=2
write_catalog pg_closed connector.name=postgresql "connection-url=jdbc:postgresql://127.0.0.1:$CLOSED/analytics" \
  "connection-user=$TRIBUTARY_PG_USER" "connection-password=$TRIBUTARY_PG_PASSWORD" connect-timeout=2
write_catalog my_timeout connector.name=mysql "connection-url=$MY_URL" "connection-user=$TRIBUTARY_MYSQL_USER" \
  "connection-password=$TRIBUTARY_MYSQL_PASSWORD" query-timeout=1
write_catalog pg_timeout connector.name=postgresql "connection-url=$PG_URL" "connection-user=$TRIBUTARY_PG_USER" \
  "connection-password=$TRIBUTARY_PG_PASSWORD" query-timeout=1

# run_query SQL: sets OUT, ERR, RC, SECONDS_TAKEN.
run_query() {
  local start end
  start=$(date +%s%N)
  "$BIN" query --config-dir "$WORK" "$1" > "$WORK/out" 2> "$WORK/err"
  RC=$?
  end=$(date +%s%N)
  SECONDS_TAKEN=$(((end - start) / 1000000000))
  OUT="$(cat "$WORK/out")"
  ERR="$(cat "$WORK/err")"
}

# ---------------------------------------------------------------- sanity
run_query "SELECT count(order_id) FROM my_ok.analytics_db.sample_orders"
check "mysql: a good catalog answers" test "$RC" = 0 -a "$(tr -d ' \n' <<<"$OUT" | grep -c 6)" = 1
run_query "SELECT count(order_id) FROM pg_ok.analytics_db.sample_orders"
check "postgresql: a good catalog answers" test "$RC" = 0

# ---------------------------------------------------------------- wrong password
for catalog in my_badpw my_badpw_athena pg_badpw pg_badpw_athena; do
  run_query "SELECT * FROM $catalog.analytics_db.sample_orders"
  check "$catalog: wrong password exits 1" test "$RC" = 1
  check "$catalog: the error names the catalog" contains "$ERR" "catalog '$catalog'"
  check "$catalog: the error is an authentication failure" grep -qiE 'denied|authentication failed' <<<"$ERR"
  check "$catalog: the password is not shown" lacks "$ERR$OUT" "Wr0ng-S3cret"
  if contains "$ERR" "password="; then
    check "$catalog: a URL shown has password=****" contains "$ERR" "password=****"
  fi
  run_query "SHOW TABLES FROM $catalog.analytics_db"
  check "$catalog: metadata calls fail the same way, without the password" \
    test "$RC" = 1 -a -n "$(contains "$ERR" "catalog '$catalog'" && echo y)" -a -n "$(lacks "$ERR" "Wr0ng-S3cret" && echo y)"
done

# ---------------------------------------------------------------- server not running
for catalog in my_closed pg_closed; do
  run_query "SELECT * FROM $catalog.analytics_db.sample_orders"
  check "$catalog: closed port exits 1" test "$RC" = 1
  check "$catalog: SOURCE_ERROR" contains "$ERR" "SOURCE_ERROR"
  check "$catalog: names the catalog" contains "$ERR" "catalog '$catalog'"
  check "$catalog: names host:port" contains "$ERR" "127.0.0.1:$CLOSED"
  check "$catalog: fails fast (< 5 s)" test "$SECONDS_TAKEN" -lt 5
done

# ---------------------------------------------------------------- killed mid-query
# kill_when_running KIND PATTERN DELAY: waits until the server runs a statement matching PATTERN
# from another session, waits DELAY seconds, then kills that session.
kill_when_running() {
  local kind="$1" pattern="$2" delay="$3" id=""
  for _ in $(seq 1 100); do
    if [[ "$kind" == mysql ]]; then
      id="$(mysql_admin "SELECT id FROM information_schema.processlist WHERE info LIKE '%$pattern%' AND info NOT LIKE '%processlist%' AND id <> CONNECTION_ID() LIMIT 1" 2>/dev/null)"
    else
      id="$(pg_admin "SELECT pid FROM pg_stat_activity WHERE query LIKE '%$pattern%' AND query NOT LIKE '%pg_stat_activity%' AND pid <> pg_backend_pid() LIMIT 1" 2>/dev/null)"
    fi
    [[ -n "$id" ]] && break
    sleep 0.05
  done
  [[ -z "$id" ]] && { echo "kill_when_running: no $pattern statement seen" >&2; return 1; }
  sleep "$delay"
  if [[ "$kind" == mysql ]]; then mysql_admin "KILL $id"; else pg_admin "SELECT pg_terminate_backend($id)" > /dev/null; fi
}

# shell_two STATEMENT1 STATEMENT2: both through one `tributary shell`; sets OUT, ERR, RC.
shell_two() {
  printf '%s;\n%s;\n' "$1" "$2" | "$BIN" shell --config-dir "$WORK" > "$WORK/out" 2> "$WORK/err"
  RC=$?
  OUT="$(cat "$WORK/out")"
  ERR="$(cat "$WORK/err")"
}

for kind in mysql postgres; do
  if [[ "$kind" == mysql ]]; then catalog=my_ok; else catalog=pg_ok; fi
  # (a) while the statement runs (nothing streamed yet), (b) while rows stream.
  for variant in running streaming; do
    if [[ "$variant" == running ]]; then
      sql="SELECT slept, one FROM $catalog.analytics_db.slow_view"
      pattern="slow_view"
      delay=0.5
    else
      # length() is not pushed down, so every row streams into tributary while it is killed.
      sql="SELECT count(*) FROM $catalog.analytics_db.big_view WHERE length(pad) < 0"
      pattern="big_view"
      delay=0.3
    fi
    kill_when_running "$kind" "$pattern" "$delay" &
    killer=$!
    start=$(date +%s%N)
    shell_two "$sql" "SELECT count(order_id) AS recovered FROM $catalog.analytics_db.sample_orders"
    elapsed_ms=$((($(date +%s%N) - start) / 1000000))
    wait "$killer"
    check "$kind killed while $variant: SOURCE_ERROR" contains "$ERR$OUT" "SOURCE_ERROR"
    check "$kind killed while $variant: the error names the catalog" contains "$ERR$OUT" "catalog '$catalog'"
    check "$kind killed while $variant: the next statement in the session succeeds" \
      grep -qE '^ +6 *$' <<<"$OUT"
    check "$kind killed while $variant: the shell exits normally" test "$RC" = 0
    if [[ "$variant" == running ]]; then
      check "$kind killed while $variant: not retried behind the user's back (< 3 s, got ${elapsed_ms} ms)" \
        test "$elapsed_ms" -lt 3000
    fi
  done
done

# ---------------------------------------------------------------- query timeout
for catalog in my_timeout pg_timeout; do
  run_query "SELECT * FROM $catalog.analytics_db.slow_view"
  check "$catalog: query-timeout=1 on a 3 s statement fails" test "$RC" = 1
  check "$catalog: within 2.9 s (took ${SECONDS_TAKEN} s)" test "$SECONDS_TAKEN" -lt 3
  check "$catalog: the error names the catalog" contains "$ERR" "catalog '$catalog'"
  check "$catalog: the error says it timed out" grep -qiE 'time|cancel|interrupt' <<<"$ERR"
  run_query "SELECT count(order_id) FROM $catalog.analytics_db.sample_orders"
  check "$catalog: a short query on the same catalog still works" test "$RC" = 0
done

# ---------------------------------------------------------------- cancellation (SIGINT)
# Ctrl-C in `tributary shell` (SIGINT to the process) cancels the running statement: the source
# statement is killed (KILL QUERY / PQcancel) and the session goes on with the next statement.
running_on_server() {  # KIND: how many slow_view statements the server runs
  if [[ "$1" == mysql ]]; then
    mysql_admin "SELECT count(*) FROM information_schema.processlist WHERE info LIKE '%slow_view%' AND info NOT LIKE '%processlist%'"
  else
    pg_admin "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%slow_view%' AND query NOT LIKE '%pg_stat_activity%' AND state = 'active'"
  fi
}
for kind in mysql postgres; do
  if [[ "$kind" == mysql ]]; then catalog=my_ok; else catalog=pg_ok; fi
  # A background job of a non-interactive shell starts with SIGINT ignored: restore the default.
  { printf 'SELECT * FROM %s.analytics_db.slow_view;\n' "$catalog"; sleep 2
    printf 'SELECT count(order_id) AS after_cancel FROM %s.analytics_db.sample_orders;\n' "$catalog"; } |
    python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
      "$BIN" shell --config-dir "$WORK" > "$WORK/out" 2> "$WORK/err" &
  pid=$!
  seen=0
  for _ in $(seq 1 100); do
    if [[ "$(running_on_server "$kind")" != 0 ]]; then seen=1; break; fi
    sleep 0.05
  done
  check "$kind cancel: the statement reached the server" test "$seen" = 1
  kill -INT "$pid"
  sleep 0.5
  check "$kind cancel: the statement is gone from the server 0.5 s after SIGINT" test "$(running_on_server "$kind")" = 0
  wait "$pid"
  rc=$?
  OUT="$(cat "$WORK/out")"
  ERR="$(cat "$WORK/err")"
  check "$kind cancel: the shell reports CANCELLED" contains "$ERR$OUT" "CANCELLED"
  check "$kind cancel: the next statement of the session succeeds" grep -qE '^ +6 *$' <<<"$OUT"
  check "$kind cancel: the shell exits normally (rc=$rc)" test "$rc" = 0
done

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))

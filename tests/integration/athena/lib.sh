# Shared helpers of the Athena service tests (sourced). Needs: TRIBUTARY (the binary).
#   start_server DATA_DIR [ARGS...]   starts `tributary serve` on a free port; sets SERVER_PID,
#                                     ATHENA_ENDPOINT; logs to DATA_DIR/server.log
#   stop_server [SIGNAL]              stops it (SIGTERM by default) and waits
#   check NAME EXPECTED ACTUAL        compares two texts; prints a diff on mismatch
#   finish                            prints "N passed, M failed" and exits non-zero on failures
PASSED=0
FAILED=0

check() {
  local name="$1" expected="$2" actual="$3"
  if [[ "$expected" == "$actual" ]]; then
    PASSED=$((PASSED + 1))
    echo "ok   $name"
  else
    FAILED=$((FAILED + 1))
    echo "FAIL $name"
    diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") | sed 's/^/     /' | head -40
  fi
}

# check_contains NAME NEEDLE HAYSTACK
check_contains() {
  if [[ "$3" == *"$2"* ]]; then
    PASSED=$((PASSED + 1))
    echo "ok   $1"
  else
    FAILED=$((FAILED + 1))
    echo "FAIL $1: '$2' not found in:"
    printf '%s\n' "$3" | head -20 | sed 's/^/     /'
  fi
}

finish() {
  echo "$PASSED passed, $FAILED failed"
  [[ "$FAILED" -eq 0 ]]
}

start_server() {
  local data_dir="$1"
  shift
  mkdir -p "$data_dir"
  rm -f "$data_dir/server.port"
  "$TRIBUTARY" serve --data-dir "$data_dir" --http-port 0 "$@" >> "$data_dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    [[ -s "$data_dir/server.port" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$data_dir/server.log"; echo "server died"; return 1; }
    sleep 0.05
  done
  [[ -s "$data_dir/server.port" ]] || { cat "$data_dir/server.log"; echo "server did not start"; return 1; }
  ATHENA_ENDPOINT="http://127.0.0.1:$(cat "$data_dir/server.port")"
}

stop_server() {
  local signal="${1:-TERM}"
  [[ -n "${SERVER_PID:-}" ]] || return 0
  kill "-$signal" "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# The real aws CLI v1 (pyenv installs a shim that needs $HOME/.pyenv; resolve past it so
# tests may point HOME elsewhere) and Debian's v2 (/usr/bin/aws).
aws_v1_path() {
  local path
  path="$(command -v aws || true)"
  if [[ "$path" == */shims/* ]] && command -v pyenv >/dev/null 2>&1; then path="$(pyenv which aws)"; fi
  echo "$path"
}

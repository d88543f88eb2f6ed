#!/usr/bin/env bash
# Starts and stops the real services that tributary's connector tests run against, each on
# a free loopback port, with its data under one state directory, as root on Debian 12
# without systemd (see SERVICES.md in the project's shared notes for the facts behind it).
#
# Usage:
#   scripts/services.sh start SERVICE...   start these (skipping any already running)
#   scripts/services.sh start all          start every service whose programs are installed
#   scripts/services.sh stop               stop everything started here, by PID; remove the state
#   scripts/services.sh env                print the env file: eval "$(scripts/services.sh env)"
#   scripts/services.sh status             list what runs
# SERVICE is one of: mariadb postgres dynalite s3rver kinesalite redis
#
# State directory: $TRIBUTARY_SERVICES_DIR (default ${TMPDIR:-/tmp}/tributary-services).
# The env file ($STATE/env) holds `export NAME=value` lines, for example
# TRIBUTARY_PG_PORT, TRIBUTARY_MYSQL_PORT, TRIBUTARY_DYNAMODB_ENDPOINT.
# The passwords set here are for throwaway test servers on 127.0.0.1 only.
#
# The engine-core tests need no service yet: `make test` starts none unless
# TEST_SERVICES names some. The npm-based services (dynalite, s3rver, kinesalite) and
# mariadb/redis are not installed by scripts/install-deps.sh yet (later issues add them).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${TRIBUTARY_SERVICES_DIR:-${TMPDIR:-/tmp}/tributary-services}"
ALL_SERVICES=(mariadb postgres dynalite s3rver kinesalite redis)
TEST_PASSWORD="tributary-test"

# PostgreSQL's server programs live outside PATH on Debian.
for pg_bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  PATH="$PATH:$pg_bin"
done
export PATH

log() { echo "services: $*" >&2; }
die() { echo "services: $*" >&2; exit 1; }

# ---------------------------------------------------------------- helpers

free_port() {
  if command -v node >/dev/null 2>&1; then
    node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});"
    return
  fi
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free port found"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.1 s.
wait_until() {
  local seconds="$1" what="$2"
  shift 2
  local tries=$((seconds * 10))
  for _ in $(seq 1 "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  die "$what not ready after ${seconds}s (logs in $STATE)"
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The env file is rebuilt from one fragment per running service.
write_env() {
  local name="$1"
  shift
  mkdir -p "$STATE/env.d"
  printf 'export %s\n' "$@" > "$STATE/env.d/$name.env"
  rebuild_env
}

rebuild_env() {
  {
    echo "export TRIBUTARY_SERVICES_DIR=$STATE"
    cat "$STATE"/env.d/*.env 2>/dev/null || true
  } > "$STATE/env"
}

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -s /bin/sh -c "$1"
  else
    sh -c "$1"
  fi
}

npm_bin() {
  local bin="$ROOT/node_modules/.bin/$1"
  [[ -x "$bin" ]] || die "$1 not installed (npm install $1 in $ROOT)"
  echo "$bin"
}

has_programs() {
  case "$1" in
    mariadb) command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null ;;
    postgres) command -v initdb >/dev/null && command -v pg_ctl >/dev/null ;;
    dynalite | s3rver | kinesalite) [[ -x "$ROOT/node_modules/.bin/$1" ]] ;;
    redis) command -v redis-server >/dev/null ;;
    *) return 1 ;;
  esac
}

# ---------------------------------------------------------------- services

start_mariadb() {
  local dir="$STATE/mariadb" port
  has_programs mariadb || die "mariadb not installed (apt-get install mariadb-server mariadb-client)"
  port="$(free_port)"
  rm -rf "$dir"
  mariadb-install-db --no-defaults --datadir="$dir" --user=root \
    --auth-root-authentication-method=normal --skip-test-db > "$STATE/mariadb-install.log" 2>&1 \
    || die "mariadb-install-db failed (see $STATE/mariadb-install.log)"
  nohup mariadbd --no-defaults --datadir="$dir" --socket="$dir.sock" --port="$port" \
    --bind-address=127.0.0.1 --user=root --pid-file="$dir.pid" --log-error="$dir.err" \
    --skip-name-resolve > /dev/null 2>&1 &
  echo $! > "$STATE/pids/mariadb.pid"
  wait_until 30 mariadb mariadb-admin --no-defaults --socket="$dir.sock" -uroot ping
  # A TCP user: with --skip-name-resolve, root@localhost only matches the socket.
  mariadb --no-defaults --socket="$dir.sock" -uroot -e \
    "CREATE USER IF NOT EXISTS 'tributary'@'%' IDENTIFIED BY '$TEST_PASSWORD';
     GRANT ALL PRIVILEGES ON *.* TO 'tributary'@'%' WITH GRANT OPTION;"
  write_env mariadb TRIBUTARY_MYSQL_HOST=127.0.0.1 "TRIBUTARY_MYSQL_PORT=$port" \
    TRIBUTARY_MYSQL_USER=tributary "TRIBUTARY_MYSQL_PASSWORD=$TEST_PASSWORD" \
    "TRIBUTARY_MYSQL_SOCKET=$dir.sock"
  log "mariadb on 127.0.0.1:$port"
}

stop_mariadb() { stop_pid mariadb; rm -f "$STATE/mariadb.sock" "$STATE/mariadb.pid"; }

start_postgres() {
  local dir="$STATE/postgres" port
  has_programs postgres || die "postgres not installed (initdb, pg_ctl)"
  port="$(free_port)"
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '%s\n' "$TEST_PASSWORD" > "$STATE/postgres.pwfile"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$dir" "$STATE/postgres.pwfile"
    touch "$STATE/postgres.log" && chown postgres: "$STATE/postgres.log"
  fi
  as_postgres "initdb -D '$dir' -U postgres -A scram-sha-256 --pwfile='$STATE/postgres.pwfile' --no-sync" \
    > "$STATE/postgres-initdb.log" 2>&1 || die "initdb failed (see $STATE/postgres-initdb.log)"
  as_postgres "pg_ctl -D '$dir' -l '$STATE/postgres.log' -o '-p $port -k $dir -c listen_addresses=127.0.0.1' -w start" \
    > /dev/null || die "postgres did not start (see $STATE/postgres.log)"
  head -n 1 "$dir/postmaster.pid" > "$STATE/pids/postgres.pid"
  wait_until 30 postgres pg_isready -h 127.0.0.1 -p "$port"
  write_env postgres TRIBUTARY_PG_HOST=127.0.0.1 "TRIBUTARY_PG_PORT=$port" \
    TRIBUTARY_PG_USER=postgres "TRIBUTARY_PG_PASSWORD=$TEST_PASSWORD"
  log "postgres on 127.0.0.1:$port"
}

stop_postgres() {
  local dir="$STATE/postgres"
  if [[ -f "$dir/postmaster.pid" ]]; then
    as_postgres "pg_ctl -D '$dir' -m fast -w stop" > /dev/null 2>&1 || true
  fi
  stop_pid postgres
}

# An npm server: NAME PORT ARGS...
start_node_server() {
  local name="$1" port="$2"
  shift 2
  nohup "$(npm_bin "$name")" "$@" > "$STATE/$name.log" 2>&1 &
  echo $! > "$STATE/pids/$name.pid"
  wait_until 30 "$name" port_open "$port"
}

start_dynalite() {
  local port
  port="$(free_port)"
  start_node_server dynalite "$port" --port "$port" --host 127.0.0.1 --createTableMs 0
  write_env dynalite "TRIBUTARY_DYNAMODB_ENDPOINT=http://127.0.0.1:$port"
  log "dynalite on 127.0.0.1:$port"
}

start_s3rver() {
  local port
  port="$(free_port)"
  mkdir -p "$STATE/s3rver-data"
  # s3rver 3.7 encrypts ListObjectsV2 continuation tokens with DES, which Node's OpenSSL 3
  # refuses unless the legacy provider is loaded (else every truncated listing is a 500).
  NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--openssl-legacy-provider" \
    start_node_server s3rver "$port" -d "$STATE/s3rver-data" -a 127.0.0.1 -p "$port"
  # s3rver accepts only this key pair for signed requests.
  write_env s3rver "TRIBUTARY_S3_ENDPOINT=http://127.0.0.1:$port" \
    TRIBUTARY_S3_ACCESS_KEY_ID=S3RVER TRIBUTARY_S3_SECRET_ACCESS_KEY=S3RVER
  log "s3rver on 127.0.0.1:$port"
}

start_kinesalite() {
  local port
  port="$(free_port)"
  start_node_server kinesalite "$port" --port "$port" --createStreamMs 0
  write_env kinesalite "TRIBUTARY_KINESIS_ENDPOINT=http://127.0.0.1:$port"
  log "kinesalite on 127.0.0.1:$port (listens on all interfaces)"
}

start_redis() {
  local port
  has_programs redis || die "redis not installed (apt-get install redis-server)"
  port="$(free_port)"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$STATE" --pidfile "$STATE/pids/redis.pid" --logfile "$STATE/redis.log"
  wait_until 30 redis port_open "$port"
  wait_until 10 "redis pid file" test -s "$STATE/pids/redis.pid"
  write_env redis TRIBUTARY_REDIS_HOST=127.0.0.1 "TRIBUTARY_REDIS_PORT=$port"
  log "redis on 127.0.0.1:$port"
}

# Stops the process in $STATE/pids/NAME.pid: TERM, up to 10 s, then KILL.
stop_pid() {
  local name="$1" file="$STATE/pids/$1.pid" pid
  if [[ -f "$file" ]]; then
    pid="$(cat "$file")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) did not stop; killing"
        kill -9 "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$file"
    log "$name stopped"
  fi
  rm -f "$STATE/env.d/$name.env"
}

# ---------------------------------------------------------------- commands

cmd_start() {
  local services=("$@") name
  if ((${#services[@]} == 0)); then
    die "start: name the services (${ALL_SERVICES[*]}) or 'all'"
  fi
  if [[ "${services[0]}" == all ]]; then
    services=()
    for name in "${ALL_SERVICES[@]}"; do
      if has_programs "$name"; then services+=("$name"); else log "$name not installed; skipped"; fi
    done
  fi
  mkdir -p "$STATE/pids"
  chmod 755 "$STATE"
  for name in "${services[@]}"; do
    case " ${ALL_SERVICES[*]} " in
      *" $name "*) ;;
      *) die "unknown service '$name' (one of: ${ALL_SERVICES[*]})" ;;
    esac
    if pid_alive "$STATE/pids/$name.pid"; then
      log "$name already running"
      continue
    fi
    "start_$name"
  done
  rebuild_env
  log "env file: $STATE/env"
}

cmd_stop() {
  local name
  if [[ ! -d "$STATE" ]]; then
    log "nothing to stop"
    return
  fi
  for name in "${ALL_SERVICES[@]}"; do
    case "$name" in
      mariadb) stop_mariadb ;;
      postgres) stop_postgres ;;
      *) stop_pid "$name" ;;
    esac
  done
  if [[ "${KEEP_SERVICE_STATE:-0}" != 1 ]]; then
    rm -rf "$STATE"
  fi
}

cmd_env() {
  if [[ -f "$STATE/env" ]]; then cat "$STATE/env"; fi
}

cmd_status() {
  local name
  for name in "${ALL_SERVICES[@]}"; do
    if pid_alive "$STATE/pids/$name.pid"; then
      echo "$name running (pid $(cat "$STATE/pids/$name.pid"))"
    elif has_programs "$name"; then
      echo "$name stopped"
    else
      echo "$name not installed"
    fi
  done
}

command="${1:-}"
shift || true
case "$command" in
  start) cmd_start "$@" ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  status) cmd_status ;;
  *)
    echo "usage: scripts/services.sh start SERVICE...|all | stop | env | status" >&2
    exit 2
    ;;
esac

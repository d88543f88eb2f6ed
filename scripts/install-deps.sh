#!/usr/bin/env bash
# Installs everything tributary needs to build, test and benchmark on Debian 12, as root.
# Idempotent: safe to run twice. `apt-get update` runs at most once, and only when a
# package is missing and the package lists are older than 6 hours. npm packages are
# installed into the project root only when node_modules lacks them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { echo "install-deps: $*"; }

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libsqlite3-dev libre2-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  libzstd-dev zlib1g-dev libedit-dev libsimdjson-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  sqlite3
  # MySQL/MariaDB and PostgreSQL connectors: client libraries, and the real servers the
  # tests start (scripts/services.sh); mysql_fdw is the benchmark's federation peer.
  libmariadb-dev mariadb-server mariadb-client
  libpq-dev postgresql-15 postgresql-client-15 postgresql-15-mysql-fdw
  # AWS client (DynamoDB, S3, Kinesis): libcurl + OpenSSL for SigV4.
  libcurl4-openssl-dev libssl-dev
  # The Athena service: HTTP server; the recipe replay also runs Debian's aws CLI v2 (the
  # preinstalled `aws` is v1) and boto3 for the API tests.
  libcpp-httplib-dev awscli python3-boto3
  # Parquet codecs
  libsnappy-dev liblz4-dev
)
# Later issues: APT_PACKAGES+=(redis-server)

# Node.js may come from elsewhere (e.g. NodeSource, which bundles npm): only ask Debian
# for it when `node` or `npm` is missing.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  log "node $(node --version) and npm $(npm --version) found; not installing nodejs/npm"
else
  APT_PACKAGES+=(nodejs npm)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" != ii* ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  log "all ${#APT_PACKAGES[@]} Debian packages already installed"
else
  log "missing Debian packages: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: must run as root to install packages" >&2
    exit 1
  fi
  # Fresh lists: any list file (or the apt stamp) modified within the last 6 hours.
  fresh_lists="$(find /var/lib/apt/lists /var/lib/apt/periodic -maxdepth 1 -type f \
                   \( -name '*_Packages*' -o -name '*_InRelease' -o -name 'update-success-stamp' \) \
                   -mmin -360 2>/dev/null | head -n 1 || true)"
  if [[ -n "$fresh_lists" ]]; then
    log "apt package lists are younger than 6 hours; skipping apt-get update"
  else
    log "apt-get update"
    apt-get update
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# npm packages of the project (package.json in the root): DuckDB as the reference engine,
# and the real AWS-API servers the tests use (dynalite, s3rver, kinesalite).
npm_missing=0
for pkg in @duckdb/node-api dynalite s3rver kinesalite; do
  [[ -d "node_modules/$pkg" ]] || npm_missing=1
done
if ((npm_missing == 0)); then
  log "npm packages present; skipping npm install"
else
  log "npm install --no-audit --no-fund"
  npm install --no-audit --no-fund
fi

log "done"

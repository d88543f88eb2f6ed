#!/usr/bin/env bash
# Relational connector benchmark on 1,000,000 generated orders in MariaDB and PostgreSQL
# (servers from scripts/services.sh; `make bench-relational` starts and stops its own):
#  (a) full scan of all columns: tributary (CSV to /dev/null, and an all-column aggregate in the
#      engine with pushdown=false, i.e. no client formatting) vs the native client
#      (mariadb --quick -B / psql COPY TO STDOUT) -- ratio tributary / native, target <= 1.2
#  (b) SELECT customer_id, count(*), sum(price) ... WHERE order_date >= DATE '2024-01-01' GROUP BY 1
#      with pushdown on vs off: time and bytes scanned (EXPLAIN ANALYZE)
#  (c) federated join of MariaDB orders with PostgreSQL customers: PostgreSQL + mysql_fdw vs
#      tributary joining the mysql and postgresql catalogs -- ratio
# Usage: bench/relational.sh [TRIBUTARY_BINARY] [ROWS]   (times are the best of 3 runs, in ms)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/build/release/tributary}"
ROWS="${2:-1000000}"
: "${TRIBUTARY_MYSQL_PORT:?run eval \"\$(scripts/services.sh env)\" first}" "${TRIBUTARY_PG_PORT:?}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/catalog"

my() { MYSQL_PWD="$TRIBUTARY_MYSQL_PASSWORD" mariadb --no-defaults -h "$TRIBUTARY_MYSQL_HOST" -P "$TRIBUTARY_MYSQL_PORT" -u "$TRIBUTARY_MYSQL_USER" "$@"; }
pg() { PGPASSWORD="$TRIBUTARY_PG_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$TRIBUTARY_PG_HOST" -p "$TRIBUTARY_PG_PORT" -U "$TRIBUTARY_PG_USER" "$@"; }

echo "generating $ROWS orders in MariaDB and PostgreSQL ..."
my -e "DROP DATABASE IF EXISTS bench_db; CREATE DATABASE bench_db CHARACTER SET utf8mb4;
CREATE TABLE bench_db.orders (order_id INT PRIMARY KEY, customer_id INT NOT NULL, product_name VARCHAR(64),
  quantity INT, price DECIMAL(10,2), order_date DATE);
INSERT INTO bench_db.orders SELECT seq, 1 + seq % 10000, CONCAT('product-', seq % 997), 1 + seq % 5,
  (seq % 100000) / 100, DATE '2023-01-01' + INTERVAL (seq % 730) DAY FROM bench_db.seq_1_to_$ROWS;
ANALYZE TABLE bench_db.orders;" > /dev/null
PGOPTIONS="-c client_min_messages=warning" pg -d postgres -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench"
pg -d bench <<SQL
CREATE SCHEMA bench_db;
CREATE TABLE bench_db.orders (order_id INT PRIMARY KEY, customer_id INT NOT NULL, product_name VARCHAR(64),
  quantity INT, price NUMERIC(10,2), order_date DATE);
INSERT INTO bench_db.orders SELECT n, 1 + n % 10000, 'product-' || (n % 997), 1 + n % 5, (n % 100000) / 100.0,
  DATE '2023-01-01' + (n % 730) FROM generate_series(1, $ROWS) AS n;
CREATE TABLE bench_db.customers (customer_id INT PRIMARY KEY, name TEXT, tier TEXT);
INSERT INTO bench_db.customers SELECT n, 'customer-' || n, (ARRAY['gold','silver','bronze'])[1 + n % 3]
  FROM generate_series(1, 10000) AS n;
ANALYZE;
CREATE EXTENSION IF NOT EXISTS mysql_fdw;
CREATE SERVER mariadb FOREIGN DATA WRAPPER mysql_fdw OPTIONS (host '$TRIBUTARY_MYSQL_HOST', port '$TRIBUTARY_MYSQL_PORT');
CREATE USER MAPPING FOR CURRENT_USER SERVER mariadb OPTIONS (username '$TRIBUTARY_MYSQL_USER', password '$TRIBUTARY_MYSQL_PASSWORD');
CREATE FOREIGN TABLE bench_db.mysql_orders (order_id INT, customer_id INT, product_name VARCHAR(64), quantity INT,
  price NUMERIC(10,2), order_date DATE) SERVER mariadb OPTIONS (dbname 'bench_db', table_name 'orders');
SQL

catalog() {  # NAME CONNECTOR URL USER PASSWORD [pushdown]
  printf '%s\n' "connector.name=$2" "connection-url=$3" "connection-user=$4" "connection-password=$5" \
    ${6:+pushdown=$6} > "$WORK/catalog/$1.properties"
}
catalog my mysql "jdbc:mysql://$TRIBUTARY_MYSQL_HOST:$TRIBUTARY_MYSQL_PORT/bench_db" "$TRIBUTARY_MYSQL_USER" "$TRIBUTARY_MYSQL_PASSWORD"
catalog my_nopush mysql "jdbc:mysql://$TRIBUTARY_MYSQL_HOST:$TRIBUTARY_MYSQL_PORT/bench_db" "$TRIBUTARY_MYSQL_USER" "$TRIBUTARY_MYSQL_PASSWORD" false
catalog pg postgresql "jdbc:postgresql://$TRIBUTARY_PG_HOST:$TRIBUTARY_PG_PORT/bench" "$TRIBUTARY_PG_USER" "$TRIBUTARY_PG_PASSWORD"
catalog pg_nopush postgresql "jdbc:postgresql://$TRIBUTARY_PG_HOST:$TRIBUTARY_PG_PORT/bench" "$TRIBUTARY_PG_USER" "$TRIBUTARY_PG_PASSWORD" false

# best_ms COMMAND...: the best wall time of 3 runs, in ms (output discarded; a failure aborts).
best_ms() {
  local best=999999999 start ms
  for _ in 1 2 3; do
    start=$(date +%s%N)
    "$@" > /dev/null
    ms=$((($(date +%s%N) - start) / 1000000))
    ((ms < best)) && best=$ms
  done
  echo "$best"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
tq() { "$BIN" query --config-dir "$WORK" --output-format CSV "$1"; }
scanned() { "$BIN" query --config-dir "$WORK" --output-format TSV "EXPLAIN ANALYZE $1" | grep -o 'scanned: [0-9]* bytes' | head -1; }

ALL_COLUMNS_AGG="count(order_id), sum(customer_id), max(product_name), sum(quantity), sum(price), max(order_date)"
echo
echo "(a) full scan of $ROWS rows, all columns (best of 3, ms)"
for kind in mysql postgresql; do
  if [[ "$kind" == mysql ]]; then
    native=$(best_ms my --quick -B -e "SELECT order_id, customer_id, product_name, quantity, price, order_date FROM bench_db.orders")
    c=my
  else
    native=$(best_ms pg -d bench -c "COPY (SELECT order_id, customer_id, product_name, quantity, price, order_date FROM bench_db.orders) TO STDOUT")
    c=pg
  fi
  csv=$(best_ms tq "SELECT * FROM $c.bench_db.orders")
  engine=$(best_ms tq "SELECT $ALL_COLUMNS_AGG FROM ${c}_nopush.bench_db.orders")
  printf '  %-10s native client %6d ms | tributary CSV > /dev/null %6d ms (ratio %s) | tributary all-column aggregate, no pushdown %6d ms (ratio %s)\n' \
    "$kind" "$native" "$csv" "$(ratio "$csv" "$native")" "$engine" "$(ratio "$engine" "$native")"
done

echo
echo "(b) SELECT customer_id, count(*), sum(price) ... WHERE order_date >= DATE '2024-01-01' GROUP BY 1 (best of 3, ms)"
for c in my pg; do
  for variant in "" _nopush; do
    sql="SELECT customer_id, count(*), sum(price) FROM $c$variant.bench_db.orders WHERE order_date >= DATE '2024-01-01' GROUP BY 1"
    ms=$(best_ms tq "$sql")
    printf '  %-12s pushdown %-5s %6d ms, %s\n' "$c$variant" "$([[ -z "$variant" ]] && echo on || echo off)" "$ms" "$(scanned "$sql")"
  done
done

echo
echo "(c) federated join: MariaDB orders x PostgreSQL customers (best of 3, ms)"
JOIN_PG="SELECT c.tier, count(*), sum(o.price) FROM bench_db.mysql_orders o JOIN bench_db.customers c ON o.customer_id = c.customer_id WHERE o.order_date >= DATE '2024-01-01' GROUP BY c.tier ORDER BY 1"
JOIN_TR="SELECT c.tier, count(*), sum(o.price) FROM my.bench_db.orders o JOIN pg.bench_db.customers c ON o.customer_id = c.customer_id WHERE o.order_date >= DATE '2024-01-01' GROUP BY c.tier ORDER BY 1"
fdw=$(best_ms pg -d bench -c "$JOIN_PG")
trib=$(best_ms tq "$JOIN_TR")
echo "  PostgreSQL + mysql_fdw: $(pg -d bench -At -F, -c "$JOIN_PG" | tr '\n' ' ')"
echo "  tributary:              $(tq "$JOIN_TR" | tr '\n' ' ')"
printf '  PostgreSQL + mysql_fdw %6d ms | tributary %6d ms | ratio tributary / fdw %s\n' "$fdw" "$trib" "$(ratio "$trib" "$fdw")"

my -e "DROP DATABASE IF EXISTS bench_db"
PGOPTIONS="-c client_min_messages=warning" pg -d postgres -c "DROP DATABASE IF EXISTS bench WITH (FORCE)"

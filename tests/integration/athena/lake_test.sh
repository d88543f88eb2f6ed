#!/usr/bin/env bash
# External tables of the AwsDataCatalog through the Athena API (aws CLI) over s3rver: Hive DDL
# (CREATE DATABASE / EXTERNAL TABLE, MSCK REPAIR TABLE, ALTER TABLE ADD PARTITION, SHOW
# PARTITIONS, DROP TABLE), CSV/Parquet/JSON tables, partition pruning (EXPLAIN and fewer
# bytes scanned), results equal to the same data read by DuckDB, CREATE TABLE AS / INSERT INTO
# (read back by tributary and by DuckDB) and the confinement of local paths.
#
#   lake_test.sh TRIBUTARY_BINARY
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
TRIBUTARY="$(realpath "$1")"
source "$HERE/lib.sh"
: "${TRIBUTARY_S3_ENDPOINT:?run eval \"\$(scripts/services.sh env)\" first}"

WORK="$(mktemp -d)"
trap 'stop_server; rm -rf "$WORK"' EXIT
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_MAX_ATTEMPTS=2
AWS_CLI="$(aws_v1_path)"
BUCKET="lake-test-$(date +%s%N | tail -c 7)"
s3() { "$AWS_CLI" --endpoint-url "$TRIBUTARY_S3_ENDPOINT" "$@"; }

# ---------------------------------------------------------------- data
mkdir -p "$WORK/up/orders_csv/dt=2024-01-01/region=east" "$WORK/up/orders_csv/dt=2024-01-01/region=west" \
  "$WORK/up/orders_csv/dt=2024-01-02/region=east" "$WORK/up/events_json" "$WORK/up/orders_pq"
printf 'id,amount,note\n1,10.50,a\n2,20.25,b\n' > "$WORK/up/orders_csv/dt=2024-01-01/region=east/part-0.csv"
printf 'id,amount,note\n3,5.00,c\n' > "$WORK/up/orders_csv/dt=2024-01-01/region=west/part-0.csv"
printf 'id,amount,note\n4,1.75,\n5,100.00,e\n' | gzip > "$WORK/up/orders_csv/dt=2024-01-02/region=east/part-0.csv.gz"
printf '{"id": 1, "kind": "click"}\n{"id": 2, "kind": null}\n' > "$WORK/up/events_json/part-0"
# A 3.5 MB uncompressed text file: read in byte ranges by several workers.
mkdir -p "$WORK/up/big_text"
seq 1 300000 | awk '{ printf "%d|row %d|%d.%02d\n", $1, $1, $1 % 1000, $1 % 100 }' > "$WORK/up/big_text/data.txt"
(cd "$ROOT" && node --input-type=module -e "
import { DuckDBInstance } from '@duckdb/node-api';
const c = await (await DuckDBInstance.create(':memory:')).connect();
await c.run(\`COPY (SELECT i AS id, (i * 1.25)::DECIMAL(12,2) AS amount, CASE WHEN i % 2 = 0 THEN 'east' ELSE 'west' END AS region
  FROM range(10000) t(i)) TO '$WORK/up/orders_pq' (FORMAT parquet, PARTITION_BY (region), OVERWRITE_OR_IGNORE)\`);
") || { echo "DuckDB could not write the Parquet data"; exit 1; }
s3 s3api create-bucket --bucket "$BUCKET" > /dev/null
s3 s3 sync "$WORK/up" "s3://$BUCKET/" --only-show-errors
# s3rver lists a "folder" as a common prefix only when it holds an object directly.
for folder in orders_csv orders_csv/dt=2024-01-01 orders_csv/dt=2024-01-02 orders_pq; do
  s3 s3api put-object --bucket "$BUCKET" --key "$folder/_SUCCESS" > /dev/null
done

# ---------------------------------------------------------------- server
mkdir -p "$WORK/lakefs"
AWS_ENDPOINT_URL_S3="$TRIBUTARY_S3_ENDPOINT" start_server "$WORK/data" --auth none --local-root "$WORK/lakefs" || exit 1
athena() { "$AWS_CLI" --endpoint-url "$ATHENA_ENDPOINT" athena "$@"; }
# run SQL: waits, prints STATE on stdout; the result file is $WORK/data/results/<id>.{csv,txt}
LAST_ID=""
run() {
  LAST_ID=$(athena start-query-execution --query-string "$1" --query QueryExecutionId --output text)
  local state
  for _ in $(seq 1 600); do
    state=$(athena get-query-execution --query-execution-id "$LAST_ID" --query QueryExecution.Status.State --output text)
    [[ "$state" == SUCCEEDED || "$state" == FAILED || "$state" == CANCELLED ]] && break
    sleep 0.05
  done
  if [[ "$state" != SUCCEEDED ]]; then
    athena get-query-execution --query-execution-id "$LAST_ID" --query QueryExecution.Status.StateChangeReason --output text >&2
  fi
  echo "$state"
}
result() { cat "$WORK/data/results/$LAST_ID.$1"; }
update_count() { athena get-query-results --query-execution-id "$LAST_ID" --query UpdateCount --output text; }
statement_type() { athena get-query-execution --query-execution-id "$LAST_ID" --query '[QueryExecution.StatementType,QueryExecution.SubstatementType]' --output text; }
reason() { athena get-query-execution --query-execution-id "$LAST_ID" --query QueryExecution.Status.StateChangeReason --output text; }
scanned() { athena get-query-execution --query-execution-id "$LAST_ID" --query QueryExecution.Statistics.DataScannedInBytes --output text; }

check "create database" SUCCEEDED "$(run "CREATE DATABASE IF NOT EXISTS lake")"
check "create csv table" SUCCEEDED "$(run "CREATE EXTERNAL TABLE lake.orders_csv (id bigint, amount decimal(10,2), note string)
PARTITIONED BY (dt string, region string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
LOCATION 's3://$BUCKET/orders_csv/'
TBLPROPERTIES ('skip.header.line.count'='1')")"
check "no partitions before repair: no rows" '"_col0"
"0"' "$(run "SELECT count(*) FROM lake.orders_csv" > /dev/null; result csv)"
check "msck repair" "SUCCEEDED
Partitions added: 3" "$(run "MSCK REPAIR TABLE lake.orders_csv"; result txt)"
check "show partitions" "dt=2024-01-01/region=east
dt=2024-01-01/region=west
dt=2024-01-02/region=east" "$(run "SHOW PARTITIONS lake.orders_csv" > /dev/null; result txt)"
check "csv rows with partition columns" '"id","amount","note","dt","region"
"1","10.50","a","2024-01-01","east"
"2","20.25","b","2024-01-01","east"
"3","5.00","c","2024-01-01","west"
"4","1.75",,"2024-01-02","east"
"5","100.00","e","2024-01-02","east"' "$(run "SELECT * FROM lake.orders_csv ORDER BY id" > /dev/null; result csv)"
run "SELECT sum(amount) FROM lake.orders_csv" > /dev/null
ALL_BYTES=$(scanned)
run "SELECT count(*), sum(amount) FROM lake.orders_csv WHERE dt = '2024-01-01' AND region = 'east'" > /dev/null
check "pruned query" '"_col0","_col1"
"2","30.75"' "$(result csv)"
PRUNED_BYTES=$(scanned)
check "pruning reads fewer bytes ($PRUNED_BYTES < $ALL_BYTES)" yes "$([[ "$PRUNED_BYTES" -lt "$ALL_BYTES" && "$PRUNED_BYTES" -gt 0 ]] && echo yes || echo no)"
check_contains "EXPLAIN shows the pruned partitions" "partitions: 1 of 3 after pruning" \
  "$(run "EXPLAIN SELECT count(*) FROM lake.orders_csv WHERE dt = '2024-01-01' AND region = 'east'" > /dev/null; result csv)"

check "create parquet table" SUCCEEDED "$(run "CREATE EXTERNAL TABLE lake.orders_pq (id bigint, amount decimal(12,2))
PARTITIONED BY (region string) STORED AS PARQUET LOCATION 's3://$BUCKET/orders_pq/'")"
check "add partition" SUCCEEDED "$(run "ALTER TABLE lake.orders_pq ADD IF NOT EXISTS PARTITION (region = 'east') PARTITION (region = 'west')")"
# sum(i * 1.25) over even i < 10000 = 1.25 * 24995000; odd: 1.25 * 25000000.
check "parquet by partition" '"region","_col1","_col2"
"east","5000","31243750.00"
"west","5000","31250000.00"' "$(run "SELECT region, count(*), sum(amount) FROM lake.orders_pq GROUP BY region ORDER BY region" > /dev/null; result csv)"
check "parquet pruned" '"_col0"
"5000"' "$(run "SELECT count(*) FROM lake.orders_pq WHERE region = 'west'" > /dev/null; result csv)"

check "create json table" SUCCEEDED "$(run "CREATE EXTERNAL TABLE lake.events (id int, kind string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://$BUCKET/events_json/'")"
check "json rows" '"id","kind"
"1","click"
"2",' "$(run "SELECT id, kind FROM lake.events ORDER BY id" > /dev/null; result csv)"

check "show tables" "events
orders_csv
orders_pq" "$(run "SHOW TABLES IN lake" > /dev/null; result txt)"
check "federated-style join with the lake" '"_col0"
"2"' "$(run "SELECT count(*) FROM lake.orders_csv c JOIN lake.events e ON c.id = e.id" > /dev/null; result csv)"
# The same metastore from `tributary query --data-dir` (another process, while the server runs).
check "tributary query --data-dir sees the lake (ids 3, 4, 5)" '"3","106.75"' \
  "$(AWS_ENDPOINT_URL_S3="$TRIBUTARY_S3_ENDPOINT" "$TRIBUTARY" query --data-dir "$WORK/data" --output-format CSV \
      "SELECT count(*), sum(amount) FROM lake.orders_csv WHERE dt = '2024-01-02' OR region = 'west'" 2>&1)"
check "create big text table" SUCCEEDED "$(run "CREATE EXTERNAL TABLE lake.big_text (id bigint, label string, v decimal(8,2))
ROW FORMAT DELIMITED FIELDS TERMINATED BY '|' LOCATION 's3://$BUCKET/big_text/'")"
EXPECTED_BIG="$(awk -F'|' '{ n++; s += $1; if ($2 == "row 123456") hit = $3 } END { printf "\"%d\",\"%d\",\"%s\"", n, s, hit }' "$WORK/up/big_text/data.txt")"
check "byte-range splits of a text table lose and repeat no row" "$EXPECTED_BIG" \
  "$(run "SELECT count(*), sum(id), max(CASE WHEN label = 'row 123456' THEN v END) FROM lake.big_text" > /dev/null; result csv | tail -1)"
check_contains "EXPLAIN ANALYZE shows byte ranges" "splits: 2" \
  "$(run "EXPLAIN ANALYZE SELECT count(*) FROM lake.big_text" > /dev/null; result csv)"

# ---------------------------------------------------------------- CREATE TABLE AS / INSERT INTO
# step NAME STATE SQL: runs SQL in this shell (LAST_ID stays set for the checks after it).
step() {
  run "$3" > "$WORK/state" 2> "$WORK/err"
  check "$1" "$2" "$(cat "$WORK/state")"
}
CSV_ROWS="$(run "SELECT id, amount, note, dt, region FROM lake.orders_csv ORDER BY id" > /dev/null; result csv)"
step "ctas parquet partitioned on s3" SUCCEEDED "CREATE TABLE lake.orders_ctas
WITH (format = 'PARQUET', external_location = 's3://$BUCKET/ctas/orders/', partitioned_by = ARRAY['dt', 'region'])
AS SELECT id, amount, note, dt, region FROM lake.orders_csv"
check "ctas update count" 5 "$(update_count)"
check "ctas statement type" "DDL	CREATE_TABLE_AS_SELECT" "$(statement_type)"
check "ctas rows read back equal the source" "$CSV_ROWS" "$(run "SELECT * FROM lake.orders_ctas ORDER BY id" > /dev/null; result csv)"
check "ctas registered its partitions" "dt=2024-01-01/region=east
dt=2024-01-01/region=west
dt=2024-01-02/region=east" "$(run "SHOW PARTITIONS lake.orders_ctas" > /dev/null; result txt | sort)"
check "ctas wrote parquet files per partition" yes \
  "$(s3 s3 ls "s3://$BUCKET/ctas/orders/dt=2024-01-01/region=west/" | grep -q '\.parquet$' && echo yes || echo no)"
check "ctas pruning" "partitions: 1 of 3 after pruning" \
  "$(run "EXPLAIN SELECT count(*) FROM lake.orders_ctas WHERE region = 'west'" > /dev/null; result csv | grep -o 'partitions: [0-9]* of [0-9]* after pruning')"
step "insert into a partitioned table" SUCCEEDED "INSERT INTO lake.orders_ctas (id, amount, dt, region)
SELECT id + 100, amount * 2, '2024-01-03', region FROM lake.orders_csv WHERE region = 'east'"
check "insert statement type and count" "DML	INSERT 4" "$(statement_type) $(update_count)"
check "inserted rows are read back, new partition registered" '"dt","_col1","_col2"
"2024-01-01","3","35.75"
"2024-01-02","2","101.75"
"2024-01-03","4","265.00"' "$(run "SELECT dt, count(*), sum(amount) FROM lake.orders_ctas GROUP BY dt ORDER BY dt" > /dev/null; result csv)"
step "insert with mismatched types fails" FAILED "INSERT INTO lake.orders_ctas SELECT note, id FROM lake.orders_csv"
check_contains "mismatch message" "Insert query has mismatched column types" "$(reason)"
for format in TEXTFILE JSON; do
  step "ctas $format" SUCCEEDED "CREATE TABLE lake.copy_$format WITH (format = '$format', external_location = 's3://$BUCKET/ctas/copy_$format/')
AS SELECT id, amount, note, CAST(dt AS date) AS day, note IS NULL AS missing FROM lake.orders_csv"
  check "ctas $format read back" '"id","amount","note","day","missing"
"1","10.50","a","2024-01-01","false"
"2","20.25","b","2024-01-01","false"
"3","5.00","c","2024-01-01","false"
"4","1.75",,"2024-01-02","true"
"5","100.00","e","2024-01-02","false"' "$(run "SELECT * FROM lake.copy_$format ORDER BY id" > /dev/null; result csv)"
done
# SHOW CREATE TABLE gives DDL that recreates the table over the same files.
run "SHOW CREATE TABLE lake.copy_TEXTFILE" > /dev/null
DDL="$(result txt)"
check_contains "show create table" "STORED AS TEXTFILE" "$DDL"
step "its DDL recreates the table" SUCCEEDED "${DDL/\`copy_textfile\`/\`copy_again\`}"
check "the recreated table reads the same rows" \
  "$(run "SELECT * FROM lake.copy_TEXTFILE ORDER BY id" > /dev/null; result csv)" \
  "$(run "SELECT * FROM lake.copy_again ORDER BY id" > /dev/null; result csv)"
step "ctas into a non-empty location fails" FAILED "CREATE TABLE lake.again WITH (external_location = 's3://$BUCKET/ctas/orders/') AS SELECT 1 AS x"
check_contains "non-empty location message" "already exists: s3://$BUCKET/ctas/orders/" "$(reason)"
step "ctas needs named columns" FAILED "CREATE TABLE lake.unnamed AS SELECT 1"
check_contains "unnamed column message" "Column name not specified at position 1" "$(reason)"
# Without external_location the table goes where Athena puts it: <results>/tables/<query id>/.
step "ctas without external_location" SUCCEEDED "CREATE TABLE lake.small AS SELECT id, note FROM lake.orders_csv WHERE id < 3"
check "its files are under results/tables/<id>/" yes "$(ls "$WORK/data/results/tables/$LAST_ID/" | grep -q '\.parquet$' && echo yes || echo no)"
check "small table" '"id","note"
"1","a"
"2","b"' "$(run "SELECT * FROM lake.small ORDER BY id" > /dev/null; result csv)"

# Round trip with DuckDB: a CTAS into an allowed local folder, read by DuckDB and by tributary.
step "ctas to a local root" SUCCEEDED "CREATE TABLE lake.local_pq WITH (format = 'PARQUET', external_location = 'file://$WORK/lakefs/local_pq/')
AS SELECT id, amount, CAST(id AS double) / 3 AS third, 'r' || CAST(id % 7 AS varchar) AS label,
  date_add('day', id, DATE '2024-01-01') AS day, id % 2 = 0 AS even FROM lake.orders_pq"
check "ctas 10000 rows" 10000 "$(update_count)"
TRIB_AGG="$(run "SELECT count(*), sum(amount), CAST(round(sum(third), 3) AS decimal(20,3)), count(DISTINCT label), min(day), max(day), count_if(even) FROM lake.local_pq" > /dev/null; result csv | tail -1 | tr -d '"')"
DUCK_AGG="$(cd "$ROOT" && node --input-type=module -e "
import { DuckDBInstance } from '@duckdb/node-api';
const c = await (await DuckDBInstance.create(':memory:')).connect();
const r = await c.runAndReadAll(\`SELECT count(*), sum(amount), CAST(round(sum(third), 3) AS decimal(20,3)), count(DISTINCT label), min(day), max(day), count_if(even)
  FROM read_parquet('$WORK/lakefs/local_pq/*.parquet')\`);
console.log(r.getRows()[0].map(v => String(v)).join(','));
")"
check "DuckDB reads the CTAS Parquet files with the same values" "$TRIB_AGG" "$DUCK_AGG"

# Local paths outside the allowed folders are refused (the metastore holds users' secrets).
step "table location outside the local roots" FAILED "CREATE EXTERNAL TABLE lake.secrets (line string) LOCATION 'file://$WORK/data/'"
check_contains "outside message" "outside the local folders" "$(reason)"
step "'..' does not escape a root" FAILED "CREATE EXTERNAL TABLE lake.escape (line string) LOCATION '$WORK/lakefs/../data/'"
step "ctas outside the roots" FAILED "CREATE TABLE lake.out WITH (external_location = '/tmp/tributary-ctas-outside/') AS SELECT 1 AS x"
check_contains "OutputLocation outside the roots is refused" "outside the local folders" \
  "$(athena start-query-execution --query-string "SELECT 1" --result-configuration "OutputLocation=file:///etc/" 2>&1)"

check "drop table" SUCCEEDED "$(run "DROP TABLE lake.events")"
check "dropped table is gone" FAILED "$(run "SELECT * FROM lake.events" 2>/dev/null)"
check "unknown table suggests" yes "$(run "SELECT * FROM lake.orders_cvs" >/dev/null 2>"$WORK/err"; grep -q "orders_csv" "$WORK/err" && echo yes || cat "$WORK/err")"
check "non-empty database needs CASCADE" FAILED "$(run "DROP DATABASE lake" 2>/dev/null)"
check "drop database cascade" SUCCEEDED "$(run "DROP DATABASE lake CASCADE")"

finish

#!/usr/bin/env bash
# External tables of the AwsDataCatalog through the Athena API (aws CLI) over s3rver: Hive DDL
# (CREATE DATABASE / EXTERNAL TABLE, MSCK REPAIR TABLE, ALTER TABLE ADD PARTITION, SHOW
# PARTITIONS, DROP TABLE), CSV/Parquet/JSON tables, partition pruning (EXPLAIN and fewer
# bytes scanned) and results equal to the same data read by DuckDB.
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
AWS_ENDPOINT_URL_S3="$TRIBUTARY_S3_ENDPOINT" start_server "$WORK/data" --auth none || exit 1
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
check "drop table" SUCCEEDED "$(run "DROP TABLE lake.events")"
check "dropped table is gone" FAILED "$(run "SELECT * FROM lake.events" 2>/dev/null)"
check "unknown table suggests" yes "$(run "SELECT * FROM lake.orders_cvs" >/dev/null 2>"$WORK/err"; grep -q "orders_csv" "$WORK/err" && echo yes || cat "$WORK/err")"
check "non-empty database needs CASCADE" FAILED "$(run "DROP DATABASE lake" 2>/dev/null)"
check "drop database cascade" SUCCEEDED "$(run "DROP DATABASE lake CASCADE")"

finish

#!/usr/bin/env bash
# The recipe (shared/seed/athena-federated-query-recipe.md) replayed against `tributary serve`
# with a real aws CLI: its own commands, adding only --endpoint-url (through the `aws`
# function below) and environment. Real MariaDB, dynalite and s3rver come from
# scripts/services.sh (TRIBUTARY_MYSQL_*, TRIBUTARY_DYNAMODB_ENDPOINT, TRIBUTARY_S3_ENDPOINT).
#
#   recipe_replay.sh TRIBUTARY_BINARY AWS_CLI_PATH
#
# Steps replayed: preparation (s3 mb), 2 (the SQL into MariaDB), 3 (DynamoDB table and items),
# 4-5 as `tributary function create`, 6-10, validation 1-3, cleanup 1. The server verifies
# SigV4 signatures against the key pair the CLI uses (s3rver accepts only S3RVER/S3RVER, so
# that is the pair for every service here). Checked: the result objects in the results
# bucket against expected rows, statistics, catalog listing, the view gone after cleanup.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TRIBUTARY="$(realpath "$1")"
AWS_CLI="$2"
source "$HERE/lib.sh"

: "${TRIBUTARY_MYSQL_HOST:?run eval \"\$(scripts/services.sh env)\" first}"
: "${TRIBUTARY_DYNAMODB_ENDPOINT:?}" "${TRIBUTARY_S3_ENDPOINT:?}"

WORK="$(mktemp -d)"
cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT

# A home of its own: aws-cli-setup writes the waiter model under it, and no user config leaks in.
export HOME="$WORK/home"
mkdir -p "$HOME"
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export AWS_MAX_ATTEMPTS=2 AWS_CONFIG_FILE="$HOME/.aws/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/.aws/credentials"
CLI_VERSION="$("$AWS_CLI" --version 2>&1)"
echo "# aws CLI: $CLI_VERSION"

# The server: results go to s3rver through the same key pair.
DATA="$WORK/data"
"$TRIBUTARY" user add recipe --data-dir "$DATA" --access-key-id S3RVER --secret-access-key S3RVER > /dev/null
AWS_ENDPOINT_URL_S3="$TRIBUTARY_S3_ENDPOINT" start_server "$DATA" --auth sigv4 || exit 1
"$TRIBUTARY" aws-cli-setup > /dev/null

# Every aws call goes to the local server of its service.
aws() {
  local endpoint
  case "$1" in
    athena) endpoint="$ATHENA_ENDPOINT" ;;
    dynamodb) endpoint="$TRIBUTARY_DYNAMODB_ENDPOINT" ;;
    s3 | s3api) endpoint="$TRIBUTARY_S3_ENDPOINT" ;;
    *) echo "recipe_replay: no local endpoint for aws $1" >&2; return 1 ;;
  esac
  "$AWS_CLI" --endpoint-url "$endpoint" "$@"
}
mysql_run() {
  MYSQL_PWD="$TRIBUTARY_MYSQL_PASSWORD" mariadb --no-defaults -h "$TRIBUTARY_MYSQL_HOST" -P "$TRIBUTARY_MYSQL_PORT" \
    -u "$TRIBUTARY_MYSQL_USER" --batch "$@"
}
# The result object of a query in the results bucket.
result_object() { aws s3 cp "s3://${RESULTS_BUCKET_NAME}/$1" - 2>&1; }

# ---------------------------------------------------------------- preparation
export AWS_REGION=us-east-1
export AWS_ACCOUNT_ID=000000000000
RANDOM_SUFFIX="r$(date +%s%N | tail -c 7)"
export SPILL_BUCKET_NAME="athena-federated-spill-${RANDOM_SUFFIX}"
export RESULTS_BUCKET_NAME="athena-federated-results-${RANDOM_SUFFIX}"
export DB_NAME="replay_${RANDOM_SUFFIX}_db"
export TABLE_NAME="sample_orders"
export DYNAMO_TABLE_NAME="Orders-${RANDOM_SUFFIX}"
RDS_ENDPOINT="$TRIBUTARY_MYSQL_HOST"

aws s3 mb s3://${SPILL_BUCKET_NAME} --region ${AWS_REGION} > /dev/null
aws s3 mb s3://${RESULTS_BUCKET_NAME} --region ${AWS_REGION} > /dev/null

# ---------------------------------------------------------------- step 2: the sample data
cat > "$WORK/sample_data.sql" << EOF2
CREATE TABLE ${TABLE_NAME} (
    order_id INT PRIMARY KEY,
    customer_id INT,
    product_name VARCHAR(255),
    quantity INT,
    price DECIMAL(10,2),
    order_date DATE
);

INSERT INTO ${TABLE_NAME} VALUES
    (1001, 101, 'Laptop Pro 15', 1, 1299.99, '2024-01-15'),
    (1002, 102, 'Wireless Mouse', 2, 29.99, '2024-01-16'),
    (1003, 103, 'Mechanical Keyboard', 1, 129.99, '2024-01-17'),
    (1004, 101, '4K Monitor', 1, 399.99, '2024-01-18'),
    (1005, 104, 'Noise-Canceling Headphones', 1, 249.99, '2024-01-19'),
    (1006, 105, 'USB-C Hub', 3, 79.99, '2024-01-20');
EOF2
mysql_run -e "DROP DATABASE IF EXISTS ${DB_NAME}; CREATE DATABASE ${DB_NAME}"
mysql_run "${DB_NAME}" < "$WORK/sample_data.sql"
trap 'mysql_run -e "DROP DATABASE IF EXISTS ${DB_NAME}" >/dev/null 2>&1; cleanup' EXIT

# ---------------------------------------------------------------- step 3: DynamoDB
aws dynamodb create-table \
    --table-name ${DYNAMO_TABLE_NAME} \
    --attribute-definitions \
        AttributeName=order_id,AttributeType=S \
    --key-schema \
        AttributeName=order_id,KeyType=HASH \
    --provisioned-throughput \
        ReadCapacityUnits=5,WriteCapacityUnits=5 \
    --region ${AWS_REGION} > /dev/null
aws dynamodb wait table-exists \
    --table-name ${DYNAMO_TABLE_NAME} \
    --region ${AWS_REGION}
aws dynamodb put-item \
    --table-name ${DYNAMO_TABLE_NAME} \
    --item '{
        "order_id": {"S": "1001"}, 
        "status": {"S": "shipped"}, 
        "tracking_number": {"S": "TRK123456789"}, 
        "carrier": {"S": "FedEx"},
        "ship_date": {"S": "2024-01-16"}
    }' \
    --region ${AWS_REGION}
aws dynamodb put-item \
    --table-name ${DYNAMO_TABLE_NAME} \
    --item '{
        "order_id": {"S": "1002"}, 
        "status": {"S": "processing"}, 
        "tracking_number": {"S": "TRK987654321"}, 
        "carrier": {"S": "UPS"},
        "ship_date": {"S": "2024-01-17"}
    }' \
    --region ${AWS_REGION}
aws dynamodb put-item \
    --table-name ${DYNAMO_TABLE_NAME} \
    --item '{
        "order_id": {"S": "1003"}, 
        "status": {"S": "delivered"}, 
        "tracking_number": {"S": "TRK456789123"}, 
        "carrier": {"S": "USPS"},
        "ship_date": {"S": "2024-01-18"}
    }' \
    --region ${AWS_REGION}
trap 'aws dynamodb delete-table --table-name ${DYNAMO_TABLE_NAME} >/dev/null 2>&1; mysql_run -e "DROP DATABASE IF EXISTS ${DB_NAME}" >/dev/null 2>&1; cleanup' EXIT

# ---------------------------------------------------------------- steps 4-5: connector functions
"$TRIBUTARY" function create athena-mysql-connector --data-dir "$DATA" --connector mysql \
    --property "DefaultConnectionString=mysql://jdbc:mysql://${RDS_ENDPOINT}:${TRIBUTARY_MYSQL_PORT}/${DB_NAME}?user=${TRIBUTARY_MYSQL_USER}&password=${TRIBUTARY_MYSQL_PASSWORD}" \
    --property "SpillBucket=${SPILL_BUCKET_NAME}" --property LambdaMemory=3008 --property LambdaTimeout=900 > /dev/null
"$TRIBUTARY" function create athena-dynamodb-connector --data-dir "$DATA" --connector dynamodb \
    --property "SpillBucket=${SPILL_BUCKET_NAME}" --property LambdaMemory=3008 --property LambdaTimeout=900 \
    --property "dynamodb.endpoint=${TRIBUTARY_DYNAMODB_ENDPOINT}" > /dev/null
check "function list" "athena-dynamodb-connector	dynamodb
athena-mysql-connector	mysql" "$("$TRIBUTARY" function list --data-dir "$DATA")"

# ---------------------------------------------------------------- step 6: data catalogs
aws athena create-data-catalog \
    --name "mysql_catalog" \
    --description "MySQL data source for federated queries" \
    --type LAMBDA \
    --parameters "function=arn:aws:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:athena-mysql-connector" \
    --region ${AWS_REGION}
aws athena create-data-catalog \
    --name "dynamodb_catalog" \
    --description "DynamoDB data source for federated queries" \
    --type LAMBDA \
    --parameters "function=arn:aws:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:athena-dynamodb-connector" \
    --region ${AWS_REGION}

# ---------------------------------------------------------------- step 7: workgroup
aws athena create-work-group \
    --name "federated-analytics" \
    --description "Workgroup for federated query analytics" \
    --configuration "ResultConfiguration={OutputLocation=s3://${RESULTS_BUCKET_NAME}/},EnforceWorkGroupConfiguration=true" \
    --region ${AWS_REGION}

# ---------------------------------------------------------------- step 8: the federated query
QUERY_ID=$(aws athena start-query-execution \
    --query-string "
SELECT 
    mysql_orders.order_id,
    mysql_orders.customer_id,
    mysql_orders.product_name,
    mysql_orders.quantity,
    mysql_orders.price,
    mysql_orders.order_date,
    ddb_tracking.status as shipment_status,
    ddb_tracking.tracking_number,
    ddb_tracking.carrier,
    ddb_tracking.ship_date
FROM mysql_catalog.${DB_NAME}.${TABLE_NAME} mysql_orders
LEFT JOIN dynamodb_catalog.default.${DYNAMO_TABLE_NAME} ddb_tracking
ON CAST(mysql_orders.order_id AS VARCHAR) = ddb_tracking.order_id
ORDER BY mysql_orders.order_date DESC
LIMIT 10;" \
    --work-group "federated-analytics" \
    --region ${AWS_REGION} \
    --query 'QueryExecutionId' --output text)
aws athena wait query-execution-completed \
    --query-execution-id ${QUERY_ID} \
    --region ${AWS_REGION}
check "step 8: wait succeeded" 0 "$?"
check "step 8: result object" '"order_id","customer_id","product_name","quantity","price","order_date","shipment_status","tracking_number","carrier","ship_date"
"1006","105","USB-C Hub","3","79.99","2024-01-20",,,,
"1005","104","Noise-Canceling Headphones","1","249.99","2024-01-19",,,,
"1004","101","4K Monitor","1","399.99","2024-01-18",,,,
"1003","103","Mechanical Keyboard","1","129.99","2024-01-17","delivered","TRK456789123","USPS","2024-01-18"
"1002","102","Wireless Mouse","2","29.99","2024-01-16","processing","TRK987654321","UPS","2024-01-17"
"1001","101","Laptop Pro 15","1","1299.99","2024-01-15","shipped","TRK123456789","FedEx","2024-01-16"' \
  "$(result_object "${QUERY_ID}.csv")"
check "step 8: metadata object exists" 0 "$(aws s3api head-object --bucket "${RESULTS_BUCKET_NAME}" --key "${QUERY_ID}.csv.metadata" > /dev/null 2>&1; echo $?)"
check "step 8: output location" "s3://${RESULTS_BUCKET_NAME}/${QUERY_ID}.csv" \
  "$(aws athena get-query-execution --query-execution-id ${QUERY_ID} --query 'QueryExecution.ResultConfiguration.OutputLocation' --output text)"
check "step 8: get-query-results (header + 6 rows, NULLs without a value)" \
  "order_id|shipment_status
1006|None
1005|None
1004|None
1003|delivered
1002|processing
1001|shipped" \
  "$(aws athena get-query-results --query-execution-id ${QUERY_ID} --output json | python3 -c '
import json, sys
rows = json.load(sys.stdin)["ResultSet"]["Rows"]
for r in rows:
    print("|".join(str(r["Data"][i].get("VarCharValue")) for i in (0, 6)))')"

# ---------------------------------------------------------------- step 9: the view
VIEW_QUERY_ID=$(aws athena start-query-execution \
    --query-string "
CREATE OR REPLACE VIEW default.order_analytics AS
SELECT 
    mysql_orders.order_id,
    mysql_orders.customer_id,
    mysql_orders.product_name,
    mysql_orders.quantity,
    mysql_orders.price,
    mysql_orders.order_date,
    COALESCE(ddb_tracking.status, 'pending') as shipment_status,
    ddb_tracking.tracking_number,
    ddb_tracking.carrier,
    ddb_tracking.ship_date,
    (mysql_orders.quantity * mysql_orders.price) as total_amount
FROM mysql_catalog.${DB_NAME}.${TABLE_NAME} mysql_orders
LEFT JOIN dynamodb_catalog.default.${DYNAMO_TABLE_NAME} ddb_tracking
ON CAST(mysql_orders.order_id AS VARCHAR) = ddb_tracking.order_id;" \
    --work-group "federated-analytics" \
    --region ${AWS_REGION} \
    --query 'QueryExecutionId' --output text)
aws athena wait query-execution-completed \
    --query-execution-id ${VIEW_QUERY_ID} \
    --region ${AWS_REGION}
check "step 9: wait succeeded" 0 "$?"
check "step 9: statement type" "DDL" \
  "$(aws athena get-query-execution --query-execution-id ${VIEW_QUERY_ID} --query 'QueryExecution.StatementType' --output text)"

# ---------------------------------------------------------------- step 10: analytics over the view
OPTIMIZED_QUERY_ID=$(aws athena start-query-execution \
    --query-string "
SELECT 
    COUNT(*) as total_orders,
    SUM(total_amount) as total_revenue,
    AVG(total_amount) as avg_order_value,
    shipment_status,
    COUNT(DISTINCT customer_id) as unique_customers
FROM default.order_analytics
WHERE order_date >= DATE('2024-01-01')
GROUP BY shipment_status
ORDER BY total_revenue DESC;" \
    --work-group "federated-analytics" \
    --region ${AWS_REGION} \
    --query 'QueryExecutionId' --output text)
aws athena wait query-execution-completed \
    --query-execution-id ${OPTIMIZED_QUERY_ID} \
    --region ${AWS_REGION}
check "step 10: wait succeeded" 0 "$?"
STATS=$(aws athena get-query-execution \
    --query-execution-id ${OPTIMIZED_QUERY_ID} \
    --region ${AWS_REGION} \
    --query 'QueryExecution.Statistics.{DataScannedInBytes:DataScannedInBytes,EngineExecutionTimeInMillis:EngineExecutionTimeInMillis}' \
    --output text)
read -r SCANNED ENGINE_MS <<< "$STATS"
check "step 10: DataScannedInBytes > 0" yes "$([[ "$SCANNED" -gt 0 ]] && echo yes || echo "no ($SCANNED)")"
check "step 10: EngineExecutionTimeInMillis > 0" yes "$([[ "$ENGINE_MS" -gt 0 ]] && echo yes || echo "no ($ENGINE_MS)")"
# pending = 1004 (399.99) + 1005 (249.99) + 1006 (3 x 79.99 = 239.97): 889.95, avg 296.65, customers 101/104/105.
check "step 10: result object" '"total_orders","total_revenue","avg_order_value","shipment_status","unique_customers"
"1","1299.99","1299.99","shipped","1"
"3","889.95","296.65","pending","3"
"1","129.99","129.99","delivered","1"
"1","59.98","59.98","processing","1"' \
  "$(result_object "${OPTIMIZED_QUERY_ID}.csv")"

# The view expands when the query is bound: step 10's date filter still reaches MySQL.
EXPLAIN_ID=$(aws athena start-query-execution --work-group "federated-analytics" --query QueryExecutionId --output text \
    --query-string "EXPLAIN SELECT shipment_status, count(*) FROM default.order_analytics WHERE order_date >= DATE('2024-01-01') GROUP BY shipment_status")
aws athena wait query-execution-completed --query-execution-id ${EXPLAIN_ID}
check_contains "step 10: the view's filter is pushed into MySQL" "WHERE (\`order_date\` >= '2024-01-01'" \
  "$(result_object "${EXPLAIN_ID}.csv")"

# ---------------------------------------------------------------- validation 1
CATALOGS=$(aws athena list-data-catalogs \
    --region ${AWS_REGION} \
    --query 'DataCatalogsSummary[*].{Name:CatalogName,Type:Type}' --output text)
check "validation 1: catalogs" "AwsDataCatalog	GLUE
dynamodb_catalog	LAMBDA
mysql_catalog	LAMBDA" "$CATALOGS"
TEST_MYSQL_QUERY=$(aws athena start-query-execution \
    --query-string "SHOW TABLES IN mysql_catalog.${DB_NAME}" \
    --work-group "federated-analytics" \
    --region ${AWS_REGION} \
    --query 'QueryExecutionId' --output text)
aws athena wait query-execution-completed \
    --query-execution-id ${TEST_MYSQL_QUERY} \
    --region ${AWS_REGION}
check "validation 1: wait succeeded" 0 "$?"
check "validation 1: SHOW TABLES result (.txt)" "sample_orders" "$(result_object "${TEST_MYSQL_QUERY}.txt")"

# ---------------------------------------------------------------- validation 2
PERF_TEST_QUERY=$(aws athena start-query-execution \
    --query-string "
SELECT 
    COUNT(*) as record_count,
    COUNT(DISTINCT mysql_orders.customer_id) as unique_customers,
    COUNT(DISTINCT ddb_tracking.carrier) as carriers_used
FROM mysql_catalog.${DB_NAME}.${TABLE_NAME} mysql_orders
LEFT JOIN dynamodb_catalog.default.${DYNAMO_TABLE_NAME} ddb_tracking
ON CAST(mysql_orders.order_id AS VARCHAR) = ddb_tracking.order_id;" \
    --work-group "federated-analytics" \
    --region ${AWS_REGION} \
    --query 'QueryExecutionId' --output text)
aws athena get-query-execution \
    --query-execution-id ${PERF_TEST_QUERY} \
    --region ${AWS_REGION} \
    --query 'QueryExecution.Statistics' > /dev/null
check "validation 2: get-query-execution answered" 0 "$?"
aws athena wait query-execution-completed --query-execution-id ${PERF_TEST_QUERY} --region ${AWS_REGION}
check "validation 2: result object" '"record_count","unique_customers","carriers_used"
"6","5","3"' "$(result_object "${PERF_TEST_QUERY}.csv")"

# ---------------------------------------------------------------- validation 3
VIEW_TEST_QUERY=$(aws athena start-query-execution \
    --query-string "
SELECT 
    product_name,
    COUNT(*) as order_count,
    AVG(total_amount) as avg_amount,
    MAX(order_date) as latest_order
FROM default.order_analytics
GROUP BY product_name
ORDER BY order_count DESC;" \
    --work-group "federated-analytics" \
    --region ${AWS_REGION} \
    --query 'QueryExecutionId' --output text)
aws athena wait query-execution-completed \
    --query-execution-id ${VIEW_TEST_QUERY} \
    --region ${AWS_REGION}
check "validation 3: wait succeeded" 0 "$?"
# Every product has one order, so ORDER BY order_count leaves the row order open: compare sorted.
check "validation 3: result object (sorted)" '"4K Monitor","1","399.99","2024-01-18"
"Laptop Pro 15","1","1299.99","2024-01-15"
"Mechanical Keyboard","1","129.99","2024-01-17"
"Noise-Canceling Headphones","1","249.99","2024-01-19"
"USB-C Hub","1","239.97","2024-01-20"
"Wireless Mouse","1","59.98","2024-01-16"
"product_name","order_count","avg_amount","latest_order"' \
  "$(result_object "${VIEW_TEST_QUERY}.csv" | LC_ALL=C sort)"

# ---------------------------------------------------------------- cleanup 1
aws athena start-query-execution \
    --query-string "DROP VIEW IF EXISTS default.order_analytics" \
    --work-group "federated-analytics" \
    --region ${AWS_REGION} > "$WORK/drop.json"
DROP_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["QueryExecutionId"])' "$WORK/drop.json")
aws athena wait query-execution-completed --query-execution-id "$DROP_ID" --region ${AWS_REGION}
check "cleanup: view dropped" "FAILED" "$(
  Q=$(aws athena start-query-execution --query-string "SELECT * FROM default.order_analytics" \
      --query QueryExecutionId --output text)
  aws athena wait query-execution-completed --query-execution-id "$Q" > /dev/null 2>&1
  aws athena get-query-execution --query-execution-id "$Q" --query 'QueryExecution.Status.State' --output text)"
aws athena delete-data-catalog \
    --name "mysql_catalog" \
    --region ${AWS_REGION} > /dev/null
aws athena delete-data-catalog \
    --name "dynamodb_catalog" \
    --region ${AWS_REGION} > /dev/null
aws athena delete-work-group \
    --work-group "federated-analytics" \
    --region ${AWS_REGION}
check "cleanup: catalogs" "AwsDataCatalog" \
  "$(aws athena list-data-catalogs --query 'DataCatalogsSummary[*].CatalogName' --output text)"
check "cleanup: workgroups" "primary" "$(aws athena list-work-groups --query 'WorkGroups[*].Name' --output text)"

# A wrong secret is refused as AWS refuses it.
check_contains "auth: wrong secret" "InvalidSignatureException" \
  "$(AWS_SECRET_ACCESS_KEY=wrong "$AWS_CLI" --endpoint-url "$ATHENA_ENDPOINT" athena list-work-groups 2>&1)"
check_contains "auth: unknown key" "UnrecognizedClientException" \
  "$(AWS_ACCESS_KEY_ID=AKIDUNKNOWN "$AWS_CLI" --endpoint-url "$ATHENA_ENDPOINT" athena list-work-groups 2>&1)"

finish

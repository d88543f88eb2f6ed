#!/usr/bin/env bash
# The second half of `make demo`: the recipe's aws athena commands against `tributary serve`
# on the demo's embedded sources (a SQLite file as the MySQL database, a DynamoDB JSON export
# as the DynamoDB table), with the real aws CLI and --auth none. Results land in a local
# folder (file://...) instead of an S3 bucket.
#
#   scripts/demo-service.sh TRIBUTARY_BINARY
set -euo pipefail
TRIBUTARY="$(realpath "$1")"
AWS_CLI="$(command -v aws || true)"
if [[ "$AWS_CLI" == */shims/* ]] && command -v pyenv > /dev/null 2>&1; then AWS_CLI="$(pyenv which aws)"; fi
[[ -x "$AWS_CLI" ]] || AWS_CLI=/usr/bin/aws
if [[ ! -x "$AWS_CLI" ]]; then
  echo "demo-service: no aws CLI found (apt-get install awscli); skipping the service demo"
  exit 0
fi

DIR="$(mktemp -d)"
SERVER_PID=""
trap '[[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"' EXIT
export HOME="$DIR/home" AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export AWS_REGION=us-east-1 AWS_ACCOUNT_ID=000000000000
mkdir -p "$HOME"
"$TRIBUTARY" demo --keep-dir "$DIR/sources" > /dev/null

say() { printf '\n== %s\n' "$*"; }
say "Steps 4-5: deploy the connector functions (the Lambda connectors of Athena)"
"$TRIBUTARY" function create athena-mysql-connector --data-dir "$DIR/service" --connector sqlite \
  --property "database=$DIR/sources/orders.db" --property schema=analytics_db
"$TRIBUTARY" function create athena-dynamodb-connector --data-dir "$DIR/service" --connector files \
  --property "location=$DIR/sources/dynamodb"
"$TRIBUTARY" aws-cli-setup

"$TRIBUTARY" serve --data-dir "$DIR/service" --http-port 0 --auth none --local-root "$DIR/results" > "$DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do [[ -s "$DIR/service/server.port" ]] && break; sleep 0.05; done
ENDPOINT="http://127.0.0.1:$(cat "$DIR/service/server.port")"
echo "tributary serve listening on $ENDPOINT"
aws() { "$AWS_CLI" --endpoint-url "$ENDPOINT" "$@"; }

say "Step 6: aws athena create-data-catalog (type LAMBDA)"
aws athena create-data-catalog --name "mysql_catalog" --description "MySQL data source for federated queries" \
  --type LAMBDA --parameters "function=arn:aws:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:athena-mysql-connector" \
  --region ${AWS_REGION} --query 'DataCatalog.[Name,Type]' --output text
aws athena create-data-catalog --name "dynamodb_catalog" --description "DynamoDB data source for federated queries" \
  --type LAMBDA --parameters "function=arn:aws:lambda:${AWS_REGION}:${AWS_ACCOUNT_ID}:function:athena-dynamodb-connector" \
  --region ${AWS_REGION} --query 'DataCatalog.[Name,Type]' --output text

say "Step 7: aws athena create-work-group (results in $DIR/results/)"
aws athena create-work-group --name "federated-analytics" --description "Workgroup for federated query analytics" \
  --configuration "ResultConfiguration={OutputLocation=file://$DIR/results/},EnforceWorkGroupConfiguration=true" \
  --region ${AWS_REGION}

run_query() {
  local title="$1" sql="$2" id
  say "$title"
  id=$(aws athena start-query-execution --query-string "$sql" --work-group "federated-analytics" \
       --region ${AWS_REGION} --query 'QueryExecutionId' --output text)
  aws athena wait query-execution-completed --query-execution-id "$id" --region ${AWS_REGION}
  aws athena get-query-execution --query-execution-id "$id" --output text \
    --query 'QueryExecution.[Status.State,Statistics.EngineExecutionTimeInMillis,Statistics.DataScannedInBytes,ResultConfiguration.OutputLocation]' |
    awk '{printf "%s in %s ms, %s bytes scanned, result %s\n", $1, $2, $3, $4}'
  if [[ -n "${3:-}" ]]; then cat "$DIR/results/$id.csv"; fi
}
run_query "Step 8: the federated join (aws athena start-query-execution, wait, result object)" "
SELECT mysql_orders.order_id, mysql_orders.customer_id, mysql_orders.product_name, mysql_orders.quantity,
       mysql_orders.price, mysql_orders.order_date, ddb_tracking.status as shipment_status,
       ddb_tracking.tracking_number, ddb_tracking.carrier, ddb_tracking.ship_date
FROM mysql_catalog.analytics_db.sample_orders mysql_orders
LEFT JOIN dynamodb_catalog.default.Orders-demo ddb_tracking
ON CAST(mysql_orders.order_id AS VARCHAR) = ddb_tracking.order_id
ORDER BY mysql_orders.order_date DESC
LIMIT 10;" show
run_query "Step 9: CREATE OR REPLACE VIEW default.order_analytics (stored in the metastore)" "
CREATE OR REPLACE VIEW default.order_analytics AS
SELECT mysql_orders.order_id, mysql_orders.customer_id, mysql_orders.product_name, mysql_orders.quantity,
       mysql_orders.price, mysql_orders.order_date, COALESCE(ddb_tracking.status, 'pending') as shipment_status,
       ddb_tracking.tracking_number, ddb_tracking.carrier, ddb_tracking.ship_date,
       (mysql_orders.quantity * mysql_orders.price) as total_amount
FROM mysql_catalog.analytics_db.sample_orders mysql_orders
LEFT JOIN dynamodb_catalog.default.Orders-demo ddb_tracking
ON CAST(mysql_orders.order_id AS VARCHAR) = ddb_tracking.order_id;"
run_query "Step 10: revenue by shipment status over the view" "
SELECT COUNT(*) as total_orders, SUM(total_amount) as total_revenue, AVG(total_amount) as avg_order_value,
       shipment_status, COUNT(DISTINCT customer_id) as unique_customers
FROM default.order_analytics
WHERE order_date >= DATE('2024-01-01')
GROUP BY shipment_status
ORDER BY total_revenue DESC;" show

run_query "Beyond the recipe: land the federated result in the lake (CREATE TABLE AS, Parquet partitioned by status)" "
CREATE TABLE default.order_facts
WITH (format = 'PARQUET', external_location = 'file://$DIR/results/lake/order_facts/', partitioned_by = ARRAY['shipment_status'])
AS SELECT order_id, customer_id, product_name, total_amount, order_date, shipment_status FROM default.order_analytics;"
run_query "... and query the lake table (partition pruning: only the shipped/ folder is read)" "
SELECT count(*) AS orders, sum(total_amount) AS revenue FROM default.order_facts WHERE shipment_status = 'shipped';" show
find "$DIR/results/lake/order_facts" -name '*.parquet' | sed "s|$DIR/results/||" | sort

say "Validation 1: aws athena list-data-catalogs"
aws athena list-data-catalogs --region ${AWS_REGION} --query 'DataCatalogsSummary[*].{Name:CatalogName,Type:Type}' --output table
echo
echo "Service demo finished. Run it yourself: tributary serve --auth none, then aws athena ... --endpoint-url (docs/athena-service.md)"

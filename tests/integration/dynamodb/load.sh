#!/usr/bin/env bash
# Loads the DynamoDB test data into the dynalite started by scripts/services.sh
# (TRIBUTARY_DYNAMODB_ENDPOINT from its env file), with the real `aws` CLI. Idempotent: every
# table is deleted (when present) and re-created, so it can run before each test session.
#
#   Orders-abc123   the recipe's step 3, verbatim (create-table, wait table-exists, three put-item)
#   TypeZoo         hash key id (S); one item per attribute-type case: S, N (38 digits, negative,
#                   fractional), B, BOOL, NULL, SS, NS, BS, L, M, and items missing attributes
#   Events          hash key device (S) + range key ts (N), GSI by_kind (kind S, ts N), 12 items
#   Big             hash key pk (S), 3000 items of ~510 bytes (~1.5 MB, > one 1 MB Scan page),
#                   n = 1..3000 (sum 4501500), grp = n % 10, loaded with BatchWriteItem in
#                   batches of 25
set -euo pipefail

: "${TRIBUTARY_DYNAMODB_ENDPOINT:?run eval \"\$(scripts/services.sh env)\" first}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-dummy}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-dummy}"
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 AWS_PAGER=""
AWS_REGION=us-east-1
DYNAMO_TABLE_NAME="Orders-abc123"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Every aws call goes to dynalite.
aws() { command aws --endpoint-url "$TRIBUTARY_DYNAMODB_ENDPOINT" --output json "$@"; }

drop_table() {
  if aws dynamodb describe-table --table-name "$1" > /dev/null 2>&1; then
    aws dynamodb delete-table --table-name "$1" > /dev/null
    aws dynamodb wait table-not-exists --table-name "$1"
  fi
}

# ---------------------------------------------------------------- the recipe's step 3
drop_table "$DYNAMO_TABLE_NAME"

# Create DynamoDB table
aws dynamodb create-table \
    --table-name ${DYNAMO_TABLE_NAME} \
    --attribute-definitions \
        AttributeName=order_id,AttributeType=S \
    --key-schema \
        AttributeName=order_id,KeyType=HASH \
    --provisioned-throughput \
        ReadCapacityUnits=5,WriteCapacityUnits=5 \
    --region ${AWS_REGION} > /dev/null

# Wait for table to be active
aws dynamodb wait table-exists \
    --table-name ${DYNAMO_TABLE_NAME} \
    --region ${AWS_REGION}

echo "✅ DynamoDB table created, adding sample tracking data"

# Add sample order tracking data to DynamoDB
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

echo "✅ Created DynamoDB table with sample order tracking data"

# ---------------------------------------------------------------- TypeZoo
drop_table TypeZoo
aws dynamodb create-table --table-name TypeZoo \
  --attribute-definitions AttributeName=id,AttributeType=S \
  --key-schema AttributeName=id,KeyType=HASH \
  --billing-mode PAY_PER_REQUEST > /dev/null
aws dynamodb wait table-exists --table-name TypeZoo
# Column types (docs/connectors/dynamodb.md): s varchar, n_int bigint, n_big decimal(38,0),
# n_frac decimal(38,9), b varbinary, flag boolean, nul varchar (only NULL), ss/ns/bs/l/m varchar
# (JSON), mixed varchar (several types).
# Items go in with the wire-format client: aws CLI v1 base64-encodes B/BS values it is given,
# so "AAEC/w==" would be stored as those 8 ASCII bytes. On the wire "AAEC/w==" is the bytes
# 00 01 02 ff and "aGk=" is "hi".
put_zoo() { node "$(dirname "${BASH_SOURCE[0]}")/ddb_client.mjs" put TypeZoo "$1"; }
put_zoo '{"id":{"S":"a"},"s":{"S":"hello"},"n_int":{"N":"42"},"n_big":{"N":"12345678901234567890123456789012345678"},
  "n_frac":{"N":"3.25"},"b":{"B":"AAEC/w=="},"flag":{"BOOL":true},"nul":{"NULL":true},
  "ss":{"SS":["x","y"]},"ns":{"NS":["1","2.5"]},"bs":{"BS":["aGk="]},
  "l":{"L":[{"S":"a"},{"N":"1"},{"BOOL":false},{"NULL":true}]},
  "m":{"M":{"k":{"S":"v"},"n":{"N":"7"}}},"mixed":{"S":"text"}}'
put_zoo '{"id":{"S":"b"},"s":{"S":"ünïcødé ☃"},"n_int":{"N":"-9223372036854775808"},
  "n_big":{"N":"-99999999999999999999999999999999999999"},"n_frac":{"N":"-0.000000001"},
  "b":{"B":""},"flag":{"BOOL":false},"nul":{"NULL":true},"ss":{"SS":["only"]},"ns":{"NS":["-3"]},
  "l":{"L":[]},"m":{"M":{}},"mixed":{"N":"12"}}'
put_zoo '{"id":{"S":"c"},"n_int":{"N":"9223372036854775807"},"n_big":{"N":"0"},
  "n_frac":{"N":"12345678901234567890123456789.123456789"},"mixed":{"BOOL":true}}'
put_zoo '{"id":{"S":"d"}}'

# ---------------------------------------------------------------- Events: hash+range key, a GSI
drop_table Events
aws dynamodb create-table --table-name Events \
  --attribute-definitions AttributeName=device,AttributeType=S AttributeName=ts,AttributeType=N \
    AttributeName=kind,AttributeType=S \
  --key-schema AttributeName=device,KeyType=HASH AttributeName=ts,KeyType=RANGE \
  --global-secondary-indexes \
    'IndexName=by_kind,KeySchema=[{AttributeName=kind,KeyType=HASH},{AttributeName=ts,KeyType=RANGE}],Projection={ProjectionType=ALL}' \
  --billing-mode PAY_PER_REQUEST > /dev/null
aws dynamodb wait table-exists --table-name Events
{
  printf '{"Events":['
  sep=""
  for device in d1 d2 d3; do
    for ts in 1 2 3 4; do
      case $(((ts + ${device#d}) % 3)) in 0) kind=boot ;; 1) kind=alarm ;; *) kind=ping ;; esac
      printf '%s{"PutRequest":{"Item":{"device":{"S":"%s"},"ts":{"N":"%d"},"kind":{"S":"%s"},"reading":{"N":"%d"}}}}' \
        "$sep" "$device" "$ts" "$kind" "$((${device#d} * 100 + ts))"
      sep=","
    done
  done
  printf ']}'
} > "$WORK/events.json"
aws dynamodb batch-write-item --request-items "file://$WORK/events.json" > "$WORK/events.out"
tr -d ' \n' < "$WORK/events.out" | grep -q '"UnprocessedItems":{}' || { cat "$WORK/events.out" >&2; exit 1; }

# ---------------------------------------------------------------- Big: 3000 items, > 1 MB
drop_table Big
aws dynamodb create-table --table-name Big \
  --attribute-definitions AttributeName=pk,AttributeType=S \
  --key-schema AttributeName=pk,KeyType=HASH \
  --billing-mode PAY_PER_REQUEST > /dev/null
aws dynamodb wait table-exists --table-name Big
# 3000 items {pk: S "k0000001".., n: N 1..3000, grp: N n % 10, pad: S 480 bytes} in
# BatchWriteItem calls of 25 (a node client: 120 aws CLI processes take over a minute).
node "$(dirname "${BASH_SOURCE[0]}")/ddb_client.mjs" load Big 3000 480
count="$(aws dynamodb scan --table-name Big --select COUNT --query Count --output text | tr -s '\t\n' '\n\n' | awk '{s += $1} END {print s}')"
[[ "$count" == 3000 ]] || { echo "load.sh: Big has $count items, expected 3000" >&2; exit 1; }
echo "dynamodb test data loaded: Orders-abc123 (3), TypeZoo (4), Events (12), Big (3000)"

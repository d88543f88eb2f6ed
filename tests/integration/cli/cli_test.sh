#!/usr/bin/env bash
# CLI contract tests: output formats, exit codes, error text on stderr, config
# directories with ${ENV:...} secrets, --file scripts, and the demo.
# Usage: cli_test.sh PATH/TO/tributary
set -u
T="$1"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0

check() {  # name, expected, actual
  if [[ "$2" == "$3" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAILED: %s\n--- expected\n%s\n--- actual\n%s\n' "$1" "$2" "$3"
  fi
}

# Output formats.
out=$("$T" query --output-format JSON "SELECT 1 AS a, 2.50 AS b, 'x\"y' AS c, NULL AS d, true AS e, 1.5e0 AS f, DATE '2024-01-15' AS g, TIMESTAMP '2024-01-15 10:20:30.123' AS h")
check "json" '{"a":1,"b":"2.50","c":"x\"y","d":null,"e":true,"f":1.5,"g":"2024-01-15","h":"2024-01-15 10:20:30.123"}' "$out"
out=$("$T" query --output-format CSV "SELECT 1, NULL, 'a,b', 'say \"hi\"'")
check "csv" '"1",,"a,b","say ""hi"""' "$out"
out=$("$T" query --output-format CSV_HEADER "SELECT 1 AS x, 'y' AS y")
check "csv_header" $'"x","y"\n"1","y"' "$out"
out=$("$T" query --output-format TSV "SELECT 1, NULL, 'z'")
check "tsv" $'1\t\tz' "$out"
out=$("$T" query "SELECT 42 AS answer")
check "aligned" $' answer\n--------\n     42\n(1 row)' "$out"

# Exit codes and error text.
"$T" query "SELECT 1 +" >"$WORK/out" 2>"$WORK/err"
check "syntax error exit code" 1 $?
check "syntax error text" "SYNTAX_ERROR: line 1:11: mismatched input '<EOF>'. Expecting: expression" "$(cat "$WORK/err")"
"$T" query "SELECT 1/0" >/dev/null 2>"$WORK/err"
check "runtime error exit code" 1 $?
check "runtime error text" "DIVISION_BY_ZERO: Division by zero" "$(cat "$WORK/err")"
"$T" query --output-format XML "SELECT 1" >/dev/null 2>&1
check "bad format exit code" 2 $?
"$T" query --no-such-flag >/dev/null 2>&1
check "bad flag exit code" 2 $?
"$T" query >/dev/null 2>&1
check "no sql exit code" 2 $?

# Config directory, ${ENV:...} expansion, session catalog/schema, --file with two statements.
mkdir -p "$WORK/lake/sales" "$WORK/config/catalog"
printf 'id,amount\n1,10.5\n2,20.25\n' > "$WORK/lake/sales/orders.csv"
printf 'connector.name=files\nlocation=${ENV:LAKE_DIR}\n' > "$WORK/config/catalog/lake.properties"
out=$(LAKE_DIR="$WORK/lake" "$T" query --config-dir "$WORK/config" --catalog lake --schema sales --output-format CSV "SELECT count(*), sum(amount) FROM orders")
check "env expansion" '"2","30.75"' "$out"
"$T" query --config-dir "$WORK/config" "SELECT 1" >/dev/null 2>"$WORK/err"
check "missing env exit code" 1 $?
grep -q "Environment variable 'LAKE_DIR'" "$WORK/err"
check "missing env message" 0 $?
printf 'SELECT 1;\nSELECT 2;\n' > "$WORK/two.sql"
out=$("$T" query --output-format CSV --file "$WORK/two.sql")
check "file with two statements" $'"1"\n"2"' "$out"

# The demo: the recipe's queries on embedded sources, quickly.
start=$(date +%s%N)
"$T" demo > "$WORK/demo.out" 2>&1
check "demo exit code" 0 $?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q "1001 |         101 | Laptop Pro 15              |        1 | 1299.99 | 2024-01-15 | shipped" "$WORK/demo.out"
check "demo join row" 0 $?
grep -q "            3 |        889.95 |          296.65 | pending         |                3" "$WORK/demo.out"
check "demo aggregate row" 0 $?
[[ $elapsed_ms -lt 2000 ]]
check "demo under 2 s (took ${elapsed_ms} ms)" 0 $?

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]

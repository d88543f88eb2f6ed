#!/usr/bin/env bash
# Reads Parquet files written by DuckDB with tributary's reader and compares every value.
#
# Usage: tests/integration/parquet/run.sh UNIT_TESTS_BINARY
#   Writes the files (make_files.mjs, DuckDB from npm) into a temporary directory, then runs the
#   ParquetDuckDB* GoogleTest cases of UNIT_TESTS_BINARY against them
#   (TRIBUTARY_PARQUET_TEST_DIR). Exit status: the test binary's.
set -euo pipefail

if [[ $# -ne 1 || ! -x "$1" ]]; then
  echo "usage: $0 UNIT_TESTS_BINARY" >&2
  exit 2
fi
unit_tests="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tributary-parquet.XXXXXX")"
trap 'rm -rf "$work"' EXIT

node "$here/make_files.mjs" "$work" >/dev/null
TRIBUTARY_PARQUET_TEST_DIR="$work" "$unit_tests" --gtest_filter='ParquetDuckDB*'

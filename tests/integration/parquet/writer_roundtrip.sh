#!/usr/bin/env bash
# Writes Parquet files with tributary's writer and reads them back with DuckDB.
#
# Usage: tests/integration/parquet/writer_roundtrip.sh UNIT_TESTS_BINARY
#   Runs the ParquetWriterDuckDB GoogleTest cases of UNIT_TESTS_BINARY, which write every type
#   with every codec, dictionary-encoded and PLAIN (plus a dictionary overflowing mid-chunk and an
#   empty file), with the expected rows next to each file, into a temporary directory
#   (TRIBUTARY_PARQUET_WRITE_DIR); then writer_check.mjs (DuckDB from npm) compares DuckDB's
#   reading with them. Exit status: non-zero when either step fails.
set -euo pipefail

if [[ $# -ne 1 || ! -x "$1" ]]; then
  echo "usage: $0 UNIT_TESTS_BINARY" >&2
  exit 2
fi
unit_tests="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tributary-parquet-writer.XXXXXX")"
trap 'rm -rf "$work"' EXIT

TRIBUTARY_PARQUET_WRITE_DIR="$work" "$unit_tests" --gtest_filter='ParquetWriterDuckDB*'
node "$here/writer_check.mjs" "$work"

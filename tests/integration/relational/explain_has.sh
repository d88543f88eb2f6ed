#!/usr/bin/env bash
# Asserts what tributary sends to a source: runs `EXPLAIN SQL` and checks its text.
# Used by `exec` lines of tests/sql/relational/*.test.
#
#   explain_has.sh TRIBUTARY CONFIG_DIR SQL FRAGMENT...
#
# Each FRAGMENT must occur in the EXPLAIN text (fixed string); a FRAGMENT starting with
# `!` must not occur. Exit 0 when all hold; otherwise prints the EXPLAIN text and exits 1.
# In an exec line, TRIBUTARY is "$(readlink /proc/$PPID/exe)": the binary running the test.
set -uo pipefail
if (($# < 4)); then
  echo "usage: explain_has.sh TRIBUTARY CONFIG_DIR SQL FRAGMENT..." >&2
  exit 2
fi
bin="$1" config_dir="$2" sql="$3"
shift 3
if ! plan="$("$bin" query --config-dir "$config_dir" --output-format TSV "EXPLAIN $sql" 2>&1)"; then
  echo "explain_has: EXPLAIN failed: $plan" >&2
  exit 1
fi
status=0
for fragment in "$@"; do
  if [[ "$fragment" == '!'* ]]; then
    if grep -qF -- "${fragment:1}" <<<"$plan"; then
      echo "explain_has: unexpected in the plan: ${fragment:1}" >&2
      status=1
    fi
  elif ! grep -qF -- "$fragment" <<<"$plan"; then
    echo "explain_has: missing from the plan: $fragment" >&2
    status=1
  fi
done
if ((status != 0)); then
  echo "explain_has: EXPLAIN $sql" >&2
  echo "$plan" >&2
fi
exit "$status"

#!/usr/bin/env bash
# Creates .venv with the DuckDB Python package the oracle tests (Tests/OracleTests) run the tag SQL with.
#
# Idempotent and quiet: prints nothing and changes nothing when .venv already imports duckdb, so
# `make test` can call it every time. The version is pinned so the oracle does not move under us.
set -euo pipefail
DUCKDB_VERSION=2.0.0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import duckdb' >/dev/null 2>&1; then
  exit 0
fi

echo "setting up $venv with duckdb==$DUCKDB_VERSION (for the oracle tests)"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" || {
    echo "duckdb-venv: 'python3 -m venv' failed: install python3 and python3-venv (apt-get install python3-venv)" >&2
    exit 1
  }
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION" || {
  echo "duckdb-venv: could not install duckdb==$DUCKDB_VERSION from PyPI into $venv" >&2
  exit 1
}
"$venv/bin/python" -c 'import duckdb' || {
  echo "duckdb-venv: duckdb installed but cannot be imported by $venv/bin/python" >&2
  exit 1
}

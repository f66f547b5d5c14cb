#!/usr/bin/env bash
# `make bench`: run every benchmark against the local Atlas simulator and regenerate
# docs/benchmarks.md (see benchmarks/README.md). Takes a few minutes.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/../scripts/common.sh"

VENV=$(run_venv)
cd "$ROOT"
"$VENV/bin/python" benchmarks/run.py "$@"

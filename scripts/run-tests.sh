#!/usr/bin/env bash
# Runs every *.test.ts (server, common, the web app's pure modules; not e2e/) with Node's own test runner (one process per file).
# Usage: scripts/run-tests.sh [file-or-dir ...]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -gt 0 ]; then
  files=$(find "$@" -name '*.test.ts' -not -path '*/node_modules/*' | sort)
else
  files=$(find server common bench scripts web/src -name '*.test.ts' -not -path '*/node_modules/*' | sort)
fi
export NODE_ENV=test
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-timeout=300000 $files

#!/usr/bin/env bash
# The one command that runs every test: lint, typecheck, unit, Noise vectors, end-to-end.
# Every step runs even if an earlier one failed, so one run shows every failure; the last line
# sums the individual tests of all steps as "N passed, M failed, K skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh || exit 1
[ -d node_modules ] || npm ci
mkdir -p reports
rm -f reports/*.json reports/*.txt test-results/e2e.json
status=0
step() { echo; echo "== $1"; shift; "$@" || status=1; }
step lint npm run -s lint
step typecheck npm run -s typecheck
step unit npx vitest run --reporter=default --reporter=json --outputFile="$PWD/reports/unit.json"
step worker npx vitest run --config signaling-worker/vitest.config.ts --reporter=default --reporter=json --outputFile="$PWD/reports/worker.json"
step vectors bash -o pipefail -c 'npm run -s vectors:noise -- ../shared/vectors/noise-dev.json | tee reports/vectors.txt'
step e2e npm run -s test:e2e
node scripts/summarize-tests.mjs "$status"

#!/usr/bin/env bash
# `npm test`: every test layer (unit, integration on real PostgreSQL and Redis,
# API end-to-end with the isolation probe and DTO fuzzing, browser, API processes
# under shutdown and faults) plus lint, from a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

bash tools/ensure-deps.sh
bash tools/dev-services.sh --browser

# Databases of earlier runs: per-file copies an interrupted run left, and templates
# of older migrations (each run rebuilds the template once, in about a second).
PGPASSWORD=tenantry_owner psql -h 127.0.0.1 -U tenantry_owner -d postgres -Atqc \
  "select 'drop database if exists ' || quote_ident(datname) || ' with (force);' from pg_database where datname like 'tenantry\_t\_%' or datname like 'tenantry\_tpl\_%'" \
  | PGPASSWORD=tenantry_owner psql -h 127.0.0.1 -U tenantry_owner -d postgres -q >/dev/null || true

log=$(mktemp)
status=0
# Cheap layers first: lint and unit tests, then integration (real PostgreSQL and Redis),
# then end to end (API, browser, API processes). Every layer runs; any failure fails the run.
set +e
for targets in lint,test-unit test-integration test-e2e; do
  npx nx run-many -t "$targets" --output-style=static "$@" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
done
set -e
# One closing line over every runner (Jest per project, Vitest for the SPA).
count() { sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ *Tests:? ' | grep -oE "[0-9]+ $1" | awk '{ n += $1 } END { print n + 0 }'; }
echo
echo "tests: $(count passed) passed, $(count failed) failed"
rm -f "$log"
exit "$status"

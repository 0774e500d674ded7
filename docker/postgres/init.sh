#!/usr/bin/env bash
# Runs once when the postgres container initialises its data directory.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="${TENANTRY_OWNER_PASSWORD:?}" \
  -v app_password="${TENANTRY_APP_PASSWORD:?}" \
  -v platform_password="${TENANTRY_PLATFORM_PASSWORD:?}" \
  -v db="${TENANTRY_DB:-tenantry}" \
  -f /docker-entrypoint-initdb.d/init-roles.sql.in

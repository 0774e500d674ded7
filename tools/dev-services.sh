#!/usr/bin/env bash
# Makes sure PostgreSQL (>= 15) and Redis (>= 7) run on loopback, with Tenantry's
# roles and database in place. Installs them from Debian packages when missing,
# starts them when stopped, and changes nothing that is already right.
#   tools/dev-services.sh [--browser]   (--browser: also make sure Chromium is installed)
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST_ADDR=127.0.0.1
PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
DB_NAME=${TENANTRY_DB:-tenantry}
log() { printf '\033[1;34m[services]\033[0m %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  command -v apt-get >/dev/null || { echo "Cannot install $*: no apt-get. Install it yourself and re-run." >&2; exit 1; }
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  log "installing $* from Debian packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- PostgreSQL -------------------------------------------------------------
if ! command -v pg_ctlcluster >/dev/null && ! command -v pg_ctl >/dev/null; then
  apt_install postgresql
fi
if ! pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT"; then
  if command -v pg_lsclusters >/dev/null; then
    read -r ver name <<<"$(pg_lsclusters -h | awk '{print $1, $2; exit}')"
    if [ -z "${ver:-}" ]; then
      ver=$(ls /usr/lib/postgresql | sort -n | tail -1); name=main
      log "creating PostgreSQL $ver cluster"
      as_root pg_createcluster "$ver" "$name" -p "$PGPORT" >/dev/null
    fi
    log "starting PostgreSQL $ver/$name"
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start
  else
    echo "PostgreSQL is installed but not running on $PGHOST_ADDR:$PGPORT; start it and re-run." >&2; exit 1
  fi
  for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT" && break; sleep 1; done
fi

# A superuser session: trust on loopback where configured, else the postgres OS user.
psql_super() {
  if psql -h "$PGHOST_ADDR" -p "$PGPORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1 </dev/null; then
    psql -h "$PGHOST_ADDR" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"
  elif [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- psql -p "$PGPORT" -d postgres -v ON_ERROR_STOP=1 -q "$@"
  else
    sudo -u postgres psql -p "$PGPORT" -d postgres -v ON_ERROR_STOP=1 -q "$@"
  fi
}
pg_version=$(psql_super -Atc 'show server_version_num')
[ "$pg_version" -ge 150000 ] || { echo "PostgreSQL >= 15 is required (found $pg_version)." >&2; exit 1; }
psql_super -v owner_password=tenantry_owner -v app_password=tenantry_app \
  -v platform_password=tenantry_platform -v db="$DB_NAME" -f docker/postgres/init-roles.sql >/dev/null

# --- Redis ------------------------------------------------------------------
command -v redis-server >/dev/null || apt_install redis-server
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/tenantry.log
  for _ in $(seq 1 30); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis_major=$(redis-cli -p "$REDIS_PORT" info server | sed -n 's/^redis_version:\([0-9]*\).*/\1/p')
[ "$redis_major" -ge 7 ] || { echo "Redis >= 7 is required (found $redis_major)." >&2; exit 1; }

# --- Chromium (browser tests only) -------------------------------------------
if [ "${1:-}" = "--browser" ] && [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  apt_install chromium
fi

log "PostgreSQL $(psql_super -Atc 'show server_version' | cut -d' ' -f1) and Redis $redis_major.x ready; database '$DB_NAME'"

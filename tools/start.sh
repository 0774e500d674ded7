#!/usr/bin/env bash
# `npm start`: from a fresh clone to a running Tenantry with demo data on one port.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true

bash tools/ensure-deps.sh
bash tools/dev-services.sh

if [ ! -f .env ]; then
  echo "[start] writing .env with a fresh JWT secret (edit it to change settings; see docs/getting-started.md)"
  printf 'JWT_SECRET=%s\n' "$(node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))")" > .env
fi

npx nx run-many -t build -p api web --output-style=static
node apps/api/dist/cli/migrate.js
node apps/api/dist/cli/seed.js
export WEB_DIST=${WEB_DIST:-apps/web/dist}
# The console's Releases page lists this instance under the checkout's commit.
RELEASE_VERSION=${RELEASE_VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)}
export RELEASE_VERSION
# Invitations and password resets are delivered to a local mailbox that prints their links here.
if ! (exec 3<>/dev/tcp/127.0.0.1/1025) 2>/dev/null; then
  node tools/dev-mailbox.mjs 1025 &
  trap 'kill $! 2>/dev/null' EXIT
fi
node apps/api/dist/main.js

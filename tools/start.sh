#!/usr/bin/env bash
# `npm start`: from a fresh clone to a running Tenantry with demo data on one port.
# (`npm run dev`, tools/dev.sh, is the same with rebuilds and restarts on every change.)
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true
source tools/prepare.sh

prepare_workspace
npx nx run-many -t build -p api web --output-style=static
migrate_databases
seed_demo_data
export WEB_DIST=${WEB_DIST:-apps/web/dist}
# Invitations and password resets are delivered to a local mailbox that prints their links here.
read_settings
start_mailbox "$smtp_url"
if [ -n "$MAILBOX_PID" ]; then trap 'kill $MAILBOX_PID 2>/dev/null' EXIT; fi
# One readable line per request (tools/dev-log.mjs); `node apps/api/dist/main.js` alone prints the JSON lines.
node apps/api/dist/main.js | node tools/dev-log.mjs

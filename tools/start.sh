#!/usr/bin/env bash
# `npm start`: from a fresh clone to a running Tenantry with demo data on one port, with a demo SAML IdP
# and the billing test mode beside it (tools/demo).
# (`npm run dev`, tools/dev.sh, is the same with rebuilds and restarts on every change.)
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true PATH="$PWD/node_modules/.bin:$PATH"
source tools/prepare.sh

prepare_workspace
npx nx run-many -t build -p api web --output-style=static
migrate_databases
# The demo IdP's key pair (kept in tmp/demo-idp): the seed pins its certificate in acme's SSO connection.
node tools/demo/demo-idp-keys.ts
seed_demo_data
export WEB_DIST=${WEB_DIST:-apps/web/dist}
# Invitations and password resets are delivered to a local mailbox that prints their links here.
read_settings
start_mailbox "$smtp_url"
if [ -n "$MAILBOX_PID" ]; then trap 'kill $MAILBOX_PID 2>/dev/null' EXIT; fi
# The demo IdP and the billing test mode (tools/demo), then the API using them (`node apps/api/dist/main.js`
# alone runs without them). One readable line per request (tools/dev-log.mjs); the API alone prints JSON lines.
node tools/demo/serve-demo.ts | node tools/dev-log.mjs

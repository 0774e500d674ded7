#!/usr/bin/env bash
# `npm run dev`: the development loop. What `npm start` does up to a migrated, seeded database
# (tools/prepare.sh; the API built by tsc --build rather than Nx), then, together until Ctrl-C:
#   - tsc --build --watch over the API and its libraries (tools/dev-build.mjs): a changed file's
#     project is rebuilt into its dist/, and what depends on it is type-checked again;
#   - the API under node --watch: restarted when a built file it loaded changes; its logs read by
#     tools/dev-log.mjs (one line per request);
#   - Vite's dev server for the SPA, with hot module reload, proxying /api (websockets too) to the API;
#   - the development mailbox (as in `npm start`).
# Settings as for `npm start` (the environment, then .env): PORT and HOST of the API; WEB_PORT
# (5173) and WEB_HOST (the API's HOST) of the SPA's dev server. PUBLIC_URL defaults to the dev
# server's address (emailed links open the SPA there), SHUTDOWN_DELAY_MS to 0 (no balancer to leave).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true PATH="$PWD/node_modules/.bin:$PATH"
source tools/prepare.sh
log() { printf '\033[1;34m[dev]\033[0m %s\n' "$*"; }

prepare_workspace
solution=$(node tools/dev-build.mjs)
log "building the API and its libraries (tsc --build $solution)"
tsc -b "$solution" || log "the build has errors (above); the watcher rebuilds as you fix them"
migrate_databases
demo_logins=$(seed_demo_data | grep -v '^ *Open http')

read_settings
web_port=${web_port:-5173}
web_host=${web_host:-$api_host}
export PUBLIC_URL=${public_url:-http://localhost:$web_port}
export SHUTDOWN_DELAY_MS=${shutdown_delay_ms:-0}
# Loopback for a server listening on every address.
reach() { case $1 in 0.0.0.0 | '' ) echo 127.0.0.1 ;; :: | '[::]') echo '[::1]' ;; *:*) echo "[$1]" ;; *) echo "$1" ;; esac; }
api_url="http://$(reach "$api_host"):$api_port"
web_url="http://$(reach "$web_host"):$web_port"
for url in "$api_url" "$web_url"; do
  hostport=${url#http://}
  if (exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}") 2>/dev/null; then
    echo "Something already listens on $url: stop it, or set PORT (API) / WEB_PORT (SPA)." >&2
    exit 1
  fi
done

# Every process of the loop runs in a process group of its own (job control), out of reach of the
# terminal's Ctrl-C: this script then stops each one, once. (node --watch hands the signal it gets
# to the API; a second one straight from the terminal would cut the API's graceful stop short.)
pids=()
log_reader=
stop_all() {
  trap '' INT TERM # npm passes Ctrl-C on as well: that second one must not cut this short
  trap - EXIT
  kill "${pids[@]}" 2>/dev/null || true
  wait
  # The API's last lines: the log reader ends once they are printed.
  if [ -n "$log_reader" ]; then wait "$log_reader" 2>/dev/null || true; fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# The API's output is read by tools/dev-log.mjs (in this script's process group: it ignores Ctrl-C and
# ends with its input).
exec {api_log}> >(node tools/dev-log.mjs)
log_reader=$!
set -m
# node --watch also follows the libraries' dist/ (through the node_modules/@tenantry/* links), and
# waits for the running API to stop before it starts the next one.
node --watch --watch-preserve-output apps/api/dist/main.js </dev/null >&"$api_log" &
pids+=($!)
exec {api_log}>&-
tsc -b "$solution" --watch --preserveWatchOutput </dev/null &
pids+=($!)
TENANTRY_API_URL=$api_url BASE_DOMAIN=$base_domain \
  vite --config apps/web/vite.config.ts --host "$web_host" --port "$web_port" --strictPort --clearScreen false </dev/null &
pids+=($!)
start_mailbox "$smtp_url" </dev/null
if [ -n "$MAILBOX_PID" ]; then pids+=("$MAILBOX_PID"); fi
set +m

# The addresses once both servers answer (or after a minute: their messages above then tell why not).
node -e '
  const deadline = Date.now() + 60_000;
  const answers = (url) => fetch(url).then(() => true, () => false);
  (async () => {
    for (const url of process.argv.slice(1))
      while (!(await answers(url)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  })();' "$api_url/api/health" "$web_url/"
slugs=$(node -p "require('./tools/seed/demo-data.json').tenants.map((t) => t.slug).join(' ')")
{
  echo
  log "Tenantry is running; edits rebuild the API (it restarts) and hot-reload the SPA. Ctrl-C stops it all."
  for slug in $slugs; do echo "  SPA, tenant $slug:  http://$slug.$base_domain:$web_port"; done
  echo "  SPA, tenant picker and platform console:  http://$base_domain:$web_port"
  echo "  API:  $api_url/api (OpenAPI at /api/docs); the SPA's dev server proxies /api to it"
  if [ -n "$MAILBOX_PID" ]; then echo "  mail:  $smtp_url, printed here as it arrives"; fi
  echo "$demo_logins"
  echo
}

# Until one of them exits (Vite on a busy port, say): then the others are stopped too.
wait -n "${pids[@]}" || true
log "a process of the loop exited; stopping the others"
exit 1

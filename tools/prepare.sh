# Steps shared by `npm start` (tools/start.sh) and `npm run dev` (tools/dev.sh), sourced by both
# from the repository's root: from a fresh clone to a migrated, seeded database.

# npm dependencies, PostgreSQL and Redis, a .env with a fresh JWT secret, and RELEASE_VERSION.
prepare_workspace() {
  bash tools/ensure-deps.sh
  bash tools/dev-services.sh
  if [ ! -f .env ]; then
    echo "[start] writing .env with a fresh JWT secret (edit it to change settings; see docs/getting-started.md)"
    printf 'JWT_SECRET=%s\n' "$(node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))")" > .env
  fi
  # The console's Releases page lists this instance under the checkout's commit.
  RELEASE_VERSION=${RELEASE_VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)}
  export RELEASE_VERSION
}

# Migrations of every database, then the demo data (idempotent; prints the demo logins). Need apps/api/dist.
migrate_databases() { node apps/api/dist/cli/migrate.js; }
seed_demo_data() { node apps/api/dist/cli/seed.js; }

# The settings these scripts need, as the API reads them (environment over .env, then the defaults),
# in shell variables: api_port, api_host, base_domain, smtp_url; and, as set in the environment or
# .env (empty when unset), public_url, shutdown_delay_ms, web_port, web_host. Needs apps/api/dist.
read_settings() {
  local settings fields
  settings=$(node --input-type=module -e '
    const { configFromEnvironment } = await import("./apps/api/dist/environment.js");
    try {
      const { http, tenancy, mail } = configFromEnvironment();
      const { PUBLIC_URL = "", SHUTDOWN_DELAY_MS = "", WEB_PORT = "", WEB_HOST = "" } = process.env;
      const values = [http.port, http.host, tenancy.baseDomain, mail.smtpUrl];
      console.log([...values, PUBLIC_URL, SHUTDOWN_DELAY_MS, WEB_PORT, WEB_HOST].join("\n"));
    } catch (error) {
      console.error(error.message);
      process.exit(1);
    }')
  mapfile -t fields <<<"$settings"
  api_port=${fields[0]} api_host=${fields[1]} base_domain=${fields[2]} smtp_url=${fields[3]}
  public_url=${fields[4]:-} shutdown_delay_ms=${fields[5]:-} web_port=${fields[6]:-} web_host=${fields[7]:-}
}

# The development mailbox (tools/dev-mailbox.mjs) where SMTP_URL points, when that is a free port
# on loopback; MAILBOX_PID is its process (empty when another one already listens there).
start_mailbox() {
  local url=$1 port
  MAILBOX_PID=
  [[ $url =~ ^smtp://(127\.0\.0\.1|localhost):([0-9]+)$ ]] || return 0
  port=${BASH_REMATCH[2]}
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    node tools/dev-mailbox.mjs "$port" &
    MAILBOX_PID=$!
  fi
}

// What the benchmarks share: a database of their own (created, migrated), a
// free port, and a server process started and awaited until it answers.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import pg from 'pg';

/** A role's URL of the benchmark database `db` (dev roles: password = role name). */
export const benchUrl = (db, role) => `postgres://${role}:${role}@127.0.0.1:5432/${db}`;

/** The database `db`, created (again, with `reseed`) and migrated to this checkout's schema. */
export async function prepareBenchDatabase(db, { reseed = false } = {}) {
  const admin = new pg.Client({ connectionString: benchUrl('postgres', 'tenantry_owner') });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [db])).rowCount > 0;
  if (exists && reseed) await admin.query(`drop database ${db} with (force)`);
  if (!exists || reseed) await admin.query(`create database ${db}`);
  await admin.end();
  const { migrate } = await import('../../apps/api/dist/migrate.js');
  await migrate(benchUrl(db, 'tenantry_owner'));
}

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

// A benchmark that fails half-way must not leave its servers running (and taking jobs).
const children = new Set();
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

/** The built API (or another script, `args`) on a free port, once `/` answers; `stop()` ends it. */
export async function startServer(name, args, env) {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/`).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    port,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGINT');
      await once(child, 'exit');
    },
  };
}

/** The environment the API needs to run against benchmark database `db`. */
export const apiEnv = (db, extra = {}) => ({
  NODE_ENV: 'production',
  // Request logging at the default level, as in production (one line per request, to a stdout nobody reads).
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
  DATABASE_URL: benchUrl(db, 'tenantry_app'),
  DATABASE_OWNER_URL: benchUrl(db, 'tenantry_owner'),
  DATABASE_PLATFORM_URL: benchUrl(db, 'tenantry_platform'),
  // Its own Redis keys and job queues: never shared with a development instance on the same server.
  REDIS_KEY_PREFIX: `${db}:`,
  // No balancer to leave and no job worth waiting for when a benchmark stops its API.
  SHUTDOWN_DELAY_MS: '0',
  SHUTDOWN_GRACE_MS: '2000',
  ...extra,
});

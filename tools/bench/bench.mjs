#!/usr/bin/env node
// The benchmark series, side by side in one run on one machine. Not a test: it
// prints req/s, p50/p99, CPU per request, peak RSS and the ratios.
//   B0    plain node:http + pg, one query with an explicit WHERE tenant_id (the ceiling)
//   B0tx  the same server doing the API's database work (BEGIN / set_config / SELECT / COMMIT)
//   B1    GET /api/contacts?limit=20 with access tokens spread over every tenant
//   B2    the same with API keys
//   B4    B1's load over 50 tenants while one more tenant floods far over its plan's rate limit
//   B5    webhook deliveries (a tenant-scoped BullMQ job) per second, and whether each job's
//         database work stayed in its tenant
// B3 is B1 on a bigger database: run with --tenants 10000 (10 M contacts) and compare.
//   npm run bench [-- --tenants 1000 --contacts 1000 --seconds 10 --connections 16 --only B0,B1 --jobs 2000 --profile --reseed]
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { newApiKey } from '../../libs/api/core/dist/api-key-format.js';
import { hashToken } from '../../libs/api/core/dist/token-hash.js';
import { apiEnv, benchUrl, prepareBenchDatabase, startServer } from './support.mjs';

const { values: opt } = parseArgs({
  options: {
    tenants: { type: 'string', default: '1000' },
    contacts: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    jobs: { type: 'string', default: '2000' },
    only: { type: 'string', default: 'B0,B0tx,B1,B2,B4,B5' },
    profile: { type: 'boolean', default: false },
    reseed: { type: 'boolean', default: false },
  },
});
const TENANTS = Number(opt.tenants);
const CONTACTS = Number(opt.contacts);
const ONLY = new Set(opt.only.split(','));
const DB = 'tenantry_bench';
const url = (role) => benchUrl(DB, role);
const PASSWORD = 'bench-password-2026';
const NOISY = 'bench-noisy';

async function prepareDatabase() {
  await prepareBenchDatabase(DB, { reseed: opt.reseed });
  const platform = new pg.Client({ connectionString: url('tenantry_platform') });
  await platform.connect();
  const have = Number((await platform.query(`select count(*) from tenants where slug like 'bench-t%'`)).rows[0].count);
  if (have !== TENANTS) {
    console.log(`seeding ${TENANTS} tenants x ${CONTACTS} contacts ...`);
    const argon2 = (await import('argon2')).default;
    const hash = await argon2.hash(PASSWORD);
    await platform.query('begin');
    await platform.query(`delete from tenants where slug like 'bench-%'`);
    await platform.query(`delete from users where email like '%@bench.test'`);
    await platform.query(
      `insert into tenants (slug, name, status, plan) select format('bench-t%s', lpad(i::text, 5, '0')), format('Bench %s', i), 'active', 'enterprise'
         from generate_series(1, $1) i`,
      [TENANTS],
    );
    // The noisy neighbour: on the free plan (60 requests a minute).
    await platform.query(`insert into tenants (slug, name, status, plan) values ($1, 'Noisy', 'active', 'free')`, [NOISY]);
    await platform.query(`insert into users (email, display_name, password_hash) select t.slug || '@bench.test', t.name, $1 from tenants t where t.slug like 'bench-%'`, [hash]);
    await platform.query(`insert into memberships (tenant_id, user_id, role) select t.id, u.id, 'owner' from tenants t join users u on u.email = t.slug || '@bench.test'`);
    await platform.query(
      `insert into contacts (tenant_id, name, email, company, created_at)
       select t.id, format('%s-%s', t.slug, i), format('c%s@%s.test', i, t.slug), 'Bench Co', now() - make_interval(secs => i)
         from tenants t, generate_series(1, $1) i where t.slug like 'bench-%'`,
      [CONTACTS],
    );
    await platform.query('commit');
    await platform.query('analyze');
  }
  const { rows } = await platform.query(`select id, slug from tenants where slug like 'bench-t%' order by slug`);
  const [noisy] = (await platform.query(`select id, slug from tenants where slug = $1`, [NOISY])).rows;
  // A fresh API key per tenant (their secrets are not kept), and no webhook endpoints of earlier runs.
  await platform.query(`delete from api_keys where name = 'bench'`);
  await platform.query(`delete from webhook_endpoints where description = 'bench'`);
  const keys = new Map();
  for (const t of rows) {
    const { key, prefix } = newApiKey(t.id);
    await platform.query(`insert into api_keys (tenant_id, name, prefix, secret_hash, scopes) values ($1, 'bench', $2, $3, '{contacts.read}')`, [t.id, prefix, hashToken(key)]);
    keys.set(t.id, key);
  }
  await platform.end();
  return { tenants: rows, noisy, keys };
}

/** CPU seconds (user + system) used so far by one process, or by every PostgreSQL process. */
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}
function postgresCpuSeconds() {
  const pids = execFileSync('ps', ['-C', 'postgres', '-o', 'pid=']).toString().split('\n').filter(Boolean);
  return pids.reduce((sum, pid) => {
    try {
      return sum + cpuSeconds(pid.trim());
    } catch {
      return sum; // a backend that ended meanwhile
    }
  }, 0);
}
/** Peak resident memory of a process so far (VmHWM), in MB. */
const peakRssMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Every response must hold 20 rows, all of the tenant that was asked for. */
function checker() {
  const stats = { checked: 0, bad: 0 };
  const onResponse = (tenant) => (status, body) => {
    stats.checked++;
    const rows = body.split('"id":').length - 1;
    const own = body.split(`"name":"${tenant.slug}-`).length - 1;
    if (status !== 200 || rows !== 20 || own !== 20) stats.bad++;
  };
  return { stats, onResponse };
}

const autocannonRun = (target, requests, connections, duration) =>
  autocannon({ url: `http://127.0.0.1:${target.port}`, connections, duration, requests });

/** Loads `target` with the tenants' requests for --seconds (after a 2 s warm-up); `alongside` runs at the same time. */
async function load(name, target, tenants, makeHeaders, alongside) {
  const { stats, onResponse } = checker();
  const requests = tenants.map((tenant) => ({ method: 'GET', path: target.path, headers: makeHeaders(tenant), onResponse: onResponse(tenant) }));
  await autocannonRun(target, requests, Number(opt.connections), 2);
  stats.checked = 0;
  stats.bad = 0;
  const before = { server: cpuSeconds(target.pid), postgres: postgresCpuSeconds(), loader: process.cpuUsage() };
  const [result, side] = await Promise.all([autocannonRun(target, requests, Number(opt.connections), Number(opt.seconds)), alongside?.()]);
  const served = result.requests.total;
  const loader = process.cpuUsage(before.loader);
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    checked: stats.checked,
    bad: stats.bad,
    rss: peakRssMb(target.pid),
    cpu: {
      server: ((cpuSeconds(target.pid) - before.server) * 1000) / served,
      postgres: ((postgresCpuSeconds() - before.postgres) * 1000) / served,
      loader: (loader.user + loader.system) / 1000 / served,
    },
    side,
  };
}

async function logins(port, tenants) {
  const tokens = new Map();
  for (let i = 0; i < tenants.length; i += 16) {
    await Promise.all(
      tenants.slice(i, i + 16).map(async (t) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tenant': t.slug },
          body: JSON.stringify({ email: `${t.slug}@bench.test`, password: PASSWORD }),
        });
        if (!res.ok) throw new Error(`login for ${t.slug} failed: ${res.status} ${await res.text()}`);
        tokens.set(t.id, (await res.json()).accessToken);
      }),
    );
  }
  return tokens;
}

/** B5: `count` pings spread over 50 tenants' endpoints; delivered when a receiver here has them all. */
async function jobThroughput(api, tenants, tokens, count) {
  const senders = tenants.slice(0, 50);
  let received = 0;
  let strays = 0;
  let done;
  const all = new Promise((resolve) => (done = resolve));
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      // The job read its delivery inside its tenant's transaction: the tenant it sent for must be the endpoint's.
      if (JSON.parse(body).tenant?.id !== req.url.split('/').pop()) strays++;
      res.writeHead(200).end();
      if (++received === count) done();
    });
  }).listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const port = receiver.address().port;
  const call = (t, path, body) =>
    fetch(`http://127.0.0.1:${api.port}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.get(t.id)}`, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const endpoints = [];
  for (const t of senders) {
    const res = await call(t, '/api/webhooks/endpoints', { url: `http://127.0.0.1:${port}/hook/${t.id}`, events: ['contact.created'], description: 'bench' });
    if (!res.ok) throw new Error(`endpoint for ${t.slug}: ${res.status} ${await res.text()}`);
    endpoints.push({ tenant: t, id: (await res.json()).id });
  }
  const started = performance.now();
  for (let i = 0; i < count; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, j) => endpoints[(i + j) % endpoints.length]).map((e) => call(e.tenant, `/api/webhooks/endpoints/${e.id}/ping`)));
  }
  const queued = performance.now();
  await all;
  const finished = performance.now();
  receiver.close();
  return { count, queuedMs: queued - started, totalMs: finished - started, jobsPerSecond: count / ((finished - started) / 1000), strays };
}

const { tenants, noisy, keys } = await prepareDatabase();
const results = {};
const run = (id) => ONLY.has(id);

for (const [id, mode, role] of [['B0', 'plain', 'tenantry_platform'], ['B0tx', 'tx', 'tenantry_app']]) {
  if (!run(id)) continue;
  const server = await startServer(id, ['tools/bench/baseline-server.mjs'], { DATABASE_URL: url(role), BASELINE_MODE: mode });
  results[id] = await load(id === 'B0' ? 'B0 node:http + pg' : 'B0tx + transaction', { ...server, path: '/' }, tenants, (t) => ({ 'x-tenant-id': t.id }));
  await server.stop();
}
if (['B1', 'B2', 'B4'].some(run)) {
  const api = await startServer('Tenantry API', [...(opt.profile ? ['--cpu-prof', '--cpu-prof-dir=tmp/profiles'] : []), 'apps/api/dist/main.js'], apiEnv(DB, { SHUTDOWN_DELAY_MS: '0' }));
  const target = { ...api, path: '/api/contacts?limit=20' };
  const tokens = await logins(api.port, [...tenants, noisy]);
  if (run('B1')) results.B1 = await load('B1 API, access tokens', target, tenants, (t) => ({ authorization: `Bearer ${tokens.get(t.id)}` }));
  if (run('B2')) results.B2 = await load('B2 API, API keys', target, tenants, (t) => ({ 'x-api-key': keys.get(t.id) }));
  if (run('B4')) {
    const flood = () => autocannonRun(target, [{ method: 'GET', path: target.path, headers: { authorization: `Bearer ${tokens.get(noisy.id)}` } }], 8, Number(opt.seconds));
    results.B4 = await load('B4 50 tenants + a flood', target, tenants.slice(0, 50), (t) => ({ authorization: `Bearer ${tokens.get(t.id)}` }), flood);
  }
  await api.stop();
}
if (run('B5')) {
  // Plain-http webhooks to the loopback receiver: not in production mode (which sends to public https only).
  const api = await startServer('Tenantry API', ['apps/api/dist/main.js'], apiEnv(DB, { NODE_ENV: 'development', WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1', SHUTDOWN_DELAY_MS: '0' }));
  results.B5 = await jobThroughput(api, tenants, await logins(api.port, tenants.slice(0, 50)), Number(opt.jobs));
  await api.stop();
}

console.log(`\nGET contacts (limit 20), ${TENANTS} tenants x ${CONTACTS} contacts, ${opt.connections} connections, ${opt.seconds}s each\n`);
console.log('target                      req/s   p50 ms   p99 ms  errors  checked  bad  peak RSS MB | CPU ms per request: server  postgres  load generator');
for (const r of Object.values(results).filter((r) => r.rps !== undefined)) {
  const cols = [r.rps.toFixed(0).padStart(7), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.errors).padStart(7), String(r.checked).padStart(8), String(r.bad).padStart(4), r.rss.toFixed(0).padStart(12)];
  const cpu = [r.cpu.server, r.cpu.postgres, r.cpu.loader].map((v) => v.toFixed(3).padStart(9));
  console.log(`${r.name.padEnd(26)} ${cols.join(' ')} |                     ${cpu.join(' ')}`);
}
if (results.B4) {
  const flood = results.B4.side;
  console.log(`\nB4 flood: ${flood.requests.total} requests by the noisy tenant, ${flood['2xx']} answered 2xx, ${flood.non2xx} refused (429)`);
}
if (results.B5) {
  const j = results.B5;
  console.log(`\nB5 webhook deliveries: ${j.count} jobs over 50 tenants, queued in ${(j.queuedMs / 1000).toFixed(1)} s, all delivered after ${(j.totalMs / 1000).toFixed(1)} s: ${j.jobsPerSecond.toFixed(0)} jobs/s; sent for another tenant: ${j.strays}`);
}
const ratio = (a, b) => (results[a] && results[b] ? `${(results[a].rps / results[b].rps).toFixed(2)}x` : 'n/a');
console.log(`\nratios (req/s): B1/B0 ${ratio('B1', 'B0')}, B1/B0tx ${ratio('B1', 'B0tx')}, B2/B1 ${ratio('B2', 'B1')}`);
if (results.B4 && results.B1) console.log(`p99: B4's 50 tenants ${results.B4.p99} ms next to B1's ${results.B1.p99} ms`);
// Every measured request (the flood is measured apart) must be answered with the tenant's own 20 rows.
const invalid = Object.values(results).filter((r) => r.rps !== undefined && (r.bad > 0 || r.errors > 0 || r.checked === 0));
if (invalid.length > 0 || results.B5?.strays > 0) {
  console.error('\nSome responses were errors, did not hold 20 rows of the requested tenant, or a job worked for another tenant: the figures above are not valid.');
  process.exit(1);
}

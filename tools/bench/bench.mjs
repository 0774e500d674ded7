#!/usr/bin/env node
// The benchmark series, side by side in one run on one machine. Not a test: it
// prints req/s, p50/p99, CPU per request, peak RSS and the ratios.
//   B0    plain node:http + pg, one query with an explicit WHERE tenant_id (the ceiling)
//   B0tx  the same server doing the API's database work (BEGIN / set_config / SELECT / COMMIT)
//   B1    GET /api/contacts?limit=20 with access tokens spread over every tenant
//   B2    the same with API keys
//   B3    B1 on a database of 10,000 tenants x 1,000 contacts (10 M rows; seeded once, minutes):
//         latency must not grow with the tenant count
//   B4    B1's load over 50 tenants while one more tenant floods far over its plan's rate limit
//   B5    webhook deliveries (a tenant-scoped BullMQ job) per second, and whether each job's
//         database work stayed in its tenant
// Access tokens are signed with the API's own token service (what a login returns), not logged in for.
//   npm run bench [-- --tenants 1000 --b3-tenants 10000 --contacts 1000 --seconds 10 --connections 16 --only B0,B1 --jobs 2000 --profile --reseed]
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { accessTokens, apiKeys, prepareDatabase } from './bench-data.mjs';
import { apiEnv, benchUrl, startServer } from './support.mjs';

const { values: opt } = parseArgs({
  options: {
    tenants: { type: 'string', default: '1000' },
    'b3-tenants': { type: 'string', default: '10000' },
    contacts: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    jobs: { type: 'string', default: '2000' },
    only: { type: 'string', default: 'B0,B0tx,B1,B2,B3,B4,B5' },
    profile: { type: 'boolean', default: false },
    reseed: { type: 'boolean', default: false },
  },
});
const CONTACTS = Number(opt.contacts);
const ONLY = new Set(opt.only.split(','));
const run = (id) => ONLY.has(id);
// One database per size, each seeded once: B3's 10 M rows are not rebuilt for every run.
const databaseFor = (tenants) =>
  tenants === 1000 && CONTACTS === 1000 ? 'tenantry_bench' : `tenantry_bench_${tenants}x${CONTACTS}`;
const MAIN = { tenants: Number(opt.tenants) };
MAIN.db = databaseFor(MAIN.tenants);
const B3 = { tenants: Number(opt['b3-tenants']) };
B3.db = databaseFor(B3.tenants);

/** CPU seconds (user + system) used so far by one process, or by every PostgreSQL process. */
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
function cpuSeconds(pid, { withEndedChildren = false } = {}) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  return (withEndedChildren ? own + Number(fields[13]) + Number(fields[14]) : own) / TICK;
}
function postgresCpuSeconds() {
  const pids = execFileSync('ps', ['-C', 'postgres', '-o', 'pid=']).toString().split('\n').filter(Boolean);
  return pids.reduce((sum, pid) => {
    try {
      // A backend that ended during the run counts in its postmaster's reaped children's time.
      return sum + cpuSeconds(pid.trim(), { withEndedChildren: true });
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

/**
 * Every tenant's request once, 16 at a time. Each connection of a load walks the tenants from the
 * first, so a short warm-up alone would leave most tenants' first request (a token or key checked,
 * the tenant looked up, a key's once-a-minute last use written) inside the measured run.
 */
async function touchEveryTenant(target, requests) {
  let next = 0;
  const worker = async () => {
    for (let request = requests[next++]; request; request = requests[next++]) {
      await fetch(`http://127.0.0.1:${target.port}${request.path}`, { headers: request.headers }).then((res) =>
        res.arrayBuffer(),
      );
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Loads `target` with the tenants' requests for --seconds (after every tenant once and a 2 s warm-up); `alongside` runs at the same time. */
async function load(name, target, tenants, makeHeaders, alongside) {
  const { stats, onResponse } = checker();
  const requests = tenants.map((tenant) => ({
    method: 'GET',
    path: target.path,
    headers: makeHeaders(tenant),
    onResponse: onResponse(tenant),
  }));
  await touchEveryTenant(target, requests);
  await autocannonRun(target, requests, Number(opt.connections), 2);
  stats.checked = 0;
  stats.bad = 0;
  const before = { server: cpuSeconds(target.pid), postgres: postgresCpuSeconds(), loader: process.cpuUsage() };
  const [result, side] = await Promise.all([
    autocannonRun(target, requests, Number(opt.connections), Number(opt.seconds)),
    alongside?.(),
  ]);
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
    fetch(`http://127.0.0.1:${api.port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get(t.id)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  const endpoints = [];
  for (const t of senders) {
    const res = await call(t, '/api/webhooks/endpoints', {
      url: `http://127.0.0.1:${port}/hook/${t.id}`,
      events: ['contact.created'],
      description: 'bench',
    });
    if (!res.ok) throw new Error(`endpoint for ${t.slug}: ${res.status} ${await res.text()}`);
    endpoints.push({ tenant: t, id: (await res.json()).id });
  }
  const started = performance.now();
  for (let i = 0; i < count; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, (_, j) => endpoints[(i + j) % endpoints.length]).map((e) =>
        call(e.tenant, `/api/webhooks/endpoints/${e.id}/ping`),
      ),
    );
  }
  const queued = performance.now();
  await all;
  const finished = performance.now();
  receiver.close();
  return {
    count,
    queuedMs: queued - started,
    totalMs: finished - started,
    jobsPerSecond: count / ((finished - started) / 1000),
    strays,
  };
}

const { tenants, noisy } = await prepareDatabase(MAIN.db, MAIN.tenants, CONTACTS, { reseed: opt.reseed });
const results = {};
// --profile: every server under test writes a V8 CPU profile to tmp/profiles when it stops.
const PROFILE = opt.profile ? ['--cpu-prof', '--cpu-prof-dir=tmp/profiles'] : [];
const bearer = (tokens) => (t) => ({ authorization: `Bearer ${tokens.get(t.id)}` });
const CONTACTS_PAGE = '/api/contacts?limit=20';

for (const [id, mode, role] of [
  ['B0', 'plain', 'tenantry_platform'],
  ['B0tx', 'tx', 'tenantry_app'],
]) {
  if (!run(id)) continue;
  const server = await startServer(id, [...PROFILE, 'tools/bench/baseline-server.mjs'], {
    DATABASE_URL: benchUrl(MAIN.db, role),
    BASELINE_MODE: mode,
  });
  results[id] = await load(
    id === 'B0' ? 'B0 node:http + pg' : 'B0tx + transaction',
    { ...server, path: '/' },
    tenants,
    (t) => ({ 'x-tenant-id': t.id }),
  );
  await server.stop();
}
if (['B1', 'B2', 'B4'].some(run)) {
  const api = await startServer('Tenantry API', [...PROFILE, 'apps/api/dist/main.js'], apiEnv(MAIN.db));
  const target = { ...api, path: CONTACTS_PAGE };
  const tokens = await accessTokens(MAIN.db, [...tenants, noisy]);
  if (run('B1')) results.B1 = await load('B1 API, access tokens', target, tenants, bearer(tokens));
  if (run('B2')) {
    const keys = await apiKeys(MAIN.db, tenants);
    results.B2 = await load('B2 API, API keys', target, tenants, (t) => ({ 'x-api-key': keys.get(t.id) }));
  }
  if (run('B4')) {
    const flood = () =>
      autocannonRun(
        target,
        [{ method: 'GET', path: target.path, headers: bearer(tokens)(noisy) }],
        8,
        Number(opt.seconds),
      );
    results.B4 = await load('B4 50 tenants + a flood', target, tenants.slice(0, 50), bearer(tokens), flood);
  }
  await api.stop();
}
if (run('B3')) {
  // B1 on the big database, in its own API process (caches start empty as B1's did).
  const big = await prepareDatabase(B3.db, B3.tenants, CONTACTS, { reseed: opt.reseed });
  const api = await startServer('Tenantry API', [...PROFILE, 'apps/api/dist/main.js'], apiEnv(B3.db));
  results.B3 = await load(
    `B3 API, ${B3.tenants} tenants`,
    { ...api, path: CONTACTS_PAGE },
    big.tenants,
    bearer(await accessTokens(B3.db, big.tenants)),
  );
  await api.stop();
}
if (run('B5')) {
  // Plain-http webhooks to the loopback receiver: not in production mode (which sends to public https only).
  const api = await startServer(
    'Tenantry API',
    ['apps/api/dist/main.js'],
    apiEnv(MAIN.db, { NODE_ENV: 'development', WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1' }),
  );
  results.B5 = await jobThroughput(api, tenants, await accessTokens(MAIN.db, tenants.slice(0, 50)), Number(opt.jobs));
  await api.stop();
}

console.log(
  `\nGET contacts (limit 20), ${MAIN.tenants} tenants x ${CONTACTS} contacts (B3: ${B3.tenants} tenants), ${opt.connections} connections, ${opt.seconds}s each\n`,
);
console.log(
  'target                      req/s   p50 ms   p99 ms  errors  checked  bad  peak RSS MB | CPU ms per request: server  postgres  load generator',
);
for (const r of Object.values(results).filter((r) => r.rps !== undefined)) {
  const cols = [
    r.rps.toFixed(0).padStart(7),
    String(r.p50).padStart(8),
    String(r.p99).padStart(8),
    String(r.errors).padStart(7),
    String(r.checked).padStart(8),
    String(r.bad).padStart(4),
    r.rss.toFixed(0).padStart(12),
  ];
  const cpu = [r.cpu.server, r.cpu.postgres, r.cpu.loader].map((v) => v.toFixed(3).padStart(9));
  console.log(`${r.name.padEnd(26)} ${cols.join(' ')} |                     ${cpu.join(' ')}`);
}
if (results.B4) {
  const flood = results.B4.side;
  console.log(
    `\nB4 flood: ${flood.requests.total} requests by the noisy tenant, ${flood['2xx']} answered 2xx, ${flood.non2xx} refused (429)`,
  );
}
if (results.B5) {
  const j = results.B5;
  console.log(
    `\nB5 webhook deliveries: ${j.count} jobs over 50 tenants, queued in ${(j.queuedMs / 1000).toFixed(1)} s, all delivered after ${(j.totalMs / 1000).toFixed(1)} s: ${j.jobsPerSecond.toFixed(0)} jobs/s; sent for another tenant: ${j.strays}`,
  );
}
const ratio = (a, b) => (results[a] && results[b] ? `${(results[a].rps / results[b].rps).toFixed(2)}x` : 'n/a');
console.log(
  `\nratios (req/s): B1/B0 ${ratio('B1', 'B0')}, B1/B0tx ${ratio('B1', 'B0tx')}, B2/B1 ${ratio('B2', 'B1')}, B3/B1 ${ratio('B3', 'B1')}, B4/B1 ${ratio('B4', 'B1')}`,
);
if (results.B3 && results.B1)
  console.log(`p50/p99: B3 ${results.B3.p50}/${results.B3.p99} ms next to B1's ${results.B1.p50}/${results.B1.p99} ms`);
if (results.B4 && results.B1)
  console.log(`p99: B4's 50 tenants ${results.B4.p99} ms next to B1's ${results.B1.p99} ms`);
// The request path's targets, each beside its figure (a target whose runs were not all measured is left out).
const TARGETS = [
  [
    'B1/B0 req/s',
    ['B1', 'B0'],
    () => results.B1.rps / results.B0.rps,
    (v) => `${v.toFixed(2)}x`,
    '>= 0.50x',
    (v) => v >= 0.5,
  ],
  [
    'B2/B1 req/s',
    ['B2', 'B1'],
    () => results.B2.rps / results.B1.rps,
    (v) => `${v.toFixed(2)}x`,
    '>= 0.90x',
    (v) => v >= 0.9,
  ],
  [
    'B1 server CPU per request',
    ['B1'],
    () => results.B1.cpu.server,
    (v) => `${v.toFixed(3)} ms`,
    '<= 0.500 ms',
    (v) => v <= 0.5,
  ],
  ['API peak RSS under B1', ['B1'], () => results.B1.rss, (v) => `${v.toFixed(0)} MB`, '<= 200 MB', (v) => v <= 200],
  [
    'B1 p99 / B0tx p99',
    ['B1', 'B0tx'],
    () => results.B1.p99 / results.B0tx.p99,
    (v) => `${v.toFixed(2)}x (${results.B1.p99} / ${results.B0tx.p99} ms)`,
    '<= 2.00x',
    (v) => v <= 2,
  ],
].filter(([, needs]) => needs.every((id) => results[id]));
if (TARGETS.length > 0) {
  console.log('\ntargets');
  for (const [name, , measure, show, target, met] of TARGETS) {
    const value = measure();
    console.log(`  ${met(value) ? 'PASS' : 'FAIL'}  ${name.padEnd(28)} ${show(value).padEnd(24)} target ${target}`);
  }
}
// Every measured request (the flood is measured apart) must be answered with the tenant's own 20 rows.
const invalid = Object.values(results).filter(
  (r) => r.rps !== undefined && (r.bad > 0 || r.errors > 0 || r.checked === 0),
);
if (invalid.length > 0 || results.B5?.strays > 0) {
  console.error(
    '\nSome responses were errors, did not hold 20 rows of the requested tenant, or a job worked for another tenant: the figures above are not valid.',
  );
  process.exit(1);
}

#!/usr/bin/env node
// Benchmark of GET /api/contacts?limit=20 against the built API, side by side
// with B0 (plain node:http + pg, same query) in the same run. Not a test:
// it prints req/s, p50/p99 and the ratio.
//   npm run bench [-- --tenants 100 --contacts 1000 --seconds 10 --connections 16 --only api|baseline --profile]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { apiEnv, benchUrl, prepareBenchDatabase, startServer } from './support.mjs';

const { values: opt } = parseArgs({
  options: {
    tenants: { type: 'string', default: '100' },
    contacts: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    reseed: { type: 'boolean', default: false },
  },
});
const TENANTS = Number(opt.tenants);
const CONTACTS = Number(opt.contacts);
const DB = 'tenantry_bench';
const url = (role) => benchUrl(DB, role);
const PASSWORD = 'bench-password-2026';

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
    await platform.query(`delete from tenants where slug like 'bench-t%'`);
    await platform.query(`delete from users where email like '%@bench.test'`);
    await platform.query(
      `insert into tenants (slug, name, status, plan) select format('bench-t%s', lpad(i::text, 3, '0')), format('Bench %s', i), 'active', 'enterprise'
         from generate_series(1, $1) i`,
      [TENANTS],
    );
    await platform.query(
      `insert into users (email, display_name, password_hash) select t.slug || '@bench.test', t.name, $1 from tenants t where t.slug like 'bench-t%'`,
      [hash],
    );
    await platform.query(
      `insert into memberships (tenant_id, user_id, role) select t.id, u.id, 'member' from tenants t join users u on u.email = t.slug || '@bench.test'`,
    );
    await platform.query(
      `insert into contacts (tenant_id, name, email, company, created_at)
       select t.id, format('%s-%s', t.slug, i), format('c%s@%s.test', i, t.slug), 'Bench Co', now() - make_interval(secs => i)
         from tenants t, generate_series(1, $1) i where t.slug like 'bench-t%'`,
      [CONTACTS],
    );
    await platform.query('commit');
    await platform.query('analyze');
  }
  // Measured without plan limits (the rate limit is a product rule, not a cost).
  await platform.query(`update tenants set plan = 'enterprise' where slug like 'bench-t%'`);
  const { rows } = await platform.query(`select id, slug from tenants where slug like 'bench-t%' order by slug`);
  await platform.end();
  return rows;
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

/** Every response must hold 20 rows, all of the tenant that was asked for. */
function checker(tenants) {
  const stats = { checked: 0, bad: 0 };
  const onResponse = (tenant) => (status, body) => {
    stats.checked++;
    const rows = body.split('"id":').length - 1;
    const own = body.split(`"name":"${tenant.slug}-`).length - 1;
    if (status !== 200 || rows !== 20 || own !== 20) stats.bad++;
  };
  return { stats, onResponse };
}

async function load(target, tenants, makeHeaders) {
  const { stats, onResponse } = checker(tenants);
  const requests = tenants.map((tenant) => ({
    method: 'GET',
    path: target.path,
    headers: makeHeaders(tenant),
    onResponse: onResponse(tenant),
  }));
  const run = (duration) =>
    autocannon({ url: `http://127.0.0.1:${target.port}`, connections: Number(opt.connections), duration, requests });
  await run(2); // warm-up
  stats.checked = 0;
  stats.bad = 0;
  const before = { server: cpuSeconds(target.pid), postgres: postgresCpuSeconds(), loader: process.cpuUsage() };
  const result = await run(Number(opt.seconds));
  const served = result.requests.total;
  const loader = process.cpuUsage(before.loader);
  return {
    cpu: {
      server: ((cpuSeconds(target.pid) - before.server) * 1000) / served,
      postgres: ((postgresCpuSeconds() - before.postgres) * 1000) / served,
      loader: (loader.user + loader.system) / 1000 / served,
    },
    name: target.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    checked: stats.checked,
    bad: stats.bad,
  };
}

const tenants = await prepareDatabase();
const results = [];

if (opt.only !== 'api') {
  const b0 = await startServer('B0 node:http + pg', ['tools/bench/baseline-server.mjs'], { DATABASE_URL: url('tenantry_app') });
  results.push(await load({ ...b0, path: '/' }, tenants, (t) => ({ 'x-tenant-id': t.id })));
  await b0.stop();
}
if (opt.only !== 'baseline') {
  const api = await startServer('Tenantry API', [...(opt.profile ? ['--cpu-prof', '--cpu-prof-dir=tmp/profiles'] : []), 'apps/api/dist/main.js'], apiEnv(DB));
  const tokens = new Map();
  for (const t of tenants) {
    const res = await fetch(`http://127.0.0.1:${api.port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': t.slug },
      body: JSON.stringify({ email: `${t.slug}@bench.test`, password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`login for ${t.slug} failed: ${res.status} ${await res.text()}`);
    tokens.set(t.id, (await res.json()).accessToken);
  }
  results.push(await load({ ...api, path: '/api/contacts?limit=20' }, tenants, (t) => ({ authorization: `Bearer ${tokens.get(t.id)}` })));
  await api.stop();
}

console.log(`\nGET contacts (limit 20), ${TENANTS} tenants x ${CONTACTS} contacts, ${opt.connections} connections, ${opt.seconds}s each\n`);
console.log('target                    req/s   p50 ms   p99 ms  errors  checked  bad | CPU ms per request: server  postgres  load generator');
for (const r of results) {
  const cols = [r.rps.toFixed(0).padStart(7), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.errors).padStart(7), String(r.checked).padStart(8), String(r.bad).padStart(4)];
  const cpu = [r.cpu.server, r.cpu.postgres, r.cpu.loader].map((v) => v.toFixed(3).padStart(9));
  console.log(`${r.name.padEnd(24)} ${cols.join(' ')} |                     ${cpu.join(' ')}`);
}
if (results.length === 2) console.log(`\nratio API / B0: ${(results[1].rps / results[0].rps).toFixed(2)}x`);
if (results.some((r) => r.bad > 0 || r.errors > 0 || r.checked === 0)) {
  console.error('\nSome responses were errors or did not hold 20 rows of the requested tenant: the figures above are not valid.');
  process.exit(1);
}

#!/usr/bin/env node
// Memory of a tenant export: the built API exports a tenant of 20,000 and one
// of 200,000 contacts; the API's resident memory is sampled while each runs.
// Flat means the peak does not grow with the tenant. Not a test: it prints.
//   npm run build && node tools/bench/export.mjs [--sizes 20000,200000 --heap 96 --reseed]
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { apiEnv, benchUrl, prepareBenchDatabase, startServer } from './support.mjs';

const { values: opt } = parseArgs({
  options: {
    sizes: { type: 'string', default: '20000,200000' },
    reseed: { type: 'boolean', default: false },
    heap: { type: 'string' },
  },
});
const SIZES = opt.sizes.split(',').map(Number);
const DB = 'tenantry_bench_export';
const url = (role) => benchUrl(DB, role);
const PASSWORD = 'bench-password-2026';

async function prepareDatabase() {
  await prepareBenchDatabase(DB, { reseed: opt.reseed });
  const db = new pg.Client({ connectionString: url('tenantry_platform') });
  await db.connect();
  const argon2 = (await import('argon2')).default;
  const hash = await argon2.hash(PASSWORD);
  for (const size of SIZES) {
    const slug = `export-${size}`;
    const [tenant] = (
      await db.query(
        'select id, (select count(*) from contacts c where c.tenant_id = t.id)::int as n from tenants t where slug = $1',
        [slug],
      )
    ).rows;
    if (tenant?.n === size) continue;
    console.log(`seeding ${slug} with ${size} contacts ...`);
    await db.query('begin');
    await db.query('delete from tenants where slug = $1', [slug]);
    const { rows } = await db.query(
      `insert into tenants (slug, name, status, plan) values ($1, $1, 'active', 'enterprise') returning id`,
      [slug],
    );
    const { rows: users } = await db.query(
      `insert into users (email, display_name, password_hash) values ($1, 'Owner', $2) on conflict (email) do update set password_hash = excluded.password_hash returning id`,
      [`owner@${slug}.test`, hash],
    );
    await db.query(`insert into memberships (tenant_id, user_id, role) values ($1, $2, 'owner')`, [
      rows[0].id,
      users[0].id,
    ]);
    await db.query(
      `insert into contacts (tenant_id, name, email, company, tags, notes)
       select $1, format('Contact %s', i), format('c%s@%s.test', i, $2::text), 'Bench Co', array['a', 'b'], repeat('note ', 20) from generate_series(1, $3) i`,
      [rows[0].id, slug, size],
    );
    await db.query('commit');
  }
  await db.query('analyze');
  await db.end();
}

/** Resident memory of a process now (kB). */
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

await prepareDatabase();
const dataDir = await mkdtemp(join(tmpdir(), 'tenantry-bench-export-'));
// --heap N caps V8's old space at N MB: an export that held the tenant in memory would die of it.
const api = await startServer(
  'Tenantry API',
  [...(opt.heap ? [`--max-old-space-size=${opt.heap}`] : []), 'apps/api/dist/main.js'],
  apiEnv(DB, { REDIS_KEY_PREFIX: 'bench-export:', DATA_DIR: dataDir }),
);
const { port } = api;
const results = [];
try {
  for (const size of SIZES) {
    const slug = `export-${size}`;
    const call = async (method, path) => {
      const res = await fetch(`http://127.0.0.1:${port}/api${path}`, {
        method,
        headers: { 'x-tenant': slug, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    let token = '';
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': slug },
      body: JSON.stringify({ email: `owner@${slug}.test`, password: PASSWORD }),
    });
    token = (await login.json()).accessToken;
    global.gc?.();
    const before = rssKb(api.pid);
    let peak = before;
    const started = Date.now();
    const { id } = await call('POST', '/exports');
    let current;
    for (;;) {
      peak = Math.max(peak, rssKb(api.pid));
      current = await call('GET', `/exports/${id}`);
      if (current.status === 'done' || current.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (current.status !== 'done') throw new Error(`export of ${slug} failed: ${current.error}`);
    results.push({
      size,
      seconds: (Date.now() - started) / 1000,
      rows: current.totalRows,
      mb: current.sizeBytes / 1_048_576,
      before,
      peak,
    });
  }
} finally {
  await api.stop();
  await rm(dataDir, { recursive: true, force: true });
}

console.log('\ntenant export: the API process while it writes the zip (sampled every ~100 ms)\n');
console.log('contacts    rows written   seconds   zip MB   RSS before   peak RSS   growth');
for (const r of results) {
  console.log(
    `${String(r.size).padStart(8)} ${String(r.rows).padStart(14)} ${r.seconds.toFixed(1).padStart(9)} ${r.mb.toFixed(1).padStart(8)} ${`${(r.before / 1024).toFixed(0)} MB`.padStart(12)} ${`${(r.peak / 1024).toFixed(0)} MB`.padStart(10)} ${`${((r.peak - r.before) / 1024).toFixed(0)} MB`.padStart(8)}`,
  );
}

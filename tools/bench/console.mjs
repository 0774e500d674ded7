#!/usr/bin/env node
// How fast the platform console answers at scale: the built API over a
// database of many tenants (default 10,000 × 3 people, a verified domain each,
// sessions of the last 40 days). Not a test: it prints the time of each call.
//   node tools/bench/console.mjs [--tenants 10000 --rounds 10 --reseed]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { apiEnv, benchUrl, prepareBenchDatabase, startServer } from './support.mjs';

const { values: opt } = parseArgs({
  options: {
    tenants: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '10' },
    reseed: { type: 'boolean', default: false },
  },
});
const TENANTS = Number(opt.tenants);
const DB = 'tenantry_bench_console';
const url = (role) => benchUrl(DB, role);
const PASSWORD = 'bench-password-2026';
const PREFIX = 'bench-console:';

async function prepareDatabase() {
  await prepareBenchDatabase(DB, { reseed: opt.reseed });

  const db = new pg.Client({ connectionString: url('tenantry_platform') });
  await db.connect();
  const have = Number((await db.query(`select count(*) from tenants where slug like 'con-%'`)).rows[0].count);
  if (have !== TENANTS) {
    console.log(`seeding ${TENANTS} tenants ...`);
    const argon2 = (await import('argon2')).default;
    const hash = await argon2.hash(PASSWORD);
    await db.query('begin');
    await db.query(`delete from tenants where slug like 'con-%'`);
    await db.query(`delete from users where email like '%@con.test'`);
    await db.query(
      `insert into tenants (slug, name, status, plan, created_at, billing_status, billing_mrr_cents, billing_currency, limits_peak)
       select format('con-%s', i), format('Console Co %s', i), (array['active','active','active','trial','suspended'])[1 + i % 5],
              (array['free','starter','pro','enterprise'])[1 + i % 4], now() - make_interval(days => i % 400),
              case when i % 3 = 0 then 'active' else 'none' end, case when i % 3 = 0 then 4900 else 0 end, case when i % 3 = 0 then 'eur' end, i % 100
         from generate_series(1, $1) i`,
      [TENANTS],
    );
    await db.query(
      `insert into users (email, display_name, password_hash) select format('%s-%s@con.test', t.slug, r), t.name, $1 from tenants t, generate_series(1, 3) r where t.slug like 'con-%'`,
      [hash],
    );
    await db.query(
      `insert into memberships (tenant_id, user_id, role)
       select t.id, u.id, case when u.email like '%-1@con.test' then 'owner' else 'member' end
         from tenants t join users u on u.email like t.slug || '-_@con.test' where t.slug like 'con-%'`,
    );
    await db.query(
      `insert into sessions (user_id, created_at, last_used_at, expires_at)
       select u.id, now() - make_interval(days => (abs(hashtext(u.email)) % 40)), now() - make_interval(days => (abs(hashtext(u.email)) % 40)), now() + interval '30 days'
         from users u where u.email like '%@con.test'`,
    );
    await db.query(
      `insert into verified_domains (tenant_id, domain, verification_token, verified_at)
       select id, slug || '.example', md5(slug), now() from tenants where slug like 'con-%'`,
    );
    await db.query(
      `insert into users (email, display_name, password_hash, platform_role) values ('root@con.test', 'Root', $1, 'super_admin') on conflict do nothing`,
      [hash],
    );
    await db.query('commit');
    await db.query('analyze');
  }
  await db.end();
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const summary = (ms) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`;
};

await prepareDatabase();
const api = await startServer('Tenantry API', ['apps/api/dist/main.js'], apiEnv(DB, { REDIS_KEY_PREFIX: PREFIX }));
const { port } = api;
try {
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'root@con.test', password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`operator login failed: ${login.status} ${await login.text()}`);
  const { accessToken } = await login.json();
  const get = async (path) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const redis = new Redis();
  const rounds = Number(opt.rounds);
  const measure = async (label, path, before) => {
    await get(path); // warm-up (connections, plans catalog)
    const ms = [];
    for (let i = 0; i < rounds; i++) {
      if (before) await before();
      ms.push(await timed(() => get(path)));
    }
    console.log(`${label.padEnd(52)} ${summary(ms)}`);
  };
  const stats = await get('/api/platform/stats');
  console.log(
    `\nplatform console, ${stats.tenants.total.toLocaleString()} tenants, ${stats.users.total.toLocaleString()} people, ${rounds} rounds each\n`,
  );
  await measure('GET /api/platform/stats (computed: cache dropped)', '/api/platform/stats', () =>
    redis.del(`${PREFIX}platform-stats`),
  );
  await measure('GET /api/platform/stats (cached)', '/api/platform/stats');
  await measure('GET /api/platform/tenants (newest first)', '/api/platform/tenants');
  await measure('GET /api/platform/tenants?sort=members', '/api/platform/tenants?sort=members');
  await measure('GET /api/platform/tenants?q=<owner email>', '/api/platform/tenants?q=con-9876-1%40con');
  await measure(
    'GET /api/platform/tenants?q=<domain>&status=active',
    '/api/platform/tenants?q=con-4242.example&status=active',
  );
  redis.disconnect();
} finally {
  await api.stop();
}

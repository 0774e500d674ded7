// The benchmarks' data: tenants with an owner and contacts (seeded once per database),
// their API keys, and access tokens signed as the API signs them.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AccessTokenService } from '../../libs/api/auth/dist/access-token.service.js';
import { newApiKey } from '../../libs/api/core/dist/api-key-format.js';
import { loadConfig } from '../../libs/api/core/dist/config.js';
import { hashToken } from '../../libs/api/core/dist/token-hash.js';
import { apiEnv, benchUrl, prepareBenchDatabase } from './support.mjs';

/** A tenant on the free plan (60 requests a minute): B4's noisy neighbour. */
export const NOISY = 'bench-noisy';

/** Seeds `db` (once) with `count` tenants x `contacts` contacts, an owner each and the noisy tenant; returns them. */
export async function prepareDatabase(db, count, contacts, { reseed = false } = {}) {
  await prepareBenchDatabase(db, { reseed });
  const platform = new pg.Client({ connectionString: benchUrl(db, 'tenantry_platform') });
  await platform.connect();
  const have = Number((await platform.query(`select count(*) from tenants where slug like 'bench-t%'`)).rows[0].count);
  if (have !== count) {
    console.log(`seeding ${db}: ${count} tenants x ${contacts} contacts ...`);
    await platform.query('begin');
    await platform.query(`delete from tenants where slug like 'bench-%'`);
    await platform.query(`delete from users where email like '%@bench.test'`);
    await platform.query(
      `insert into tenants (slug, name, status, plan) select format('bench-t%s', lpad(i::text, 5, '0')), format('Bench %s', i), 'active', 'enterprise'
         from generate_series(1, $1) i`,
      [count],
    );
    // The noisy neighbour: on the free plan (60 requests a minute).
    await platform.query(`insert into tenants (slug, name, status, plan) values ($1, 'Noisy', 'active', 'free')`, [
      NOISY,
    ]);
    await platform.query(
      `insert into users (email, display_name) select t.slug || '@bench.test', t.name from tenants t where t.slug like 'bench-%'`,
    );
    await platform.query(
      `insert into memberships (tenant_id, user_id, role) select t.id, u.id, 'owner' from tenants t join users u on u.email = t.slug || '@bench.test'`,
    );
    await platform.query(
      `insert into contacts (tenant_id, name, email, company, created_at)
       select t.id, format('%s-%s', t.slug, i), format('c%s@%s.test', i, t.slug), 'Bench Co', now() - make_interval(secs => i)
         from tenants t, generate_series(1, $1) i where t.slug like 'bench-%'`,
      [contacts],
    );
    await platform.query('commit');
    await platform.query('analyze');
  }
  // Every bench tenant on a plan whose rate limit and monthly API-call allowance are counted on every request,
  // as a paying tenant's are, and set high enough that the load never reaches them.
  await platform.query(
    `insert into plans (code, name, monthly_limits, rate_limit_per_minute, sort_order) values ('bench', 'Bench', '{"api_calls": 1000000000}', 1000000, 99)
       on conflict (code) do update set monthly_limits = excluded.monthly_limits, rate_limit_per_minute = excluded.rate_limit_per_minute`,
  );
  await platform.query(`update tenants set plan = 'bench' where slug like 'bench-t%' and plan <> 'bench'`);
  const { rows } = await platform.query(
    `select t.id, t.slug, m.user_id as "userId", (extract(epoch from m.updated_at) * 1000)::bigint as "membershipVersion"
       from tenants t join memberships m on m.tenant_id = t.id where t.slug like 'bench-%' order by t.slug`,
  );
  await platform.end();
  return { tenants: rows.filter((t) => t.slug !== NOISY), noisy: rows.find((t) => t.slug === NOISY) };
}

/** A fresh API key per tenant (their secrets are not kept), and no webhook endpoints of earlier runs. */
export async function apiKeys(db, tenants) {
  const platform = new pg.Client({ connectionString: benchUrl(db, 'tenantry_platform') });
  await platform.connect();
  await platform.query(`delete from api_keys where name = 'bench'`);
  await platform.query(`delete from webhook_endpoints where description = 'bench'`);
  const keys = new Map(tenants.map((t) => [t.id, newApiKey(t.id)]));
  await platform.query(
    `insert into api_keys (tenant_id, name, prefix, secret_hash, scopes)
     select tenant_id, 'bench', prefix, secret_hash, '{contacts.read}' from unnest($1::uuid[], $2::text[], $3::bytea[]) as k(tenant_id, prefix, secret_hash)`,
    [[...keys.keys()], [...keys.values()].map((k) => k.prefix), [...keys.values()].map((k) => hashToken(k.key))],
  );
  await platform.end();
  return new Map([...keys].map(([id, k]) => [id, k.key]));
}

/**
 * An owner's access token per tenant, signed by the API's own token service with the bench's
 * secret: what a login returns, without 10,000 password hashes (and their memory) before B3.
 */
export async function accessTokens(db, tenants) {
  const signer = new AccessTokenService({ get: () => loadConfig(apiEnv(db)).auth });
  const tokens = new Map();
  for (const t of tenants) {
    tokens.set(
      t.id,
      await signer.sign({
        sub: t.userId,
        sid: randomUUID(),
        tid: t.id,
        role: 'owner',
        mv: Number(t.membershipVersion),
      }),
    );
  }
  return tokens;
}

import type { NestExpressApplication } from '@nestjs/platform-express';
import { UsageMeter } from '@tenantry/api-licensing';
import { API_KEY_SCOPES, type AuthTokenResponse, type TenantRole } from '@tenantry/contracts';
import type { TestMember, TestTenant } from '../../../../tools/testing/factories.js';
import type { TestApp } from './test-app.js';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface Route {
  method: string;
  path: string;
}

/** Every route of the running app, read from the Express router: new routes are probed without a list to update. */
export function routeTable(app: NestExpressApplication): Route[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
  return router.stack
    .filter((layer) => layer.route)
    .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => ({ method: method.toUpperCase(), path: layer.route!.path })))
    // Middleware is mounted as catch-all layers (`*path`, every method): those are not endpoints.
    .filter((r) => HTTP_METHODS.includes(r.method) && !r.path.includes('*'))
    .filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/docs'));
}

export interface ProbeTenant {
  tenant: TestTenant;
  members: Record<TenantRole, TestMember>;
  /** A key with every scope a key can carry. */
  apiKey: string;
  /** Ids of the tenant's rows of every kind, to put in path parameters. */
  ids: string[];
  /** Values only this tenant's data holds: seeing one in a response is a leak. */
  secrets: string[];
}

/** Seeds a tenant with one member per role and contacts carrying unique markers. */
export async function seedProbeTenant(t: TestApp): Promise<ProbeTenant> {
  const tenant = await t.data.aTenant();
  const members = {} as Record<TenantRole, TestMember>;
  for (const role of ['owner', 'admin', 'member', 'viewer'] as const) members[role] = await t.data.aMember(tenant, role);
  const contactIds = await t.data.contacts(tenant, 3, (i) => `secret-${tenant.slug}-${i}`);
  const { rows } = await t.data.query<{ id: string }>('select id from memberships where tenant_id = $1', [tenant.id]);
  const memberships = rows.map((r) => r.id);
  const userIds = Object.values(members).map((m) => m.userId);
  const apiKey = await t.data.anApiKey(tenant, [...API_KEY_SCOPES], `secret-${tenant.slug}-key`);
  const invitationId = await t.data.anInvitation(tenant, `secret-${tenant.slug}-invitee@example.test`);
  const domainId = await t.data.aDomain(tenant, `secret-${tenant.slug}.test`, false);
  const customDomainId = await t.data.aCustomDomain(tenant, `app.secret-${tenant.slug}.test`, false);
  // Its id goes in paths but is no secret: the SP metadata of a connection is public by design (the IdP imports it).
  const ssoId = await t.data.anSsoConnection(tenant, `secret-${tenant.slug}-idp`);
  return {
    tenant,
    members,
    apiKey: apiKey.secret,
    ids: [contactIds[0], memberships[0], userIds[0], apiKey.id, invitationId, domainId, customDomainId, ssoId, tenant.id],
    secrets: [...contactIds, ...memberships, ...userIds, apiKey.id, invitationId, domainId, customDomainId, ...Object.values(members).map((m) => m.email), `secret-${tenant.slug}-`],
  };
}

/** A fingerprint of everything a tenant has in every tenant table (from the catalog, not a list). */
async function snapshot(t: TestApp, tenantId: string): Promise<string> {
  // Usage counted in Redis reaches Postgres by the minute job, at any moment: moved now, so every count shows in the window it was made in.
  await t.app.get(UsageMeter).flush();
  // Likewise an export the tenant's own owner asked for earlier is written by a job: let it finish first.
  for (let i = 0; i < 200; i++) {
    const { rows } = await t.data.query<{ n: number }>(`select count(*)::int as n from exports where tenant_id = $1 and status in ('queued', 'running')`, [tenantId]);
    if (rows[0].n === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const { rows: tables } = await t.data.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
       join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' where c.relkind = 'r' order by 1`,
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    // A refused attempt at a tenant's public door (a failed sign-in) is recorded in that
    // tenant's own audit log on purpose: it is the tenant's record of the attempt, not a change by the caller.
    const refusals = name === 'audit_events' ? ` and x.action not like '%\\_failed'` : '';
    const { rows } = await t.data.query<{ h: string | null }>(
      `select md5(string_agg(x::text, ',' order by x::text)) as h from ${name} x where tenant_id = $1${refusals}`,
      [tenantId],
    );
    parts.push(`${name}:${rows[0].h}`);
  }
  return parts.join(' ');
}

interface Caller {
  name: string;
  home: ProbeTenant | null;
  /** null for anonymous and API-key callers. */
  member: TestMember | null;
  /** An access token, or an API key (sent the same way, as a bearer credential). */
  token: string | null;
}

async function signInFresh(t: TestApp, member: TestMember, home: ProbeTenant): Promise<string> {
  const res = await t.http.post('/api/auth/login').set('X-Tenant', home.tenant.slug).send({ email: member.email, password: member.password }).expect(200);
  return (res.body as AuthTokenResponse).accessToken;
}

/**
 * Routes may end the caller's own session or membership (logout-all, leaving
 * the tenant): that is theirs to do. Put every caller back, so later routes
 * are still probed by every role.
 */
async function restoreCallers(t: TestApp, callers: Caller[]): Promise<void> {
  for (const caller of callers) {
    if (!caller.member || !caller.home || !caller.token) continue;
    const me = await t.http.get('/api/auth/me').set('X-Tenant', caller.home.tenant.slug).set('Authorization', `Bearer ${caller.token}`);
    if (me.status === 200) continue;
    await t.data.query(
      'insert into memberships (tenant_id, user_id, role) values ($1, $2, $3) on conflict (tenant_id, user_id) do update set role = excluded.role',
      [caller.home.tenant.id, caller.member.userId, caller.member.role],
    );
    caller.token = await signInFresh(t, caller.member, caller.home);
  }
}

const fill = (path: string, id: string) => path.replace(/:[A-Za-z]+/g, id);

/**
 * Calls every route, as every role of every tenant (and anonymously), aimed at
 * every other tenant: that tenant's ids in the path, its slug or id in
 * X-Tenant, its subdomain as Host, its tenant id in the body. Returns the
 * calls that answered 2xx with another tenant's data or changed it.
 */
export async function probeIsolation(t: TestApp, tenants: ProbeTenant[], routes = routeTable(t.app)): Promise<{ calls: number; violations: string[] }> {
  const violations: string[] = [];
  let calls = 0;
  const callers: Caller[] = [{ name: 'anonymous', home: null, member: null, token: null }];
  for (const home of tenants) {
    for (const member of Object.values(home.members)) {
      callers.push({ name: `${member.role}@${home.tenant.slug}`, home, member, token: await signInFresh(t, member, home) });
    }
    callers.push({ name: `api-key@${home.tenant.slug}`, home, member: null, token: home.apiKey });
  }

  for (const route of routes) {
    await restoreCallers(t, callers);
    for (const victim of tenants) {
      const before = await snapshot(t, victim.tenant.id);
      for (const caller of callers) {
        if (caller.home === victim) continue;
        const ids = route.path.includes(':') ? victim.ids : [victim.tenant.id];
        for (const id of ids) {
          const path = fill(route.path, id);
          const variants: [string, Record<string, string>][] = [
            ['own tenant, foreign ids', caller.home ? { 'X-Tenant': caller.home.tenant.slug } : {}],
            ['X-Tenant slug', { 'X-Tenant': victim.tenant.slug }],
            ['X-Tenant id', { 'X-Tenant': victim.tenant.id }],
            ['Host', { Host: `${victim.tenant.slug}.localhost` }],
          ];
          // The four ways in are independent requests: sent together.
          const answers = await Promise.all(
            variants.map(async ([variant, headers]) => {
              const req = t.http[route.method.toLowerCase() as 'get'](path).set(headers);
              if (caller.token) req.set('Authorization', `Bearer ${caller.token}`); // an access token or an API key
              if (['POST', 'PUT', 'PATCH'].includes(route.method)) req.send({ name: 'probe', tenantId: victim.tenant.id });
              return [variant, await req] as const;
            }),
          );
          for (const [variant, res] of answers) {
            calls++;
            if (res.status < 200 || res.status >= 300) continue;
            const text = JSON.stringify(res.body ?? '') + (res.text ?? '');
            const leaked = victim.secrets.find((s) => text.includes(s));
            if (leaked) violations.push(`${route.method} ${route.path} as ${caller.name} via ${variant}: returned ${victim.tenant.slug}'s data (${leaked})`);
          }
        }
      }
      if ((await snapshot(t, victim.tenant.id)) !== before) {
        violations.push(`${route.method} ${route.path}: changed ${victim.tenant.slug}'s data when called by another tenant`);
      }
    }
  }
  return { calls, violations };
}

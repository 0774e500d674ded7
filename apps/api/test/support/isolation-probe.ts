import { randomBytes } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { hashToken, SecretBox } from '@tenantry/api-core';
import { UsageMeter } from '@tenantry/api-licensing';
import {
  API_KEY_SCOPES,
  type AuthTokenResponse,
  BRANDING_ASSETS,
  FEATURE_CODES,
  type TenantRole,
} from '@tenantry/contracts';
import type { Test } from 'supertest';
import { TEST_PASSWORD, type TestMember, type TestTenant } from '@tenantry/testing/factories';
import { until } from '@tenantry/testing/until';
import { testKeyPair } from '../../../../tools/demo/saml-keys.js';
import { operationOf } from './openapi-document.js';
import { refreshCookieOf } from './sessions.js';
import type { TestApp } from './test-app.js';
import { RouteIndex } from '../../src/http/route-index.js';
import { type BodyContext, validBody, validUpload } from './valid-bodies.js';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

export interface Route {
  method: string;
  path: string;
}

/** Every route of the running app, as its route index holds them: new routes are probed without a list to update. */
export function routeTable(app: NestExpressApplication): Route[] {
  return (
    app
      .get(RouteIndex)
      .routes()
      // Middleware is mounted as catch-all routes (`*path`, every method): those are not endpoints.
      .filter((r) => HTTP_METHODS.includes(r.method) && !r.path.includes('*'))
      .filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/docs'))
  );
}

/**
 * The kinds of rows a path parameter may name, each with the path segment
 * that names it (`/contacts/:id` takes a contact): a route is tried with the
 * kind its path names first.
 */
const ROW_KINDS = {
  contact: 'contacts',
  membership: 'members',
  user: 'users',
  apiKey: 'api-keys',
  invitation: 'invitations',
  domain: 'domains',
  customDomain: 'custom-domains',
  ssoConnection: 'sso',
  webhookEndpoint: 'endpoints',
  webhookDelivery: 'deliveries',
  session: 'sessions',
  license: 'licenses',
  impersonation: 'impersonations',
  maintenanceWindow: 'windows',
  tenant: 'tenants',
  /** A tenant the operator deleted, waiting for its purge (a sibling of the probe tenant, for restoring). */
  deletedTenant: 'tenants',
} as const;
type RowKind = keyof typeof ROW_KINDS;

/**
 * A value of each column type a table may require, for rows of tables no kind
 * above covers: text carries the tenant's marker, so a leak of the row shows.
 */
const SAMPLE_VALUES: Record<string, (marker: string) => unknown> = {
  text: (marker) => marker,
  'character varying': (marker) => marker,
  integer: () => 1,
  bigint: () => 1,
  smallint: () => 1,
  numeric: () => 1,
  real: () => 1.5,
  'double precision': () => 1.5,
  boolean: () => false,
  date: () => '2026-01-01',
  'timestamp with time zone': () => new Date(),
  jsonb: (marker) => ({ marker }),
};

/**
 * One row in each tenant table of plain data (the app role may delete its rows:
 * not a job's or a ledger's) that a route names by a path segment no kind above
 * covers (`/invoices/:id` names `invoices`), written straight into the table
 * with a sample value for every column it requires; a table that requires a
 * column of another type gets none (the probe then reports its routes).
 * So a module added by the generator is probed with no edit here.
 */
async function otherRows(t: TestApp, tenant: TestTenant, marker: string): Promise<Record<string, string>> {
  const known = new Set<string>(Object.values(ROW_KINDS));
  const segments = new Set(
    routeTable(t.app).flatMap(({ path }) =>
      path
        .split('/')
        .filter((segment, i, all) => all[i + 1]?.startsWith(':') && !segment.startsWith(':') && !known.has(segment)),
    ),
  );
  const rows: Record<string, string> = {};
  for (const segment of segments) {
    const table = segment.replaceAll('-', '_');
    const { rows: columns } = await t.data.query<{ name: string; type: string; required: boolean }>(
      `select column_name as name, data_type as type, is_nullable = 'NO' and column_default is null as required
         from information_schema.columns where table_schema = 'public' and table_name = $1`,
      [table],
    );
    const names = columns.map((c) => c.name);
    if (!names.includes('tenant_id') || !names.includes('id')) continue;
    const { rows: privileges } = await t.data.query<{ deletes: boolean }>(
      `select has_table_privilege($1, $2, 'DELETE') as deletes`,
      [new URL(t.db.appUrl).username, table],
    );
    if (!privileges[0].deletes) continue;
    const required = columns.filter((c) => c.required && c.name !== 'tenant_id');
    if (required.some((c) => !SAMPLE_VALUES[c.type])) continue;
    const values = required.map((c) => SAMPLE_VALUES[c.type](`${marker}-${segment}`));
    const [row] = (
      await t.data.query<{ id: string }>(
        `insert into ${table} (tenant_id${required.map((c) => `, ${c.name}`).join('')})
         values ($1${required.map((_, i) => `, $${i + 2}`).join('')}) returning id`,
        [tenant.id, ...values],
      )
    ).rows;
    rows[segment] = row.id;
  }
  return rows;
}

export interface ProbeTenant {
  tenant: TestTenant;
  members: Record<TenantRole, TestMember>;
  /** A key with every scope a key can carry. */
  apiKey: string;
  /** One row of every kind, to put in path parameters. */
  rows: Record<RowKind, string>;
  /** One row of each other tenant table a route names, by that path segment (`invoices`). */
  otherRows: Record<string, string>;
  /** The same ids as a list. */
  ids: string[];
  /** Values only this tenant's data holds: seeing one in a response is a leak. */
  secrets: string[];
  /** One-time link tokens of the owner's mail (a pending invitation, a password reset, an email check). */
  tokens: BodyContext['tokens'];
  /** The owner, signed in: an access token and the refresh cookie. */
  ownerSession: { token: string; cookie: string };
}

const aToken = () => randomBytes(24).toString('base64url');

/**
 * Seeds a tenant with one member per role and a row of every kind a route
 * may name, each carrying unique markers; link tokens are known to the probe.
 */
export async function seedProbeTenant(t: TestApp): Promise<ProbeTenant> {
  const tenant = await t.data.aTenant();
  const members = {} as Record<TenantRole, TestMember>;
  for (const role of ['owner', 'admin', 'member', 'viewer'] as const)
    members[role] = await t.data.aMember(tenant, role);
  const marker = `secret-${tenant.slug}`;
  const contactIds = await t.data.contacts(tenant, 3, (i) => `${marker}-${i}`);
  const { rows: memberships } = await t.data.query<{ id: string }>(
    'select id from memberships where tenant_id = $1 and user_id = $2',
    [tenant.id, members.member.userId],
  );
  const apiKey = await t.data.anApiKey(tenant, [...API_KEY_SCOPES], `${marker}-key`);
  const tokens = { invitation: aToken(), passwordReset: aToken(), emailVerification: aToken(), ssoLink: aToken() };
  const invitationId = await t.data.anInvitation(tenant, `${marker}-invitee@example.test`);
  await t.data.query('update invitations set token_hash = $2 where id = $1', [
    invitationId,
    hashToken(tokens.invitation),
  ]);
  for (const [purpose, token] of [
    ['password_reset', tokens.passwordReset],
    ['email_verification', tokens.emailVerification],
  ]) {
    await t.data.query(
      `insert into user_tokens (token_hash, user_id, purpose, expires_at) values ($1, $2, $3, now() + interval '1 day')`,
      [hashToken(token), members.owner.userId, purpose],
    );
  }
  const domainId = await t.data.aDomain(tenant, `${marker}.test`, false);
  const customDomainId = await t.data.aCustomDomain(tenant, `app.${marker}.test`, false);
  // Its id goes in paths but is no secret: the SP metadata of a connection is public by design (the IdP imports it).
  const ssoId = await t.data.anSsoConnection(tenant, `${marker}-idp`);
  // The owner was asked to confirm that the connection may sign them in (the mailed link's token).
  await t.data.query(
    `insert into sso_account_links (tenant_id, connection_id, user_id, token_hash, expires_at) values ($1, $2, $3, $4, now() + interval '1 day')`,
    [tenant.id, ssoId, members.owner.userId, hashToken(tokens.ssoLink)],
  );
  const jwtSecret = t.app.get(ConfigService).get<{ jwtSecret: string }>('auth')!.jwtSecret;
  const [endpoint] = (
    await t.data.query<{ id: string }>(
      `insert into webhook_endpoints (tenant_id, url, description, events, secret_sealed, secret_hint) values ($1, 'http://127.0.0.1:9/probe', $2, '{contact.created}', $3, 'whsec_…obe') returning id`,
      [tenant.id, `${marker}-hook`, new SecretBox(jwtSecret, 'tenantry webhook secrets').seal('whsec_probe')],
    )
  ).rows;
  const [delivery] = (
    await t.data.query<{ id: string }>(
      `insert into webhook_deliveries (tenant_id, endpoint_id, event_id, event, payload, status, attempts) values ($1, $2, gen_random_uuid(), 'contact.created', $3, 'failed', 1) returning id`,
      [tenant.id, endpoint.id, { marker }],
    )
  ).rows;
  const [license] = (
    await t.data.query<{ id: string }>(
      `insert into licenses (tenant_id, key, plan, valid_from, seats) values ($1, $2, 'enterprise', now(), 50) returning id`,
      [tenant.id, `${marker}-license`],
    )
  ).rows;
  const operator = await t.data.aSuperAdmin();
  const [impersonation] = (
    await t.data.query<{ id: string }>(
      `insert into impersonations (tenant_id, actor_user_id, user_id, reason, status) values ($1, $2, $3, 'Support ticket #4242 (probe)', 'requested') returning id`,
      [tenant.id, operator.userId, members.member.userId],
    )
  ).rows;
  // A weekly maintenance window (the operator's, not the tenant's) three days away: never open while the probe runs.
  const [maintenanceWindow] = (
    await t.data.query<{ id: string }>(
      `insert into maintenance_windows (day_of_week, start_minute, duration_minutes, time_zone, message) values ($1, 120, 60, 'UTC', $2) returning id`,
      [(new Date().getUTCDay() + 3) % 7, 'Probe window'],
    )
  ).rows;
  const deleted = await t.data.aTenant();
  await t.data.query(`update tenants set deleted_at = now(), purge_after = now() + interval '30 days' where id = $1`, [
    deleted.id,
  ]);
  const login = await t.http
    .post('/api/auth/login')
    .set('X-Tenant', tenant.slug)
    .send({ email: members.owner.email, password: members.owner.password })
    .expect(200);
  const [session] = (
    await t.data.query<{ id: string }>('select id from sessions where user_id = $1 order by created_at desc limit 1', [
      members.owner.userId,
    ])
  ).rows;
  const rows: Record<RowKind, string> = {
    contact: contactIds[0],
    membership: memberships[0].id,
    user: members.member.userId,
    apiKey: apiKey.id,
    invitation: invitationId,
    domain: domainId,
    customDomain: customDomainId,
    ssoConnection: ssoId,
    webhookEndpoint: endpoint.id,
    webhookDelivery: delivery.id,
    session: session.id,
    license: license.id,
    impersonation: impersonation.id,
    maintenanceWindow: maintenanceWindow.id,
    tenant: tenant.id,
    deletedTenant: deleted.id,
  };
  const others = await otherRows(t, tenant, marker);
  const userIds = Object.values(members).map((m) => m.userId);
  return {
    tenant,
    members,
    apiKey: apiKey.secret,
    rows,
    otherRows: others,
    ids: [...Object.values(rows), ...Object.values(others)],
    secrets: [
      ...contactIds,
      memberships[0].id,
      ...userIds,
      apiKey.id,
      invitationId,
      domainId,
      customDomainId,
      endpoint.id,
      delivery.id,
      session.id,
      license.id,
      impersonation.id,
      ...Object.values(members).map((m) => m.email),
      `${marker}-`,
    ],
    tokens,
    ownerSession: { token: (login.body as AuthTokenResponse).accessToken, cookie: refreshCookieOf(login)! },
  };
}

/** A table the fingerprint reads, with the condition that picks one tenant's rows (`$1`: the tenant id). */
interface OwnedTable {
  name: string;
  owned: string;
}

/**
 * Every table the app role can write, and every tenant table, with how its
 * rows belong to a tenant, read from the catalog: by `tenant_id`, by being
 * the tenant row, by a foreign key to rows a tenant owns (a session of its
 * user), or by being named from a tenant's join row (`memberships.user_id`
 * names its users). `global` lists the writable tables no tenant owns.
 */
export async function writableTables(t: TestApp): Promise<{ owned: OwnedTable[]; global: string[] }> {
  const appRole = new URL(t.db.appUrl).username;
  const { rows: tables } = await t.data.query<{ name: string; tenant_scoped: boolean }>(
    `select c.relname as name, exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as tenant_scoped
       from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      where c.relkind in ('r', 'p')
        and (has_table_privilege($1, c.oid, 'INSERT, UPDATE, DELETE') or has_any_column_privilege($1, c.oid, 'INSERT, UPDATE')
             or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'))
      order by 1`,
    [appRole],
  );
  // Single-column foreign keys; `joins`: the key sits beside tenant_id in a unique key of its table (one row per tenant and user).
  const { rows: keys } = await t.data.query<{
    child: string;
    col: string;
    parent: string;
    pcol: string;
    joins: boolean;
  }>(
    `select ch.relname as child, a.attname as col, p.relname as parent, pa.attname as pcol,
            exists (select 1 from pg_index i join pg_attribute ta on ta.attrelid = i.indrelid and ta.attname = 'tenant_id'
                     where i.indrelid = k.conrelid and i.indisunique and i.indnkeyatts = 2 and ta.attnum = any(i.indkey) and k.conkey[1] = any(i.indkey)) as joins
       from pg_constraint k
       join pg_class ch on ch.oid = k.conrelid join pg_class p on p.oid = k.confrelid
       join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
       join pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = k.confkey[1]
      where k.contype = 'f' and cardinality(k.conkey) = 1 and k.connamespace = 'public'::regnamespace`,
  );
  const owned = new Map<string, string>();
  for (const table of tables) {
    if (table.name === 'tenants') owned.set(table.name, 'id = $1');
    else if (table.tenant_scoped) owned.set(table.name, 'tenant_id = $1');
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const { name } of tables) {
      if (owned.has(name)) continue;
      const forward = keys.find((k) => k.child === name && owned.has(k.parent));
      const named = keys.find((k) => k.parent === name && k.joins && owned.get(k.child) === 'tenant_id = $1');
      const condition = forward
        ? `${forward.col} in (select ${forward.pcol} from ${forward.parent} where ${owned.get(forward.parent)})`
        : named && `${named.pcol} in (select ${named.col} from ${named.child} where tenant_id = $1)`;
      if (condition) {
        owned.set(name, condition);
        changed = true;
      }
    }
  }
  return {
    owned: [...owned].map(([name, condition]) => ({ name, owned: condition })),
    global: tables.filter((table) => !owned.has(table.name)).map((table) => table.name),
  };
}

/** A fingerprint of every row a tenant owns, in every table the app can write (from the catalog, not a list). */
async function snapshot(t: TestApp, tables: OwnedTable[], tenantId: string): Promise<string> {
  // Usage counted in Redis reaches Postgres by the minute job, at any moment: moved now, so every count shows in the window it was made in.
  await t.app.get(UsageMeter).flush();
  // Likewise an export the tenant's own owner asked for earlier is written by a job: let it finish first.
  await until(
    `the exports of tenant ${tenantId} written`,
    async () =>
      (
        await t.data.query<{ n: number }>(
          `select count(*)::int as n from exports where tenant_id = $1 and status in ('queued', 'running')`,
          [tenantId],
        )
      ).rows[0].n,
    (n) => n === 0,
    10_000,
  );
  const parts = tables.map(({ name, owned }) => {
    // A refused attempt at a tenant's public door (a failed sign-in) is recorded in that
    // tenant's own audit log on purpose: it is the tenant's record of the attempt, not a change by the caller.
    const refusals = name === 'audit_events' ? ` and x.action not like '%\\_failed'` : '';
    return `select '${name}:' || coalesce(md5(string_agg(x::text, ',' order by x::text)), '-') as h from ${name} x where ${owned}${refusals}`;
  });
  const { rows } = await t.data.query<{ h: string }>(parts.join(' union all '), [tenantId]);
  return rows.map((r) => r.h).join(' ');
}

interface Caller {
  name: string;
  home: ProbeTenant | null;
  /** null for anonymous and API-key callers. */
  member: TestMember | null;
  /** An access token, or an API key (sent the same way, as a bearer credential). */
  token: string | null;
}

async function signInFresh(
  t: TestApp,
  member: Pick<TestMember, 'email' | 'password'>,
  tenant?: TestTenant,
): Promise<string> {
  const req = t.http.post('/api/auth/login').send({ email: member.email, password: member.password });
  if (tenant) req.set('X-Tenant', tenant.slug);
  return ((await req.expect(200)).body as AuthTokenResponse).accessToken;
}

/**
 * Routes may end the caller's own session or membership (logout-all, leaving
 * the tenant) or change its password: that is theirs to do. Put every caller
 * back, so later routes are still probed by every role.
 */
async function restoreCallers(t: TestApp, callers: Caller[], passwordOf: string): Promise<void> {
  const users = callers.flatMap((c) => (c.member ? [c.member.userId] : []));
  await t.data.query(
    `update users set password_hash = (select password_hash from users where id = $1) where id = any($2::uuid[])`,
    [passwordOf, users],
  );
  for (const caller of callers) {
    if (!caller.member || !caller.home || !caller.token) continue;
    const me = await t.http
      .get('/api/auth/me')
      .set('X-Tenant', caller.home.tenant.slug)
      .set('Authorization', `Bearer ${caller.token}`);
    if (me.status === 200) continue;
    await t.data.query(
      'insert into memberships (tenant_id, user_id, role) values ($1, $2, $3) on conflict (tenant_id, user_id) do update set role = excluded.role',
      [caller.home.tenant.id, caller.member.userId, caller.member.role],
    );
    caller.token = await signInFresh(t, caller.member, caller.home.tenant);
  }
}

/** Values of path parameters that name no tenant's row. */
const SHARED_PARAMS: Record<string, (c: ProbeContext) => string[]> = {
  code: (c) => [c.planCode, ...FEATURE_CODES],
  kind: () => [...BRANDING_ASSETS],
};

interface Candidate {
  kind: string;
  value: string;
  /** The path names this kind (`/contacts/:id`), or it is a shared parameter's first value. */
  named: boolean;
}

/** The candidate values of each path parameter, from the tenant's rows: the kind the path names first. */
function pathCandidates(path: string, tenant: ProbeTenant, c: ProbeContext): Record<string, Candidate[]> {
  const segments = path.split('/');
  const candidates: Record<string, Candidate[]> = {};
  segments.forEach((segment, i) => {
    if (!segment.startsWith(':')) return;
    const name = segment.slice(1);
    const shared = SHARED_PARAMS[name];
    if (shared) {
      candidates[name] = shared(c).map((value, j) => ({ kind: `=${value}`, value, named: j === 0 }));
      return;
    }
    const other = tenant.otherRows[segments[i - 1]];
    const named = (kind: RowKind) => ROW_KINDS[kind] === segments[i - 1] || name === `${kind}Id`;
    const kinds = (Object.keys(ROW_KINDS) as RowKind[]).sort((a, b) => Number(named(b)) - Number(named(a)));
    candidates[name] = [
      ...(other ? [{ kind: segments[i - 1], value: other, named: true }] : []),
      ...kinds.map((kind) => ({ kind, value: tenant.rows[kind], named: !other && named(kind) })),
    ];
  });
  return candidates;
}

/** Every combination of one candidate per parameter, in order. */
function combinations(candidates: Record<string, Candidate[]>): Record<string, Candidate>[] {
  return Object.entries(candidates).reduce<Record<string, Candidate>[]>(
    (combos, [name, values]) => combos.flatMap((combo) => values.map((v) => ({ ...combo, [name]: v }))),
    [{}],
  );
}

const fill = (path: string, values: Record<string, string>) =>
  path.replace(/:([A-Za-z]+)/g, (_, name: string) => values[name]);

interface ProbeContext {
  planCode: string;
  certificate: string;
  operatorToken: () => Promise<string>;
}

function bodyContext(
  target: ProbeTenant,
  credentials: BodyContext['credentials'],
  tokens: BodyContext['tokens'],
  c: ProbeContext,
): BodyContext {
  return {
    tenant: target.tenant,
    userId: target.members.member.userId,
    credentials,
    tokens,
    planCode: c.planCode,
    certificate: c.certificate,
  };
}

/** Sends one probe request: its body, upload and query built for `body`'s context. */
function send(
  t: TestApp,
  route: Route,
  path: string,
  headers: Record<string, string>,
  token: string | null,
  body: BodyContext,
): Test {
  const operation = operationOf(route.method, route.path);
  const req = t.http[route.method.toLowerCase() as 'get'](path).set(headers);
  if (token) req.set('Authorization', `Bearer ${token}`); // an access token or an API key
  const query = Object.fromEntries(
    (operation?.parameters ?? [])
      .filter((p) => p.in === 'query' && p.name === 'tenantId')
      .map((p) => [p.name, body.tenant.id]),
  );
  if (Object.keys(query).length) req.query(query);
  const upload = validUpload(operation, route.path);
  if (upload) return req.attach(upload.field, upload.content, upload.name);
  const json = validBody(operation, body);
  if (json) return req.send(json);
  if (WRITES.includes(route.method) && !operation) return req.send({ name: 'probe', tenantId: body.tenant.id });
  return req;
}

export interface ControlOutcome {
  status: number;
  code?: string;
}

/**
 * The control: the route called on a fresh tenant of its own, by its owner
 * (an admin when the owner may not: the last owner cannot leave) or, for
 * platform routes, the operator, with that tenant's own rows and the
 * caller's refresh cookie: it must answer 2xx, or the probe proves nothing
 * about the route. Returns the parameter kinds that worked, or the answer of
 * the first try (the rows the path names).
 */
async function control(
  t: TestApp,
  route: Route,
  c: ProbeContext,
): Promise<{ kinds: Record<string, string> } | ControlOutcome> {
  const own = await seedProbeTenant(t);
  const platform = route.path.startsWith('/api/platform');
  type ControlCaller = { token: string; headers: Record<string, string>; member: TestMember };
  const callers: (() => Promise<ControlCaller>)[] = platform
    ? [async () => ({ token: await c.operatorToken(), headers: {}, member: own.members.owner })]
    : [
        async () => ({
          token: own.ownerSession.token,
          headers: { 'X-Tenant': own.tenant.slug, Cookie: own.ownerSession.cookie },
          member: own.members.owner,
        }),
        async () => ({
          token: await signInFresh(t, own.members.admin, own.tenant),
          headers: { 'X-Tenant': own.tenant.slug },
          member: own.members.admin,
        }),
      ];
  let first: ControlOutcome | undefined;
  for (const signIn of callers) {
    const caller = await signIn();
    const context = bodyContext(own, { email: caller.member.email, password: caller.member.password }, own.tokens, c);
    for (const combo of combinations(pathCandidates(route.path, own, c))) {
      const values = Object.fromEntries(Object.entries(combo).map(([name, v]) => [name, v.value]));
      const res = await send(t, route, fill(route.path, values), caller.headers, caller.token, context);
      if (res.status >= 200 && res.status < 300)
        return { kinds: Object.fromEntries(Object.entries(combo).map(([name, v]) => [name, v.kind])) };
      first ??= { status: res.status, code: (res.body as { error?: { code?: string } })?.error?.code };
    }
  }
  return first!;
}

export interface ProbeResult {
  calls: number;
  violations: string[];
  /** Write routes whose control did not succeed, with their answer. */
  failedControls: Record<string, ControlOutcome>;
  /** App-writable tables no tenant owns (compared with a reviewed list). */
  globalTables: string[];
  /** The tables whose rows of each victim are compared before and after. */
  fingerprinted: string[];
}

/**
 * Calls every route aimed at each tenant, as every role and the API key of
 * another tenant (each tenant attacks one other) and anonymously: the
 * victim's ids in the path, its slug or id in X-Tenant, its subdomain as
 * Host, its identifiers in the body and query.
 * Each write is first called on a tenant of its own as a control (it must
 * succeed), then attacked with a valid body. Returns the calls that answered
 * 2xx with another tenant's data or changed it.
 */
export async function probeIsolation(
  t: TestApp,
  tenants: ProbeTenant[],
  routes = routeTable(t.app),
): Promise<ProbeResult> {
  const violations: string[] = [];
  const failedControls: Record<string, ControlOutcome> = {};
  let calls = 0;
  const { owned, global } = await writableTables(t);
  const planCode = `probe-${randomBytes(3).toString('hex')}`;
  await t.data.query(
    `insert into plans (code, name, seats, monthly_limits, rate_limit_per_minute, features, trial_days, sort_order)
    select $1, 'Probe', seats, monthly_limits, rate_limit_per_minute, features, trial_days, 99 from plans where code = 'enterprise'`,
    [planCode],
  );
  const operator = await t.data.aSuperAdmin();
  let operatorToken = await signInFresh(t, operator);
  const context: ProbeContext = {
    planCode,
    certificate: (await testKeyPair()).certificate,
    async operatorToken() {
      if ((await t.http.get('/api/auth/me').set('Authorization', `Bearer ${operatorToken}`)).status !== 200)
        operatorToken = await signInFresh(t, operator);
      return operatorToken;
    },
  };

  // Emails the probe typed into each tenant's sign-in: that tenant records the attempt (its audit log
  // names who tried), which is its own record, not a leak of the typist's tenant.
  const typedInto = new Map<string, Set<string>>(tenants.map((p) => [p.tenant.id, new Set<string>()]));
  const callers: Caller[] = [{ name: 'anonymous', home: null, member: null, token: null }];
  for (const home of tenants) {
    for (const member of Object.values(home.members)) {
      callers.push({
        name: `${member.role}@${home.tenant.slug}`,
        home,
        member,
        token: await signInFresh(t, member, home.tenant),
      });
    }
    callers.push({ name: `api-key@${home.tenant.slug}`, home, member: null, token: home.apiKey });
  }

  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const write = WRITES.includes(route.method);
    let kinds: Record<string, string> | undefined;
    if (write) {
      const outcome = await control(t, route, context);
      if ('kinds' in outcome) kinds = outcome.kinds;
      else failedControls[key] = outcome;
    }
    // The operator's password is never changed by a probe request: it is the reference for everyone's.
    await restoreCallers(t, callers, operator.userId);
    for (const [i, victim] of tenants.entries()) {
      // A route's parameters get the victim's row of the kind the control used, or of every kind.
      const candidates = pathCandidates(route.path, victim, context);
      // Another kind's id in a path answers 404 and adds nothing: every kind only when the path names none.
      const sampled = (name: string, values: Candidate[]) =>
        kinds
          ? values.filter((v) => v.kind === kinds[name])
          : values.some((v) => v.named)
            ? values.filter((v) => v.named)
            : values;
      const paths = combinations(
        Object.fromEntries(Object.entries(candidates).map(([name, values]) => [name, sampled(name, values)])),
      ).map((combo) => fill(route.path, Object.fromEntries(Object.entries(combo).map(([name, v]) => [name, v.value]))));
      const before = await snapshot(t, owned, victim.tenant.id);
      // Every role of one other tenant (the tenants are alike: a second adds nothing), its key, and anonymous.
      const attacker = tenants[(i + 1) % tenants.length];
      for (const caller of callers) {
        if (caller.home && caller.home !== attacker) continue;
        // The caller's own secrets, never the victim's: one-time tokens it cannot know are unknown ones.
        const credentials = caller.member
          ? { email: caller.member.email, password: caller.member.password }
          : { email: 'nobody@example.test', password: TEST_PASSWORD };
        const body = bodyContext(
          victim,
          credentials,
          { invitation: aToken(), passwordReset: aToken(), emailVerification: aToken(), ssoLink: aToken() },
          context,
        );
        typedInto.get(victim.tenant.id)!.add(credentials.email);
        const typed = caller.home ? typedInto.get(caller.home.tenant.id)! : new Set<string>();
        const bodyText = JSON.stringify(validBody(operationOf(route.method, route.path), body) ?? {});
        const bodyNamesVictim = [victim.tenant.id, victim.tenant.slug, victim.members.member.userId].some((value) =>
          bodyText.includes(value),
        );
        for (const path of paths) {
          // A write on the caller's own tenant that names nothing of the victim's is the caller's own business (changing its own plan).
          const ownTenant = !write || path !== route.path || bodyNamesVictim;
          const variants: [string, Record<string, string>][] = [
            ...(ownTenant
              ? [
                  ['own tenant, foreign ids', caller.home ? { 'X-Tenant': caller.home.tenant.slug } : {}] as [
                    string,
                    Record<string, string>,
                  ],
                ]
              : []),
            ['X-Tenant slug', { 'X-Tenant': victim.tenant.slug }],
            ['X-Tenant id', { 'X-Tenant': victim.tenant.id }],
            ['Host', { Host: `${victim.tenant.slug}.localhost` }],
          ];
          // The four ways in are independent requests: sent together.
          const answers = await Promise.all(
            variants.map(
              async ([variant, headers]) => [variant, await send(t, route, path, headers, caller.token, body)] as const,
            ),
          );
          for (const [variant, res] of answers) {
            calls++;
            if (res.status < 200 || res.status >= 300) continue;
            const text = JSON.stringify(res.body ?? '') + (res.text ?? '');
            const leaked = victim.secrets.find((s) => text.includes(s) && !typed.has(s));
            if (leaked)
              violations.push(
                `${key} as ${caller.name} via ${variant}: returned ${victim.tenant.slug}'s data (${leaked})`,
              );
          }
        }
      }
      const after = await snapshot(t, owned, victim.tenant.id);
      if (after !== before) {
        const changed = after
          .split(' ')
          .filter((part, i) => part !== before.split(' ')[i])
          .map((part) => part.split(':')[0]);
        violations.push(
          `${key}: changed ${victim.tenant.slug}'s data when called by another tenant (${changed.join(', ')})`,
        );
      }
    }
  }
  return { calls, violations, failedControls, globalTables: global, fingerprinted: owned.map((table) => table.name) };
}

import { TenantLifecycleService } from '@tenantry/api-lifecycle';
import { migrate } from '@tenantry/api-schema';
import {
  moveTenant,
  type MoveStep,
  PlatformDatabase,
  prepareDedicatedDatabase,
  TenancyService,
  TenantDatabaseRegistry,
  TenantDb,
} from '@tenantry/api-tenancy';
import { DataExportService } from '@tenantry/api-data-export';
import { WebhooksService } from '@tenantry/api-webhooks';
import type {
  AuditEvent,
  AuthTokenResponse,
  BrandingResponse,
  Contact,
  CreatedTenant,
  DataExport,
  DedicatedDatabase,
  Member,
  MyTenant,
  Page,
  PlatformStats,
  PlatformTenantPage,
  TenantPlan,
} from '@tenantry/contracts';
import pg from 'pg';
import { createTestDatabase, queryOn, type TestDatabase } from '@tenantry/testing/test-database';
import { until } from '@tenantry/testing/until';
import { signIn, signInOperator } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { errorOf } from './support/error-body.js';

const KEY = 'dedicated-databases-key-'.repeat(2);
let t: TestApp;
let dedicated: TestDatabase;
let operator: string;
let platform: PlatformDatabase;

const connectionOf = (db: TestDatabase) => ({ ownerUrl: db.ownerUrl, appUrl: db.appUrl, platformUrl: db.platformUrl });

/** Rows of `sql` on a database, read as its platform role (which sees every tenant). */
const rowsOn = <T extends pg.QueryResultRow>(db: TestDatabase, sql: string, params: unknown[] = []) =>
  queryOn<T>(db.platformUrl, sql, params);
const countOn = async (db: TestDatabase, table: string, tenantId: string) =>
  Number(
    (await rowsOn<{ n: string }>(db, `select count(*) as n from public.${table} where tenant_id = $1`, [tenantId]))[0]
      .n,
  );

beforeAll(async () => {
  t = await startTestApp({ env: { DATABASE_SECRETS_KEY: KEY } });
  dedicated = await createTestDatabase(undefined, { migrated: false });
  // As a DBA would: the superuser links the new database to the shared one, then the operator registers it.
  await prepareDedicatedDatabase(dedicated.superuserUrl, connectionOf(dedicated), connectionOf(t.db));
  platform = new PlatformDatabase(t.db.platformUrl);
  await new TenantDatabaseRegistry(platform, KEY, t.db.ownerUrl).register(
    'enterprise',
    connectionOf(dedicated),
    migrate,
  );
  operator = await signInOperator(t);
});

afterAll(async () => {
  await platform.close();
  await t.close();
  await dedicated.drop();
});

/** Creates a tenant on the dedicated database from the console and lets its owner join through the invitation. */
async function dedicatedTenant(
  slug: string,
  email: string,
): Promise<{ tenantId: string; token: string; on: (req: import('supertest').Test) => import('supertest').Test }> {
  const created = (
    await t.http
      .post('/api/platform/tenants')
      .set('Authorization', `Bearer ${operator}`)
      .send({ name: `${slug} Corp`, slug, ownerEmail: email, database: 'enterprise' })
      .expect(201)
  ).body as CreatedTenant;
  expect(created.tenant).toMatchObject({ slug, database: 'enterprise' });
  const mail = await t.mailbox.waitFor(email);
  const invitation = new URL(mail.links[0]).hash.slice('#token='.length);
  const joined = (
    await t.http
      .post('/api/invitations/accept')
      .set('Host', `${slug}.localhost`)
      .send({ token: invitation, displayName: 'Olga Owner', password: 'a long and unusual passphrase' })
      .expect(200)
  ).body as AuthTokenResponse;
  expect(joined).toMatchObject({ role: 'owner', tenant: { slug } });
  const on = (req: import('supertest').Test) =>
    req.set('Host', `${slug}.localhost`).set('Authorization', `Bearer ${joined.accessToken}`);
  return { tenantId: created.tenant.id, token: joined.accessToken, on };
}

describe('a tenant on a dedicated database', () => {
  it('keeps its rows there and nowhere else, while its people, sessions and tenant row stay in the shared database', async () => {
    const vault = await dedicatedTenant('vault', 'olga@vault.test');
    for (const name of ['Ada', 'Grace', 'Linus'])
      await vault.on(t.http.post('/api/contacts')).send({ name }).expect(201);

    expect(await countOn(dedicated, 'contacts', vault.tenantId)).toBe(3);
    expect(await countOn(dedicated, 'memberships', vault.tenantId)).toBe(1);
    expect(await countOn(dedicated, 'invitations', vault.tenantId)).toBe(1);
    expect(await countOn(t.db, 'contacts', vault.tenantId)).toBe(0);
    expect(await countOn(t.db, 'memberships', vault.tenantId)).toBe(0);
    expect(await countOn(t.db, 'invitations', vault.tenantId)).toBe(0);
    expect(await countOn(t.db, 'audit_events', vault.tenantId)).toBe(0);
    // Identity is global: the user and the tenant row were written through to the shared database only.
    expect(await rowsOn(t.db, 'select email from users where email = $1', ['olga@vault.test'])).toHaveLength(1);
    expect(await rowsOn(dedicated, 'select email from public.users')).toEqual([]);
    expect(await rowsOn(t.db, 'select slug from tenants where id = $1', [vault.tenantId])).toEqual([{ slug: 'vault' }]);
    expect(await rowsOn(dedicated, 'select id from public.tenants')).toEqual([]);
  });

  it('works the same as in the shared database: contacts, members, audit log, usage, sign-in and the workspace list', async () => {
    const bank = await dedicatedTenant('bank', 'olga@bank.test');
    const contact = (
      await bank.on(t.http.post('/api/contacts')).send({ name: 'Ada Lovelace', email: 'ada@bank.test' }).expect(201)
    ).body as Contact;
    expect(((await bank.on(t.http.get(`/api/contacts/${contact.id}`)).expect(200)).body as Contact).name).toBe(
      'Ada Lovelace',
    );
    expect(
      ((await bank.on(t.http.get('/api/contacts?limit=20')).expect(200)).body as Page<Contact>).items.map(
        (c) => c.name,
      ),
    ).toEqual(['Ada Lovelace']);

    // Members join the tenant's memberships (dedicated) with users (shared) in one query.
    const members = (await bank.on(t.http.get('/api/members')).expect(200)).body as Page<Member>;
    expect(members.items.map((m) => [m.email, m.role])).toEqual([['olga@bank.test', 'owner']]);
    const audit = (await bank.on(t.http.get('/api/audit-events')).expect(200)).body as Page<AuditEvent>;
    expect(audit.items.map((e) => e.action)).toEqual(['invitation.accepted', 'invitation.sent']);
    // The actor's email comes from the shared users table.
    expect(audit.items[0].actor.label).toBe('olga@bank.test');
    const plan = (await bank.on(t.http.get('/api/plan')).expect(200)).body as TenantPlan;
    expect(plan.seats.used).toBe(1);
    expect(plan.usage.contacts.used).toBe(1);

    // Signing in again checks the password (shared) and the membership (dedicated); the workspace list gathers both databases.
    const login = (
      await t.http
        .post('/api/auth/login')
        .set('Host', 'bank.localhost')
        .send({ email: 'olga@bank.test', password: 'a long and unusual passphrase' })
        .expect(200)
    ).body as AuthTokenResponse;
    const mine = (await t.http.get('/api/me/tenants').set('Authorization', `Bearer ${login.accessToken}`).expect(200))
      .body as MyTenant[];
    expect(mine.map((m) => [m.tenant.slug, m.role])).toEqual([['bank', 'owner']]);
  });

  it('exports its data from its own database', async () => {
    const archive = await dedicatedTenant('archive', 'olga@archive.test');
    for (const name of ['One', 'Two']) await archive.on(t.http.post('/api/contacts')).send({ name }).expect(201);
    const requested = (await archive.on(t.http.post('/api/exports')).expect(201)).body as DataExport;
    const current = await until(
      'the export finished',
      async () => (await archive.on(t.http.get(`/api/exports/${requested.id}`)).expect(200)).body as DataExport,
      (state) => state.status === 'done' || state.status === 'failed',
      30_000,
    );
    expect(current).toMatchObject({ status: 'done', error: null });
    // The tenant's rows of the dedicated database: 2 contacts, the membership, the invitation, audit events…
    expect(current.totalRows).toBeGreaterThanOrEqual(4);
    expect(await countOn(dedicated, 'exports', archive.tenantId)).toBe(1);
  });

  it("shows nothing of it to another tenant's people, and nothing at all to a connection without a tenant", async () => {
    const sealed = await dedicatedTenant('sealed', 'olga@sealed.test');
    for (const name of ['Ada', 'Grace', 'Linus'])
      await sealed.on(t.http.post('/api/contacts')).send({ name }).expect(201);
    const other = await t.data.aTenant();
    const stranger = await t.data.aMember(other, 'owner');
    const { accessToken } = await signIn(t, stranger);
    expect(
      errorOf(
        await t.http
          .get('/api/contacts')
          .set('Host', 'sealed.localhost')
          .set('Authorization', `Bearer ${accessToken}`)
          .expect(403),
      ).code,
    ).toBe('TENANT_MISMATCH');
    const own = (
      await t.http
        .get('/api/contacts')
        .set('Host', `${other.slug}.localhost`)
        .set('Authorization', `Bearer ${accessToken}`)
        .expect(200)
    ).body as Page<Contact>;
    expect(own.items).toEqual([]);
    // The app role on the dedicated database, with no tenant set, sees no row (row-level security is forced there too).
    const client = new pg.Client({ connectionString: dedicated.appUrl });
    await client.connect();
    try {
      expect((await client.query('select * from contacts')).rows).toEqual([]);
      expect((await client.query(`select set_config('app.tenant_id', $1, false)`, [other.id])).rowCount).toBe(1);
      expect((await client.query('select * from contacts')).rows).toEqual([]);
      expect((await client.query(`select set_config('app.tenant_id', $1, false)`, [sealed.tenantId])).rowCount).toBe(1);
      expect((await client.query('select name from contacts order by name')).rows.map((r) => r.name)).toEqual([
        'Ada',
        'Grace',
        'Linus',
      ]);
    } finally {
      await client.end();
    }
  });

  it('lists the registered databases to operators only, without credentials', async () => {
    await dedicatedTenant('listed', 'olga@listed.test');
    const listed = (await t.http.get('/api/platform/databases').set('Authorization', `Bearer ${operator}`).expect(200))
      .body as DedicatedDatabase[];
    expect(listed).toEqual([
      {
        id: expect.any(String),
        name: 'enterprise',
        server: `127.0.0.1:5432/${dedicated.name}`,
        tenants: expect.any(Number),
        createdAt: expect.any(String),
      },
    ]);
    expect(listed[0].tenants).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(listed)).not.toMatch(/tenantry_(owner|app|platform)/);
    const member = await t.data.aMember(await t.data.aTenant(), 'owner');
    const { accessToken } = await signIn(t, member);
    expect(
      errorOf(await t.http.get('/api/platform/databases').set('Authorization', `Bearer ${accessToken}`).expect(403))
        .code,
    ).toBe('FORBIDDEN');
  });

  it('refuses an unknown database when creating a tenant, leaving nothing behind', async () => {
    const res = await t.http
      .post('/api/platform/tenants')
      .set('Authorization', `Bearer ${operator}`)
      .send({ name: 'Nowhere', slug: 'nowhere', ownerEmail: 'x@nowhere.test', database: 'missing' })
      .expect(404);
    expect(errorOf(res).code).toBe('DATABASE_NOT_FOUND');
    expect(await rowsOn(t.db, `select id from tenants where slug = 'nowhere'`)).toEqual([]);
  });
});

/** Advisory locks waited for on `db` (a move's fence, while a transaction of the tenant is in flight). */
const awaitedAdvisoryLocks = async (db: TestDatabase) =>
  (
    await rowsOn<{ n: number }>(
      db,
      `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`,
    )
  )[0].n;

/** What a tenant's people see: contacts (all pages), members, API key names. */
async function whatTheySee(on: (req: import('supertest').Test) => import('supertest').Test) {
  const contacts = ((await on(t.http.get('/api/contacts?limit=100')).expect(200)).body as Page<Contact>).items
    .map((c) => c.name)
    .sort();
  const members = ((await on(t.http.get('/api/members')).expect(200)).body as Page<Member>).items
    .map((m) => `${m.email}:${m.role}`)
    .sort();
  return { contacts, members };
}

describe('moving a tenant', () => {
  const move = (slug: string, to: string, onStep?: (step: MoveStep) => Promise<void>) =>
    moveTenant({
      tenant: slug,
      to,
      sharedPlatformUrl: t.db.platformUrl,
      registry: new TenantDatabaseRegistry(platform, KEY, t.db.ownerUrl),
      announce: async (tenant) => t.app.get(TenancyService).forget(tenant),
      fenceAfterSwitchMs: 100,
      onStep: onStep ? (step) => onStep(step) : undefined,
    });

  it('moves a tenant to a dedicated database and back: same data, read-only during the copy, no write lost', async () => {
    const tenant = await t.data.aTenant({ slug: 'nomad', name: 'Nomad' });
    const owner = await t.data.aMember(tenant, 'owner');
    await t.data.aMember(tenant, 'member');
    await t.data.contacts(tenant, 30);
    await t.data.anApiKey(tenant, ['contacts:read']);
    const { accessToken } = await signIn(t, owner);
    const on = (req: import('supertest').Test) =>
      req.set('Host', 'nomad.localhost').set('Authorization', `Bearer ${accessToken}`);
    await on(t.http.post('/api/contacts'))
      .send({ name: 'Written through the API', tags: ['vip'] })
      .expect(201);
    const before = await whatTheySee(on);
    const sharedRows = {
      contacts: await countOn(t.db, 'contacts', tenant.id),
      memberships: await countOn(t.db, 'memberships', tenant.id),
      apiKeys: await countOn(t.db, 'api_keys', tenant.id),
    };
    expect(sharedRows).toEqual({ contacts: 31, memberships: 2, apiKeys: 1 });

    // A write in flight when the move starts: the fence waits for it, so the copy has it.
    let finishWrite!: () => void;
    let written!: () => void;
    const holdsFence = new Promise<void>((resolve) => (written = resolve));
    const inFlight = t.app.get(TenantDb).withTenant({ id: tenant.id }, async () => {
      await (
        await t.app.get(TenantDb).manager()
      ).query(`insert into contacts (tenant_id, name) values ($1, 'In flight')`, [tenant.id]);
      written();
      await new Promise<void>((resolve) => (finishWrite = resolve));
    });
    await holdsFence;

    const duringCopy: number[] = [];
    const moving = move('nomad', 'enterprise', async (step) => {
      if (step !== 'read-only') return;
      // Reads go on; a write is refused with a clear, retryable error, and leaves nothing.
      expect((await whatTheySee(on)).contacts).toHaveLength(32);
      const refused = await on(t.http.post('/api/contacts')).send({ name: 'Refused while moving' });
      duringCopy.push(refused.status);
      expect(errorOf(refused).code).toBe('TENANT_MOVING');
      expect(refused.headers['retry-after']).toBe('1');
    });
    // The move waits on the fence the write holds; the write then ends, and the move goes on.
    await until(
      'the move waiting on the fence',
      () => awaitedAdvisoryLocks(t.db),
      (n) => n === 1,
      5_000,
    );
    finishWrite();
    const result = await moving;
    await inFlight;
    expect(duringCopy).toEqual([503]);
    expect(result).toMatchObject({
      from: 'shared',
      to: 'enterprise',
      rows: expect.objectContaining({ contacts: 32, memberships: 2, api_keys: 1 }),
    });

    // Only in the dedicated database now, and the same for its people; writes work again.
    expect([await countOn(dedicated, 'contacts', tenant.id), await countOn(t.db, 'contacts', tenant.id)]).toEqual([
      32, 0,
    ]);
    expect([await countOn(dedicated, 'memberships', tenant.id), await countOn(t.db, 'memberships', tenant.id)]).toEqual(
      [2, 0],
    );
    const moved = await whatTheySee(on);
    expect(moved).toEqual({ ...before, contacts: [...before.contacts, 'In flight'].sort() });
    await on(t.http.post('/api/contacts')).send({ name: 'Written after the move' }).expect(201);
    expect(await countOn(dedicated, 'contacts', tenant.id)).toBe(33);
    expect(
      (
        await platform.query<{ database_id: string | null }>('select database_id from tenants where id = $1', [
          tenant.id,
        ])
      )[0].database_id,
    ).not.toBeNull();

    // And back.
    expect((await move('nomad', 'shared')).rows).toMatchObject({ contacts: 33, memberships: 2, api_keys: 1 });
    expect([await countOn(dedicated, 'contacts', tenant.id), await countOn(t.db, 'contacts', tenant.id)]).toEqual([
      0, 33,
    ]);
    expect([await countOn(dedicated, 'api_keys', tenant.id), await countOn(t.db, 'api_keys', tenant.id)]).toEqual([
      0, 1,
    ]);
    expect((await whatTheySee(on)).contacts).toEqual([...moved.contacts, 'Written after the move'].sort());
    expect(
      (
        await platform.query<{ database_id: string | null }>('select database_id from tenants where id = $1', [
          tenant.id,
        ])
      )[0].database_id,
    ).toBeNull();
  });

  it('refuses an unknown target, a move to where the tenant is, and a deleted tenant, changing nothing', async () => {
    const tenant = await t.data.aTenant({ slug: 'stayer' });
    await t.data.contacts(tenant, 2);
    await expect(move('stayer', 'nowhere')).rejects.toThrow('no dedicated database named nowhere');
    await expect(move('stayer', 'shared')).rejects.toThrow('is in shared already');
    await expect(move('no-such-tenant', 'enterprise')).rejects.toThrow('no tenant no-such-tenant');
    const deleted = await t.data.aTenant({ slug: 'deleted-one' });
    await platform.query('update tenants set deleted_at = now() where id = $1', [deleted.id]);
    await expect(move('deleted-one', 'enterprise')).rejects.toThrow('is deleted');
    expect(await countOn(t.db, 'contacts', tenant.id)).toBe(2);
    expect(await countOn(dedicated, 'contacts', tenant.id)).toBe(0);
  });

  it('replaces rows an unfinished earlier move left in the target', async () => {
    const tenant = await t.data.aTenant({ slug: 'returner' });
    await t.data.contacts(tenant, 3);
    await rowsOn(dedicated, `insert into public.contacts (tenant_id, name) values ($1, 'Stale copy')`, [tenant.id]);
    expect((await move('returner', 'enterprise')).rows.contacts).toBe(3);
    const names = (
      await rowsOn<{ name: string }>(dedicated, 'select name from public.contacts where tenant_id = $1', [tenant.id])
    ).map((r) => r.name);
    expect(names).toHaveLength(3);
    expect(names).not.toContain('Stale copy');
  });

  it("purges a deleted dedicated tenant's rows from its own database", async () => {
    const gone = await dedicatedTenant('gone', 'olga@gone.test');
    await gone.on(t.http.post('/api/contacts')).send({ name: 'To be purged' }).expect(201);
    expect(await countOn(dedicated, 'contacts', gone.tenantId)).toBe(1);
    await platform.query(
      `update tenants set deleted_at = now(), purge_after = now() - interval '1 second' where id = $1`,
      [gone.tenantId],
    );
    const removed = await t.app.get(TenantLifecycleService).purge(gone.tenantId);
    expect(removed).toMatchObject({ contacts: 1, memberships: 1 });
    for (const table of ['contacts', 'memberships', 'invitations', 'audit_events'])
      expect(await countOn(dedicated, table, gone.tenantId)).toBe(0);
    expect(
      (
        await platform.query<{ purged: boolean }>('select purged_at is not null as purged from tenants where id = $1', [
          gone.tenantId,
        ])
      )[0].purged,
    ).toBe(true);
  });
});

describe('reads across tenants', () => {
  it('finds a dedicated tenant by its custom domain, and counts its people in the console and the platform stats', async () => {
    const atlas = await dedicatedTenant('atlas', 'olga@atlas.test');
    await rowsOn(
      dedicated,
      `insert into custom_domains (tenant_id, hostname, verification_token, verified_at) values ($1, 'portal.atlas-corp.test', 'token', now())`,
      [atlas.tenantId],
    );
    const onHost = (await t.http.get('/api/branding').set('Host', 'portal.atlas-corp.test').expect(200))
      .body as BrandingResponse;
    expect(onHost.tenant?.slug).toBe('atlas');

    const console = (q: string) =>
      t.http
        .get(`/api/platform/tenants?q=${encodeURIComponent(q)}`)
        .set('Authorization', `Bearer ${operator}`)
        .expect(200);
    for (const q of ['olga@atlas', 'atlas-corp.test']) {
      const page = (await console(q)).body as PlatformTenantPage;
      expect({ q, rows: page.items.map((r) => [r.slug, r.members, r.ownerEmail, r.database]) }).toEqual({
        q,
        rows: [['atlas', 1, 'olga@atlas.test', 'enterprise']],
      });
    }

    // Sorted by members (most first), it counts its own people: 3, more than any shared tenant of this file has.
    for (const email of ['second@atlas.test', 'third@atlas.test']) {
      const [user] = (
        await t.data.query<{ id: string }>(
          `insert into users (email, display_name) values ($1, 'Atlas person') returning id`,
          [email],
        )
      ).rows;
      await rowsOn(dedicated, `insert into public.memberships (tenant_id, user_id, role) values ($1, $2, 'member')`, [
        atlas.tenantId,
        user.id,
      ]);
    }
    const byMembers = (
      await t.http
        .get('/api/platform/tenants?sort=members&order=desc&limit=1')
        .set('Authorization', `Bearer ${operator}`)
        .expect(200)
    ).body as PlatformTenantPage;
    expect(byMembers.items.map((r) => [r.slug, r.members])).toEqual([['atlas', 3]]);
    // Every person with a membership in a live tenant, in either database, counted once.
    // (In the dedicated database the tenant rows are the shared database's, through the schema `shared`.)
    const people = async (db: TestDatabase, tenants: string) =>
      (
        await rowsOn<{ user_id: string }>(
          db,
          `select distinct m.user_id from public.memberships m join ${tenants} t on t.id = m.tenant_id and t.deleted_at is null`,
        )
      ).map((r) => r.user_id);
    const elsewhere = await people(dedicated, 'shared.tenants');
    expect(elsewhere).not.toHaveLength(0);
    const expected = new Set([...(await people(t.db, 'public.tenants')), ...elsewhere]).size;
    const stats = (await t.http.get('/api/platform/stats').set('Authorization', `Bearer ${operator}`).expect(200))
      .body as PlatformStats;
    expect(stats.users.total).toBe(expected);
  });

  it("expires a dedicated tenant's old exports in the hourly sweep", async () => {
    const expiring = await dedicatedTenant('expiring', 'olga@expiring.test');
    const [row] = await rowsOn<{ id: string }>(
      dedicated,
      `insert into public.exports (tenant_id, status, finished_at, expires_at) values ($1, 'done', now() - interval '1 day', now() - interval '1 minute') returning id`,
      [expiring.tenantId],
    );
    expect(await t.app.get(DataExportService).expire()).toBe(1);
    expect(await rowsOn(dedicated, 'select status from public.exports where id = $1', [row.id])).toEqual([
      { status: 'expired' },
    ]);
  });

  it("keeps a dedicated tenant's webhook log to 30 days in the daily sweep", async () => {
    const { tenantId } = await dedicatedTenant('hooked', 'olga@hooked.test');
    const [endpoint] = await rowsOn<{ id: string }>(
      dedicated,
      `insert into public.webhook_endpoints (tenant_id, url, events, secret_sealed, secret_hint) values ($1, 'https://hooks.hooked.test/', '{contact.created}', 'sealed', 'abcd') returning id`,
      [tenantId],
    );
    const delivery = (age: string) =>
      rowsOn<{ id: string }>(
        dedicated,
        `insert into public.webhook_deliveries (tenant_id, endpoint_id, event_id, event, payload, status, attempts, created_at)
         values ($1, $2, gen_random_uuid(), 'contact.created', '{}', 'succeeded', 1, now() - $3::interval) returning id`,
        [tenantId, endpoint.id, age],
      );
    await delivery('31 days');
    const [recent] = await delivery('29 days');
    expect(await t.app.get(WebhooksService).pruneLog()).toBe(1);
    expect(
      (
        await rowsOn<{ id: string }>(dedicated, 'select id from public.webhook_deliveries where endpoint_id = $1', [
          endpoint.id,
        ])
      ).map((r) => r.id),
    ).toEqual([recent.id]);
  });
});

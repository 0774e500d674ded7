import { PlatformDatabase, prepareDedicatedDatabase, TenantDatabaseRegistry } from '@tenantry/api-tenancy';
import type { AuditEvent, AuthTokenResponse, Contact, CreatedTenant, DataExport, ErrorBody, Member, MyTenant, Page, TenantPlan } from '@tenantry/contracts';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tools/testing/test-database.js';
import { migrate } from '../src/migrate.js';
import { signIn, signInOperator } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const KEY = 'dedicated-databases-key-'.repeat(2);
let t: TestApp;
let dedicated: TestDatabase;
let operator: string;

const connectionOf = (db: TestDatabase) => ({ ownerUrl: db.ownerUrl, appUrl: db.appUrl, platformUrl: db.platformUrl });
const errorOf = (res: { body: unknown }) => (res.body as ErrorBody).error;

/** Rows of `sql` on a database, read as its platform role (which sees every tenant). */
async function rowsOn<T extends pg.QueryResultRow>(db: TestDatabase, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.platformUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
const countOn = async (db: TestDatabase, table: string, tenantId: string) =>
  Number((await rowsOn<{ n: string }>(db, `select count(*) as n from public.${table} where tenant_id = $1`, [tenantId]))[0].n);

beforeAll(async () => {
  t = await startTestApp({ env: { DATABASE_SECRETS_KEY: KEY } });
  dedicated = await createTestDatabase(undefined, { migrated: false });
  // As a DBA would: the superuser links the new database to the shared one, then the operator registers it.
  const superuser = new URL(dedicated.ownerUrl);
  superuser.username = 'postgres';
  await prepareDedicatedDatabase(superuser.toString(), connectionOf(dedicated), connectionOf(t.db));
  const platform = new PlatformDatabase(t.db.platformUrl);
  await new TenantDatabaseRegistry(platform, KEY, t.db.ownerUrl).register('enterprise', connectionOf(dedicated), migrate);
  await platform.close();
  operator = await signInOperator(t);
});

afterAll(async () => {
  await t.close();
  await dedicated.drop();
});

/** Creates a tenant on the dedicated database from the console and lets its owner join through the invitation. */
async function dedicatedTenant(slug: string, email: string): Promise<{ tenantId: string; token: string; on: (req: import('supertest').Test) => import('supertest').Test }> {
  const created = (await t.http.post('/api/platform/tenants').set('Authorization', `Bearer ${operator}`).send({ name: `${slug} Corp`, slug, ownerEmail: email, database: 'enterprise' }).expect(201))
    .body as CreatedTenant;
  expect(created.tenant).toMatchObject({ slug, database: 'enterprise' });
  const mail = await t.mailbox.waitFor(email);
  const invitation = new URL(mail.links[0]).hash.slice('#token='.length);
  const joined = (await t.http.post('/api/invitations/accept').set('Host', `${slug}.localhost`).send({ token: invitation, displayName: 'Olga Owner', password: 'a long and unusual passphrase' }).expect(200))
    .body as AuthTokenResponse;
  expect(joined).toMatchObject({ role: 'owner', tenant: { slug } });
  const on = (req: import('supertest').Test) => req.set('Host', `${slug}.localhost`).set('Authorization', `Bearer ${joined.accessToken}`);
  return { tenantId: created.tenant.id, token: joined.accessToken, on };
}

describe('a tenant on a dedicated database', () => {
  it('keeps its rows there and nowhere else, while its people, sessions and tenant row stay in the shared database', async () => {
    const vault = await dedicatedTenant('vault', 'olga@vault.test');
    for (const name of ['Ada', 'Grace', 'Linus']) await vault.on(t.http.post('/api/contacts')).send({ name }).expect(201);

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
    const contact = (await bank.on(t.http.post('/api/contacts')).send({ name: 'Ada Lovelace', email: 'ada@bank.test' }).expect(201)).body as Contact;
    expect(((await bank.on(t.http.get(`/api/contacts/${contact.id}`)).expect(200)).body as Contact).name).toBe('Ada Lovelace');
    expect(((await bank.on(t.http.get('/api/contacts?limit=20')).expect(200)).body as Page<Contact>).items.map((c) => c.name)).toEqual(['Ada Lovelace']);

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
    const login = (await t.http.post('/api/auth/login').set('Host', 'bank.localhost').send({ email: 'olga@bank.test', password: 'a long and unusual passphrase' }).expect(200)).body as AuthTokenResponse;
    const mine = (await t.http.get('/api/me/tenants').set('Authorization', `Bearer ${login.accessToken}`).expect(200)).body as MyTenant[];
    expect(mine.map((m) => [m.tenant.slug, m.role])).toEqual([['bank', 'owner']]);
  });

  it('exports its data from its own database', async () => {
    const archive = await dedicatedTenant('archive', 'olga@archive.test');
    for (const name of ['One', 'Two']) await archive.on(t.http.post('/api/contacts')).send({ name }).expect(201);
    const requested = (await archive.on(t.http.post('/api/exports')).expect(201)).body as DataExport;
    let current = requested;
    for (let i = 0; i < 300 && current.status !== 'done' && current.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      current = (await archive.on(t.http.get(`/api/exports/${requested.id}`)).expect(200)).body as DataExport;
    }
    expect(current).toMatchObject({ status: 'done', error: null });
    // The tenant's rows of the dedicated database: 2 contacts, the membership, the invitation, audit events…
    expect(current.totalRows).toBeGreaterThanOrEqual(4);
    expect(await countOn(dedicated, 'exports', archive.tenantId)).toBe(1);
  });

  it("shows nothing of it to another tenant's people, and nothing at all to a connection without a tenant", async () => {
    const vault = (await rowsOn<{ id: string }>(t.db, `select id from tenants where slug = 'vault'`))[0];
    const other = await t.data.aTenant();
    const stranger = await t.data.aMember(other, 'owner');
    const { accessToken } = await signIn(t, stranger);
    expect(errorOf(await t.http.get('/api/contacts').set('Host', 'vault.localhost').set('Authorization', `Bearer ${accessToken}`).expect(403)).code).toBe('TENANT_MISMATCH');
    const own = (await t.http.get('/api/contacts').set('Host', `${other.slug}.localhost`).set('Authorization', `Bearer ${accessToken}`).expect(200)).body as Page<Contact>;
    expect(own.items).toEqual([]);
    // The app role on the dedicated database, with no tenant set, sees no row (row-level security is forced there too).
    const client = new pg.Client({ connectionString: dedicated.appUrl });
    await client.connect();
    try {
      expect((await client.query('select * from contacts')).rows).toEqual([]);
      expect((await client.query(`select set_config('app.tenant_id', $1, false)`, [other.id])).rowCount).toBe(1);
      expect((await client.query('select * from contacts')).rows).toEqual([]);
      expect((await client.query(`select set_config('app.tenant_id', $1, false)`, [vault.id])).rowCount).toBe(1);
      expect((await client.query('select name from contacts order by name')).rows.map((r) => r.name)).toEqual(['Ada', 'Grace', 'Linus']);
    } finally {
      await client.end();
    }
  });

  it('refuses an unknown database when creating a tenant, leaving nothing behind', async () => {
    const res = await t.http.post('/api/platform/tenants').set('Authorization', `Bearer ${operator}`).send({ name: 'Nowhere', slug: 'nowhere', ownerEmail: 'x@nowhere.test', database: 'missing' }).expect(404);
    expect(errorOf(res).code).toBe('DATABASE_NOT_FOUND');
    expect(await rowsOn(t.db, `select id from tenants where slug = 'nowhere'`)).toEqual([]);
  });
});

import type { Contact, ErrorBody, Page } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let tenant: TestTenant;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  tenant = await t.data.aTenant();
  for (const role of ['owner', 'admin', 'member', 'viewer'] as const) {
    tokens[role] = await t.login({ ...(await t.data.aMember(tenant, role)), tenant });
  }
});
afterAll(() => t.close());

const as = (role: string) => ({
  get: (url: string) => t.http.get(url).set('Authorization', `Bearer ${tokens[role]}`),
  post: (url: string, body: object) => t.http.post(url).set('Authorization', `Bearer ${tokens[role]}`).send(body),
  patch: (url: string, body: object) => t.http.patch(url).set('Authorization', `Bearer ${tokens[role]}`).send(body),
  delete: (url: string) => t.http.delete(url).set('Authorization', `Bearer ${tokens[role]}`),
});

describe('contacts CRUD', () => {
  it('creates, reads, updates and deletes a contact', async () => {
    const created = (
      await as('member')
        .post('/api/contacts', { name: ' Ada Lovelace ', email: 'ada@example.test', tags: ['vip'] })
        .expect(201)
    ).body as Contact;
    expect(created).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.test', company: null, tags: ['vip'] });

    const read = (await as('viewer').get(`/api/contacts/${created.id}`).expect(200)).body as Contact;
    expect(read).toEqual(created);

    const updated = (
      await as('member').patch(`/api/contacts/${created.id}`, { company: 'Analytical Engines', email: '' }).expect(200)
    ).body as Contact;
    expect(updated).toMatchObject({ name: 'Ada Lovelace', company: 'Analytical Engines', email: null });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));

    await as('admin').delete(`/api/contacts/${created.id}`).expect(204);
    const gone = await as('viewer').get(`/api/contacts/${created.id}`).expect(404);
    expect((gone.body as ErrorBody).error.code).toBe('CONTACT_NOT_FOUND');
  });

  it('answers 404 CONTACT_NOT_FOUND when updating or deleting a contact that does not exist', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await as('owner').patch(`/api/contacts/${id}`, { name: 'X' }).expect(404)).body.error.code).toBe(
      'CONTACT_NOT_FOUND',
    );
    expect((await as('owner').delete(`/api/contacts/${id}`).expect(404)).body.error.code).toBe('CONTACT_NOT_FOUND');
  });
});

describe('roles', () => {
  it('lets viewers read but not write or delete', async () => {
    const [id] = await t.data.contacts(tenant, 1);
    await as('viewer').get('/api/contacts').expect(200);
    expect((await as('viewer').post('/api/contacts', { name: 'Nope' }).expect(403)).body.error.code).toBe('FORBIDDEN');
    await as('viewer').patch(`/api/contacts/${id}`, { name: 'Nope' }).expect(403);
    await as('viewer').delete(`/api/contacts/${id}`).expect(403);
  });

  it('lets members write but not delete, and admins and owners delete', async () => {
    const [a, b] = await t.data.contacts(tenant, 2);
    await as('member').delete(`/api/contacts/${a}`).expect(403);
    await as('admin').delete(`/api/contacts/${a}`).expect(204);
    await as('owner').delete(`/api/contacts/${b}`).expect(204);
  });

  it('refuses every contacts route without a token', async () => {
    await t.http.get('/api/contacts').set('X-Tenant', tenant.slug).expect(401);
    await t.http.post('/api/contacts').set('X-Tenant', tenant.slug).send({ name: 'x' }).expect(401);
  });
});

describe('validation', () => {
  it.each([
    [{}, ['name']],
    [{ name: '' }, ['name']],
    [{ name: 'x', email: 'not-an-email' }, ['email']],
    [{ name: 'x', tags: 'vip' }, ['tags']],
    [{ name: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, ['tags']],
    [{ name: 'x', tenantId: '00000000-0000-4000-8000-000000000000' }, ['tenantId']],
  ])('refuses %j with 400 naming %j', async (body, fields) => {
    const res = await as('member').post('/api/contacts', body).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect((res.body.error.details.fields as { field: string }[]).map((f) => f.field)).toEqual(fields);
  });

  it('refuses a non-UUID id and a bad cursor', async () => {
    expect((await as('viewer').get('/api/contacts/123').expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await as('viewer').get('/api/contacts?cursor=abc').expect(400)).body.error.code).toBe('INVALID_CURSOR');
    expect((await as('viewer').get('/api/contacts?limit=101').expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await as('viewer').get('/api/contacts?sort=email').expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('search and pagination', () => {
  let own: TestTenant;
  let token: string;
  beforeAll(async () => {
    own = await t.data.aTenant({ name: 'Paging Inc' });
    token = await t.login({ ...(await t.data.aMember(own, 'viewer')), tenant: own });
    const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo', 'foxtrot', 'golf'];
    await t.data.contacts(own, names.length, (i) => names[i]);
    await t.data.query(`update contacts set company = 'ACME Rockets' where tenant_id = $1 and name = 'golf'`, [own.id]);
  });
  const get = (url: string) => t.http.get(url).set('Authorization', `Bearer ${token}`).expect(200);

  async function walk(query: string): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/contacts?${query}${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.body as Page<Contact>;
      pages.push(page.items.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    return pages;
  }

  it('pages through contacts by name, case-insensitively, without gaps or repeats', async () => {
    expect(await walk('sort=name&limit=3')).toEqual([
      ['Alpha', 'Bravo', 'charlie'],
      ['delta', 'echo', 'foxtrot'],
      ['golf'],
    ]);
  });

  it('pages through contacts newest first', async () => {
    const pages = await walk('sort=created&limit=2');
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(new Set(pages.flat()).size).toBe(7);
  });

  it('searches name, email and company case-insensitively', async () => {
    expect(((await get('/api/contacts?q=ALPH')).body as Page<Contact>).items.map((c) => c.name)).toEqual(['Alpha']);
    expect(((await get('/api/contacts?q=rockets')).body as Page<Contact>).items.map((c) => c.name)).toEqual(['golf']);
    expect(((await get('/api/contacts?q=echo%40example')).body as Page<Contact>).items.map((c) => c.name)).toEqual([
      'echo',
    ]);
    expect(((await get('/api/contacts?q=%25')).body as Page<Contact>).items).toEqual([]);
  });
});

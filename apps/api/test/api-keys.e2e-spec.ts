import type { ApiKeyInfo, Contact, CreatedApiKey, Page } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { until } from '@tenantry/testing/until';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

let t: TestApp;
let acme: TestTenant;
let globex: TestTenant;
let adminToken: string;
beforeAll(async () => {
  t = await startTestApp();
  acme = await t.data.aTenant();
  globex = await t.data.aTenant();
  await t.data.contacts(acme, 2, (i) => `Acme contact ${i}`);
  await t.data.contacts(globex, 2, (i) => `Globex contact ${i}`);
  adminToken = (await signIn(t, await t.data.aMember(acme, 'admin'))).accessToken;
});
afterAll(() => t.close());

const asAdmin = () => ({
  post: (body: object) =>
    t.http
      .post('/api/api-keys')
      .set('Host', `${acme.slug}.localhost`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send(body),
  list: () =>
    t.http.get('/api/api-keys').set('Host', `${acme.slug}.localhost`).set('Authorization', `Bearer ${adminToken}`),
  revoke: (id: string) =>
    t.http
      .delete(`/api/api-keys/${id}`)
      .set('Host', `${acme.slug}.localhost`)
      .set('Authorization', `Bearer ${adminToken}`),
});
async function aKey(scopes: string[], fields: object = {}): Promise<CreatedApiKey> {
  return (
    await asAdmin()
      .post({ name: 'CRM sync', scopes, ...fields })
      .expect(201)
  ).body as CreatedApiKey;
}

describe('API keys', () => {
  it('show their secret once; the list shows name, prefix and scopes only', async () => {
    const created = await aKey(['contacts.read']);
    expect(created.secret).toMatch(/^tk_live_/);
    expect(created.apiKey).toMatchObject({
      name: 'CRM sync',
      prefix: created.secret.slice(0, 14),
      scopes: ['contacts.read'],
      status: 'active',
      lastUsedAt: null,
    });
    const list = await asAdmin().list().expect(200);
    expect(list.text).not.toContain(created.secret);
    expect((list.body as ApiKeyInfo[]).map((k) => k.id)).toContain(created.apiKey.id);
    const { rows } = await t.data.query<{ secret_hash: Buffer }>('select secret_hash from api_keys where id = $1', [
      created.apiKey.id,
    ]);
    expect(rows[0].secret_hash.toString('utf8')).not.toContain(created.secret.slice(8));
  });

  it('authenticate as their tenant through Bearer or X-API-Key, with no tenant address needed', async () => {
    const { secret } = await aKey(['contacts.read']);
    const acmeContacts = (
      await t.data.query<{ name: string }>('select name from contacts where tenant_id = $1', [acme.id])
    ).rows
      .map((r) => r.name)
      .sort();
    expect(acmeContacts).toEqual(expect.arrayContaining(['Acme contact 0', 'Acme contact 1']));
    for (const header of [{ Authorization: `Bearer ${secret}` }, { 'X-API-Key': secret }]) {
      const res = await t.http.get('/api/contacts').set(header).expect(200);
      expect((res.body as Page<Contact>).items.map((c) => c.name).sort()).toEqual(acmeContacts);
    }
  });

  it('are held to their scopes by the same guards as roles', async () => {
    const { secret } = await aKey(['contacts.read']);
    expect(codeOf(await t.http.post('/api/contacts').set('X-API-Key', secret).send({ name: 'Nope' }).expect(403))).toBe(
      'FORBIDDEN',
    );
    const writer = await aKey(['contacts.read', 'contacts.write']);
    await t.http.post('/api/contacts').set('X-API-Key', writer.secret).send({ name: 'Made by a key' }).expect(201);
  });

  it('never reach routes for people (sessions, profile, members management, keys)', async () => {
    const { secret } = await aKey(['contacts.read', 'members.read', 'audit.read']);
    for (const req of [
      t.http.get('/api/auth/me'),
      t.http.post('/api/auth/logout-all'),
      t.http.post('/api/api-keys').send({ name: 'x', scopes: ['contacts.read'] }),
      t.http.post('/api/invitations').send({ email: 'x@example.test', role: 'member' }),
    ]) {
      expect(codeOf(await req.set('X-API-Key', secret).expect(403))).toBe('FORBIDDEN');
    }
    await t.http.get('/api/members').set('X-API-Key', secret).expect(200);
  });

  it('stop working when revoked, expired or altered (401 API_KEY_INVALID)', async () => {
    const revoked = await aKey(['contacts.read']);
    await asAdmin().revoke(revoked.apiKey.id).expect(204);
    expect(codeOf(await t.http.get('/api/contacts').set('X-API-Key', revoked.secret).expect(401))).toBe(
      'API_KEY_INVALID',
    );
    expect(codeOf(await asAdmin().revoke(revoked.apiKey.id).expect(404))).toBe('API_KEY_NOT_FOUND');

    const expiresAt = Date.now() + 3_000;
    const expiring = await aKey(['contacts.read'], { expiresAt: new Date(expiresAt).toISOString() });
    await t.http.get('/api/contacts').set('X-API-Key', expiring.secret).expect(200);
    await until(
      'the key expired',
      async () => Date.now(),
      (now) => now > expiresAt,
      5_000,
    );
    expect(codeOf(await t.http.get('/api/contacts').set('X-API-Key', expiring.secret).expect(401))).toBe(
      'API_KEY_INVALID',
    );

    const { secret } = await aKey(['contacts.read']);
    const altered = `${secret.slice(0, 10)}${secret[10] === 'A' ? 'B' : 'A'}${secret.slice(11)}`;
    expect(codeOf(await t.http.get('/api/contacts').set('X-API-Key', altered).expect(401))).toBe('API_KEY_INVALID');
  });

  it("are refused on another tenant's address or header (403 TENANT_MISMATCH)", async () => {
    const { secret } = await aKey(['contacts.read']);
    expect(
      codeOf(
        await t.http.get('/api/contacts').set('Host', `${globex.slug}.localhost`).set('X-API-Key', secret).expect(403),
      ),
    ).toBe('TENANT_MISMATCH');
    expect(
      codeOf(await t.http.get('/api/contacts').set('X-Tenant', globex.slug).set('X-API-Key', secret).expect(403)),
    ).toBe('TENANT_MISMATCH');
  });

  it('record their last use without a database write on every request', async () => {
    const { secret, apiKey } = await aKey(['contacts.read']);
    await t.http.get('/api/contacts').set('X-API-Key', secret).expect(200);
    const first = (
      await t.data.query<{ last_used_at: Date }>('select last_used_at from api_keys where id = $1', [apiKey.id])
    ).rows[0].last_used_at;
    expect(first).not.toBeNull();
    await t.http.get('/api/contacts').set('X-API-Key', secret).expect(200);
    await t.http.get('/api/contacts').set('X-API-Key', secret).expect(200);
    const later = (
      await t.data.query<{ last_used_at: Date }>('select last_used_at from api_keys where id = $1', [apiKey.id])
    ).rows[0].last_used_at;
    expect(later).toEqual(first);
  });

  it('are created by admins and owners only, with known scopes, and audited', async () => {
    const member = await signIn(t, await t.data.aMember(acme, 'member'));
    const res = await t.http
      .post('/api/api-keys')
      .set('Host', `${acme.slug}.localhost`)
      .set('Authorization', `Bearer ${member.accessToken}`)
      .send({ name: 'x', scopes: ['contacts.read'] })
      .expect(403);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(
      codeOf(
        await asAdmin()
          .post({ name: 'x', scopes: ['members.manage'] })
          .expect(400),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(codeOf(await asAdmin().post({ name: 'x', scopes: [] }).expect(400))).toBe('VALIDATION_FAILED');
    expect(
      codeOf(
        await asAdmin()
          .post({ name: 'x', scopes: ['contacts.read'], expiresAt: '2001-01-01T00:00:00Z' })
          .expect(400),
      ),
    ).toBe('VALIDATION_FAILED');
    const { apiKey } = await aKey(['audit.read']);
    await asAdmin().revoke(apiKey.id).expect(204);
    const { rows } = await t.data.query<{ action: string }>(
      `select action from audit_events where target_id = $1 order by created_at`,
      [apiKey.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['api_key.created', 'api_key.revoked']);
  });
});

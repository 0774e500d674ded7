import type { ContactImport, Page, Contact } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { errorOf } from './support/error-body.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function memberOf(plan: string) {
  const tenant = await t.data.aTenant({ plan });
  const token = (await signIn(t, await t.data.aMember(tenant, 'member'))).accessToken;
  const headers = { Host: `${tenant.slug}.localhost`, Authorization: `Bearer ${token}` };
  return {
    tenant,
    upload: (csv: string, name = 'contacts.csv') =>
      t.http.post('/api/contact-imports').set(headers).attach('file', Buffer.from(csv), name),
    get: (path: string) => t.http.get(`/api${path}`).set(headers),
  };
}

async function finished(get: (path: string) => ReturnType<TestApp['http']['get']>, id: string): Promise<ContactImport> {
  for (let i = 0; i < 300; i++) {
    const current = (await get(`/contact-imports/${id}`).expect(200)).body as ContactImport;
    if (current.status === 'done' || current.status === 'failed') return current;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`import did not finish: ${JSON.stringify((await get(`/contact-imports/${id}`)).body)}`);
}

const names = async (tenant: TestTenant) =>
  (
    await t.data.query<{ name: string }>('select name from contacts where tenant_id = $1 order by name', [tenant.id])
  ).rows.map((r) => r.name);

describe('CSV import of contacts', () => {
  it('imports the good rows in a job and reports each refused row with its number and reason', async () => {
    const { tenant, upload, get } = await memberOf('pro');
    const csv = [
      'Name,E-mail,Company,Tags',
      'Ada Lovelace,ada@example.test,Analytical,"vip; math"',
      ',nobody@example.test,,',
      'Grace Hopper,not-an-email,Navy,',
      '"Linus, T.",linus@example.test,,',
    ].join('\n');
    const started = (await upload(csv).expect(201)).body as ContactImport;
    expect(started).toMatchObject({
      fileName: 'contacts.csv',
      totalRows: 4,
      status: expect.stringMatching(/queued|running|done/),
    });
    const done = await finished(get, started.id);
    expect(done).toMatchObject({ status: 'done', totalRows: 4, processedRows: 4, importedRows: 2, failedRows: 2 });
    expect(done.errors).toEqual([
      { row: 3, field: 'name', message: 'name must be longer than or equal to 1 characters' },
      { row: 4, field: 'email', message: 'email must be an email' },
    ]);
    expect(await names(tenant)).toEqual(['Ada Lovelace', 'Linus, T.']);
    const contacts = (await get('/contacts').expect(200)).body as Page<Contact>;
    expect(contacts.items.find((c) => c.name === 'Ada Lovelace')).toMatchObject({
      email: 'ada@example.test',
      company: 'Analytical',
      tags: ['vip', 'math'],
    });
    expect(((await get('/contact-imports').expect(200)).body as ContactImport[])[0]).toMatchObject({
      id: started.id,
      errors: [],
    });
    const { rows } = await t.data.query('select source from contact_imports where id = $1', [started.id]);
    expect(rows).toEqual([{ source: null }]); // the file is not kept once imported
  });

  it('shows progress while a large file is imported in batches, and imports each row once', async () => {
    const { tenant, upload, get } = await memberOf('enterprise');
    const csv = ['name', ...Array.from({ length: 1600 }, (_, i) => `Person ${i}`)].join('\n');
    const started = (await upload(csv).expect(201)).body as ContactImport;
    const seen = new Set<number>();
    let current = started;
    for (let i = 0; current.status !== 'done'; i++) {
      if (i > 1000) throw new Error(`import stuck: ${JSON.stringify({ ...current, errors: current.errors.length })}`);
      seen.add(current.processedRows);
      await new Promise((resolve) => setTimeout(resolve, 20));
      current = (await get(`/contact-imports/${started.id}`).expect(200)).body as ContactImport;
    }
    expect(current).toMatchObject({ processedRows: 1600, importedRows: 1600, failedRows: 0 });
    expect([...seen].every((n) => [0, 500, 1000, 1500].includes(n))).toBe(true); // progress moves batch by batch
    expect(
      (await t.data.query('select count(*)::int as n from contacts where tenant_id = $1', [tenant.id])).rows[0].n,
    ).toBe(1600);
  });

  it("stops at the plan's monthly contacts and says so for each row past it", async () => {
    await t.data.query(
      `insert into plans (code, name, seats, monthly_limits, features) values ('tiny-import', 'Tiny', 5, '{"contacts": 2}', '{contacts.import}')`,
    );
    const { upload, get } = await memberOf('tiny-import');
    const done = await finished(get, ((await upload('name\nA\nB\nC\nD').expect(201)).body as ContactImport).id);
    expect(done).toMatchObject({ importedRows: 2, failedRows: 2 });
    expect(done.errors.map((e) => e.row)).toEqual([4, 5]);
    expect(done.errors[0].message).toMatch(/plan does not allow more/);
  });

  it('refuses files it can not import, tenants without the feature, and other tenants', async () => {
    const { upload, get } = await memberOf('pro');
    expect(errorOf(await upload('email\nada@example.test').expect(422))).toMatchObject({
      code: 'IMPORT_INVALID',
      details: { reason: expect.stringContaining('no "name" column') },
    });
    expect(errorOf(await upload('name\n"unclosed').expect(422)).details?.reason).toMatch(/not a readable CSV/);
    expect(errorOf(await upload('x'.repeat(5 * 1024 * 1024 + 1)).expect(413)).code).toBe('PAYLOAD_TOO_LARGE');
    const free = await memberOf('free');
    expect(errorOf(await free.upload('name\nA').expect(403))).toMatchObject({
      code: 'FEATURE_DISABLED',
      details: { feature: 'contacts.import' },
    });
    const mine = ((await upload('name\nA').expect(201)).body as ContactImport).id;
    const other = await memberOf('pro');
    expect(errorOf(await other.get(`/contact-imports/${mine}`).expect(404)).code).toBe('IMPORT_NOT_FOUND');
    await finished(get, mine);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { type AppConfig, FileStorage, loadConfig, LocalDiskStorage } from '@tenantry/api-core';
import { DataExportService, importTenantArchive } from '@tenantry/api-data-export';
import type { DataExport, DeletedTenant } from '@tenantry/contracts';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { solidPng } from '@tenantry/testing/images';
import type { TestMember, TestTenant } from '@tenantry/testing/factories';
import { until } from '@tenantry/testing/until';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { errorOf } from './support/error-body.js';

let t: TestApp;
let dir: string;
let storage: FileStorage;
beforeAll(async () => {
  t = await startTestApp();
  dir = await mkdtemp(join(tmpdir(), 'tenantry-export-test-'));
  storage = t.app.get(FileStorage);
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

// Download responses are read as bytes: an error's JSON is parsed from them.
const host = (tenant: TestTenant) => `${tenant.slug}.localhost`;
const as = async (member: TestMember) => {
  const token = (await signIn(t, member)).accessToken;
  const on = (req: import('supertest').Test) =>
    req.set('Host', host(member.tenant!)).set('Authorization', `Bearer ${token}`);
  return {
    get: (path: string) => on(t.http.get(`/api${path}`)),
    post: (path: string, body?: object) => on(t.http.post(`/api${path}`)).send(body ?? {}),
    put: (path: string) => on(t.http.put(`/api${path}`)),
  };
};

/** Polls the export until its job is done (or failed). */
function finished(client: Awaited<ReturnType<typeof as>>, id: string): Promise<DataExport> {
  return until(
    `export ${id} finished`,
    async () => (await client.get(`/exports/${id}`).expect(200)).body as DataExport,
    (current) => current.status === 'done' || current.status === 'failed',
    30_000,
  );
}

/** GET of a download link as a browser would open it (the link names the tenant's host). */
function fetchLink(url: string, hostOverride?: string) {
  const link = new URL(url);
  return t.http
    .get(`${link.pathname}${link.search}`)
    .set('Host', hostOverride ?? link.hostname)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/** Every entry of a zip: tables as rows (tenant_id dropped, sorted), other entries as bytes. */
async function readArchive(path: string): Promise<Map<string, unknown>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  const entries = new Map<string, unknown>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, async (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        if (entry.fileName.endsWith('.ndjson')) {
          const rows = body
            .toString('utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.stringify({ ...JSON.parse(l), tenant_id: undefined }));
          entries.set(entry.fileName, rows.sort());
        } else entries.set(entry.fileName, body);
        zip.readEntry();
      });
    });
    zip.on('end', () => resolve());
    zip.readEntry();
  });
  return entries;
}

/** Runs the export job for a tenant directly (no request, no login: the tenant stays exactly as imported) and returns the zip's path. */
/** A copy of the archive at `path`, with `change` made to its entries (name → file, or lines of an ndjson table). */
async function rewritten(
  path: string,
  name: string,
  change: (entries: Map<string, Buffer | string[]>) => void,
): Promise<string> {
  const entries = (await readArchive(path)) as Map<string, Buffer | string[]>;
  change(entries);
  const zip = new yazl.ZipFile();
  for (const [entry, value] of entries)
    zip.addBuffer(Array.isArray(value) ? Buffer.from(value.map((r) => `${r}\n`).join('')) : value, entry);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  const copy = join(dir, name);
  await writeFile(copy, Buffer.concat(chunks));
  return copy;
}

async function exportDirectly(tenantId: string): Promise<string> {
  const id = randomUUID();
  await t.data.query('insert into exports (tenant_id, id) values ($1, $2)', [tenantId, id]);
  await t.app.get(DataExportService).run(tenantId, id);
  const file = await storage.getStream(`tenants/${tenantId}/exports/${id}.zip`);
  const path = join(dir, `${id}.zip`);
  const chunks: Buffer[] = [];
  for await (const c of file!.stream) chunks.push(c as Buffer);
  await writeFile(path, Buffer.concat(chunks));
  return path;
}

describe('data export (GDPR)', () => {
  it('exports every tenant table and its files through a signed link; import into an empty tenant and export again gives the same data', async () => {
    const source = await t.data.aTenant({ slug: 'exportco', name: 'Export Co', plan: 'enterprise' });
    const owner = await t.data.aMember(source, 'owner');
    await t.data.aMember(source, 'admin');
    await t.data.contacts(source, 40);
    await t.data.query(
      `update contacts set tags = array['vip', 'q"uote'], notes = E'multi\\nline ✓' where tenant_id = $1 and name like '%1'`,
      [source.id],
    );
    await t.data.anApiKey(source, ['contacts.read']);
    await t.data.anInvitation(source, 'later@exportco.test');
    await t.data.aDomain(source, 'exportco.test');
    await t.data.aCustomDomain(source, 'app.exportco.test', false);
    await t.data.anSsoConnection(source, 'https://idp.exportco.test');
    const client = await as(owner);
    await client
      .put('/branding/assets/logo')
      .attach('file', solidPng(32, 32, [10, 20, 30]), { filename: 'logo.png', contentType: 'image/png' })
      .expect(200);
    const other = await t.data.aTenant();
    await t.data.contacts(other, 5, (i) => `other-secret-${i}`);

    const requested = (await client.post('/exports').expect(201)).body as DataExport;
    expect(requested.status).toBe('queued');
    expect(errorOf(await client.post('/exports').expect(409)).code).toBe('EXPORT_IN_PROGRESS');
    const done = await finished(client, requested.id);
    expect(done).toMatchObject({ status: 'done', requestedBy: owner.email, error: null });
    expect(done.processedRows).toBe(done.totalRows);
    expect(done.totalRows).toBeGreaterThan(40);
    expect(Date.parse(done.expiresAt!) - Date.parse(done.finishedAt!)).toBeGreaterThan(23.9 * 3_600_000);
    expect(done.downloadUrl).toMatch(/^http:\/\/exportco\.localhost:3000\/api\/exports\/.+\/download\?token=/);

    const res = await fetchLink(done.downloadUrl!).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="tenantry-exportco-\d{4}-\d{2}-\d{2}\.zip"$/,
    );
    const first = join(dir, 'first.zip');
    await writeFile(first, res.body as Buffer);
    const archive = await readArchive(first);
    const manifest = JSON.parse((archive.get('manifest.json') as Buffer).toString('utf8'));
    expect(manifest).toMatchObject({
      format: 'tenantry-export',
      version: 1,
      tenant: { slug: 'exportco', name: 'Export Co' },
    });
    // Every tenant table of the catalog is in it (but the exports themselves), with the counts of the manifest.
    const { rows: catalog } = await t.data.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
         join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' where c.relkind = 'r' and c.relname not in ('tenants', 'exports')`,
    );
    expect(Object.keys(manifest.tables).sort()).toEqual(catalog.map((c) => c.name).sort());
    for (const table of Object.keys(manifest.tables))
      expect((archive.get(`tables/${table}.ndjson`) as string[]).length).toBe(manifest.tables[table]);
    expect((archive.get('tables/contacts.ndjson') as string[]).length).toBe(40);
    expect(JSON.stringify([...archive.values()].filter((v) => Array.isArray(v)))).not.toContain('other-secret');
    expect(manifest.files).toEqual([expect.stringMatching(/^branding\/[0-9a-f]{64}\.png$/)]);
    expect((archive.get(`files/${manifest.files[0]}`) as Buffer).equals(solidPng(32, 32, [10, 20, 30]))).toBe(true);
    const { rows: downloads } = await t.data.query(
      `select 1 from audit_events where tenant_id = $1 and action = 'export.downloaded'`,
      [source.id],
    );
    expect(downloads).toHaveLength(1);

    // Restore into a new address, then export that tenant untouched: the same rows, users and files.
    const config = new ConfigService<AppConfig, true>(
      loadConfig({ JWT_SECRET: 'x'.repeat(32), DATA_DIR: join(tmpdir(), t.db.name) }),
    );
    const result = await importTenantArchive({
      archive: first,
      slug: 'exportco-restored',
      platformUrl: t.db.platformUrl,
      storage: new LocalDiskStorage(config),
    });
    expect(result).toMatchObject({ created: true, users: { matched: 2, created: 0 }, files: 1 }); // owner and admin, found by email
    expect(result.tables.contacts).toBe(40);
    const again = await readArchive(await exportDirectly(result.tenantId));
    expect([...again.keys()].sort()).toEqual([...archive.keys()].sort());
    for (const [name, value] of archive) {
      if (name === 'manifest.json') continue;
      expect({ name, value: again.get(name) }).toEqual({ name, value });
    }
    const againManifest = JSON.parse((again.get('manifest.json') as Buffer).toString('utf8'));
    expect(againManifest.tables).toEqual(manifest.tables);
    expect(againManifest.tenant).toMatchObject({ slug: 'exportco-restored', plan: 'enterprise' });
    // The restored tenant works: its owner signs in there and sees the contacts.
    const restored = { id: result.tenantId, slug: 'exportco-restored', name: 'Export Co' };
    const restoredOwner = await as({ ...owner, tenant: restored });
    expect((await restoredOwner.get('/contacts?limit=100').expect(200)).body.items).toHaveLength(40);
  });

  it('refuses a link for another tenant, a tampered or expired link, and exports to anyone but owners', async () => {
    const tenant = await t.data.aTenant({ slug: 'linkco' });
    const owner = await t.data.aMember(tenant, 'owner');
    const admin = await t.data.aMember(tenant, 'admin');
    const other = await t.data.aTenant({ slug: 'otherlinkco' });
    const client = await as(owner);
    expect(errorOf(await (await as(admin)).post('/exports').expect(403)).code).toBe('FORBIDDEN');
    const done = await finished(client, ((await client.post('/exports').expect(201)).body as DataExport).id);

    expect(errorOf(await fetchLink(done.downloadUrl!, host(other)).expect(403)).code).toBe('EXPORT_LINK_INVALID');
    expect(errorOf(await fetchLink(done.downloadUrl!.replace(/token=.{8}/, 'token=AAAAAAAA')).expect(403)).code).toBe(
      'EXPORT_LINK_INVALID',
    );
    expect(errorOf(await fetchLink(done.downloadUrl!.replace(done.id, randomUUID())).expect(403)).code).toBe(
      'EXPORT_LINK_INVALID',
    );
    await t.data.query(`update exports set expires_at = now() - interval '1 second' where id = $1`, [done.id]);
    expect(errorOf(await fetchLink(done.downloadUrl!).expect(410)).code).toBe('EXPORT_EXPIRED');
    expect((await client.get(`/exports/${done.id}`).expect(200)).body as DataExport).toMatchObject({
      status: 'expired',
      downloadUrl: null,
    });
    // The hourly sweep removes the file.
    expect(await t.app.get(DataExportService).expire()).toBeGreaterThanOrEqual(1);
    expect(await storage.list(`tenants/${tenant.id}/exports`)).toEqual([]);
  });

  it('does not import into a tenant that has data, nor an archive with columns the target lacks, and writes nothing then', async () => {
    const source = await t.data.aTenant({ plan: 'pro' });
    const owner = await t.data.aMember(source, 'owner');
    await t.data.contacts(source, 3);
    const path = await exportDirectly(source.id);
    const config = new ConfigService<AppConfig, true>(
      loadConfig({ JWT_SECRET: 'x'.repeat(32), DATA_DIR: join(tmpdir(), t.db.name) }),
    );
    const options = { platformUrl: t.db.platformUrl, storage: new LocalDiskStorage(config) };
    await expect(importTenantArchive({ ...options, archive: path, slug: source.slug })).rejects.toThrow(/is not empty/);

    // An archive from a release with one more contacts column.
    const newer = await rewritten(path, 'newer.zip', (entries) => {
      const manifest = JSON.parse((entries.get('manifest.json') as Buffer).toString('utf8'));
      manifest.columns.contacts.push('favourite_color');
      entries.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
    });
    await expect(importTenantArchive({ ...options, archive: newer, slug: 'from-the-future' })).rejects.toThrow(
      /no column favourite_color/,
    );
    expect((await t.data.query(`select 1 from tenants where slug = 'from-the-future'`)).rows).toEqual([]);
    // A person whose address only looks like an account's (a Cyrillic "о" for the "o" every owner's address starts with): refused like at signup, not created.
    const lookalike = await rewritten(path, 'lookalike.zip', (entries) => {
      const users = (entries.get('users.ndjson') as string[]).map((line) =>
        JSON.stringify({ ...JSON.parse(line), email: owner.email.replace('o', '\u043e') }),
      );
      entries.set('users.ndjson', users);
    });
    await expect(importTenantArchive({ ...options, archive: lookalike, slug: 'look-alike' })).rejects.toThrow(
      /email address that is refused/,
    );
    expect((await t.data.query(`select 1 from tenants where slug = 'look-alike'`)).rows).toEqual([]);
    expect(owner.email).toBeTruthy();
    await expect(
      importTenantArchive({ ...options, archive: join(dir, 'missing.zip'), slug: 'nothing' }),
    ).rejects.toThrow();
    expect((await readFile(path)).length).toBeGreaterThan(0);
  });
});

describe('owner-requested deletion', () => {
  it('deletes the tenant softly once the owner types its address; admins may not', async () => {
    const tenant = await t.data.aTenant({ slug: 'leaving-co', name: 'Leaving Co' });
    const owner = await t.data.aMember(tenant, 'owner');
    const admin = await t.data.aMember(tenant, 'admin');
    expect(errorOf(await (await as(admin)).post('/tenant/deletion', { confirm: 'leaving-co' }).expect(403)).code).toBe(
      'FORBIDDEN',
    );
    const client = await as(owner);
    expect(errorOf(await client.post('/tenant/deletion', { confirm: 'leaving' }).expect(422)).code).toBe(
      'DELETION_NOT_CONFIRMED',
    );
    expect(errorOf(await client.post('/tenant/deletion', {}).expect(400)).code).toBe('VALIDATION_FAILED');
    await t.http.get('/api/branding').set('Host', host(tenant)).expect(200);

    const deleted = (await client.post('/tenant/deletion', { confirm: 'leaving-co' }).expect(200))
      .body as DeletedTenant;
    expect(deleted).toMatchObject({ id: tenant.id, slug: 'leaving-co' });
    expect(Date.parse(deleted.purgeAfter) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(errorOf(await t.http.get('/api/branding').set('Host', host(tenant)).expect(404)).code).toBe(
      'TENANT_NOT_FOUND',
    );
    const { rows } = await t.data.query<{ action: string }>(
      `select action from platform_audit_events where subject_id = $1`,
      [tenant.id],
    );
    expect(rows.map((r) => r.action)).toContain('tenant.deletion_requested');
  });
});

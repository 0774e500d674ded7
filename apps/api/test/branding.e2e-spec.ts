import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent, BrandingResponse, BrandingSettings, Page } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { solidPng, SVG_WITH_SCRIPT, TINY_JPEG, TINY_WEBP } from '@tenantry/testing/images';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { errorOf } from './support/error-body.js';

let t: TestApp;
let dataDir: string;
let acme: TestTenant;
let token: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tenantry-branding-'));
  t = await startTestApp({ env: { DATA_DIR: dataDir } });
});
// Each test brands a tenant of its own.
beforeEach(async () => {
  acme = await t.data.aTenant({ name: 'Acme Corporation' });
  token = (await signIn(t, await t.data.aMember(acme, 'admin'))).accessToken;
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const on = (tenant: TestTenant) => ({ Host: `${tenant.slug}.localhost` });
const put = (body: object, tenant = acme, as = token) =>
  t.http.put('/api/branding').set(on(tenant)).set('Authorization', `Bearer ${as}`).send(body);
const upload = (kind: string, bytes: Buffer, filename = 'logo.png', tenant = acme, as = token) =>
  t.http
    .put(`/api/branding/assets/${kind}`)
    .set(on(tenant))
    .set('Authorization', `Bearer ${as}`)
    .attach('file', bytes, { filename, contentType: 'image/png' });
const branding = async (tenant = acme) =>
  (await t.http.get('/api/branding').set(on(tenant)).expect(200)).body as BrandingResponse;
const storedFiles = async (): Promise<string[]> =>
  (await readdir(dataDir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dataDir.length + 1))
    .sort();
const filesOf = async (tenant: TestTenant) =>
  (await storedFiles()).filter((f) => f.startsWith(`tenants/${tenant.id}/`));

describe('branding', () => {
  it("starts at the platform's defaults under the tenant's name, and the platform's own for no tenant", async () => {
    expect(await branding()).toEqual({
      tenant: { id: acme.id, slug: acme.slug, name: 'Acme Corporation' },
      name: 'Acme Corporation',
      primaryColor: '#4f46e5',
      onPrimaryColor: '#ffffff',
      secondaryColor: '#0f172a',
      onSecondaryColor: '#ffffff',
      logoUrl: null,
      faviconUrl: null,
      backgroundUrl: null,
      welcomeMessage: null,
      footerText: null,
      cssVariables: {
        '--brand-primary': '#4f46e5',
        '--brand-on-primary': '#ffffff',
        '--brand-secondary': '#0f172a',
        '--brand-on-secondary': '#ffffff',
      },
    });
    expect((await t.http.get('/api/branding').expect(200)).body as BrandingResponse).toMatchObject({
      tenant: null,
      name: 'Tenantry',
      primaryColor: '#4f46e5',
    });
  });

  it('takes names, texts and hex colors (3 or 6 digits, any case), and computes the text color on each', async () => {
    const saved = (
      await put({
        displayName: ' Acme Portal ',
        primaryColor: '#FDE047',
        secondaryColor: '#17f',
        welcomeMessage: 'Welcome back to Acme.',
        footerText: '© Acme',
        emailFromName: 'Acme Support',
        emailColor: '#1D4ED8',
      }).expect(200)
    ).body as BrandingSettings;
    expect(saved).toMatchObject({
      displayName: 'Acme Portal',
      primaryColor: '#fde047',
      secondaryColor: '#1177ff',
      emailColor: '#1d4ed8',
      emailFromName: 'Acme Support',
      updatedAt: expect.any(String),
    });
    expect(await branding()).toMatchObject({
      name: 'Acme Portal',
      primaryColor: '#fde047',
      onPrimaryColor: '#000000',
      secondaryColor: '#1177ff',
      onSecondaryColor: '#000000',
      welcomeMessage: 'Welcome back to Acme.',
      footerText: '© Acme',
      cssVariables: {
        '--brand-primary': '#fde047',
        '--brand-on-primary': '#000000',
        '--brand-secondary': '#1177ff',
        '--brand-on-secondary': '#000000',
      },
    });
    // Only the fields sent change; null (or blank text) goes back to the default.
    await put({ secondaryColor: null, footerText: '  ' }).expect(200);
    expect(await branding()).toMatchObject({
      name: 'Acme Portal',
      primaryColor: '#fde047',
      secondaryColor: '#0f172a',
      footerText: null,
    });
  });

  it('refuses anything but a hex color, so nothing can be injected into the CSS', async () => {
    for (const bad of [
      'red;}body{display:none',
      'url(https://evil.test/x.png)',
      'red',
      '#ggg',
      '#12345',
      '#1234567',
      'rgb(1,2,3)',
      '#fff;}',
      'expression(alert(1))',
      42,
    ]) {
      const res = await put({ primaryColor: bad }).expect(400);
      expect(errorOf(res)).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: {
          fields: [{ field: 'primaryColor', messages: ['primaryColor must be a hex color like #1d4ed8 or #17f'] }],
        },
      });
    }
    expect(errorOf(await put({ emailFromName: 'Evil <ceo@evil.test>' }).expect(400)).details).toEqual({
      fields: [{ field: 'emailFromName', messages: ['emailFromName must not contain <, >, " or line breaks'] }],
    });
    expect(errorOf(await put({ welcomeMessage: 'x'.repeat(281) }).expect(400)).code).toBe('VALIDATION_FAILED');
    expect((await branding()).primaryColor).toBe('#4f46e5'); // unchanged
  });

  it('answers If-None-Match with 304 until the branding changes, and is never cached without asking', async () => {
    const first = await t.http.get('/api/branding').set(on(acme)).expect(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers.vary).toMatch(/Host/);
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    await t.http.get('/api/branding').set(on(acme)).set('If-None-Match', etag).expect(304);
    await put({ welcomeMessage: 'Hello again' }).expect(200);
    const after = await t.http.get('/api/branding').set(on(acme)).set('If-None-Match', etag).expect(200);
    expect(after.headers.etag).not.toBe(etag);
    expect((after.body as BrandingResponse).welcomeMessage).toBe('Hello again');
  });

  it('stores a logo, favicon and background checked by content, served with their type and cached for good', async () => {
    const png = solidPng(64, 32);
    const logo = (await upload('logo', png).expect(200)).body as BrandingSettings;
    expect(logo.logoUrl).toMatch(new RegExp(`^/api/branding/assets/${acme.id}/[0-9a-f]{64}\\.png$`));
    const served = await t.http.get(logo.logoUrl!).buffer(true).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(served.body as Buffer, png)).toBe(0);

    // Named and declared as PNG, but a JPEG or WebP: stored and served as what it is.
    const favicon = (await upload('favicon', TINY_WEBP, 'favicon.png').expect(200)).body as BrandingSettings;
    expect(favicon.faviconUrl).toMatch(/\.webp$/);
    expect((await t.http.get(favicon.faviconUrl!).expect(200)).headers['content-type']).toBe('image/webp');
    const background = (await upload('background', TINY_JPEG).expect(200)).body as BrandingSettings;
    expect(await branding()).toMatchObject({
      logoUrl: logo.logoUrl,
      faviconUrl: favicon.faviconUrl,
      backgroundUrl: background.backgroundUrl,
      cssVariables: { '--brand-login-background': `url("${background.backgroundUrl}")` },
    });

    // A new logo replaces the old file.
    const next = (await upload('logo', solidPng(10, 10, [255, 0, 0])).expect(200)).body as BrandingSettings;
    await t.http.get(logo.logoUrl!).expect(404);
    await t.http.get(next.logoUrl!).expect(200);
    const log = (
      await t.http.get('/api/audit-events?limit=3').set(on(acme)).set('Authorization', `Bearer ${token}`).expect(200)
    ).body as Page<AuditEvent>;
    expect(log.items[0]).toMatchObject({ action: 'branding.updated', metadata: { fields: ['logo'] } });
  });

  it('refuses fake images, SVG with script, oversized files and a missing file, with clear codes', async () => {
    const before = await storedFiles();
    expect(
      errorOf(await upload('logo', Buffer.from('MZ\x90\x00 not an image at all'), 'logo.png').expect(422)).code,
    ).toBe('IMAGE_INVALID');
    expect(
      errorOf(
        await upload(
          'logo',
          Buffer.concat([solidPng(1, 1).subarray(0, 16), Buffer.from('<?php echo 1; ?>')]),
          'logo.png',
        ).expect(422),
      ).code,
    ).toBe('IMAGE_INVALID');
    expect(errorOf(await upload('logo', SVG_WITH_SCRIPT, 'logo.svg').expect(415)).code).toBe('IMAGE_TYPE_UNSUPPORTED');
    expect(errorOf(await upload('favicon', Buffer.alloc(1024 * 1024 + 10, 1), 'big.png').expect(413))).toMatchObject({
      code: 'IMAGE_TOO_LARGE',
      details: { maxBytes: 1048576 },
    });
    expect(errorOf(await upload('favicon', Buffer.alloc(3 * 1024 * 1024, 1), 'huge.png').expect(413)).code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    expect(errorOf(await upload('logo', solidPng(4097, 1)).expect(413)).code).toBe('IMAGE_TOO_LARGE');
    expect(
      errorOf(
        await t.http.put('/api/branding/assets/logo').set(on(acme)).set('Authorization', `Bearer ${token}`).expect(422),
      ).code,
    ).toBe('IMAGE_INVALID');
    expect(errorOf(await upload('script', solidPng(1, 1)).expect(400)).code).toBe('VALIDATION_FAILED');
    expect(await storedFiles()).toEqual(before);
  });

  it("never lets a file name or URL reach outside the tenant's storage (path traversal)", async () => {
    const stored = (await upload('logo', solidPng(3, 3), '../../../../etc/passwd.png').expect(200))
      .body as BrandingSettings;
    expect(stored.logoUrl).not.toMatch(/passwd|\.\./);
    const files = await filesOf(acme);
    expect(files).toHaveLength(1);
    expect(
      files.every(
        (f) =>
          f.startsWith(`tenants/${acme.id}/branding/`) && /^[0-9a-f]{64}\.(png|jpg|webp)$/.test(f.split('/').pop()!),
      ),
    ).toBe(true);
    expect(
      (await storedFiles()).every((f) => /^tenants\/[0-9a-f-]{36}\/branding\/[0-9a-f]{64}\.(png|jpg|webp)$/.test(f)),
    ).toBe(true);
    for (const path of [
      `/api/branding/assets/${acme.id}/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/api/branding/assets/${acme.id}/%2E%2E%2Fbranding`,
      `/api/branding/assets/${acme.id}/${'a'.repeat(64)}.png`,
      `/api/branding/assets/${acme.id}/${stored.logoUrl!.split('/').pop()!.replace('.png', '.svg')}`,
    ]) {
      expect(errorOf(await t.http.get(path).expect(404)).code).toBe('ASSET_NOT_FOUND');
    }
    expect(errorOf(await t.http.get(`/api/branding/assets/..%2F..%2Fetc/passwd`).expect(400)).code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it("brands the tenant's emails: sender name, color and logo", async () => {
    await put({ displayName: 'Acme Portal', emailFromName: 'Acme Support', emailColor: '#1d4ed8' }).expect(200);
    const { logoUrl } = (await upload('logo', solidPng(16, 16)).expect(200)).body as BrandingSettings;
    await t.http
      .post('/api/invitations')
      .set(on(acme))
      .set('Authorization', `Bearer ${token}`)
      .send({ email: 'branded@example.test', role: 'member' })
      .expect(201);
    const mail = await t.mailbox.waitFor('branded@example.test');
    expect(mail.from).toMatch(/^"?Acme Support"? </);
    expect(mail.html).toContain('background:#1d4ed8');
    expect(mail.html).toContain(`http://${acme.slug}.localhost:3000${logoUrl}`);
    expect(mail.html).toContain('Acme Portal');
    expect(mail.text).toMatch(/Accept the invitation: http/);
  });

  it('resets to the defaults (images deleted), and belongs to the plans with custom branding', async () => {
    await put({ displayName: 'Acme Portal', primaryColor: '#0f766e' }).expect(200);
    await upload('logo', solidPng(8, 8)).expect(200);
    await upload('favicon', TINY_WEBP, 'favicon.png').expect(200);
    expect(await filesOf(acme)).toHaveLength(2);
    await t.http.delete('/api/branding').set(on(acme)).set('Authorization', `Bearer ${token}`).expect(204);
    expect(await branding()).toMatchObject({
      name: 'Acme Corporation',
      primaryColor: '#4f46e5',
      logoUrl: null,
      faviconUrl: null,
    });
    expect(await filesOf(acme)).toEqual([]);

    const free = await t.data.aTenant({ plan: 'free' });
    const owner = (await signIn(t, await t.data.aMember(free, 'owner'))).accessToken;
    expect(errorOf(await put({ primaryColor: '#000000' }, free, owner).expect(403))).toMatchObject({
      code: 'FEATURE_DISABLED',
      details: { feature: 'custom_branding' },
    });
    // Branding kept from a richer plan is not shown on a plan without it.
    await t.data.query('insert into branding (tenant_id, primary_color) values ($1, $2)', [free.id, '#ff0000']);
    expect((await branding(free)).primaryColor).toBe('#4f46e5');
    const member = (await signIn(t, await t.data.aMember(acme, 'member'))).accessToken;
    expect(errorOf(await put({ primaryColor: '#000000' }, acme, member).expect(403)).code).toBe('FORBIDDEN');
    expect(
      errorOf(await t.http.put('/api/branding').set(on(acme)).send({ primaryColor: '#000000' }).expect(401)).code,
    ).toBe('UNAUTHENTICATED');
  });
});

import { getQueueToken } from '@nestjs/bullmq';
import { MaintenanceService } from '@tenantry/api-maintenance';
import type { MaintenanceStatus, MaintenanceWindow } from '@tenantry/contracts';
import type { Queue } from 'bullmq';
import type { TestMember, TestTenant } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { errorOf } from './support/error-body.js';

let t: TestApp;
let operator: string;
let root: { email: string; password: string };
let tenant: TestTenant;
let member: TestMember;
let memberToken: string;
beforeAll(async () => {
  t = await startTestApp();
  root = await t.data.aSuperAdmin();
  operator = (await t.http.post('/api/auth/login').send({ email: root.email, password: root.password }).expect(200))
    .body.accessToken as string;
  tenant = await t.data.aTenant();
  member = await t.data.aMember(tenant, 'member');
  memberToken = (await signIn(t, member)).accessToken;
});
afterAll(() => t.close());

const platform = () => ({
  put: (path: string) => t.http.put(`/api/platform${path}`).set('Authorization', `Bearer ${operator}`),
  post: (path: string) => t.http.post(`/api/platform${path}`).set('Authorization', `Bearer ${operator}`),
  get: (path: string) => t.http.get(`/api/platform${path}`).set('Authorization', `Bearer ${operator}`),
  delete: (path: string) => t.http.delete(`/api/platform${path}`).set('Authorization', `Bearer ${operator}`),
});
const contacts = () =>
  t.http.get('/api/contacts').set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${memberToken}`);
const status = async () => (await t.http.get('/api/maintenance').expect(200)).body as MaintenanceStatus;
const utc = (iso: string) => new Date(`${iso}Z`);

describe('maintenance mode', () => {
  it('answers 503 MAINTENANCE with Retry-After to everyone but super admins, health and status, and refuses new sign-ins', async () => {
    const endsAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const { since } = (await t.data.query<{ since: Date }>('select clock_timestamp() as since')).rows[0];
    expect(
      errorOf(
        await t.http
          .put('/api/platform/maintenance')
          .set('Authorization', `Bearer ${memberToken}`)
          .send({ active: true })
          .expect(403),
      ).code,
    ).toBe('FORBIDDEN');
    await contacts().expect(200);
    const on = (
      await platform()
        .put('/maintenance')
        .send({ active: true, message: 'Upgrading the database.', endsAt })
        .expect(200)
    ).body as MaintenanceStatus;
    expect(on).toMatchObject({ active: true, source: 'manual', message: 'Upgrading the database.', endsAt });

    const refused = await contacts().expect(503);
    expect(errorOf(refused)).toMatchObject({
      code: 'MAINTENANCE',
      details: { message: 'Upgrading the database.', endsAt },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(590);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
    await t.http.get('/api/billing/plans').expect(503); // public routes too
    expect(errorOf(await t.http.get('/api/contacts').expect(503)).code).toBe('MAINTENANCE'); // and signed-out callers
    expect(errorOf(await t.http.post('/api/auth/signup').send({}).expect(503)).code).toBe('MAINTENANCE');
    await t.http.get('/api/health').expect(200);
    expect(await status()).toMatchObject({ active: true, message: 'Upgrading the database.' });
    await t.http.get('/api/branding').set('Host', `${tenant.slug}.localhost`).expect(200); // the maintenance page is branded
    expect(
      errorOf(
        await t.http
          .post('/api/auth/login')
          .set('Host', `${tenant.slug}.localhost`)
          .send({ email: member.email, password: member.password })
          .expect(503),
      ).code,
    ).toBe('MAINTENANCE');
    // Operators keep working, and can sign in.
    await platform().get('/tenants').expect(200);
    await t.http.post('/api/auth/login').send({ email: root.email, password: root.password }).expect(200);

    await platform().put('/maintenance').send({ active: false }).expect(200);
    await contacts().expect(200);
    const { rows } = await t.data.query<{ action: string }>(
      `select action from platform_audit_events where subject_type = 'maintenance' and created_at >= $1 order by created_at`,
      [since],
    );
    expect(rows.map((r) => r.action)).toEqual(['maintenance.started', 'maintenance.ended']);
  });

  it('ends by itself at its announced end', async () => {
    const maintenance = t.app.get(MaintenanceService);
    const endsAt = new Date(Date.now() + 60_000);
    await platform().put('/maintenance').send({ active: true, endsAt: endsAt.toISOString() }).expect(200);
    await contacts().expect(503);
    maintenance.clock = () => new Date(endsAt.getTime() + 1);
    try {
      await contacts().expect(200);
      expect((await status()).active).toBe(false);
    } finally {
      maintenance.clock = () => new Date();
      await platform().put('/maintenance').send({ active: false }).expect(200);
    }
  });

  it('runs weekly windows in their time zone, from start to end (fake clock), scheduled as BullMQ jobs', async () => {
    const maintenance = t.app.get(MaintenanceService);
    const queue = t.app.get<Queue>(getQueueToken('maintenance'));
    const window = (
      await platform()
        .post('/maintenance/windows')
        .send({
          dayOfWeek: 0,
          startTime: '02:00',
          durationMinutes: 240,
          timeZone: 'Europe/Berlin',
          message: 'Weekly upkeep.',
        })
        .expect(201)
    ).body as MaintenanceWindow;
    expect(window).toMatchObject({
      dayOfWeek: 0,
      startTime: '02:00',
      durationMinutes: 240,
      timeZone: 'Europe/Berlin',
      message: 'Weekly upkeep.',
    });
    const schedulers = (await queue.getJobSchedulers()).filter((s) => s.key.startsWith(`window:${window.id}`));
    expect(schedulers.map((s) => [s.key.split(':').pop(), s.pattern, s.tz]).sort()).toEqual([
      ['end', '0 6 * * 0', 'Europe/Berlin'],
      ['reminder', '0 2 * * 6', 'Europe/Berlin'],
      ['start', '0 2 * * 0', 'Europe/Berlin'],
    ]);

    try {
      // Sunday 3 January 2027, 02:00–06:00 in Berlin = 01:00–05:00 UTC.
      maintenance.clock = () => utc('2027-01-03T00:59:59');
      await contacts().expect(200);
      expect((await status()).upcoming).toEqual([
        { startsAt: '2027-01-03T01:00:00.000Z', endsAt: '2027-01-03T05:00:00.000Z', message: 'Weekly upkeep.' },
      ]);
      maintenance.clock = () => utc('2027-01-03T01:00:00');
      const refused = await contacts().expect(503);
      expect(errorOf(refused)).toMatchObject({
        code: 'MAINTENANCE',
        details: { message: 'Weekly upkeep.', endsAt: '2027-01-03T05:00:00.000Z' },
      });
      expect(refused.headers['retry-after']).toBe('14400');
      expect(await status()).toMatchObject({ active: true, source: 'window' });
      maintenance.clock = () => utc('2027-01-03T04:59:59');
      await contacts().expect(503);
      maintenance.clock = () => utc('2027-01-03T05:00:00');
      await contacts().expect(200);
    } finally {
      maintenance.clock = () => new Date();
    }

    await platform().delete(`/maintenance/windows/${window.id}`).expect(204);
    expect((await queue.getJobSchedulers()).filter((s) => s.key.startsWith(`window:${window.id}`))).toEqual([]);
    expect((await status()).upcoming).toEqual([]);
    expect(errorOf(await platform().delete(`/maintenance/windows/${window.id}`).expect(404)).code).toBe(
      'MAINTENANCE_WINDOW_NOT_FOUND',
    );
  });

  it('mails every owner and admin a day before a window, once per address', async () => {
    const window = (
      await platform()
        .post('/maintenance/windows')
        .send({ dayOfWeek: 3, startTime: '22:30', durationMinutes: 60, timeZone: 'UTC', message: 'Network work.' })
        .expect(201)
    ).body as MaintenanceWindow;
    const owner = await t.data.aMember(tenant, 'owner');
    const other = await t.data.aTenant();
    const otherAdmin = await t.data.aMember(other, 'admin');
    // What the window's reminder scheduler runs a day before.
    await t.app.get<Queue>(getQueueToken('maintenance')).add('reminder', { windowId: window.id });
    const mail = await t.mailbox.waitFor(owner.email, /Scheduled maintenance/);
    expect(mail.text).toMatch(/from .+ 22:30:00 GMT to .+ 23:30:00 GMT/);
    expect(mail.text).toContain('Network work.');
    await t.mailbox.waitFor(otherAdmin.email, /Scheduled maintenance/);
    expect(t.mailbox.to(member.email).filter((m) => /Scheduled maintenance/.test(m.subject))).toEqual([]); // members are not mailed
    expect(t.mailbox.to(owner.email).filter((m) => /Scheduled maintenance/.test(m.subject))).toHaveLength(1);
    await platform().delete(`/maintenance/windows/${window.id}`).expect(204);
  });

  it('refuses malformed windows', async () => {
    for (const bad of [
      { dayOfWeek: 7, startTime: '02:00', durationMinutes: 60, timeZone: 'UTC' },
      { dayOfWeek: 0, startTime: '24:00', durationMinutes: 60, timeZone: 'UTC' },
      { dayOfWeek: 0, startTime: '02:00', durationMinutes: 0, timeZone: 'UTC' },
      { dayOfWeek: 0, startTime: '02:00', durationMinutes: 60, timeZone: 'Mars/Olympus_Mons' },
    ]) {
      expect(errorOf(await platform().post('/maintenance/windows').send(bad).expect(400)).code).toBe(
        'VALIDATION_FAILED',
      );
    }
    expect(
      errorOf(await platform().put('/maintenance').send({ active: true, endsAt: 'tomorrow' }).expect(400)).code,
    ).toBe('VALIDATION_FAILED');
  });
});

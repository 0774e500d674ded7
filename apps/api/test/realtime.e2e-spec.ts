import type { AddressInfo } from 'node:net';
import { AccessTokenService } from '@tenantry/api-auth';
import type { Server } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import type { AuthTokenResponse } from '@tenantry/contracts';
import type { TestMember } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { until } from '@tenantry/testing/until';

let t: TestApp;
let second: TestApp;
const sockets: Socket[] = [];
const portOf = (app: TestApp) => ((app.app.getHttpServer() as Server).address() as AddressInfo).port;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  second = await startTestApp({ sameDataAs: t });
  await second.app.listen(0, '127.0.0.1');
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await second.close();
  await t.close();
});

/** A socket of the app on `app`, with what it heard. */
async function listen(
  token: string | undefined,
  app = t,
): Promise<{ socket: Socket; heard: [string, unknown][]; closed: Promise<string> }> {
  const socket = io(`http://127.0.0.1:${portOf(app)}`, {
    path: '/api/realtime',
    transports: ['websocket'],
    auth: token ? { token } : {},
    reconnection: false,
  });
  sockets.push(socket);
  const heard: [string, unknown][] = [];
  socket.onAny((event: string, data: unknown) => heard.push([event, data]));
  const closed = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return { socket, heard, closed };
}

const tokenOf = async (member: TestMember) => (await signIn(t, member)).accessToken;

/** Waits (at most 10 s) until `heard` holds `event`. */
async function hears(heard: [string, unknown][], event: [string, unknown]): Promise<void> {
  await until(
    `${JSON.stringify(event)} heard`,
    async () => heard,
    (all) => all.some((h) => JSON.stringify(h) === JSON.stringify(event)),
    10_000,
  ).catch(() => undefined); // the assertion below says what was heard instead
  expect(heard).toContainEqual(event);
}

describe('realtime', () => {
  it("tells a tenant's open apps about its changes, on every instance, and nothing to another tenant", async () => {
    const acme = await t.data.aTenant();
    const globex = await t.data.aTenant();
    const alice = await t.data.aMember(acme, 'member');
    const bob = await t.data.aMember(acme, 'viewer');
    const gina = await t.data.aMember(globex, 'owner');
    const aliceHears = await listen(await tokenOf(alice));
    const bobHears = await listen(await tokenOf(bob), second); // the other instance
    const ginaHears = await listen(await tokenOf(gina));

    const created = await t.http
      .post('/api/contacts')
      .set('Host', `${acme.slug}.localhost`)
      .set('Authorization', `Bearer ${await tokenOf(alice)}`)
      .send({ name: 'Realtime contact' })
      .expect(201);
    const event: [string, unknown] = ['contacts.changed', { id: created.body.id, change: 'created' }];
    await hears(aliceHears.heard, event);
    await hears(bobHears.heard, event);
    // Globex's socket had as long as both of Acme's and heard nothing of it.
    expect(ginaHears.heard.filter(([name]) => name === 'contacts.changed')).toEqual([]);
  });

  it('refuses a socket without a valid token', async () => {
    await expect(listen(undefined)).rejects.toThrow('UNAUTHENTICATED');
    await expect(listen('not-a-token')).rejects.toThrow('UNAUTHENTICATED');
  });

  it('closes a socket when its token expires', async () => {
    const tenant = await t.data.aTenant();
    const member = await t.data.aMember(tenant, 'member');
    const [session] = (
      await t.data.query<{ id: string }>(
        "insert into sessions (user_id, expires_at) values ($1, now() + interval '1 day') returning id",
        [member.userId],
      )
    ).rows;
    const short = await t.app
      .get(AccessTokenService)
      .sign({ sub: member.userId, sid: session.id, tid: tenant.id, role: 'member' }, 2);
    const { closed } = await listen(short);
    const started = Date.now();
    expect(await closed).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('closes the sockets of a revoked session at once, on every instance, not when the token expires', async () => {
    const tenant = await t.data.aTenant();
    const member = await t.data.aMember(tenant, 'member');
    const token = await tokenOf(member);
    const onSecond = await listen(token, second);
    await t.http
      .post('/api/auth/logout-all')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${token}`)
      .expect(204);
    expect(await onSecond.closed).toBe('io server disconnect');
  });

  it("closes an operator's socket when the support session ends, by the operator or by an owner", async () => {
    const tenant = await t.data.aTenant();
    const member = await t.data.aMember(tenant, 'member');
    const owner = await tokenOf(await t.data.aMember(tenant, 'owner'));
    const operator = await t.data.aSuperAdmin();
    const platform = (
      await t.http.post('/api/auth/login').send({ email: operator.email, password: operator.password }).expect(200)
    ).body as AuthTokenResponse;
    const impersonate = async () =>
      (
        await t.http
          .post('/api/platform/impersonations')
          .set('Authorization', `Bearer ${platform.accessToken}`)
          .send({ tenantId: tenant.id, userId: member.userId, reason: 'Ticket #77: a realtime check' })
          .expect(201)
      ).body as AuthTokenResponse;
    const byOperator = await impersonate();
    const first = await listen(byOperator.accessToken, second);
    await t.http
      .post('/api/impersonations/end')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${byOperator.accessToken}`)
      .expect(204);
    expect(await first.closed).toBe('io server disconnect');
    const byOwner = await impersonate();
    const again = await listen(byOwner.accessToken, second);
    await t.http
      .post(`/api/impersonations/${byOwner.impersonation!.id}/end`)
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${owner}`)
      .expect(200);
    expect(await again.closed).toBe('io server disconnect');
  });

  it("closes a removed member's socket of that tenant, and leaves their other tenant's open", async () => {
    const acme = await t.data.aTenant();
    const globex = await t.data.aTenant();
    const admin = await t.data.aMember(acme, 'admin');
    const both = await t.data.aMember(acme, 'member');
    const bothAtGlobex = await t.data.aMember(globex, 'member', { email: both.email });
    const atAcme = await listen(await tokenOf(both));
    const atGlobex = await listen(await tokenOf(bothAtGlobex));
    const adminHears = await listen(await tokenOf(admin));
    const [membership] = (
      await t.data.query<{ id: string }>('select id from memberships where tenant_id = $1 and user_id = $2', [
        acme.id,
        both.userId,
      ])
    ).rows;
    await t.http
      .delete(`/api/members/${membership.id}`)
      .set('Host', `${acme.slug}.localhost`)
      .set('Authorization', `Bearer ${await tokenOf(admin)}`)
      .expect(204);
    expect(await atAcme.closed).toBe('io server disconnect');
    await hears(adminHears.heard, ['members.changed', { userId: both.userId, change: 'removed' }]);
    expect(atGlobex.socket.connected).toBe(true);
  });
});

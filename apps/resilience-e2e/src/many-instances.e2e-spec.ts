import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { type ApiProcess, apiEnvironment, startApi } from '@tenantry/testing/api-process';
import { TestData } from '@tenantry/testing/factories';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { clientAt, signIn } from './client.js';

let db: TestDatabase;
let data: TestData;
let a: ApiProcess;
let b: ApiProcess;
let proxy: Server;
let proxyOrigin: string;
/** Which instance served each request through the proxy, in order. */
const served: number[] = [];

/** The balancer in front: each request to the next instance in turn. */
async function roundRobin(ports: number[]): Promise<Server> {
  let next = 0;
  const server = createServer((req, res) => {
    const port = ports[next++ % ports.length];
    served.push(port);
    const upstream = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  const env = apiEnvironment(db);
  [a, b] = await Promise.all([startApi(env), startApi(env)]);
  proxy = await roundRobin([a.port, b.port]);
  proxyOrigin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  proxy.close();
  await Promise.all([a.stop(), b.stop()]);
  await data.close();
  await db.drop();
});

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('tenantry_refresh='))!
    .split(';')[0];
const post = (origin: string, path: string, headers: Record<string, string>) =>
  fetch(`${origin}${path}`, { method: 'POST', headers });

test('a session started on one instance works on the other, and ends on both', async () => {
  const tenant = await data.aTenant();
  const member = await data.aMember(tenant, 'member');
  const login = await fetch(`${a.origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Tenant': tenant.slug },
    body: JSON.stringify({ email: member.email, password: member.password }),
  });
  expect(login.status).toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  expect((await clientAt(b.origin, accessToken).call('GET', '/api/auth/me')).body).toMatchObject({
    user: { email: member.email },
  });

  // The refresh cookie from A rotates on B; B's logout ends the session for A too.
  const refreshed = await post(b.origin, '/api/auth/refresh', { Cookie: cookieOf(login), 'X-Tenant': tenant.slug });
  expect(refreshed.status).toBe(200);
  const rotated = cookieOf(refreshed);
  const newToken = ((await refreshed.json()) as { accessToken: string }).accessToken;
  expect((await post(b.origin, '/api/auth/logout', { Cookie: rotated, 'X-Tenant': tenant.slug })).status).toBe(204);
  expect((await clientAt(a.origin, newToken).call('GET', '/api/auth/me')).status).toBe(401);
  expect((await clientAt(a.origin, accessToken).call('GET', '/api/auth/me')).status).toBe(401);
  expect((await post(a.origin, '/api/auth/refresh', { Cookie: rotated, 'X-Tenant': tenant.slug })).status).toBe(401);
});

test('the per-tenant rate limit is one budget across instances', async () => {
  const tenant = await data.aTenant({ plan: 'free' }); // 60 requests a minute
  const member = await signIn(a.origin, await data.aMember(tenant, 'member')); // the login is one of them
  const client = member.at(proxyOrigin);
  served.length = 0;
  const statuses: number[] = [];
  for (let i = 0; i < 80; i++) statuses.push((await client.call('GET', '/api/contacts?limit=1')).status);
  expect(new Set(served)).toEqual(new Set([a.port, b.port]));
  // 59 answered (with the login: 60), then refused on both instances alike; two budgets would have let all 80 through.
  expect(statuses).toEqual([...Array(59).fill(200), ...Array(21).fill(429)]);
});

test('a feature switched on one instance is on at the other at once, not when its cache expires (60 s)', async () => {
  const tenant = await data.aTenant({ plan: 'free' });
  const member = await signIn(b.origin, await data.aMember(tenant, 'member'));
  const onB = member.at(b.origin);
  const sso = async () => (await onB.call('GET', '/api/features')).body.sso as { enabled: boolean; source: string };
  expect(await sso()).toMatchObject({ enabled: false, source: 'default' }); // cached on B now

  const root = await data.aSuperAdmin();
  const operator = await fetch(`${a.origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: root.email, password: root.password }),
  });
  const onA = clientAt(a.origin, ((await operator.json()) as { accessToken: string }).accessToken);
  expect((await onA.call('PUT', `/api/platform/tenants/${tenant.id}/features/sso`, { enabled: true })).status).toBe(
    200,
  );

  // Pub/sub reaches B within milliseconds; allow 2 s for a loaded machine, far below the cache's minute.
  const until = Date.now() + 2_000;
  let seen = await sso();
  while (!seen.enabled && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    seen = await sso();
  }
  expect(seen).toMatchObject({ enabled: true, source: 'override' });
});

test('scheduled jobs are scheduled once, however many instances run', async () => {
  const queue = new Queue('licensing', { connection: { host: '127.0.0.1', port: 6379 }, prefix: `${db.name}:bull` });
  try {
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(['license-expiry', 'limit-watch', 'usage-flush']);
    // Each scheduler has exactly one next run waiting, not one per instance.
    const waiting = await queue.getJobs(['delayed', 'wait', 'prioritized']);
    expect(waiting.map((j) => j.name).sort()).toEqual(['license-expiry', 'limit-watch', 'usage-flush']);
  } finally {
    await queue.close();
  }
});

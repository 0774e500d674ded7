import type { ErrorBody, Releases } from '@tenantry/contracts';
import { signIn, signInOperator } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let blue: TestApp;
let operator: string;
beforeAll(async () => {
  blue = await startTestApp({ env: { RELEASE_VERSION: 'v1.4.0' } });
  operator = await signInOperator(blue);
});
afterAll(() => blue.close());

const releases = async () =>
  (await blue.http.get('/api/platform/releases').set('Authorization', `Bearer ${operator}`).expect(200))
    .body as Releases;

describe('releases', () => {
  it('lists the versions running side by side during a blue-green deploy, and the old one as stopped once it is shut down', async () => {
    expect((await releases()).running.map((i) => i.version)).toEqual(['v1.4.0']);

    const green = await startTestApp({ sameDataAs: blue, env: { RELEASE_VERSION: 'v1.5.0' } });
    const both = await releases();
    expect(both.running.map((i) => [i.version, i.pid])).toEqual([
      ['v1.4.0', process.pid],
      ['v1.5.0', process.pid],
    ]);
    expect(both.versions.map((v) => [v.version, v.running])).toEqual([
      ['v1.5.0', 1],
      ['v1.4.0', 1],
    ]);

    await green.close();
    const after = await releases();
    expect(after.running.map((i) => i.version)).toEqual(['v1.4.0']);
    const stopped = after.recent.find((i) => i.version === 'v1.5.0')!;
    expect(stopped).toMatchObject({ running: false });
    expect(Date.parse(stopped.stoppedAt!)).toBeGreaterThan(Date.parse(stopped.startedAt));
    expect(after.versions.map((v) => [v.version, v.instances, v.running])).toEqual([
      ['v1.5.0', 1, 0],
      ['v1.4.0', 1, 1],
    ]);
  });

  it('counts an instance whose heartbeat stopped (killed) as not running', async () => {
    await blue.data.query(
      `insert into api_instances (id, version, hostname, pid, started_at, last_seen_at) values (gen_random_uuid(), 'v1.3.9', 'old-host', 4242, now() - interval '2 hours', now() - interval '5 minutes')`,
    );
    const list = await releases();
    expect(list.running.map((i) => i.version)).not.toContain('v1.3.9');
    expect(list.recent.find((i) => i.version === 'v1.3.9')).toMatchObject({
      running: false,
      stoppedAt: null,
      hostname: 'old-host',
    });
  });

  it('is for super admins only', async () => {
    const tenant = await blue.data.aTenant();
    const owner = await blue.data.aMember(tenant, 'owner');
    const token = (await signIn(blue, owner)).accessToken;
    const res = await blue.http
      .get('/api/platform/releases')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${token}`)
      .expect(403);
    expect((res.body as ErrorBody).error.code).toBe('FORBIDDEN');
  });
});

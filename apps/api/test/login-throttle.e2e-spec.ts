import { jest } from '@jest/globals';
import argon2 from 'argon2';
import type { TestTenant } from '@tenantry/testing/factories';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

let t: TestApp;
let tenant: TestTenant;
beforeAll(async () => {
  // Addresses come from X-Forwarded-For as one trusted proxy appends them, so one test can speak from many.
  t = await startTestApp({ env: { TRUST_PROXY: '1', LOGIN_MAX_FAILURES_PER_IP: '20' } });
  tenant = await t.data.aTenant();
});
afterAll(() => t.close());

let nextAddress = 1;
const freshAddress = () => `10.${(nextAddress >> 8) & 255}.${nextAddress++ & 255}.9`;
const login = (email: string, password: string, ip = freshAddress()) =>
  t.http
    .post('/api/auth/login')
    .set('Host', `${tenant.slug}.localhost`)
    .set('X-Forwarded-For', ip)
    .send({ email, password });

describe('login throttling', () => {
  it('answers the 11th bad login in a minute with 429 and Retry-After, and refuses even the right password then', async () => {
    const member = await t.data.aMember(tenant, 'member');
    for (let i = 0; i < 10; i++)
      expect(codeOf(await login(member.email, `wrong guess ${i}`).expect(401))).toBe('INVALID_CREDENTIALS');
    const locked = await login(member.email, 'wrong guess 11').expect(429);
    expect(codeOf(locked)).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(50);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(codeOf(await login(member.email, member.password).expect(429))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('stops 1,000 guesses from 100 addresses against one account after the first 10', async () => {
    const member = await t.data.aMember(tenant, 'member');
    const addresses = Array.from({ length: 100 }, freshAddress);
    const statuses: number[] = [];
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(addresses.map((ip, i) => login(member.email, `guess ${round}-${i}`, ip)));
      statuses.push(...answers.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(990);
    await login(member.email, member.password).expect(429);
  });

  it('limits failures per address across accounts', async () => {
    const ip = freshAddress();
    for (let i = 0; i < 20; i++) await login(`nobody-${i}@nowhere.test`, 'a wrong password', ip).expect(401);
    expect(codeOf(await login('someone-else@nowhere.test', 'a wrong password', ip).expect(429))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
    const member = await t.data.aMember(tenant, 'member');
    await login(member.email, member.password, ip).expect(429);
    await login(member.email, member.password).expect(200); // from another address
  });

  it('counts an IPv6 client by its /64: changing the rest of the address does not buy more tries', async () => {
    const prefix = `2001:db8:${(nextAddress++).toString(16)}:1`;
    for (let i = 0; i < 20; i++)
      await login(`nobody-${i}@nowhere.test`, 'a wrong password', `${prefix}::${(i + 1).toString(16)}`).expect(401);
    expect(codeOf(await login('someone-else@nowhere.test', 'a wrong password', `${prefix}:ffff::99`).expect(429))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
    await login(
      'someone-else@nowhere.test',
      'a wrong password',
      `2001:db8:${(nextAddress++).toString(16)}:2::1`,
    ).expect(401); // another /64
  });

  it('counts the address the proxy saw, whatever the client wrote before it in X-Forwarded-For', async () => {
    const ip = freshAddress();
    const forged = (i: number) => `${i}.${i}.${i}.${i}, ${ip}`; // the client's own entry, then the one the proxy appends
    for (let i = 0; i < 20; i++) await login(`nobody-${i}@nowhere.test`, 'a wrong password', forged(i + 1)).expect(401);
    expect(codeOf(await login('someone-else@nowhere.test', 'a wrong password', forged(99)).expect(429))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
  });

  it("clears an account's failures on a successful login", async () => {
    const member = await t.data.aMember(tenant, 'member');
    for (let i = 0; i < 9; i++) await login(member.email, `wrong guess ${i}`).expect(401);
    await login(member.email, member.password).expect(200);
    for (let i = 0; i < 9; i++) await login(member.email, `wrong again ${i}`).expect(401);
    await login(member.email, member.password).expect(200);
  });

  it('audits failed logins in the tenant, without saying why they failed', async () => {
    const member = await t.data.aMember(tenant, 'viewer');
    await login(member.email, 'not the password').expect(401);
    const { rows } = await t.data.query<{ actor_label: string; metadata: object }>(
      `select actor_label, metadata from audit_events where tenant_id = $1 and action = 'auth.login_failed' and actor_label = $2`,
      [tenant.id, member.email],
    );
    expect(rows).toEqual([{ actor_label: member.email, metadata: {} }]);
  });
});

describe('login timing', () => {
  // What an attacker times is the password hash: an unknown address must cost one argon2 check like a
  // wrong password does. Counted, not timed: a stopwatch in a test measures the machine's load as well.
  it('checks a password hash for an unknown email as for a wrong password (the answers take as long)', async () => {
    const member = await t.data.aMember(tenant, 'member');
    const verify = jest.spyOn(argon2, 'verify');
    try {
      await login(member.email, 'a wrong password').expect(401);
      await login('unknown@nowhere.test', 'a wrong password').expect(401);
      expect(verify).toHaveBeenCalledTimes(2);
      const [wrongPassword, unknownEmail] = verify.mock.calls.map(([hash]) => hash);
      expect(unknownEmail).not.toBe(wrongPassword);
      // The decoy is a real argon2id hash with today's parameters, so checking it costs what an account's does.
      expect(String(unknownEmail)).toMatch(/^\$argon2id\$/);
      expect(argon2.needsRehash(unknownEmail, { memoryCost: 19_456, timeCost: 2, parallelism: 1 })).toBe(false);
      expect(String(unknownEmail).slice(0, 30)).toBe(String(wrongPassword).slice(0, 30));
    } finally {
      verify.mockRestore();
    }
  });
});

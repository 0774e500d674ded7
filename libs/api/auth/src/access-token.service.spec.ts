import { jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';
import { AccessTokenService } from './access-token.service.js';

const auth = {
  jwtSecret: 'spec-secret-spec-secret-spec-secret-32',
  issuer: 'tenantry',
  audience: 'tenantry-api',
  ttlSeconds: 900,
};
const service = () => new AccessTokenService({ get: () => auth } as unknown as ConfigService<AppConfig, true>);
const claims = { sub: 'user-1', sid: 'session-1', tid: 'tenant-1', role: 'member' as const };

describe('AccessTokenService', () => {
  afterEach(() => jest.useRealTimers());

  it('verifies its own tokens, the same token again from memory, and hands out claims nobody can change', async () => {
    const tokens = service();
    const token = await tokens.sign(claims);
    const first = await tokens.verify(token);
    expect(first).toMatchObject(claims);
    expect(await tokens.verify(token)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('refuses a remembered token once it has expired', async () => {
    jest.useFakeTimers({
      now: Date.parse('2026-12-04T10:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    const tokens = service();
    const token = await tokens.sign(claims, 60);
    expect(await tokens.verify(token)).not.toBeNull();
    jest.setSystemTime(Date.parse('2026-12-04T10:00:59Z'));
    expect(await tokens.verify(token)).not.toBeNull();
    jest.setSystemTime(Date.parse('2026-12-04T10:01:00Z'));
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses a tampered copy of a remembered token, and a token of another key', async () => {
    const tokens = service();
    const token = await tokens.sign(claims);
    expect(await tokens.verify(token)).not.toBeNull();
    const [header, payload, signature] = token.split('.');
    const raised = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'owner' }),
    ).toString('base64url');
    expect(await tokens.verify(`${header}.${raised}.${signature}`)).toBeNull();
    const other = new AccessTokenService({
      get: () => ({ ...auth, jwtSecret: 'another-secret-another-secret-another' }),
    } as unknown as ConfigService<AppConfig, true>);
    expect(await tokens.verify(await other.sign(claims))).toBeNull();
  });
});

import { Inject, Injectable } from '@nestjs/common';
import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import { AppError, REDIS } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Redis } from 'ioredis';

/** Redis down: 503, never a sign-in that skipped its request or replay check (nor one blamed on the IdP). */
async function available<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch {
    throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
  }
}

/** How long a sign-in may take at the identity provider. */
export const REQUEST_TTL_MS = 10 * 60 * 1000;

const returnToKey = (connectionId: string, requestId: string) => `sso:return-to:${connectionId}:${requestId}`;

/**
 * What SSO sign-ins keep between requests, in Redis so every API instance
 * sees it: the AuthnRequest IDs we issued (node-saml's cache provider, checked
 * against InResponseTo), where each sign-in returns to (kept here, never sent
 * through the browser), and the assertion IDs already used (replay).
 */
@Injectable()
export class SsoRequestStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** node-saml's request cache for one connection: a response only matches requests made for that connection. A request saved through it returns to `returnTo`. */
  requests(connectionId: string, returnTo = '/'): CacheProvider {
    const key = (id: string) => `sso:request:${connectionId}:${id}`;
    const redis = this.redis;
    return {
      async saveAsync(id: string, value: string): Promise<CacheItem | null> {
        if (!(await available(() => redis.set(key(id), value, 'PX', REQUEST_TTL_MS, 'NX')))) return null;
        await available(() => redis.set(returnToKey(connectionId, id), returnTo, 'PX', REQUEST_TTL_MS));
        return { value, createdAt: Date.now() };
      },
      getAsync: (id: string) => available(() => redis.get(key(id))),
      async removeAsync(id: string | null): Promise<string | null> {
        if (!id) return null;
        const removed = await available(() => redis.del(key(id)));
        return removed ? id : null;
      },
    };
  }

  /** Where the sign-in of request `requestId` returns to (null: no such request, or it expired). */
  returnTo(connectionId: string, requestId: string): Promise<string | null> {
    return available(() => this.redis.get(returnToKey(connectionId, requestId)));
  }

  /** True the first time an assertion is used; kept until it expires, so a replay (on any instance) is false. */
  async firstUse(connectionId: string, assertionId: string, expiresAt: Date): Promise<boolean> {
    const ttl = Math.max(1000, expiresAt.getTime() - Date.now());
    return (
      (await available(() => this.redis.set(`sso:assertion:${connectionId}:${assertionId}`, '1', 'PX', ttl, 'NX'))) ===
      'OK'
    );
  }
}

import { randomUUID, webcrypto } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type AppConfig, ExpiringCache } from '@tenantry/api-core';
import { jwtVerify, SignJWT } from 'jose';
import type { AccessTokenClaims } from './auth-user.js';

/** The explicit type of our access tokens (RFC 9068): no other token of ours carries it. */
const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The longest an impersonation (and so its access token) lasts. */
export const IMPERSONATION_MAX_SECONDS = 60 * 60;

export interface VerifiedAccessToken extends AccessTokenClaims {
  iat: number;
  exp: number;
}

/**
 * Signs and verifies access tokens: HS256 only (so `none` and algorithm
 * switching are refused), issuer, audience and `typ` checked. The key is
 * always ours: `kid`, `jku` and `x5u` headers are never consulted.
 */
@Injectable()
export class AccessTokenService {
  // A WebCrypto key, imported once: jose would otherwise convert a KeyObject on every call.
  private readonly key: Promise<webcrypto.CryptoKey>;
  private readonly issuer: string;
  private readonly audience: string;
  readonly ttlSeconds: number;
  /** No token of ours lives longer (impersonations may outlast a sign-in's token): revocations are kept this long. */
  readonly maxTtlSeconds: number;
  /**
   * Tokens already verified, until they expire: a client sends the same token with every call for
   * its lifetime, and the HMAC check (asynchronous WebCrypto) was ~7 % of a small request's CPU.
   * Only valid tokens are kept, by their exact text (signature included). Revocation is checked per
   * call elsewhere (TokenRevocations), so a remembered token is never an ended session's pass.
   */
  private readonly verified = new ExpiringCache<VerifiedAccessToken>(10_000);

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const auth = config.get('auth', { infer: true });
    this.key = webcrypto.subtle.importKey('raw', Buffer.from(auth.jwtSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    this.issuer = auth.issuer;
    this.audience = auth.audience;
    this.ttlSeconds = auth.ttlSeconds;
    this.maxTtlSeconds = Math.max(auth.ttlSeconds, IMPERSONATION_MAX_SECONDS);
  }

  /** A token for `claims`, valid `ttlSeconds` (the configured lifetime unless another is asked, never over `maxTtlSeconds`). */
  async sign(claims: AccessTokenClaims, ttlSeconds = this.ttlSeconds): Promise<string> {
    // A longer token would outlive its revocation.
    if (ttlSeconds > this.maxTtlSeconds) throw new Error(`access tokens live at most ${this.maxTtlSeconds} s`);
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(await this.key);
  }

  /** The token's claims, or null for any token that is not a valid, unexpired access token of ours. */
  async verify(token: string): Promise<VerifiedAccessToken | null> {
    const known = this.verified.get(token);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: ['HS256'],
        issuer: this.issuer,
        audience: this.audience,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['sub', 'sid', 'jti', 'iat', 'exp'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      // Shared by every call that sends this token: nobody may change it.
      const claims = Object.freeze(payload) as unknown as VerifiedAccessToken;
      this.verified.set(token, claims, claims.exp * 1000);
      return claims;
    } catch {
      return null;
    }
  }
}

import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type AppConfig, ExpiringCache } from '@tenantry/api-core';
import { SignJWT } from 'jose';
import type { Jwt, VerifyOptions } from 'jsonwebtoken';
import { Strategy as JwtPassportStrategy } from 'passport-jwt';
import type { AccessTokenClaims } from './auth-user.js';

/** The explicit type of our access tokens (RFC 9068): no other token of ours carries it. */
const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The longest an impersonation (and so its access token) lasts. */
export const IMPERSONATION_MAX_SECONDS = 60 * 60;

export interface VerifiedAccessToken extends AccessTokenClaims {
  iat: number;
  exp: number;
}

type JwtVerifier = (
  token: string,
  key: KeyObject,
  options: VerifyOptions & { complete: true },
  done: (error: Error | null, decoded?: Jwt) => void,
) => void;
/** passport-jwt's own verifier (jsonwebtoken): the one signature check, for requests (JwtStrategy) and sockets alike. */
const verifyJwt = (JwtPassportStrategy as unknown as { JwtVerifier: JwtVerifier }).JwtVerifier;

/**
 * Signs access tokens and defines which ones are valid: HS256 only (so `none`
 * and algorithm switching are refused), issuer, audience, expiry and `typ`
 * checked. The key is always ours: `kid`, `jku` and `x5u` headers are never
 * consulted. JwtStrategy verifies requests' tokens with this key and these
 * options; `verify` does the same for a token without a request (sockets).
 */
@Injectable()
export class AccessTokenService {
  /** A KeyObject, made once: the verifier would otherwise convert the secret on every call. */
  readonly key: KeyObject;
  /** What passport-jwt checks (the header's `typ` and our claims are checked by `accept`). */
  readonly verifyOptions: VerifyOptions & { complete: true };
  private readonly issuer: string;
  private readonly audience: string;
  readonly ttlSeconds: number;
  /** No token of ours lives longer (impersonations may outlast a sign-in's token): revocations are kept this long. */
  readonly maxTtlSeconds: number;
  /**
   * Tokens already verified, until they expire: a client sends the same token with every call for
   * its lifetime, and the HMAC check is a noticeable part of a small request's CPU.
   * Only valid tokens are kept, by their exact text (signature included). Revocation is checked per
   * call elsewhere (TokenRevocations), so a remembered token is never an ended session's pass.
   */
  private readonly verified = new ExpiringCache<VerifiedAccessToken>(10_000);

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const auth = config.get('auth', { infer: true });
    this.key = createSecretKey(Buffer.from(auth.jwtSecret));
    this.issuer = auth.issuer;
    this.audience = auth.audience;
    // complete: the header comes along, so its `typ` can be checked.
    this.verifyOptions = {
      algorithms: ['HS256'],
      issuer: auth.issuer,
      audience: auth.audience,
      ignoreExpiration: false,
      complete: true,
    };
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
      .sign(this.key);
  }

  /** The token's claims, or null for any token that is not a valid, unexpired access token of ours. */
  verify(token: string): Promise<VerifiedAccessToken | null> {
    const known = this.remembered(token);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) =>
      verifyJwt(token, this.key, this.verifyOptions, (error, decoded) =>
        resolve(error || !decoded ? null : this.accept(token, decoded)),
      ),
    );
  }

  /** The claims of a token verified before and not yet expired. */
  remembered(token: string): VerifiedAccessToken | undefined {
    return this.verified.get(token);
  }

  /**
   * The claims of a token whose signature, issuer, audience and expiry were just verified (with `key` and
   * `verifyOptions`), when it is an access token (`typ`, required claims); remembered until it expires.
   */
  accept(token: string, { header, payload }: Jwt): VerifiedAccessToken | null {
    if (header.typ !== ACCESS_TOKEN_TYPE || typeof payload !== 'object') return null;
    const { sub, sid, jti, iat, exp } = payload as Record<string, unknown>;
    if (
      typeof sub !== 'string' ||
      typeof sid !== 'string' ||
      typeof jti !== 'string' ||
      typeof iat !== 'number' ||
      typeof exp !== 'number'
    )
      return null;
    // Shared by every call that sends this token: nobody may change it.
    const claims = Object.freeze(payload) as unknown as VerifiedAccessToken;
    this.verified.set(token, claims, exp * 1000);
    return claims;
  }
}

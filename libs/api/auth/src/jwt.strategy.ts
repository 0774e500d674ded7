import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { AppError, type AuthUser, RequestContext } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Request } from 'express';
import type { Jwt } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { AccessTokenService, type VerifiedAccessToken } from './access-token.service.js';
import { AppPassport } from './app-passport.js';
import { TokenRevocations } from './token-revocations.js';

/** The bearer token of a request (API keys are taken by ApiKeyStrategy before this one runs). */
const bearerOf = (req: Request): string | null => {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : null;
};

/**
 * `jwt`: a person's access token (passport-jwt, with the key and checks of
 * AccessTokenService), unrevoked, of the tenant the request resolved to.
 * A token verified before is answered from AccessTokenService's memory; new
 * ones are verified by passport-jwt.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    appPassport: AppPassport,
    private readonly tokens: AccessTokenService,
    private readonly revocations: TokenRevocations,
  ) {
    const { algorithms, issuer, audience } = tokens.verifyOptions;
    super({
      jwtFromRequest: bearerOf,
      secretOrKey: tokens.key as unknown as Buffer, // a KeyObject: jsonwebtoken takes it as is
      jsonWebTokenOptions: tokens.verifyOptions,
      // Also here: passport-jwt overwrites these three in jsonWebTokenOptions with its own, even unset ones.
      algorithms,
      issuer: issuer as string,
      audience: audience as string,
      passReqToCallback: true,
    });
    appPassport.use('jwt', this);
  }

  override authenticate(req: Request, options?: object): void {
    const token = bearerOf(req);
    const known = token ? this.tokens.remembered(token) : undefined;
    // The same token again: its signature was checked when it was first seen.
    if (!known) return super.authenticate(req, options);
    this.admit(known).then(
      (user) => (user ? this.success(user) : this.fail(401)),
      (error: Error) => this.error(error),
    );
  }

  /** A token passport-jwt just verified (signature, issuer, audience, expiry): it must also be an access token. */
  async validate(req: Request, decoded: Jwt): Promise<AuthUser | null> {
    const claims = this.tokens.accept(bearerOf(req)!, decoded);
    return claims ? this.admit(claims) : null;
  }

  /** The person of a verified token, unless the token was revoked (null) or belongs to another tenant (TENANT_MISMATCH). */
  private async admit(token: VerifiedAccessToken): Promise<AuthUser | null> {
    if (!(await this.revocations.isCurrent(token))) return null;
    const state = RequestContext.current();
    if ((state?.tenant?.id ?? null) !== (token.tid ?? null)) throw new AppError(ErrorCode.TENANT_MISMATCH);
    if (state) {
      state.userId = token.sub;
      state.impersonatorId = token.act?.sub;
      state.platformActor = token.plat === 'super_admin' && !token.tid;
    }
    return {
      userId: token.sub,
      sessionId: token.sid,
      tenantId: token.tid ?? null,
      role: token.role ?? null,
      platformRole: token.plat ?? 'none',
      impersonatorId: token.act?.sub,
    };
  }
}

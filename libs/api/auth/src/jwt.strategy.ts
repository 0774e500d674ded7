import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import type { AppConfig } from '@tenantry/api-core';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AccessTokenClaims, AuthUser } from './auth-user.js';

/** Verifies bearer access tokens: HS256 only, issuer and audience checked. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const auth = config.get('auth', { infer: true });
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, made once: given a string, jsonwebtoken first tries to parse it
      // as a public key on every verification, and that failed parse cost a fifth of the request CPU.
      secretOrKey: createSecretKey(Buffer.from(auth.jwtSecret)) as unknown as string,
      algorithms: ['HS256'],
      issuer: auth.issuer,
      audience: auth.audience,
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): AuthUser {
    return {
      userId: claims.sub,
      tenantId: claims.tid ?? null,
      role: claims.role ?? null,
      platformRole: claims.plat ?? 'none',
    };
  }
}

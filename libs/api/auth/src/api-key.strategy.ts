import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ApiKeysService } from '@tenantry/api-api-keys';
import {
  apiKeyOf,
  AppError,
  type ApiKeyCaller,
  type AuthenticatedRequest,
  RequestContext,
  tenantOfApiKey,
} from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Request } from 'express';
import passport from 'passport';
import { AppPassport } from './app-passport.js';

type VerifyApiKey = (req: Request, key: string, done: (error: unknown, caller?: ApiKeyCaller | null) => void) => void;

/** Hands a request's API key (`X-API-Key`, or `Authorization: Bearer tk_…`) to `verify`; without one it fails, for the next strategy. */
class ApiKeyHeaderStrategy extends passport.Strategy {
  constructor(private readonly verify: VerifyApiKey) {
    super();
  }

  override authenticate(req: Request): void {
    const key = apiKeyOf(req.headers);
    if (!key) return this.fail(401);
    this.verify(req, key, (error, caller) =>
      error ? this.error(error as Error) : caller ? this.success(caller) : this.fail(401),
    );
  }
}

/**
 * `api-key`: a live API key of the tenant the request resolved to (the
 * resolver took the tenant from the key unless the address named another
 * one). A request that carries a key is decided here: a bad key is refused,
 * never passed on to the next strategy.
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(ApiKeyHeaderStrategy, 'api-key') {
  constructor(
    appPassport: AppPassport,
    private readonly apiKeys: ApiKeysService,
  ) {
    super();
    appPassport.use('api-key', this);
  }

  async validate(req: Request & AuthenticatedRequest, key: string): Promise<ApiKeyCaller> {
    const state = RequestContext.current();
    if (tenantOfApiKey(key) !== (state?.tenant?.id ?? null)) throw new AppError(ErrorCode.TENANT_MISMATCH);
    const caller = await this.apiKeys.authenticate(key);
    if (!caller) throw new AppError(ErrorCode.API_KEY_INVALID);
    req.apiKey = caller;
    if (state) state.actorLabel = `API key ${caller.name} (${caller.prefix})`;
    return caller;
  }
}

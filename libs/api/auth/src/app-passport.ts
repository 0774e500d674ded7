import { type ExecutionContext, Inject, Injectable, mixin, type Type } from '@nestjs/common';
import { AuthGuard, type IAuthGuard } from '@nestjs/passport';
import { AppError } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Request, Response } from 'express';
import passport from 'passport';

/**
 * This app's Passport: the strategies its guards run. A strategy registers
 * here (`appPassport.use(name, this)` in its constructor) besides the
 * process-wide `passport` (where PassportStrategy puts it). Guards look
 * strategies up here only: with two apps in one process (a test boots a
 * replica next to the first), the process-wide registry would hand one app's
 * requests to the other app's strategies and connections.
 */
@Injectable()
export class AppPassport extends passport.Authenticator {}

/**
 * @nestjs/passport's AuthGuard over this app's Passport, sessions off: the
 * strategies' result goes to `req[property]`. A strategy's failure answers
 * 401 UNAUTHENTICATED with our error body; an error it raises (an AppError
 * such as TENANT_MISMATCH or a 503 when Redis is down) answers as itself.
 */
export function AppAuthGuard(strategies: string | string[], property = 'user'): Type<IAuthGuard> {
  class StrategiesGuard extends AuthGuard(strategies) {
    @Inject(AppPassport) private readonly appPassport!: AppPassport;

    override async canActivate(context: ExecutionContext): Promise<boolean> {
      const req = this.getRequest(context) as Request & Record<string, unknown>;
      const res = context.switchToHttp().getResponse<Response>();
      req[property] = await new Promise((resolve, reject) => {
        const decide = (error: unknown, result: unknown, info?: unknown, status?: unknown) => {
          try {
            resolve(this.handleRequest(error, result, info, context, status));
          } catch (refusal) {
            reject(refusal as Error);
          }
        };
        // A strategy that passes without deciding (next()) authenticated nobody: refused, never let through.
        this.appPassport.authenticate(strategies, { session: false }, decide)(req, res, (error?: unknown) =>
          decide(error, false),
        );
      });
      return true;
    }

    // AuthGuard's signature: subclasses may read the rest.
    override handleRequest<T>(
      error: unknown,
      result: unknown,
      _info?: unknown,
      _context?: ExecutionContext,
      _status?: unknown,
    ): T {
      if (error) throw error;
      if (!result) throw new AppError(ErrorCode.UNAUTHENTICATED);
      return result as T;
    }
  }
  return mixin(StrategiesGuard);
}

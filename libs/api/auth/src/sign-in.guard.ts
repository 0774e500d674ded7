import { createParamDecorator, type ExecutionContext, type Type } from '@nestjs/common';
import type { IAuthGuard } from '@nestjs/passport';
import { AppAuthGuard } from './app-passport.js';

/**
 * Who a sign-in method proved someone to be: what its Passport strategy's
 * `validate` returns (after matching the provider's subject to an account).
 * AuthService.signInVerified turns it into a session.
 */
export interface VerifiedIdentity {
  userId: string;
  /** The sign-in method, for the audit log (e.g. `oidc`, `google`). */
  method: string;
}

const IDENTITY = 'verifiedIdentity';

/**
 * Runs a sign-in method's strategy on its own (@Public) routes: its failure
 * answers 401 UNAUTHENTICATED; its VerifiedIdentity is read with @Identity().
 */
export const SignInGuard = (strategy: string): Type<IAuthGuard> => AppAuthGuard(strategy, IDENTITY);

/** The VerifiedIdentity that SignInGuard's strategy returned. */
export const Identity = createParamDecorator(
  (_: unknown, context: ExecutionContext): VerifiedIdentity =>
    context.switchToHttp().getRequest<Record<string, VerifiedIdentity>>()[IDENTITY],
);

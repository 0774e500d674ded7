import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type AuditEntry, AuditService } from '@tenantry/api-audit';
import type { AuthenticatedRequest } from '@tenantry/api-core';
import type { Request } from 'express';
import { catchError, concatMap, type Observable } from 'rxjs';

/**
 * Every request made while impersonating is on the tenant's audit record,
 * naming both the super admin (actor) and the user (target): in the request's
 * transaction when it succeeds, on its own when it fails.
 */
@Injectable()
export class ImpersonationAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const user = req.user;
    if (!user?.impersonatorId || !user.tenantId) return next.handle();
    const entry = (outcome: string): AuditEntry => ({
      action: 'impersonation.request',
      actor: { userId: user.impersonatorId!, label: null },
      target: { type: 'user', id: user.userId },
      metadata: { method: req.method, path: req.path, outcome, impersonation: user.sessionId },
    });
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        // Ending the impersonation is recorded as such (impersonation.ended).
        if (!req.path.endsWith('/impersonations/end')) await this.audit.record(entry('ok'));
        return value;
      }),
      catchError(async (error: unknown) => {
        await this.audit.recordFailure(entry((error as { code?: string }).code ?? 'error'));
        throw error;
      }),
    );
  }
}

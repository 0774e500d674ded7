import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { RequestContext } from '@tenantry/api-core';
import { catchError, concatMap, type Observable } from 'rxjs';
import { TenantDb } from './tenant-db.js';

/**
 * Commits the request's tenant transaction once the handler succeeded (before
 * the response is written, when it wrote anything) and rolls it back when
 * anything failed, so nothing half-written stays behind.
 */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(private readonly db: TenantDb) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const state = RequestContext.current();
    if (!state) return next.handle();
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        await this.db.commitForAnswer(state);
        return value;
      }),
      catchError(async (error: unknown) => {
        await this.db.finish(state, 'rollback');
        throw error;
      }),
    );
  }
}

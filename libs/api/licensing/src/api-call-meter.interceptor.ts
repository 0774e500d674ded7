import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type AuthenticatedRequest, RequestContext } from '@tenantry/api-core';
import { from, type Observable, switchMap } from 'rxjs';
import { UsageMeter } from './usage-meter.js';

/** Counts each API-key request as an `api_calls` unit of its tenant (people using the app are not metered), refusing past the plan's monthly allowance. */
@Injectable()
export class ApiCallMeterInterceptor implements NestInterceptor {
  constructor(private readonly usage: UsageMeter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const metered = !!RequestContext.current()?.tenant && !!context.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
    return metered ? from(this.usage.count('api_calls')).pipe(switchMap(() => next.handle())) : next.handle();
  }
}

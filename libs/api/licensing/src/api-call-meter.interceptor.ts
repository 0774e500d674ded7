import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { UsageMeter } from './usage-meter.js';

/** An API-key call that passed every guard keeps the `api_calls` unit counted with its rate window (TenantRateLimitGuard). */
@Injectable()
export class ApiCallMeterInterceptor implements NestInterceptor {
  constructor(private readonly usage: UsageMeter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.usage.handled(context.switchToHttp().getRequest<object>());
    return next.handle();
  }
}

import { Injectable } from '@nestjs/common';

/**
 * The seat check, asked before an invitation is sent and before a membership
 * is created (the one place each happens). Tenantry's licensing module
 * replaces this class; until then every tenant has unlimited seats.
 * To replace it: provide `{ provide: SeatPolicy, useClass: YourPolicy }` in AuthModule.
 */
@Injectable()
export class SeatPolicy {
  /** Throws an AppError (e.g. SEAT_LIMIT_REACHED) when the tenant has no seat left for one more member. */
  async assertSeatAvailable(_tenantId: string): Promise<void> {}
}

import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';
import type { EntityManager } from 'typeorm';

const RECORD_ONCE =
  'insert into processed_webhook_events (event_id, type) values ($1, $2) on conflict do nothing returning event_id';

// An upsert, not an update: it waits for the delivery's own insert if that has not committed yet (the job can start first).
const MARK_PROCESSED =
  'insert into processed_webhook_events (event_id, type, processed_at) values ($1, $2, now()) on conflict (event_id) do update set processed_at = now()';

/** The processed_webhook_events table (global): each Stripe event once, and when its job was done. */
@Injectable()
export class ProcessedWebhookEventsRepository {
  constructor(private readonly db: TenantDb) {}

  /** Records a delivered event in the caller's transaction `m`; false when it was recorded before. */
  async recordOnce(m: EntityManager, eventId: string, type: string): Promise<boolean> {
    const fresh: unknown[] = await m.query(RECORD_ONCE, [eventId, type]);
    return fresh.length > 0;
  }

  async markProcessed(eventId: string, type: string): Promise<void> {
    await this.db.globalTransaction((m) => m.query(MARK_PROCESSED, [eventId, type]));
  }
}

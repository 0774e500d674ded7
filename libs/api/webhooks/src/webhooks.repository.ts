import { Injectable } from '@nestjs/common';
import { type PlatformDatabase, TenantDb } from '@tenantry/api-tenancy';
import type { WebhookDelivery, WebhookEndpoint, WebhookEvent } from '@tenantry/contracts';

interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEvent[];
  enabled: boolean;
  secret_sealed: string;
  secret_hint: string;
  created_at: Date;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event: WebhookDelivery['event'];
  payload: Record<string, unknown>;
  status: WebhookDelivery['status'];
  attempts: number;
  response_status: number | null;
  error: string | null;
  duration_ms: number | null;
  created_at: Date;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  cursor_key?: string;
}

/** An endpoint with its sealed secret (for signing); never in an answer as such. */
export type SealedEndpoint = WebhookEndpoint & { secretSealed: string };

/** A delivery to attempt: what it carries, and where it goes now. */
export type DeliveryTarget = WebhookDelivery & { url: string; enabled: boolean; secretSealed: string };

/** How one attempt of a delivery ended. */
export interface DeliveryOutcome {
  status: WebhookDelivery['status'];
  error: string | null;
  responseStatus: number | null;
  durationMs: number | null;
  nextAttemptAt: Date | null;
}

const toEndpoint = (r: EndpointRow): SealedEndpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: r.events,
  enabled: r.enabled,
  secretHint: r.secret_hint,
  createdAt: r.created_at.toISOString(),
  secretSealed: r.secret_sealed,
});

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  event: r.event,
  status: r.status,
  attempts: r.attempts,
  responseStatus: r.response_status,
  error: r.error,
  durationMs: r.duration_ms,
  createdAt: r.created_at.toISOString(),
  lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
  nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
  payload: r.payload,
});

/**
 * The webhook_endpoints and webhook_deliveries tables, in the request's (or
 * job's) tenant transaction; the sweeps across tenants run on each database's
 * platform path.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: TenantDb) {}

  async endpoints(): Promise<SealedEndpoint[]> {
    const rows: EndpointRow[] = await (
      await this.db.manager()
    ).query('select * from webhook_endpoints order by created_at, id');
    return rows.map(toEndpoint);
  }

  async endpoint(id: string): Promise<SealedEndpoint | null> {
    const [row]: EndpointRow[] = await (
      await this.db.manager()
    ).query('select * from webhook_endpoints where id = $1', [id]);
    return row ? toEndpoint(row) : null;
  }

  async countEndpoints(): Promise<number> {
    const [{ n }]: { n: number }[] = await (
      await this.db.manager()
    ).query('select count(*)::int as n from webhook_endpoints');
    return n;
  }

  async insertEndpoint(endpoint: {
    url: string;
    description: string | null;
    events: WebhookEvent[];
    secretSealed: string;
    secretHint: string;
    createdBy: string | null;
  }): Promise<SealedEndpoint> {
    const [row]: EndpointRow[] = await (
      await this.db.manager()
    ).query(
      'insert into webhook_endpoints (url, description, events, secret_sealed, secret_hint, created_by) values ($1, $2, $3, $4, $5, $6) returning *',
      [
        endpoint.url,
        endpoint.description,
        endpoint.events,
        endpoint.secretSealed,
        endpoint.secretHint,
        endpoint.createdBy,
      ],
    );
    return toEndpoint(row);
  }

  async updateEndpoint(
    id: string,
    fields: Pick<WebhookEndpoint, 'url' | 'events' | 'description' | 'enabled'>,
  ): Promise<SealedEndpoint> {
    // An UPDATE answers [rows, count].
    const [[row]]: [EndpointRow[], number] = await (
      await this.db.manager()
    ).query(
      'update webhook_endpoints set url = $2, events = $3, description = $4, enabled = $5 where id = $1 returning *',
      [id, fields.url, fields.events, fields.description, fields.enabled],
    );
    return toEndpoint(row);
  }

  async setSecret(id: string, secretSealed: string, secretHint: string): Promise<SealedEndpoint> {
    const [[row]]: [EndpointRow[], number] = await (
      await this.db.manager()
    ).query('update webhook_endpoints set secret_sealed = $2, secret_hint = $3 where id = $1 returning *', [
      id,
      secretSealed,
      secretHint,
    ]);
    return toEndpoint(row);
  }

  async deleteEndpoint(id: string): Promise<void> {
    await (await this.db.manager()).query('delete from webhook_endpoints where id = $1', [id]);
  }

  /** Ids of the enabled endpoints subscribed to `event`. */
  async subscribed(event: WebhookEvent): Promise<string[]> {
    const rows: { id: string }[] = await (
      await this.db.manager()
    ).query('select id from webhook_endpoints where enabled and $1 = any(events)', [event]);
    return rows.map((r) => r.id);
  }

  /** An endpoint's deliveries, newest first, after the keyset position `after` (time key and id); one more than `limit` when another page follows. */
  async deliveries(
    endpointId: string,
    after: { key: string; id: string } | null,
    limit: number,
  ): Promise<(WebhookDelivery & { cursorKey: string })[]> {
    const params: unknown[] = [endpointId];
    const position = after
      ? `and (created_at, id) < ($${params.push(after.key)}::timestamptz, $${params.push(after.id)}::uuid)`
      : '';
    const rows: DeliveryRow[] = await (
      await this.db.manager()
    ).query(
      `select *, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_key from webhook_deliveries
        where endpoint_id = $1 ${position} order by created_at desc, id desc limit $${params.push(limit + 1)}`,
      params,
    );
    return rows.map((r) => ({ ...toDelivery(r), cursorKey: r.cursor_key! }));
  }

  async delivery(id: string): Promise<WebhookDelivery | null> {
    const [row]: DeliveryRow[] = await (
      await this.db.manager()
    ).query('select * from webhook_deliveries where id = $1', [id]);
    return row ? toDelivery(row) : null;
  }

  /** One event's deliveries, one per endpoint, due now; their ids. */
  async insertDeliveries(
    endpointIds: string[],
    event: { id: string; type: WebhookDelivery['event']; payload: Record<string, unknown> },
  ): Promise<string[]> {
    const rows: { id: string }[] = await (
      await this.db.manager()
    ).query(
      `insert into webhook_deliveries (endpoint_id, event_id, event, payload, next_attempt_at) select unnest($1::uuid[]), $2, $3, $4, now() returning id`,
      [endpointIds, event.id, event.type, event.payload],
    );
    return rows.map((r) => r.id);
  }

  async insertDelivery(
    endpointId: string,
    event: { id: string; type: WebhookDelivery['event']; payload: Record<string, unknown> },
  ): Promise<WebhookDelivery> {
    const [row]: DeliveryRow[] = await (
      await this.db.manager()
    ).query(
      'insert into webhook_deliveries (endpoint_id, event_id, event, payload, next_attempt_at) values ($1, $2, $3, $4, now()) returning *',
      [endpointId, event.id, event.type, event.payload],
    );
    return toDelivery(row);
  }

  /** A delivery with its endpoint's address, state and sealed secret; null once removed with its endpoint. */
  async target(deliveryId: string): Promise<DeliveryTarget | null> {
    const [row]: (DeliveryRow & { url: string; enabled: boolean; secret_sealed: string })[] = await (
      await this.db.manager()
    ).query(
      `select d.*, e.url, e.enabled, e.secret_sealed from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where d.id = $1`,
      [deliveryId],
    );
    return row ? { ...toDelivery(row), url: row.url, enabled: row.enabled, secretSealed: row.secret_sealed } : null;
  }

  /** Records one attempt of a delivery and how it ended. */
  async settle(id: string, outcome: DeliveryOutcome): Promise<void> {
    await (
      await this.db.manager()
    ).query(
      `update webhook_deliveries set status = $2, error = $3, response_status = $4, duration_ms = $5, next_attempt_at = $6, attempts = attempts + 1, last_attempt_at = now() where id = $1`,
      [id, outcome.status, outcome.error, outcome.responseStatus, outcome.durationMs, outcome.nextAttemptAt],
    );
  }

  /** On one database's platform path: deliveries recorded a minute ago or more and never attempted (at most 1,000). */
  stranded(platform: PlatformDatabase): Promise<{ tenant_id: string; id: string }[]> {
    return platform.query<{ tenant_id: string; id: string }>(
      `select tenant_id, id from webhook_deliveries where status = 'pending' and attempts = 0 and created_at < now() - interval '1 minute' limit 1000`,
    );
  }

  /** On one database's platform path: drops deliveries older than `days`; how many. */
  async prune(platform: PlatformDatabase, days: number): Promise<number> {
    const [, count] = (await platform.query(
      `delete from webhook_deliveries where created_at < now() - make_interval(days => $1)`,
      [days],
    )) as unknown as [unknown, number];
    return count;
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '@tenantry/api-audit';
import {
  type AppConfig,
  AppError,
  assertQueueReachable,
  decodeTimeCursor,
  encodeCursor,
  RequestContext,
  SecretBox,
} from '@tenantry/api-core';
import { TenancyService, TenantDataSources, TenantDb } from '@tenantry/api-tenancy';
import {
  ErrorCode,
  type Page,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEvent,
} from '@tenantry/contracts';
import type { Queue } from 'bullmq';
import { type AddressPolicy, checkUrlShape, ForbiddenTarget, resolvePublic } from './address-guard.js';
import type { CreateWebhookEndpointDto, ListDeliveriesQuery, UpdateWebhookEndpointDto } from './dto/webhook.dto.js';
import { signatureHeaders } from './signature.js';
import { sendWebhook } from './webhook-sender.js';

export const WEBHOOKS_QUEUE = 'webhooks';
/** 12 attempts, each delay double the one before: with the default 45 s base, the last retry is about a day after the event. */
export const DELIVERY_ATTEMPTS = 12;
const MAX_ENDPOINTS = 20;
const LOG_DAYS = 30;

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

const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: r.events,
  enabled: r.enabled,
  secretHint: r.secret_hint,
  createdAt: r.created_at.toISOString(),
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
 * Outbound webhooks: tenant admins register endpoints; an event of the
 * tenant becomes one delivery row per subscribed endpoint in the same
 * transaction as the change (no event for a change that rolled back), queued
 * once it commits; a job POSTs it signed (HMAC-SHA256 over timestamp and
 * body) and retries with exponential backoff for about a day. Targets must be
 * public https addresses, checked again at every attempt and every redirect,
 * connected to at the very address that was checked (no DNS rebinding).
 */
@Injectable()
export class WebhooksService {
  private readonly box: SecretBox;
  private readonly options: AppConfig['webhooks'];
  private readonly policy: AddressPolicy;

  constructor(
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly audit: AuditService,
    private readonly sources: TenantDataSources,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.box = new SecretBox(config.get('auth', { infer: true }).jwtSecret, 'tenantry webhook secrets');
    this.options = config.get('webhooks', { infer: true });
    this.policy = {
      allowedAddresses: this.options.allowedAddresses,
      dnsServers: config.get('dns', { infer: true }).servers,
    };
  }

  async list(): Promise<WebhookEndpoint[]> {
    const rows: EndpointRow[] = await (
      await this.db.manager()
    ).query('select * from webhook_endpoints order by created_at, id');
    return rows.map(toEndpoint);
  }

  /** A new endpoint; its secret is in this answer only. */
  async create(dto: CreateWebhookEndpointDto): Promise<WebhookEndpoint> {
    await this.assertTarget(dto.url);
    const m = await this.db.manager();
    const [{ n }] = await m.query('select count(*)::int as n from webhook_endpoints');
    if (n >= MAX_ENDPOINTS) throw new AppError(ErrorCode.WEBHOOK_ENDPOINT_LIMIT, { limit: MAX_ENDPOINTS });
    const secret = newSecret();
    const [row]: EndpointRow[] = await m.query(
      'insert into webhook_endpoints (url, description, events, secret_sealed, secret_hint, created_by) values ($1, $2, $3, $4, $5, $6) returning *',
      [
        dto.url,
        dto.description ?? null,
        dto.events,
        this.box.seal(secret),
        hintOf(secret),
        RequestContext.current()?.userId ?? null,
      ],
    );
    await this.audit.record({
      action: 'webhook.endpoint_created',
      target: { type: 'webhook_endpoint', id: row.id, label: dto.url },
      metadata: { events: dto.events },
    });
    return { ...toEndpoint(row), secret };
  }

  async update(id: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpoint> {
    const before = await this.endpoint(id);
    if (dto.url !== undefined) await this.assertTarget(dto.url);
    // An UPDATE answers [rows, count].
    const [[row]]: [EndpointRow[], number] = await (
      await this.db.manager()
    ).query(
      'update webhook_endpoints set url = $2, events = $3, description = $4, enabled = $5 where id = $1 returning *',
      [
        id,
        dto.url ?? before.url,
        dto.events ?? before.events,
        dto.description ?? before.description,
        dto.enabled ?? before.enabled,
      ],
    );
    await this.audit.record({
      action: 'webhook.endpoint_updated',
      target: { type: 'webhook_endpoint', id, label: row.url },
      metadata: { ...dto },
    });
    return toEndpoint(row);
  }

  async remove(id: string): Promise<void> {
    const endpoint = await this.endpoint(id);
    await (await this.db.manager()).query('delete from webhook_endpoints where id = $1', [id]);
    await this.audit.record({
      action: 'webhook.endpoint_deleted',
      target: { type: 'webhook_endpoint', id, label: endpoint.url },
    });
  }

  /** A new secret (the old one stops signing at once); in this answer only. */
  async rotateSecret(id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoint(id);
    const secret = newSecret();
    const [[row]]: [EndpointRow[], number] = await (
      await this.db.manager()
    ).query('update webhook_endpoints set secret_sealed = $2, secret_hint = $3 where id = $1 returning *', [
      id,
      this.box.seal(secret),
      hintOf(secret),
    ]);
    await this.audit.record({
      action: 'webhook.secret_rotated',
      target: { type: 'webhook_endpoint', id, label: endpoint.url },
    });
    return { ...toEndpoint(row), secret };
  }

  /** The endpoint's delivery log, newest first. */
  async deliveries(endpointId: string, query: ListDeliveriesQuery): Promise<Page<WebhookDelivery>> {
    await this.endpoint(endpointId);
    const params: unknown[] = [endpointId];
    let after = '';
    if (query.cursor) {
      const position = decodeTimeCursor(`deliveries:${endpointId}`, query.cursor);
      after = `and (created_at, id) < ($${params.push(position.key)}::timestamptz, $${params.push(position.id)}::uuid)`;
    }
    const rows: DeliveryRow[] = await (
      await this.db.manager()
    ).query(
      `select *, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_key from webhook_deliveries
        where endpoint_id = $1 ${after} order by created_at desc, id desc limit $${params.push(query.limit + 1)}`,
      params,
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map(toDelivery),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor(`deliveries:${endpointId}`, { key: last.cursor_key!, id: last.id })
          : null,
    };
  }

  /** Sends a delivery's event again, as a new delivery (the log keeps both). */
  async resend(deliveryId: string): Promise<WebhookDelivery> {
    const [old]: DeliveryRow[] = await (
      await this.db.manager()
    ).query('select * from webhook_deliveries where id = $1', [deliveryId]);
    if (!old) throw new AppError(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND);
    return this.enqueue(old.endpoint_id, old.event_id, old.event, old.payload);
  }

  /** A `webhook.ping` to one endpoint, to try it out. */
  async ping(endpointId: string): Promise<WebhookDelivery> {
    await this.endpoint(endpointId);
    const eventId = randomUUID();
    return this.enqueue(
      endpointId,
      eventId,
      'webhook.ping',
      this.envelope(eventId, 'webhook.ping', { message: 'Hello from Tenantry' }),
    );
  }

  /**
   * Records an event of the request's tenant for every enabled endpoint that
   * subscribed to it — in the request's transaction, so only a committed
   * change is announced — and queues the deliveries once it commits.
   */
  async emit(event: WebhookEvent, data: Record<string, unknown>): Promise<void> {
    const m = await this.db.manager();
    const endpoints: { id: string }[] = await m.query(
      'select id from webhook_endpoints where enabled and $1 = any(events)',
      [event],
    );
    if (endpoints.length === 0) return;
    const eventId = randomUUID();
    const payload = this.envelope(eventId, event, data);
    const rows: { id: string }[] = await m.query(
      `insert into webhook_deliveries (endpoint_id, event_id, event, payload, next_attempt_at) select unnest($1::uuid[]), $2, $3, $4, now() returning id`,
      [endpoints.map((e) => e.id), eventId, event, payload],
    );
    const tenantId = this.db.tenantId;
    this.db.afterCommit(() =>
      this.queueJobs(
        tenantId,
        rows.map((r) => r.id),
      ),
    );
  }

  /**
   * One attempt of a delivery (the job). Throws when it failed and another attempt should follow.
   * `signal` (the instance shutting down) cancels the request: the attempt is recorded and retried.
   */
  async attempt(tenantId: string, deliveryId: string, attemptsMade: number, signal?: AbortSignal): Promise<void> {
    const tenant = await this.tenancy.find(tenantId);
    if (!tenant) return;
    const target = await this.db.withTenant(tenant, async () => {
      const [row]: (DeliveryRow & { url: string; enabled: boolean; secret_sealed: string })[] = await (
        await this.db.manager()
      ).query(
        `select d.*, e.url, e.enabled, e.secret_sealed from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where d.id = $1`,
        [deliveryId],
      );
      return row;
    });
    if (!target || target.status !== 'pending') return; // removed with its endpoint, or already settled
    if (!target.enabled) {
      await this.settle(tenant, deliveryId, {
        status: 'failed',
        error: 'the endpoint is disabled',
        responseStatus: null,
        durationMs: null,
        nextAttemptAt: null,
      });
      return;
    }
    const body = JSON.stringify(target.payload);
    const result = await sendWebhook(
      target.url,
      body,
      {
        'User-Agent': 'Tenantry-Webhooks/1',
        'Tenantry-Event': target.event,
        'Tenantry-Delivery': deliveryId,
        ...signatureHeaders(this.box.open(target.secret_sealed), deliveryId, new Date(), body),
      },
      { ...this.policy, allowHttp: this.options.allowHttp, timeoutMs: this.options.timeoutMs, signal },
    );
    const attempt = attemptsMade + 1;
    const last = attempt >= DELIVERY_ATTEMPTS;
    const nextAttemptAt =
      result.ok || last ? null : new Date(Date.now() + this.options.retryBaseMs * 2 ** (attempt - 1));
    await this.settle(tenant, deliveryId, {
      status: result.ok ? 'succeeded' : last ? 'failed' : 'pending',
      error: result.error,
      responseStatus: result.status,
      durationMs: result.durationMs,
      nextAttemptAt,
    });
    if (!result.ok && !last) throw new Error(`webhook delivery ${deliveryId}: ${result.error}`);
  }

  /**
   * Every minute, across tenants (the platform path): deliveries recorded but
   * never queued — Redis was away when they committed — are queued now
   * (idempotent: the job id is the delivery's).
   */
  async requeueStranded(): Promise<number> {
    let requeued = 0;
    for (const platform of await this.sources.platforms()) {
      const stranded = await platform.query<{ tenant_id: string; id: string }>(
        `select tenant_id, id from webhook_deliveries where status = 'pending' and attempts = 0 and created_at < now() - interval '1 minute' limit 1000`,
      );
      for (const tenantId of new Set(stranded.map((r) => r.tenant_id)))
        await this.queueJobs(
          tenantId,
          stranded.filter((r) => r.tenant_id === tenantId).map((r) => r.id),
        );
      requeued += stranded.length;
    }
    return requeued;
  }

  /** Daily: the delivery log keeps 30 days (on every database). */
  async pruneLog(): Promise<number> {
    let removed = 0;
    for (const platform of await this.sources.platforms()) {
      const [, count] = (await platform.query(
        `delete from webhook_deliveries where created_at < now() - interval '${LOG_DAYS} days'`,
      )) as unknown as [unknown, number];
      removed += count;
    }
    return removed;
  }

  private async enqueue(
    endpointId: string,
    eventId: string,
    event: WebhookDelivery['event'],
    payload: Record<string, unknown>,
  ): Promise<WebhookDelivery> {
    const [row]: DeliveryRow[] = await (
      await this.db.manager()
    ).query(
      'insert into webhook_deliveries (endpoint_id, event_id, event, payload, next_attempt_at) values ($1, $2, $3, $4, now()) returning *',
      [endpointId, eventId, event, payload],
    );
    const tenantId = this.db.tenantId;
    this.db.afterCommit(() => this.queueJobs(tenantId, [row.id]));
    return toDelivery(row);
  }

  private async queueJobs(tenantId: string, deliveryIds: string[]): Promise<void> {
    await assertQueueReachable(this.queue);
    await this.queue.addBulk(
      deliveryIds.map((deliveryId) => ({
        name: 'deliver',
        data: { tenantId, deliveryId },
        opts: {
          jobId: `delivery-${deliveryId}`,
          attempts: DELIVERY_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.options.retryBaseMs },
          removeOnComplete: 1000,
          removeOnFail: 1000,
        },
      })),
    );
  }

  private async settle(
    tenant: { id: string },
    id: string,
    outcome: {
      status: WebhookDelivery['status'];
      error: string | null;
      responseStatus: number | null;
      durationMs: number | null;
      nextAttemptAt: Date | null;
    },
  ): Promise<void> {
    await this.db.withTenant(tenant, async () =>
      (await this.db.manager()).query(
        `update webhook_deliveries set status = $2, error = $3, response_status = $4, duration_ms = $5, next_attempt_at = $6, attempts = attempts + 1, last_attempt_at = now() where id = $1`,
        [id, outcome.status, outcome.error, outcome.responseStatus, outcome.durationMs, outcome.nextAttemptAt],
      ),
    );
  }

  private envelope(id: string, type: string, data: Record<string, unknown>): Record<string, unknown> {
    return {
      id,
      type,
      createdAt: new Date().toISOString(),
      tenant: { id: this.db.tenantId, slug: RequestContext.current()?.tenant?.slug },
      data,
    };
  }

  private async endpoint(id: string): Promise<EndpointRow> {
    const [row]: EndpointRow[] = await (
      await this.db.manager()
    ).query('select * from webhook_endpoints where id = $1', [id]);
    if (!row) throw new AppError(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND);
    return row;
  }

  /** 422 WEBHOOK_URL_FORBIDDEN with the reason, for a URL no delivery could ever go to. */
  private async assertTarget(url: string): Promise<void> {
    try {
      const parsed = checkUrlShape(url, this.options.allowHttp);
      await resolvePublic(parsed.hostname, this.policy);
    } catch (error) {
      if (error instanceof ForbiddenTarget)
        throw new AppError(ErrorCode.WEBHOOK_URL_FORBIDDEN, { reason: error.message });
      throw error;
    }
  }
}

// Standard Webhooks' form: `whsec_` and 24 random bytes in standard base64.
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const hintOf = (secret: string) => `whsec_…${secret.slice(-4)}`;

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
import { type DeliveryOutcome, type SealedEndpoint, WebhooksRepository } from './webhooks.repository.js';

export const WEBHOOKS_QUEUE = 'webhooks';
/** 12 attempts, each delay double the one before: with the default 45 s base, the last retry is about a day after the event. */
export const DELIVERY_ATTEMPTS = 12;
const MAX_ENDPOINTS = 20;
const LOG_DAYS = 30;

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
    private readonly webhooks: WebhooksRepository,
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
    return (await this.webhooks.endpoints()).map(withoutSecret);
  }

  /** A new endpoint; its secret is in this answer only. */
  async create(dto: CreateWebhookEndpointDto): Promise<WebhookEndpoint> {
    await this.assertTarget(dto.url);
    if ((await this.webhooks.countEndpoints()) >= MAX_ENDPOINTS)
      throw new AppError(ErrorCode.WEBHOOK_ENDPOINT_LIMIT, { limit: MAX_ENDPOINTS });
    const secret = newSecret();
    const row = await this.webhooks.insertEndpoint({
      url: dto.url,
      description: dto.description ?? null,
      events: dto.events,
      secretSealed: this.box.seal(secret),
      secretHint: hintOf(secret),
      createdBy: RequestContext.current()?.userId ?? null,
    });
    await this.audit.record({
      action: 'webhook.endpoint_created',
      target: { type: 'webhook_endpoint', id: row.id, label: dto.url },
      metadata: { events: dto.events },
    });
    return { ...withoutSecret(row), secret };
  }

  async update(id: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpoint> {
    const before = await this.endpoint(id);
    if (dto.url !== undefined) await this.assertTarget(dto.url);
    const row = await this.webhooks.updateEndpoint(id, {
      url: dto.url ?? before.url,
      events: dto.events ?? before.events,
      description: dto.description ?? before.description,
      enabled: dto.enabled ?? before.enabled,
    });
    await this.audit.record({
      action: 'webhook.endpoint_updated',
      target: { type: 'webhook_endpoint', id, label: row.url },
      metadata: { ...dto },
    });
    return withoutSecret(row);
  }

  async remove(id: string): Promise<void> {
    const endpoint = await this.endpoint(id);
    await this.webhooks.deleteEndpoint(id);
    await this.audit.record({
      action: 'webhook.endpoint_deleted',
      target: { type: 'webhook_endpoint', id, label: endpoint.url },
    });
  }

  /** A new secret (the old one stops signing at once); in this answer only. */
  async rotateSecret(id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoint(id);
    const secret = newSecret();
    const row = await this.webhooks.setSecret(id, this.box.seal(secret), hintOf(secret));
    await this.audit.record({
      action: 'webhook.secret_rotated',
      target: { type: 'webhook_endpoint', id, label: endpoint.url },
    });
    return { ...withoutSecret(row), secret };
  }

  /** The endpoint's delivery log, newest first. */
  async deliveries(endpointId: string, query: ListDeliveriesQuery): Promise<Page<WebhookDelivery>> {
    await this.endpoint(endpointId);
    const cursor = `deliveries:${endpointId}`;
    const rows = await this.webhooks.deliveries(
      endpointId,
      query.cursor ? decodeTimeCursor(cursor, query.cursor) : null,
      query.limit,
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map(({ cursorKey: _, ...delivery }) => delivery),
      nextCursor: rows.length > query.limit && last ? encodeCursor(cursor, { key: last.cursorKey, id: last.id }) : null,
    };
  }

  /** Sends a delivery's event again, as a new delivery (the log keeps both). */
  async resend(deliveryId: string): Promise<WebhookDelivery> {
    const old = await this.webhooks.delivery(deliveryId);
    if (!old) throw new AppError(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND);
    return this.enqueue(old.endpointId, { id: old.eventId, type: old.event, payload: old.payload });
  }

  /** A `webhook.ping` to one endpoint, to try it out. */
  async ping(endpointId: string): Promise<WebhookDelivery> {
    await this.endpoint(endpointId);
    const eventId = randomUUID();
    return this.enqueue(endpointId, {
      id: eventId,
      type: 'webhook.ping',
      payload: this.envelope(eventId, 'webhook.ping', { message: 'Hello from Tenantry' }),
    });
  }

  /**
   * Records an event of the request's tenant for every enabled endpoint that
   * subscribed to it — in the request's transaction, so only a committed
   * change is announced — and queues the deliveries once it commits.
   */
  async emit(event: WebhookEvent, data: Record<string, unknown>): Promise<void> {
    const endpoints = await this.webhooks.subscribed(event);
    if (endpoints.length === 0) return;
    const eventId = randomUUID();
    const ids = await this.webhooks.insertDeliveries(endpoints, {
      id: eventId,
      type: event,
      payload: this.envelope(eventId, event, data),
    });
    const tenantId = this.db.tenantId;
    this.db.afterCommit(() => this.queueJobs(tenantId, ids));
  }

  /**
   * One attempt of a delivery (the job). Throws when it failed and another attempt should follow.
   * `signal` (the instance shutting down) cancels the request: the attempt is recorded and retried.
   */
  async attempt(tenantId: string, deliveryId: string, attemptsMade: number, signal?: AbortSignal): Promise<void> {
    const tenant = await this.tenancy.find(tenantId);
    if (!tenant) return;
    const target = await this.db.withTenant(tenant, () => this.webhooks.target(deliveryId));
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
        ...signatureHeaders(this.box.open(target.secretSealed), deliveryId, new Date(), body),
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
      const stranded = await this.webhooks.stranded(platform);
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
    for (const platform of await this.sources.platforms()) removed += await this.webhooks.prune(platform, LOG_DAYS);
    return removed;
  }

  private async enqueue(
    endpointId: string,
    event: { id: string; type: WebhookDelivery['event']; payload: Record<string, unknown> },
  ): Promise<WebhookDelivery> {
    const delivery = await this.webhooks.insertDelivery(endpointId, event);
    const tenantId = this.db.tenantId;
    this.db.afterCommit(() => this.queueJobs(tenantId, [delivery.id]));
    return delivery;
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

  private async settle(tenant: { id: string }, id: string, outcome: DeliveryOutcome): Promise<void> {
    await this.db.withTenant(tenant, () => this.webhooks.settle(id, outcome));
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

  private async endpoint(id: string): Promise<SealedEndpoint> {
    const found = await this.webhooks.endpoint(id);
    if (!found) throw new AppError(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND);
    return found;
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

const withoutSecret = ({ secretSealed: _, ...endpoint }: SealedEndpoint): WebhookEndpoint => endpoint;

// Standard Webhooks' form: `whsec_` and 24 random bytes in standard base64.
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const hintOf = (secret: string) => `whsec_…${secret.slice(-4)}`;

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import {
  type ApiKeyCaller,
  AppError,
  type AuthUser,
  ChangeBus,
  ExpiringCache,
  hashToken as hash,
  newApiKey,
  REDIS,
  RequestContext,
} from '@tenantry/api-core';
import type { Redis } from 'ioredis';
import { TenantDb } from '@tenantry/api-tenancy';
import { type ApiKeyInfo, can, type CreatedApiKey, ErrorCode } from '@tenantry/contracts';
import { toApiKeyInfo } from './dto/api-key.mapper.js';
import type { CreateApiKeyDto } from './dto/create-api-key.dto.js';
import { ApiKeyEntity } from './entities/api-key.entity.js';
import { IsNull } from 'typeorm';

const LAST_USED_RESOLUTION_SECONDS = 60;
/** Where a revocation is announced to every instance (with the key's secret hash). */
const REVOKED = 'api-key-revocations';
/** Revocations announced lately, scored by when an instance may forget them: what an instance loads when it (re)starts listening. */
const REVOKED_INDEX = 'api-keys:revocations';
/** How long an instance answers for a key it checked without asking the database again. */
const REMEMBERED_MS = 60_000;
/** How long an announced revocation is held in memory and in the index: longer than any key is remembered. */
const REVOCATION_HELD_MS = 2 * REMEMBERED_MS;

/** What an instance remembers of a live key, by the hash of its secret. */
interface KnownKey {
  caller: ApiKeyCaller;
  expiresAt: number | null;
}

/** A tenant's API keys: created with scopes (never more than the creator may do), shown once, revocable. */
@Injectable()
export class ApiKeysService {
  /** Keys whose last use this instance wrote within the last minute. */
  private readonly recentlyUsed = new ExpiringCache<true>(10_000);
  /** Live keys this instance checked lately, by secret hash (base64url): trusted only while it hears every revocation. */
  private readonly known = new ExpiringCache<KnownKey>(10_000);
  /** Keys announced revoked lately, by secret hash: refused even before the database says so (the announcement precedes the commit). */
  private readonly revoked = new ExpiringCache<true>(100_000);
  /** Counts the revocations heard: a database read that overlapped one is not remembered (it may predate it). */
  private revocationsHeard = 0;
  private readonly hearsEveryRevocation: () => boolean;

  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly changes: ChangeBus,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.hearsEveryRevocation = changes.follow(
      REVOKED,
      ({ secretHash, until }) => this.heardRevoked(String(secretHash), Number(until)),
      // Announcements missed while not listening: forget every key (each is read again on its next use), and load the revocations announced lately.
      async () => {
        this.forget();
        const entries = await this.redis.zrangebyscore(REVOKED_INDEX, Date.now(), '+inf', 'WITHSCORES');
        for (let i = 0; i < entries.length; i += 2) this.heardRevoked(entries[i], Number(entries[i + 1]));
      },
    );
  }

  async create(creator: AuthUser, dto: CreateApiKeyDto): Promise<CreatedApiKey> {
    const beyond = dto.scopes.filter((scope) => !can(creator.role, scope));
    if (beyond.length > 0)
      throw new AppError(ErrorCode.FORBIDDEN, { reason: 'a key can not do more than its creator', scopes: beyond });
    const { key, prefix } = newApiKey(this.db.tenantId);
    const repo = await this.db.repository(ApiKeyEntity);
    const id = randomUUID();
    await repo.insert({
      tenantId: this.db.tenantId,
      id,
      name: dto.name,
      prefix,
      secretHash: hash(key),
      scopes: dto.scopes,
      createdBy: creator.userId,
      expiresAt: dto.expiresAt ?? null,
    });
    await this.audit.record({
      action: 'api_key.created',
      target: { type: 'api_key', id, label: `${dto.name} (${prefix})` },
      metadata: { scopes: dto.scopes },
    });
    return { apiKey: toApiKeyInfo(await repo.findOneByOrFail({ id })), secret: key };
  }

  /** Keys that were not revoked, newest first (expired ones included, marked). */
  async list(): Promise<ApiKeyInfo[]> {
    const repo = await this.db.repository(ApiKeyEntity);
    const keys = await repo.find({ where: { revokedAt: IsNull() }, order: { createdAt: 'DESC' }, take: 500 });
    return keys.map(toApiKeyInfo);
  }

  async revoke(id: string): Promise<void> {
    const repo = await this.db.repository(ApiKeyEntity);
    const key = await repo.findOneBy({ id });
    if (!key || key.revokedAt) throw new AppError(ErrorCode.API_KEY_NOT_FOUND);
    await repo.update({ id }, { revokedAt: new Date() });
    await this.audit.record({
      action: 'api_key.revoked',
      target: { type: 'api_key', id, label: `${key.name} (${key.prefix})` },
    });
    await this.announceRevoked(key.secretHash.toString('base64url'));
  }

  /**
   * Tells every instance, before the revocation commits: written to the index and published in one
   * Redis transaction, so every listening instance hears it or the revocation fails (503, rolled back).
   */
  private async announceRevoked(secretHash: string): Promise<void> {
    const until = Date.now() + REVOCATION_HELD_MS;
    const transaction = this.redis
      .multi()
      .zadd(REVOKED_INDEX, until, secretHash)
      .zremrangebyscore(REVOKED_INDEX, '-inf', Date.now());
    const results = await this.changes
      .publishWith(transaction, REVOKED, { secretHash, until })
      .exec()
      .catch(() => null);
    if (!results || results.some(([error]) => error))
      throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
    this.heardRevoked(secretHash, until);
  }

  private heardRevoked(secretHash: string, until: number): void {
    this.revoked.set(secretHash, true, until);
    this.forget(secretHash);
  }

  /**
   * The caller a key stands for, in the resolved tenant; null for a key that
   * is unknown there, revoked or expired. A key checked lately is answered from
   * memory while this instance hears every revocation (ChangeBus), so a
   * revocation holds at once on every instance; otherwise it is read from the
   * database. The last-used time is written at most once a minute per key and
   * instance, not on every request.
   */
  async authenticate(key: string): Promise<ApiKeyCaller | null> {
    const tenantId = RequestContext.current()?.tenant?.id;
    if (!tenantId) return null;
    const secretHash = hash(key).toString('base64url');
    const hearing = this.hearsEveryRevocation();
    if (hearing && this.revoked.get(secretHash)) return null;
    const known = (hearing && this.known.get(secretHash)) || (await this.lookUp(secretHash));
    if (!known || known.caller.tenantId !== tenantId || (known.expiresAt !== null && known.expiresAt <= Date.now()))
      return null;
    if (!this.recentlyUsed.get(known.caller.id)) {
      this.recentlyUsed.set(known.caller.id, true, Date.now() + LAST_USED_RESOLUTION_SECONDS * 1000);
      await (await this.db.repository(ApiKeyEntity)).update({ id: known.caller.id }, { lastUsedAt: () => 'now()' });
    }
    return known.caller;
  }

  /** The live key with this secret hash in the resolved tenant (row-level security), remembered unless a revocation was heard meanwhile. */
  private async lookUp(secretHash: string): Promise<KnownKey | null> {
    const heard = this.revocationsHeard;
    const found = await (
      await this.db.repository(ApiKeyEntity)
    ).findOneBy({ secretHash: Buffer.from(secretHash, 'base64url') });
    if (!found || found.revokedAt) return null;
    const known: KnownKey = {
      caller: { id: found.id, name: found.name, prefix: found.prefix, tenantId: found.tenantId, scopes: found.scopes },
      expiresAt: found.expiresAt?.getTime() ?? null,
    };
    if (heard === this.revocationsHeard) this.known.set(secretHash, known, Date.now() + REMEMBERED_MS);
    return known;
  }

  /** Forgets one key (revoked), or every key (revocations may have been missed). */
  private forget(secretHash?: string): void {
    this.revocationsHeard++;
    if (secretHash) this.known.delete(secretHash);
    else this.known.clear();
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { type ApiKeyCaller, AppError, type AuthUser, ChangeBus, ExpiringCache, hashToken as hash, newApiKey, RequestContext } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import { type ApiKeyInfo, can, type CreatedApiKey, ErrorCode } from '@tenantry/contracts';
import { toApiKeyInfo } from './dto/api-key.mapper.js';
import type { CreateApiKeyDto } from './dto/create-api-key.dto.js';
import { In } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity.js';

const LAST_USED_RESOLUTION_SECONDS = 60;
/** How soon a use is written: uses of many keys share a write. */
const LAST_USED_DELAY_MS = 1_000;
/** Where a revocation is announced to every instance (with the key's secret hash). */
const REVOKED = 'api-key-revocations';
/** How long an instance answers for a key it checked without asking the database again: bounds what a lost announcement could cost. */
const REMEMBERED_MS = 60_000;

/** What an instance remembers of a live key, by the hash of its secret. */
interface KnownKey {
  caller: ApiKeyCaller;
  expiresAt: number | null;
}

/** A tenant's API keys: created with scopes (never more than the creator may do), shown once, revocable. */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);
  /** Keys whose last use this instance recorded within the last minute. */
  private readonly recentlyUsed = new ExpiringCache<true>(10_000);
  /** Uses not written yet: key ids by tenant. */
  private readonly unwritten = new Map<string, Set<string>>();
  private writing: NodeJS.Timeout | null = null;
  /** Live keys this instance checked lately, by secret hash (base64url): trusted only while it hears every revocation. */
  private readonly known = new ExpiringCache<KnownKey>(10_000);
  /** Counts the revocations heard: a database read that overlapped one is not remembered (it may predate it). */
  private revocationsHeard = 0;
  private readonly hearsEveryRevocation: () => boolean;

  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly changes: ChangeBus,
  ) {
    this.hearsEveryRevocation = changes.follow(
      REVOKED,
      ({ secretHash }) => this.forget(String(secretHash)),
      // Announcements missed while not listening: forget every key, each is read again on its next use.
      async () => this.forget(),
    );
  }

  async create(creator: AuthUser, dto: CreateApiKeyDto): Promise<CreatedApiKey> {
    const beyond = dto.scopes.filter((scope) => !can(creator.role, scope));
    if (beyond.length > 0) throw new AppError(ErrorCode.FORBIDDEN, { reason: 'a key can not do more than its creator', scopes: beyond });
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
    await this.audit.record({ action: 'api_key.created', target: { type: 'api_key', id, label: `${dto.name} (${prefix})` }, metadata: { scopes: dto.scopes } });
    return { apiKey: toApiKeyInfo(await repo.findOneByOrFail({ id })), secret: key };
  }

  /** Keys that were not revoked, newest first (expired ones included, marked). */
  async list(): Promise<ApiKeyInfo[]> {
    const repo = await this.db.repository(ApiKeyEntity);
    const keys = await repo.createQueryBuilder('k').where('k.revoked_at is null').orderBy('k.created_at', 'DESC').limit(500).getMany();
    return keys.map(toApiKeyInfo);
  }

  async revoke(id: string): Promise<void> {
    const repo = await this.db.repository(ApiKeyEntity);
    const key = await repo.findOneBy({ id });
    if (!key || key.revokedAt) throw new AppError(ErrorCode.API_KEY_NOT_FOUND);
    await repo.update({ id }, { revokedAt: new Date() });
    await this.audit.record({ action: 'api_key.revoked', target: { type: 'api_key', id, label: `${key.name} (${key.prefix})` } });
    // Every instance forgets the key once the revocation is in: a later check reads it revoked.
    const secretHash = key.secretHash.toString('base64url');
    this.db.afterCommit(async () => {
      this.forget(secretHash);
      await this.changes.publish(REVOKED, { secretHash });
    });
  }

  /**
   * The caller a key stands for, in the resolved tenant; null for a key that
   * is unknown there, revoked or expired. A key checked lately is answered from
   * memory while this instance hears every revocation (ChangeBus), so a
   * revocation holds at once on every instance; otherwise it is read from the
   * database. The last-used time is written at most once a minute per key and
   * instance, within a second and outside the request.
   */
  async authenticate(key: string): Promise<ApiKeyCaller | null> {
    const tenantId = RequestContext.current()?.tenant?.id;
    if (!tenantId) return null;
    const secretHash = hash(key).toString('base64url');
    const known = (this.hearsEveryRevocation() && this.known.get(secretHash)) || (await this.lookUp(secretHash));
    if (!known || known.caller.tenantId !== tenantId || (known.expiresAt !== null && known.expiresAt <= Date.now())) return null;
    if (!this.recentlyUsed.get(known.caller.id)) {
      this.recentlyUsed.set(known.caller.id, true, Date.now() + LAST_USED_RESOLUTION_SECONDS * 1000);
      this.recordUse(known.caller);
    }
    return known.caller;
  }

  /** Writes the last use of keys within a second, many keys a transaction, never in the request that used them. */
  private recordUse(caller: ApiKeyCaller): void {
    const ids = this.unwritten.get(caller.tenantId) ?? new Set<string>();
    ids.add(caller.id);
    this.unwritten.set(caller.tenantId, ids);
    this.writing ??= setTimeout(() => void this.writeLastUses(), LAST_USED_DELAY_MS).unref();
  }

  /** The uses recorded so far, written per tenant (also at shutdown); a failed write is logged, and the next use records it again. */
  async writeLastUses(): Promise<void> {
    if (this.writing) clearTimeout(this.writing);
    this.writing = null;
    const pending = [...this.unwritten];
    this.unwritten.clear();
    for (const [tenantId, ids] of pending) {
      await this.db
        .withTenant({ id: tenantId }, async () => (await this.db.repository(ApiKeyEntity)).update({ id: In([...ids]) }, { lastUsedAt: () => 'now()' }))
        .catch((error: Error) => {
          for (const id of ids) this.recentlyUsed.delete(id);
          this.logger.warn(`last use of ${ids.size} API keys not written: ${error.message}`);
        });
    }
  }

  /** The live key with this secret hash in the resolved tenant (row-level security), remembered unless a revocation was heard meanwhile. */
  private async lookUp(secretHash: string): Promise<KnownKey | null> {
    const heard = this.revocationsHeard;
    const found = await (await this.db.repository(ApiKeyEntity)).findOneBy({ secretHash: Buffer.from(secretHash, 'base64url') });
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

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { type ApiKeyCaller, AppError, type AuthUser, ExpiringCache, hashToken as hash, newApiKey, RequestContext } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import { type ApiKeyInfo, can, type CreatedApiKey, ErrorCode } from '@tenantry/contracts';
import { toApiKeyInfo } from './dto/api-key.mapper.js';
import type { CreateApiKeyDto } from './dto/create-api-key.dto.js';
import { ApiKeyEntity } from './entities/api-key.entity.js';

const LAST_USED_RESOLUTION_SECONDS = 60;

/** A tenant's API keys: created with scopes (never more than the creator may do), shown once, revocable. */
@Injectable()
export class ApiKeysService {
  /** Keys whose last use this instance wrote within the last minute (only a write is saved: validity is read from the database every time). */
  private readonly recentlyUsed = new ExpiringCache<true>(10_000);

  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
  ) {}

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
  }

  /**
   * The caller a key stands for, in the resolved tenant; null for a key that
   * is unknown there, revoked or expired (read from the database on every call:
   * a revocation holds at once on every instance). The last-used time is written
   * at most once a minute per key and instance, not on every request.
   */
  async authenticate(key: string): Promise<ApiKeyCaller | null> {
    if (!RequestContext.current()?.tenant) return null;
    const repo = await this.db.repository(ApiKeyEntity);
    const found = await repo.findOneBy({ secretHash: hash(key) });
    if (!found || found.revokedAt || (found.expiresAt && found.expiresAt.getTime() <= Date.now())) return null;
    if (!this.recentlyUsed.get(found.id)) {
      this.recentlyUsed.set(found.id, true, Date.now() + LAST_USED_RESOLUTION_SECONDS * 1000);
      await repo.update({ id: found.id }, { lastUsedAt: () => 'now()' });
    }
    return { id: found.id, name: found.name, prefix: found.prefix, tenantId: found.tenantId, scopes: found.scopes };
  }
}

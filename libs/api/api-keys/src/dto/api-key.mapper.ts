import type { ApiKeyInfo } from '@tenantry/contracts';
import type { ApiKeyEntity } from '../entities/api-key.entity.js';

export function toApiKeyInfo(k: ApiKeyEntity): ApiKeyInfo {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    status: k.expiresAt && k.expiresAt.getTime() <= Date.now() ? 'expired' : 'active',
  };
}

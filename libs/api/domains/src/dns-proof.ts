import { AppError } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import { ErrorCode } from '@tenantry/contracts';
import type { EntityTarget, FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { verificationRecord } from './dns-record.js';
import type { DomainVerifier } from './domain-verifier.js';

/** A claim proven by a TXT record: a verified domain or a custom host name. */
interface DnsClaim {
  tenantId: string;
  id: string;
  lastCheckedAt: Date | null;
  lastCheckError: string | null;
}

/**
 * Looks up the TXT record that proves `claim` on `name`. Missing: the failed
 * check is kept (when and why, for the settings page) in a transaction of its
 * own — the request's rolls back —, and DOMAIN_VERIFICATION_FAILED says what
 * to publish.
 */
export async function requireTxtProof<E extends DnsClaim>(
  db: TenantDb,
  verifier: DomainVerifier,
  entity: EntityTarget<E>,
  claim: E,
  name: string,
  token: string,
): Promise<void> {
  const record = verificationRecord(name, token);
  const check = await verifier.check(record.name, record.value);
  if (check.found) return;
  await db.discard();
  await db.withTenant({ id: claim.tenantId }, async () => {
    const failed = { lastCheckedAt: new Date(), lastCheckError: check.reason } as unknown as QueryDeepPartialEntity<E>;
    await (await db.repository(entity)).update({ id: claim.id } as FindOptionsWhere<E>, failed);
  });
  throw new AppError(ErrorCode.DOMAIN_VERIFICATION_FAILED, { reason: check.reason, expected: record });
}

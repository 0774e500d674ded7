import 'reflect-metadata';
import type { AuditEntry, AuditService } from '@tenantry/api-audit';
import { ChangeBus, RequestContext } from '@tenantry/api-core';
import type { TenantDb } from '@tenantry/api-tenancy';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { TestData, type TestTenant } from '@tenantry/testing/factories';
import { openTenantDb } from '@tenantry/testing/tenant-db';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { ApiKeysService } from '../src/api-keys.service.js';
import { ApiKeyEntity } from '../src/entities/api-key.entity.js';

let db: TestDatabase;
let data: TestData;
let dataSource: DataSource;
let redis: Redis;
let tenantDb: TenantDb;
let keys: ApiKeysService;
let changes: ChangeBus;
const audited: AuditEntry[] = [];
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  ({ dataSource, tenantDb } = await openTenantDb(db, { entities: [ApiKeyEntity], max: 2 }));
  redis = new Redis({ keyPrefix: `${db.name}:` });
  // The audit module is another module: a fake that keeps what it is told.
  changes = new ChangeBus(redis, { get: () => ({ keyPrefix: `${db.name}:` }) } as unknown as ConstructorParameters<
    typeof ChangeBus
  >[1]);
  keys = new ApiKeysService(
    tenantDb,
    { record: async (entry: AuditEntry) => void audited.push(entry) } as unknown as AuditService,
    changes,
    redis,
  );
  acme = await data.aTenant();
  globex = await data.aTenant();
  creatorId = (await data.aMember(acme, 'admin')).userId;
});
afterAll(async () => {
  changes.onApplicationShutdown();
  redis.disconnect();
  await dataSource.destroy();
  await data.close();
  await db.drop();
});

/** Runs `work` as a request of `tenant` (by an admin of it), committed at the end. */
function inTenant<T>(tenant: TestTenant, work: () => Promise<T>): Promise<T> {
  return RequestContext.run({ requestId: 'test' }, () => tenantDb.withTenant(tenant, work));
}
let creatorId: string;
const admin = (role: 'owner' | 'admin' | 'member' = 'admin') => ({
  userId: creatorId,
  sessionId: 's',
  tenantId: acme.id,
  role,
  platformRole: 'none' as const,
});

describe('ApiKeysService', () => {
  it('authenticates a live key in its tenant, with its scopes', async () => {
    const { secret, apiKey } = await inTenant(acme, () =>
      keys.create(admin(), { name: 'Sync', scopes: ['contacts.read'] }),
    );
    const caller = await inTenant(acme, () => keys.authenticate(secret));
    expect(caller).toEqual({
      id: apiKey.id,
      name: 'Sync',
      prefix: apiKey.prefix,
      tenantId: acme.id,
      scopes: ['contacts.read'],
    });
    expect(audited).toContainEqual(
      expect.objectContaining({
        action: 'api_key.created',
        target: { type: 'api_key', id: apiKey.id, label: `Sync (${apiKey.prefix})` },
      }),
    );
  });

  it('finds nothing for the same key looked up in another tenant (row-level security)', async () => {
    const { secret } = await inTenant(acme, () => keys.create(admin(), { name: 'Sync', scopes: ['contacts.read'] }));
    expect(await inTenant(globex, () => keys.authenticate(secret))).toBeNull();
  });

  it('never grants a scope its creator lacks', async () => {
    await expect(
      inTenant(acme, () =>
        keys.create(admin('member'), { name: 'Too much', scopes: ['contacts.read', 'contacts.delete', 'audit.read'] }),
      ),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { scopes: ['contacts.delete', 'audit.read'] },
    });
    const { rows } = await data.query(`select 1 from api_keys where name = 'Too much'`);
    expect(rows).toHaveLength(0);
  });

  it('lists keys that are not revoked, newest first, marking expired ones', async () => {
    const tenant = await data.aTenant();
    const old = await inTenant(tenant, () => keys.create(admin(), { name: 'Old', scopes: ['contacts.read'] }));
    await data.query(
      `update api_keys set expires_at = now() - interval '1 day', created_at = now() - interval '2 days' where id = $1`,
      [old.apiKey.id],
    );
    const gone = await inTenant(tenant, () => keys.create(admin(), { name: 'Gone', scopes: ['contacts.read'] }));
    await inTenant(tenant, () => keys.revoke(gone.apiKey.id));
    await inTenant(tenant, () => keys.create(admin(), { name: 'New', scopes: ['contacts.read'] }));
    const list = await inTenant(tenant, () => keys.list());
    expect(list.map((k) => [k.name, k.status])).toEqual([
      ['New', 'active'],
      ['Old', 'expired'],
    ]);
  });
});

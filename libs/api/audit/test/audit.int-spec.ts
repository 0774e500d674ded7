import 'reflect-metadata';
import { encodeCursor, RequestContext } from '@tenantry/api-core';
import { PeopleService } from '@tenantry/api-people';
import { type PlatformDatabase, TenantDataSources, TenantDb, TenantsRepository } from '@tenantry/api-tenancy';
import type { DataSource } from 'typeorm';
import { TestData, type TestMember, type TestTenant } from '@tenantry/testing/factories';
import { QuerySnapshots } from '@tenantry/testing/query-snapshots';
import { openTenantDb } from '@tenantry/testing/tenant-db';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
// The people module's own repositories, wired as its module does: the emails come from the real tables.
/* eslint-disable @nx/enforce-module-boundaries -- people's private repositories, built here without Nest */
import { InvitationsRepository } from '../../people/src/invitations.repository.js';
import { PeopleRepository } from '../../people/src/people.repository.js';
import { PlatformPeopleRepository } from '../../people/src/platform-people.repository.js';
/* eslint-enable @nx/enforce-module-boundaries */
import { AuditRepository } from '../src/audit.repository.js';
import { AuditService } from '../src/audit.service.js';
import { ListAuditEventsQuery } from '../src/dto/list-audit-events.query.js';
import { ListPlatformAuditEventsQuery } from '../src/dto/list-platform-audit-events.query.js';
import { AuditEventEntity } from '../src/entities/audit-event.entity.js';

let db: TestDatabase;
let data: TestData;
let dataSource: DataSource;
let tenantDb: TenantDb;
let audit: AuditService;
let tenant: TestTenant;
let ada: TestMember;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  // One connection: recordFailure must work while a request holds the pool's only one.
  ({ dataSource, tenantDb } = await openTenantDb(db, {
    entities: [AuditEventEntity],
    max: 1,
    connectionTimeoutMillis: 1000,
  }));
  const people = new PeopleService(
    new PeopleRepository(tenantDb),
    new InvitationsRepository(tenantDb),
    // The console's cross-tenant reads: not used by the audit log.
    new PlatformPeopleRepository({} as TenantDataSources),
  );
  audit = new AuditService(
    tenantDb,
    new AuditRepository(tenantDb),
    // The console's list (the platform path): not used by the audit log.
    new TenantsRepository(tenantDb, dataSource, {} as PlatformDatabase),
    people,
  );
  tenant = await data.aTenant();
  ada = await data.aMember(tenant, 'admin');
});
afterAll(async () => {
  await dataSource.destroy();
  await data.close();
  await db.drop();
});

/** Runs `work` as a request of the tenant by `userId`: committed when it succeeds, rolled back when it throws. */
function asRequest<T>(userId: string | undefined, work: () => Promise<T>): Promise<T> {
  return RequestContext.run({ requestId: 'test', userId, ip: '203.0.113.7', userAgent: 'Jest' }, () =>
    tenantDb.withTenant(tenant, work),
  );
}
const query = (fields: Partial<ListAuditEventsQuery>) => Object.assign(new ListAuditEventsQuery(), fields);

describe('AuditService', () => {
  it('records the signed-in actor with their email, address and agent', async () => {
    await asRequest(ada.userId, () => audit.record({ action: 'auth.logout_all', metadata: { sessionsEnded: 2 } }));
    const page = await asRequest(ada.userId, () => audit.list(query({ action: 'auth.logout_all' })));
    expect(page.items).toEqual([
      expect.objectContaining({
        actor: { userId: ada.userId, label: ada.email },
        ip: '203.0.113.7',
        userAgent: 'Jest',
        metadata: { sessionsEnded: 2 },
        target: null,
      }),
    ]);
  });

  it('keeps a failure entry although the failing request rolls back the rest', async () => {
    await expect(
      asRequest(undefined, async () => {
        await audit.record({ action: 'member.removed', target: { type: 'user', id: 'x' } }); // rolled back
        await audit.recordFailure({ action: 'auth.login_failed', actor: { userId: null, label: 'mallory@evil.test' } });
        throw new Error('the request fails');
      }),
    ).rejects.toThrow('the request fails');
    const { rows } = await data.query<{ action: string }>(
      `select action from audit_events where tenant_id = $1 and actor_label = 'mallory@evil.test' or target_id = 'x'`,
      [tenant.id],
    );
    expect(rows).toEqual([{ action: 'auth.login_failed' }]);
  });

  it('filters by actor id or email, action and time, and pages newest first without gaps or repeats', async () => {
    const other = await data.aTenant();
    const bob = await data.aMember(tenant, 'member');
    for (let i = 0; i < 5; i++)
      await asRequest(bob.userId, () => audit.record({ action: 'member.left', metadata: { i } }));
    await data.query(`insert into audit_events (tenant_id, action, actor_user_id) values ($1, 'member.left', $2)`, [
      other.id,
      bob.userId,
    ]);

    const byEmail = await asRequest(ada.userId, () =>
      audit.list(query({ actor: bob.email.toUpperCase(), action: 'member.left' })),
    );
    const byId = await asRequest(ada.userId, () => audit.list(query({ actor: bob.userId, action: 'member.left' })));
    expect(byEmail.items.map((e) => e.metadata.i)).toEqual([4, 3, 2, 1, 0]);
    expect(byId.items.map((e) => e.id)).toEqual(byEmail.items.map((e) => e.id));

    const seen: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await asRequest(ada.userId, () => audit.list(query({ actor: bob.userId, limit: 2, cursor })));
      seen.push(...page.items.map((e) => e.metadata.i));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([4, 3, 2, 1, 0]);

    const later = await asRequest(ada.userId, () =>
      audit.list(query({ actor: bob.userId, from: new Date(Date.now() + 60_000) })),
    );
    expect(later.items).toEqual([]);
    const earlier = await asRequest(ada.userId, () =>
      audit.list(query({ actor: bob.userId, to: new Date(Date.now() - 60_000) })),
    );
    expect(earlier.items).toEqual([]);
  });

  it('refuses a cursor made for another list', async () => {
    const cursor = Buffer.from(JSON.stringify(['created', new Date().toISOString(), ada.userId])).toString('base64url');
    await expect(asRequest(ada.userId, () => audit.list(query({ cursor })))).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });
});

describe('AuditRepository', () => {
  it('sends the SQL committed beside it', async () => {
    const sql = new QuerySnapshots(import.meta.url, 'audit');
    const repository = new AuditRepository(tenantDb);
    const after = (at: string) => encodeCursor(at, { key: '2026-12-01T00:00:00.000000Z', id: ada.userId });
    await sql.record('page: newest first', () => asRequest(ada.userId, () => repository.page(query({}))));
    await sql.record("page: one person's actions of one kind in a time range, after a cursor", () =>
      asRequest(ada.userId, () =>
        repository.page(
          query({
            actor: ada.userId,
            action: 'member.role_changed',
            from: new Date('2026-11-01T00:00:00Z'),
            to: new Date('2026-12-01T00:00:00Z'),
            cursor: after('audit'),
          }),
        ),
      ),
    );
    await sql.record('page: an actor by email', () =>
      asRequest(ada.userId, () => repository.page(query({ actor: ada.email }))),
    );
    const platform = (fields: Partial<ListPlatformAuditEventsQuery>) =>
      Object.assign(new ListPlatformAuditEventsQuery(), fields);
    await sql.record('platformPage: newest first', () => repository.platformPage(platform({})));
    await sql.record('platformPage: a family of actions by one operator on one tenant, after a cursor', () =>
      repository.platformPage(
        platform({
          action: 'tenant',
          actor: 'ops@example.test',
          tenantId: tenant.id,
          from: new Date('2026-11-01T00:00:00Z'),
          to: new Date('2026-12-01T00:00:00Z'),
          cursor: after('platform-audit'),
        }),
      ),
    );
    sql.check();
  });
});

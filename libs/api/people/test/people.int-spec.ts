import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { AppError } from '@tenantry/api-core';
import { PlatformDatabase, TenantDataSources, TenantDb } from '@tenantry/api-tenancy';
import type { DataSource } from 'typeorm';
import { TestData, type TestTenant } from '@tenantry/testing/factories';
import { QuerySnapshots } from '@tenantry/testing/query-snapshots';
import { openTenantDb } from '@tenantry/testing/tenant-db';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { InvitationEntity } from '../src/entities/invitation.entity.js';
import { MembershipEntity } from '../src/entities/membership.entity.js';
import { UserEntity } from '../src/entities/user.entity.js';
import { InvitationsRepository } from '../src/invitations.repository.js';
import { PeopleRepository } from '../src/people.repository.js';
import { PeopleService } from '../src/people.service.js';
import { PlatformPeopleRepository } from '../src/platform-people.repository.js';

let db: TestDatabase;
let data: TestData;
let dataSource: DataSource;
let platform: PlatformDatabase;
let tenantDb: TenantDb;
let people: PeopleService;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  ({ dataSource, tenantDb } = await openTenantDb(db, { entities: [UserEntity, MembershipEntity, InvitationEntity] }));
  platform = await PlatformDatabase.connect(db.platformUrl);
  people = new PeopleService(
    new PeopleRepository(tenantDb),
    new InvitationsRepository(tenantDb),
    // One database here: the shared one holds every tenant.
    new PlatformPeopleRepository({
      everywhere: (sql: string, params?: unknown[]) => platform.query(sql, params),
    } as unknown as TenantDataSources),
  );
  acme = await data.aTenant();
  globex = await data.aTenant();
});
afterAll(async () => {
  await platform.close();
  await dataSource.destroy();
  await data.close();
  await db.drop();
});

const inTenant = <T>(tenant: TestTenant, work: () => Promise<T>) => tenantDb.withTenant(tenant, work);
const codeOf = (error: unknown) => (error instanceof AppError ? error.code : error);

describe('PeopleService', () => {
  it('counts members and pending invitations as seats, of the tenant in context only', async () => {
    await data.aMember(acme, 'owner');
    await data.aMember(acme, 'member');
    await data.anInvitation(acme, 'pending@acme.test');
    await data.aMember(globex, 'owner');
    expect(await inTenant(acme, () => people.seatsUsed())).toBe(3);
    expect(await inTenant(globex, () => people.seatsUsed())).toBe(1);
  });

  it('lists owners and admins by email, and members in keyset pages without gaps or repeats', async () => {
    const tenant = await data.aTenant();
    const zed = await data.aMember(tenant, 'owner', { email: `zed-${randomUUID()}@x.test` });
    const amy = await data.aMember(tenant, 'owner', { email: `amy-${randomUUID()}@x.test` });
    const bob = await data.aMember(tenant, 'admin', { email: `bob-${randomUUID()}@x.test` });
    const cat = await data.aMember(tenant, 'viewer', { email: `cat-${randomUUID()}@x.test` });
    expect((await inTenant(tenant, () => people.owners())).map((o) => o.email)).toEqual([amy.email, zed.email]);
    expect(await inTenant(tenant, () => people.adminEmails())).toEqual([amy.email, bob.email, zed.email]);
    const first = await inTenant(tenant, () => people.listMembers({ limit: 3 }));
    const second = await inTenant(tenant, () => people.listMembers({ limit: 3, cursor: first.nextCursor! }));
    expect([...first.items, ...second.items].map((m) => m.email)).toEqual([amy, bob, cat, zed].map((m) => m.email));
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a second membership with ALREADY_MEMBER and a taken address with EMAIL_TAKEN', async () => {
    const member = await data.aMember(acme, 'member');
    await expect(inTenant(acme, () => people.addMembership(member.userId, 'admin')).catch(codeOf)).resolves.toBe(
      'ALREADY_MEMBER',
    );
    const taken = {
      id: randomUUID(),
      email: member.email,
      displayName: 'Twin',
      passwordHash: null,
      emailVerifiedAt: null,
    };
    await expect(inTenant(acme, () => people.createUser(taken)).catch(codeOf)).resolves.toBe('EMAIL_TAKEN');
  });

  it('gives the console each tenant’s member count and first owner, zero and none for an empty tenant', async () => {
    const tenant = await data.aTenant();
    const first = await data.aMember(tenant, 'owner');
    await data.aMember(tenant, 'owner');
    await data.aMember(tenant, 'member');
    const empty = await data.aTenant();
    const found = await people.peopleOfTenants([tenant.id, empty.id]);
    expect(found.get(tenant.id)).toEqual({ members: 3, ownerEmail: first.email });
    expect(found.get(empty.id)).toEqual({ members: 0, ownerEmail: null });
  });
});

describe('PeopleRepository', () => {
  it('sends the SQL committed beside it', async () => {
    const sql = new QuerySnapshots(import.meta.url, 'people');
    const repository = new PeopleRepository(tenantDb);
    const after = { key: 'amy@x.test', id: randomUUID() };
    await sql.record('memberPage: by email', () => inTenant(acme, () => repository.memberPage(undefined, null, 21)));
    await sql.record('memberPage: a search, after a cursor', () =>
      inTenant(acme, () => repository.memberPage('amy', after, 21)),
    );
    sql.check();
  });
});

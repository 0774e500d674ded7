import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { containsPattern } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import type { Member, PlatformMember, PlatformRole, TenantRole } from '@tenantry/contracts';
import { In } from 'typeorm';
import { MembershipEntity } from './entities/membership.entity.js';
import { UserEntity } from './entities/user.entity.js';
import type { Membership, User } from './people.types.js';

interface MemberRow {
  id: string;
  user_id: string;
  email: string;
  display_name: string;
  role: TenantRole;
  created_at: Date;
}

const toMember = (r: MemberRow): Member => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  joinedAt: r.created_at.toISOString(),
});

/** One member row: the membership and its user. */
const MEMBER_ROW = `select ms.id, ms.user_id, u.email, u.display_name, ms.role, ms.created_at
  from memberships ms join users u on u.id = ms.user_id`;

/** What a user's row may change to after it is made. */
export type UserChanges = Partial<Pick<User, 'email' | 'displayName' | 'passwordHash' | 'emailVerifiedAt'>>;

/**
 * The users and memberships tables. Users are global: read in the request's
 * tenant transaction when it has a tenant, otherwise on the pool. Memberships
 * are read in the context's tenant transaction, where row-level security
 * scopes them to that tenant.
 */
@Injectable()
export class PeopleRepository {
  constructor(private readonly db: TenantDb) {}

  async userById(id: string): Promise<User | null> {
    return (await this.db.globalRepository(UserEntity)).findOneBy({ id });
  }

  async userByEmail(email: string): Promise<User | null> {
    return (await this.db.globalRepository(UserEntity)).findOneBy({ email });
  }

  async usersByIds(ids: string[]): Promise<User[]> {
    return (await this.db.globalRepository(UserEntity)).findBy({ id: In(ids) });
  }

  /** In the context's transaction, so an audit entry sees a user made earlier in it. */
  async emailOf(userId: string): Promise<string | null> {
    const rows: { email: string }[] = await (
      await this.db.manager()
    ).query('select email from users where id = $1', [userId]);
    return rows[0]?.email ?? null;
  }

  async insertUser(user: Omit<User, 'createdAt' | 'updatedAt'>): Promise<User> {
    const users = await this.db.globalRepository(UserEntity);
    const created = users.create(user);
    await users.insert(created);
    return created;
  }

  /** Makes the user of `email` unless it exists (a concurrent insert waits for the first, then finds it). */
  async insertUserUnlessExists(user: Omit<User, 'createdAt' | 'updatedAt'>): Promise<User> {
    const users = await this.db.globalRepository(UserEntity);
    await users.createQueryBuilder().insert().values(user).orIgnore().execute();
    return users.findOneByOrFail({ email: user.email });
  }

  async updateUser(id: string, changes: UserChanges): Promise<void> {
    await (await this.db.globalRepository(UserEntity)).update({ id }, changes);
  }

  /** A reset proves the address too: it counts as confirmed from then on, if it was not yet. */
  async setPasswordAfterReset(id: string, passwordHash: string): Promise<void> {
    await (
      await this.db.globalRepository(UserEntity)
    ).update({ id }, { passwordHash, emailVerifiedAt: () => 'coalesce(email_verified_at, now())' });
  }

  /** The users of `ids` as an archive keeps them: one JSON object per user (as PostgreSQL writes it), by email. */
  async usersAsJson(ids: string[]): Promise<string[]> {
    const rows: { j: string }[] = await (
      await this.db.manager()
    ).query(
      `select row_to_json(u)::text as j from (select id, email, display_name, email_verified_at, created_at from users where id = any($1::uuid[]) order by email) u`,
      [ids],
    );
    return rows.map((r) => r.j);
  }

  async membershipOf(userId: string): Promise<Membership | null> {
    return (await this.db.repository(MembershipEntity)).findOneBy({ userId });
  }

  async insertMembership(userId: string, role: TenantRole): Promise<Membership> {
    const memberships = await this.db.repository(MembershipEntity);
    await memberships.insert({ tenantId: this.db.tenantId, id: randomUUID(), userId, role });
    return memberships.findOneByOrFail({ userId });
  }

  /** Changes the role and returns the membership's new version. */
  async setRole(membershipId: string, role: TenantRole): Promise<Date> {
    const [updated]: { updated_at: Date }[] = await (
      await this.db.manager()
    ).query(
      `with changed as (update memberships set role = $2, updated_at = date_trunc('milliseconds', clock_timestamp()) where id = $1 returning updated_at)
       select updated_at from changed`,
      [membershipId, role],
    );
    return updated.updated_at;
  }

  async deleteMembership(membershipId: string): Promise<void> {
    await (await this.db.manager()).query('delete from memberships where id = $1', [membershipId]);
  }

  /** Locks the tenant's owner rows, always in one order (so concurrent changes never deadlock), and counts them. */
  async lockOwners(): Promise<number> {
    const owners: { id: string }[] = await (
      await this.db.manager()
    ).query(`select id from memberships where role = 'owner' order by id for update`);
    return owners.length;
  }

  /** The member of a membership, or of a user, locked until the transaction ends. */
  async lockMember(by: { membershipId: string } | { userId: string }): Promise<Member | null> {
    const [column, value] = 'membershipId' in by ? ['ms.id', by.membershipId] : ['ms.user_id', by.userId];
    const [row]: MemberRow[] = await (
      await this.db.manager()
    ).query(`${MEMBER_ROW} where ${column} = $1 for update of ms`, [value]);
    return row ? toMember(row) : null;
  }

  /** Members by email then id, from after `after`; `limit` rows at most. */
  async memberPage(search: string | undefined, after: { key: string; id: string } | null, limit: number) {
    const params: unknown[] = [limit];
    const where: string[] = [];
    if (search) {
      params.push(containsPattern(search));
      where.push(`(u.email ilike $${params.length} or u.display_name ilike $${params.length})`);
    }
    if (after) {
      params.push(after.key, after.id);
      where.push(`(u.email, ms.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    const rows: MemberRow[] = await (
      await this.db.manager()
    ).query(
      `${MEMBER_ROW}
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by u.email, ms.id limit $1`,
      params,
    );
    return rows.map(toMember);
  }

  /** The members with one of `roles`, by email. */
  async membersWithRole(roles: TenantRole[]): Promise<Member[]> {
    const rows: MemberRow[] = await (
      await this.db.manager()
    ).query(`${MEMBER_ROW} where ms.role = any($1) order by u.email`, [roles]);
    return rows.map(toMember);
  }

  async isMemberByEmail(email: string): Promise<boolean> {
    const rows: unknown[] = await (
      await this.db.manager()
    ).query('select 1 from memberships ms join users u on u.id = ms.user_id where u.email = $1', [email]);
    return rows.length > 0;
  }

  /** Seats taken: members plus pending (not accepted, revoked or expired) invitations, in one statement. */
  async seatsUsed(): Promise<number> {
    const [{ used }]: { used: number }[] = await (
      await this.db.manager()
    ).query(`select (select count(*) from memberships)::int
      + (select count(*) from invitations where accepted_at is null and revoked_at is null and expires_at > now())::int as used`);
    return used;
  }

  /** Every membership of a user, across tenants and databases (row-level security shows a user their own). */
  async tenantsOf(userId: string): Promise<{ tenantId: string; role: TenantRole }[]> {
    const rows = await this.db.asUser(
      userId,
      (m) => m.query('select tenant_id, role from memberships') as Promise<{ tenant_id: string; role: TenantRole }[]>,
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, role: r.role }));
  }

  /** Members with their platform role (all, or one user's), by email; 500 at most. */
  async platformMembers(userId: string | null): Promise<PlatformMember[]> {
    const rows: {
      user_id: string;
      email: string;
      display_name: string;
      role: TenantRole;
      platform_role: PlatformRole;
    }[] = await (
      await this.db.manager()
    ).query(
      `select ms.user_id, u.email, u.display_name, ms.role, u.platform_role
         from memberships ms join users u on u.id = ms.user_id
        where $1::uuid is null or ms.user_id = $1 order by u.email limit 500`,
      [userId],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      displayName: r.display_name,
      role: r.role,
      platformRole: r.platform_role,
    }));
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { AuthService, IMPERSONATION_MAX_SECONDS } from '@tenantry/api-auth';
import { AppError, type AuthUser, RequestContext } from '@tenantry/api-core';
import { PeopleService } from '@tenantry/api-people';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import {
  type AuthTokenResponse,
  ErrorCode,
  type Impersonation,
  type PlatformMember,
  type PlatformTenant,
} from '@tenantry/contracts';
import type { StartImpersonationDto } from './dto/impersonation.dto.js';
import { ImpersonationEntity } from './entities/impersonation.entity.js';
import { ImpersonationsRepository } from './impersonations.repository.js';

// An owner's approval is good for a day: support work starts soon after the request.
const APPROVAL_HOURS = 24;

/**
 * Super admins act as a tenant's user for support: a separate access token
 * (≤60 minutes, no refresh) that names both; every request audited with both;
 * where the tenant requires it, an owner approves first. Works in the target
 * tenant's own transaction (the explicit cross-tenant path), never around RLS.
 */
@Injectable()
export class ImpersonationService {
  constructor(
    private readonly db: TenantDb,
    private readonly impersonations: ImpersonationsRepository,
    private readonly tenancy: TenancyService,
    private readonly auth: AuthService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
  ) {}

  async members(tenantId: string): Promise<PlatformMember[]> {
    return this.membersOf(await this.tenant(tenantId));
  }

  /** Asks the tenant's owners to approve an impersonation (they see it on their Members page). */
  async request(admin: AuthUser, dto: StartImpersonationDto): Promise<Impersonation> {
    const tenant = await this.tenant(dto.tenantId);
    const actor = await this.actor(admin);
    await this.assertImpersonable(tenant, dto.userId);
    return this.db.withTenant(tenant, async () => {
      const repo = await this.db.repository(ImpersonationEntity);
      const id = randomUUID();
      await repo.insert({
        tenantId: tenant.id,
        id,
        actorUserId: actor.id,
        userId: dto.userId,
        reason: dto.reason,
        status: 'requested',
      });
      await this.audit.record({
        action: 'impersonation.requested',
        actor: { userId: actor.id, label: actor.email },
        target: { type: 'user', id: dto.userId },
        metadata: { reason: dto.reason },
      });
      return (await this.toImpersonations([await repo.findOneByOrFail({ id })], tenant))[0];
    });
  }

  /**
   * Starts acting as the user. A tenant that requires consent needs a request
   * of this admin for this user, approved by an owner within the last day.
   */
  async start(admin: AuthUser, dto: StartImpersonationDto): Promise<AuthTokenResponse> {
    const tenant = await this.tenant(dto.tenantId);
    const actor = await this.actor(admin);
    const target = await this.assertImpersonable(tenant, dto.userId);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + IMPERSONATION_MAX_SECONDS * 1000);
    const session = await this.db.withTenant(tenant, async () => {
      const repo = await this.db.repository(ImpersonationEntity);
      let row: ImpersonationEntity | null = null;
      if (tenant.impersonationConsentRequired) {
        row = await this.impersonations.lockApproval(actor.id, target.userId, APPROVAL_HOURS);
        if (!row) throw new AppError(ErrorCode.CONSENT_REQUIRED);
        await repo.update({ id: row.id }, { status: 'active', startedAt: now, expiresAt, reason: dto.reason });
      } else {
        row = repo.create({
          tenantId: tenant.id,
          id: randomUUID(),
          actorUserId: actor.id,
          userId: target.userId,
          reason: dto.reason,
          status: 'active',
          startedAt: now,
          expiresAt,
        });
        await repo.insert(row);
      }
      await this.audit.record({
        action: 'impersonation.started',
        actor: { userId: actor.id, label: actor.email },
        target: { type: 'user', id: target.userId, label: target.email },
        metadata: { reason: dto.reason, impersonation: row.id, expiresAt: expiresAt.toISOString() },
      });
      return { id: row.id, reason: dto.reason, expiresAt };
    });
    return this.auth.impersonationToken(actor, target.userId, tenant, session);
  }

  /** Ends the caller's impersonation: its token stops working at once. */
  async end(caller: AuthUser): Promise<void> {
    if (!caller.impersonatorId)
      throw new AppError(ErrorCode.IMPERSONATION_NOT_FOUND, { reason: 'this session is not an impersonation' });
    await this.finish(caller.sessionId, 'operator');
  }

  /** An owner ends a support session of their tenant that is still running: its token stops working at once. */
  async endByOwner(id: string): Promise<Impersonation> {
    await this.finish(id, 'owner');
    const repo = await this.db.repository(ImpersonationEntity);
    return (await this.toImpersonations([await repo.findOneByOrFail({ id })], RequestContext.current()!.tenant!))[0];
  }

  private async finish(id: string, endedBy: 'operator' | 'owner'): Promise<void> {
    const repo = await this.db.repository(ImpersonationEntity);
    const row = await this.impersonations.lockRunning(id);
    if (!row)
      throw new AppError(ErrorCode.IMPERSONATION_NOT_FOUND, { reason: 'no running support session with this id' });
    const now = new Date();
    await repo.update({ id: row.id }, { status: 'ended', endedAt: now });
    await this.auth.endImpersonation(row.id);
    const minutes = Math.max(1, Math.round((now.getTime() - (row.startedAt ?? now).getTime()) / 60_000));
    await this.audit.record({
      action: 'impersonation.ended',
      // The operator ends their own session; an owner's ending is theirs (the request's person).
      ...(endedBy === 'operator' ? { actor: { userId: row.actorUserId, label: null } } : {}),
      target: { type: 'user', id: row.userId },
      metadata: { impersonation: row.id, minutes, endedBy },
    });
  }

  /** Requests waiting for an owner of the current tenant, and the latest decisions and sessions. */
  async listForTenant(): Promise<Impersonation[]> {
    const repo = await this.db.repository(ImpersonationEntity);
    const rows = await repo.find({ order: { createdAt: 'DESC' }, take: 50 });
    const tenant = RequestContext.current()!.tenant!;
    return this.toImpersonations(rows, tenant);
  }

  async decide(owner: AuthUser, id: string, approve: boolean): Promise<Impersonation> {
    const repo = await this.db.repository(ImpersonationEntity);
    const row = await repo.findOneBy({ id, status: 'requested' });
    if (!row) throw new AppError(ErrorCode.IMPERSONATION_NOT_FOUND);
    await repo.update(
      { id },
      { status: approve ? 'approved' : 'denied', decidedBy: owner.userId, decidedAt: new Date() },
    );
    await this.audit.record({
      action: approve ? 'impersonation.approved' : 'impersonation.denied',
      target: { type: 'impersonation', id },
      metadata: { reason: row.reason },
    });
    return (await this.toImpersonations([await repo.findOneByOrFail({ id })], RequestContext.current()!.tenant!))[0];
  }

  private async tenant(tenantId: string): Promise<PlatformTenant> {
    const tenant = await this.tenancy.byId(tenantId);
    if (!tenant) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    return tenant;
  }

  /** The tenant's members with their platform role (all, or one user's), read in that tenant's transaction. */
  private membersOf(tenant: PlatformTenant, userId?: string): Promise<PlatformMember[]> {
    return this.db.withTenant(tenant, () => this.people.platformMembers(userId));
  }

  private async actor(admin: AuthUser): Promise<{ id: string; email: string }> {
    const actor = (await this.people.userSummaries([admin.userId])).get(admin.userId);
    if (!actor) throw new AppError(ErrorCode.UNAUTHENTICATED);
    return { id: actor.id, email: actor.email };
  }

  /** Members only, and never a super admin (one operator may not act as another). */
  private async assertImpersonable(tenant: PlatformTenant, userId: string): Promise<PlatformMember> {
    const [member] = await this.membersOf(tenant, userId);
    if (!member) throw new AppError(ErrorCode.CANNOT_IMPERSONATE, { reason: 'not a member of the tenant' });
    if (member.platformRole === 'super_admin')
      throw new AppError(ErrorCode.CANNOT_IMPERSONATE, { reason: 'super admins can not be impersonated' });
    return member;
  }

  /** Maps rows to answers, with the people's emails read in one query. */
  private async toImpersonations(
    rows: ImpersonationEntity[],
    tenant: { id: string; slug: string; name: string },
  ): Promise<Impersonation[]> {
    const people = await this.people.userSummaries(rows.flatMap((r) => [r.actorUserId, r.userId]));
    return rows.map((r) => this.toImpersonation(r, tenant, people));
  }

  private toImpersonation(
    r: ImpersonationEntity,
    tenant: { id: string; slug: string; name: string },
    people: Map<string, { email: string }>,
  ): Impersonation {
    const actor = people.get(r.actorUserId);
    const user = people.get(r.userId);
    return {
      id: r.id,
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      actor: { id: r.actorUserId, email: actor?.email ?? '' },
      user: { id: r.userId, email: user?.email ?? '' },
      reason: r.reason,
      // A session that ran out is over, whether or not someone pressed "End".
      status: r.status === 'active' && r.expiresAt && r.expiresAt.getTime() <= Date.now() ? 'ended' : r.status,
      createdAt: r.createdAt.toISOString(),
      startedAt: r.startedAt?.toISOString() ?? null,
      endedAt: r.endedAt?.toISOString() ?? null,
    };
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppError, isUniqueViolation, RequestContext } from '@tenantry/api-core';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import { type AuthTokenResponse, ErrorCode, type MeResponse, type SessionUser, type TenantRole, type TenantSummary } from '@tenantry/contracts';
import type { AccessTokenClaims, AuthUser } from './auth-user.js';
import type { LoginDto } from './dto/login.dto.js';
import type { SignupDto } from './dto/signup.dto.js';
import { MembershipEntity } from './entities/membership.entity.js';
import { UserEntity } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.js';

function toSessionUser(user: UserEntity): SessionUser {
  return { id: user.id, email: user.email, displayName: user.displayName, platformRole: user.platformRole };
}

/** Signup, login and the caller's identity. */
@Injectable()
export class AuthService {
  private readonly hasher = new PasswordHasher();

  constructor(
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly jwt: JwtService,
  ) {}

  /** Creates a tenant and its owner in one transaction, and signs the owner in. */
  async signup(dto: SignupDto): Promise<AuthTokenResponse> {
    const passwordHash = await this.hasher.hash(dto.password);
    const tenantId = randomUUID();
    const email = dto.email.toLowerCase();
    return this.db.withTenant({ id: tenantId, slug: dto.slug, name: dto.tenantName }, async () => {
      const tenant = await this.tenancy.create({ id: tenantId, slug: dto.slug, name: dto.tenantName });
      const users = await this.db.repository(UserEntity);
      const user = users.create({ id: randomUUID(), email, displayName: dto.displayName, passwordHash, platformRole: 'none' });
      try {
        await users.insert(user);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError(ErrorCode.EMAIL_TAKEN);
        throw error;
      }
      await (await this.db.repository(MembershipEntity)).insert({ tenantId, id: randomUUID(), userId: user.id, role: 'owner' });
      return this.issue(user, tenant, 'owner');
    });
  }

  /**
   * Signs a user in to the resolved tenant. Without a tenant only platform
   * super admins may sign in. Unknown email, wrong password and "not a member"
   * give the same answer, after the same password work.
   */
  async login(dto: LoginDto): Promise<AuthTokenResponse> {
    const tenant = RequestContext.current()?.tenant;
    const users = await this.db.globalRepository(UserEntity);
    const user = await users.findOneBy({ email: dto.email.toLowerCase() });
    const valid = await this.hasher.verify(user?.passwordHash ?? null, dto.password);
    if (!user || !valid) throw new AppError(ErrorCode.INVALID_CREDENTIALS);
    if (!tenant) {
      if (user.platformRole !== 'super_admin') throw new AppError(ErrorCode.TENANT_REQUIRED);
      return this.issue(user, null, null);
    }
    const membership = await (await this.db.repository(MembershipEntity)).findOneBy({ userId: user.id });
    if (!membership) throw new AppError(ErrorCode.INVALID_CREDENTIALS);
    return this.issue(user, { id: tenant.id, slug: tenant.slug, name: tenant.name }, membership.role);
  }

  async me(auth: AuthUser): Promise<MeResponse> {
    const users = await this.db.globalRepository(UserEntity);
    const user = await users.findOneBy({ id: auth.userId });
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED);
    const tenant = RequestContext.current()?.tenant;
    let role: TenantRole | null = null;
    if (tenant) {
      const membership = await (await this.db.repository(MembershipEntity)).findOneBy({ userId: user.id });
      if (!membership) throw new AppError(ErrorCode.UNAUTHENTICATED);
      role = membership.role;
    }
    return {
      user: toSessionUser(user),
      tenant: tenant ? { id: tenant.id, slug: tenant.slug, name: tenant.name } : null,
      role,
    };
  }

  private async issue(user: UserEntity, tenant: TenantSummary | null, role: TenantRole | null): Promise<AuthTokenResponse> {
    const claims: AccessTokenClaims = { sub: user.id };
    if (tenant && role) Object.assign(claims, { tid: tenant.id, role });
    if (user.platformRole !== 'none') claims.plat = user.platformRole;
    const accessToken = await this.jwt.signAsync(claims);
    const { exp, iat } = this.jwt.decode<{ exp: number; iat: number }>(accessToken);
    return { accessToken, expiresIn: exp - iat, tenant, role, user: toSessionUser(user) };
  }
}

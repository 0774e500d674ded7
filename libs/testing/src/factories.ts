import { randomBytes, randomUUID } from 'node:crypto';
// The API's own code: test users' hashes cost what real ones cost, keys have the real format.
import { hashToken, newApiKey } from '@tenantry/api-core';
import { PasswordHasher } from '@tenantry/api-auth';
import type { TenantRole } from '@tenantry/contracts';
import pg from 'pg';
import { testKeyPair } from '../../../tools/demo/saml-keys.js';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;
let idpKeys: ReturnType<typeof testKeyPair> | undefined;

export interface TestTenant {
  id: string;
  slug: string;
  name: string;
}
export interface TestMember {
  userId: string;
  email: string;
  password: string;
  role: TenantRole;
  tenant: TestTenant;
}

const suffix = () => randomBytes(3).toString('hex');

/**
 * Builds test data through the platform role (cross-tenant, bypasses RLS),
 * as an operator would: small factories instead of shared fixtures.
 */
export class TestData {
  private readonly pool: pg.Pool;

  constructor(platformUrl: string) {
    this.pool = new pg.Pool({ connectionString: platformUrl, max: 4 });
    this.pool.on('error', () => undefined); // an idle connection ended by a server restart: the pool opens another
  }

  /** A live tenant; on the unlimited enterprise plan unless a test is about limits. */
  async aTenant(
    fields: { slug?: string; name?: string; status?: string; primaryColor?: string; plan?: string } = {},
  ): Promise<TestTenant> {
    const slug = fields.slug ?? `t-${suffix()}`;
    const name = fields.name ?? `Tenant ${slug}`;
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into tenants (slug, name, status, plan) values ($1, $2, $3, $4) returning id`,
      [slug, name, fields.status ?? 'active', fields.plan ?? 'enterprise'],
    );
    if (fields.primaryColor)
      await this.pool.query('insert into branding (tenant_id, primary_color) values ($1, $2)', [
        rows[0].id,
        fields.primaryColor,
      ]);
    return { id: rows[0].id, slug, name };
  }

  async aMember(tenant: TestTenant, role: TenantRole, fields: { email?: string } = {}): Promise<TestMember> {
    passwordHash ??= new PasswordHasher().hash(TEST_PASSWORD);
    const email = fields.email ?? `${role}-${suffix()}@${tenant.slug}.test`;
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into users (email, display_name, password_hash) values ($1, $2, $3)
       on conflict (email) do update set email = excluded.email returning id`,
      [email, `${role} of ${tenant.name}`, await passwordHash],
    );
    await this.pool.query(`insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)`, [
      tenant.id,
      rows[0].id,
      role,
    ]);
    return { userId: rows[0].id, email, password: TEST_PASSWORD, role, tenant };
  }

  async aSuperAdmin(): Promise<{ userId: string; email: string; password: string }> {
    passwordHash ??= new PasswordHasher().hash(TEST_PASSWORD);
    const email = `root-${suffix()}@platform.test`;
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into users (email, display_name, password_hash, platform_role) values ($1, 'Operator', $2, 'super_admin') returning id`,
      [email, await passwordHash],
    );
    return { userId: rows[0].id, email, password: TEST_PASSWORD };
  }

  async contacts(
    tenant: TestTenant,
    count: number,
    name = (i: number) => `Contact ${i} of ${tenant.slug}`,
  ): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into contacts (tenant_id, id, name, email, company)
       select $1, gen_random_uuid(), n.name, lower(replace(n.name, ' ', '.')) || '@example.test', $3
         from unnest($2::text[]) as n(name)
       returning id`,
      [tenant.id, Array.from({ length: count }, (_, i) => name(i)), tenant.name],
    );
    return rows.map((r) => r.id);
  }

  /** An API key of the tenant with these scopes; returns its id and secret. */
  async anApiKey(tenant: TestTenant, scopes: string[], name = 'Test key'): Promise<{ id: string; secret: string }> {
    const { key, prefix } = newApiKey(tenant.id);
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into api_keys (tenant_id, name, prefix, secret_hash, scopes) values ($1, $2, $3, $4, $5) returning id`,
      [tenant.id, name, prefix, hashToken(key), scopes],
    );
    return { id: rows[0].id, secret: key };
  }

  /** A domain the tenant claimed (verified unless told otherwise). */
  async aDomain(tenant: TestTenant, domain: string, verified = true): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into verified_domains (tenant_id, domain, verification_token, verified_at) values ($1, $2, $3, $4) returning id`,
      [tenant.id, domain, randomBytes(18).toString('base64url'), verified ? new Date() : null],
    );
    return rows[0].id;
  }

  /** A custom host name of the tenant, verified or pending. */
  async aCustomDomain(tenant: TestTenant, hostname: string, verified = true): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into custom_domains (tenant_id, hostname, verification_token, verified_at) values ($1, $2, $3, $4) returning id`,
      [tenant.id, hostname, randomBytes(18).toString('base64url'), verified ? new Date() : null],
    );
    return rows[0].id;
  }

  /** A SAML connection of the tenant, with a throwaway certificate (for listing and isolation tests). */
  async anSsoConnection(tenant: TestTenant, idpEntityId: string): Promise<string> {
    idpKeys ??= testKeyPair();
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into sso_connections (tenant_id, name, idp_entity_id, idp_sso_url, idp_certificates) values ($1, 'Test IdP', $2, 'https://idp.example.test/sso', $3) returning id`,
      [tenant.id, idpEntityId, [(await idpKeys).certificate]],
    );
    return rows[0].id;
  }

  /** A pending invitation of the tenant (its link's token is not kept). */
  async anInvitation(tenant: TestTenant, email: string, role: TenantRole = 'member'): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into invitations (tenant_id, email, role, token_hash, expires_at) values ($1, $2, $3, $4, now() + interval '7 days') returning id`,
      [tenant.id, email, role, randomBytes(32)],
    );
    return rows[0].id;
  }

  query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<T>> {
    return this.pool.query<T>(sql, params);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export const newId = () => randomUUID();

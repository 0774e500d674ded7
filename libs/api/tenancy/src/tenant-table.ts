import type { QueryRunner } from 'typeorm';

/** The role the API connects as, and the role of the explicit cross-tenant path. */
export const APP_ROLE = 'tenantry_app';
export const PLATFORM_ROLE = 'tenantry_platform';

/**
 * The row-level-security predicate of every tenant table. `nullif` because a
 * connection that once held a transaction-local setting reports '' (not NULL)
 * afterwards, and ''::uuid would raise instead of matching nothing.
 */
export const TENANT_PREDICATE = `tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)`;

/**
 * The one reviewed exception to "one tenant policy per table": outside any
 * tenant, a user may read their own memberships (the list of their tenants).
 * Inside a tenant transaction it matches nothing, so it never widens a tenant's view.
 */
export const MEMBERSHIP_OWNER_POLICY = {
  name: 'own_memberships',
  using: `user_id = (select nullif(current_setting('app.user_id', true), '')::uuid) and (select nullif(current_setting('app.tenant_id', true), '')) is null`,
} as const;

export interface TenantTableSpec {
  /** Column definitions other than `tenant_id` (which this adds), e.g. `id uuid not null default gen_random_uuid()`. */
  columns: string[];
  /** Primary key columns after `tenant_id`; default `['id']`. */
  primaryKey?: string[];
  /** Further constraints; each UNIQUE or tenant FOREIGN KEY must include tenant_id (the catalog test checks). */
  constraints?: string[];
  /** Index definitions as `name: columns`, e.g. `{ contacts_created_idx: 'created_at desc, id desc' }`; tenant_id is prepended. */
  indexes?: Record<string, string>;
  /** Privileges the app role gets; default all four DML rights. */
  appPrivileges?: string[];
}

/**
 * Creates a tenant-scoped table with everything isolation needs, so a new
 * table cannot forget a part: `tenant_id` (defaulting to the current tenant,
 * referencing tenants), a primary key and indexes led by `tenant_id`, RLS
 * enabled and forced, one policy for USING and WITH CHECK, explicit grants.
 */
export async function createTenantTable(runner: QueryRunner, table: string, spec: TenantTableSpec): Promise<void> {
  const pk = ['tenant_id', ...(spec.primaryKey ?? ['id'])].join(', ');
  const body = [
    `tenant_id uuid not null default nullif(current_setting('app.tenant_id', true), '')::uuid references tenants(id) on delete cascade`,
    ...spec.columns,
    `primary key (${pk})`,
    ...(spec.constraints ?? []),
  ].join(',\n  ');
  await runner.query(`create table ${table} (\n  ${body}\n)`);
  for (const [name, columns] of Object.entries(spec.indexes ?? {})) {
    await runner.query(`create index ${name} on ${table} (tenant_id, ${columns})`);
  }
  await runner.query(`alter table ${table} enable row level security`);
  await runner.query(`alter table ${table} force row level security`);
  await runner.query(
    `create policy tenant_isolation on ${table} using (${TENANT_PREDICATE}) with check (${TENANT_PREDICATE})`,
  );
  const privileges = (spec.appPrivileges ?? ['select', 'insert', 'update', 'delete']).join(', ');
  await runner.query(`grant ${privileges} on ${table} to ${APP_ROLE}`);
  await runner.query(`grant select, insert, update, delete on ${table} to ${PLATFORM_ROLE}`);
}

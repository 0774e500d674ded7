import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { encodeCursor, type ResolvedTenant } from '@tenantry/api-core';
import type { PlatformTenant, PlatformTenantSort, TenantStatus, TenantSummary } from '@tenantry/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { PlatformDatabase } from './platform-database.js';
import { TenantDb } from './tenant-db.js';
import { afterCursor, cursorScope, SORTS } from './tenant-list-order.js';

/** Where a tenant is in its life: live, deleted (restorable until `purgeAfter`), or purged (a tombstone). */
export interface TenantLifecycleRow {
  id: string;
  slug: string;
  name: string;
  deletedAt: Date | null;
  purgeAfter: Date | null;
  purgedAt: Date | null;
}

const LIFECYCLE = `id, slug, name, deleted_at as "deletedAt", purge_after as "purgeAfter", purged_at as "purgedAt"`;

/** A tenant as the resolver and the guards need it (ResolvedTenant), from `tenants` aliased `t`. */
const RESOLVED = `t.id, t.slug, t.name, t.status, t.license_status as "licenseStatus", t.plan, t.suspended_reason as "suspendedReason", t.database_id as "databaseId"`;

/** A tenant that serves requests: not suspended or cancelled (and, with `deleted_at is null`, not deleted). */
const SERVES = `status not in ('suspended', 'cancelled')`;

const PLATFORM_TENANT = `id, slug, name, status, suspended_reason, impersonation_consent_required`;
interface PlatformTenantRow {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  suspended_reason: string | null;
  impersonation_consent_required: boolean;
}
const toPlatformTenant = (r: PlatformTenantRow): PlatformTenant => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  status: r.status,
  suspendedReason: r.suspended_reason,
  impersonationConsentRequired: r.impersonation_consent_required,
});

/** A tenant as the console's list shows it, with the name of its dedicated database (null: the shared one). */
export interface ConsoleTenantRow {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  plan: string;
  created_at: Date;
  suspended_reason: string | null;
  impersonation_consent_required: boolean;
  database: string | null;
}

/** What the console's list asks for: filters, a keyset page in one of its orders. */
export interface ConsoleTenantQuery {
  /** An ILIKE pattern for the name or slug, and the tenants it matched elsewhere (owners' emails, domains). */
  search?: { pattern: string; tenantIds: string[] };
  status?: TenantStatus;
  plan?: string;
  sort: PlatformTenantSort;
  /** Default: the sort's natural direction. */
  order?: 'asc' | 'desc';
  cursor?: string;
  /** Members per tenant, from every database: needed when sorting by members (a tenant left out has none). */
  memberCounts?: { tenantId: string; members: number }[];
  limit: number;
}

const CONSOLE_COLUMNS = `t.id, t.slug, t.name, t.status, t.plan, t.created_at, t.suspended_reason, t.impersonation_consent_required,
         (select d.name from tenant_databases d where d.id = t.database_id) as database`;
/** Sorting by members needs every tenant's count: the parameters `ids` and `counts`. */
const memberCounts = (ids: string, counts: string) =>
  `left join unnest(${ids}::uuid[], ${counts}::bigint[]) as mc(tenant_id, members) on mc.tenant_id = t.id`;
/**
 * The tenants a search finds, by name, slug or (`elsewhere`, found by their
 * owners) another module's match: `pattern`, `elsewhere`: their parameters.
 */
const matches = (pattern: string, elsewhere: string) => `t.id in (
  select id from tenants where name ilike ${pattern} or slug ilike ${pattern}
  union select unnest(${elsewhere}::uuid[]))`;

/**
 * The `tenants` table's SQL. Look-ups for resolving a request read the pool
 * directly (they run before any transaction opens); everything else runs in
 * the caller's transaction (see TenantDb.globalTransaction). The lifecycle
 * module's changes (suspension, deletion, restore, purge) say whether they
 * applied (false: no such tenant in that state).
 */
@Injectable()
export class TenantsRepository {
  constructor(
    private readonly db: TenantDb,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly platform: PlatformDatabase,
  ) {}

  /** The live tenant with this id (`byId`) or slug. */
  async resolve(key: string, byId: boolean): Promise<ResolvedTenant | null> {
    const rows: ResolvedTenant[] = await this.dataSource.query(
      `select ${RESOLVED} from tenants t where ${byId ? 't.id = $1::uuid' : 't.slug = $1'} and t.deleted_at is null`,
      [key],
    );
    return rows[0] ?? null;
  }

  /** Which of `slugs` a tenant has, deleted ones too (their links and mail still point there). */
  async slugsTaken(slugs: string[]): Promise<Set<string>> {
    const rows: { slug: string }[] = await this.dataSource.query('select slug from tenants where slug = any($1)', [
      slugs,
    ]);
    return new Set(rows.map((r) => r.slug));
  }

  /** Live tenants whose name or slug matches `pattern` (all when null), live ones first, at most 50. */
  async search(pattern: string | null): Promise<PlatformTenant[]> {
    const rows: PlatformTenantRow[] = await this.dataSource.query(
      `select ${PLATFORM_TENANT} from tenants
        where deleted_at is null and ($1::text is null or name ilike $1 or slug ilike $1)
        order by status in ('suspended', 'cancelled'), lower(name), id limit 50`,
      [pattern],
    );
    return rows.map(toPlatformTenant);
  }

  async platformTenant(tenantId: string): Promise<PlatformTenant | null> {
    const rows: PlatformTenantRow[] = await this.dataSource.query(
      `select ${PLATFORM_TENANT} from tenants where id = $1 and deleted_at is null`,
      [tenantId],
    );
    return rows[0] ? toPlatformTenant(rows[0]) : null;
  }

  /**
   * One page of the console's list (live tenants across all, on the platform
   * path) and how many match in all; `nextCursor` continues it in the same
   * sort and order (null: the last page).
   */
  async consolePage(
    query: ConsoleTenantQuery,
  ): Promise<{ rows: ConsoleTenantRow[]; total: number; nextCursor: string | null }> {
    const sort = SORTS[query.sort];
    const order = query.order ?? sort.natural;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const filters = ['t.deleted_at is null'];
    if (query.search) filters.push(matches(param(query.search.pattern), param(query.search.tenantIds)));
    if (query.status) filters.push(`t.status = ${param(query.status)}`);
    if (query.plan) filters.push(`t.plan = ${param(query.plan)}`);
    const where = filters.join(' and ');
    const [{ total }] = await this.platform.query<{ total: number }>(
      `select count(*)::int as total from tenants t where ${where}`,
      [...params],
    );
    const pageFilters = [where];
    if (query.cursor) pageFilters.push(afterCursor(query.sort, order, query.cursor, param));
    const counts =
      query.sort === 'members'
        ? memberCounts(
            param((query.memberCounts ?? []).map((c) => c.tenantId)),
            param((query.memberCounts ?? []).map((c) => c.members)),
          )
        : '';
    const rows = await this.platform.query<ConsoleTenantRow & { sort_key: string }>(
      `select ${sort.text} as sort_key, ${CONSOLE_COLUMNS}
         from tenants t ${counts} where ${pageFilters.join(' and ')}
        order by ${sort.key} ${order}, t.id ${order} limit ${param(query.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      rows: page,
      total,
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor(cursorScope(query.sort, order), { key: last.sort_key, id: last.id })
          : null,
    };
  }

  /** A live tenant as the console's list shows it (on the platform path). */
  async consoleRow(tenantId: string): Promise<ConsoleTenantRow | null> {
    const [row] = await this.platform.query<ConsoleTenantRow>(
      `select ${CONSOLE_COLUMNS} from tenants t where t.id = $1 and t.deleted_at is null`,
      [tenantId],
    );
    return row ?? null;
  }

  /** Renames the tenant, in the context's tenant transaction (the tenant's own). */
  async rename(tenantId: string, name: string): Promise<void> {
    await (await this.db.manager()).query('update tenants set name = $2 where id = $1', [tenantId, name]);
  }

  /** Whether support needs the tenant's consent to act as its people, in the context's tenant transaction. */
  async setImpersonationConsentRequired(tenantId: string, required: boolean): Promise<void> {
    await (
      await this.db.manager()
    ).query('update tenants set impersonation_consent_required = $2 where id = $1', [tenantId, required]);
  }

  async lifecycleOf(tenantId: string): Promise<TenantLifecycleRow | null> {
    const rows: TenantLifecycleRow[] = await this.db.globalTransaction((m) =>
      m.query(`select ${LIFECYCLE} from tenants where id = $1`, [tenantId]),
    );
    return rows[0] ?? null;
  }

  /** Suspends a live tenant, with the reason its people see. */
  suspend(tenantId: string, reason: string): Promise<boolean> {
    return this.change(
      `update tenants set status = 'suspended', suspended_reason = $2 where id = $1 and deleted_at is null`,
      [tenantId, reason],
    );
  }

  reactivate(tenantId: string): Promise<boolean> {
    return this.change(
      `update tenants set status = 'active', suspended_reason = null where id = $1 and deleted_at is null`,
      [tenantId],
    );
  }

  markDeleted(tenantId: string, purgeAfter: Date): Promise<boolean> {
    return this.change('update tenants set deleted_at = now(), purge_after = $2 where id = $1 and deleted_at is null', [
      tenantId,
      purgeAfter,
    ]);
  }

  restore(tenantId: string): Promise<boolean> {
    return this.change(
      'update tenants set deleted_at = null, purge_after = null where id = $1 and deleted_at is not null and purged_at is null',
      [tenantId],
    );
  }

  /** Deleted tenants not purged yet, the soonest purge first. */
  async awaitingPurge(limit: number): Promise<TenantLifecycleRow[]> {
    return this.db.globalTransaction((m) =>
      m.query(
        `select ${LIFECYCLE} from tenants where deleted_at is not null and purged_at is null order by purge_after, id limit $1`,
        [limit],
      ),
    );
  }

  /** Ids of the deleted tenants whose grace period is over at `now`, the longest due first. */
  async dueForPurge(now: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.db.globalTransaction((m) =>
      m.query(
        'select id from tenants where deleted_at is not null and purged_at is null and purge_after <= $1 order by purge_after',
        [now],
      ),
    );
    return rows.map((r) => r.id);
  }

  /** Ids of the tenants that serve requests: not deleted, not suspended or cancelled. */
  async serving(): Promise<string[]> {
    const rows: { id: string }[] = await this.db.globalTransaction((m) =>
      m.query(`select id from tenants where deleted_at is null and ${SERVES} order by id`),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Another module's rows that name a tenant (`tenantOf`), each with that
   * tenant's summary, leaving out rows whose tenant is deleted (or, with
   * `serving`, suspended or cancelled too). Order is kept.
   */
  async withTenants<T>(
    rows: T[],
    tenantOf: (row: T) => string,
    { serving = false } = {},
  ): Promise<{ row: T; tenant: TenantSummary }[]> {
    if (rows.length === 0) return [];
    const found: TenantSummary[] = await this.db.globalTransaction((m) =>
      m.query(
        `select id, slug, name from tenants where id = any($1::uuid[]) and deleted_at is null${serving ? ` and ${SERVES}` : ''}`,
        [[...new Set(rows.map(tenantOf))]],
      ),
    );
    const byId = new Map(found.map((t) => [t.id, t]));
    return rows.flatMap((row) => {
      const tenant = byId.get(tenantOf(row));
      return tenant ? [{ row, tenant }] : [];
    });
  }

  /** The names of the tenants among `ids`, deleted ones too (a record about a tenant outlives it), by id. */
  async names(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; name: string }[] = await this.db.globalTransaction((m) =>
      m.query('select id, name from tenants where id = any($1::uuid[])', [[...new Set(ids)]]),
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Marks the purge done, in the purge's own transaction on the tenant's platform path (`m`). */
  async markPurged(m: EntityManager, tenantId: string): Promise<void> {
    await m.query('update tenants set purged_at = now() where id = $1', [tenantId]);
  }

  private async change(sql: string, params: unknown[]): Promise<boolean> {
    const [, count]: [unknown, number] = await this.db.globalTransaction((m) => m.query(sql, params));
    return count > 0;
  }

  /** The tenant's row as an export keeps it (every column, as JSON), read in the export's transaction (`m`). */
  async exportedRow(
    m: EntityManager,
    tenantId: string,
  ): Promise<Record<string, unknown> & { id: string; slug: string; name: string; plan: string }> {
    const [row]: { j: Record<string, unknown> & { id: string; slug: string; name: string; plan: string } }[] =
      await m.query(`select row_to_json(t) as j from tenants t where id = $1`, [tenantId]);
    return row.j;
  }

  /**
   * The id of the live tenant at `slug`, or null: for the import tool, which
   * works in a transaction of the platform role (`m`) outside the app.
   */
  static async liveIdBySlug(m: EntityManager, slug: string): Promise<string | null> {
    const [existing]: { id: string }[] = await m.query(
      'select id from tenants where slug = $1 and deleted_at is null',
      [slug],
    );
    return existing?.id ?? null;
  }

  /** A new, active tenant with an export's settings (the import tool, in its transaction `m`); its id. */
  static async insertImported(
    m: EntityManager,
    tenant: {
      slug: string;
      name: unknown;
      plan: unknown;
      industry: unknown;
      featureOverrides: unknown;
      impersonationConsentRequired: unknown;
    },
  ): Promise<string> {
    const [{ id }]: { id: string }[] = await m.query(
      `insert into tenants (slug, name, status, plan, industry, feature_overrides, impersonation_consent_required) values ($1, $2, 'active', $3, $4, $5, $6) returning id`,
      [
        tenant.slug,
        tenant.name,
        tenant.plan,
        tenant.industry,
        tenant.featureOverrides,
        tenant.impersonationConsentRequired,
      ],
    );
    return id;
  }
}

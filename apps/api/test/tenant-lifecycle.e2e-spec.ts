import { TenantLifecycleService } from '@tenantry/api-lifecycle';
import type { DeletedTenant, PlatformTenant } from '@tenantry/contracts';
import { solidPng } from '@tenantry/testing/images';
import { seedProbeTenant } from './support/isolation-probe.js';
import { signIn } from './support/sessions.js';
import { withOperator } from './support/console-app.js';
import { errorOf } from './support/error-body.js';

const { t, platform } = withOperator();

/** Rows per tenant table (from the catalog) of one tenant. */
async function rowCounts(tenantId: string): Promise<Record<string, number>> {
  const { rows: tables } = await t.data.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
       join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' where c.relkind = 'r' and c.relname <> 'tenants' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables)
    counts[name] = (
      await t.data.query<{ n: number }>(`select count(*)::int as n from "${name}" where tenant_id = $1`, [tenantId])
    ).rows[0].n;
  return counts;
}

describe('tenant lifecycle', () => {
  it('suspends a tenant with a reason its people see, and reactivates it', async () => {
    const tenant = await t.data.aTenant();
    const member = await t.data.aMember(tenant, 'member');
    const token = (await signIn(t, member)).accessToken;
    expect(
      errorOf(await platform('post', `/tenants/${tenant.id}/suspend`).send({ reason: ' ' }).expect(400)).code,
    ).toBe('VALIDATION_FAILED');
    const suspended = (
      await platform('post', `/tenants/${tenant.id}/suspend`)
        .send({ reason: 'Unpaid invoices since March.' })
        .expect(200)
    ).body as PlatformTenant;
    expect(suspended).toMatchObject({ status: 'suspended', suspendedReason: 'Unpaid invoices since March.' });
    const refused = await t.http
      .get('/api/contacts')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${token}`)
      .expect(403);
    expect(errorOf(refused)).toMatchObject({
      code: 'TENANT_SUSPENDED',
      details: { status: 'suspended', reason: 'Unpaid invoices since March.' },
    });
    expect(
      errorOf(await t.http.get('/api/branding').set('Host', `${tenant.slug}.localhost`).expect(403)).details,
    ).toMatchObject({ reason: 'Unpaid invoices since March.' });

    expect(
      (await platform('post', `/tenants/${tenant.id}/reactivate`).expect(200)).body as PlatformTenant,
    ).toMatchObject({ status: 'active', suspendedReason: null });
    await t.http
      .get('/api/contacts')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    const { rows } = await t.data.query<{ action: string }>(
      `select action from platform_audit_events where subject_id = $1 order by created_at`,
      [tenant.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['tenant.suspended', 'tenant.reactivated']);
    const own = await t.data.query<{ action: string }>(
      `select action from audit_events where tenant_id = $1 and action like 'tenant.%' order by created_at`,
      [tenant.id],
    );
    expect(own.rows.map((r) => r.action)).toEqual(['tenant.suspended', 'tenant.reactivated']);
  });

  it('deletes softly (gone at once, restorable), and is for super admins only', async () => {
    const tenant = await t.data.aTenant();
    const owner = await t.data.aMember(tenant, 'owner');
    const ownerToken = (await signIn(t, owner)).accessToken;
    expect(
      errorOf(
        await t.http
          .delete(`/api/platform/tenants/${tenant.id}`)
          .set('Host', `${tenant.slug}.localhost`)
          .set('Authorization', `Bearer ${ownerToken}`)
          .expect(403),
      ).code,
    ).toBe('FORBIDDEN');

    const deleted = (await platform('delete', `/tenants/${tenant.id}`).expect(200)).body as DeletedTenant;
    expect(Date.parse(deleted.purgeAfter) - Date.parse(deleted.deletedAt)).toBeGreaterThan(29 * 86_400_000);
    expect(errorOf(await t.http.get('/api/branding').set('Host', `${tenant.slug}.localhost`).expect(404)).code).toBe(
      'TENANT_NOT_FOUND',
    );
    expect(
      ((await platform('get', '/tenants/deleted').expect(200)).body as DeletedTenant[]).map((d) => d.id),
    ).toContain(tenant.id);
    expect(errorOf(await platform('delete', `/tenants/${tenant.id}`).expect(404)).code).toBe('TENANT_NOT_FOUND');

    await platform('post', `/tenants/${tenant.id}/restore`).expect(200);
    await t.http
      .get('/api/contacts')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${ownerToken}`)
      .expect(200);
    expect(
      ((await platform('get', '/tenants/deleted').expect(200)).body as DeletedTenant[]).map((d) => d.id),
    ).not.toContain(tenant.id);
  });

  it('purges every row of the tenant from every tenant table and its files, and nothing of any other tenant', async () => {
    const victim = await seedProbeTenant(t);
    const neighbour = await seedProbeTenant(t);
    for (const probe of [victim, neighbour]) {
      const token = (await signIn(t, probe.members.owner)).accessToken;
      await t.http
        .put('/api/branding/assets/logo')
        .set('Host', `${probe.tenant.slug}.localhost`)
        .set('Authorization', `Bearer ${token}`)
        .attach('file', solidPng(8, 8), 'logo.png')
        .expect(200);
    }
    const victimLogo = (await t.http.get('/api/branding').set('Host', `${victim.tenant.slug}.localhost`).expect(200))
      .body.logoUrl as string;
    const neighbourLogo = (
      await t.http.get('/api/branding').set('Host', `${neighbour.tenant.slug}.localhost`).expect(200)
    ).body.logoUrl as string;
    const before = await rowCounts(victim.tenant.id);
    const neighbourBefore = await rowCounts(neighbour.tenant.id);
    // The seeded tenant has rows in most tables: the purge has something to prove.
    expect(Object.values(before).filter((n) => n > 0).length).toBeGreaterThanOrEqual(8);

    await platform('delete', `/tenants/${victim.tenant.id}`).expect(200);
    const lifecycle = t.app.get(TenantLifecycleService);
    expect(await lifecycle.purgeDue(new Date())).toBe(0); // still within its grace period
    // Due then: the victim, and the deleted sibling each probe tenant has (for the probe's restore route).
    const later = new Date(Date.now() + 31 * 86_400_000);
    const { rows: due } = await t.data.query<{ id: string }>(
      'select id from tenants where deleted_at is not null and purge_after < $1',
      [later],
    );
    expect(due.map((d) => d.id)).toContain(victim.tenant.id);
    expect(await lifecycle.purgeDue(later)).toBe(due.length);

    const after = await rowCounts(victim.tenant.id);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    expect(await rowCounts(neighbour.tenant.id)).toEqual(neighbourBefore);
    await t.http.get(victimLogo).expect(404);
    await t.http.get(neighbourLogo).expect(200);
    const { rows } = await t.data.query<{ purged_at: Date | null; slug: string }>(
      'select purged_at, slug from tenants where id = $1',
      [victim.tenant.id],
    );
    expect(rows[0].purged_at).not.toBeNull(); // the row stays: the address is never handed out again
    expect(errorOf(await platform('post', `/tenants/${victim.tenant.id}/restore`).expect(410)).code).toBe(
      'TENANT_PURGED',
    );
    expect(
      (await t.http.get('/api/auth/signup/slug').query({ slug: victim.tenant.slug }).expect(200)).body,
    ).toMatchObject({ available: false, reason: 'taken' });
  });
});

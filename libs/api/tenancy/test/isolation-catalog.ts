import type pg from 'pg';

/** SECURITY DEFINER functions reviewed and allowed to run with their owner's rights. */
export const SECURITY_DEFINER_ALLOW_LIST: string[] = [];

/**
 * Extra policies reviewed and allowed beside the tenant policy: read-only, and
 * matching nothing inside a tenant transaction (see MEMBERSHIP_OWNER_POLICY).
 */
export const REVIEWED_EXTRA_POLICIES: Record<string, { name: string; cmd: 'SELECT'; qual: RegExp }> = {
  memberships: {
    name: 'own_memberships',
    cmd: 'SELECT',
    qual: /^\(\(user_id = \( SELECT \(NULLIF\(current_setting\('app\.user_id'::text, true\), ''::text\)\)::uuid AS "nullif"\)\) AND \(\( SELECT NULLIF\(current_setting\('app\.tenant_id'::text, true\), ''::text\) AS "nullif"\) IS NULL\)\)$/,
  },
  // Outside any tenant: verified domains whose tenant lets people of that domain join (read-only).
  verified_domains: {
    name: 'auto_join_domains',
    cmd: 'SELECT',
    qual: /^\(\(verified_at IS NOT NULL\) AND auto_join AND \(\( SELECT NULLIF\(current_setting\('app\.tenant_id'::text, true\), ''::text\) AS "nullif"\) IS NULL\)\)$/,
  },
  // Outside any tenant: verified custom host names, to resolve a request's Host to its tenant (read-only).
  custom_domains: {
    name: 'verified_custom_domains',
    cmd: 'SELECT',
    qual: /^\(\(verified_at IS NOT NULL\) AND \(\( SELECT NULLIF\(current_setting\('app\.tenant_id'::text, true\), ''::text\) AS "nullif"\) IS NULL\)\)$/,
  },
};

/**
 * Unique indexes without tenant_id reviewed and allowed: each tells a tenant
 * whether another holds a value, so the value must be public anyway.
 */
export const REVIEWED_GLOBAL_UNIQUE_INDEXES: Record<string, string> = {
  // A verified custom host name routes to one tenant (DOMAIN_TAKEN); it already serves that tenant publicly.
  custom_domains_verified_hostname:
    'CREATE UNIQUE INDEX custom_domains_verified_hostname ON public.custom_domains USING btree (hostname) WHERE (verified_at IS NOT NULL)',
};

const POLICY =
  /^\(tenant_id = \( SELECT \(NULLIF\(current_setting\('app\.tenant_id'::text, true\), ''::text\)\)::uuid AS "nullif"\)\)$/;

/**
 * Reads the catalog and lists every way a table, view or function could let
 * one tenant see or infer another's rows. Empty means fully covered.
 */
export async function findIsolationGaps(client: pg.Client | pg.Pool, appRole = 'tenantry_app'): Promise<string[]> {
  const gaps: string[] = [];
  const { rows: tables } = await client.query<{
    oid: number;
    name: string;
    rls: boolean;
    forced: boolean;
    owner: string;
    type: string;
    notnull: boolean;
  }>(`
    select c.oid, c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
           pg_get_userbyid(c.relowner) as owner, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
     where c.relkind in ('r', 'p')`);
  const tenantTables = new Set(tables.map((t) => t.oid));

  for (const t of tables) {
    if (t.type !== 'uuid' || !t.notnull) gaps.push(`${t.name}: tenant_id must be uuid not null`);
    if (!t.rls) gaps.push(`${t.name}: row level security is not enabled`);
    if (!t.forced) gaps.push(`${t.name}: row level security is not forced`);
    if (t.owner === appRole) gaps.push(`${t.name}: owned by the app role`);

    const { rows: policies } = await client.query<{
      name: string;
      cmd: string;
      permissive: string;
      roles: string[];
      qual: string | null;
      check: string | null;
    }>(
      `select policyname as name, cmd, permissive, roles::text[] as roles, qual, with_check as check
         from pg_policies where schemaname = 'public' and tablename = $1`,
      [t.name],
    );
    const extra = REVIEWED_EXTRA_POLICIES[t.name];
    const reviewed = policies.filter((p) => extra && p.name === extra.name);
    for (const p of reviewed) {
      if (p.cmd !== extra.cmd || p.check !== null || !p.qual || !extra.qual.test(p.qual)) {
        gaps.push(`${t.name}: reviewed policy ${p.name} changed: ${p.cmd} USING ${p.qual} CHECK ${p.check}`);
      }
    }
    const tenantPolicies = policies.filter((p) => !reviewed.includes(p));
    if (tenantPolicies.length !== 1)
      gaps.push(`${t.name}: expected exactly one tenant policy, found ${tenantPolicies.length}`);
    for (const p of tenantPolicies) {
      if (p.cmd !== 'ALL' || p.permissive !== 'PERMISSIVE')
        gaps.push(`${t.name}: policy ${p.name} must be a permissive policy FOR ALL`);
      if (!p.roles.includes('public')) gaps.push(`${t.name}: policy ${p.name} must apply to every role`);
      if (!p.qual || !POLICY.test(p.qual))
        gaps.push(`${t.name}: policy ${p.name} USING is not the tenant predicate: ${p.qual}`);
      if (!p.check || !POLICY.test(p.check))
        gaps.push(`${t.name}: policy ${p.name} WITH CHECK is not the tenant predicate: ${p.check}`);
    }

    const { rows: constraints } = await client.query<{
      name: string;
      type: string;
      cols: string[];
      ref: number;
      refcols: string[] | null;
    }>(
      `select con.conname as name, con.contype as type,
              array(select a.attname::text from unnest(con.conkey) k join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k) as cols,
              con.confrelid as ref,
              array(select a.attname::text from unnest(con.confkey) k join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k) as refcols
         from pg_constraint con where con.conrelid = $1`,
      [t.oid],
    );
    const pk = constraints.find((c) => c.type === 'p');
    if (!pk || pk.cols[0] !== 'tenant_id') gaps.push(`${t.name}: primary key must lead with tenant_id`);
    for (const c of constraints) {
      if (c.type === 'u' && !c.cols.includes('tenant_id'))
        gaps.push(`${t.name}: unique constraint ${c.name} lacks tenant_id (existence oracle)`);
      if (
        c.type === 'f' &&
        tenantTables.has(c.ref) &&
        !(c.cols.includes('tenant_id') && c.refcols?.includes('tenant_id'))
      ) {
        gaps.push(`${t.name}: foreign key ${c.name} to a tenant table lacks tenant_id`);
      }
    }
    const { rows: uniqueIndexes } = await client.query<{ name: string; def: string; cols: string[] }>(
      `select i.relname as name, pg_get_indexdef(x.indexrelid) as def,
              array(select a.attname::text from unnest(x.indkey) k join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k) as cols
         from pg_index x join pg_class i on i.oid = x.indexrelid
        where x.indrelid = $1 and x.indisunique`,
      [t.oid],
    );
    for (const ix of uniqueIndexes) {
      if (REVIEWED_GLOBAL_UNIQUE_INDEXES[ix.name] === ix.def) continue;
      if (!ix.cols.includes('tenant_id'))
        gaps.push(`${t.name}: unique index ${ix.name} lacks tenant_id (existence oracle)`);
    }
  }

  const { rows: views } = await client.query<{ name: string; options: string[] | null }>(`
    select c.relname as name, c.reloptions as options
      from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
     where c.relkind in ('v', 'm')`);
  for (const v of views) {
    const invoker = (v.options ?? []).some((o) => /^security_invoker=(true|on|1)$/i.test(o));
    if (!invoker) gaps.push(`view ${v.name}: must be created WITH (security_invoker = true)`);
  }

  const { rows: definers } = await client.query<{ name: string }>(`
    select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace and n.nspname = 'public'
     where p.prosecdef`);
  for (const f of definers) {
    if (!SECURITY_DEFINER_ALLOW_LIST.includes(f.name))
      gaps.push(`function ${f.name}: SECURITY DEFINER and not on the allow-list`);
  }

  const { rows: role } = await client.query<{ bypass: boolean; superuser: boolean; owned: number }>(
    `select r.rolbypassrls as bypass, r.rolsuper as superuser,
            (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
       from pg_roles r where r.rolname = $1`,
    [appRole],
  );
  if (!role[0]) gaps.push(`role ${appRole} does not exist`);
  else {
    if (role[0].bypass || role[0].superuser) gaps.push(`role ${appRole} can bypass row level security`);
    if (role[0].owned > 0) gaps.push(`role ${appRole} owns ${role[0].owned} relations`);
  }
  return gaps;
}

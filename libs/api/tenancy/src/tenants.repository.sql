-- Written by libs/api/tenancy/test/tenants.repository.int-spec.ts (UPDATE_QUERIES=1): the SQL each case sends.

-- consolePage: newest first
select count(*)::int as total from tenants t where t.deleted_at is null;
select to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_key, t.id, t.slug, t.name, t.status, t.plan, t.created_at, t.suspended_reason, t.impersonation_consent_required,
  (select d.name from tenant_databases d where d.id = t.database_id) as database
  from tenants t  where t.deleted_at is null
  order by t.created_at desc, t.id desc limit $1;

-- consolePage: a search, a status and a plan, by name, after a cursor
select count(*)::int as total from tenants t where t.deleted_at is null and t.id in (
  select id from tenants where name ilike $1 or slug ilike $1
  union select unnest($2::uuid[])) and t.status = $3 and t.plan = $4;
select lower(t.name) as sort_key, t.id, t.slug, t.name, t.status, t.plan, t.created_at, t.suspended_reason, t.impersonation_consent_required,
  (select d.name from tenant_databases d where d.id = t.database_id) as database
  from tenants t  where t.deleted_at is null and t.id in (
  select id from tenants where name ilike $1 or slug ilike $1
  union select unnest($2::uuid[])) and t.status = $3 and t.plan = $4 and (lower(t.name), t.id) > ($5::text, $6::uuid)
  order by lower(t.name) asc, t.id asc limit $7;

-- consolePage: by members, fewest first, after a cursor
select count(*)::int as total from tenants t where t.deleted_at is null;
select coalesce(mc.members, 0)::text as sort_key, t.id, t.slug, t.name, t.status, t.plan, t.created_at, t.suspended_reason, t.impersonation_consent_required,
  (select d.name from tenant_databases d where d.id = t.database_id) as database
  from tenants t left join unnest($3::uuid[], $4::bigint[]) as mc(tenant_id, members) on mc.tenant_id = t.id where t.deleted_at is null and (coalesce(mc.members, 0), t.id) > ($1::int, $2::uuid)
  order by coalesce(mc.members, 0) asc, t.id asc limit $5;

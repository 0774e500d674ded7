-- Written by libs/api/contacts/test/contacts.int-spec.ts (UPDATE_QUERIES=1): the SQL each case sends.

-- page: newest first
select id, name, email, company, tags, notes, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt", to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt" from contacts  order by created_at desc, id desc limit $1;

-- page: a search, newest first, after a cursor
select id, name, email, company, tags, notes, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt", to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt" from contacts where (name ilike $1 or email ilike $1 or company ilike $1) and (created_at, id) < ($2::timestamptz, $3::uuid) order by created_at desc, id desc limit $4;

-- page: by name, after a cursor
select id, name, email, company, tags, notes, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt", to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt" from contacts where (lower(name), id) > ($1, $2::uuid) order by lower(name) asc, id asc limit $3;

-- find
select id, name, email, company, tags, notes, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt", to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt" from contacts where id = $1;

-- Written by libs/api/people/test/people.int-spec.ts (UPDATE_QUERIES=1): the SQL each case sends.

-- memberPage: by email
select ms.id, ms.user_id, u.email, u.display_name, ms.role, ms.created_at
  from memberships ms join users u on u.id = ms.user_id
  order by u.email, ms.id limit $1;

-- memberPage: a search, after a cursor
select ms.id, ms.user_id, u.email, u.display_name, ms.role, ms.created_at
  from memberships ms join users u on u.id = ms.user_id
  where (u.email ilike $2 or u.display_name ilike $2) and (u.email, ms.id) > ($3, $4::uuid)
  order by u.email, ms.id limit $1;

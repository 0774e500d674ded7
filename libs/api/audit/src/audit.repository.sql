-- Written by libs/api/audit/test/audit.int-spec.ts (UPDATE_QUERIES=1): the SQL each case sends.

-- page: newest first
SELECT "e"."tenant_id" AS "e_tenant_id", "e"."id" AS "e_id", "e"."action" AS "e_action", "e"."actor_user_id" AS "e_actor_user_id", "e"."actor_label" AS "e_actor_label", "e"."on_behalf_of_user_id" AS "e_on_behalf_of_user_id", "e"."on_behalf_of_label" AS "e_on_behalf_of_label", "e"."target_type" AS "e_target_type", "e"."target_id" AS "e_target_id", "e"."target_label" AS "e_target_label", "e"."ip" AS "e_ip", "e"."user_agent" AS "e_user_agent", "e"."metadata" AS "e_metadata", "e"."created_at" AS "e_created_at", to_char("e"."created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursor_key" FROM "audit_events" "e" ORDER BY "e"."created_at" DESC, "e"."id" DESC LIMIT 51;

-- page: one person's actions of one kind in a time range, after a cursor
SELECT "e"."tenant_id" AS "e_tenant_id", "e"."id" AS "e_id", "e"."action" AS "e_action", "e"."actor_user_id" AS "e_actor_user_id", "e"."actor_label" AS "e_actor_label", "e"."on_behalf_of_user_id" AS "e_on_behalf_of_user_id", "e"."on_behalf_of_label" AS "e_on_behalf_of_label", "e"."target_type" AS "e_target_type", "e"."target_id" AS "e_target_id", "e"."target_label" AS "e_target_label", "e"."ip" AS "e_ip", "e"."user_agent" AS "e_user_agent", "e"."metadata" AS "e_metadata", "e"."created_at" AS "e_created_at", to_char("e"."created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursor_key" FROM "audit_events" "e" WHERE "e"."actor_user_id" = $1 AND "e"."action" = $2 AND "e"."created_at" >= $3 AND "e"."created_at" < $4 AND ("e"."created_at", "e"."id") < ($5::timestamptz, $6) ORDER BY "e"."created_at" DESC, "e"."id" DESC LIMIT 51;

-- page: an actor by email
SELECT "e"."tenant_id" AS "e_tenant_id", "e"."id" AS "e_id", "e"."action" AS "e_action", "e"."actor_user_id" AS "e_actor_user_id", "e"."actor_label" AS "e_actor_label", "e"."on_behalf_of_user_id" AS "e_on_behalf_of_user_id", "e"."on_behalf_of_label" AS "e_on_behalf_of_label", "e"."target_type" AS "e_target_type", "e"."target_id" AS "e_target_id", "e"."target_label" AS "e_target_label", "e"."ip" AS "e_ip", "e"."user_agent" AS "e_user_agent", "e"."metadata" AS "e_metadata", "e"."created_at" AS "e_created_at", to_char("e"."created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursor_key" FROM "audit_events" "e" WHERE lower("e"."actor_label") = lower($1) ORDER BY "e"."created_at" DESC, "e"."id" DESC LIMIT 51;

-- platformPage: newest first
select e.id, e.action, e.actor_user_id, e.actor_label, e.subject_type, e.subject_id, e.metadata, e.created_at,
  to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_key
  from platform_audit_events e
  order by e.created_at desc, e.id desc limit $1;

-- platformPage: a family of actions by one operator on one tenant, after a cursor
select e.id, e.action, e.actor_user_id, e.actor_label, e.subject_type, e.subject_id, e.metadata, e.created_at,
  to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_key
  from platform_audit_events e
  where e.action like $1 and lower(e.actor_label) = lower($2) and e.subject_type = 'tenant' and e.subject_id = $3 and e.created_at >= $4 and e.created_at < $5 and (e.created_at, e.id) < ($6::timestamptz, $7::uuid)
  order by e.created_at desc, e.id desc limit $8;

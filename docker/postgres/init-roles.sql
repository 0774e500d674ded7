-- Tenantry database roles. Run as a superuser with psql, idempotent:
--   psql -v owner_password=... -v app_password=... -v platform_password=... -v db=tenantry -f init-roles.sql
-- owner:    owns the schema and runs migrations; may create databases (tests use templates).
-- app:      what the API connects as; owns nothing, cannot bypass row-level security.
-- platform: the explicit cross-tenant path (seed, operator jobs); owns nothing, bypasses RLS.
SELECT format('CREATE ROLE tenantry_owner LOGIN CREATEDB PASSWORD %L', :'owner_password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tenantry_owner') \gexec
SELECT format('CREATE ROLE tenantry_app LOGIN PASSWORD %L', :'app_password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tenantry_app') \gexec
SELECT format('CREATE ROLE tenantry_platform LOGIN BYPASSRLS PASSWORD %L', :'platform_password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tenantry_platform') \gexec

SET client_min_messages = warning;

-- Re-assert the attributes every time, so a role edited by hand is put right.
ALTER ROLE tenantry_owner NOSUPERUSER NOBYPASSRLS CREATEDB NOCREATEROLE;
ALTER ROLE tenantry_app NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
ALTER ROLE tenantry_platform NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE;
-- The owner grants table rights to the other two in migrations.
GRANT tenantry_app TO tenantry_owner;
GRANT tenantry_platform TO tenantry_owner;

SELECT format('CREATE DATABASE %I OWNER tenantry_owner', :'db')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec

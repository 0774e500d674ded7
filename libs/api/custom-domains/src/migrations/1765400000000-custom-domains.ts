import { createTenantTable } from '@tenantry/api-tenancy/migrations';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants' own host names (`app.acme.com`), verified by a DNS TXT record, routing to their workspace. */
export class CustomDomains1765400000000 implements MigrationInterface {
  name = 'CustomDomains1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await createTenantTable(q, 'custom_domains', {
      columns: [
        'id uuid not null default gen_random_uuid()',
        'hostname text not null',
        'verification_token text not null',
        'created_by uuid references users(id) on delete set null',
        'created_at timestamptz not null default now()',
        'verified_at timestamptz',
        'last_checked_at timestamptz',
        'last_check_error text',
        // Verified, but the daily check has not seen the TXT record since then.
        'failing_since timestamptz',
      ],
      constraints: ['unique (tenant_id, hostname)'],
    });
    // Reviewed (see the isolation catalog): a host name routes to one tenant, so
    // only one tenant can hold it verified. Pending claims do not block anyone
    // (nobody can squat a name they cannot prove), and a verified host name is
    // public anyway: it serves that tenant's sign-in page to the whole internet.
    await q.query(
      'create unique index custom_domains_verified_hostname on custom_domains (hostname) where verified_at is not null',
    );
    // Reviewed extra policy: outside any tenant, verified host names are readable,
    // so a request's Host can be resolved to its tenant. Inside a tenant this matches nothing.
    await q.query(`create policy verified_custom_domains on custom_domains for select using (
      verified_at is not null and (select nullif(current_setting('app.tenant_id', true), '')) is null)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table custom_domains');
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PasswordHasher } from '@tenantry/api-auth';
import { PlatformDatabase } from '@tenantry/api-tenancy';
import { configFromEnvironment } from '../environment.js';

/**
 * Loads the demo data (tools/seed/demo-data.json) through the platform path.
 * Idempotent: tenants and users that exist are left as they are.
 */
interface DemoData {
  password: string;
  superAdmin: { email: string; displayName: string };
  tenants: { slug: string; name: string; primaryColor: string; companies: string[] }[];
  roles: string[];
  sharedUser: { email: string; displayName: string; role: string };
  listPrices: Record<string, { amount: number; currency: string }>;
  /** A tenant that trusts `npm start`'s demo identity provider (tools/demo) for one verified domain. */
  sso: {
    tenant: string;
    domain: string;
    connectionName: string;
    /** Where the demo IdP keeps its key pair (tools/demo/demo-idp-keys.ts); its certificate is pinned here. */
    keysDirectory: string;
    people: { email: string; firstName: string; lastName: string }[];
  };
  /** Prices of the demo's local billing test mode (tools/demo/stripe-server.ts serves them). */
  stripePrices: Record<string, { base: { id: string }; seat: { id: string } }>;
  firstNames: string[];
  lastNames: string[];
}

const file = process.argv[2] ?? 'tools/seed/demo-data.json';
const demo = JSON.parse(readFileSync(file, 'utf8')) as DemoData;
const { database, http, tenancy, billing, demo: demoServices } = configFromEnvironment();
const idpOrigin = `http://${tenancy.baseDomain}:${demoServices.idpPort}`;
const idpCertificateFile = join(demo.sso.keysDirectory, 'certificate.pem');
const idpCertificate = existsSync(idpCertificateFile) ? readFileSync(idpCertificateFile, 'utf8') : null;
const platform = await PlatformDatabase.connect(database.platformUrl);
const hash = await new PasswordHasher().hash(demo.password);
const logins: string[][] = [];

try {
  await platform.transaction(async (tx) => {
    const user = async (email: string, displayName: string, platformRole = 'none'): Promise<string> => {
      const [row] = await tx.query(
        // Demo addresses are not real mailboxes: they count as confirmed.
        `insert into users (email, display_name, password_hash, platform_role, email_verified_at) values ($1, $2, $3, $4, now())
         on conflict (email) do update set email = excluded.email returning id`,
        [email, displayName, hash, platformRole],
      );
      return row.id;
    };
    await user(demo.superAdmin.email, demo.superAdmin.displayName, 'super_admin');
    logins.push(['platform (no tenant)', 'super_admin', demo.superAdmin.email]);
    const sharedId = await user(demo.sharedUser.email, demo.sharedUser.displayName);

    // List prices of the plans (tenants billed by hand count in the console's MRR); a price set in the console stays.
    for (const [plan, price] of Object.entries(demo.listPrices)) {
      await tx.query(
        'update plans set monthly_price = $2, price_currency = $3 where code = $1 and monthly_price is null',
        [plan, price.amount, price.currency],
      );
    }
    // Billing test mode (no STRIPE_SECRET_KEY: `npm start` runs tools/demo/stripe-server.ts) sells the demo prices;
    // with Stripe's own keys, the prices set in the console stay.
    if (!billing.secretKey) {
      for (const [plan, prices] of Object.entries(demo.stripePrices)) {
        await tx.query(
          'update plans set stripe_price_id = $2, stripe_seat_price_id = $3 where code = $1 and stripe_price_id is null',
          [plan, prices.base.id, prices.seat.id],
        );
      }
    }
    for (const t of demo.tenants) {
      const [tenant] = await tx.query(
        // Pro plan with white-label branding switched on for the demo (a feature override, as the console sets it).
        `insert into tenants (slug, name, status, plan, feature_overrides) values ($1, $2, 'active', 'pro', '{"custom_branding": {"enabled": true, "config": null}}')
         on conflict (slug) do update set slug = excluded.slug returning id, (xmax = 0) as created`,
        [t.slug, t.name],
      );
      await tx.query('insert into branding (tenant_id, primary_color) values ($1, $2) on conflict do nothing', [
        tenant.id,
        t.primaryColor,
      ]);
      const members: [string, string][] = demo.roles.map((role) => [`${role}@${t.slug}.test`, role]);
      for (const [email, role] of members) {
        const name = `${role[0].toUpperCase()}${role.slice(1)} of ${t.name}`;
        const userId = await user(email, name);
        await tx.query(
          `insert into memberships (tenant_id, user_id, role) values ($1, $2, $3) on conflict do nothing`,
          [tenant.id, userId, role],
        );
        logins.push([t.slug, role, email]);
      }
      await tx.query(`insert into memberships (tenant_id, user_id, role) values ($1, $2, $3) on conflict do nothing`, [
        tenant.id,
        sharedId,
        demo.sharedUser.role,
      ]);
      logins.push([t.slug, demo.sharedUser.role, demo.sharedUser.email]);
      if (tenant.created) {
        const contacts = demo.firstNames.flatMap((first, i) =>
          [0, 1, 2].map((j) => {
            const last = demo.lastNames[(i + j) % demo.lastNames.length];
            return {
              name: `${first} ${last}`,
              email: `${first}.${last}@${t.slug}-customers.test`.toLowerCase(),
              company: t.companies[(i + j) % t.companies.length],
            };
          }),
        );
        await tx.query(
          `insert into contacts (tenant_id, name, email, company, tags)
           select $1, c.name, c.email, c.company, array['demo'] from jsonb_to_recordset($2::jsonb) as c(name text, email text, company text)`,
          [tenant.id, JSON.stringify(contacts)],
        );
      }
    }

    // SSO: the tenant's verified domain, served by a connection to the demo IdP (as an owner sets it up in Settings).
    if (idpCertificate) {
      const [{ id: tenantId }] = await tx.query('select id from tenants where slug = $1', [demo.sso.tenant]);
      await tx.query(
        `insert into verified_domains (tenant_id, domain, verification_token, verified_at) values ($1, $2, 'demo', now())
         on conflict (tenant_id, domain) do update set verified_at = coalesce(verified_domains.verified_at, now())`,
        [tenantId, demo.sso.domain],
      );
      await tx.query(
        `insert into sso_connections (tenant_id, name, idp_entity_id, idp_sso_url, idp_certificates, attribute_mapping)
         select $1, $2, '', '', '{}', '{"firstName": "firstName", "lastName": "lastName"}'
         where not exists (select 1 from sso_connections where tenant_id = $1 and name = $2)`,
        [tenantId, demo.sso.connectionName],
      );
      // The IdP's address and key follow DEMO_IDP_PORT and its key files: every seed brings them up to date.
      await tx.query(
        `update sso_connections set idp_entity_id = $3, idp_sso_url = $4, idp_certificates = $5, domains = $6, updated_at = now()
         where tenant_id = $1 and name = $2`,
        [
          tenantId,
          demo.sso.connectionName,
          `${idpOrigin}/metadata`,
          `${idpOrigin}/sso`,
          [idpCertificate],
          [demo.sso.domain],
        ],
      );
    }
  });
} finally {
  await platform.close();
}

console.log(`\nDemo data ready. Every demo account's password: ${demo.password}\n`);
console.log('  tenant               role         email');
for (const [tenant, role, email] of logins) console.log(`  ${tenant.padEnd(20)} ${role.padEnd(12)} ${email}`);
// The addresses the API serves under its settings (PORT, BASE_DOMAIN), as `npm start` runs it.
const at = (host: string) => `http://${host}:${http.port}`;
console.log(
  `\n  Open ${at(`acme.${tenancy.baseDomain}`)} or ${at(`globex.${tenancy.baseDomain}`)} (or ${at(tenancy.baseDomain)} to pick a tenant).`,
);
const sso = demo.sso;
console.log(
  idpCertificate
    ? `  SSO: on ${at(`${sso.tenant}.${tenancy.baseDomain}`)}, "Continue with SSO" as ${sso.people.map((p) => p.email).join(' or ')} (people of the demo IdP, ${idpOrigin}).`
    : `  SSO: not set up (no demo IdP certificate in ${idpCertificateFile}; \`npm start\` makes one).`,
);
console.log('');

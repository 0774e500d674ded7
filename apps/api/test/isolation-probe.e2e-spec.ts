import { readFileSync } from 'node:fs';
import { Controller, Get, Module, type OnModuleDestroy, Param } from '@nestjs/common';
import { ContactsService } from '@tenantry/api-contacts';
import { RequirePermission } from '@tenantry/api-core';
import { PlatformDatabase } from '@tenantry/api-tenancy';
import type { Contact } from '@tenantry/contracts';
import { AppModule } from '../src/app.module.js';
import { probeIsolation, routeTable, seedProbeTenant } from './support/isolation-probe.js';
import { startTestApp } from './support/test-app.js';

// Tens of thousands of requests per probe: minutes, not the default 30 s.
const PROBE_TIMEOUT = 1_200_000;

/**
 * The probe's app: sign-in failures and signups by the probe's many calls must not
 * lock its own callers out, and webhook endpoints may point at the loopback
 * address (nothing listens there: deliveries fail at once).
 */
const PROBE_ENV = {
  LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000000',
  LOGIN_MAX_FAILURES_PER_IP: '1000000',
  SIGNUP_MAX_PER_IP: '1000000',
  WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
};

/**
 * Reviewed lists: the writes whose control cannot succeed in the probe (with
 * the answer they give and why), and the tables the app can write that no
 * tenant owns. A new entry in either is a change to review.
 */
const reviewed = JSON.parse(readFileSync(new URL('./isolation-probe.reviewed.json', import.meta.url), 'utf8')) as {
  writesThatCannotSucceed: Record<string, { status: number; code?: string; reason: string }>;
  globalTables: Record<string, string>;
};

describe('isolation probe', () => {
  it(
    "finds no route that returns or changes another tenant's data, for any role",
    async () => {
      const t = await startTestApp({ env: PROBE_ENV });
      try {
        const tenants = [await seedProbeTenant(t), await seedProbeTenant(t), await seedProbeTenant(t)];
        const routes = routeTable(t.app).map((r) => `${r.method} ${r.path}`);
        expect(routes).toEqual(
          expect.arrayContaining(['GET /api/contacts/:id', 'DELETE /api/contacts/:id', 'POST /api/auth/login']),
        );
        const { calls, fingerprinted, ...result } = await probeIsolation(t, tenants);
        // Rows reached through the catalog's keys, not only tenant_id: a tenant's own row, its people and their sessions.
        expect(fingerprinted).toEqual(
          expect.arrayContaining([
            'tenants',
            'users',
            'memberships',
            'sessions',
            'refresh_tokens',
            'user_tokens',
            'contacts',
            'audit_events',
          ]),
        );
        expect(result).toEqual({
          violations: [],
          // Every other write reached its handler and succeeded on its own tenant: its attacks were real ones.
          failedControls: Object.fromEntries(
            Object.entries(reviewed.writesThatCannotSucceed).map(([route, { status, code }]) => [
              route,
              { status, code },
            ]),
          ),
          globalTables: Object.keys(reviewed.globalTables),
        });
        expect(calls).toBeGreaterThan(routes.length * 3 * 10);
      } finally {
        await t.close();
      }
    },
    PROBE_TIMEOUT,
  );

  it(
    'catches a route that reads or a write that changes across tenants (the probe can fail)',
    async () => {
      // A deliberately broken route: reads through the RLS-bypassing platform path by id.
      @Controller('leaky')
      class LeakyController implements OnModuleDestroy {
        private readonly platform = PlatformDatabase.connect(process.env.DATABASE_PLATFORM_URL!);
        async onModuleDestroy() {
          await (await this.platform).close();
        }
        @Get(':id')
        @RequirePermission('contacts.read')
        async get(@Param('id') id: string) {
          return (await this.platform).query('select id, name from contacts where id::text = $1', [id]);
        }
      }
      @Module({ imports: [AppModule], controllers: [LeakyController] })
      class LeakyAppModule {}

      const t = await startTestApp({ rootModule: LeakyAppModule, env: PROBE_ENV });
      const platform = await PlatformDatabase.connect(t.db.platformUrl);
      try {
        // A deliberately broken write behind a real, validated route: renames a contact by id alone, on the platform path.
        t.app.get(ContactsService).update = async (id: string, dto: Parameters<ContactsService['update']>[1]) => {
          await platform.query('update contacts set name = $2 where id = $1', [id, dto.name]);
          return { id } as Contact;
        };
        // The leaky routes beside sound ones (the full table is the first test's job).
        const routes = routeTable(t.app).filter((r) => ['/api/leaky/:id', '/api/contacts/:id'].includes(r.path));
        expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
          'DELETE /api/contacts/:id',
          'GET /api/contacts/:id',
          'GET /api/leaky/:id',
          'PATCH /api/contacts/:id',
        ]);
        const { violations, failedControls } = await probeIsolation(
          t,
          [await seedProbeTenant(t), await seedProbeTenant(t), await seedProbeTenant(t)],
          routes,
        );
        expect(failedControls).toEqual({});
        expect(
          violations.some((v) => v.startsWith('GET /api/leaky/:id as ') && v.includes('own tenant, foreign ids')),
        ).toBe(true);
        expect(
          violations.some((v) => v.startsWith('PATCH /api/contacts/:id: changed ') && v.endsWith('(contacts)')),
        ).toBe(true);
        expect(
          violations.every((v) => v.startsWith('GET /api/leaky/:id') || v.startsWith('PATCH /api/contacts/:id')),
        ).toBe(true);
        expect(violations.some((v) => v.includes(' as api-key@'))).toBe(true); // keys are probed as callers too
      } finally {
        await platform.close();
        await t.close();
      }
    },
    PROBE_TIMEOUT,
  );
});

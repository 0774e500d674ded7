import { Controller, Get, Module, type OnModuleDestroy, Param } from '@nestjs/common';
import { RequirePermission } from '@tenantry/api-core';
import { PlatformDatabase } from '@tenantry/api-tenancy';
import { AppModule } from '../src/app.module.js';
import { probeIsolation, routeTable, seedProbeTenant } from './support/isolation-probe.js';
import { startTestApp } from './support/test-app.js';

// Tens of thousands of requests per probe: minutes, not the default 30 s.
const PROBE_TIMEOUT = 600_000;

describe('isolation probe', () => {
  it('finds no route that returns or changes another tenant\'s data, for any role', async () => {
    const t = await startTestApp();
    try {
      const tenants = [await seedProbeTenant(t), await seedProbeTenant(t), await seedProbeTenant(t)];
      const routes = routeTable(t.app).map((r) => `${r.method} ${r.path}`);
      expect(routes).toEqual(expect.arrayContaining(['GET /api/contacts/:id', 'DELETE /api/contacts/:id', 'POST /api/auth/login']));
      const { calls, violations } = await probeIsolation(t, tenants);
      expect(violations).toEqual([]);
      expect(calls).toBeGreaterThan(routes.length * 3 * 10);
    } finally {
      await t.close();
    }
  }, PROBE_TIMEOUT);

  it('catches a route that reads across tenants (the probe can fail)', async () => {
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

    const t = await startTestApp({ rootModule: LeakyAppModule });
    try {
      // The leaky route beside a sound one (the full table is the first test's job).
      const routes = routeTable(t.app).filter((r) => ['/api/leaky/:id', '/api/contacts/:id'].includes(r.path) && r.method === 'GET');
      expect(routes).toHaveLength(2);
      const { violations } = await probeIsolation(t, [await seedProbeTenant(t), await seedProbeTenant(t), await seedProbeTenant(t)], routes);
      expect(violations.some((v) => v.startsWith('GET /api/leaky/:id as ') && v.includes('own tenant, foreign ids'))).toBe(true);
      expect(violations.every((v) => v.startsWith('GET /api/leaky/:id'))).toBe(true);
      expect(violations.some((v) => v.includes(' as api-key@'))).toBe(true); // keys are probed as callers too
    } finally {
      await t.close();
    }
  }, PROBE_TIMEOUT);
});

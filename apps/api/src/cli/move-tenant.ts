import { parseArgs } from 'node:util';
import { ConfigService } from '@nestjs/config';
import { ChangeBus, redisConnectionOptions } from '@tenantry/api-core';
import { moveTenant, PlatformDatabase, TenantDatabaseRegistry } from '@tenantry/api-tenancy';
import { Redis } from 'ioredis';
import { configFromEnvironment } from '../environment.js';

const USAGE = `Moves a tenant's rows between the shared database and a dedicated one (or back):
  npm run move-tenant -- <slug> --to <dedicated database name | shared>
The tenant is read-only while its rows are copied and verified (writes answer 503 TENANT_MOVING);
the old rows are removed about 10 seconds after the switch.`;

const { positionals, values } = parseArgs({ allowPositionals: true, options: { to: { type: 'string' } } });
const [slug] = positionals;
if (!slug || !values.to) {
  console.error(USAGE);
  process.exit(2);
}
const config = configFromEnvironment();
const platform = new PlatformDatabase(config.database.platformUrl);
const redis = new Redis({
  ...redisConnectionOptions(config.redis.url),
  keyPrefix: config.redis.keyPrefix,
  lazyConnect: true,
});
// The API instances' own pub/sub: they drop the tenant's cached home at once.
const changes = new ChangeBus(redis, new ConfigService(config));
const started = Date.now();
try {
  const result = await moveTenant({
    tenant: slug,
    to: values.to,
    sharedPlatformUrl: config.database.platformUrl,
    registry: new TenantDatabaseRegistry(platform, config.database.secretsKey, config.database.ownerUrl),
    announce: (tenant) => changes.publish('tenants', tenant),
    onStep: (_step, detail) => console.log(`${((Date.now() - started) / 1000).toFixed(1)} s  ${detail}`),
  });
  for (const [table, rows] of Object.entries(result.rows)) if (rows > 0) console.log(`  ${table}: ${rows}`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await platform.close();
  redis.disconnect();
}

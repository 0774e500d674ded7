#!/usr/bin/env node
// Restores a Tenantry export (the zip an owner downloads) into an empty tenant.
//   npm run build && node tools/import-tenant.mjs <export.zip> --slug <address> [--name <name>]
// A new address creates the tenant (with the exported plan and settings); an
// existing tenant is filled only when it holds no data. People are matched by
// email or created without a password (they set one with "Forgot password").
// Uses DATABASE_PLATFORM_URL and DATA_DIR from the environment or .env.
import { parseArgs } from 'node:util';
import { configFromEnvironment } from '../apps/api/dist/environment.js';
import { LocalDiskStorage } from '../libs/api/core/dist/index.js';
import { importTenantArchive } from '../libs/api/data-export/dist/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { slug: { type: 'string' }, name: { type: 'string' } },
});
if (positionals.length !== 1 || !values.slug) {
  console.error('usage: node tools/import-tenant.mjs <export.zip> --slug <address> [--name <name>]');
  process.exit(2);
}
const config = configFromEnvironment();
const storage = new LocalDiskStorage({ get: (key) => config[key] });
try {
  const result = await importTenantArchive({
    archive: positionals[0],
    slug: values.slug,
    name: values.name,
    platformUrl: config.database.platformUrl,
    storage,
    onProgress: (message) => console.log(`  ${message}`),
  });
  const rows = Object.values(result.tables).reduce((a, b) => a + b, 0);
  console.log(
    `Imported into ${values.slug} (${result.created ? 'new tenant' : 'existing empty tenant'} ${result.tenantId}): ${rows} rows, ${result.files} files; people: ${result.users.matched} matched by email, ${result.users.created} created (they set a password with "Forgot password").`,
  );
} catch (error) {
  console.error(`Import refused: ${error.message}. Nothing was written.`);
  process.exit(1);
}

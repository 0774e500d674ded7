import { parseArgs } from 'node:util';
import { migrate } from '@tenantry/api-schema';
import { PlatformDatabase, prepareDedicatedDatabase, TenantDatabaseRegistry } from '@tenantry/api-tenancy';
import { configFromEnvironment } from '../environment.js';

const USAGE = `Dedicated databases (enterprise isolation), registered in the shared database:
  prepare --superuser-url <url> --owner-url <url> --app-url <url> --platform-url <url> [--shared-at host:port]
                 as a superuser of the new database: postgres_fdw, and a link per role to the shared database
                 (--shared-at: how that server reaches the shared one, default DATABASE_OWNER_URL's host)
  add <name> --owner-url <url> --app-url <url> --platform-url <url>
                 checks the roles, migrates the database, records it (sealed with DATABASE_SECRETS_KEY)
  list           names, servers and tenants of every registered database`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'superuser-url': { type: 'string' },
    'owner-url': { type: 'string' },
    'app-url': { type: 'string' },
    'platform-url': { type: 'string' },
    'shared-at': { type: 'string' },
  },
});
const [command, name] = positionals;
const { database } = configFromEnvironment();
const platform = new PlatformDatabase(database.platformUrl);
const registry = new TenantDatabaseRegistry(platform, database.secretsKey, database.ownerUrl);
try {
  if (
    command === 'prepare' &&
    values['superuser-url'] &&
    values['owner-url'] &&
    values['app-url'] &&
    values['platform-url']
  ) {
    await prepareDedicatedDatabase(
      values['superuser-url'],
      { ownerUrl: values['owner-url'], appUrl: values['app-url'], platformUrl: values['platform-url'] },
      {
        ownerUrl: database.ownerUrl,
        appUrl: database.url,
        platformUrl: database.platformUrl,
        reachableAt: values['shared-at'],
      },
    );
    console.log('Prepared: now `add` it under a name.');
  } else if (command === 'add' && name && values['owner-url'] && values['app-url'] && values['platform-url']) {
    const { applied } = await registry.register(
      name,
      { ownerUrl: values['owner-url'], appUrl: values['app-url'], platformUrl: values['platform-url'] },
      migrate,
    );
    console.log(`Registered ${name} (${applied.length} migrations applied).`);
  } else if (command === 'list') {
    const databases = await registry.list();
    if (databases.length === 0) console.log('No dedicated databases: every tenant lives in the shared one.');
    for (const d of databases)
      console.log(`${d.name}\t${d.server}\t${d.tenants} tenant(s)\tsince ${d.createdAt.slice(0, 10)}`);
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await platform.close();
}

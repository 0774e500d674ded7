import { migrateAll } from '../migrate-all.js';
import { configFromEnvironment } from '../environment.js';

for (const { database, applied } of await migrateAll(configFromEnvironment().database)) {
  console.log(`${database}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema is up to date'}`);
}

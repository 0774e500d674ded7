import { migrate } from '../migrate.js';
import { configFromEnvironment } from '../environment.js';

const applied = await migrate(configFromEnvironment().database.ownerUrl);
console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');

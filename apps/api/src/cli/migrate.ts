import { migrate } from '../migrate.js';
import { cliConfig } from './env.js';

const applied = await migrate(cliConfig().database.ownerUrl);
console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');

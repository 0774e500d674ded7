export { MIGRATIONS, type Migration } from './all-migrations.js';
export { migrate } from './migrate.js';

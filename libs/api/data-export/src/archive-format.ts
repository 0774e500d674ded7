/** What an export archive holds and how it is laid out: the exporter writes it, the import tool reads it. */
export const ARCHIVE_FORMAT = 'tenantry-export';
export const ARCHIVE_VERSION = 1;

export const MANIFEST = 'manifest.json';
export const USERS = 'users.ndjson';
export const tableEntry = (table: string) => `tables/${table}.ndjson`;
export const fileEntry = (relative: string) => `files/${relative}`;

/**
 * Tenant tables an export leaves out: `exports` describes the archives
 * themselves (and holds the one being written).
 */
export const NOT_EXPORTED = ['exports'];

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  exportedAt: string;
  /** Each table's columns in the exporting database: an import refuses a target that lacks one (its values would be lost). */
  columns: Record<string, string[]>;
  /** The `tenants` row as it was (name, plan, settings). */
  tenant: Record<string, unknown> & { id: string; slug: string; name: string; plan: string };
  /** Rows per table (every tenant table but NOT_EXPORTED, also empty ones). */
  tables: Record<string, number>;
  users: number;
  /** The tenant's files, relative to its storage folder. */
  files: string[];
}

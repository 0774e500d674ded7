import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type FileStorage, tryNormalizeEmail } from '@tenantry/api-core';
import { type ArchivedUser, importArchivedUser } from '@tenantry/api-people';
import { PlanCatalog } from '@tenantry/api-licensing';
import { PlatformDatabase, readTenantCatalog, TenantsRepository } from '@tenantry/api-tenancy';
import type { EntityManager } from 'typeorm';
import { type Entry, open as openZip, type ZipFile } from 'yauzl';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  fileEntry,
  MANIFEST,
  type Manifest,
  tableEntry,
  USERS,
} from './archive-format.js';
import { columnNames, countRows, insertRows } from './repositories/archive-tables.repository.js';

const BATCH = 500;
// Settings of the exported tenant that travel with its data (not its address, billing ids or lifecycle).
const TENANT_SETTINGS = ['plan', 'industry', 'feature_overrides', 'impersonation_consent_required'] as const;

export interface ImportOptions {
  /** The zip an export made. */
  archive: string;
  /** The tenant to fill: a new one at this address, or an existing one without any data. */
  slug: string;
  /** Its name when it is new (default: the exported tenant's). */
  name?: string;
  /** The platform role's connection (the import writes across the tenant boundary on purpose). */
  platformUrl: string;
  storage: FileStorage;
  onProgress?: (message: string) => void;
}

export interface ImportResult {
  tenantId: string;
  created: boolean;
  tables: Record<string, number>;
  users: { matched: number; created: number };
  files: number;
}

/**
 * Restores an export into an empty tenant, in one transaction: every table
 * of the archive (parents before children, from the catalog), its rows moved
 * to the target tenant; people found by email or created (without a
 * password: they set one through "forgot password"); then its files. A
 * target that has data, a newer archive, or a column the target lacks is
 * refused before anything is written.
 */
export async function importTenantArchive(options: ImportOptions): Promise<ImportResult> {
  const zip = await openArchive(options.archive);
  try {
    const entries = await readEntries(zip);
    const manifest = JSON.parse(await readAll(zip, required(entries, MANIFEST))) as Manifest;
    if (manifest.format !== ARCHIVE_FORMAT || manifest.version > ARCHIVE_VERSION)
      throw new Error(
        `not a Tenantry export this version can read (format ${manifest.format}, version ${manifest.version})`,
      );
    const platform = await PlatformDatabase.connect(options.platformUrl);
    let target: { id: string; created: boolean } | null = null;
    try {
      const result = await platform.transaction(async (m) => {
        target = await targetTenant(m, options, manifest);
        const userIds = await importUsers(m, zip, required(entries, USERS));
        const catalog = await readTenantCatalog(m);
        const unknown = Object.keys(manifest.tables).filter((t) => !catalog.tables.includes(t));
        if (unknown.length)
          throw new Error(
            `the target database has no table ${unknown.join(', ')}: migrate it to the exporting release first`,
          );
        const tables: Record<string, number> = {};
        for (const table of catalog.tables.filter((t) => t in manifest.tables)) {
          await assertColumns(m, table, manifest.columns[table] ?? []);
          tables[table] = await importTable(
            m,
            zip,
            required(entries, tableEntry(table)),
            table,
            manifest.columns[table] ?? [],
            target.id,
            catalog.userColumns[table] ?? [],
            userIds.map,
          );
          options.onProgress?.(`${table}: ${tables[table]} rows`);
        }
        // Files last, still inside the transaction: a failure rolls the rows back (and the files are removed below).
        for (const relative of manifest.files) {
          const body = await readAll(zip, required(entries, fileEntry(relative)), 'buffer');
          await options.storage.put(`tenants/${target.id}/${relative}`, body);
        }
        return {
          tenantId: target.id,
          created: target.created,
          tables,
          users: userIds.counts,
          files: manifest.files.length,
        };
      });
      return result;
    } catch (error) {
      const failed = target as { id: string; created: boolean } | null;
      if (failed?.created) await options.storage.deleteAll(`tenants/${failed.id}`);
      throw error;
    } finally {
      await platform.close();
    }
  } finally {
    zip.close();
  }
}

/** A new tenant with the exported settings, or an existing one that holds no rows at all. */
async function targetTenant(
  m: EntityManager,
  options: ImportOptions,
  manifest: Manifest,
): Promise<{ id: string; created: boolean }> {
  const existing = await TenantsRepository.liveIdBySlug(m, options.slug);
  if (existing) {
    const catalog = await readTenantCatalog(m);
    for (const table of catalog.tables) {
      const n = await countRows(m, table, existing);
      if (n > 0)
        throw new Error(
          `tenant ${options.slug} is not empty (${table} has ${n} rows): import into a new address instead`,
        );
    }
    return { id: existing, created: false };
  }
  const [plan, industry, featureOverrides, impersonationConsentRequired] = TENANT_SETTINGS.map(
    (k) => manifest.tenant[k] ?? null,
  );
  if (!(await PlanCatalog.exists(m, plan)))
    throw new Error(`the exported tenant's plan ${String(plan)} does not exist here: create it in the console first`);
  const id = await TenantsRepository.insertImported(m, {
    slug: options.slug,
    name: options.name ?? manifest.tenant.name,
    plan,
    industry,
    featureOverrides,
    impersonationConsentRequired,
  });
  return { id, created: true };
}

/** People by email: the existing account, or a new one (same id when it is free) without a password. */
async function importUsers(
  m: EntityManager,
  zip: ZipFile,
  entry: Entry,
): Promise<{ map: Map<string, string>; counts: ImportResult['users'] }> {
  const map = new Map<string, string>();
  const counts = { matched: 0, created: 0 };
  for await (const line of lines(await openEntry(zip, entry))) {
    const user = JSON.parse(line) as ArchivedUser;
    // The one normalization every address goes through: a look-alike never becomes a second account here either.
    const email = tryNormalizeEmail(user.email);
    if (!email)
      throw new Error(
        `person ${user.id} of the archive has an email address that is refused (invisible or look-alike characters): ${JSON.stringify(user.email)}`,
      );
    user.email = email;
    const { id, created } = await importArchivedUser(m, user);
    map.set(user.id, id);
    if (created) counts.created++;
    else counts.matched++;
  }
  return { map, counts };
}

async function assertColumns(m: EntityManager, table: string, exported: string[]): Promise<void> {
  const here = new Set(await columnNames(m, table));
  const missing = exported.filter((c) => !here.has(c));
  if (missing.length)
    throw new Error(
      `the target's ${table} has no column ${missing.join(', ')}: migrate it to the exporting release first`,
    );
}

/** One table's NDJSON in batches of 500: each row moved to the target tenant, its user references mapped, inserted as PostgreSQL reads its own JSON. */
async function importTable(
  m: EntityManager,
  zip: ZipFile,
  entry: Entry,
  table: string,
  exported: string[],
  tenantId: string,
  userColumns: string[],
  users: Map<string, string>,
): Promise<number> {
  let batch: Record<string, unknown>[] = [];
  let count = 0;
  // The exported columns only: a column the target added since keeps its default.
  const columns = exported.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');
  const flush = async () => {
    if (batch.length === 0) return;
    await insertRows(m, table, columns, batch);
    count += batch.length;
    batch = [];
  };
  for await (const line of lines(await openEntry(zip, entry))) {
    const row = JSON.parse(line) as Record<string, unknown>;
    row.tenant_id = tenantId;
    for (const column of userColumns)
      if (typeof row[column] === 'string') row[column] = users.get(row[column] as string) ?? null;
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return count;
}

function required(entries: Map<string, Entry>, name: string): Entry {
  const entry = entries.get(name);
  if (!entry) throw new Error(`the archive has no ${name}: it is not a complete export`);
  return entry;
}

function lines(stream: Readable): AsyncIterable<string> {
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  return (async function* () {
    for await (const line of reader) if (line.trim()) yield line;
  })();
}

function openArchive(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    openZip(path, { lazyEntries: true, autoClose: false }, (error, zip) => (error ? reject(error) : resolve(zip))),
  );
}

function readEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zip.on('entry', (entry: Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))),
  );
}

async function readAll(zip: ZipFile, entry: Entry): Promise<string>;
async function readAll(zip: ZipFile, entry: Entry, as: 'buffer'): Promise<Buffer>;
async function readAll(zip: ZipFile, entry: Entry, as?: 'buffer'): Promise<string | Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openEntry(zip, entry)) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return as === 'buffer' ? body : body.toString('utf8');
}

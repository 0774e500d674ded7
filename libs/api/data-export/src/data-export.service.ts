import { once } from 'node:events';
import { createHmac } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '@tenantry/api-audit';
import {
  type AppConfig,
  AppError,
  assertQueueReachable,
  FileStorage,
  RequestContext,
  type ResolvedTenant,
} from '@tenantry/api-core';
import { PeopleService } from '@tenantry/api-people';
import {
  readTenantCatalog,
  TenancyService,
  TenantDataSources,
  TenantDb,
  TenantsRepository,
} from '@tenantry/api-tenancy';
import { type DataExport, ErrorCode } from '@tenantry/contracts';
import type { Queue } from 'bullmq';
import { jwtVerify, SignJWT } from 'jose';
import type { EntityManager } from 'typeorm';
import { ZipFile } from 'yazl';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  fileEntry,
  MANIFEST,
  type Manifest,
  NOT_EXPORTED,
  tableEntry,
  USERS,
} from './archive-format.js';
import { RealtimeService } from '@tenantry/api-realtime';
import {
  closeRowCursor,
  columnsOf,
  countRows,
  fetchRows,
  openRowCursor,
  referencedUserIds,
} from './repositories/archive-tables.repository.js';
import { type ExportRow, ExportsRepository } from './repositories/exports.repository.js';

export const EXPORTS_QUEUE = 'exports';
const LINK_HOURS = 24;
const FETCH_ROWS = 1000;
const PROGRESS_EVERY = 5000;

/**
 * Exports of a tenant's data for its owners (GDPR): a job writes every tenant
 * table — found in the catalog — as NDJSON, the users its rows point at, and
 * the tenant's files into one zip, reading one consistent snapshot through
 * the tenant's own transaction (row-level security applies) with a cursor, so
 * memory stays flat however big the tenant is. The zip is downloaded through
 * a signed link valid 24 hours; every download is audited.
 */
@Injectable()
export class DataExportService {
  private readonly logger = new Logger(DataExportService.name);
  private readonly linkKey: Uint8Array;

  constructor(
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly exports: ExportsRepository,
    private readonly tenants: TenantsRepository,
    private readonly storage: FileStorage,
    private readonly audit: AuditService,
    private readonly sources: TenantDataSources,
    private readonly realtime: RealtimeService,
    private readonly people: PeopleService,
    @InjectQueue(EXPORTS_QUEUE) private readonly queue: Queue,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    // A key of its own, derived from the token secret: a download link can never pass for an access token.
    this.linkKey = createHmac('sha256', config.get('auth', { infer: true }).jwtSecret)
      .update('tenantry export links')
      .digest();
  }

  /** Queues an export of the request's tenant; one at a time. */
  async request(): Promise<DataExport> {
    // Serialises concurrent requests of one tenant: the second sees the first's row.
    await this.exports.lockRequests();
    const busy = await this.exports.inProgress();
    if (busy) throw new AppError(ErrorCode.EXPORT_IN_PROGRESS, { exportId: busy });
    const id = await this.exports.insert(RequestContext.current()?.userId ?? null);
    await this.audit.record({ action: 'export.requested', target: { type: 'export', id } });
    // Stable job id: a retried request can not queue the same export twice.
    await assertQueueReachable(this.queue);
    await this.queue.add(
      'export',
      { tenantId: this.db.tenantId, exportId: id },
      {
        jobId: `export-${id}`,
        attempts: 2,
        backoff: { type: 'exponential', delay: 5000 },
        removeOnComplete: 100,
        removeOnFail: 100,
      },
    );
    return this.get(id);
  }

  /** The tenant's exports, newest first (the last 20). */
  async list(): Promise<DataExport[]> {
    return this.toExports(await this.exports.recent());
  }

  async get(id: string): Promise<DataExport> {
    const row = await this.exports.find(id);
    if (!row) throw new AppError(ErrorCode.EXPORT_NOT_FOUND);
    return (await this.toExports([row]))[0];
  }

  /** The zip behind a signed link, for the request's tenant; audited. */
  async download(
    id: string,
    token: string,
  ): Promise<{ stream: NodeJS.ReadableStream; size: number; fileName: string }> {
    const tenant = RequestContext.current()?.tenant;
    const claims = await jwtVerify(token, this.linkKey, { algorithms: ['HS256'] }).then(
      (r) => r.payload,
      () => null,
    );
    if (!tenant || !claims || claims.sub !== id || claims.tid !== tenant.id)
      throw new AppError(ErrorCode.EXPORT_LINK_INVALID);
    const row = await this.exports.find(id);
    if (!row) throw new AppError(ErrorCode.EXPORT_NOT_FOUND);
    if (row.status !== 'done' || !row.file_key || !row.expires_at || row.expires_at <= new Date())
      throw new AppError(ErrorCode.EXPORT_EXPIRED);
    const file = await this.storage.getStream(row.file_key);
    if (!file) throw new AppError(ErrorCode.EXPORT_EXPIRED);
    await this.audit.record({
      action: 'export.downloaded',
      target: { type: 'export', id },
      metadata: { sizeBytes: file.size },
    });
    return { ...file, fileName: `tenantry-${tenant.slug}-${row.finished_at!.toISOString().slice(0, 10)}.zip` };
  }

  /** The job: writes the archive, keeping the row's progress; a retry starts over (the zip appears only when complete). */
  async run(tenantId: string, exportId: string): Promise<void> {
    const tenant = await this.tenancy.find(tenantId);
    if (!tenant) return; // deleted meanwhile: nothing to export for anyone
    await this.apart(tenant, () => this.exports.markRunning(exportId));
    const key = `tenants/${tenantId}/exports/${exportId}.zip`;
    const zip = new ZipFile();
    const stored = this.storage.putStream(key, zip.outputStream as Readable);
    let size: number;
    let total: number;
    try {
      const manifest = await this.db.withTenant(tenant, () => this.writeTables(tenant, exportId, zip), {
        snapshot: true,
      });
      total = manifest.users + Object.values(manifest.tables).reduce((a, b) => a + b, 0);
      for (const relative of manifest.files) {
        const file = await this.storage.getStream(`tenants/${tenantId}/${relative}`);
        if (file) zip.addReadStream(file.stream, fileEntry(relative), { size: file.size });
      }
      zip.end();
      size = await stored;
    } catch (error) {
      (zip.outputStream as Readable).destroy(error as Error);
      await stored.catch(() => undefined);
      throw error;
    }
    const expiresAt = new Date(Date.now() + LINK_HOURS * 3_600_000);
    await this.db.withTenant(tenant, async () => {
      await this.exports.markDone(exportId, size, key, expiresAt);
      await this.audit.record({
        action: 'export.completed',
        actor: { userId: null, label: 'export job' },
        target: { type: 'export', id: exportId },
        metadata: { sizeBytes: size },
      });
    });
    this.logger.log(`export ${exportId} of tenant ${tenantId}: ${size} bytes`);
    await this.realtime.toTenant(tenantId, 'export.progress', {
      id: exportId,
      status: 'done',
      processedRows: total,
      totalRows: total,
    });
  }

  /** The job's last attempt failed: the owner sees why (in plain words, no internals). */
  async failed(tenantId: string, exportId: string): Promise<void> {
    const tenant = await this.tenancy.find(tenantId);
    if (tenant) await this.apart(tenant, () => this.exports.markFailed(exportId));
  }

  /** Hourly, across tenants (the platform path, on every database): exports past their 24 hours lose their file and their link. */
  async expire(): Promise<number> {
    let expired = 0;
    for (const platform of await this.sources.platforms()) {
      const due = await this.exports.pastTheirLink(platform);
      for (const row of due) {
        if (row.file_key) await this.storage.delete(row.file_key);
        await this.exports.markExpired(platform, row.tenant_id, row.id);
      }
      expired += due.length;
    }
    return expired;
  }

  /** Tables (one snapshot), then the manifest first in the zip: the import reads it before anything else. */
  private async writeTables(tenant: ResolvedTenant, exportId: string, zip: ZipFile): Promise<Manifest> {
    const m = await this.db.manager();
    const catalog = await readTenantCatalog(m);
    const tables = catalog.tables.filter((t) => !NOT_EXPORTED.includes(t));
    const counts: Record<string, number> = {};
    for (const table of tables) counts[table] = await countRows(m, table, tenant.id);
    // The people its rows point at (members, authors, actors): the import finds or creates them by email.
    const references = tables.flatMap((table) =>
      (catalog.userColumns[table] ?? []).map((column) => ({ table, column })),
    );
    const users = await this.people.usersForExport(await referencedUserIds(m, references, tenant.id));
    const tenantRow = await this.tenants.exportedRow(m, tenant.id);
    const columns = await columnsOf(m, tables);
    const files = (await this.storage.list(`tenants/${tenant.id}`))
      .map((k) => k.slice(`tenants/${tenant.id}/`.length))
      .filter((k) => !k.startsWith('exports/'));
    const total = Object.values(counts).reduce((a, b) => a + b, 0) + users.length;
    await this.apart(tenant, () => this.exports.setTotal(exportId, total));
    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      exportedAt: new Date().toISOString(),
      columns: Object.fromEntries(tables.map((t) => [t, columns.filter((c) => c.table === t).map((c) => c.column)])),
      tenant: tenantRow,
      tables: counts,
      users: users.length,
      files,
    };
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), MANIFEST);
    zip.addBuffer(Buffer.from(users.map((u) => `${u}\n`).join('')), USERS);
    let done = users.length;
    for (const table of tables) done = await this.writeTable(m, tenant, exportId, zip, table, done, total);
    return manifest;
  }

  /** One table through a cursor, 1,000 rows at a time, waiting for the zip to take them (backpressure). */
  private async writeTable(
    m: EntityManager,
    tenant: ResolvedTenant,
    exportId: string,
    zip: ZipFile,
    table: string,
    doneBefore: number,
    total: number,
  ): Promise<number> {
    const out = new PassThrough();
    zip.addReadStream(out, tableEntry(table));
    await openRowCursor(m, table, tenant.id);
    let done = doneBefore;
    let reported = done;
    for (;;) {
      const rows = await fetchRows(m, FETCH_ROWS);
      if (rows.length === 0) break;
      if (!out.write(rows.map((r) => `${r}\n`).join(''))) await once(out, 'drain');
      done += rows.length;
      if (done - reported >= PROGRESS_EVERY) {
        reported = done;
        await this.apart(tenant, () => this.exports.setProgress(exportId, done));
        await this.realtime.toTenant(tenant.id, 'export.progress', {
          id: exportId,
          status: 'running',
          processedRows: done,
          totalRows: total,
        });
      }
    }
    await closeRowCursor(m);
    out.end();
    return done;
  }

  /** A change of the export row in a short transaction of its own (the export reads in a long read-only one). */
  private async apart(tenant: ResolvedTenant, change: () => Promise<void>): Promise<void> {
    await this.db.withTenant(tenant, change);
  }

  /** Rows to answers, with the requesters' emails read in one query. */
  private async toExports(rows: ExportRow[]): Promise<DataExport[]> {
    const people = await this.people.userSummaries(rows.flatMap((r) => (r.requested_by ? [r.requested_by] : [])));
    return Promise.all(rows.map((r) => this.toExport(r, people.get(r.requested_by ?? '')?.email ?? null)));
  }

  private async toExport(r: ExportRow, requestedBy: string | null): Promise<DataExport> {
    const downloadable = r.status === 'done' && !!r.expires_at && r.expires_at > new Date();
    return {
      id: r.id,
      status: r.status === 'done' && !downloadable ? 'expired' : r.status,
      totalRows: Number(r.total_rows),
      processedRows: Number(r.processed_rows),
      sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
      requestedBy,
      createdAt: r.created_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
      expiresAt: r.expires_at?.toISOString() ?? null,
      downloadUrl: downloadable ? await this.link(r.id, r.expires_at!) : null,
      error: r.error,
    };
  }

  private async link(id: string, expiresAt: Date): Promise<string> {
    const tenant = RequestContext.current()!.tenant!;
    const token = await new SignJWT({ tid: tenant.id })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(id)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.linkKey);
    return this.tenancy.urlOf(tenant.slug, `/api/exports/${id}/download?token=${token}`);
  }
}

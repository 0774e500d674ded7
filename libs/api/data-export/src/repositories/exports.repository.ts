import { Injectable } from '@nestjs/common';
import { type PlatformDatabase, TenantDb } from '@tenantry/api-tenancy';
import type { DataExport } from '@tenantry/contracts';

/** An `exports` row as the table holds it. */
export interface ExportRow {
  id: string;
  status: DataExport['status'];
  total_rows: string;
  processed_rows: string;
  size_bytes: string | null;
  file_key: string | null;
  error: string | null;
  requested_by: string | null;
  created_at: Date;
  finished_at: Date | null;
  expires_at: Date | null;
}

const SELECT = 'select * from exports';

/**
 * The `exports` table. Every statement runs in the context's tenant
 * transaction (row-level security scopes it), except the expiry's, which
 * works across tenants on a database's platform path.
 */
@Injectable()
export class ExportsRepository {
  constructor(private readonly db: TenantDb) {}

  /** Holds the tenant's export requests until the transaction ends: the next one sees this one's row. */
  async lockRequests(): Promise<void> {
    await (await this.db.manager()).query('select pg_advisory_xact_lock(hashtext($1))', [`export:${this.db.tenantId}`]);
  }

  /** The id of the export queued or running, if any. */
  async inProgress(): Promise<string | null> {
    const [busy]: { id: string }[] = await (
      await this.db.manager()
    ).query(`select id from exports where status in ('queued', 'running')`);
    return busy?.id ?? null;
  }

  /** A new queued export; its id. */
  async insert(requestedBy: string | null): Promise<string> {
    const [{ id }]: { id: string }[] = await (
      await this.db.manager()
    ).query('insert into exports (requested_by) values ($1) returning id', [requestedBy]);
    return id;
  }

  /** The last 20, newest first. */
  async recent(): Promise<ExportRow[]> {
    return (await this.db.manager()).query(`${SELECT} order by created_at desc limit 20`);
  }

  async find(id: string): Promise<ExportRow | null> {
    const [row]: ExportRow[] = await (await this.db.manager()).query(`${SELECT} where id = $1`, [id]);
    return row ?? null;
  }

  /** The job starts (again): no progress, no error. */
  async markRunning(id: string): Promise<void> {
    await (
      await this.db.manager()
    ).query(`update exports set status = 'running', processed_rows = 0, error = null where id = $1`, [id]);
  }

  async setTotal(id: string, total: number): Promise<void> {
    await (await this.db.manager()).query('update exports set total_rows = $2 where id = $1', [id, total]);
  }

  async setProgress(id: string, processed: number): Promise<void> {
    await (await this.db.manager()).query('update exports set processed_rows = $2 where id = $1', [id, processed]);
  }

  /** The archive is written: where it is, how big, and until when its link works. */
  async markDone(id: string, size: number, fileKey: string, expiresAt: Date): Promise<void> {
    await (
      await this.db.manager()
    ).query(
      `update exports set status = 'done', processed_rows = total_rows, size_bytes = $2, file_key = $3, finished_at = now(), expires_at = $4 where id = $1`,
      [id, size, fileKey, expiresAt],
    );
  }

  /** The last attempt failed (unless it is done meanwhile), with a reason in plain words. */
  async markFailed(id: string): Promise<void> {
    await (
      await this.db.manager()
    ).query(
      `update exports set status = 'failed', error = 'The export could not be written; request a new one.', finished_at = now() where id = $1 and status <> 'done'`,
      [id],
    );
  }

  /** Done exports of every tenant in `platform`'s database whose link has run out. */
  async pastTheirLink(
    platform: PlatformDatabase,
  ): Promise<{ tenant_id: string; id: string; file_key: string | null }[]> {
    return platform.query<{ tenant_id: string; id: string; file_key: string | null }>(
      `select tenant_id, id, file_key from exports where status = 'done' and expires_at <= now()`,
    );
  }

  /** The export has lost its file (and its link), on `platform`'s database. */
  async markExpired(platform: PlatformDatabase, tenantId: string, id: string): Promise<void> {
    await platform.query(`update exports set status = 'expired', file_key = null where tenant_id = $1 and id = $2`, [
      tenantId,
      id,
    ]);
  }
}

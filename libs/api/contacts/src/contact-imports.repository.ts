import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';
import type { ContactImport, ImportRowError } from '@tenantry/contracts';

interface ImportRow {
  id: string;
  file_name: string;
  status: ContactImport['status'];
  total_rows: number;
  processed_rows: number;
  imported_rows: number;
  failed_rows: number;
  errors: ImportRowError[];
  created_at: Date;
  finished_at: Date | null;
}

const toImport = (r: ImportRow): ContactImport => ({
  id: r.id,
  fileName: r.file_name,
  status: r.status,
  totalRows: r.total_rows,
  processedRows: r.processed_rows,
  importedRows: r.imported_rows,
  failedRows: r.failed_rows,
  errors: r.errors,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/** An import's columns; a list leaves the (up to 1,000) row errors out. */
const columns = (withErrors: boolean) =>
  `id, file_name, status, total_rows, processed_rows, imported_rows, failed_rows, ${withErrors ? 'errors' : `'[]'::jsonb as errors`}, created_at, finished_at`;

/** Where an import stands, read under a row lock by the batch that goes on from there. */
export interface ImportProgress {
  processedRows: number;
  errors: ImportRowError[];
  status: string;
}

/**
 * The contact_imports table, in the request's (or job's) tenant transaction.
 * An import keeps its CSV (`source`) until it is done or failed.
 */
@Injectable()
export class ContactImportsRepository {
  constructor(private readonly db: TenantDb) {}

  async insert(upload: {
    id: string;
    fileName: string;
    totalRows: number;
    source: string;
    createdBy: string | null;
  }): Promise<void> {
    await (
      await this.db.manager()
    ).query('insert into contact_imports (id, file_name, total_rows, source, created_by) values ($1, $2, $3, $4, $5)', [
      upload.id,
      upload.fileName,
      upload.totalRows,
      upload.source,
      upload.createdBy,
    ]);
  }

  /** The 20 latest imports, without their row errors. */
  async latest(): Promise<ContactImport[]> {
    const rows: ImportRow[] = await (
      await this.db.manager()
    ).query(`select ${columns(false)} from contact_imports order by created_at desc limit 20`);
    return rows.map(toImport);
  }

  async find(id: string): Promise<ContactImport | null> {
    const [row]: ImportRow[] = await (
      await this.db.manager()
    ).query(`select ${columns(true)} from contact_imports where id = $1`, [id]);
    return row ? toImport(row) : null;
  }

  /** The import's CSV (null once done or failed) and status; null when there is no such import (yet). */
  async source(id: string): Promise<{ source: string | null; status: string } | null> {
    const [row]: { source: string | null; status: string }[] = await (
      await this.db.manager()
    ).query('select source, status from contact_imports where id = $1', [id]);
    return row ?? null;
  }

  /** The import's progress, locked until the transaction ends: one batch at a time goes on from it. */
  async lockProgress(id: string): Promise<ImportProgress | null> {
    const [row]: { processed_rows: number; errors: ImportRowError[]; status: string }[] = await (
      await this.db.manager()
    ).query('select processed_rows, errors, status from contact_imports where id = $1 for update', [id]);
    return row ? { processedRows: row.processed_rows, errors: row.errors, status: row.status } : null;
  }

  /** A batch's outcome; the last one (`done`) drops the CSV and stamps the end. */
  async progressed(
    id: string,
    batch: { processedRows: number; imported: number; failed: number; errors: ImportRowError[]; done: boolean },
  ): Promise<void> {
    await (
      await this.db.manager()
    ).query(
      `update contact_imports set status = $2, processed_rows = $3, imported_rows = imported_rows + $4, failed_rows = failed_rows + $5,
              errors = $6::jsonb, source = case when $7 then null else source end, finished_at = case when $7 then now() end
        where id = $1`,
      [
        id,
        batch.done ? 'done' : 'running',
        batch.processedRows,
        batch.imported,
        batch.failed,
        JSON.stringify(batch.errors),
        batch.done,
      ],
    );
  }

  /** An import whose job gave up: failed, its CSV dropped (its progress so far stays). */
  async failed(id: string): Promise<void> {
    await (
      await this.db.manager()
    ).query(
      `update contact_imports set status = 'failed', source = null, finished_at = now() where id = $1 and status <> 'done'`,
      [id],
    );
  }
}

import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { AppError, assertQueueReachable, RequestContext } from '@tenantry/api-core';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import { type ContactImport, ErrorCode, type ImportRowError } from '@tenantry/contracts';
import type { Queue } from 'bullmq';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { ContactImportsRepository } from './contact-imports.repository.js';
import { ContactsService } from './contacts.service.js';
import { CreateContactDto } from './dto/create-contact.dto.js';

export const CONTACTS_QUEUE = 'contacts';
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 50_000;
const BATCH = 500;
const KEPT_ERRORS = 1000;
const COLUMNS = ['name', 'email', 'company', 'tags', 'notes'];

/** Header names as people write them ("E-mail", " Company ") to our columns. */
const columnOf = (header: string) => {
  const key = header
    .trim()
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  return key === 'mail' ? 'email' : key;
};

function parseCsv(text: string): Record<string, string>[] {
  return parse(text, {
    columns: (headers: string[]) => headers.map(columnOf),
    skip_empty_lines: true,
    trim: true,
    bom: true,
    relax_column_count: true,
  }) as Record<string, string>[];
}

/**
 * CSV imports of contacts, run by a job: the file is checked (size, header,
 * rows) and kept with the import, then imported in batches of 500, each with
 * its progress in one transaction, so a job that stops half-way resumes where
 * it was and never imports a row twice. Each row is validated like a contact
 * made by hand and counts against the plan's monthly contacts; refused rows
 * are reported with their row number and reason.
 */
@Injectable()
export class ContactImportsService {
  constructor(
    private readonly db: TenantDb,
    private readonly imports: ContactImportsRepository,
    private readonly tenancy: TenancyService,
    private readonly contacts: ContactsService,
    @InjectQueue(CONTACTS_QUEUE) private readonly queue: Queue,
  ) {}

  async start(file: { originalname: string; buffer: Buffer } | undefined): Promise<ContactImport> {
    if (!file)
      throw new AppError(ErrorCode.IMPORT_INVALID, { reason: 'no file (send it as the multipart field "file")' });
    const text = file.buffer.toString('utf8');
    let rows: Record<string, string>[];
    try {
      rows = parseCsv(text);
    } catch (error) {
      throw new AppError(ErrorCode.IMPORT_INVALID, { reason: `not a readable CSV: ${(error as Error).message}` });
    }
    const header = Object.keys(rows[0] ?? {});
    if (!header.includes('name'))
      throw new AppError(ErrorCode.IMPORT_INVALID, { reason: `no "name" column (columns: ${COLUMNS.join(', ')})` });
    if (rows.length > MAX_ROWS)
      throw new AppError(ErrorCode.IMPORT_INVALID, { reason: `${rows.length} rows; at most ${MAX_ROWS}` });
    const id = randomUUID();
    await this.imports.insert({
      id,
      fileName: file.originalname.slice(0, 200) || 'contacts.csv',
      totalRows: rows.length,
      source: text,
      createdBy: RequestContext.current()?.userId ?? null,
    });
    const tenantId = this.db.tenantId;
    await assertQueueReachable(this.queue);
    await this.queue.add(
      'import',
      { tenantId, importId: id },
      { jobId: `import-${id}`, attempts: 8, backoff: { type: 'exponential', delay: 250 }, removeOnComplete: true },
    );
    return this.get(id);
  }

  list(): Promise<ContactImport[]> {
    return this.imports.latest();
  }

  async get(id: string): Promise<ContactImport> {
    const found = await this.imports.find(id);
    if (!found) throw new AppError(ErrorCode.IMPORT_NOT_FOUND);
    return found;
  }

  /** The job: imports the next batch until none is left, each batch with its progress in one transaction. */
  async run(tenantId: string, importId: string): Promise<void> {
    const tenant = await this.tenancy.find(tenantId);
    if (!tenant) return;
    const first = await this.db.withTenant(tenant, () => this.imports.source(importId));
    // Queued inside the upload's transaction (a failure to queue undoes the upload): the job can start before it commits.
    if (!first) throw new Error('import not committed yet; retrying');
    if (!first.source || first.status === 'done') return;
    const rows = parseCsv(first.source);
    for (;;) {
      const more = await this.db.withTenant(tenant, () => this.nextBatch(importId, rows));
      if (!more) break;
    }
  }

  private async nextBatch(importId: string, rows: Record<string, string>[]): Promise<boolean> {
    const state = await this.imports.lockProgress(importId);
    if (!state || state.status === 'done') return false;
    const batch = rows.slice(state.processedRows, state.processedRows + BATCH);
    const errors: ImportRowError[] = [];
    let imported = 0;
    for (const [i, raw] of batch.entries()) {
      const row = state.processedRows + i + 2; // the header is row 1
      const dto = plainToInstance(CreateContactDto, {
        name: raw.name ?? '',
        email: raw.email ?? null,
        company: raw.company ?? null,
        tags: raw.tags
          ? raw.tags
              .split(/[;,]/)
              .map((t) => t.trim())
              .filter(Boolean)
          : [],
        notes: raw.notes ?? null,
      });
      const problems = await validate(dto, { forbidUnknownValues: false });
      if (problems.length) {
        errors.push({
          row,
          field: problems[0].property,
          message: Object.values(problems[0].constraints ?? {})[0] ?? 'invalid',
        });
        continue;
      }
      try {
        await this.contacts.create(dto);
        imported++;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        errors.push({ row, field: null, message: error.message });
      }
    }
    const processed = state.processedRows + batch.length;
    const done = processed >= rows.length;
    await this.imports.progressed(importId, {
      processedRows: processed,
      imported,
      failed: errors.length,
      errors: [...state.errors, ...errors].slice(0, KEPT_ERRORS),
      done,
    });
    return !done;
  }
}

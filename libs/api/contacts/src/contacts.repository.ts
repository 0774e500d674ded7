import { Injectable } from '@nestjs/common';
import { containsPattern, decodeCursor, decodeTimeCursor } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import type { Contact } from '@tenantry/contracts';
import type { ListContactsQuery } from './dto/list-contacts.query.js';
import { ContactEntity } from './entities/contact.entity.js';

/** An ISO 8601 UTC timestamp with milliseconds, as JavaScript's toISOString writes it. */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A contact in the API's shape, straight from PostgreSQL: the timestamps come formatted,
 * so a page of rows is neither hydrated into entities nor parsed into dates and back.
 */
const CONTACT = `id, name, email, company, tags, notes, ${iso('created_at')} as "createdAt", ${iso('updated_at')} as "updatedAt"`;

/**
 * The contacts table. Every statement runs in the request's tenant transaction,
 * so row-level security scopes it to the caller's tenant even where it names no tenant.
 */
@Injectable()
export class ContactsRepository {
  constructor(private readonly db: TenantDb) {}

  /** One keyset page plus one row (whether another page follows), in the query's order. */
  async page(query: ListContactsQuery, size: number): Promise<Contact[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const search = query.q?.trim();
    if (search) {
      const q = param(containsPattern(search));
      where.push(`(name ilike ${q} or email ilike ${q} or company ilike ${q})`);
    }
    let order: string;
    if (query.sort === 'name') {
      if (query.cursor) {
        const after = decodeCursor('name', query.cursor);
        where.push(`(lower(name), id) > (${param(after.key)}, ${param(after.id)}::uuid)`);
      }
      order = 'lower(name) asc, id asc';
    } else {
      if (query.cursor) {
        const after = decodeTimeCursor('created', query.cursor);
        where.push(`(created_at, id) < (${param(after.key)}::timestamptz, ${param(after.id)}::uuid)`);
      }
      order = 'created_at desc, id desc';
    }
    const filter = where.length ? `where ${where.join(' and ')}` : '';
    return (await this.db.manager()).query(
      `select ${CONTACT} from contacts ${filter} order by ${order} limit ${param(size)}`,
      params,
    );
  }

  async find(id: string): Promise<Contact | null> {
    const [contact] = await (await this.db.manager()).query(`select ${CONTACT} from contacts where id = $1`, [id]);
    return contact ?? null;
  }

  async insert(contact: Omit<ContactEntity, 'tenantId' | 'createdAt' | 'updatedAt'>): Promise<void> {
    await (await this.db.repository(ContactEntity)).insert({ ...contact, tenantId: this.db.tenantId });
  }

  /** Whether the contact existed (and was changed). */
  async update(
    id: string,
    changes: Partial<Pick<ContactEntity, 'name' | 'email' | 'company' | 'tags' | 'notes'>>,
  ): Promise<boolean> {
    const { affected } = await (
      await this.db.repository(ContactEntity)
    ).update({ id }, { ...changes, updatedAt: () => 'now()' });
    return Boolean(affected);
  }

  /** Whether the contact existed (and was deleted). */
  async delete(id: string): Promise<boolean> {
    const { affected } = await (await this.db.repository(ContactEntity)).delete({ id });
    return Boolean(affected);
  }
}

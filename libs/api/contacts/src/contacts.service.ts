import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, containsPattern, decodeCursor, decodeTimeCursor, encodeCursor } from '@tenantry/api-core';
import { UsageMeter } from '@tenantry/api-licensing';
import { TenantDb } from '@tenantry/api-tenancy';
import { WebhooksService } from '@tenantry/api-webhooks';
import { type Contact, ErrorCode, type Page } from '@tenantry/contracts';
import type { CreateContactDto } from './dto/create-contact.dto.js';
import { toContact } from './dto/contact.mapper.js';
import type { ListContactsQuery } from './dto/list-contacts.query.js';
import type { UpdateContactDto } from './dto/update-contact.dto.js';
import { ContactEntity } from './entities/contact.entity.js';
import { RealtimeService } from '@tenantry/api-realtime';

/**
 * The sample product module's behaviour. Every query runs in the request's
 * tenant transaction, so row-level security scopes it to the caller's tenant
 * even where a query names no tenant.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly db: TenantDb,
    private readonly usage: UsageMeter,
    private readonly webhooks: WebhooksService,
    private readonly realtime: RealtimeService,
  ) {}

  async list(query: ListContactsQuery): Promise<Page<Contact>> {
    const repo = await this.db.repository(ContactEntity);
    const qb = repo.createQueryBuilder('c');
    if (query.q?.trim()) {
      qb.andWhere('(c.name ilike :q or c.email ilike :q or c.company ilike :q)', { q: containsPattern(query.q.trim()) });
    }
    if (query.sort === 'name') {
      if (query.cursor) {
        const after = decodeCursor('name', query.cursor);
        qb.andWhere('(lower(c.name), c.id) > (:key, :id)', after);
      }
      qb.orderBy('lower(c.name)', 'ASC').addOrderBy('c.id', 'ASC');
    } else {
      if (query.cursor) {
        const after = decodeTimeCursor('created', query.cursor);
        qb.andWhere('(c.created_at, c.id) < (:key::timestamptz, :id)', after);
      }
      qb.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC');
    }
    const rows = await qb.limit(query.limit + 1).getMany();
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const more = rows.length > query.limit && last !== undefined;
    const key = (c: ContactEntity) => (query.sort === 'name' ? c.name.toLowerCase() : c.createdAt.toISOString());
    return {
      items: items.map(toContact),
      nextCursor: more ? encodeCursor(query.sort, { key: key(last), id: last.id }) : null,
    };
  }

  async get(id: string): Promise<Contact> {
    return toContact(await this.find(id));
  }

  async create(dto: CreateContactDto): Promise<Contact> {
    // A hard plan cap: past the month's allowance, 402 PLAN_LIMIT_REACHED.
    await this.usage.count('contacts', { hardCap: true });
    const repo = await this.db.repository(ContactEntity);
    const id = randomUUID();
    await repo.insert({
      tenantId: this.db.tenantId,
      id,
      name: dto.name,
      email: dto.email ?? null,
      company: dto.company ?? null,
      tags: dto.tags ?? [],
      notes: dto.notes ?? null,
    });
    const contact = await this.get(id);
    await this.webhooks.emit('contact.created', { contact });
    this.realtime.toTenantAfterCommit('contacts.changed', { id, change: 'created' });
    return contact;
  }

  async update(id: string, dto: UpdateContactDto): Promise<Contact> {
    const repo = await this.db.repository(ContactEntity);
    const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
    const { affected } = await repo.update({ id }, { ...changes, updatedAt: () => 'now()' });
    if (!affected) throw new AppError(ErrorCode.CONTACT_NOT_FOUND);
    const contact = await this.get(id);
    await this.webhooks.emit('contact.updated', { contact, changed: Object.keys(changes) });
    this.realtime.toTenantAfterCommit('contacts.changed', { id, change: 'updated' });
    return contact;
  }

  async remove(id: string): Promise<void> {
    const { affected } = await (await this.db.repository(ContactEntity)).delete({ id });
    if (!affected) throw new AppError(ErrorCode.CONTACT_NOT_FOUND);
    await this.webhooks.emit('contact.deleted', { contact: { id } });
    this.realtime.toTenantAfterCommit('contacts.changed', { id, change: 'deleted' });
  }

  private async find(id: string): Promise<ContactEntity> {
    const contact = await (await this.db.repository(ContactEntity)).findOneBy({ id });
    if (!contact) throw new AppError(ErrorCode.CONTACT_NOT_FOUND);
    return contact;
  }
}

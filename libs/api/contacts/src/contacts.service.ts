import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, encodeCursor } from '@tenantry/api-core';
import { UsageMeter } from '@tenantry/api-licensing';
import { WebhooksService } from '@tenantry/api-webhooks';
import { type Contact, ErrorCode, type Page } from '@tenantry/contracts';
import type { CreateContactDto } from './dto/create-contact.dto.js';
import type { ListContactsQuery } from './dto/list-contacts.query.js';
import type { UpdateContactDto } from './dto/update-contact.dto.js';
import { ContactsRepository } from './contacts.repository.js';
import { RealtimeService } from '@tenantry/api-realtime';

/** The sample product module's rules: plan caps, pages, webhooks and live updates (its SQL is ContactsRepository's). */
@Injectable()
export class ContactsService {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly usage: UsageMeter,
    private readonly webhooks: WebhooksService,
    private readonly realtime: RealtimeService,
  ) {}

  async list(query: ListContactsQuery): Promise<Page<Contact>> {
    const rows = await this.contacts.page(query, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const more = rows.length > query.limit && last !== undefined;
    const key = (c: Contact) => (query.sort === 'name' ? c.name.toLowerCase() : c.createdAt);
    return {
      items,
      nextCursor: more ? encodeCursor(query.sort, { key: key(last), id: last.id }) : null,
    };
  }

  async get(id: string): Promise<Contact> {
    const contact = await this.contacts.find(id);
    if (!contact) throw new AppError(ErrorCode.CONTACT_NOT_FOUND);
    return contact;
  }

  async create(dto: CreateContactDto): Promise<Contact> {
    // A hard plan cap: past the month's allowance, 402 PLAN_LIMIT_REACHED.
    await this.usage.count('contacts', { hardCap: true });
    const id = randomUUID();
    await this.contacts.insert({
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
    const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
    if (!(await this.contacts.update(id, changes))) throw new AppError(ErrorCode.CONTACT_NOT_FOUND);
    const contact = await this.get(id);
    await this.webhooks.emit('contact.updated', { contact, changed: Object.keys(changes) });
    this.realtime.toTenantAfterCommit('contacts.changed', { id, change: 'updated' });
    return contact;
  }

  async remove(id: string): Promise<void> {
    if (!(await this.contacts.delete(id))) throw new AppError(ErrorCode.CONTACT_NOT_FOUND);
    await this.webhooks.emit('contact.deleted', { contact: { id } });
    this.realtime.toTenantAfterCommit('contacts.changed', { id, change: 'deleted' });
  }
}

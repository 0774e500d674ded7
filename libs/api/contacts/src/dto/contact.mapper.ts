import type { Contact } from '@tenantry/contracts';
import type { ContactEntity } from '../entities/contact.entity.js';

export function toContact(entity: ContactEntity): Contact {
  return {
    id: entity.id,
    name: entity.name,
    email: entity.email,
    company: entity.company,
    tags: entity.tags,
    notes: entity.notes,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

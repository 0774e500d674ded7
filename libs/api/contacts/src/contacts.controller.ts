import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission, UuidParam, WhileImpersonating } from '@tenantry/api-core';
import type { Contact, Page } from '@tenantry/contracts';
import { ContactsService } from './contacts.service.js';
import { CreateContactDto } from './dto/create-contact.dto.js';
import { ListContactsQuery } from './dto/list-contacts.query.js';
import { UpdateContactDto } from './dto/update-contact.dto.js';

@ApiTags('contacts')
@ApiBearerAuth()
// Support may work on the tenant's product data while acting as someone (each call is audited with both names).
@WhileImpersonating('allow')
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  @RequirePermission('contacts.read')
  list(@Query() query: ListContactsQuery): Promise<Page<Contact>> {
    return this.contacts.list(query);
  }

  @Get(':id')
  @RequirePermission('contacts.read')
  get(@UuidParam() id: string): Promise<Contact> {
    return this.contacts.get(id);
  }

  @Post()
  @RequirePermission('contacts.write')
  create(@Body() dto: CreateContactDto): Promise<Contact> {
    return this.contacts.create(dto);
  }

  @Patch(':id')
  @RequirePermission('contacts.write')
  update(@UuidParam() id: string, @Body() dto: UpdateContactDto): Promise<Contact> {
    return this.contacts.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('contacts.delete')
  remove(@UuidParam() id: string): Promise<void> {
    return this.contacts.remove(id);
  }
}

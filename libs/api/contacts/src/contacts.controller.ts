import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tenantry/api-auth';
import { UuidParam } from '@tenantry/api-core';
import { type Contact, type Page, PERMISSIONS } from '@tenantry/contracts';
import { ContactsService } from './contacts.service.js';
import { CreateContactDto } from './dto/create-contact.dto.js';
import { ListContactsQuery } from './dto/list-contacts.query.js';
import { UpdateContactDto } from './dto/update-contact.dto.js';

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  @Roles(...PERMISSIONS['contacts.read'])
  list(@Query() query: ListContactsQuery): Promise<Page<Contact>> {
    return this.contacts.list(query);
  }

  @Get(':id')
  @Roles(...PERMISSIONS['contacts.read'])
  get(@UuidParam() id: string): Promise<Contact> {
    return this.contacts.get(id);
  }

  @Post()
  @Roles(...PERMISSIONS['contacts.write'])
  create(@Body() dto: CreateContactDto): Promise<Contact> {
    return this.contacts.create(dto);
  }

  @Patch(':id')
  @Roles(...PERMISSIONS['contacts.write'])
  update(@UuidParam() id: string, @Body() dto: UpdateContactDto): Promise<Contact> {
    return this.contacts.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...PERMISSIONS['contacts.delete'])
  remove(@UuidParam() id: string): Promise<void> {
    return this.contacts.remove(id);
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LicensingModule } from '@tenantry/api-licensing';
import { ContactsController } from './contacts.controller.js';
import { ContactsService } from './contacts.service.js';
import { ContactEntity } from './entities/contact.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([ContactEntity]), LicensingModule],
  controllers: [ContactsController],
  providers: [ContactsService],
  exports: [ContactsService],
})
export class ContactsModule {}

import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LicensingModule } from '@tenantry/api-licensing';
import { WebhooksModule } from '@tenantry/api-webhooks';
import { ContactImportsController } from './contact-imports.controller.js';
import { ContactImportsProcessor } from './contact-imports.processor.js';
import { ContactImportsRepository } from './contact-imports.repository.js';
import { CONTACTS_QUEUE, ContactImportsService } from './contact-imports.service.js';
import { ContactsController } from './contacts.controller.js';
import { ContactsRepository } from './contacts.repository.js';
import { ContactsService } from './contacts.service.js';
import { ContactEntity } from './entities/contact.entity.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([ContactEntity]),
    BullModule.registerQueue({ name: CONTACTS_QUEUE }),
    LicensingModule,
    WebhooksModule,
  ],
  controllers: [ContactsController, ContactImportsController],
  providers: [
    ContactsService,
    ContactsRepository,
    ContactImportsService,
    ContactImportsRepository,
    ContactImportsProcessor,
  ],
  exports: [ContactsService],
})
export class ContactsModule {}

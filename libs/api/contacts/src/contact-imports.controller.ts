import { Controller, Get, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { RequireFeature, RequirePermission, UuidParam, WhileImpersonating } from '@tenantry/api-core';
import type { ContactImport } from '@tenantry/contracts';
import { ContactImportsService, MAX_IMPORT_BYTES } from './contact-imports.service.js';

@ApiTags('contacts')
@ApiBearerAuth()
// Support may work on the tenant's product data while acting as someone (each call is audited with both names).
@WhileImpersonating('allow')
@Controller('contact-imports')
@RequireFeature('contacts.import')
export class ContactImportsController {
  constructor(private readonly imports: ContactImportsService) {}

  /** Starts importing a CSV (multipart field `file`; columns name, email, company, tags, notes): answers at once, the job reports progress. */
  @Post()
  @RequirePermission('contacts.write')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  start(@UploadedFile() file: { originalname: string; buffer: Buffer } | undefined): Promise<ContactImport> {
    return this.imports.start(file);
  }

  /** The 20 latest imports (without their row errors). */
  @Get()
  @RequirePermission('contacts.read')
  list(): Promise<ContactImport[]> {
    return this.imports.list();
  }

  /** An import's progress and its refused rows. */
  @Get(':id')
  @RequirePermission('contacts.read')
  get(@UuidParam() id: string): Promise<ContactImport> {
    return this.imports.get(id);
  }
}

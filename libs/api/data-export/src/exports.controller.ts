import { Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { WhileImpersonating, Public, RequirePermission, UuidParam } from '@tenantry/api-core';
import type { DataExport } from '@tenantry/contracts';
import type { Response } from 'express';
import { DataExportService } from './data-export.service.js';
import { DownloadQuery } from './dto/download.query.js';

/** Owners take the tenant's data with them: request an export, follow its progress, download it. */
@ApiTags('exports')
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: DataExportService) {}

  /** Queues an export (one at a time: 409 EXPORT_IN_PROGRESS). */
  @Post()
  @ApiBearerAuth()
  @RequirePermission('tenant.export')
  request(): Promise<DataExport> {
    return this.exports.request();
  }

  @Get()
  @ApiBearerAuth()
  @RequirePermission('tenant.export')
  @WhileImpersonating('deny')
  list(): Promise<DataExport[]> {
    return this.exports.list();
  }

  @Get(':id')
  @ApiBearerAuth()
  @RequirePermission('tenant.export')
  @WhileImpersonating('deny')
  get(@UuidParam() id: string): Promise<DataExport> {
    return this.exports.get(id);
  }

  /** The zip, through the signed link of `GET /api/exports` (no bearer token: the link is the credential, valid 24 h). */
  @Get(':id/download')
  @Public()
  async download(@UuidParam() id: string, @Query() query: DownloadQuery, @Res() res: Response): Promise<void> {
    const file = await this.exports.download(id, query.token);
    res.set({
      'Content-Type': 'application/zip',
      'Content-Length': String(file.size),
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'no-store',
    });
    file.stream.pipe(res);
  }
}

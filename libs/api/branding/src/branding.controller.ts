import { createHash } from 'node:crypto';
import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseEnumPipe,
  Put,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  AppError,
  Public,
  RequireFeature,
  RequirePermission,
  UuidParam,
  AvailableInMaintenance,
} from '@tenantry/api-core';
import {
  BRANDING_ASSETS,
  type BrandingAsset,
  type BrandingResponse,
  type BrandingSettings,
  ErrorCode,
} from '@tenantry/contracts';
import type { Response } from 'express';
import { BrandingService } from './branding.service.js';
import { UpdateBrandingDto } from './dto/update-branding.dto.js';
import { MAX_IMAGE_BYTES } from './image-check.js';

const assetKind = new ParseEnumPipe(Object.fromEntries(BRANDING_ASSETS.map((k) => [k, k])), {
  exceptionFactory: () =>
    new AppError(ErrorCode.VALIDATION_FAILED, {
      fields: [{ field: 'kind', messages: [`kind must be one of ${BRANDING_ASSETS.join(', ')}`] }],
    }),
});

@ApiTags('branding')
@Controller('branding')
export class BrandingController {
  constructor(private readonly branding: BrandingService) {}

  /**
   * The branding of the host's tenant, for the SPA's first paint. It carries an
   * ETag of its content, and Express answers a matching If-None-Match with 304;
   * `no-cache` makes browsers ask each time, so a change shows on the next load.
   */
  @Public()
  @AvailableInMaintenance()
  @Get()
  @Header('Cache-Control', 'no-cache')
  @Header('Vary', 'Host, X-Tenant')
  async get(@Res({ passthrough: true }) res: Response): Promise<BrandingResponse> {
    const branding = await this.branding.current();
    res.setHeader('ETag', `W/"${createHash('sha256').update(JSON.stringify(branding)).digest('base64url')}"`);
    return branding;
  }

  /** An uploaded image (public: sign-in pages and emails show them). Its name is its hash: cached for good. */
  @Public()
  @AvailableInMaintenance()
  @Get('assets/:tenantId/:file')
  async asset(
    @UuidParam('tenantId') tenantId: string,
    @Param('file') file: string,
    @Res() res: Response,
  ): Promise<void> {
    const { body, contentType } = await this.branding.asset(tenantId, file);
    res.set({
      'Content-Type': contentType,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    res.send(body);
  }

  @Get('settings')
  @ApiBearerAuth()
  @RequirePermission('branding.manage')
  @RequireFeature('custom_branding')
  settings(): Promise<BrandingSettings> {
    return this.branding.settings();
  }

  @Put()
  @ApiBearerAuth()
  @RequirePermission('branding.manage')
  @RequireFeature('custom_branding')
  update(@Body() dto: UpdateBrandingDto): Promise<BrandingSettings> {
    return this.branding.update(dto);
  }

  /** Everything back to the defaults (images deleted). */
  @Delete()
  @HttpCode(204)
  @ApiBearerAuth()
  @RequirePermission('branding.manage')
  @RequireFeature('custom_branding')
  reset(): Promise<void> {
    return this.branding.reset();
  }

  /** Uploads the logo, favicon or sign-in background (multipart field `file`): PNG, JPEG or WebP, ≤ 1 MB, checked by content. */
  @Put('assets/:kind')
  @ApiBearerAuth()
  @RequirePermission('branding.manage')
  @RequireFeature('custom_branding')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  // Twice the limit reaches the check (which names it); beyond, multer stops reading (413 PAYLOAD_TOO_LARGE).
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 2 * MAX_IMAGE_BYTES, files: 1 } }))
  setImage(
    @Param('kind', assetKind) kind: BrandingAsset,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<BrandingSettings> {
    return this.branding.setImage(kind, file?.buffer);
  }

  @Delete('assets/:kind')
  @ApiBearerAuth()
  @RequirePermission('branding.manage')
  @RequireFeature('custom_branding')
  removeImage(@Param('kind', assetKind) kind: BrandingAsset): Promise<BrandingSettings> {
    return this.branding.removeImage(kind);
  }
}

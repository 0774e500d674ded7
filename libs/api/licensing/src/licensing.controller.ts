import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, WhileImpersonating, PlatformOnly, UuidParam } from '@tenantry/api-core';
import type { ExpiringLicense, License } from '@tenantry/contracts';
import { ExpiringQuery, IssueLicenseDto, RenewLicenseDto } from './dto/license.dto.js';
import { LicensingService } from './licensing.service.js';

@ApiTags('licensing')
@ApiBearerAuth()
@Controller()
export class LicensingController {
  constructor(private readonly licensing: LicensingService) {}

  @Get('platform/tenants/:id/licenses')
  @PlatformOnly()
  @WhileImpersonating('deny')
  licenses(@UuidParam() id: string): Promise<License[]> {
    return this.licensing.licenses(id);
  }

  /** Issues a license with its signed key; it replaces the tenant's current one and sets its plan. */
  @Post('platform/tenants/:id/licenses')
  @PlatformOnly()
  issue(@CurrentUser() admin: AuthUser, @UuidParam() id: string, @Body() dto: IssueLicenseDto): Promise<License> {
    return this.licensing.issue(admin, id, dto);
  }

  @Post('platform/tenants/:id/licenses/:licenseId/renew')
  @HttpCode(200)
  @PlatformOnly()
  renew(
    @UuidParam() id: string,
    @UuidParam('licenseId') licenseId: string,
    @Body() dto: RenewLicenseDto,
  ): Promise<License> {
    return this.licensing.renew(id, licenseId, dto.validUntil);
  }

  @Post('platform/tenants/:id/licenses/:licenseId/suspend')
  @HttpCode(200)
  @PlatformOnly()
  suspend(@UuidParam() id: string, @UuidParam('licenseId') licenseId: string): Promise<License> {
    return this.licensing.suspend(id, licenseId);
  }

  @Post('platform/tenants/:id/licenses/:licenseId/revoke')
  @HttpCode(204)
  @PlatformOnly()
  revoke(@UuidParam() id: string, @UuidParam('licenseId') licenseId: string): Promise<void> {
    return this.licensing.revoke(id, licenseId);
  }

  /** Active licenses ending within `days` (default 30). */
  @Get('platform/licenses/expiring')
  @PlatformOnly()
  @WhileImpersonating('deny')
  expiring(@Query() query: ExpiringQuery): Promise<ExpiringLicense[]> {
    return this.licensing.expiring(query.days);
  }
}

import { Controller, Get } from '@nestjs/common';
import { Public, RequestContext } from '@tenantry/api-core';
import { type BrandingResponse, DEFAULT_PRIMARY_COLOR, textColorOn } from '@tenantry/contracts';
import { TenancyService } from './tenancy.service.js';

const PLATFORM_NAME = 'Tenantry';

/** Minimal public branding (name and primary color) for the SPA to apply at boot. */
@Controller('branding')
export class BrandingController {
  constructor(private readonly tenancy: TenancyService) {}

  @Public()
  @Get()
  async get(): Promise<BrandingResponse> {
    const tenant = RequestContext.current()?.tenant;
    const primaryColor = tenant ? await this.tenancy.primaryColor(tenant.id) : DEFAULT_PRIMARY_COLOR;
    return {
      tenant: tenant ? { id: tenant.id, slug: tenant.slug, name: tenant.name } : null,
      name: tenant?.name ?? PLATFORM_NAME,
      primaryColor,
      onPrimaryColor: textColorOn(primaryColor),
    };
  }
}

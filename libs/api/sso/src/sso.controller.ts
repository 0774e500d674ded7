import { Body, Controller, Delete, Get, Header, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Public, RequireFeature, RequirePermission, UuidParam } from '@tenantry/api-core';
import type { SsoConnection } from '@tenantry/contracts';
import { CreateSsoConnectionDto, UpdateSsoConnectionDto } from './dto/sso-connection.dto.js';
import { SsoService } from './sso.service.js';

/**
 * Connection management: tenants with the `sso` feature. (Sign-in itself keeps working after a downgrade: nobody is locked out.)
 * Adding and removing connections, and what they trust (SsoService), is for owners.
 */
@ApiTags('sso')
@Controller('sso')
@RequireFeature('sso')
export class SsoController {
  constructor(private readonly sso: SsoService) {}

  @ApiBearerAuth()
  @Get('connections')
  @RequirePermission('sso.manage')
  list(): Promise<SsoConnection[]> {
    return this.sso.list();
  }

  @ApiBearerAuth()
  @Post('connections')
  @RequirePermission('sso.trust')
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateSsoConnectionDto): Promise<SsoConnection> {
    return this.sso.create(user, dto);
  }

  @ApiBearerAuth()
  @Patch('connections/:id')
  @RequirePermission('sso.manage')
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: UpdateSsoConnectionDto,
  ): Promise<SsoConnection> {
    return this.sso.update(user, id, dto);
  }

  @ApiBearerAuth()
  @Delete('connections/:id')
  @HttpCode(204)
  @RequirePermission('sso.trust')
  remove(@UuidParam() id: string): Promise<void> {
    return this.sso.remove(id);
  }

  /** Our service-provider metadata for this connection (public: the IdP administrator imports it). */
  @Public()
  @Get(':id/metadata')
  @Header('Content-Type', 'application/samlmetadata+xml; charset=utf-8')
  @ApiProduces('application/samlmetadata+xml')
  metadata(@UuidParam() id: string): Promise<string> {
    return this.sso.serviceProviderMetadata(id);
  }
}

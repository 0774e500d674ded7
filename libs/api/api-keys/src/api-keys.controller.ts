import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, RequireFeature, RequirePermission, UuidParam } from '@tenantry/api-core';
import type { ApiKeyInfo, CreatedApiKey } from '@tenantry/contracts';
import { ApiKeysService } from './api-keys.service.js';
import { CreateApiKeyDto } from './dto/create-api-key.dto.js';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api-keys')
@RequireFeature('api_access')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** The answer holds the key's secret: the only time it is shown. */
  @Post()
  @RequirePermission('api_keys.manage')
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKey> {
    return this.keys.create(user, dto);
  }

  @Get()
  @RequirePermission('api_keys.manage')
  list(): Promise<ApiKeyInfo[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('api_keys.manage')
  revoke(@UuidParam() id: string): Promise<void> {
    return this.keys.revoke(id);
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { WhileImpersonating, PlatformOnly } from '@tenantry/api-core';
import type { Releases } from '@tenantry/contracts';
import { ReleasesService } from './releases.service.js';

@ApiTags('platform')
@ApiBearerAuth()
@Controller('platform/releases')
@PlatformOnly()
@WhileImpersonating('deny')
export class ReleasesController {
  constructor(private readonly releases: ReleasesService) {}

  /** API instances running now (heartbeat within 90 s), versions seen, recent instances. */
  @Get()
  list(): Promise<Releases> {
    return this.releases.releases();
  }
}

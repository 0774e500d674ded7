import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { WhileImpersonating, PlatformOnly } from '@tenantry/api-core';
import type { PlatformStats } from '@tenantry/contracts';
import { PlatformStatsService } from './platform-stats.service.js';

@ApiTags('platform')
@ApiBearerAuth()
@Controller('platform/stats')
@PlatformOnly()
@WhileImpersonating('deny')
export class PlatformStatsController {
  constructor(private readonly stats: PlatformStatsService) {}

  /** The console's overview (at most a minute old: see `computedAt`). */
  @Get()
  overview(): Promise<PlatformStats> {
    return this.stats.overview();
  }
}

import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { AppError, AvailableInMaintenance, Public, REDIS } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import { GracefulShutdown } from '../shutdown/graceful-shutdown.js';

/** Readiness of the API and its two dependencies: 503 when either is down, or when the instance is shutting down. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly shutdown: GracefulShutdown,
  ) {}

  @Public()
  @AvailableInMaintenance()
  @Get()
  @HealthCheck()
  check() {
    if (this.shutdown.leaving) throw new AppError(ErrorCode.SHUTTING_DOWN);
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => {
            await this.redis.ping();
          })
          .withTimeout(2000),
    ]);
  }
}

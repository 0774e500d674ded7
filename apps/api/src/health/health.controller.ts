import { Controller, Get, Inject, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@tenantry/api-core';
import type { Redis } from 'ioredis';
import { REDIS } from './redis.provider.js';

/** Liveness of the API and its two dependencies; 503 when either is down. */
@ApiTags('health')
@Controller('health')
export class HealthController implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.redis.connect().catch(() => undefined); // health reports it; start-up does not hang on it
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  @Public()
  @Get()
  @HealthCheck()
  check() {
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

import { Inject, Logger, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthenticationGuard, AuthModule, PermissionGuard } from '@tenantry/api-auth';
import { BrandingModule } from '@tenantry/api-branding';
import { LicensingModule, TenantRateLimitGuard } from '@tenantry/api-licensing';
import { LifecycleModule } from '@tenantry/api-lifecycle';
import { PlatformModule } from '@tenantry/api-platform';
import { PlatformStatsModule } from '@tenantry/api-platform-stats';
import { ReleasesModule } from '@tenantry/api-releases';
import { DataExportModule } from '@tenantry/api-data-export';
import { WebhooksModule } from '@tenantry/api-webhooks';
import { RealtimeModule } from '@tenantry/api-realtime';
import { AnonymousMaintenanceGuard, MaintenanceGuard, MaintenanceModule } from '@tenantry/api-maintenance';
import { ContactsModule } from '@tenantry/api-contacts';
import { CustomDomainsModule } from '@tenantry/api-custom-domains';
import { FeatureGuard, FeaturesModule } from '@tenantry/api-features';
import { DomainsModule } from '@tenantry/api-domains';
import { ImpersonationModule } from '@tenantry/api-impersonation';
import { SsoModule } from '@tenantry/api-sso';
import {
  type AppConfig,
  FileStorageModule,
  loadConfig,
  RedisModule,
  redisConnectionOptions,
  requestContextMiddleware,
  RequestContext,
} from '@tenantry/api-core';
import { TenancyModule, TenantResolverMiddleware } from '@tenantry/api-tenancy';
import { LoggerModule, PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { type Logger as PinoLogger, pino } from 'pino';
import { HealthController } from './health/health.controller.js';
import { createApiLogger, logRequests } from './http-logging.js';
import { RouteIndex } from './http/route-index.js';
import { RealtimeGateway } from './realtime/realtime.gateway.js';
import { GracefulShutdown } from './shutdown/graceful-shutdown.js';
import { QueueWorkers } from './shutdown/queue-workers.js';

const poolLogger = new Logger('DatabasePool');

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, load: [() => loadConfig()] }),
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        // Written to stdout off the event loop (writes made while one is in flight go out together); what is
        // still buffered is written synchronously when the process exits.
        pinoHttp: {
          logger: createApiLogger(config.get('log', { infer: true }).level, pino.destination({ sync: false })),
          wrapSerializers: false,
        },
        // Nest's own logs go through this logger; requests are logged by logRequests (no logger per request).
        useExisting: true,
      }),
    }),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const db = config.get('database', { infer: true });
        return {
          type: 'postgres',
          url: db.url,
          autoLoadEntities: true,
          synchronize: false,
          // node-postgres waits forever for a free connection by default: bound it (503 DATABASE_BUSY).
          extra: {
            max: db.poolMax,
            connectionTimeoutMillis: db.poolTimeoutMs,
            idleTimeoutMillis: 30_000,
            application_name: 'tenantry-api',
            // Queries are sent without waiting for the answer to the one before (answers still come in
            // order): a tenant transaction's opening statements travel with its first query.
            pipeline: true,
          },
          // An idle connection dropped by the server must be logged, never crash the process.
          poolErrorHandler: (error: Error) =>
            RequestContext.outside(() => poolLogger.warn(`idle database connection failed: ${error.message}`)),
        };
      },
    }),
    TerminusModule,
    DiscoveryModule,
    RedisModule,
    FileStorageModule,
    // Jobs: their own Redis connections (BullMQ's needs), keys under REDIS_KEY_PREFIX + "bull". Requests that
    // add jobs check the connection first (assertQueueReachable): 503 at once while Redis is down.
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const redis = config.get('redis', { infer: true });
        return { connection: redisConnectionOptions(redis.url), prefix: `${redis.keyPrefix}bull` };
      },
    }),
    TenancyModule,
    RealtimeModule,
    AuthModule,
    FeaturesModule,
    DomainsModule,
    CustomDomainsModule,
    BrandingModule,
    MaintenanceModule,
    LifecycleModule,
    PlatformModule,
    PlatformStatsModule,
    ReleasesModule,
    DataExportModule,
    WebhooksModule,
    ImpersonationModule,
    SsoModule,
    ContactsModule,
    LicensingModule, // GracefulShutdown flushes its usage meter
  ],
  controllers: [HealthController],
  providers: [
    RealtimeGateway,
    QueueWorkers,
    GracefulShutdown,
    RouteIndex,
    // Every route's guards, in the order they run: is the platform open to a caller with no
    // credential (503), who calls (401), may they (403), does the tenant's plan have the feature,
    // is the platform open to this caller (503), and last the plan's rate limit, so that only
    // calls every other guard let through count against the minute and the month.
    { provide: APP_GUARD, useExisting: AnonymousMaintenanceGuard },
    { provide: APP_GUARD, useExisting: AuthenticationGuard },
    { provide: APP_GUARD, useExisting: PermissionGuard },
    { provide: APP_GUARD, useExisting: FeatureGuard },
    { provide: APP_GUARD, useExisting: MaintenanceGuard },
    { provide: APP_GUARD, useExisting: TenantRateLimitGuard },
  ],
})
export class AppModule implements NestModule {
  constructor(@Inject(PARAMS_PROVIDER_TOKEN) private readonly logging: Params) {}

  configure(consumer: MiddlewareConsumer): void {
    const { logger } = this.logging.pinoHttp as { logger: PinoLogger };
    consumer
      .apply(logRequests(logger), requestContextMiddleware)
      .forRoutes({ path: '*path', method: RequestMethod.ALL });
    consumer
      .apply(TenantResolverMiddleware)
      .exclude({ path: 'health', method: RequestMethod.ALL })
      .forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}

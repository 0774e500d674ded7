import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  type AppConfig,
  AppErrorFilter,
  assignRequestId,
  createValidationPipe,
  refuseDeepInput,
} from '@tenantry/api-core';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { TenancyService } from '@tenantry/api-tenancy';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { GracefulShutdown } from './shutdown/graceful-shutdown.js';

/** Serves the built SPA: its files, and index.html for every other non-API GET (client-side routes). */
function serveSpa(app: NestExpressApplication, webDist: string): void {
  const dist = resolve(webDist);
  const index = join(dist, 'index.html');
  const files = express.static(dist, { index: false, maxAge: '1h' });
  const isApi = (req: Request) => req.path === '/api' || req.path.startsWith('/api/');
  // API requests skip the file look-up entirely (a stat per request otherwise).
  app.use((req: Request, res: Response, next: NextFunction) => (isApi(req) ? next() : files(req, res, next)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || isApi(req)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

/** The OpenAPI document of the running app (served at /api/docs, committed as apps/api/openapi.json). */
export function openApiDocument(app: NestExpressApplication) {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Tenantry API').setVersion('0.1.0').addBearerAuth().build(),
  );
}

/**
 * Builds the API with everything main.ts and the tests share. Tests may pass
 * a root module that imports AppModule and adds test-only routes.
 */
export async function createApp(
  rootModule: Parameters<typeof NestFactory.create>[0] = AppModule,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, { bufferLogs: true, bodyParser: false });
  const config = app.get<ConfigService<AppConfig, true>>(ConfigService);
  const http = config.get('http', { infer: true });
  app.useLogger(app.get(Logger));
  app.use(app.get(GracefulShutdown).track);
  app.use(assignRequestId);
  app.set('trust proxy', http.trustProxy);
  app.disable('x-powered-by');
  // No ETag computed over every JSON answer (a hash of each body): API answers are not cached.
  // The one answer clients revalidate, the branding, sets its own.
  app.set('etag', false);
  const production = config.get('env', { infer: true }) === 'production';
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          // Plain-HTTP development on *.localhost must not be pushed to HTTPS.
          'upgrade-insecure-requests': production ? [] : null,
        },
      },
      strictTransportSecurity: production,
    }),
  );
  // Cross-origin calls with credentials: only from the platform's hosts and tenants' verified custom domains.
  const tenancy = app.get(TenancyService);
  app.enableCors({
    origin: (origin, callback) => {
      if (!origin) return callback(null, false);
      tenancy.isAllowedOrigin(origin).then(
        (allowed) => callback(null, allowed),
        () => callback(null, false),
      );
    },
    credentials: true,
    exposedHeaders: ['ETag', 'X-Request-Id'],
    maxAge: 600,
  });
  // Stripe signs the exact bytes it sends: webhooks keep their raw body (the JSON parser then skips them).
  app.use('/api/billing/webhooks', express.raw({ type: '*/*', limit: '1mb' }));
  app.useBodyParser('json', { limit: '1mb' });
  // SAML responses arrive as forms (HTTP-POST binding); a compressed body counts decompressed against the limit.
  app.use('/api/sso', express.urlencoded({ extended: false, limit: '512kb', parameterLimit: 10 }));
  // Query strings and forms are read flat (no a[b][c] nesting); JSON can nest, and is refused past a depth.
  app.set('query parser', 'simple');
  app.use(refuseDeepInput);
  // Only the auth routes read cookies (the refresh cookie's path is /api/auth).
  app.use('/api/auth', cookieParser());
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AppErrorFilter());

  SwaggerModule.setup('api/docs', app, openApiDocument(app));

  if (http.webDist && existsSync(join(http.webDist, 'index.html'))) serveSpa(app, http.webDist);
  return app;
}

import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';
import { createApp } from './app.js';
import { GracefulShutdown } from './shutdown/graceful-shutdown.js';
import { configFromEnvironment } from './environment.js';

// Refuse bad configuration up front, with the list of bad variables and nothing else.
try {
  configFromEnvironment();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const app = await createApp();
const { port, host, shutdownDelayMs, shutdownGraceMs } = app
  .get<ConfigService<AppConfig, true>>(ConfigService)
  .get('http', { infer: true });

// SIGTERM (deploys, scale-downs): leave the balancer, drain, close, exit 0 (GracefulShutdown). Ctrl-C
// (a person, no balancer) skips the leaving. Should anything hang, exit anyway: what did not finish is retried elsewhere.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    const limitMs = (signal === 'SIGTERM' ? shutdownDelayMs : 0) + shutdownGraceMs + 5000;
    setTimeout(() => {
      console.error(`Shutdown did not finish within ${limitMs} ms; exiting.`);
      process.exit(1);
    }, limitMs).unref();
    (signal === 'SIGTERM' ? app.get(GracefulShutdown).leave() : Promise.resolve())
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  });
}

try {
  await app.listen(port, host);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  console.error(`Port ${port} on ${host} is already in use: stop what runs there, or set PORT.`);
  await app.close();
  process.exit(1);
}
console.log(`Tenantry API listening on http://${host}:${port} (OpenAPI at /api/docs)`);

import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';
import { createApp } from './app.js';
import { configFromEnvironment } from './environment.js';

// Refuse bad configuration up front, with the list of bad variables and nothing else.
try {
  configFromEnvironment();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const app = await createApp();
const { port, host } = app.get<ConfigService<AppConfig, true>>(ConfigService).get('http', { infer: true });
try {
  await app.listen(port, host);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  console.error(`Port ${port} on ${host} is already in use: stop what runs there, or set PORT.`);
  await app.close();
  process.exit(1);
}
console.log(`Tenantry API listening on http://${host}:${port} (OpenAPI at /api/docs)`);

import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';
import { createApp } from './app.js';

const app = await createApp();
const { port, host } = app.get<ConfigService<AppConfig, true>>(ConfigService).get('http', { infer: true });
await app.listen(port, host);
console.log(`Tenantry API listening on http://${host}:${port} (OpenAPI at /api/docs)`);

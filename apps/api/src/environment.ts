import { existsSync } from 'node:fs';
import { type AppConfig, loadConfig } from '@tenantry/api-core';

/** The validated configuration: `.env` in the working directory (if any) under the real environment. */
export function configFromEnvironment(): AppConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig();
}

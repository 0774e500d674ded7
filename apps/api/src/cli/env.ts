import { existsSync } from 'node:fs';
import { type AppConfig, loadConfig } from '@tenantry/api-core';

/** Configuration for command-line tools: `.env` in the working directory (if any), then the environment. */
export function cliConfig(): AppConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig();
}

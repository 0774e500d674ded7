import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';
import type { Releases } from '@tenantry/contracts';
import { ReleasesRepository } from './releases.repository.js';

const HEARTBEAT_MS = 30_000;

/**
 * Each API instance records itself (version, host, start) when it starts,
 * beats a heartbeat every 30 s and marks its clean stop; the console reads
 * which versions run now and which ran before (a blue-green deploy shows both
 * colors until the old one stops).
 */
@Injectable()
export class ReleasesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReleasesService.name);
  private readonly id = randomUUID();
  private readonly version: string;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly instances: ReleasesRepository,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.version = config.get('release', { infer: true }).version;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.instances.started({ id: this.id, version: this.version, hostname: hostname(), pid: process.pid });
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.instances
      .stopped(this.id)
      .catch((error: Error) => this.logger.warn(`stop not recorded: ${error.message}`));
  }

  releases(): Promise<Releases> {
    return this.instances.releases();
  }

  private async beat(): Promise<void> {
    await this.instances
      .seen(this.id)
      .catch((error: Error) => this.logger.warn(`heartbeat not recorded: ${error.message}`));
  }
}

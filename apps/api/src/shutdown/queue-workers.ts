import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';

/**
 * The app's BullMQ workers (one per @Processor). Their errors — Redis away, a
 * job's lock lost after an outage — are logged as one line each: BullMQ
 * prints whole stack traces to the console when nobody listens.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');

  constructor(private readonly discovery: DiscoveryService) {}

  all(): Worker[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .map((host) => host.worker);
  }

  onApplicationBootstrap(): void {
    for (const worker of this.all())
      worker.on('error', (error) => this.logger.warn(`queue ${worker.name}: ${error.message}`));
  }
}

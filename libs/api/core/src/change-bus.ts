import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { AppConfig } from './config.js';
import { REDIS } from './redis-token.js';

type Handler = (payload: Record<string, unknown>) => void;

/**
 * "Something changed, drop what you cached": Redis pub/sub between API
 * instances, so a plan, a tenant or a feature flag changed on one instance
 * stops being served from another's memory within moments. Every instance
 * also hears its own messages. Redis down: the caches' own short lifetimes
 * still bound how stale an answer can be.
 */
@Injectable()
export class ChangeBus implements OnApplicationShutdown {
  private readonly logger = new Logger(ChangeBus.name);
  private readonly handlers = new Map<string, Set<Handler>>();
  private subscriber: Redis | null = null;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    // Channels are not keys: the key prefix does not apply, so it is added here (test files share one Redis).
    this.prefix = `${config.get('redis', { infer: true }).keyPrefix}changes:`;
  }

  /** Runs `handler` for every message on `topic`, from any instance. */
  subscribe(topic: string, handler: Handler): void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
      void this.listener().subscribe(this.prefix + topic).catch((error: Error) => this.logger.warn(`cannot subscribe to ${topic}: ${error.message}`));
    }
    set.add(handler);
  }

  /** Tells every instance (this one too); never fails the caller. */
  async publish(topic: string, payload: Record<string, unknown> = {}): Promise<void> {
    await this.redis.publish(this.prefix + topic, JSON.stringify(payload)).catch((error: Error) => this.logger.warn(`change on ${topic} not published: ${error.message}`));
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  private listener(): Redis {
    if (!this.subscriber) {
      this.subscriber = this.redis.duplicate({ keyPrefix: undefined, enableOfflineQueue: true, lazyConnect: false, maxRetriesPerRequest: null });
      this.subscriber.on('error', () => undefined); // reconnects on its own; publishers log
      this.subscriber.on('message', (channel: string, message: string) => {
        const handlers = this.handlers.get(channel.slice(this.prefix.length));
        if (!handlers) return;
        const payload = JSON.parse(message) as Record<string, unknown>;
        for (const handler of handlers) handler(payload);
      });
    }
    return this.subscriber;
  }
}

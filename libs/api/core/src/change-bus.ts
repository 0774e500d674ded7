import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ChainableCommander, Redis } from 'ioredis';
import type { AppConfig } from './config.js';
import { REDIS } from './redis-token.js';

type Handler = (payload: Record<string, unknown>) => void;

/** How often the listening connection is pinged. */
const HEARTBEAT_MS = 1_000;
/**
 * A listening connection that answered no ping sent in this long may have broken silently:
 * followed memory stops answering, and the connection is made again.
 */
export const SILENCE_LIMIT_MS = 3_000;

interface Follower {
  catchUp: () => Promise<void>;
  /** The connection (epoch) the follower caught up on; memory is current only on that same connection. */
  caughtUpOn: number;
  catchingUp: boolean;
}

/**
 * "Something changed, drop what you cached": Redis pub/sub between API
 * instances, so a plan, a tenant or a feature flag changed on one instance
 * stops being served from another's memory within moments. Every instance
 * also hears its own messages. Redis down: the caches' own short lifetimes
 * still bound how stale an answer can be. Memory that may never answer stale
 * (revocations) uses `follow`, which says when it can not be trusted.
 */
@Injectable()
export class ChangeBus implements OnApplicationShutdown {
  private readonly logger = new Logger(ChangeBus.name);
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly subscriptions = new Map<string, Promise<unknown>>();
  private readonly followers = new Set<Follower>();
  private subscriber: Redis | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly prefix: string;
  /** Counts confirmed subscriptions: messages sent while a connection was down are lost, so each new one needs a catch-up. */
  private epoch = 0;
  private subscribed = false;
  /** When the last answered ping was sent: every message published before then has been heard. */
  private heardAt = 0;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    // Channels are not keys: the key prefix does not apply, so it is added here (test files share one Redis).
    this.prefix = `${config.get('redis', { infer: true }).keyPrefix}changes:`;
  }

  /** Runs `handler` for every message on `topic`, from any instance. */
  subscribe(topic: string, handler: Handler): void {
    void this.listen(topic, handler);
  }

  /**
   * For memory that must never answer stale: `handler` runs for every message on `topic`, and
   * `catchUp` (reading what is current from Redis) each time the subscription starts again, as
   * messages sent meanwhile were lost. The returned check is true only while the memory is
   * complete: subscribed, caught up on this very connection, and the connection answered a ping
   * sent within SILENCE_LIMIT_MS. When it is false, answer from Redis instead.
   */
  follow(topic: string, handler: Handler, catchUp: () => Promise<void>): () => boolean {
    const follower: Follower = { catchUp, caughtUpOn: -1, catchingUp: false };
    this.followers.add(follower);
    // Already listening: catch up once this topic's subscription is confirmed (else 'ready' does it).
    void this.listen(topic, handler).then(() => this.catchUp(follower));
    return () => this.subscribed && follower.caughtUpOn === this.epoch && Date.now() - this.heardAt < SILENCE_LIMIT_MS;
  }

  /** Tells every instance (this one too); never fails the caller. */
  async publish(topic: string, payload: Record<string, unknown> = {}): Promise<void> {
    await this.redis
      .publish(this.prefix + topic, JSON.stringify(payload))
      .catch((error: Error) => this.logger.warn(`change on ${topic} not published: ${error.message}`));
  }

  /** Adds the message to a MULTI: it goes out if, and only if, the transaction's writes are made. */
  publishWith(transaction: ChainableCommander, topic: string, payload: Record<string, unknown>): ChainableCommander {
    return transaction.publish(this.prefix + topic, JSON.stringify(payload));
  }

  onApplicationShutdown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.subscriber?.disconnect();
  }

  /** Adds `handler`; resolves once the topic's subscription is confirmed (or could not be made: logged). */
  private listen(topic: string, handler: Handler): Promise<unknown> {
    let topicHandlers = this.handlers.get(topic);
    if (!topicHandlers) {
      topicHandlers = new Set();
      this.handlers.set(topic, topicHandlers);
      this.subscriptions.set(
        topic,
        this.listener()
          .subscribe(this.prefix + topic)
          .catch((error: Error) => this.logger.warn(`cannot subscribe to ${topic}: ${error.message}`)),
      );
    }
    topicHandlers.add(handler);
    return this.subscriptions.get(topic)!;
  }

  private listener(): Redis {
    if (!this.subscriber) {
      const subscriber = this.redis.duplicate({
        keyPrefix: undefined,
        enableOfflineQueue: true,
        lazyConnect: false,
        maxRetriesPerRequest: null,
      });
      this.subscriber = subscriber;
      subscriber.on('error', () => undefined); // reconnects on its own; publishers log
      subscriber.on('message', (channel: string, message: string) => {
        const handlers = this.handlers.get(channel.slice(this.prefix.length));
        if (!handlers) return;
        const payload = JSON.parse(message) as Record<string, unknown>;
        for (const handler of handlers) handler(payload);
      });
      subscriber.on('ready', () => {
        this.heardAt = Date.now(); // it answers; trusted only once subscribed and caught up
        void this.resubscribed(subscriber);
      });
      subscriber.on('close', () => (this.subscribed = false));
      this.heartbeat = setInterval(() => this.beat(subscriber), HEARTBEAT_MS).unref();
    }
    return this.subscriber;
  }

  /** A (new) connection: once every topic's subscription is confirmed, followers catch up on what they missed. */
  private async resubscribed(subscriber: Redis): Promise<void> {
    const channels = [...this.handlers.keys()].map((topic) => this.prefix + topic);
    try {
      if (channels.length > 0) await subscriber.subscribe(...channels);
    } catch {
      return; // the connection went again; its next 'ready' retries
    }
    this.epoch++;
    this.subscribed = true;
    this.heardAt = Date.now();
    for (const follower of this.followers) void this.catchUp(follower);
  }

  private async catchUp(follower: Follower): Promise<void> {
    if (!this.subscribed || follower.catchingUp || follower.caughtUpOn === this.epoch) return;
    const epoch = this.epoch;
    follower.catchingUp = true;
    try {
      await follower.catchUp();
      if (this.epoch === epoch) follower.caughtUpOn = epoch;
    } catch (error) {
      this.logger.warn(`cannot catch up on missed changes (retried): ${(error as Error).message}`);
    } finally {
      follower.catchingUp = false;
    }
  }

  private beat(subscriber: Redis): void {
    if (subscriber.status !== 'ready') return; // reconnecting on its own
    // Silent, or a subscription that never got its answer: a fresh connection.
    if (Date.now() - this.heardAt > SILENCE_LIMIT_MS) {
      this.logger.warn('the change listener stopped answering: reconnecting');
      this.subscribed = false;
      subscriber.disconnect(true);
      return;
    }
    if (!this.subscribed) return;
    const sent = Date.now();
    subscriber.ping().then(
      () => (this.heardAt = Math.max(this.heardAt, sent)),
      () => undefined,
    );
    for (const follower of this.followers) void this.catchUp(follower); // one that failed to catch up tries again
  }
}

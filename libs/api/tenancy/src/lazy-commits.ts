import type { DataSource } from 'typeorm';

/** A pooled pg client in pipeline mode (see the data source's `extra.pipeline`), as the tenant transaction uses it. */
export interface PipelinedClient {
  pipeline?: boolean;
  query(sql: string): Promise<unknown>;
  connection: { stream: { cork(): void; uncork(): void } };
}

interface Pool {
  on(event: 'acquire', listener: (client: PipelinedClient) => void): void;
}

/**
 * How long a connection nobody takes keeps a finished read open: at least this, at most twice
 * this. It holds what any open read holds (its snapshot, its tables' share locks, the tenant's
 * shared move fence), so not long: a tenant move or a migration waits at most that much more for it.
 */
export const LAZY_COMMIT_MS = 5;

/**
 * The COMMITs of transactions that only read, sent lazily. Such a COMMIT changes
 * nothing, yet on its own it costs a network write and a round trip per request
 * — the largest cost left on a read's path. So the connection goes back to the
 * pool with the read still open, and its COMMIT travels in the same write as
 * whatever the connection is asked next, or on its own after LAZY_COMMIT_MS if
 * nobody takes it.
 *
 * Whoever takes the connection — a tenant transaction or anything else on the
 * pool — finds the COMMIT already queued ahead of what it sends (a pipelined
 * connection runs and answers in order), so it never runs inside the read or
 * sees its tenant setting.
 */
export class LazyCommits {
  private static readonly ofPool = new WeakMap<object, LazyCommits>();
  /** Reads deferred since the last sweep, and those the last sweep found (the next one commits them). */
  private fresh = new Set<PipelinedClient>();
  private aging = new Set<PipelinedClient>();
  private sweep: NodeJS.Timeout | undefined;

  private constructor(pool: Pool) {
    pool.on('acquire', (client) => {
      if (this.fresh.delete(client) || this.aging.delete(client)) this.commit(client, true);
    });
  }

  /** The lazy commits of `dataSource`'s pool (one per pool, made on first use). */
  static of(dataSource: DataSource): LazyCommits {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    let commits = LazyCommits.ofPool.get(pool);
    if (!commits) {
      commits = new LazyCommits(pool);
      LazyCommits.ofPool.set(pool, commits);
    }
    return commits;
  }

  /**
   * `client`'s open read commits lazily. Call it before the client goes back to the pool, which may hand it out at once.
   * A sweep every LAZY_COMMIT_MS commits the reads that waited through a whole period: one deferred just
   * before a sweep waits for the next, so most are taken (and their COMMIT rides along) before it comes.
   */
  defer(client: PipelinedClient): void {
    this.fresh.add(client);
    this.sweep ??= setInterval(() => {
      for (const idle of this.aging) this.commit(idle, false);
      this.aging.clear();
      [this.aging, this.fresh] = [this.fresh, this.aging];
      if (this.aging.size > 0) return;
      clearInterval(this.sweep);
      this.sweep = undefined;
    }, LAZY_COMMIT_MS).unref();
  }

  /** `withNext`: held until the event loop turns, so the statements of whoever took the connection join it in one write. */
  private commit(client: PipelinedClient, withNext: boolean): void {
    if (withNext) {
      const stream = client.connection.stream;
      stream.cork();
      setImmediate(() => stream.uncork());
    }
    // A read's COMMIT cannot fail but with its connection, which the pool then drops.
    client.query('COMMIT').catch(() => undefined);
  }
}

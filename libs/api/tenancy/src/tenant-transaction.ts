import { UUID_PATTERN } from '@tenantry/contracts';
import type { DataSource, QueryRunner } from 'typeorm';
import { LazyCommits, type PipelinedClient } from './lazy-commits.js';

/** Advisory lock class of the move fence (the object is the tenant id's hash; a collision only pauses another tenant's writes during a move). */
const MOVE_FENCE_CLASS = 7001;

/** `fn(class, hash of the tenant id)`: the SQL call of an advisory-lock function on the tenant's move fence. */
export function moveFence(tenantId: string, fn: string): string {
  if (!UUID_PATTERN.test(tenantId)) throw new Error('Tenant id is not a UUID');
  return `${fn}(${MOVE_FENCE_CLASS}, hashtext('${tenantId}'))`;
}

/**
 * A statement that only reads: one SELECT (no second statement after a `;`) that locks nothing
 * until COMMIT (no FOR UPDATE/SHARE, no advisory lock), or TypeORM's own COMMIT and ROLLBACK.
 * A transaction of nothing else commits lazily (LazyCommits). Our schema has no function that
 * writes; nextval, the one that writes in a SELECT here, does so outside any transaction.
 */
const READ =
  /^\s*(select\b(?![^;]*\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b)(?![^;]*\bpg_advisory)[^;]*|commit|rollback)\s*$/i;

/**
 * One pooled connection inside one transaction whose `app.tenant_id` is set
 * transaction-locally: COMMIT or ROLLBACK clears it, so nobody else ever uses
 * the connection with a tenant set (a read's COMMIT, sent lazily, goes ahead
 * of whatever the connection does next).
 */
export class TenantTransaction {
  private done = false;
  /** Whether anything but a plain read (READ) was sent: a transaction that only read commits lazily, after its answer is out. */
  private wrote = false;

  private constructor(
    readonly tenantId: string,
    readonly runner: QueryRunner,
    private readonly client: PipelinedClient,
    private readonly commits: LazyCommits,
    /** Settles when PostgreSQL has answered the opening statements (a failure there fails every query after it). */
    private readonly opened: Promise<unknown>,
  ) {}

  /**
   * `snapshot`: read-only, repeatable read — every query sees the tenant as the first one did (long reads such as exports).
   * Otherwise the transaction takes the tenant's move fence in shared mode; while the tenant is being
   * moved to another database (moveTenant holds the fence) it turns READ ONLY instead: reads go on,
   * and PostgreSQL itself refuses any write (TENANT_MOVING), so no write can land in the old copy.
   *
   * The opening statements are not awaited: the connection is pipelined, so the first query goes out
   * right behind them — in the same network write when it is sent before the event loop turns — and
   * the opening costs no round trip of its own. Nothing in them needs an answer first: PostgreSQL
   * runs them in order, the fence decides READ ONLY itself, and should any of them fail the
   * transaction is aborted, so every query after it fails too (none can run without its tenant).
   */
  static async open(dataSource: DataSource, tenantId: string, snapshot = false): Promise<TenantTransaction> {
    // Inlined into SQL below, so it must be a UUID and nothing else.
    if (!UUID_PATTERN.test(tenantId)) throw new Error('Tenant id is not a UUID');
    const runner = dataSource.createQueryRunner();
    let client: PipelinedClient;
    try {
      client = (await runner.connect()) as PipelinedClient;
    } catch (error) {
      await runner.release();
      throw error;
    }
    if (!client.pipeline) {
      await runner.release();
      throw new Error("Tenant transactions need a pipelined pool (the data source's extra.pipeline = true)");
    }
    // One message, so no parameters: hence the inlined, checked UUID.
    const setting = `SELECT set_config('app.tenant_id', '${tenantId}', true)`;
    const opening = snapshot
      ? `START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; ${setting}`
      : `START TRANSACTION; ${setting}, CASE WHEN ${moveFence(tenantId, 'pg_try_advisory_xact_lock_shared')} THEN NULL ELSE set_config('transaction_read_only', 'on', true) END`;
    const stream = client.connection.stream;
    stream.cork();
    setImmediate(() => stream.uncork());
    const opened = client.query(opening);
    opened.catch(() => undefined); // surfaced by the queries behind it, and by finish()
    // TypeORM is told a transaction is open, exactly as its own startTransaction() leaves it, so
    // commitTransaction() and rollbackTransaction() work as usual.
    Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
    const tx = new TenantTransaction(tenantId, runner, client, LazyCommits.of(dataSource), opened);
    // Every statement of the transaction goes through the runner's query(): anything not a plain SELECT counts as a write.
    const query = runner.query.bind(runner);
    runner.query = ((sql: string, ...rest: unknown[]) => {
      if (!tx.wrote && !READ.test(sql)) tx.wrote = true;
      return (query as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
    }) as QueryRunner['query'];
    return tx;
  }

  /** True while the transaction has only read: its COMMIT changes nothing, so nobody needs to wait for it (and it is sent lazily). */
  get readOnly(): boolean {
    return !this.wrote;
  }

  /**
   * For a request whose client went away while its handler may still run: the
   * runner counts as released at once (a later query fails instead of running
   * outside the transaction, in autocommit), and the pool destroys the
   * connection, so PostgreSQL rolls the transaction back. A ROLLBACK instead
   * could be outrun by a query the handler sends meanwhile.
   */
  abandon(): void {
    if (this.done) return;
    this.done = true;
    // TypeORM's own release-with-error (private in its types): marks the runner released and hands the error to pg-pool, which destroys the client.
    const runner = this.runner as unknown as { releasePostgresConnection(error: Error): Promise<void> };
    void runner.releasePostgresConnection(new Error('request abandoned by its client'));
  }

  /** Commits (or rolls back) and returns the connection; safe to call twice. */
  async finish(outcome: 'commit' | 'rollback'): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      if (outcome === 'commit') {
        // A transaction whose opening failed never commits (PostgreSQL would answer COMMIT with a silent ROLLBACK).
        await this.opened;
        if (this.wrote) await this.runner.commitTransaction();
        else {
          // Its COMMIT follows lazily, ahead of whatever the connection does next; deferred before the release below, which may hand the connection out at once.
          Object.assign(this.runner, { isTransactionActive: false, transactionDepth: 0 });
          this.commits.defer(this.client);
        }
      } else {
        await this.runner.rollbackTransaction();
      }
    } catch (error) {
      if (outcome === 'commit') await this.runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await this.runner.release();
    }
  }
}

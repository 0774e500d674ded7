import { UUID_PATTERN } from '@tenantry/contracts';
import type { DataSource, QueryRunner } from 'typeorm';

/** Advisory lock class of the move fence (the object is the tenant id's hash; a collision only pauses another tenant's writes during a move). */
const MOVE_FENCE_CLASS = 7001;

/** `fn(class, hash of the tenant id)`: the SQL call of an advisory-lock function on the tenant's move fence. */
export function moveFence(tenantId: string, fn: string): string {
  if (!UUID_PATTERN.test(tenantId)) throw new Error('Tenant id is not a UUID');
  return `${fn}(${MOVE_FENCE_CLASS}, hashtext('${tenantId}'))`;
}

/**
 * One pooled connection inside one transaction whose `app.tenant_id` is set
 * transaction-locally: COMMIT or ROLLBACK clears it, so a connection goes back
 * to the pool carrying no tenant.
 */
export class TenantTransaction {
  private done = false;

  private constructor(
    readonly tenantId: string,
    readonly runner: QueryRunner,
  ) {}

  /**
   * `snapshot`: read-only, repeatable read — every query sees the tenant as the first one did (long reads such as exports).
   * Otherwise the transaction takes the tenant's move fence in shared mode; while the tenant is being
   * moved to another database (moveTenant holds the fence) it opens READ ONLY instead: reads go on,
   * and PostgreSQL itself refuses any write (TENANT_MOVING), so no write can land in the old copy.
   */
  static async open(dataSource: DataSource, tenantId: string, snapshot = false): Promise<TenantTransaction> {
    // Inlined into SQL below, so it must be a UUID and nothing else.
    if (!UUID_PATTERN.test(tenantId)) throw new Error('Tenant id is not a UUID');
    const runner = dataSource.createQueryRunner();
    try {
      // BEGIN, the tenant setting and the fence in one round trip instead of three (a multi-statement
      // query cannot take parameters, hence the inlined, checked UUID). Then TypeORM is
      // told a transaction is open, exactly as its own startTransaction() leaves it, so
      // commitTransaction() and rollbackTransaction() work as usual.
      const setting = `SELECT set_config('app.tenant_id', '${tenantId}', true)`;
      if (snapshot) {
        await runner.query(`START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; ${setting}`);
      } else {
        const client = (await runner.connect()) as { query(sql: string): Promise<{ rows: { writable?: boolean }[] }[]> };
        const [, , fence] = await client.query(`START TRANSACTION; ${setting}; SELECT ${moveFence(tenantId, 'pg_try_advisory_xact_lock_shared')} AS writable`);
        if (!fence.rows[0].writable) await client.query(`ROLLBACK; START TRANSACTION READ ONLY; ${setting}`);
      }
      Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
      return new TenantTransaction(tenantId, runner);
    } catch (error) {
      await runner.release();
      throw error;
    }
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
      if (outcome === 'commit') await this.runner.commitTransaction();
      else await this.runner.rollbackTransaction();
    } catch (error) {
      if (outcome === 'commit') await this.runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await this.runner.release();
    }
  }
}

import { UUID_PATTERN } from '@tenantry/contracts';
import type { DataSource, QueryRunner } from 'typeorm';

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

  static async open(dataSource: DataSource, tenantId: string): Promise<TenantTransaction> {
    // Inlined into SQL below, so it must be a UUID and nothing else.
    if (!UUID_PATTERN.test(tenantId)) throw new Error('Tenant id is not a UUID');
    const runner = dataSource.createQueryRunner();
    try {
      // BEGIN and the tenant setting in one round trip instead of two (a multi-statement
      // query cannot take parameters, hence the inlined, checked UUID). Then TypeORM is
      // told a transaction is open, exactly as its own startTransaction() leaves it, so
      // commitTransaction() and rollbackTransaction() work as usual.
      await runner.query(`START TRANSACTION; SELECT set_config('app.tenant_id', '${tenantId}', true)`);
      Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
      return new TenantTransaction(tenantId, runner);
    } catch (error) {
      await runner.release();
      throw error;
    }
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

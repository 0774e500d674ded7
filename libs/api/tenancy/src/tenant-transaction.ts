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
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
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

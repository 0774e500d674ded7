import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppError, RequestContext, type RequestState, type ResolvedTenant } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { TenantDataSources } from './tenant-data-sources.js';
import { TenantTransaction } from './tenant-transaction.js';

/** Orders what asUser gathered from several databases as each one would: by tenant name, then id. */
export function byTenantName(
  a: { tenant: { name: string; id: string } },
  b: { tenant: { name: string; id: string } },
): number {
  const x = a.tenant.name.toLowerCase();
  const y = b.tenant.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.tenant.id < b.tenant.id ? -1 : a.tenant.id > b.tenant.id ? 1 : 0;
}

/**
 * The only way feature modules reach tenant data: repositories bound to the
 * tenant transaction of the request (or job) in flight. The transaction opens
 * on first use, so requests that never touch tenant data take no connection,
 * and is finished by TenantTransactionInterceptor.
 *
 * A singleton keyed by the AsyncLocalStorage request state rather than a Nest
 * REQUEST-scoped provider: no per-request DI graph, and a DI regression cannot
 * hand one request's transaction to another.
 */
@Injectable()
export class TenantDb {
  private readonly logger = new Logger(TenantDb.name);
  private readonly open = new WeakMap<RequestState, Promise<TenantTransaction>>();
  /** Callbacks to run once the transaction of a request (or job) has committed. */
  private readonly committed = new WeakMap<RequestState, (() => Promise<void>)[]>();
  /** Work that asked for a read-only snapshot (withTenant's `snapshot`). */
  private readonly snapshots = new WeakSet<RequestState>();
  /** Requests whose client went away: they may not open another transaction (its writes would commit without the first ones). */
  private readonly abandoned = new WeakSet<RequestState>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(TenantDataSources) private readonly sources: Pick<TenantDataSources, 'of' | 'all'>,
  ) {}

  /** The id of the tenant the request in flight belongs to. */
  get tenantId(): string {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant) throw new AppError(ErrorCode.TENANT_REQUIRED);
    return tenant.id;
  }

  async repository<E extends ObjectLiteral>(entity: EntityTarget<E>): Promise<Repository<E>> {
    return (await this.transaction()).runner.manager.getRepository(entity);
  }

  /**
   * Repositories for global tables (users, tenants): inside the tenant
   * transaction when the request has a tenant, otherwise on the pool.
   */
  async globalRepository<E extends ObjectLiteral>(entity: EntityTarget<E>): Promise<Repository<E>> {
    return RequestContext.current()?.tenant ? this.repository(entity) : this.dataSource.getRepository(entity);
  }

  async manager(): Promise<EntityManager> {
    return (await this.transaction()).runner.manager;
  }

  /**
   * Runs `work` on global tables in the request's tenant transaction when the
   * request has a tenant, otherwise in a transaction of its own. Either way a
   * request holds one connection at a time, so a full pool cannot deadlock.
   */
  async globalTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return RequestContext.current()?.tenant ? work(await this.manager()) : this.dataSource.transaction(work);
  }

  /**
   * Rolls back the request's transaction now and returns its connection: for
   * a request that is about to fail but must first record why in a transaction
   * of its own (which then is the only connection it holds).
   */
  async discard(): Promise<void> {
    const state = RequestContext.current();
    if (state) await this.finish(state, 'rollback');
  }

  /**
   * Runs `work` in a new tenant transaction of its own, outside any request's:
   * for signup (a tenant that does not exist yet when the request starts),
   * jobs and the seed. Commits when `work` resolves, rolls back when it throws.
   * `snapshot`: a read-only transaction on one snapshot (an export reading many tables).
   */
  async withTenant<T>(
    tenant: Pick<ResolvedTenant, 'id'> & Partial<ResolvedTenant>,
    work: () => Promise<T>,
    options: { snapshot?: boolean } = {},
  ): Promise<T> {
    const outer = RequestContext.current();
    const state: RequestState = {
      requestId: outer?.requestId ?? randomUUID(),
      userId: outer?.userId,
      platformActor: outer?.platformActor,
      ip: outer?.ip,
      userAgent: outer?.userAgent,
      tenant: { slug: '', name: '', status: 'active', ...tenant },
    };
    if (options.snapshot) this.snapshots.add(state);
    return RequestContext.run(state, async () => {
      try {
        const result = await work();
        await this.finish(state, 'commit');
        return result;
      } catch (error) {
        await this.finish(state, 'rollback');
        throw error;
      }
    });
  }

  /**
   * Runs `work` in a transaction with no tenant and `app.user_id` set: row-level
   * security then shows the user's own memberships across tenants, and no
   * other tenant rows at all. Runs on the shared database and on every
   * dedicated one (a user's tenants may live in several): the rows of all, in no set order.
   */
  async asUser<T>(userId: string, work: (manager: EntityManager) => Promise<T[]>): Promise<T[]> {
    const sources = await this.sources.all();
    const results = await Promise.all(
      sources.map((source) =>
        source.transaction(async (manager) => {
          await manager.query(`select set_config('app.user_id', $1, true)`, [userId]);
          return work(manager);
        }),
      ),
    );
    return results.flat();
  }

  /**
   * Runs `work` once the tenant transaction in flight has committed (and
   * never if it rolls back): for side effects outside the database — queueing
   * a job that reads the rows just written — which must neither run before
   * those rows are visible nor for rows that never were.
   */
  afterCommit(work: () => Promise<void>): void {
    const state = RequestContext.current();
    if (!state?.tenant) throw new AppError(ErrorCode.TENANT_REQUIRED);
    const callbacks = this.committed.get(state) ?? [];
    callbacks.push(work);
    this.committed.set(state, callbacks);
  }

  /** Runs `work` once the transaction in flight has committed (see afterCommit), or at once when none is open. */
  whenCommitted(work: () => Promise<void>): void {
    const state = RequestContext.current();
    if (state && this.open.has(state)) this.afterCommit(work);
    else void work().catch((error: Error) => this.logger.error(`after-commit work failed: ${error.message}`));
  }

  /**
   * Ends a request's transaction once its handler succeeded. One that wrote commits before the
   * answer leaves (a 2xx means its writes are in); one that only read commits without holding the
   * answer back — its COMMIT changes nothing, and a failure there is logged.
   */
  async commitForAnswer(state: RequestState): Promise<void> {
    const tx = await this.open.get(state)?.catch(() => undefined);
    if (!tx?.readOnly) return this.finish(state, 'commit');
    this.finish(state, 'commit').catch((error: Error) => this.logger.warn(`commit of a read failed: ${error.message}`));
  }

  /** Ends the transaction of `state`, if it opened one; after a commit, its afterCommit callbacks run (a failing one is logged). */
  async finish(state: RequestState, outcome: 'commit' | 'rollback'): Promise<void> {
    const callbacks = this.committed.get(state) ?? [];
    this.committed.delete(state);
    const pending = this.open.get(state);
    if (!pending) return;
    this.open.delete(state);
    const tx = await pending.catch(() => undefined);
    if (!tx) return;
    try {
      await tx.finish(outcome);
    } catch (error) {
      if (outcome === 'commit') throw error;
      this.logger.warn(`rollback failed: ${(error as Error).message}`);
      return;
    }
    if (outcome !== 'commit') return;
    for (const work of callbacks)
      await work().catch((error: Error) => this.logger.error(`after-commit work failed: ${error.message}`));
  }

  /** Drops the connection of `state`'s transaction, if it opened one, while its handler may still use it (see TenantTransaction.abandon). */
  async abandon(state: RequestState): Promise<void> {
    this.abandoned.add(state);
    const pending = this.open.get(state);
    if (!pending) return;
    this.open.delete(state);
    (await pending.catch(() => undefined))?.abandon();
  }

  private async transaction(): Promise<TenantTransaction> {
    const state = RequestContext.current();
    if (!state?.tenant) throw new AppError(ErrorCode.TENANT_REQUIRED);
    if (this.abandoned.has(state)) throw new Error('The request was abandoned by its client: its transaction is gone');
    let pending = this.open.get(state);
    if (!pending) {
      pending = this.sources
        .of(state.tenant)
        .then((source) => TenantTransaction.open(source, state.tenant!.id, this.snapshots.has(state)));
      this.open.set(state, pending);
    }
    const tx = await pending;
    // Belt and braces against DI or context bugs: a transaction is only ever
    // used by the request (and tenant) that opened it. Fail loudly, never leak.
    const current = RequestContext.current();
    if (current !== state || current.tenant?.id !== tx.tenantId) {
      throw new Error('Tenant transaction used outside the request that opened it');
    }
    return tx;
  }
}

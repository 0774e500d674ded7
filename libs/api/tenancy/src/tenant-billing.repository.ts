import { Injectable } from '@nestjs/common';
import type { BillingStatus, TenantSummary } from '@tenantry/contracts';
import type { EntityManager } from 'typeorm';
import { TenantDb } from './tenant-db.js';

/** What a tenant's subscription last said, as kept on its row for the reads across tenants. */
export interface TenantBilling {
  status: BillingStatus;
  /** What the subscription brings in a month, in the smallest unit of its currency (0 unless it pays). */
  mrrCents: number;
  currency: string | null;
  pastDueSince: Date | null;
}

/** A live tenant whose payment failed: since when, and what its subscription brings in a month. */
export interface PastDueTenant {
  id: string;
  slug: string;
  name: string;
  plan: string;
  since: Date;
  amount: string;
  currency: string | null;
}

const SET_BILLING =
  'update tenants set billing_status = $2, billing_mrr_cents = $3, billing_currency = $4, billing_past_due_since = $5 where id = $1';

const TRIAL_TAKEN = 'select trial_ends_at is not null as tried from tenants where id = $1';

const MRR_BY_CURRENCY = `select billing_currency as currency, sum(billing_mrr_cents) as amount from tenants
          where deleted_at is null and billing_mrr_cents > 0 group by billing_currency order by 1`;

const COUNT_BY_BILLING_STATUS =
  'select billing_status as status, count(*)::int as n from tenants where deleted_at is null group by 1';

const FAILED_PAYMENTS = `select id, slug, name, plan, billing_past_due_since as since, billing_mrr_cents as amount, billing_currency as currency
           from tenants
          where deleted_at is null and billing_status = 'past_due' and billing_past_due_since is not null
          order by billing_past_due_since limit 200`;

const PAST_DUE = `select id, slug, name from tenants where deleted_at is null and billing_status = 'past_due'`;

const BILLED_FOR_USAGE = `select id, slug, name from tenants where deleted_at is null and billing_status in ('trialing', 'active', 'past_due')`;

/**
 * The billing columns of `tenants`: the copy of each tenant's subscription
 * that billing keeps there (so the console reads MRR and statuses across
 * tenants in one query), and billing's reads over live tenants. A tenant's
 * own row is read and written in the context's tenant transaction; the
 * console's figures in the caller's transaction.
 */
@Injectable()
export class TenantBillingRepository {
  constructor(private readonly db: TenantDb) {}

  /** Copies the resolved tenant's subscription onto its row, in the context's transaction. */
  async recordSubscription(billing: TenantBilling): Promise<void> {
    await (
      await this.db.manager()
    ).query(SET_BILLING, [this.db.tenantId, billing.status, billing.mrrCents, billing.currency, billing.pastDueSince]);
  }

  /** Whether the resolved tenant has ever had a trial (a plan's trial is offered once). */
  async trialTaken(): Promise<boolean> {
    const [{ tried }]: { tried: boolean }[] = await (await this.db.manager()).query(TRIAL_TAKEN, [this.db.tenantId]);
    return tried;
  }

  /** Live tenants' monthly revenue per currency (amounts as PostgreSQL sums them: text), by currency. */
  mrrByCurrency(m: EntityManager): Promise<{ currency: string; amount: string }[]> {
    return m.query(MRR_BY_CURRENCY);
  }

  /** How many live tenants are in each billing status. */
  countByBillingStatus(m: EntityManager): Promise<{ status: BillingStatus; n: number }[]> {
    return m.query(COUNT_BY_BILLING_STATUS);
  }

  /** Live tenants whose payment failed, the longest past due first (at most 200). */
  failedPayments(m: EntityManager): Promise<PastDueTenant[]> {
    return m.query(FAILED_PAYMENTS);
  }

  /** Live tenants whose subscription is past due (their grace may have ended). */
  pastDue(): Promise<TenantSummary[]> {
    return this.db.globalTransaction((m) => m.query(PAST_DUE));
  }

  /** Live tenants with a subscription that is billed for its usage: trialing, active or past due. */
  billedForUsage(): Promise<TenantSummary[]> {
    return this.db.globalTransaction((m) => m.query(BILLED_FOR_USAGE));
  }
}

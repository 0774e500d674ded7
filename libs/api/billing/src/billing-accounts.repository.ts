import { Injectable } from '@nestjs/common';
import { TenantDataSources, TenantDb } from '@tenantry/api-tenancy';
import { BillingAccountEntity } from './entities/billing-account.entity.js';

/** What a subscription, as Stripe has it now, sets on its tenant's account. */
export type SubscriptionFields = Pick<
  BillingAccountEntity,
  | 'stripeCustomerId'
  | 'subscriptionId'
  | 'status'
  | 'plan'
  | 'seats'
  | 'currentPeriodEnd'
  | 'cancelAtPeriodEnd'
  | 'trialEnd'
  | 'pastDueSince'
>;

const MAKE_ON_FIRST_USE = 'insert into billing_accounts (tenant_id) values ($1) on conflict do nothing';

// Usage is billed from the first day a subscription exists (reported to Stripe's meters).
const START_USAGE_REPORTS =
  'update billing_accounts set usage_reported_from = coalesce(usage_reported_from, current_date)';

const PLAN_AND_PAST_DUE = 'select plan, past_due_since from billing_accounts';

const SUBSCRIPTION_ID = 'select subscription_id from billing_accounts';

const USAGE_CUSTOMER = `select stripe_customer_id, to_char(usage_reported_from, 'YYYY-MM-DD') as usage_reported_from from billing_accounts`;

// How many of the tenants $1 had their subscription canceled in the last 30 days (in one database).
const CANCELED = `select count(*)::int as canceled from billing_accounts
  where tenant_id = any($1::uuid[]) and status = 'canceled' and updated_at > now() - interval '30 days'`;

/**
 * The billing_accounts table. A tenant's account is read and written in the
 * context's tenant transaction, where row-level security scopes it to that
 * tenant; the console's count across tenants goes through the platform path
 * of every database (a dedicated one holds its tenants' accounts).
 */
@Injectable()
export class BillingAccountsRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly sources: TenantDataSources,
  ) {}

  /** The resolved tenant's account, made on first use; locked until the transaction ends when `lock`. */
  async current(lock: boolean): Promise<BillingAccountEntity> {
    const repo = await this.db.repository(BillingAccountEntity);
    await (await this.db.manager()).query(MAKE_ON_FIRST_USE, [this.db.tenantId]);
    const query = repo.createQueryBuilder('a');
    return (lock ? query.setLock('pessimistic_write') : query).getOneOrFail();
  }

  async setCustomer(stripeCustomerId: string): Promise<void> {
    await (await this.db.repository(BillingAccountEntity)).update({ tenantId: this.db.tenantId }, { stripeCustomerId });
  }

  /** Mirrors the subscription on the resolved tenant's account; its usage is reported from today on, if not already. */
  async recordSubscription(fields: SubscriptionFields): Promise<void> {
    await (
      await this.db.repository(BillingAccountEntity)
    ).update({ tenantId: this.db.tenantId }, { ...fields, updatedAt: () => 'now()' } as object);
    await (await this.db.manager()).query(START_USAGE_REPORTS);
  }

  /** The context tenant's plan and since when it is past due (no row: no account yet). */
  async planAndPastDue(): Promise<{ plan: string | null; past_due_since: Date | null } | undefined> {
    const [account]: { plan: string | null; past_due_since: Date | null }[] = await (
      await this.db.manager()
    ).query(PLAN_AND_PAST_DUE);
    return account;
  }

  /** The context tenant's subscription (no row: no account yet). */
  async subscriptionId(): Promise<{ subscription_id: string | null } | undefined> {
    const [account]: { subscription_id: string | null }[] = await (await this.db.manager()).query(SUBSCRIPTION_ID);
    return account;
  }

  /** The context tenant's Stripe customer and the first day its usage is reported for (no row: no account yet). */
  async usageCustomer(): Promise<
    { stripe_customer_id: string | null; usage_reported_from: string | null } | undefined
  > {
    const [account]: { stripe_customer_id: string | null; usage_reported_from: string | null }[] = await (
      await this.db.manager()
    ).query(USAGE_CUSTOMER);
    return account;
  }

  /** How many of `tenantIds` had their subscription canceled in the last 30 days, in every database. */
  async canceledIn30Days(tenantIds: string[]): Promise<number> {
    const counts = await this.sources.everywhere<{ canceled: number }>(CANCELED, [tenantIds]);
    return counts.reduce((sum, c) => sum + c.canceled, 0);
  }
}

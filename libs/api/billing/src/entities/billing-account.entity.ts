import type { BillingStatus } from '@tenantry/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tenant's billing account (tenant-scoped, RLS): its Stripe customer and what its subscription last said. */
@Entity('billing_accounts')
export class BillingAccountEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'stripe_customer_id', nullable: true }) stripeCustomerId: string | null;
  @Column('text', { name: 'subscription_id', nullable: true }) subscriptionId: string | null;
  @Column('text') status: BillingStatus;
  @Column('text', { nullable: true }) plan: string | null;
  @Column('int', { nullable: true }) seats: number | null;
  @Column('timestamptz', { name: 'current_period_end', nullable: true }) currentPeriodEnd: Date | null;
  @Column('boolean', { name: 'cancel_at_period_end' }) cancelAtPeriodEnd: boolean;
  @Column('timestamptz', { name: 'trial_end', nullable: true }) trialEnd: Date | null;
  @Column('timestamptz', { name: 'past_due_since', nullable: true }) pastDueSince: Date | null;
  /** The first day whose usage is reported to Stripe (the subscription's first day here). */
  @Column('date', { name: 'usage_reported_from', nullable: true }) usageReportedFrom: string | null;
  @Column({ type: 'timestamptz', name: 'updated_at', insert: false }) updatedAt: Date;
}

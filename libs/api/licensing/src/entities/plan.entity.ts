import type { PlanFeature, UsageMetric } from '@tenantry/contracts';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A plan of the catalog (global: every tenant reads it, the platform edits it). */
@Entity('plans')
export class PlanEntity {
  @PrimaryColumn('text') code: string;
  @Column('text') name: string;
  @Column('int', { nullable: true }) seats: number | null;
  @Column('jsonb', { name: 'monthly_limits' }) monthlyLimits: Partial<Record<UsageMetric, number>>;
  @Column('int', { name: 'rate_limit_per_minute', nullable: true }) rateLimitPerMinute: number | null;
  @Column('text', { array: true }) features: PlanFeature[];
  @Column('int', { name: 'trial_days' }) trialDays: number;
  @Column('int', { name: 'grace_days' }) graceDays: number;
  @Column('text', { name: 'stripe_price_id', nullable: true }) stripePriceId: string | null;
  @Column('text', { name: 'stripe_seat_price_id', nullable: true }) stripeSeatPriceId: string | null;
  @Column('int', { name: 'monthly_price', nullable: true }) monthlyPrice: number | null;
  @Column('text', { name: 'price_currency', nullable: true }) priceCurrency: string | null;
  @Column('int', { name: 'sort_order' }) sortOrder: number;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

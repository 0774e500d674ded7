import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';

const REPORTED_BETWEEN = `select metric, to_char(day, 'YYYY-MM-DD') as day from usage_reports where day between $1::date and $2::date`;

const RECORD = 'insert into usage_reports (metric, day, value) values ($1, $2, $3)';

/** The usage_reports table: the slices of usage Stripe took, in the context's tenant transaction. */
@Injectable()
export class UsageReportsRepository {
  constructor(private readonly db: TenantDb) {}

  /** The slices reported for the days `from` to `to` (YYYY-MM-DD, both included). */
  async reportedBetween(from: string, to: string): Promise<{ metric: string; day: string }[]> {
    return (await this.db.manager()).query(REPORTED_BETWEEN, [from, to]);
  }

  /** Records a slice Stripe took; `value` as the usage meter counts it (a bigint, in text). */
  async record(metric: string, day: string, value: string): Promise<void> {
    await (await this.db.manager()).query(RECORD, [metric, day, value]);
  }
}

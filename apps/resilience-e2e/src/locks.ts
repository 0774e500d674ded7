import type pg from 'pg';
import { until } from '@tenantry/testing/until';

/** Waits until one of the API's connections waits on a lock that the test holds through `holder`. */
export function untilApiWaitsOnLock(holder: pg.Client, what: string): Promise<number> {
  return until(
    what,
    async () =>
      (
        await holder.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where application_name = 'tenantry-api' and wait_event_type = 'Lock'`,
        )
      ).rows[0].n,
    (n) => n === 1,
    10_000,
  );
}

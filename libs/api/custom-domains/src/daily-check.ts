import type { DnsCheck } from '@tenantry/api-domains';

/** A verified domain whose TXT record is gone keeps routing this long (DNS edits go wrong; people fix them). */
export const DNS_GRACE_MS = 3 * 24 * 3_600_000;

export type DailyOutcome =
  | { outcome: 'ok' }
  /** DNS did not answer: nothing changes (no clock starts, none stops). */
  | { outcome: 'unknown' }
  | { outcome: 'failing'; failingSince: Date }
  | { outcome: 'unverified'; failingSince: Date };

/** What a daily look-up makes of a verified domain that has been failing since `failingSince` (null: it was fine). */
export function afterDailyCheck(check: DnsCheck, failingSince: Date | null, now: Date): DailyOutcome {
  if (check.found) return { outcome: 'ok' };
  if (check.lookupFailed) return { outcome: 'unknown' };
  const since = failingSince ?? now;
  return now.getTime() - since.getTime() >= DNS_GRACE_MS
    ? { outcome: 'unverified', failingSince: since }
    : { outcome: 'failing', failingSince: since };
}

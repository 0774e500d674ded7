import { afterDailyCheck, DNS_GRACE_MS } from './daily-check.js';

const missing = { found: false, reason: 'no TXT record yet', lookupFailed: false } as const;
const unanswered = { found: false, reason: 'DNS lookup failed (ETIMEOUT)', lookupFailed: true } as const;
const day1 = new Date('2027-01-01T04:00:00Z');
const later = (ms: number) => new Date(day1.getTime() + ms);

describe('the daily DNS check of a verified custom domain', () => {
  it('keeps a domain whose record is there, and clears a flag', () => {
    expect(afterDailyCheck({ found: true }, null, day1)).toEqual({ outcome: 'ok' });
    expect(afterDailyCheck({ found: true }, day1, later(DNS_GRACE_MS * 2))).toEqual({ outcome: 'ok' });
  });

  it('flags a missing record from the first day it is missing, and un-verifies it after exactly three days', () => {
    expect(afterDailyCheck(missing, null, day1)).toEqual({ outcome: 'failing', failingSince: day1 });
    expect(afterDailyCheck(missing, day1, later(DNS_GRACE_MS - 1))).toEqual({ outcome: 'failing', failingSince: day1 });
    expect(afterDailyCheck(missing, day1, later(DNS_GRACE_MS))).toEqual({ outcome: 'unverified', failingSince: day1 });
  });

  it('changes nothing when DNS does not answer (no clock starts)', () => {
    expect(afterDailyCheck(unanswered, null, day1)).toEqual({ outcome: 'unknown' });
    expect(afterDailyCheck(unanswered, day1, later(DNS_GRACE_MS * 10))).toEqual({ outcome: 'unknown' });
  });
});

import type { License } from '@tenantry/contracts';
import type { LicenseEntity } from './entities/license.entity.js';

/** Days before expiry when owners are reminded, each once. */
export const REMINDER_DAYS = [30, 7, 1] as const;

export const toLicense = (l: LicenseEntity): License => ({
  id: l.id,
  tenantId: l.tenantId,
  plan: l.plan,
  seats: l.seats,
  status: l.status,
  validFrom: l.validFrom.toISOString(),
  validUntil: l.validUntil?.toISOString() ?? null,
  key: l.key,
  createdAt: l.createdAt.toISOString(),
});

/**
 * The reminder due for a license ending at `validUntil`: the tightest of the
 * thresholds reached, with every threshold reached (marked sent together, so
 * a license issued 5 days before its end gets one mail, not three).
 */
export function reminderDue(validUntil: Date, sent: number[], now: Date): { days: number; reached: number[] } | null {
  const daysLeft = (validUntil.getTime() - now.getTime()) / 86_400_000;
  const reached = REMINDER_DAYS.filter((d) => daysLeft <= d);
  if (reached.length === 0) return null;
  const days = Math.min(...reached);
  return sent.includes(days) ? null : { days, reached };
}

/** The reminder mailed to each owner (`days` counted from `now`, at least 1). */
export function expiryReminderMail(to: string, tenantName: string, validUntil: Date, now: Date, link: string) {
  const days = Math.max(1, Math.ceil((validUntil.getTime() - now.getTime()) / 86_400_000));
  const when = days === 1 ? 'within a day' : `in ${days} days`;
  return {
    to,
    fromName: 'Tenantry',
    subject: `The license of ${tenantName} ends ${when}`,
    text: [
      `The license of ${tenantName} ends on ${validUntil.toUTCString()}.`,
      'After that the workspace becomes read-only (nothing is deleted) until the license is renewed.',
      `Your plan: ${link}`,
    ].join('\n'),
  };
}

/** The 80 % / 100 % notice of a monthly allowance, to the tenant's admins. */
export function usageWarningMail(
  to: string,
  tenantName: string,
  metric: string,
  used: number,
  limit: number,
  resetsAt: Date,
) {
  const what = metric === 'api_calls' ? 'API calls' : 'new contacts';
  const share = Math.min(100, Math.floor((used / limit) * 100));
  return {
    to,
    fromName: 'Tenantry',
    subject: `${tenantName} has used ${share}% of this month's ${what}`,
    text: [
      `${tenantName} has used ${used} of the ${limit} ${what} its plan allows this month.`,
      share >= 100
        ? 'Further requests are refused until the allowance starts again'
        : 'Past the allowance, requests are refused until it starts again',
      `on ${resetsAt.toUTCString()}, or until the workspace moves to a bigger plan.`,
    ].join('\n'),
  };
}

/** The reminder a few days before a trial ends, to each owner. */
export function trialEndingMail(
  to: string,
  tenantName: string,
  tried: string,
  after: string,
  endsAt: Date,
  link: string,
) {
  return {
    to,
    fromName: 'Tenantry',
    subject: `The ${tried} trial of ${tenantName} ends on ${endsAt.toUTCString().slice(0, 16)}`,
    text: [
      `The ${tried} trial of ${tenantName} ends on ${endsAt.toUTCString()}.`,
      `After that the workspace is back on the ${after} plan and its limits (nothing is deleted).`,
      `Your plan: ${link}`,
    ].join('\n'),
  };
}

/** The notice that a trial has ended, to each owner. */
export function trialEndedMail(to: string, tenantName: string, tried: string, after: string, link: string) {
  return {
    to,
    fromName: 'Tenantry',
    subject: `The ${tried} trial of ${tenantName} has ended`,
    text: [
      `The ${tried} trial of ${tenantName} has ended: the workspace is on the ${after} plan again, with its limits.`,
      'Nothing was deleted; past a limit, new members or requests are refused until the workspace moves to a bigger plan.',
      `Your plan: ${link}`,
    ].join('\n'),
  };
}

import type { MailMessage } from '@tenantry/api-mailer';

/** A day before a scheduled window, to every owner and admin. */
export function maintenanceReminderMail(
  to: string,
  window: { startsAt: Date; endsAt: Date; message: string | null },
): MailMessage {
  return {
    to,
    subject: `Scheduled maintenance on ${window.startsAt.toUTCString()}`,
    text: [
      `Tenantry will be down for scheduled maintenance from ${window.startsAt.toUTCString()} to ${window.endsAt.toUTCString()}.`,
      ...(window.message ? ['', window.message] : []),
      '',
      'During that time the app and the API answer "down for maintenance" (HTTP 503 with Retry-After); nothing is lost, and everything comes back on its own.',
    ].join('\n'),
  };
}

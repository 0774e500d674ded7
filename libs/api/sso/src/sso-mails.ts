import type { MailMessage } from '@tenantry/api-mailer';

// Plain text first (what every client shows), like the account mails.

export function linkConfirmationMail(
  to: string,
  tenantName: string,
  connectionName: string,
  link: string,
  hours: number,
): MailMessage {
  return {
    to,
    fromName: `${tenantName} via Tenantry`,
    subject: `Confirm signing in to ${tenantName} through ${connectionName}`,
    text: [
      `Someone just signed in as ${to} through ${connectionName}, the identity provider of ${tenantName}.`,
      'Your account already exists, so it is not used that way until you confirm.',
      '',
      `If that was you, confirm: ${link}`,
      '',
      `The link works once and for ${hours} hours. If it was not you, ignore this email and tell an owner of ${tenantName}: nobody was signed in.`,
    ].join('\n'),
  };
}

/** To every owner when someone (an owner: only they can) adds a connection or changes what it trusts. */
export function trustChangedMail(
  to: string,
  tenantName: string,
  change: { by: string; connectionName: string; added: boolean; changed: string[]; idpEntityId: string },
  link: string,
): MailMessage {
  return {
    to,
    fromName: `${tenantName} via Tenantry`,
    subject: `${tenantName}: identity provider ${change.added ? 'added' : 'changed'} (${change.connectionName})`,
    text: [
      change.added
        ? `${change.by} added the single sign-on connection ${change.connectionName} to ${tenantName}.`
        : `${change.by} changed the single sign-on connection ${change.connectionName} of ${tenantName}: ${change.changed.join(', ')}.`,
      `It trusts the identity provider ${change.idpEntityId} to sign people in.`,
      '',
      `Review it: ${link}`,
      '',
      'If you did not expect this, check it now: an identity provider can sign in anyone of the domains its connection serves.',
    ].join('\n'),
  };
}

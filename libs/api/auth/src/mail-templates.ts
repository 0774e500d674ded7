import type { MailMessage } from '@tenantry/api-mailer';
import type { TenantRole } from '@tenantry/contracts';

// Plain text first (what every client shows); the link is the only thing to act on.

export function invitationMail(to: string, tenantName: string, inviter: string, role: TenantRole, link: string, expiresAt: Date): MailMessage {
  return {
    to,
    fromName: `${tenantName} via Tenantry`,
    subject: `${inviter} invited you to ${tenantName}`,
    text: [
      `${inviter} invited you to join ${tenantName} on Tenantry as ${role === 'admin' || role === 'owner' ? 'an' : 'a'} ${role}.`,
      '',
      `Accept the invitation: ${link}`,
      '',
      `The link works once and until ${expiresAt.toUTCString()}. If you did not expect it, ignore this email.`,
    ].join('\n'),
  };
}

export function passwordResetMail(to: string, tenantName: string, link: string, minutes: number): MailMessage {
  return {
    to,
    fromName: `${tenantName} via Tenantry`,
    subject: `Reset your ${tenantName} password`,
    text: [
      `Someone (hopefully you) asked to reset the password of your account at ${tenantName}.`,
      '',
      `Choose a new password: ${link}`,
      '',
      `The link works once and for ${minutes} minutes. If you did not ask for it, ignore this email: your password stays as it is.`,
    ].join('\n'),
  };
}

export function verificationMail(to: string, tenantName: string, link: string): MailMessage {
  return {
    to,
    fromName: `${tenantName} via Tenantry`,
    subject: `Confirm your email address for ${tenantName}`,
    text: [`Confirm that ${to} is your address: ${link}`, '', 'The link works once and for 7 days.'].join('\n'),
  };
}

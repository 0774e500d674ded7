import type { MailMessage } from '@tenantry/api-mailer';
import type { TenantRole } from '@tenantry/contracts';

// Plain text first (what every client shows); the link is the only thing to act on.

export function invitationMail(
  to: string,
  tenantName: string,
  inviter: string,
  role: TenantRole,
  link: string,
  expiresAt: Date,
): MailMessage {
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

export function verificationMail(to: string, tenantName: string, link: string, lasts = '7 days'): MailMessage {
  return {
    to,
    fromName: `${tenantName} via Tenantry`,
    subject: `Confirm your email address for ${tenantName}`,
    text: [`Confirm that ${to} is your address: ${link}`, '', `The link works once and for ${lasts}.`].join('\n'),
  };
}

export function signupLinkMail(to: string, link: string, hours: number): MailMessage {
  return {
    to,
    fromName: 'Tenantry',
    subject: 'Confirm your email address to create your workspace',
    text: [
      `Confirm that ${to} is your address, and your workspace is created: ${link}`,
      '',
      `The link works once and for ${hours} hours. If you did not sign up, ignore this email: nothing is created.`,
    ].join('\n'),
  };
}

/** To an address that has an account, when someone signs up with it (the same answer as for a new address: no one learns it exists). */
export function accountExistsMail(to: string, signInLink: string): MailMessage {
  return {
    to,
    fromName: 'Tenantry',
    subject: 'You already have an account',
    text: [
      `Someone (hopefully you) tried to sign up with ${to}, which already has an account. Nothing was created and your account is unchanged.`,
      '',
      `Sign in: ${signInLink} (choose your workspace; there, "Forgot your password?" mails you a link to choose a new one).`,
      '',
      'If it was not you, ignore this email.',
    ].join('\n'),
  };
}

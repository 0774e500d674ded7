/** One email, ready to send. Plain text always (and HTML when given). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Shown as the sender's name, e.g. the tenant's: "Acme via Tenantry". */
  fromName?: string;
}

export const MAIL_QUEUE = 'mail';

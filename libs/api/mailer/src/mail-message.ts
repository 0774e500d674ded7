/** How a tenant's emails look (its white-label branding). */
export interface MailBrand {
  /** Shown as the sender's name. */
  fromName: string;
  name: string;
  /** Header and button color, #rrggbb. */
  color: string;
  /** Absolute URL of the logo. */
  logoUrl: string | null;
}

/** One email, ready to send. Plain text always (and HTML when given or branded). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Shown as the sender's name, e.g. the tenant's: "Acme via Tenantry". */
  fromName?: string;
  /** Set by the mailer inside a tenant: the HTML part wears it. */
  brand?: MailBrand;
}

export const MAIL_QUEUE = 'mail';
